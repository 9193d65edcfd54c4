import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { CategoryCount, EventDetail, FeedPage } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { observeServerTime } from '../../lib/clock.ts';

export interface FeedFilters {
  test: boolean;
  category: string | null;
  q: string | null;
}

export const unfiltered = (test: boolean): FeedFilters => ({ test, category: null, q: null });

export const eventKeys = {
  all: ['events'] as const,
  lists: () => [...eventKeys.all, 'list'] as const,
  list: (f: FeedFilters) => [...eventKeys.lists(), f] as const,
  details: () => [...eventKeys.all, 'detail'] as const,
  detail: (id: string) => [...eventKeys.details(), id] as const,
  categories: (test: boolean) => [...eventKeys.all, 'categories', test] as const,
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
  if (cursor) params.set('cursor', cursor);
  return timed<FeedPage>(`/api/events?${params}`, signal);
}

export const feedQueryOptions = (f: FeedFilters) => ({
  queryKey: eventKeys.list(f),
  queryFn: ({ pageParam, signal }: { pageParam: string | null; signal: AbortSignal }) => getFeedPage(f, pageParam, signal),
  initialPageParam: null as string | null,
  getNextPageParam: (last: FeedPage) => last.nextCursor,
});

export function useFeed(f: FeedFilters) {
  return useInfiniteQuery(feedQueryOptions(f));
}

export const getEvent = (id: string, signal?: AbortSignal) => timed<EventDetail>(`/api/events/${encodeURIComponent(id)}`, signal);

export function useEvent(id: string, enabled = true) {
  return useQuery({ queryKey: eventKeys.detail(id), queryFn: ({ signal }) => getEvent(id, signal), enabled });
}

export function useCategories(test: boolean) {
  return useQuery({
    queryKey: eventKeys.categories(test),
    queryFn: () => api<{ categories: CategoryCount[] }>(`/api/categories?test=${test ? 1 : 0}`),
    select: (d) => d.categories,
    staleTime: 60_000,
  });
}
