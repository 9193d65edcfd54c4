/**
 * "Get started": the first-run checklist at the top of a project's feed. It stays (folded to one line
 * if the person asks) until every step that applies is done: name, first key, first event, first
 * action, a teammate, install, notifications. Admins see all seven; someone who joined by invite sees
 * only their own three (name, install, notifications): the project's setup is not theirs to do.
 */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { CopyButton } from '../../components/CopyButton.tsx';
import { isIosSafari } from '../../lib/device.ts';
import { Link } from '../../lib/router.tsx';
import { useStore } from '../../lib/store.ts';
import { useAuthStatus } from '../auth/api.ts';
import { installPrompt, isStandalone, promptInstall } from '../install/installPrompt.ts';
import { ALL_PROJECTS, projectHref, useProjectSlug } from '../projects/current.ts';
import { useCurrentProject } from '../projects/api.ts';
import { pushSupported, thisDeviceId, useDevices, useEnablePush } from '../push/api.ts';
import { keyMadeHere } from '../settings/keyMadeHere.ts';
import { goToSection } from './goTo.ts';
import { installSkipped, isCompleted, markCompleted, skipInstall, storedFolded, storeFolded, storeSummary } from './progress.ts';
import { useProjectProgress } from './progressQuery.ts';
import { FoldedChecklist } from './FoldedChecklist.tsx';

interface Step {
  id: string;
  label: string;
  done: boolean;
  /** What does it, shown while it is not done. */
  action?: ReactNode;
  /** A line under the label while it is not done. */
  detail?: ReactNode;
}

const action =
  'inline-flex min-h-11 shrink-0 items-center rounded-lg px-2 text-sm font-medium text-sky-800 underline underline-offset-2 hover:bg-sky-50 dark:text-sky-300 dark:hover:bg-slate-800';
const quiet =
  'inline-flex min-h-11 shrink-0 items-center rounded-lg px-2 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800';

function SectionLink({ path, id, children, label }: { path: string; id: string; children: ReactNode; label?: string }) {
  return (
    <a href={`${path}#${id}`} onClick={goToSection(path, id)} className={action} aria-label={label}>
      {children}
    </a>
  );
}

/** Phones get the one-line fold by default once the feed has events: the first event stays near the top. */
const isPhone = () => window.matchMedia('(max-width: 639px)').matches;

function actionSnippet(): string {
  const key = keyMadeHere.get()?.key ?? 'YOUR_API_KEY';
  const body = JSON.stringify({
    name: 'Deploy ready',
    avatar: '🚀',
    actions: [{ key: 'ship', buttonText: 'Ship it', url: 'https://example.com/hooks/ship' }],
  });
  return `curl -X POST ${location.origin}/api/v1/log \\
  -H "Authorization: Bearer ${key}" \\
  -H "Content-Type: application/json" \\
  -d '${body}'`;
}

function ActionExample() {
  const [open, setOpen] = useState(false);
  const id = useId();
  const code = open ? actionSnippet() : '';
  return (
    <>
      Send an event with an action and press it.{' '}
      <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} className={`${action} -my-2`}>
        {open ? 'Hide snippet' : 'Show snippet'}
      </button>
      <span id={id} className={open ? 'mt-1 flex flex-col gap-1' : 'hidden'}>
        {open && (
          <>
            <span className="flex items-center justify-between gap-2">
              <span className="text-xs text-slate-600 dark:text-slate-400">Put an endpoint of yours in url; any answer counts.</span>
              <CopyButton text={code} what="the action snippet" />
            </span>
            <code className="block overflow-x-auto whitespace-pre rounded-lg bg-slate-900 p-2 font-mono text-xs leading-5 text-slate-100 dark:bg-black">{code}</code>
          </>
        )}
      </span>
    </>
  );
}

function NotificationsAction() {
  const enable = useEnablePush();
  if (isIosSafari(navigator.userAgent) && !isStandalone()) return <span className="text-xs text-slate-600 dark:text-slate-400">Install first (iOS)</span>;
  if (!pushSupported()) return <span className="text-xs text-slate-600 dark:text-slate-400">Not in this browser</span>;
  if (Notification.permission === 'denied') return <span className="text-xs text-slate-600 dark:text-slate-400">Blocked in site settings</span>;
  return (
    <span className="flex flex-col items-end">
      <button type="button" className={action} disabled={enable.isPending} onClick={() => enable.mutate()} aria-label="Turn on notifications for this device">
        {enable.isPending ? 'Turning on…' : 'Turn on'}
      </button>
      {enable.error && (
        <span role="alert" className="max-w-64 text-right text-xs text-red-700 dark:text-red-400">
          {enable.error.message}
        </span>
      )}
    </span>
  );
}

function InstallAction({ settings, onSkip }: { settings: string; onSkip: () => void }) {
  const prompt = useStore(installPrompt);
  return (
    <span className="flex items-center">
      {prompt ? (
        <button type="button" className={action} onClick={() => void promptInstall()}>
          Install
        </button>
      ) : (
        <Link href={settings} className={action} aria-label="How to install">
          How
        </Link>
      )}
      <button type="button" className={quiet} onClick={onSkip} aria-label="Skip installing on this device">
        Skip
      </button>
    </span>
  );
}

function Checklist({ slug, userId, name, admin, pane, focusOnOpen }: { slug: string; userId: string; name: string; admin: boolean; pane: boolean; focusOnOpen: boolean }) {
  const titleId = useId();
  const settings = projectHref(slug, '/settings');
  const [skipped, setSkipped] = useState(installSkipped);
  const [folded, setFolded] = useState<boolean | null>(() => storedFolded(slug));
  const [phone] = useState(isPhone);
  const toggled = useRef(focusOnOpen);
  const foldButton = useRef<HTMLButtonElement>(null);
  const hideButton = useRef<HTMLButtonElement>(null);

  const devices = useDevices();
  const mine = thisDeviceId();
  const pushOn = pushSupported() && Notification.permission === 'granted' && (devices.data ?? []).some((d) => d.id === mine);
  const installed = isStandalone() || skipped;
  // Someone who joined by invite needs the progress only to know whether the feed has events.
  const progress = useProjectProgress(slug, admin);
  const p = progress.data;

  const steps: Step[] = [
    { id: 'name', label: 'Add your name', done: name.trim() !== '', action: <SectionLink path={settings} id="account" label="Set name for your account">Set name</SectionLink> },
  ];
  if (admin) {
    steps.push(
      { id: 'key', label: 'Create an API key', done: p?.key ?? false, action: <SectionLink path={settings} id="api-keys" label="Go to API keys">API keys</SectionLink> },
      { id: 'event', label: 'Send your first event', done: p?.event ?? false, action: <SectionLink path={projectHref(slug, '/')} id="send-first-event" label="Show the snippet to send your first event">Snippet</SectionLink> },
      { id: 'action', label: 'Press an action', done: p?.action ?? false, detail: <ActionExample /> },
      { id: 'teammate', label: 'Invite a teammate', done: p?.teammate ?? false, action: <SectionLink path={settings} id="members" label="Go to Members to invite">Invite</SectionLink> },
    );
  }
  steps.push(
    {
      id: 'install',
      label: 'Install the app',
      done: installed,
      action: (
        <InstallAction
          settings={settings}
          onSkip={() => {
            skipInstall();
            setSkipped(true);
          }}
        />
      ),
    },
    { id: 'notifications', label: 'Turn on notifications', done: pushOn, action: <NotificationsAction /> },
  );

  const known = (!admin || p !== undefined) && !devices.isPending;
  const done = steps.filter((s) => s.done).length;
  const total = steps.length;
  const allDone = known && done === total;

  useEffect(() => {
    if (allDone) markCompleted(userId, slug);
    // The folded line says it before this loads next time (FirstRunEntry).
    else if (known) storeSummary(userId, slug, `${done} of ${total}`);
  }, [allDone, known, done, total, userId, slug]);

  const isFolded = folded ?? (phone && (p?.event ?? true));
  useEffect(() => {
    if (!toggled.current || !known) return;
    // Once the button it moves to is drawn (the list waits for its data).
    const target = (isFolded ? foldButton : hideButton).current;
    if (!target) return;
    toggled.current = false;
    target.focus();
  }, [isFolded, known]);

  if (allDone) return null;
  const fold = (next: boolean) => {
    toggled.current = true;
    storeFolded(slug, next);
    setFolded(next);
  };

  if (isFolded) return <FoldedChecklist ref={foldButton} label={known ? `Get started · ${done} of ${total}` : 'Get started'} onOpen={() => fold(false)} />;
  if (!known) return null;

  return (
    <section aria-labelledby={titleId} className="rounded-xl border border-slate-200 bg-white px-3 pt-1 pb-2 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-center gap-3">
        <h2 id={titleId} className="text-base font-semibold">
          Get started
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {done} of {total} done
        </p>
        <button ref={hideButton} type="button" aria-expanded={true} onClick={() => fold(true)} className={`${quiet} ml-auto`}>
          Hide for now
        </button>
      </div>
      <ul aria-label="Steps" className={`grid gap-x-6 ${pane ? '' : 'sm:grid-cols-2'}`}>
        {steps.map((s) => (
          <li key={s.id} className="flex min-h-11 flex-wrap items-center gap-x-2 border-t border-slate-100 py-0.5 text-sm dark:border-slate-800">
            {s.done ? (
              <span aria-hidden="true" className="grid size-5 shrink-0 place-items-center rounded-full bg-emerald-700 text-xs font-bold text-white dark:bg-emerald-400 dark:text-slate-950">
                ✓
              </span>
            ) : (
              <span aria-hidden="true" className="size-5 shrink-0 rounded-full border-2 border-slate-400 dark:border-slate-500" />
            )}
            <span className={`min-w-0 flex-1 ${s.done ? 'text-slate-600 dark:text-slate-400' : 'font-medium text-slate-900 dark:text-slate-100'}`}>
              <span className="sr-only">{s.done ? 'Done: ' : 'To do: '}</span>
              {s.label}
            </span>
            {!s.done && s.action}
            {!s.done && s.detail && <span className="basis-full pb-1 pl-7 text-xs text-slate-700 dark:text-slate-300">{s.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Until every step that applies is done: at the top of a project's feed on a phone, and on a desktop
 * in the pane beside the feed while no event is open there (`pane`), so the desk keeps its rows.
 * Never in the All projects feed.
 */
export function FirstRunChecklist({ pane = false, focusOnOpen = false }: { pane?: boolean; /** Opened from its folded line: focus goes to it. */ focusOnOpen?: boolean }) {
  const slug = useProjectSlug();
  const project = useCurrentProject();
  const user = useAuthStatus().data?.user;
  if (slug === ALL_PROJECTS || !project || !user || isCompleted(user.id, slug)) return null;
  return <Checklist key={`${user.id}/${slug}`} slug={slug} userId={user.id} name={user.name ?? ''} admin={project.role === 'admin'} pane={pane} focusOnOpen={focusOnOpen} />;
}
