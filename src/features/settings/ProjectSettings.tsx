/**
 * Settings → Project · <name>: your notifications from it; its press policy (admins change it, everyone
 * reads it); then, for its admins, Members, API keys, Integrations, the webhook secret and the project itself
 * (rename; owners also create and delete) last.
 */
import type { ProjectDto } from '../../../contract/api.ts';
import { Card } from '../../components/ui.tsx';
import { Members } from '../projects/Members.tsx';
import { ProjectNotifications } from '../projects/Notifications.tsx';
import { ProjectAdmin } from '../projects/ProjectAdmin.tsx';
import { ApiKeys } from './ApiKeys.tsx';
import { Integrations } from './Integrations.tsx';
import { type NavPart, PartHeading } from './SettingsNav.tsx';
import { WebhookSecret } from './WebhookSecret.tsx';
import { PolicySettings } from '../policy/PolicySettings.tsx';

export function projectPart(project: ProjectDto, owner: boolean): NavPart {
  const admin = project.role === 'admin';
  return {
    id: 'project',
    label: `Project · ${project.name}`,
    sections: [
      { id: 'project-notifications', label: 'Notifications' },
      { id: 'policy', label: 'Policy' },
      ...(admin
        ? [
            { id: 'members', label: 'Members' },
            { id: 'api-keys', label: 'API keys' },
            { id: 'integrations', label: 'Integrations' },
            { id: 'webhook-secret', label: 'Webhook secret' },
            { id: 'project-admin', label: owner ? 'Rename, new, delete' : 'Rename' },
          ]
        : []),
    ],
  };
}

export function ProjectSettings({ project, owner }: { project: ProjectDto; owner: boolean }) {
  const admin = project.role === 'admin';
  return (
    <section id="project" aria-labelledby="project-title" className="flex flex-col gap-4 border-t border-slate-200 pt-6 dark:border-slate-800">
      <PartHeading id="project-title" title={`Project · ${project.name}`}>
        {admin ? `For ${project.name} only: your notifications from it, then what its admins manage.` : `For ${project.name} only: your notifications from it.`}
      </PartHeading>
      <div id="project-notifications">
        <ProjectNotifications slug={project.slug} projectName={project.name} />
      </div>
      <PolicySettings slug={project.slug} admin={admin} />
      {admin ? (
        <>
          <Members slug={project.slug} projectName={project.name} />
          <ApiKeys />
          <Integrations />
          <div id="webhook-secret">
            <WebhookSecret />
          </div>
          <ProjectAdmin project={project} owner={owner} />
        </>
      ) : (
        <Card>
          <h2 className="text-lg font-semibold">Members, API keys, integrations and webhook secret</h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">Only admins of {project.name} see and change them. You are a {project.role} here.</p>
        </Card>
      )}
    </section>
  );
}
