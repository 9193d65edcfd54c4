/**
 * Housekeeping on a timer: expired sessions, old Idempotency-Key answers, old live-log entries, full
 * rate-limit buckets. With several instances on one database it runs on one of them at a time (the
 * others find the job taken and skip that round).
 */
import type { AppStore as Store } from './types.ts';
import { type RetentionPolicy, runRetention } from './retention.ts';

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

/**
 * Runs once now and then hourly (retention after the housekeeping, in its own batches); the timer
 * never keeps the process alive. Returns a stop function.
 */
export function startMaintenance(
  store: Store,
  now: () => number = Date.now,
  onError: (err: unknown) => void = () => {},
  retention: RetentionPolicy = { liveDays: 0, testDays: 0 },
  onRetention: (removed: number) => void = () => {},
) {
  let running = false;
  const tick = () => {
    if (running) return; // a long retention round is still going: this tick is skipped
    running = true;
    runMaintenance(store, now())
      .then(() => runRetention(store, retention, now()))
      .then((removed) => {
        if (removed) onRetention(removed);
      })
      .catch(onError)
      .finally(() => {
        running = false;
      });
  };
  tick();
  const timer = setInterval(tick, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
