/** Rate-limit buckets in this process's memory: the store of one process (SQLite). */
import type { BucketState, BucketStore } from './types.ts';

/**
 * Full buckets are forgotten and at most `maxKeys` are kept (the least recently used go first), so no
 * stream of new keys can grow it without bound.
 */
export function memoryBuckets(maxKeys = 100_000, now: () => number = Date.now): BucketStore {
  const buckets = new Map<string, BucketState>();
  let lastSweep = now();
  const forget = (t: number) => {
    let n = 0;
    for (const [k, b] of buckets) if (b.fullAt <= t && buckets.delete(k)) n++;
    lastSweep = t;
    return n;
  };
  const sweep = (t: number) => {
    if (t - lastSweep > 60_000) forget(t);
  };
  return {
    async read(key) {
      return buckets.get(key) ?? null;
    },
    async change(key, decide) {
      sweep(now());
      const { next, result } = decide(buckets.get(key) ?? null);
      buckets.delete(key); // re-inserted last: the Map's order is least recently used first
      buckets.set(key, next);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      return result;
    },
    async forgetFull(t) {
      return forget(t);
    },
  };
}
