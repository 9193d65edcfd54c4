/**
 * Settings → Project · <name>: your notifications from it; its press policy (admins change it, everyone
 * reads it); then, for its admins, Members, API keys, Integrations, the webhook secret and the project itself
 * (rename; owners also create and delete) last.
 */
import type { ProjectDto } from '../../../contract/api.ts';
import { Card } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
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
    label: t('settings.project.title', { project: project.name }),
    sections: [
      { id: 'project-notifications', label: t('settings.notifications.title') },
      { id: 'policy', label: t('settings.policy.title') },
      ...(admin
        ? [
            { id: 'members', label: t('settings.members.title') },
            { id: 'api-keys', label: t('settings.keys.title') },
            { id: 'integrations', label: t('settings.integrations.title') },
            { id: 'webhook-secret', label: t('settings.nav.webhookSecret') },
            { id: 'project-admin', label: owner ? t('settings.nav.projectAdmin') : t('settings.common.rename') },
          ]
        : []),
    ],
  };
}

export function ProjectSettings({ project, owner }: { project: ProjectDto; owner: boolean }) {
  const admin = project.role === 'admin';
  return (
    <section id="project" aria-labelledby="project-title" className="flex flex-col gap-4 border-t border-slate-200 pt-6 dark:border-slate-800">
      <PartHeading id="project-title" title={t('settings.project.title', { project: project.name })}>
        {t(admin ? 'settings.project.introAdmin' : 'settings.project.intro', { project: project.name })}
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
          <h2 className="text-lg font-semibold">{t('settings.project.adminOnlyTitle')}</h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">{t('settings.project.adminOnlyText', { project: project.name, role: project.role })}</p>
        </Card>
      )}
    </section>
  );
}
