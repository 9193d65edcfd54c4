/**
 * The ingest limiter's leases (server/http/rateLimiter.ts), on a fake clock: on a shared store each
 * process takes tokens from the shared bucket in batches and spends them from memory, so the store
 * sees one write per lease; the limit still holds across processes within the documented slack, a
 * refusal costs no write, and Retry-After is what one shared bucket would say. Limiters that do not
 * lease (sign-in), and stores that are not shared (SQLite), write every token as before.
 */
import { describe, expect, it } from 'vitest';
import { signInLimiter } from '../server/auth/signInLimiter.ts';
import { leaseSize, rateLimiter } from '../server/http/rateLimiter.ts';
import { memoryBuckets } from '../server/store/memoryBuckets.ts';
import type { BucketStore } from '../server/store/types.ts';

/** A bucket store several "instances" (limiters) share, counting its writes; `fail` makes the next write throw. */
function sharedBuckets(clock: { t: number }, shared = true) {
  const inner = memoryBuckets(100_000, () => clock.t);
  const counts = { writes: 0, fail: false };
  const store: BucketStore = {
    ...(shared ? { shared: true } : {}),
    read: (key) => inner.read(key),
    async change(key, decide) {
      counts.writes++;
      if (counts.fail) {
        counts.fail = false;
        throw new Error('database gone');
      }
      return inner.change(key, decide);
    },
    forgetFull: (t) => inner.forgetFull(t),
  };
  return { store, counts };
}

const START = Date.UTC(2030, 0, 1);

/** Takes `n` tokens in turn from the instances given (round robin); returns the decisions. */
async function takeInTurn(instances: ReturnType<typeof rateLimiter>[], key: string, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await instances[i % instances.length]!.take(key));
  return out;
}

describe('rate limiter leases', () => {
  it('leases a tenth of the burst, at least 1 and at most 50', () => {
    expect(leaseSize(6000)).toBe(50);
    expect(leaseSize(500)).toBe(50);
    expect(leaseSize(60)).toBe(6);
    expect(leaseSize(20)).toBe(2);
    expect(leaseSize(9)).toBe(1);
    expect(leaseSize(1)).toBe(1);
  });

  it('takes N tokens at once and tops them up to N when down to N/2: the default limit writes once per 25 requests', async () => {
    const clock = { t: START };
    const { store, counts } = sharedBuckets(clock);
    const limiter = rateLimiter(6000, store, () => clock.t, { lease: true }); // N = 50
    for (let i = 0; i < 120; i++) {
      expect((await limiter.take('ingest:k')).ok).toBe(true);
      clock.t += 5;
    }
    // A lease of 50, then four top-ups of 25 (after requests 25, 50, 75 and 100).
    expect(counts.writes).toBe(5);
    // The shared bucket was charged for exactly those 150 tokens, and refilled at 100/s meanwhile.
    const bucket = (await store.read('ingest:k'))!;
    expect(bucket.tokens).toBeCloseTo(6000 - 150 + (bucket.at - START) * 0.1, 6);
  });

  it('tops up in the background: requests go on spending what is held while the database answers', async () => {
    const clock = { t: START };
    const { store, counts } = sharedBuckets(clock);
    let release: () => void = () => {};
    const gated: BucketStore = {
      ...store,
      async change(key, decide) {
        await new Promise<void>((r) => {
          release = r;
        });
        return store.change(key, decide);
      },
    };
    const limiter = rateLimiter(60, gated, () => clock.t, { lease: true }); // N = 6
    const first = limiter.take('ingest:k');
    release();
    expect((await first).ok).toBe(true); // held 5
    for (let i = 0; i < 2; i++) expect((await limiter.take('ingest:k')).ok).toBe(true);
    // Held 3 = N/2: a top-up is under way (its write not answered yet), and requests do not wait for it.
    expect(counts.writes).toBe(1);
    for (let i = 0; i < 3; i++) expect((await limiter.take('ingest:k')).ok).toBe(true);
    // Nothing held now: the next request waits for the top-up, and gets a token of it.
    const waiting = limiter.take('ingest:k');
    release();
    expect((await waiting).ok).toBe(true);
    expect(counts.writes).toBe(2);
    expect((await store.read('ingest:k'))!.tokens).toBe(60 - 6 - 3);
  });

  it('requests arriving while a lease is being taken wait for it instead of taking their own', async () => {
    const clock = { t: START };
    const { store, counts } = sharedBuckets(clock);
    const limiter = rateLimiter(60, store, () => clock.t, { lease: true }); // N = 6
    const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.take('ingest:k')));
    expect(decisions.every((d) => d.ok)).toBe(true);
    // Not 20: one lease, then top-ups of at least N/2 each.
    expect(counts.writes).toBeLessThanOrEqual(Math.ceil(20 / 3));
    const left = (await store.read('ingest:k'))!.tokens;
    expect(left).toBeLessThanOrEqual(60 - 20);
    expect(left).toBeGreaterThanOrEqual(60 - 20 - 6);
  });

  it('two instances on one bucket give no more than it holds, then refuse with no writes, with the Retry-After one bucket would give', async () => {
    const clock = { t: START };
    const { store, counts } = sharedBuckets(clock);
    const [a, b] = [0, 1].map(() => rateLimiter({ perMinute: 6, burst: 60 }, store, () => clock.t, { lease: true })); // N = 6
    const decisions = await takeInTurn([a!, b!], 'ingest:k', 70);
    expect(decisions.filter((d) => d.ok)).toHaveLength(60);
    expect(decisions.slice(60).every((d) => !d.ok)).toBe(true);
    // Each instance: a lease of 6, eight top-ups of 3 (30 tokens), then one look finding the bucket empty.
    expect(counts.writes).toBe(20);
    const refusals = await takeInTurn([a!, b!], 'ingest:k', 30);
    expect(refusals.every((d) => !d.ok)).toBe(true);
    expect(counts.writes).toBe(20); // refusing wrote nothing
    // What one exact bucket says at the same moment: 0 tokens at 0.1 a second, one back in 10 s.
    const exact = rateLimiter({ perMinute: 6, burst: 60 }, memoryBuckets(100, () => clock.t), () => clock.t);
    await takeInTurn([exact], 'k', 61);
    expect(refusals[29]).toEqual(await exact.take('k'));
    expect(refusals[29]).toEqual({ ok: false, retryAfterSeconds: 10 });

    clock.t += 9_999;
    expect(await a!.take('ingest:k')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(counts.writes).toBe(20);
    clock.t += 1;
    expect((await a!.take('ingest:k')).ok).toBe(true); // the token back, leased at once (and no top-up: the bucket ran dry)
    expect(counts.writes).toBe(21);
    expect(await b!.take('ingest:k')).toEqual({ ok: false, retryAfterSeconds: 10 }); // b's look finds it gone
    expect(counts.writes).toBe(22);
  });

  it('an instance holds at most N: after a pause one instance alone gets at most burst + N at once', async () => {
    const clock = { t: START };
    const { store } = sharedBuckets(clock);
    const a = rateLimiter(60, store, () => clock.t, { lease: true }); // N = 6
    await takeInTurn([a], 'ingest:k', 3); // held 3: topped up to 6 in the background
    clock.t += 120_000; // the shared bucket is full again
    const burst = await takeInTurn([a], 'ingest:k', 100);
    expect(burst.filter((d) => d.ok)).toHaveLength(60 + 6);
  });

  it('keeps the limit within the documented slack after a pause: two instances give at most burst + 2N at once, then the rate', async () => {
    const clock = { t: START };
    const { store } = sharedBuckets(clock);
    const [a, b] = [0, 1].map(() => rateLimiter({ perMinute: 60, burst: 60 }, store, () => clock.t, { lease: true }));
    await takeInTurn([a!, b!], 'ingest:k', 2); // each holds 5 of a lease of 6
    clock.t += 120_000; // the shared bucket is full again; the leases still hold 5 each
    const burst = await takeInTurn([a!, b!], 'ingest:k', 200);
    const n = leaseSize(60);
    expect(burst.filter((d) => d.ok)).toHaveLength(60 + 2 * 5);
    expect(burst.filter((d) => d.ok).length).toBeLessThanOrEqual(60 + 2 * n);
    // Then the rate: over the next 30 s, one request every 100 ms, at most 30 (+ nothing held) go through.
    let later = 0;
    for (let i = 0; i < 300; i++) {
      clock.t += 100;
      if ((await [a!, b!][i % 2]!.take('ingest:k')).ok) later++;
    }
    expect(later).toBeGreaterThanOrEqual(29);
    expect(later).toBeLessThanOrEqual(30);
  });

  it('may refuse on one instance while the other holds unspent tokens: at most N of them', async () => {
    const clock = { t: START };
    const { store } = sharedBuckets(clock);
    const [a, b] = [0, 1].map(() => rateLimiter(60, store, () => clock.t, { lease: true }));
    expect((await b!.take('ingest:k')).ok).toBe(true); // b holds 5
    const onA = await takeInTurn([a!], 'ingest:k', 80);
    expect(onA.filter((d) => d.ok)).toHaveLength(60 - 6);
    expect(onA[79]).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect((await takeInTurn([b!], 'ingest:k', 6)).filter((d) => d.ok)).toHaveLength(5);
  });

  it('a failed lease fails the requests waiting for it; the next request tries again', async () => {
    const clock = { t: START };
    const { store, counts } = sharedBuckets(clock);
    const limiter = rateLimiter(60, store, () => clock.t, { lease: true });
    counts.fail = true;
    const waiting = await Promise.allSettled([limiter.take('ingest:k'), limiter.take('ingest:k'), limiter.take('ingest:k')]);
    expect(waiting.map((w) => w.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(counts.writes).toBe(1);
    expect((await limiter.take('ingest:k')).ok).toBe(true);
    expect((await store.read('ingest:k'))!.tokens).toBe(54);
  });

  it('remembers leases for at most maxLeasedKeys keys; a forgotten lease is lost, never given twice', async () => {
    const clock = { t: START };
    const { store, counts } = sharedBuckets(clock);
    const limiter = rateLimiter(60, store, () => clock.t, { lease: true, maxLeasedKeys: 2 });
    for (const key of ['k1', 'k2', 'k3']) await limiter.take(key);
    expect(counts.writes).toBe(3);
    await limiter.take('k3');
    await limiter.take('k2');
    expect(counts.writes).toBe(3); // still held
    await limiter.take('k1'); // forgotten: a new lease, the old one's 5 tokens lost
    expect(counts.writes).toBe(4);
    expect((await store.read('k1'))!.tokens).toBe(48);
  });

  it('does not lease on a store only this process uses (SQLite): one exact write per request', async () => {
    const clock = { t: START };
    const { store, counts } = sharedBuckets(clock, false);
    const limiter = rateLimiter(60, store, () => clock.t, { lease: true });
    const decisions = await takeInTurn([limiter], 'ingest:k', 61);
    expect(counts.writes).toBe(61);
    expect(decisions.filter((d) => d.ok)).toHaveLength(60);
    expect((await store.read('ingest:k'))!.tokens).toBe(0);
  });

  it('does not lease unless asked: sign-in failures count each at once on a shared store', async () => {
    const clock = { t: START };
    const { store, counts } = sharedBuckets(clock);
    const plain = rateLimiter(60, store, () => clock.t);
    await takeInTurn([plain], 'k', 3);
    expect(counts.writes).toBe(3);
    expect((await store.read('k'))!.tokens).toBe(57);

    const [a, b] = [0, 1].map(() => signInLimiter(store, () => clock.t));
    for (let i = 0; i < 10; i++) await [a!, b!][i % 2]!.failed('guessed@example.com', '203.0.113.5');
    expect(counts.writes).toBe(3 + 30); // three buckets per failure, each written at once
    // The eleventh try is refused on both "instances": the shared count, exactly.
    expect((await a!.check('guessed@example.com', '203.0.113.5')).ok).toBe(false);
    expect((await b!.check('guessed@example.com', '203.0.113.5')).ok).toBe(false);
  });
});
