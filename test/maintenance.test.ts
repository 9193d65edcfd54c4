import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMaintenance } from '../server/store/maintenance.ts';
import { insertEvent, makeApp, type TestApp } from './helpers.ts';

const DAY = 24 * 60 * 60 * 1000;
let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.cleanup();
});

describe('maintenance', () => {
  it('forgets expired sessions, day-old idempotency answers and live-log entries and full rate-limit buckets, and keeps the rest', async () => {
    const now = Date.now();
    const user = await t.store.users.create('m@example.com', 'scrypt$x', 'member', now);
    await t.store.sessions.create('old', user.id, now - 40 * DAY, now - DAY);
    await t.store.sessions.create('fresh', user.id, now, now + DAY);
    await t.store.idempotency.save('k', 'old', { id: 'a' }, now - 2 * DAY);
    await t.store.idempotency.save('k', 'fresh', { id: 'b' }, now);
    await insertEvent(t.store, { name: 'old' }, now - 3 * DAY);
    await insertEvent(t.store, { name: 'older but last' }, now - 2 * DAY);
    const lastSeq = await t.store.events.lastLiveSeq();
    // A rate-limit bucket full again since a minute ago, and one still refilling.
    await t.store.buckets.change('full', () => ({ next: { tokens: 3, at: now - DAY, fullAt: now - 60_000 }, result: null }));
    await t.store.buckets.change('refilling', () => ({ next: { tokens: 0, at: now, fullAt: now + 60_000 }, result: null }));

    expect(await runMaintenance(t.store, now)).toEqual({ sessions: 1, idempotency: 1, liveLog: 1, rateBuckets: 1 });
    expect(await t.store.buckets.read('full')).toBeNull();
    expect(await t.store.buckets.read('refilling')).toMatchObject({ tokens: 0 });
    expect(await t.store.sessions.find('fresh', now)).toBeDefined();
    expect(await t.store.sessions.find('old', now)).toBeUndefined();
    expect(await t.store.idempotency.find('k', 'fresh', now)).toEqual({ id: 'b' });
    // The newest entry stays, so SSE ids keep counting up after a prune.
    expect(await t.store.events.lastLiveSeq()).toBe(lastSeq);
  });
});
