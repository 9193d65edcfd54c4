/** Search finds events by their userId, on a new store and on one upgraded from 0.3 (whose index lacked it). */
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteAppStore } from '../server/store/appStore.ts';
import { openStore } from '../server/store/sqlite/index.ts';
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
      // A store as 0.3 left it: the index without userIds, schema version 3.
      let store = openStore(dir);
      await insertEvent(sqliteAppStore(store), { name: 'Chargeback opened', userId: 'cus_9Q2', content: 'dispute 1182' }, Date.now() - 1000);
      await insertEvent(sqliteAppStore(store), { name: 'Payout held', type: 'json', content: { account: 'acct_4471' } }, Date.now());
      store.db.exec(`DROP TABLE events_fts;
        CREATE VIRTUAL TABLE events_fts USING fts5(name, body, content='', tokenize='unicode61 remove_diacritics 2');
        INSERT INTO events_fts (rowid, name, body) SELECT seq, name, '' FROM events;
        ALTER TABLE actions DROP COLUMN lease_until; -- added by migration 005, after 0.3
        PRAGMA user_version = 3;`);
      store.close();

      store = openStore(dir);
      expect(store.reindexed).toBe(2);
      const search = (s: string) => store.events.feed({ projectId: DEFAULT_PROJECT_ID, test: false, category: null, search: s, cursor: null, limit: 10 }).events.map((e) => e.name);
      expect(search('cus_9q2')).toEqual(['Chargeback opened']);
      expect(search('dispute')).toEqual(['Chargeback opened']);
      expect(search('acct_4471')).toEqual(['Payout held']);
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
