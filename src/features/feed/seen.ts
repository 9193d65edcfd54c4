/**
 * "When did I last look at this project's feed?", per project, remembered on this device. The feed
 * draws a "New since you last looked" divider and marks threads with newer activity; opening the feed
 * (or coming back to it) counts as looking, and sets the app badge back to 0.
 */
import { useEffect } from 'react';
import { serverNow } from '../../lib/clock.ts';
import { createStore, useStore } from '../../lib/store.ts';
import type { PageMessage } from '../../lib/swProtocol.ts';

const key = (project: string) => `switchboard.seen.${project}`;

/** For the visit now under way: the time of the look before it (null: the first look on this device). */
const since = createStore<ReadonlyMap<string, number | null>>(new Map());

function read(project: string): number | null {
  try {
    const v = Number(localStorage.getItem(key(project)));
    return Number.isFinite(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

/** A look at `project`'s feed now: what it saw before becomes the divider's place. */
export function look(project: string, now = serverNow()): void {
  const next = new Map(since.get());
  next.set(project, read(project));
  since.set(next);
  try {
    localStorage.setItem(key(project), String(now));
  } catch {
    // Private mode without storage: no divider next time.
  }
  navigator.serviceWorker?.controller?.postMessage({ type: 'feed-seen' } satisfies PageMessage);
  void (navigator as Navigator & { clearAppBadge?: () => Promise<void> }).clearAppBadge?.().catch(() => undefined);
}

/** The last look before this visit; looks now, and again each time the app comes back to the front. */
export function useLastLooked(project: string): number | null {
  useEffect(() => {
    look(project);
    const onVisible = () => {
      if (document.visibilityState === 'visible') look(project);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [project]);
  return useStore(since).get(project) ?? null;
}

/** The same value for cards deeper in the feed (no new look). */
export const useSeenSince = (project: string): number | null => useStore(since).get(project) ?? null;
