/** Search finds events by their userId, on a new store and on one upgraded from 0.3 (whose index lacked it). */
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/store/sqlite/db.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { getFeed, insertEvent, makeApp, type TestApp, tempDir } from './helpers.ts';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

const names = (page: { events: { name: string | null }[] }) => page.events.map((e) => e.name);

describe('search by userId', () => {
  it('finds every event about a user by the whole id or its start, alone or with other words', async () => {
    t = await makeApp();
    const cookie = await t.signIn();
    const now = Date.now();
    await insertEvent(t.store, { name: 'Login from a new device', userId: 'u_77' }, now - 3000);
    await insertEvent(t.store, { name: 'Refund requested', userId: 'u_77', content: 'order 4471' }, now - 2000);
    await insertEvent(t.store, { name: 'Refund requested', userId: 'u_78' }, now - 1000);
    await insertEvent(t.store, { name: 'Unrelated', content: 'nothing about u_77 here? yes: u_77' }, now);

    expect(names(await getFeed(t.app, cookie, '?q=u_77'))).toEqual(['Unrelated', 'Refund requested', 'Login from a new device']);
    expect(names(await getFeed(t.app, cookie, '?q=refund%20u_77'))).toEqual(['Refund requested']);
    expect((await getFeed(t.app, cookie, '?q=u_78')).events.map((e) => e.userId)).toEqual(['u_78']);
    expect(names(await getFeed(t.app, cookie, '?q=u_7'))).toHaveLength(4);
    expect((await getFeed(t.app, cookie, '?q=u_79')).events).toEqual([]);
  });

  it('an upgraded store gets its index rebuilt once, with userIds, and nothing else lost', async () => {
    const dir = tempDir();
    try {
      // A store as 0.3 left it: its migrations (schema version 3), its index without userIds.
      const old = openDatabase(join(dir, 'switchboard.db'), 3);
      const put = old.prepare(`INSERT INTO events (id, name, type, content, notify, test, context_start, user_id, created_at)
        VALUES (?, ?, ?, ?, 0, 0, 0, ?, ?) RETURNING seq`);
      const index = old.prepare('INSERT INTO events_fts (rowid, name, body) VALUES (?, ?, ?)');
      for (const [id, name, type, content, userId, at] of [
        ['e1', 'Chargeback opened', 'text', '"dispute 1182"', 'cus_9Q2', Date.now() - 1000],
        ['e2', 'Payout held', 'json', '{"account":"acct_4471"}', null, Date.now()],
      ] as const) {
        const { seq } = put.get(id, name, type, content, userId, at) as { seq: number };
        index.run(seq, name, '');
      }
      old.close();

      let store = openStore(dir);
      expect(store.reindexed).toBe(2);
      const search = async (s: string) => (await sqliteAppStore(store).events.feed({ projectId: DEFAULT_PROJECT_ID, test: false, category: null, search: s, cursor: null, limit: 10 })).events.map((e) => e.name);
      expect(await search('cus_9q2')).toEqual(['Chargeback opened']);
      expect(await search('dispute')).toEqual(['Chargeback opened']);
      expect(await search('acct_4471')).toEqual(['Payout held']);
      store.close();

      // Opening again does not rebuild again.
      store = openStore(dir);
      expect(store.reindexed).toBe(0);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
