import { useProjects } from './api.ts';
import { useScopedProject } from './current.ts';
import { t } from '../../i18n/i18n.ts';

/** In the All projects feed: which project an event belongs to (nothing inside a project's own feed). */
export function ProjectLabel() {
  const scoped = useScopedProject();
  const projects = useProjects().data;
  if (scoped === null) return null;
  const name = projects?.find((p) => p.slug === scoped)?.name ?? scoped;
  return (
    <span className="w-fit shrink-0 rounded-md bg-sky-50 px-1.5 py-0.5 text-xs font-semibold text-sky-900 ring-1 ring-sky-200 dark:bg-sky-950 dark:text-sky-100 dark:ring-sky-800">
      <span className="sr-only">{t('feed.project.label')} </span>
      {name}
    </span>
  );
}
