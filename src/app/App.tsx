import { Suspense, useEffect, useRef } from 'react';
import { lazyRetry } from '../lib/lazy.ts';
import { SharedAuthStatus, useAuthStatus, useAuthStatusQuery } from '../features/auth/api.ts';
import { FeedPage } from '../features/feed/FeedPage.tsx';
import { useLiveChannel } from '../features/feed/live.ts';
import { navigate, useLocation } from '../lib/router.tsx';
import { SharedProjects, useProjectsQuery } from '../features/projects/api.ts';
import { ALL_PROJECTS, projectFromPath, projectHref } from '../features/projects/current.ts';
import { inAllProjects, matchAppPage } from '../../contract/appPages.ts';
import { landingProject, lastProject, rememberProject } from '../features/projects/landing.ts';
import { Layout } from './Layout.tsx';
import { useWide } from '../lib/useMedia.ts';
import { useShortcuts } from '../features/workspace/useShortcuts.ts';
import { AllProjectsEvent, EventPage } from '../features/workspace/lazyPages.ts';
import { Alert, Button } from '../components/ui.tsx';
import { useAccountLocale } from '../i18n/useAccountLocale.ts';
import { t } from '../i18n/i18n.ts';

/**
 * Pages other than the feed load when opened, so the first screen's bundle holds only the feed:
 * Insights (and its chart library), Settings, Activity, the invite and password-reset pages. The
 * service worker precaches them all, so they open offline too.
 */
/** The two panes only exist from 1024 px: a phone never loads them. */
const Workspace = lazyRetry(() => import('../features/workspace/Workspace.tsx').then((m) => ({ default: m.Workspace })));
const InsightsPage = lazyRetry(() => import('../features/insights/InsightsPage.tsx'), 'pages');
const SettingsPage = lazyRetry(() => import('../features/settings/SettingsPage.tsx').then((m) => ({ default: m.SettingsPage })), 'settings');
const ActivityPage = lazyRetry(() => import('../features/projects/ActivityPage.tsx').then((m) => ({ default: m.ActivityPage })), 'pages');
const InvitePage = lazyRetry(() => import('../features/projects/InvitePage.tsx').then((m) => ({ default: m.InvitePage })), 'pages');
const ResetPasswordPage = lazyRetry(() => import('../features/projects/InvitePage.tsx').then((m) => ({ default: m.ResetPasswordPage })), 'pages');
/** A project this person is not in (any more): rare, so loaded when it happens. */
const NotAMember = lazyRetry(() => import('./NotAMember.tsx').then((m) => ({ default: m.NotAMember })), 'pages');
const SignInPage = lazyRetry(() => import('../features/auth/AuthPage.tsx').then((m) => ({ default: m.SignInPage })), 'pages');
const SetupPage = lazyRetry(() => import('../features/auth/AuthPage.tsx').then((m) => ({ default: m.SetupPage })), 'pages');
function Loading() {
  return (
    <p className="py-10 text-center text-sm text-slate-500" aria-live="polite">
      {t('core.loading')}
    </p>
  );
}
const loading = <Loading />;
const later = (page: React.ReactNode) => <Suspense fallback={loading}>{page}</Suspense>;

function SignedIn() {
  const { path, search } = useLocation();
  // The page, from the one table the server's 404 rule reads too.
  const match = matchAppPage(path);
  const { slug } = projectFromPath(path);
  const projects = useProjectsQuery();
  const userId = useAuthStatus().data?.user?.id ?? null;
  const member = projects.data?.some((p) => p.slug === slug) ?? false;
  // The All projects feed, or an event opened beside it.
  const all = inAllProjects(match);
  useLiveChannel(all ? ALL_PROJECTS : member ? slug : null, search.get('test') === '1');
  // Opening the app at `/` lands where this person works: their last-used project, or their only one.
  // Decided once, when the app opens: choosing Default in the switcher later goes to `/` and stays.
  const opened = useRef(false);
  const ready = userId !== null && projects.data !== undefined;
  const landing = !opened.current && ready && path === '/' ? landingProject(projects.data!, lastProject(userId!)) : null;
  useEffect(() => {
    if (!ready) return;
    opened.current = true;
    if (landing !== null) {
      const query = search.toString();
      navigate(`${projectHref(landing, '/')}${query ? `?${query}` : ''}`, { replace: true });
    } else if (member && !all) rememberProject(userId!, slug);
  }, [ready, landing, search, userId, member, slug, all]);
  useEffect(() => {
    // A setup link opened while signed in: the owner exists, so on to the feed.
    if (path === '/setup') navigate('/', { replace: true });
  }, [path]);
  useEffect(() => {
    // Each time the app opens, this device's push subscription is re-synced (a rotated one too).
    // Only where push is on: elsewhere the push code is not even loaded.
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      import('../features/push/api.ts').then((m) => m.resyncPush()).catch(() => undefined);
    }
  }, []);
  const projectPage = match?.kind === 'project' ? match.page : null;
  const eventId = match?.kind === 'project' ? match.eventId : null;
  const wide = useWide();
  useShortcuts(wide);
  // From 1024 px the feed and an event share the screen: one component for both paths keeps the feed mounted.
  const workspace = wide && (projectPage === 'feed' || projectPage === 'event');
  let page: React.ReactNode;
  if (landing !== null) page = loading;
  else if (match === null) page = <p className="py-10 text-center text-slate-500">{t('core.notFound')}</p>;
  else if (match.kind === 'top') {
    if (match.page === 'invite') page = later(<InvitePage />);
    else if (match.page === 'all') page = wide ? later(<Workspace eventId={null} project={ALL_PROJECTS} />) : <FeedPage project={ALL_PROJECTS} />;
    else page = loading; // setup or reset while signed in: on the way to the feed (the effects above)
  } else if (match.kind === 'all-event') {
    page = later(wide ? <Workspace eventId={match.eventId} project={ALL_PROJECTS} /> : <AllProjectsEvent id={match.eventId} />);
  } else if (projects.isSuccess && !member) page = later(<NotAMember slug={slug} />);
  else if (workspace) page = later(<Workspace eventId={eventId} />);
  else if (match.page === 'event') page = later(<EventPage id={match.eventId!} />);
  else if (match.page === 'settings') page = later(<SettingsPage />);
  else if (match.page === 'activity') page = later(<ActivityPage />);
  else if (match.page === 'insights') page = later(<InsightsPage />);
  else page = <FeedPage />;
  return (
    <SharedProjects.Provider value={projects}>
      <Layout wide={workspace || (all && wide)}>{page}</Layout>
    </SharedProjects.Provider>
  );
}

export function App() {
  const status = useAuthStatusQuery();
  return (
    <SharedAuthStatus.Provider value={status}>
      <AppFor status={status} />
    </SharedAuthStatus.Provider>
  );
}

/** index.html's header bar (src/index.css .shell-bar), drawn again while the status is asked for. */
function ShellBar() {
  return (
    <div className="shell-bar" aria-hidden="true">
      <div className="shell-row">
        <img src="/favicon.svg" alt="" width={28} height={28} />
      </div>
    </div>
  );
}

function AppFor({ status }: { status: ReturnType<typeof useAuthStatusQuery> }) {
  const { path } = useLocation();
  useAccountLocale(status.data?.user?.locale);
  // Still asking who is signed in: index.html's frame stays as it was (its bar, its logo from 640 px).
  if (status.isPending) return <ShellBar />;
  if (status.isError) {
    return (
      <main className="mx-auto flex max-w-md flex-col gap-3 px-4 py-16">
        <Alert>{status.error.message}</Alert>
        <Button onClick={() => void status.refetch()}>{t('core.tryAgain')}</Button>
      </main>
    );
  }
  if (path === '/setup' && !status.data.user) return later(<SetupPage />);
  if (path === '/invite' && !status.data.user) return later(<InvitePage />);
  if (path === '/reset-password') return later(<ResetPasswordPage />);
  if (!status.data.user) return later(<SignInPage />);
  return <SignedIn />;
}
