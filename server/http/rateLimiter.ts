/**
 * A token bucket per key: `burst` tokens, refilled continuously at `perMinute`. The arithmetic is
 * here, once; where the buckets live is a `BucketStore`: this process's memory when it is the only
 * one (SQLite), or the database when several instances share it (PostgreSQL), so a limit counts
 * across all of them. In memory, full buckets are forgotten and at most `maxKeys` are kept (the
 * least recently used go first), so no stream of new keys can grow it without bound.
 *
 * Leasing (`{ lease: true }`, for ingest only): on a shared store, one write per request would put
 * every request of a key on one locked row, so a limiter that leases takes N = `leaseSize(burst)`
 * tokens at once from the shared bucket and spends them from this process's memory. Once it is down
 * to N/2 it tops the lease up to N in the background (unless the bucket is running dry), so requests
 * rarely wait for the database, which sees about one write per N/2 requests of a key per instance.
 * Every token spent was taken from the shared bucket first, and an instance never holds more than N,
 * so with k instances at most k·N tokens sit unspent in their memories. That is the documented slack, both ways:
 * - a key may get up to burst + k·N requests at once (held tokens do not count toward the shared
 *   bucket's cap), then the refill rate — with two instances, burst + 2N;
 * - an instance may refuse while another still holds up to N of the key's tokens.
 * An instance that finds the shared bucket empty refuses on its own, without a write, until a token
 * would have refilled there: other instances only ever take tokens, so none can be there sooner, and
 * Retry-After is what one shared bucket would have said. Tokens held when a process stops or forgets
 * a key are lost (the limit errs low, never high). Sign-in limits never lease: they count failures
 * for security, each at once.
 */
import type { BucketState, BucketStore } from '../store/types.ts';

export interface RateDecision {
  ok: boolean;
  retryAfterSeconds: number;
}

export interface BucketOptions {
  perMinute: number;
  /** Tokens a full bucket holds; defaults to `perMinute`. */
  burst?: number;
}

export interface LimiterOptions {
  /** Lease tokens in batches when the store is shared (see the top of this file); ingest only. */
  lease?: boolean;
  /** Keys whose leases this process remembers (least recently used forgotten first, their tokens lost). */
  maxLeasedKeys?: number;
}

/** N, the most tokens a process leases of one key: a tenth of the burst, at least 1, at most 50. */
export function leaseSize(burst: number): number {
  return Math.max(1, Math.min(Math.floor(burst / 10), 50));
}

/** What this process holds of one key's shared bucket. */
interface Lease {
  /** Tokens taken from the shared bucket, not yet spent. */
  held: number;
  /** Until then the shared bucket holds no token (as last seen, and only others take from it). */
  emptyUntil: number;
  /** The last renewal got less than it asked: the bucket is running dry, so no top-up ahead of need. */
  short: boolean;
  /** The lease being taken now: requests arriving meanwhile wait for it instead of taking another. */
  pending: Promise<void> | null;
}

export function rateLimiter(options: number | BucketOptions, buckets: BucketStore, now: () => number = Date.now, limiter: LimiterOptions = {}) {
  const { perMinute, burst = perMinute } = typeof options === 'number' ? { perMinute: options } : options;
  const ratePerMs = perMinute / 60_000;

  const retryAfter = (tokens: number) => Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000));
  /** The bucket's tokens as of `t`, without taking any (a missing bucket is full). */
  const level = (b: BucketState | null, t: number) => (b ? Math.min(burst, b.tokens + (t - b.at) * ratePerMs) : burst);
  const decision = (tokens: number): RateDecision =>
    tokens >= 1 ? { ok: true, retryAfterSeconds: 0 } : { ok: false, retryAfterSeconds: retryAfter(tokens) };
  /** The bucket left with `left` tokens at `t`. */
  const stored = (left: number, t: number): BucketState => ({ tokens: left, at: t, fullAt: t + Math.ceil((burst - left) / ratePerMs) });

  /** Takes one token from the store itself: one write per call. */
  const takeOne = (key: string): Promise<RateDecision> => {
    const t = now();
    return buckets.change(key, (b) => {
      const tokens = level(b, t);
      const left = tokens >= 1 ? tokens - 1 : tokens;
      return { next: stored(left, t), result: decision(tokens) };
    });
  };

  const size = leaseSize(burst);
  /** Down to this many held, the lease is topped up in the background, before requests must wait for it. */
  const low = Math.floor(size / 2);
  const maxLeasedKeys = limiter.maxLeasedKeys ?? 10_000;
  const leases = new Map<string, Lease>();
  /** This key's lease, made the most recently used. */
  const leaseOf = (key: string): Lease => {
    let lease = leases.get(key);
    if (lease) leases.delete(key);
    else lease = { held: 0, emptyUntil: 0, short: false, pending: null };
    leases.set(key, lease);
    if (leases.size > maxLeasedKeys) leases.delete(leases.keys().next().value as string);
    return lease;
  };
  /**
   * Tops the lease up to `size` whole tokens from the shared bucket (one write; it never holds more),
   * or as many as the bucket has; none: notes when one will be there.
   */
  const renew = async (key: string, lease: Lease) => {
    const t = now();
    const want = size - lease.held;
    const { taken, left } = await buckets.change(key, (b) => {
      const tokens = level(b, t);
      const got = Math.max(0, Math.min(want, Math.floor(tokens)));
      return { next: stored(tokens - got, t), result: { taken: got, left: tokens - got } };
    });
    lease.held += taken;
    lease.short = taken < want;
    if (taken === 0) lease.emptyUntil = t + (1 - left) / ratePerMs;
  };
  /** Starts a renewal unless one is under way; a failure reaches whoever waits for it (none: the next renewal tries again). */
  const renewing = (key: string, lease: Lease): Promise<void> => {
    if (!lease.pending) {
      const pending = renew(key, lease).finally(() => {
        lease.pending = null;
      });
      pending.catch(() => undefined);
      lease.pending = pending;
    }
    return lease.pending;
  };
  /** Takes one token from this process's lease: topped up when low (in the background), renewed when spent (waiting). */
  const takeLeased = async (key: string): Promise<RateDecision> => {
    const lease = leaseOf(key);
    for (;;) {
      if (lease.held >= 1) {
        lease.held -= 1;
        if (lease.held <= low && !lease.short) void renewing(key, lease);
        return { ok: true, retryAfterSeconds: 0 };
      }
      const wait = lease.emptyUntil - now();
      if (wait > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
      await renewing(key, lease);
    }
  };
  const leasing = limiter.lease === true && buckets.shared === true;

  return {
    /** Takes one token when there is one (from this process's lease when leasing). */
    async take(key: string): Promise<RateDecision> {
      if (perMinute <= 0) return { ok: true, retryAfterSeconds: 0 };
      return leasing ? takeLeased(key) : takeOne(key);
    },
    /** Whether `take` would succeed now, taking nothing (the shared bucket only: leases are not counted). */
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
