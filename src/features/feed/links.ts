/**
 * The feed's filters live in the URL (`q`, `category`, `user`, `test`, `unhandled`, `state`,
 * `assignee`). An event opened
 * from the feed carries them along, so that beside the feed (two panes), on the way back (← All
 * events), after a reload and in a shared link the feed is the one it was.
 */
import { projectHref } from '../../../contract/api.ts';
import { ALL_PROJECTS_PATH } from '../../../contract/appPages.ts';

export const FEED_PARAMS = ['q', 'category', 'user', 'test', 'unhandled', 'state', 'assignee'] as const;

/** The feed's own parameters out of a query string (anything else — `confirm` — stays behind). */
export function feedParams(search: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const name of FEED_PARAMS) {
    const v = search.get(name);
    if (v) out.set(name, v);
  }
  return out;
}

const withQuery = (path: string, params: URLSearchParams) => {
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
};

/** An event of a project, keeping the feed's filters of `search`. */
export const eventHref = (slug: string, id: string, search: URLSearchParams) =>
  withQuery(projectHref(slug, `/events/${encodeURIComponent(id)}`), feedParams(search));

/** The feed of a project with the filters of `search`, changed by `changes` (null removes one). */
export function feedHref(slug: string, search: URLSearchParams, changes: Partial<Record<(typeof FEED_PARAMS)[number], string | null>> = {}): string {
  const params = feedParams(search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') params.delete(k);
    else params.set(k, v);
  }
  return withQuery(projectHref(slug, '/'), params);
}

/** An event opened beside the All projects feed (it stays that feed, with its filters). */
export const allEventHref = (id: string, search: URLSearchParams) => withQuery(`${ALL_PROJECTS_PATH}/events/${encodeURIComponent(id)}`, feedParams(search));

/** The All projects feed with the filters of `search`. */
export const allFeedHref = (search: URLSearchParams) => withQuery(ALL_PROJECTS_PATH, feedParams(search));

