import { useEffect } from 'react';
import { useAuthStatus } from '../features/auth/api.ts';
import { SetupPage, SignInPage } from '../features/auth/AuthPage.tsx';
import { EventPage } from '../features/feed/EventPage.tsx';
import { FeedPage } from '../features/feed/FeedPage.tsx';
import { useLiveChannel } from '../features/feed/live.ts';
import { resyncPush } from '../features/push/api.ts';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { navigate, useLocation } from '../lib/router.tsx';
import { Layout } from './Layout.tsx';
import { Alert, Button } from './ui.tsx';

function SignedIn() {
  const { path, search } = useLocation();
  useLiveChannel(search.get('test') === '1');
  useEffect(() => {
    // A setup link opened while signed in: the owner exists, so on to the feed.
    if (path === '/setup') navigate('/', { replace: true });
  }, [path]);
  useEffect(() => {
    // Each time the app opens, this device's push subscription is re-synced (a rotated one too).
    resyncPush().catch(() => undefined);
  }, []);
  const eventMatch = /^\/events\/([^/]+)$/.exec(path);
  let page: React.ReactNode;
  if (eventMatch) page = <EventPage id={decodeURIComponent(eventMatch[1]!)} />;
  else if (path === '/settings') page = <SettingsPage />;
  else if (path === '/' || path === '/setup') page = <FeedPage />;
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
  if (!status.data.user) return <SignInPage />;
  return <SignedIn />;
}
