/**
 * Retention (CONTRACT §9): RETENTION_DAYS for live events, TEST_RETENTION_DAYS for test events
 * (0: keep forever). The unit is a thread: it goes, opener and events together, once its newest event
 * is older than its mode's retention, so a thread never loses its start while it is still active.
 * Each batch is its own short transaction (the store deletes an event's actions, attempts, search
 * rows, queued pushes and live-log entries with it, and the counters follow by trigger), so ingest
 * gets in between; with several instances, one runs a batch at a time and the others skip the round.
 */
import type { AppStore } from './types.ts';

export interface RetentionPolicy {
  /** Days live events are kept; 0 keeps them forever. */
  liveDays: number;
  /** Days test events are kept; 0 keeps them forever. */
  testDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Threads per transaction: small enough that an ingest never waits long behind one. */
export const RETENTION_BATCH = 200;

/** One round; returns how many events it removed (null: another instance is running it). */
export async function runRetention(store: AppStore, policy: RetentionPolicy, now: number, maxBatches = 1000): Promise<number | null> {
  let removed = 0;
  let batches = 0;
  const modes: [boolean, number][] = [
    [false, policy.liveDays],
    [true, policy.testDays],
  ];
  for (const [test, days] of modes) {
    if (days <= 0) continue;
    const before = now - days * DAY_MS;
    for (const project of await store.projects.all()) {
      for (;;) {
        if (batches++ >= maxBatches) return removed; // the next round goes on
        const done = await store.exclusive('retention', async (tx) => {
          const seqs = await tx.events.expiredThreads(project.id, test, before, RETENTION_BATCH);
          let events = 0;
          for (const seq of seqs) events += (await tx.events.remove(seq))?.removed.length ?? 0;
          return { threads: seqs.length, events };
        });
        if (done === null) return batches === 1 ? null : removed;
        removed += done.events;
        // After the commit, so the deletions just written are among what gets merged.
        if (done.events > 0) await store.events.compactSearch();
        if (done.threads < RETENTION_BATCH) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
  return removed;
}
