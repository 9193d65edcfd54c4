/**
 * The live channel: one EventSource per mode, a small state machine with an explicit backoff table,
 * resuming from the last id it saw so that a reconnect misses nothing.
 */
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { type EventDto, LIVE_MESSAGES, type LiveKind } from '../../../contract/api.ts';
import { createStore } from '../../lib/store.ts';
import { projectKeys } from '../projects/api.ts';
import { ALL_PROJECTS, projectApi } from '../projects/current.ts';
import { eventKeys, feedQueryOptions, unfiltered } from './api.ts';
import { applyLiveEvent, isTopLevel, removeEvent, replaceEvent } from './liveCache.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export const liveStatus = createStore<LiveStatus>('connecting');
/** New top-level events held back while the person reads further down (the "N new events" pill). */
export const heldEvents = createStore<EventDto[]>([]);
/** Whether new top-level events go straight into the list (true at the top of the feed). */
export const atTop = createStore<boolean>(true);

/** The project whose stream is open (the held events are its own). */
let streamProject: string | null = null;

export function releaseHeld(qc: QueryClient): void {
  const held = heldEvents.get();
  heldEvents.set([]);
  // Oldest first, so that the newest ends on top.
  if (streamProject !== null) for (const event of held) applyLiveEvent(qc, event, streamProject, { includeTopLevel: true });
}

function connect(qc: QueryClient, project: string, test: boolean, after: number | null): () => void {
  let source: EventSource | null = null;
  let lastId = after;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const open = () => {
    const query = `stream?test=${test ? 1 : 0}${lastId === null ? '' : `&after=${lastId}`}`;
    source = new EventSource(project === ALL_PROJECTS ? `/api/all/${query}` : projectApi(project, query));
    source.onopen = () => {
      attempt = 0;
      liveStatus.set('live');
    };
    source.addEventListener(LIVE_MESSAGES.event, (msg) => {
      const id = Number((msg as MessageEvent).lastEventId);
      if (Number.isInteger(id)) lastId = Math.max(lastId ?? 0, id);
      const { kind, event } = JSON.parse((msg as MessageEvent<string>).data) as { kind: LiveKind; event: EventDto };
      if (kind === 'delete') {
        heldEvents.set(heldEvents.get().filter((e) => e.id !== event.id));
        removeEvent(qc, event.id);
      } else if (kind === 'action' || kind === 'update') replaceEvent(qc, event, event.project ?? (project === ALL_PROJECTS ? null : project));
      else if (isTopLevel(event) && !atTop.get()) heldEvents.set([...heldEvents.get(), event]);
      else applyLiveEvent(qc, event, project, { includeTopLevel: true });
      // A first event or a first press ticks the first-run checklist at once (only a shown one refetches).
      if (kind === 'event' || kind === 'action') void qc.invalidateQueries({ queryKey: projectKeys.progress(event.project ?? project) });
    });
    source.addEventListener(LIVE_MESSAGES.reset, (msg) => {
      lastId = Number((msg as MessageEvent).lastEventId) || lastId;
      heldEvents.set([]);
      void qc.invalidateQueries({ queryKey: eventKeys.all });
    });
    source.onerror = () => {
      source?.close();
      if (stopped) return;
      // Ended by the server: perhaps this person's access changed. The project list says (the app
      // leaves a project it is no longer in, without a reload).
      void qc.invalidateQueries({ queryKey: projectKeys.list });
      liveStatus.set('reconnecting');
      const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
      attempt += 1;
      timer = setTimeout(open, delay);
    };
  };
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    source?.close();
  };
}

/**
 * Keeps the live channel of one project and mode open while mounted. It starts after the first feed
 * page. A stream the server ends for good (removed from the project) is not reopened: the project
 * list is read again, and the app moves on.
 */
export function useLiveChannel(project: string | null, test: boolean): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (project === null) return;
    let stop: (() => void) | null = null;
    let cancelled = false;
    liveStatus.set('connecting');
    heldEvents.set([]);
    streamProject = project;
    qc.ensureInfiniteQueryData(feedQueryOptions(unfiltered(project, test))).then(
      (data) => {
        if (!cancelled) stop = connect(qc, project, test, data.pages[0]?.lastSeq ?? 0);
      },
      () => {
        if (!cancelled) stop = connect(qc, project, test, null);
      },
    );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [qc, project, test]);
}
