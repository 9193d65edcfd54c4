/** Applies one live event to the TanStack Query cache: the lists it belongs to and its thread. */
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { AuthStatus, CategoryCount, EventDetail, EventDto, FeedPage } from '../../../contract/api.ts';
import { summaryOf } from '../../../contract/present.ts';
import { eventKeys, type FeedFilters } from './api.ts';
import { belongsByTriage } from './triage/belongs.ts';
import { authKeys } from '../auth/api.ts';

type Feed = InfiniteData<FeedPage, string | null>;

const hasEvent = (data: Feed, id: string) => data.pages.some((p) => p.events.some((e) => e.id === id));

function prepend(data: Feed | undefined, event: EventDto): Feed | undefined {
  if (!data || data.pages.length === 0 || hasEvent(data, event.id)) return data;
  const [first, ...rest] = data.pages;
  return { ...data, pages: [{ ...first!, events: [event, ...first!.events] }, ...rest] };
}

/** Applies `fn` to every event of a feed, keeping the identity of pages it does not change. */
function mapFeed(data: Feed | undefined, fn: (e: EventDto) => EventDto): Feed | undefined {
  if (!data) return data;
  let changed = false;
  const pages = data.pages.map((p) => {
    const events = p.events.map(fn);
    if (events.every((e, i) => e === p.events[i])) return p;
    changed = true;
    return { ...p, events };
  });
  return changed ? { ...data, pages } : data;
}

/** A new event of a thread: its opener counts one more and names it as the newest. */
const bumpThread = (data: Feed | undefined, child: EventDto) =>
  mapFeed(data, (e) =>
    e.id === child.parentId
      ? { ...e, threadCount: e.threadCount + 1, latest: summaryOf(child) }
      : e,
  );

/** Whether a feed's loaded pages reach back to `createdAt` (an older event would be on a page not read yet). */
function reaches(data: Feed, createdAt: string): boolean {
  const last = data.pages[data.pages.length - 1];
  if (!last || last.nextCursor === null) return true;
  const oldest = last.events[last.events.length - 1];
  return oldest !== undefined && Date.parse(createdAt) >= Date.parse(oldest.createdAt);
}

const meOf = (qc: QueryClient) => qc.getQueryData<AuthStatus>(authKeys.status)?.user?.id ?? null;

/** The project of a cached event: its label (All projects), else the project of a list that holds it. */
function projectOfCached(qc: QueryClient, event: EventDto, given: string | null): string | null {
  if (event.project) return event.project;
  if (given !== null) return given;
  for (const query of qc.getQueryCache().findAll({ queryKey: eventKeys.lists() })) {
    const filters = query.queryKey[2] as FeedFilters;
    const data = qc.getQueryData<Feed>(query.queryKey);
    if (filters.project !== '*' && data && hasEvent(data, event.id)) return filters.project;
  }
  return null;
}

/**
 * Acknowledged, resolved, assigned or snoozed (§12): out of the lists it no longer belongs in, and the
 * lists it now belongs in are read again (where in them it goes, only the server knows).
 */
function moveByTriage(qc: QueryClient, event: EventDto, given: string | null): void {
  const me = meOf(qc);
  const now = Date.now();
  const project = projectOfCached(qc, event, given);
  for (const query of qc.getQueryCache().findAll({ queryKey: eventKeys.lists() })) {
    const filters = query.queryKey[2] as FeedFilters;
    const belongs = belongsByTriage(filters, event, me, now);
    const data = qc.getQueryData<Feed>(query.queryKey);
    if (belongs === null || !data) continue;
    const held = hasEvent(data, event.id);
    if (held && !belongs) {
      qc.setQueryData<Feed>(query.queryKey, { ...data, pages: data.pages.map((p) => ({ ...p, events: p.events.filter((e) => e.id !== event.id) })) });
    } else if (!held && belongs && project !== null && (filters.project === project || filters.project === '*') && reaches(data, event.createdAt)) {
      void qc.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }
  }
}

/**
 * Changes one event wherever it is cached (lists, its page, threads), then refetches its page's
 * history. `project`: its project's slug where the caller knows it (a live stream's, a change's).
 */
export function updateEvent(qc: QueryClient, id: string, change: (e: EventDto) => EventDto, project: string | null = null): void {
  // An event in the All projects feed keeps its project's label whatever stream the change came by.
  const swap = (e: EventDto) => (e.id === id ? { ...change(e), ...(e.project ? { project: e.project } : {}) } : e);
  for (const query of qc.getQueryCache().findAll({ queryKey: eventKeys.lists() })) {
    qc.setQueryData<Feed>(query.queryKey, (d) => mapFeed(d, swap));
  }
  // The event as it is now (the lists hold it changed already; its page not yet).
  const listed = qc
    .getQueryCache()
    .findAll({ queryKey: eventKeys.lists() })
    .flatMap((q) => qc.getQueryData<Feed>(q.queryKey)?.pages.flatMap((p) => p.events) ?? [])
    .find((e) => e.id === id);
  const shown = qc.getQueryData<EventDetail>(eventKeys.detail(id))?.event;
  const changed = listed ?? (shown ? swap(shown) : undefined);
  if (changed) moveByTriage(qc, changed, project);
  for (const query of qc.getQueryCache().findAll({ queryKey: eventKeys.details() })) {
    qc.setQueryData<EventDetail>(query.queryKey, (d) => (d ? { ...d, event: swap(d.event), thread: d.thread.map(swap) } : d));
  }
  // The event page lists every attempt: fetch them again.
  void qc.invalidateQueries({ queryKey: eventKeys.detail(id), exact: true });
}

/** An event is gone (deleted): out of every list, thread and page that held it. */
export function removeEvent(qc: QueryClient, id: string): void {
  const drop = (events: EventDto[]) => events.filter((e) => e.id !== id);
  for (const query of qc.getQueryCache().findAll({ queryKey: eventKeys.lists() })) {
    // It was a thread's newest event: which one is newest now, only the server knows.
    const data = qc.getQueryData<Feed>(query.queryKey);
    if (data?.pages.some((p) => p.events.some((e) => e.latest?.id === id))) void qc.invalidateQueries({ queryKey: query.queryKey, exact: true });
    qc.setQueryData<Feed>(query.queryKey, (d) => {
      if (!d || !hasEvent(d, id)) return d;
      return { ...d, pages: d.pages.map((p) => ({ ...p, events: drop(p.events) })) };
    });
  }
  for (const query of qc.getQueryCache().findAll({ queryKey: eventKeys.details() })) {
    qc.setQueryData<EventDetail>(query.queryKey, (d) =>
      d?.thread.some((e) => e.id === id) ? { ...d, event: { ...d.event, threadCount: Math.max(0, d.event.threadCount - 1) }, thread: drop(d.thread) } : d,
    );
  }
  qc.removeQueries({ queryKey: eventKeys.detail(id), exact: true });
}

/** A newer state of an event already shown (its actions, its state, its assignee changed), of `project` when known. */
export const replaceEvent = (qc: QueryClient, event: EventDto, project: string | null = null) => updateEvent(qc, event.id, () => event, project);

/** True when the event belongs at the top level of the unfiltered feed. */
export const isTopLevel = (event: EventDto) => event.parentId === null;

/** A new event of `project` (from its live stream) into that project's cached lists and thread. */
export function applyLiveEvent(qc: QueryClient, event: EventDto, project: string, { includeTopLevel }: { includeTopLevel: boolean }): void {
  const me = meOf(qc);
  const now = Date.now();
  for (const query of qc.getQueryCache().findAll({ queryKey: eventKeys.lists() })) {
    const filters = query.queryKey[2] as FeedFilters;
    if (filters.project !== project || filters.test !== event.test) continue;
    // A new event is open and nobody's (or came resolved): not in a list of other states, or of "mine".
    if (event.parentId === null && belongsByTriage(filters, event, me, now) === false) continue;
    if (filters.q !== null) {
      void qc.invalidateQueries({ queryKey: query.queryKey, exact: true });
      continue;
    }
    // A category's or a user's feed lists thread events loose: in it when it matches, whatever its thread.
    if (filters.category !== null || filters.user !== null) {
      const matches = (filters.category === null || filters.category === event.category) && (filters.user === null || filters.user === event.userId);
      if (matches) qc.setQueryData<Feed>(query.queryKey, (d) => prepend(d, event));
      continue;
    }
    if (event.parentId !== null) qc.setQueryData<Feed>(query.queryKey, (d) => bumpThread(d, event));
    else if (includeTopLevel) qc.setQueryData<Feed>(query.queryKey, (d) => prepend(d, event));
  }
  if (event.parentId !== null) {
    qc.setQueryData<EventDetail>(eventKeys.detail(event.parentId), (d) =>
      d && !d.thread.some((e) => e.id === event.id)
        ? { ...d, event: { ...d.event, threadCount: d.event.threadCount + 1, latest: summaryOf(event) }, thread: [...d.thread, event] }
        : d,
    );
  }
  if (event.contextStart && event.threadCount > 0) {
    // It adopted events that came before it: they leave the top level.
    void qc.invalidateQueries({ queryKey: eventKeys.lists() });
  }
  const categories = qc.getQueryData<{ categories: CategoryCount[] }>(eventKeys.categories(project, event.test));
  if (event.category && categories && !categories.categories.some((c) => c.category === event.category)) {
    void qc.invalidateQueries({ queryKey: eventKeys.categories(project, event.test) });
  }
}
