import { Button, Card } from '../../app/ui.tsx';
import { useAuthStatus, useSignOut } from '../auth/api.ts';
import { InstallCard } from '../install/InstallCard.tsx';
import { PushSettings } from '../push/PushSettings.tsx';
import { ApiKeys } from './ApiKeys.tsx';
import { WebhookSecret } from './WebhookSecret.tsx';

export function SettingsPage() {
  const status = useAuthStatus();
  const signOut = useSignOut();
  const owner = status.data?.user?.role === 'owner';
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Settings</h1>
      <InstallCard />
      <PushSettings />
      {owner ? (
        <>
          <ApiKeys />
          <WebhookSecret />
        </>
      ) : (
        <Card>
          <h2 className="text-lg font-semibold">API keys and webhook secret</h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">Only the owner of this Switchboard can see and change them.</p>
        </Card>
      )}
      <Card className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold">Account</h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">Signed in as {status.data?.user?.email}</p>
        </div>
        <Button onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          Sign out
        </Button>
      </Card>
    </div>
  );
}
