import { useEffect } from 'react';
import { useAuthStatus } from '../features/auth/api.ts';
import { SetupPage, SignInPage } from '../features/auth/AuthPage.tsx';
import { EventPage } from '../features/feed/EventPage.tsx';
import { FeedPage } from '../features/feed/FeedPage.tsx';
import { useLiveChannel } from '../features/feed/live.ts';
import { resyncPush } from '../features/push/api.ts';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { Link, navigate, useLocation } from '../lib/router.tsx';
import { ActivityPage } from '../features/projects/ActivityPage.tsx';
import { useProjects } from '../features/projects/api.ts';
import { projectFromPath, projectHref } from '../features/projects/current.ts';
import { InvitePage, ResetPasswordPage } from '../features/projects/InvitePage.tsx';
import { Layout } from './Layout.tsx';
import { Alert, Button } from './ui.tsx';

/** A project this person is not in (any more): said plainly, with the ones they are in. */
function NotAMember({ slug }: { slug: string }) {
  const projects = useProjects().data ?? [];
  return (
    <div className="flex flex-col items-center gap-3 py-10 text-center">
      <h1 className="text-lg font-semibold">You are not a member of “{slug}”</h1>
      <p className="text-sm text-slate-700 dark:text-slate-300">It does not exist, or an admin removed you from it.</p>
      {projects.length > 0 ? (
        <ul className="flex flex-wrap justify-center gap-2">
          {projects.map((p) => (
            <li key={p.slug}>
              <Link href={projectHref(p.slug, '/')} className="inline-flex min-h-11 items-center rounded-lg px-3 font-medium text-sky-800 underline dark:text-sky-300">
                {p.name}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">You are in no project yet: ask an admin for an invite link.</p>
      )}
    </div>
  );
}

function SignedIn() {
  const { path, search } = useLocation();
  const { slug, rest } = projectFromPath(path);
  const projects = useProjects();
  const member = projects.data?.some((p) => p.slug === slug) ?? false;
  useLiveChannel(member ? slug : null, search.get('test') === '1');
  useEffect(() => {
    // A setup link opened while signed in: the owner exists, so on to the feed.
    if (path === '/setup') navigate('/', { replace: true });
  }, [path]);
  useEffect(() => {
    // Each time the app opens, this device's push subscription is re-synced (a rotated one too).
    resyncPush().catch(() => undefined);
  }, []);
  const eventMatch = /^\/events\/([^/]+)$/.exec(rest);
  let page: React.ReactNode;
  if (path === '/invite') page = <InvitePage />;
  else if (projects.isSuccess && !member) page = <NotAMember slug={slug} />;
  else if (eventMatch) page = <EventPage id={decodeURIComponent(eventMatch[1]!)} />;
  else if (rest === '/settings') page = <SettingsPage />;
  else if (rest === '/activity') page = <ActivityPage />;
  else if (rest === '/' || path === '/setup') page = <FeedPage />;
  else page = <p className="py-10 text-center text-slate-500">This page does not exist.</p>;
  return <Layout>{page}</Layout>;
}

export function App() {
  const status = useAuthStatus();
  const { path } = useLocation();
  if (status.isPending) return null;
  if (status.isError) {
    return (
      <main className="mx-auto flex max-w-md flex-col gap-3 px-4 py-16">
        <Alert>{status.error.message}</Alert>
        <Button onClick={() => void status.refetch()}>Try again</Button>
      </main>
    );
  }
  if (path === '/setup' && !status.data.user) return <SetupPage />;
  if (path === '/invite' && !status.data.user) return <InvitePage />;
  if (path === '/reset-password') return <ResetPasswordPage />;
  if (!status.data.user) return <SignInPage />;
  return <SignedIn />;
}
