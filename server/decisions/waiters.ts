/**
 * Long polls on decisions (§11): each waits for one event's live-log entries and ends when its
 * question is decided, when the poll's time is up, or when its client goes. Woken from the live hub,
 * so a decision made on any instance ends a wait on this one (PostgreSQL: the live log's NOTIFY;
 * SQLite: in process). Bounded per API key and per process: beyond, a clear 429, never a queue.
 */
import { decisionOf } from '../../contract/decisions.ts';
import { ApiError } from '../http/errors.ts';
import type { LiveHub } from '../feed/liveHub.ts';
import type { LiveEntry } from '../store/eventRows.ts';

export interface WaiterLimits {
  /** Open waits one API key may hold. */
  perKey: number;
  /** Open waits this process holds in all. */
  total: number;
}

export const WAITER_LIMITS: WaiterLimits = { perKey: 100, total: 2_000 };

interface Waiter {
  key: string;
  done: () => void;
}

export interface DecisionWait {
  /** Resolves when the event changed in a way that may answer it, when `untilMs` comes, or on cancel. */
  settled: Promise<void>;
  cancel(): void;
}

export function decisionWaiters(hub: Pick<LiveHub, 'subscribe'>, now: () => number, limits: WaiterLimits = WAITER_LIMITS) {
  const byEvent = new Map<string, Set<Waiter>>();
  const perKey = new Map<string, number>();
  let total = 0;
  let unsubscribe: (() => void) | null = null;

  const wakeEvent = (eventId: string) => {
    const set = byEvent.get(eventId);
    if (set) for (const w of [...set]) w.done();
  };
  const onEntry = (entry: LiveEntry) => {
    if (!byEvent.has(entry.event.id)) return;
    // A deleted event, or one whose question is answered now: its waits end (the route reads it again).
    if (entry.kind === 'delete' || decisionOf(entry.event, now()).status === 'decided') wakeEvent(entry.event.id);
  };
  const closeAll = () => {
    for (const id of [...byEvent.keys()]) wakeEvent(id);
  };

  function remove(eventId: string, w: Waiter) {
    const set = byEvent.get(eventId);
    if (!set?.delete(w)) return;
    if (set.size === 0) byEvent.delete(eventId);
    const left = (perKey.get(w.key) ?? 1) - 1;
    if (left === 0) perKey.delete(w.key);
    else perKey.set(w.key, left);
    total--;
    if (total === 0 && unsubscribe) {
      unsubscribe();
      unsubscribe = null;
    }
  }

  return {
    /**
     * Starts a wait on `eventId` for `key` (an API key's id) until `untilMs` (this process's clock).
     * Register before reading the event, so a decision committed in between still ends it.
     */
    wait(eventId: string, key: string, untilMs: number): DecisionWait {
      if ((perKey.get(key) ?? 0) >= limits.perKey) {
        throw new ApiError(429, 'too_many_waits', `this API key already has ${limits.perKey} decisions waited on: wait on fewer at once`, null, { 'retry-after': '1' });
      }
      if (total >= limits.total) {
        throw new ApiError(429, 'too_many_waits', 'this server is holding as many waits as it takes: try again shortly', null, { 'retry-after': '1' });
      }
      let timer: NodeJS.Timeout | undefined;
      let resolve!: () => void;
      const settled = new Promise<void>((r) => (resolve = r));
      const w: Waiter = {
        key,
        done: () => {
          clearTimeout(timer);
          remove(eventId, w);
          resolve();
        },
      };
      const set = byEvent.get(eventId) ?? new Set<Waiter>();
      set.add(w);
      byEvent.set(eventId, set);
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      total++;
      unsubscribe ??= hub.subscribe(onEntry, closeAll);
      timer = setTimeout(w.done, Math.max(0, untilMs - now()));
      return { settled, cancel: w.done };
    },
    /** Open waits (all, or one key's): for /metrics and the tests that hold hundreds and let them go. */
    count(key?: string): number {
      return key === undefined ? total : (perKey.get(key) ?? 0);
    },
  };
}

export type DecisionWaiters = ReturnType<typeof decisionWaiters>;
