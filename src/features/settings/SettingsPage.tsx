import { Card } from '../../app/ui.tsx';
import { setDensity, useCompact } from '../feed/density.ts';
import { useAuthStatus } from '../auth/api.ts';
import { AccountCard } from '../auth/AccountCard.tsx';
import { ProjectAdmin } from '../projects/ProjectAdmin.tsx';
import { InstallCard } from '../install/InstallCard.tsx';
import { PushSettings } from '../push/PushSettings.tsx';
import { ApiKeys } from './ApiKeys.tsx';
import { WebhookSecret } from './WebhookSecret.tsx';
import { useCurrentProject } from '../projects/api.ts';
import { Members } from '../projects/Members.tsx';
import { ProjectNotifications } from '../projects/Notifications.tsx';

/** How dense the feed is, remembered on this device. */
function DisplaySettings() {
  const compact = useCompact();
  return (
    <Card className="flex flex-wrap items-center justify-between gap-3">
      <div>
        <h2 className="text-lg font-semibold">Display</h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">A compact list shows about twice as many events: on a wide screen one line each, the open event beside them; on a phone one line of content and the actions in a row. Until you choose, wide screens are compact.</p>
      </div>
      <button
        type="button"
        role="switch"
        aria-checked={compact}
        onClick={() => setDensity(compact ? 'comfortable' : 'compact')}
        className="flex min-h-11 items-center gap-2 rounded-lg bg-white px-3 text-sm font-medium text-slate-800 ring-1 ring-slate-300 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700"
      >
        <span aria-hidden="true" className={`relative h-5 w-9 rounded-full transition-colors ${compact ? 'bg-sky-700 dark:bg-sky-400' : 'bg-slate-300 dark:bg-slate-600'}`}>
          <span className={`absolute top-0.5 size-4 rounded-full bg-white transition-all ${compact ? 'left-4.5' : 'left-0.5'}`} />
        </span>
        Compact list
      </button>
    </Card>
  );
}

export function SettingsPage() {
  const project = useCurrentProject();
  const admin = project?.role === 'admin';
  const owner = useAuthStatus().data?.user?.role === 'owner';
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Settings{project ? ` · ${project.name}` : ''}</h1>
      <DisplaySettings />
      <InstallCard />
      <PushSettings />
      {project && <ProjectNotifications slug={project.slug} projectName={project.name} />}
      {project && admin && (
        <>
          <ProjectAdmin project={project} owner={owner} />
          <Members slug={project.slug} projectName={project.name} />
          <ApiKeys />
          <WebhookSecret />
        </>
      )}
      {project && !admin && (
        <Card>
          <h2 className="text-lg font-semibold">Members, API keys and webhook secret</h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">Only admins of {project.name} see and change them. You are a {project.role} here.</p>
        </Card>
      )}
      <AccountCard />
    </div>
  );
}
