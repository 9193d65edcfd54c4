import { useEffect } from 'react';
import type { ProjectDto } from '../../../contract/api.ts';
import { navigate, useLocation } from '../../lib/router.tsx';
import { useProjects } from './api.ts';
import { ALL_PROJECTS, ALL_PROJECTS_PATH, isAllProjectsPath, projectFromPath, projectHref } from './current.ts';
import { t } from '../../i18n/i18n.ts';

/** The filters (query string) last used in each project, so switching back finds them as they were. */
const lastSearch = new Map<string, string>();

/** The server counts up to 1000. */
const count = (n: number) => (n >= 1000 ? '999+' : String(n));

/** "Ops · 12 open · 3 to act": what waits in each project, before opening it. */
function projectOptionLabel(p: Pick<ProjectDto, 'name' | 'open' | 'pressable'>): string {
  const parts = [p.name];
  if (p.open > 0) parts.push(t('feed.project.open', { count: p.open, shown: count(p.open) }));
  if (p.pressable > 0) parts.push(t('feed.project.toAct', { count: p.pressable, shown: count(p.pressable) }));
  return parts.join(' · ');
}

/**
 * The control named "Project": the person's projects, each with how many events are open and how
 * many actions can still be pressed, and (with more than one) All projects; choosing one opens its feed.
 */
export function ProjectSwitcher() {
  const { path } = useLocation();
  const all = isAllProjectsPath(path);
  const { slug, rest } = projectFromPath(path);
  const projects = useProjects();
  const key = all ? ALL_PROJECTS : slug;
  useEffect(() => {
    if (rest === '/' || all) lastSearch.set(key, location.search);
  });
  const list = projects.data ?? [];
  if (list.length === 0) return null;
  const known = all || list.some((p) => p.slug === slug);
  return (
    <select
      aria-label={t('feed.project.label')}
      data-project-switcher=""
      value={known ? key : ''}
      onChange={(e) => {
        // The effect above has kept this project's filters after every render.
        const next = e.target.value;
        navigate(`${next === ALL_PROJECTS ? ALL_PROJECTS_PATH : projectHref(next, '/')}${lastSearch.get(next) ?? ''}`);
      }}
      className="min-h-11 max-w-[9.5rem] truncate sm:max-w-[16rem] rounded-lg border border-slate-300 bg-white px-2 text-sm font-medium dark:border-slate-700 dark:bg-slate-900"
    >
      {!known && <option value="">—</option>}
      {(list.length > 1 || all) && <option value={ALL_PROJECTS}>{t('feed.title.all')}</option>}
      {list.map((p) => (
        <option key={p.slug} value={p.slug}>
          {projectOptionLabel(p)}
        </option>
      ))}
    </select>
  );
}
