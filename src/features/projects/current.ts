/**
 * Which project the app shows, from its URL: `/p/<slug>/…` (the feed, an event, Settings, Activity of
 * that project), or the older paths without a project for `default`. The URL is the one source, so a
 * link, a reload and back/forward all land in the right project.
 */
import { DEFAULT_PROJECT, projectHref } from '../../../contract/api.ts';
import { ALL_PROJECTS_PATH, inAllProjects, matchAppPage, openEventOf, PROJECT_PREFIX } from '../../../contract/appPages.ts';
import { createContext, useContext } from 'react';
import { useLocation } from '../../lib/router.tsx';

export interface ProjectPath {
  slug: string;
  /** The page inside the project: `/`, `/events/<id>`, `/settings`, `/activity`. */
  rest: string;
}

export function projectFromPath(path: string): ProjectPath {
  const m = PROJECT_PREFIX.exec(path);
  if (!m) return { slug: DEFAULT_PROJECT, rest: path };
  return { slug: m[1]!, rest: m[2] && m[2] !== '' ? m[2] : '/' };
}

export { projectHref };

/** The API path of a project's route: `/api/projects/<slug>/<rest>`. */
export const projectApi = (slug: string, rest: string) => `/api/projects/${encodeURIComponent(slug)}/${rest}`;

export function useProjectPath(): ProjectPath {
  return projectFromPath(useLocation().path);
}

export { ALL_PROJECTS_PATH };
/** The All projects feed, or an event opened beside it (`/all/events/<id>`). */
export const isAllProjectsPath = (path: string) => inAllProjects(matchAppPage(path));
/** Its feed's key where a project's slug would be (no slug can be `*`). */
export const ALL_PROJECTS = '*';

/**
 * Inside the All projects feed each event is shown in its own project: its links, its role, its
 * routes. Set around an event there; elsewhere the URL says which project.
 */
const Scope = createContext<string | null>(null);
export const ProjectScope = Scope.Provider;
/** The project an event shown here belongs to, when it is shown outside its project (All projects). */
export const useScopedProject = () => useContext(Scope);

export function useProjectSlug(): string {
  const scoped = useContext(Scope);
  const fromPath = useProjectPath().slug;
  return scoped ?? fromPath;
}


/** The event open on this page (a project's event page, or one beside the All projects feed), if any. */
export const useOpenEventId = (): string | null => openEventOf(matchAppPage(useLocation().path));
