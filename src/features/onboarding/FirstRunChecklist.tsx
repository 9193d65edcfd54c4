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
import { t } from '../../i18n/i18n.ts';

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
      {t('feed.start.actionIntro')}{' '}
      <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} className={`${action} -my-2`}>
        {open ? t('feed.start.hideSnippet') : t('feed.start.showSnippet')}
      </button>
      <span id={id} className={open ? 'mt-1 flex flex-col gap-1' : 'hidden'}>
        {open && (
          <>
            <span className="flex items-center justify-between gap-2">
              <span className="text-xs text-slate-600 dark:text-slate-400">{t('feed.start.endpoint')}</span>
              <CopyButton text={code} what={t('feed.start.snippetWhat')} />
            </span>
            <code dir="ltr" className="block overflow-x-auto whitespace-pre rounded-lg bg-slate-900 p-2 font-mono text-xs leading-5 text-slate-100 dark:bg-black">{code}</code>
          </>
        )}
      </span>
    </>
  );
}

function NotificationsAction() {
  const enable = useEnablePush();
  if (isIosSafari(navigator.userAgent) && !isStandalone()) return <span className="text-xs text-slate-600 dark:text-slate-400">{t('feed.start.iosFirst')}</span>;
  if (!pushSupported()) return <span className="text-xs text-slate-600 dark:text-slate-400">{t('feed.start.noPush')}</span>;
  if (Notification.permission === 'denied') return <span className="text-xs text-slate-600 dark:text-slate-400">{t('feed.start.blocked')}</span>;
  return (
    <span className="flex flex-col items-end">
      <button type="button" className={action} disabled={enable.isPending} onClick={() => enable.mutate()} aria-label={t('feed.start.pushLabel')}>
        {enable.isPending ? t('feed.start.turningOn') : t('feed.start.turnOn')}
      </button>
      {enable.error && (
        <span role="alert" className="max-w-64 text-end text-xs text-red-700 dark:text-red-400">
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
          {t('feed.start.install')}
        </button>
      ) : (
        <Link href={settings} className={action} aria-label={t('feed.start.howLabel')}>
          {t('feed.start.how')}
        </Link>
      )}
      <button type="button" className={quiet} onClick={onSkip} aria-label={t('feed.start.skipLabel')}>
        {t('feed.start.skip')}
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
    {
      id: 'name',
      label: t('feed.start.name'),
      done: name.trim() !== '',
      action: (
        <SectionLink path={settings} id="account" label={t('feed.start.nameLabel')}>
          {t('feed.start.nameAction')}
        </SectionLink>
      ),
    },
  ];
  if (admin) {
    steps.push(
      {
        id: 'key',
        label: t('feed.start.key'),
        done: p?.key ?? false,
        action: (
          <SectionLink path={settings} id="api-keys" label={t('feed.start.keyLabel')}>
            {t('feed.start.keyAction')}
          </SectionLink>
        ),
      },
      {
        id: 'event',
        label: t('feed.start.event'),
        done: p?.event ?? false,
        action: (
          <SectionLink path={projectHref(slug, '/')} id="send-first-event" label={t('feed.start.eventLabel')}>
            {t('feed.start.eventAction')}
          </SectionLink>
        ),
      },
      { id: 'action', label: t('feed.start.action'), done: p?.action ?? false, detail: <ActionExample /> },
      {
        id: 'teammate',
        label: t('feed.start.teammate'),
        done: p?.teammate ?? false,
        action: (
          <SectionLink path={settings} id="members" label={t('feed.start.teammateLabel')}>
            {t('feed.start.teammateAction')}
          </SectionLink>
        ),
      },
    );
  }
  steps.push(
    {
      id: 'install',
      label: t('feed.install.title'),
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
    { id: 'notifications', label: t('feed.start.push'), done: pushOn, action: <NotificationsAction /> },
  );

  const known = (!admin || p !== undefined) && !devices.isPending;
  const done = steps.filter((s) => s.done).length;
  const total = steps.length;
  const allDone = known && done === total;

  useEffect(() => {
    if (allDone) markCompleted(userId, slug);
    // The folded line says it before this loads next time (FirstRunEntry).
    else if (known) storeSummary(userId, slug, done, total);
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

  if (isFolded) return <FoldedChecklist ref={foldButton} label={known ? t('feed.start.folded', { done, total }) : t('feed.start.title')} onOpen={() => fold(false)} />;
  if (!known) return null;

  return (
    <section aria-labelledby={titleId} className="rounded-xl border border-slate-200 bg-white px-3 pt-1 pb-2 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-center gap-3">
        <h2 id={titleId} className="text-base font-semibold">
          {t('feed.start.title')}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {t('feed.start.done', { done, total })}
        </p>
        <button ref={hideButton} type="button" aria-expanded={true} onClick={() => fold(true)} className={`${quiet} ms-auto`}>
          {t('feed.start.hide')}
        </button>
      </div>
      <ul aria-label={t('feed.start.steps')} className={`grid gap-x-6 ${pane ? '' : 'sm:grid-cols-2'}`}>
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
              <span className="sr-only">{s.done ? t('feed.start.doneMark') : t('feed.start.todoMark')} </span>
              {s.label}
            </span>
            {!s.done && s.action}
            {!s.done && s.detail && <span className="basis-full pb-1 ps-7 text-xs text-slate-700 dark:text-slate-300">{s.detail}</span>}
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
