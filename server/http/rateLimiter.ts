/**
 * A token bucket per key: `burst` tokens, refilled continuously at `perMinute`. In memory, one
 * process. Full buckets are forgotten, and at most `maxKeys` are kept (the least recently used
 * go first), so no stream of new keys can grow it without bound.
 */
export interface RateDecision {
  ok: boolean;
  retryAfterSeconds: number;
}

export interface BucketOptions {
  perMinute: number;
  /** Tokens a full bucket holds; defaults to `perMinute`. */
  burst?: number;
  maxKeys?: number;
}

export function rateLimiter(options: number | BucketOptions, now: () => number = Date.now) {
  const { perMinute, burst = perMinute, maxKeys = 100_000 } = typeof options === 'number' ? { perMinute: options } : options;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const ratePerMs = perMinute / 60_000;
  let lastSweep = now();

  const retryAfter = (tokens: number) => Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000));

  /** The bucket's tokens as of now, without taking any (a missing bucket is full). */
  function level(key: string, t: number): number {
    const b = buckets.get(key);
    return b ? Math.min(burst, b.tokens + (t - b.at) * ratePerMs) : burst;
  }

  function sweep(t: number): void {
    if (t - lastSweep <= 60_000) return;
    for (const k of [...buckets.keys()]) if (level(k, t) >= burst) buckets.delete(k);
    lastSweep = t;
  }

  return {
    /** Takes one token when there is one. */
    take(key: string): RateDecision {
      if (perMinute <= 0) return { ok: true, retryAfterSeconds: 0 };
      const t = now();
      sweep(t);
      const tokens = level(key, t);
      const ok = tokens >= 1;
      buckets.delete(key); // re-inserted last: the Map's order is least recently used first
      buckets.set(key, { tokens: ok ? tokens - 1 : tokens, at: t });
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      return ok ? { ok: true, retryAfterSeconds: 0 } : { ok: false, retryAfterSeconds: retryAfter(tokens) };
    },
    /** Whether `take` would succeed now, taking nothing. */
    check(key: string): RateDecision {
      if (perMinute <= 0) return { ok: true, retryAfterSeconds: 0 };
      const tokens = level(key, now());
      return tokens >= 1 ? { ok: true, retryAfterSeconds: 0 } : { ok: false, retryAfterSeconds: retryAfter(tokens) };
    },
    /** True when the key has taken a token that has not refilled yet. */
    used(key: string): boolean {
      return perMinute > 0 && level(key, now()) < burst;
    },
    size: () => buckets.size,
  };
}
