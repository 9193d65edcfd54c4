/**
 * Settings in two parts: Personal (display, this device, account) and Project · <name> (your
 * notifications; for admins members, API keys, integrations, the webhook secret and the project), with a
 * sub-navigation to each part and section: from 1024 px a sticky column beside them, on a phone a row
 * of chips under the title.
 */
import { t } from '../../i18n/i18n.ts';
import { useAuthStatus } from '../auth/api.ts';
import { useCurrentProject } from '../projects/api.ts';
import { PersonalSettings, personalPart } from './PersonalSettings.tsx';
import { ProjectSettings, projectPart } from './ProjectSettings.tsx';
import { SettingsNav } from './SettingsNav.tsx';

export function SettingsPage() {
  const project = useCurrentProject();
  const owner = useAuthStatus().data?.user?.role === 'owner';
  const parts = project ? [personalPart(), projectPart(project, owner)] : [personalPart()];
  return (
    // From 1024 px the page is wider than the app's reading column (48rem): a column for the
    // sub-navigation beside the content, centred on the window.
    <div className="flex flex-col gap-3 lg:ms-[calc(50%_-_min(32rem,calc(50vw_-_1.5rem)))] lg:grid lg:w-[min(64rem,calc(100vw_-_3rem))] lg:grid-cols-[13rem_minmax(0,1fr)] lg:gap-x-10 lg:gap-y-4">
      <h1 className="text-2xl font-bold lg:col-span-2">{project ? t('settings.titleProject', { project: project.name }) : t('settings.title')}</h1>
      <SettingsNav parts={parts} />
      <div className="flex min-w-0 flex-col gap-8">
        <PersonalSettings />
        {project && <ProjectSettings project={project} owner={owner} />}
      </div>
    </div>
  );
}
