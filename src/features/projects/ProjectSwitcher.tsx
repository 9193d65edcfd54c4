import { useEffect } from 'react';
import { navigate, useLocation } from '../../lib/router.tsx';
import { useProjects } from './api.ts';
import { projectFromPath, projectHref } from './current.ts';

/** The filters (query string) last used in each project, so switching back finds them as they were. */
const lastSearch = new Map<string, string>();

/** The control named "Project": lists the person's projects; choosing one opens its feed. */
export function ProjectSwitcher() {
  const { path } = useLocation();
  const { slug, rest } = projectFromPath(path);
  const projects = useProjects();
  useEffect(() => {
    if (rest === '/') lastSearch.set(slug, location.search);
  });
  const list = projects.data ?? [];
  if (list.length === 0) return null;
  return (
      <select
        aria-label="Project"
        value={list.some((p) => p.slug === slug) ? slug : ''}
        onChange={(e) => {
          // The effect above has kept this project's filters after every render.
          const next = e.target.value;
          navigate(`${projectHref(next, '/')}${lastSearch.get(next) ?? ''}`);
        }}
        className="min-h-11 max-w-[8.5rem] truncate sm:max-w-[12rem] rounded-lg border border-slate-300 bg-white px-2 text-sm font-medium dark:border-slate-700 dark:bg-slate-900"
      >
        {!list.some((p) => p.slug === slug) && <option value="">—</option>}
        {list.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.name}
          </option>
        ))}
      </select>
  );
}
