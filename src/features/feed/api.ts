import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { CategoryCount, EventDetail, FeedPage } from '../../../contract/api.ts';
import { EVENT_STATES, type EventState } from '../../../contract/triage.ts';
import { api } from '../../lib/api.ts';
import { observeServerTime } from '../../lib/clock.ts';
import { ALL_PROJECTS, projectApi, useProjectSlug, useScopedProject } from '../projects/current.ts';

export interface FeedFilters {
  /** The project's slug (ALL_PROJECTS: every project of the person's): each feed's pages are cached apart. */
  project: string;
  test: boolean;
  category: string | null;
  q: string | null;
  /** Leave out events someone marked handled. */
  unhandled: boolean;
  /** Only the events about this user (their `userId`). */
  user: string | null;
  /** Only the events in this state (§12): open, acknowledged or resolved. */
  state: EventState | null;
  /** `me`: only the events assigned to the signed-in person. */
  assignee: 'me' | null;
}

/** `?state=`: one of the states, else none (a made-up value filters nothing). */
const stateParam = (v: string | null): EventState | null => (EVENT_STATES as readonly string[]).includes(v ?? '') ? (v as EventState) : null;

export function filtersFromSearch(project: string, search: URLSearchParams): FeedFilters {
  return {
    project,
    test: search.get('test') === '1',
    category: search.get('category') || null,
    q: search.get('q')?.trim() || null,
    unhandled: search.get('unhandled') === '1',
    user: search.get('user') || null,
    state: stateParam(search.get('state')),
    assignee: search.get('assignee') === 'me' ? 'me' : null,
  };
}

/** Whether a feed leaves some events out (a category, a search, a user, a state, an assignee, unhandled only). */
export const isFiltered = (f: FeedFilters): boolean => f.category !== null || f.q !== null || f.unhandled || f.user !== null || f.state !== null || f.assignee !== null;

export const unfiltered = (project: string, test: boolean): FeedFilters => ({ project, test, category: null, q: null, unhandled: false, user: null, state: null, assignee: null });

export const eventKeys = {
  all: ['events'] as const,
  lists: () => [...eventKeys.all, 'list'] as const,
  list: (f: FeedFilters) => [...eventKeys.lists(), f] as const,
  details: () => [...eventKeys.all, 'detail'] as const,
  detail: (id: string) => [...eventKeys.details(), id] as const,
  categories: (project: string, test: boolean) => [...eventKeys.all, 'categories', project, test] as const,
};

async function timed<T extends { serverTime: string }>(path: string, signal?: AbortSignal): Promise<T> {
  const sentAt = Date.now();
  const body = await api<T>(path, { signal });
  observeServerTime(body.serverTime, sentAt, Date.now());
  return body;
}

export function getFeedPage(f: FeedFilters, cursor: string | null, signal?: AbortSignal): Promise<FeedPage> {
  const params = new URLSearchParams({ test: f.test ? '1' : '0' });
  if (f.category) params.set('category', f.category);
  if (f.q) params.set('q', f.q);
  if (f.unhandled) params.set('unhandled', '1');
  if (f.user) params.set('user', f.user);
  if (f.state) params.set('state', f.state);
  if (f.assignee) params.set('assignee', f.assignee);
  if (cursor) params.set('cursor', cursor);
  return timed<FeedPage>(f.project === ALL_PROJECTS ? `/api/all/events?${params}` : projectApi(f.project, `events?${params}`), signal);
}

export const feedQueryOptions = (f: FeedFilters) => ({
  queryKey: eventKeys.list(f),
  queryFn: ({ pageParam, signal }: { pageParam: string | null; signal: AbortSignal }) => getFeedPage(f, pageParam, signal),
  initialPageParam: null as string | null,
  getNextPageParam: (last: FeedPage) => last.nextCursor,
  // Fetched moments ago (firstRequests.ts sends the first one while the texts load) is fresh: the live
  // stream resumes from its first page's lastSeq, so nothing between is missed.
  staleTime: 10_000,
});

export function useFeed(f: FeedFilters) {
  return useInfiniteQuery(feedQueryOptions(f));
}

export const getEvent = (project: string, id: string, signal?: AbortSignal) =>
  timed<EventDetail>(projectApi(project, `events/${encodeURIComponent(id)}`), signal);

/** An event from the All projects route: any of the person's projects, its `event.project` saying which. */
export const getAllProjectsEvent = (id: string, signal?: AbortSignal) => timed<EventDetail>(`/api/all/events/${encodeURIComponent(id)}`, signal);

/**
 * An event of the current project (ids are unique across projects, so the cache key is the id);
 * shown from the All projects feed, read there too, so the page keeps its project's label.
 */
export function useEvent(id: string, enabled = true) {
  const project = useProjectSlug();
  const across = useScopedProject() !== null;
  return useQuery({
    queryKey: eventKeys.detail(id),
    queryFn: ({ signal }) => (across ? getAllProjectsEvent(id, signal) : getEvent(project, id, signal)),
    enabled,
  });
}

export function useCategories(project: string, test: boolean, enabled = true) {
  return useQuery({
    enabled,
    queryKey: eventKeys.categories(project, test),
    queryFn: () => api<{ categories: CategoryCount[] }>(projectApi(project, `categories?test=${test ? 1 : 0}`)),
    select: (d) => d.categories,
    staleTime: 60_000,
  });
}
