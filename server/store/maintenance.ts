/**
 * Housekeeping on a timer: expired sessions, old Idempotency-Key answers, old live-log entries, full
 * rate-limit buckets. With several instances on one database it runs on one of them at a time (the
 * others find the job taken and skip that round).
 */
import type { AppStore as Store } from './appStore.ts';

const EVERY_MS = 60 * 60 * 1000;
const LIVE_LOG_KEEP_MS = 24 * 60 * 60 * 1000;

/** One round; null when another instance is running it right now. */
export async function runMaintenance(store: Store, now: number) {
  const done = await store.exclusive('maintenance', async (tx) => ({
    sessions: await tx.sessions.purgeExpired(now),
    idempotency: await tx.idempotency.purgeExpired(now),
    liveLog: await tx.events.pruneLive(now - LIVE_LOG_KEEP_MS),
  }));
  if (done === null) return null;
  return { ...done, rateBuckets: await store.buckets.forgetFull(now) };
}

/** Runs once now and then hourly; the timer never keeps the process alive. Returns a stop function. */
export function startMaintenance(store: Store, now: () => number = Date.now, onError: (err: unknown) => void = () => {}) {
  const tick = () => {
    runMaintenance(store, now()).catch(onError);
  };
  tick();
  const timer = setInterval(tick, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
