/**
 * The PWA's pages, in one table: the server answers these paths with the app (200) and any other path
 * with 404, so a monitoring probe or a typo never gets the app's HTML with a 200; the app picks the
 * page to show from the same table.
 */
import { DEFAULT_PROJECT } from './api.ts';

/** The All projects feed: every project a person is in, in one list. */
export const ALL_PROJECTS_PATH = '/all';

/** Pages outside any project. */
export type TopPage = 'setup' | 'invite' | 'reset-password' | 'all';
/** Pages of one project (after `/p/<slug>`, or without it for the default project). */
export type ProjectPage = 'feed' | 'event' | 'settings' | 'activity' | 'insights';

export type AppPage =
  | { kind: 'top'; page: TopPage }
  /** `/all/events/<id>`: an event opened beside the All projects feed. */
  | { kind: 'all-event'; eventId: string }
  | { kind: 'project'; page: ProjectPage; project: string; /** The event's id (`event` only). */ eventId: string | null };

const TOP_PAGES: Record<string, TopPage> = { '/setup': 'setup', '/invite': 'invite', '/reset-password': 'reset-password', [ALL_PROJECTS_PATH]: 'all' };
const PROJECT_PAGES: Record<string, ProjectPage> = { '/': 'feed', '/settings': 'settings', '/activity': 'activity', '/insights': 'insights' };
/** `/p/<slug>` and what follows it. */
export const PROJECT_PREFIX = /^\/p\/([a-z0-9-]{1,40})(\/.*)?$/;
const EVENT_PAGE = /^\/events\/([^/]+)$/;
const ALL_EVENT_PAGE = /^\/all(\/events\/[^/]+)$/;

const eventIdOf = (rest: string): string | null => {
  const event = EVENT_PAGE.exec(rest);
  if (!event) return null;
  try {
    return decodeURIComponent(event[1]!);
  } catch {
    return null; // a broken %-escape is no event's id
  }
};

/** The page a path shows; null: none (the server answers 404, the app says the page does not exist). */
export function matchAppPage(path: string): AppPage | null {
  const top = TOP_PAGES[path];
  if (top) return { kind: 'top', page: top };
  const all = ALL_EVENT_PAGE.exec(path);
  if (all) {
    const eventId = eventIdOf(all[1]!);
    return eventId === null ? null : { kind: 'all-event', eventId };
  }
  const m = PROJECT_PREFIX.exec(path);
  const project = m ? m[1]! : DEFAULT_PROJECT;
  const rest = m ? m[2] || '/' : path;
  const page = Object.hasOwn(PROJECT_PAGES, rest) ? PROJECT_PAGES[rest] : undefined;
  if (page) return { kind: 'project', page, project, eventId: null };
  const eventId = eventIdOf(rest);
  return eventId === null ? null : { kind: 'project', page: 'event', project, eventId };
}

export const isAppPage = (path: string): boolean => matchAppPage(path) !== null;

/** The event a page shows: a project's event page, or one beside the All projects feed. */
export const openEventOf = (page: AppPage | null): string | null => (page?.kind === 'project' || page?.kind === 'all-event' ? page.eventId : null);

/** The All projects feed, or an event opened beside it. */
export const inAllProjects = (page: AppPage | null): boolean => (page?.kind === 'top' && page.page === 'all') || page?.kind === 'all-event';
