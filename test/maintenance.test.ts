import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMaintenance } from '../server/store/maintenance.ts';
import { insertEvent, makeApp, type TestApp } from './helpers.ts';
import { sqliteAppStore } from '../server/store/appStore.ts';

const DAY = 24 * 60 * 60 * 1000;
let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.cleanup();
});

describe('maintenance', () => {
  it('forgets expired sessions, day-old idempotency answers and live-log entries, and keeps the rest', async () => {
    const now = Date.now();
    const user = t.store.users.create('m@example.com', 'scrypt$x', 'member', now);
    t.store.sessions.create('old', user.id, now - 40 * DAY, now - DAY);
    t.store.sessions.create('fresh', user.id, now, now + DAY);
    t.store.idempotency.save('k', 'old', { id: 'a' }, now - 2 * DAY);
    t.store.idempotency.save('k', 'fresh', { id: 'b' }, now);
    insertEvent(t.store, { name: 'old' }, now - 3 * DAY);
    insertEvent(t.store, { name: 'older but last' }, now - 2 * DAY);
    const lastSeq = t.store.events.lastLiveSeq();

    expect(await runMaintenance(sqliteAppStore(t.store), now)).toEqual({ sessions: 1, idempotency: 1, liveLog: 1 });
    expect(t.store.sessions.find('fresh', now)).toBeDefined();
    expect(t.store.sessions.find('old', now)).toBeUndefined();
    expect(t.store.idempotency.find('k', 'fresh', now)).toEqual({ id: 'b' });
    // The newest entry stays, so SSE ids keep counting up after a prune.
    expect(t.store.events.lastLiveSeq()).toBe(lastSeq);
  });
});
