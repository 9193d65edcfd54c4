/**
 * A token bucket per key: `burst` tokens, refilled continuously at `perMinute`. The arithmetic is
 * here, once; where the buckets live is a `BucketStore`: this process's memory when it is the only
 * one (SQLite), or the database when several instances share it (PostgreSQL), so a limit counts
 * across all of them. In memory, full buckets are forgotten and at most `maxKeys` are kept (the
 * least recently used go first), so no stream of new keys can grow it without bound.
 */
export interface RateDecision {
  ok: boolean;
  retryAfterSeconds: number;
}

export interface BucketOptions {
  perMinute: number;
  /** Tokens a full bucket holds; defaults to `perMinute`. */
  burst?: number;
}

/** A bucket as stored: its tokens at time `at`, and when it will be full again (it may be forgotten then). */
export interface BucketState {
  tokens: number;
  at: number;
  fullAt: number;
}

export interface BucketStore {
  /** Reads one bucket (null: never used, or forgotten as full). */
  read(key: string): Promise<BucketState | null>;
  /** Reads a bucket, stores what `decide` makes of it, and returns its result — atomically per key. */
  change<R>(key: string, decide: (state: BucketState | null) => { next: BucketState; result: R }): Promise<R>;
  /** Forgets the buckets that are full again by `now` (a missing bucket is full); returns how many. */
  forgetFull(now: number): Promise<number>;
}

/** Buckets in this process's memory: for a store only one process uses. */
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

export function rateLimiter(options: number | BucketOptions, buckets: BucketStore, now: () => number = Date.now) {
  const { perMinute, burst = perMinute } = typeof options === 'number' ? { perMinute: options } : options;
  const ratePerMs = perMinute / 60_000;

  const retryAfter = (tokens: number) => Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000));
  /** The bucket's tokens as of `t`, without taking any (a missing bucket is full). */
  const level = (b: BucketState | null, t: number) => (b ? Math.min(burst, b.tokens + (t - b.at) * ratePerMs) : burst);
  const decision = (tokens: number): RateDecision =>
    tokens >= 1 ? { ok: true, retryAfterSeconds: 0 } : { ok: false, retryAfterSeconds: retryAfter(tokens) };

  return {
    /** Takes one token when there is one. */
    async take(key: string): Promise<RateDecision> {
      if (perMinute <= 0) return { ok: true, retryAfterSeconds: 0 };
      const t = now();
      return buckets.change(key, (b) => {
        const tokens = level(b, t);
        const left = tokens >= 1 ? tokens - 1 : tokens;
        return { next: { tokens: left, at: t, fullAt: t + Math.ceil((burst - left) / ratePerMs) }, result: decision(tokens) };
      });
    },
    /** Whether `take` would succeed now, taking nothing. */
    async check(key: string): Promise<RateDecision> {
      if (perMinute <= 0) return { ok: true, retryAfterSeconds: 0 };
      return decision(level(await buckets.read(key), now()));
    },
    /** True when the key has taken a token that has not refilled yet. */
    async used(key: string): Promise<boolean> {
      return perMinute > 0 && level(await buckets.read(key), now()) < burst;
    },
  };
}
