/**
 * The store conformance suite: one list of repository behaviours, run against the SQLite store (as
 * the app uses it, through sqliteAppStore) and against the PostgreSQL store on a real server: settings,
 * users, sessions, API keys, Idempotency-Key answers, events (ingest, cursor pages under tied
 * timestamps, threads, categories, search with prefix words and hostile input, the live log), the
 * action state machine and its attempts, and the push subscriptions and outbox.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventDto } from '../contract/api.ts';
import { type AppStore, type StoreRepositories, sqliteAppStore } from '../server/store/appStore.ts';
import { openStore, type SqliteStore } from '../server/store/sqlite/index.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { normalized, tempDir } from './helpers.ts';

type Repos = StoreRepositories;

interface Backend {
  name: string;
  open(): Promise<AppStore>;
  /** A second process's store on the same data (only where several processes may share it). */
  another?(): Promise<AppStore>;
  close(): Promise<void>;
}

function sqliteBackend(): Backend {
  let dir: string;
  let store: SqliteStore;
  return {
    name: 'SQLite',
    async open() {
      dir = tempDir();
      store = openStore(dir);
      return sqliteAppStore(store);
    },
    async close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(): Backend {
  let database: TestDatabase;
  let store: AppStore;
  return {
    name: 'PostgreSQL',
    async open() {
      database = await createTestDatabase('conformance');
      store = await openPostgresStore(database.url, { max: 4 });
      return store;
    },
    another: () => openPostgresStore(database.url, { max: 2 }),
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

const DAY = 24 * 60 * 60 * 1000;
const T = Date.UTC(2026, 11, 3, 12, 0, 0);

for (const backend of [sqliteBackend(), postgresBackend()]) {
  describe(`store conformance: ${backend.name}`, () => {
    let s: AppStore;
    beforeAll(async () => {
      s = await backend.open();
    });
    afterAll(async () => {
      await backend.close();
    });

    describe('transactions', () => {
      it('commits together, and a failure rolls back everything written in it', async () => {
        await s.transaction(async (tx) => {
          await tx.settings.set('t1', 'a');
          await tx.settings.set('t2', 'b');
        });
        expect([await s.settings.get('t1'), await s.settings.get('t2')]).toEqual(['a', 'b']);
        await expect(
          s.transaction(async (tx) => {
            await tx.settings.set('t3', 'c');
            await tx.settings.remove('t1');
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect([await s.settings.get('t1'), await s.settings.get('t3')]).toEqual(['a', null]);
      });

      it('a write from outside is never part of an open transaction: it survives that transaction rolling back', async () => {
        let release!: () => void;
        const held = new Promise<void>((r) => {
          release = r;
        });
        const inside = s.transaction(async (tx) => {
          await tx.settings.set('inside', '1');
          await held;
          throw new Error('rolled back');
        });
        await new Promise((r) => setTimeout(r, 50));
        const outside = s.settings.set('outside', '1');
        await new Promise((r) => setTimeout(r, 50));
        release();
        await expect(inside).rejects.toThrow('rolled back');
        await outside;
        expect(await s.settings.get('inside')).toBeNull();
        expect(await s.settings.get('outside')).toBe('1');
      });
    });

    describe('exclusive jobs', () => {
      it('runs a job in a transaction; on a shared store a second instance trying it meanwhile skips it', async () => {
        let release!: () => void;
        const held = new Promise<void>((r) => {
          release = r;
        });
        const first = s.exclusive('sweep', async (tx) => {
          await tx.settings.set('swept', '1');
          await held;
          return 'first';
        });
        await new Promise((r) => setTimeout(r, 50));
        // A second process: on PostgreSQL a store of its own; SQLite has one process, which waits its turn.
        const other = backend.another ? await backend.another() : s;
        const second = other.exclusive('sweep', async () => 'second');
        const unrelated = other.exclusive('another job', async () => 'another');
        if (backend.name === 'PostgreSQL') {
          expect(await second).toBeNull();
          expect(await unrelated).toBe('another');
        }
        release();
        expect(await first).toBe('first');
        if (backend.name === 'SQLite') expect([await second, await unrelated]).toEqual(['second', 'another']);
        expect(await other.exclusive('sweep', async () => 'again')).toBe('again');
        if (other !== s) await other.close();
      });
    });

    describe('settings', () => {
      it('sets, overwrites, reads and removes a value; a missing key is null', async () => {
        expect(await s.settings.get('nope')).toBeNull();
        await s.settings.set('k', 'one');
        await s.settings.set('k', 'two');
        expect(await s.settings.get('k')).toBe('two');
        expect(await s.settings.remove('k')).toBe(true);
        expect(await s.settings.remove('k')).toBe(false);
        expect(await s.settings.get('k')).toBeNull();
      });
    });

    describe('users and sessions', () => {
      let id: string;
      beforeEach(async () => {
        id = (await s.users.byEmail('ana@example.com'))?.id ?? (await s.users.create('Ana@Example.com', 'scrypt$hash', 'owner', T)).id;
      });

      it('creates a user, finds it by email whatever the case, by id, and counts', async () => {
        const found = await s.users.byEmail('ANA@example.COM');
        expect(found).toMatchObject({ id, email: 'Ana@Example.com', password_hash: 'scrypt$hash', role: 'owner', created_at: T });
        expect(await s.users.byId(id)).toEqual(found);
        expect(await s.users.byId('missing')).toBeUndefined();
        expect(await s.users.count()).toBe(1);
      });

      it('refuses a second account for the same email in another case', async () => {
        await expect(s.users.create('ana@EXAMPLE.com', 'x', 'member', T)).rejects.toThrow();
        expect(await s.users.count()).toBe(1);
      });

      it('finds a session until it expires, with its user; touch slides it; remove and purge end it', async () => {
        await s.sessions.create('h1', id, T, T + DAY);
        expect(await s.sessions.find('h1', T + 1000)).toEqual({ token_hash: 'h1', expires_at: T + DAY, last_seen_at: T, user_id: id, email: 'Ana@Example.com', role: 'owner' });
        expect(await s.sessions.find('h1', T + DAY)).toBeUndefined();
        await s.sessions.touch('h1', T + 5000, T + 2 * DAY);
        expect(await s.sessions.find('h1', T + DAY)).toMatchObject({ expires_at: T + 2 * DAY, last_seen_at: T + 5000 });
        await s.sessions.remove('h1');
        expect(await s.sessions.find('h1', T)).toBeUndefined();
        await s.sessions.create('old', id, T - 3 * DAY, T - DAY);
        await s.sessions.create('new', id, T, T + DAY);
        expect(await s.sessions.purgeExpired(T)).toBe(1);
        expect(await s.sessions.find('new', T)).toBeDefined();
      });
    });

    describe('API keys', () => {
      it('creates, resolves by hash, lists newest first, marks use at most once a minute, and revokes at once', async () => {
        const a = await s.apiKeys.create({ id: 'k1', name: 'billing', prefix: 'sb_abc', keyHash: 'hash1', createdBy: null, now: T });
        await s.apiKeys.create({ id: 'k2', name: 'auth', prefix: 'sb_def', keyHash: 'hash2', createdBy: null, now: T + 1 });
        expect(a).toEqual({ id: 'k1', name: 'billing', prefix: 'sb_abc', created_at: T, last_used_at: null, revoked_at: null });
        expect(await s.apiKeys.activeIdByHash('hash1')).toBe('k1');
        expect(await s.apiKeys.activeIdByHash('nope')).toBeNull();
        expect((await s.apiKeys.list()).map((k) => k.id)).toEqual(['k2', 'k1']);

        await s.apiKeys.markUsed('k1', T + 10_000);
        await s.apiKeys.markUsed('k1', T + 20_000); // within a minute: not written again
        expect((await s.apiKeys.list()).find((k) => k.id === 'k1')?.last_used_at).toBe(T + 10_000);
        await s.apiKeys.markUsed('k1', T + 80_000);
        expect((await s.apiKeys.list()).find((k) => k.id === 'k1')?.last_used_at).toBe(T + 80_000);

        expect(await s.apiKeys.revoke('k1', T + 90_000)).toBe(true);
        expect(await s.apiKeys.activeIdByHash('hash1')).toBeNull();
        expect(await s.apiKeys.revoke('k1', T + 90_000)).toBe(false);
        expect((await s.apiKeys.list()).map((k) => k.id)).toEqual(['k2']);
      });
    });

    describe('Idempotency-Key answers', () => {
      it('answers the first response for 24 hours per API key, the newest save wins, and old ones are purged', async () => {
        await s.idempotency.save('key-a', 'retry-1', { id: 'evt_1' }, T);
        expect(await s.idempotency.find('key-a', 'retry-1', T + 1000)).toEqual({ id: 'evt_1' });
        expect(await s.idempotency.find('key-b', 'retry-1', T + 1000)).toBeNull();
        expect(await s.idempotency.find('key-a', 'retry-1', T + DAY)).toBeNull();
        await s.idempotency.save('key-a', 'retry-1', { id: 'evt_2', warnings: ['x'] }, T + 5);
        expect(await s.idempotency.find('key-a', 'retry-1', T + 10)).toEqual({ id: 'evt_2', warnings: ['x'] });
        await s.idempotency.save('key-a', 'fresh', { id: 'evt_3' }, T + DAY);
        expect(await s.idempotency.purgeExpired(T + DAY + 10)).toBe(1);
        expect(await s.idempotency.find('key-a', 'fresh', T + DAY + 10)).toEqual({ id: 'evt_3' });
      });
    });

    describe('settings written once', () => {
      it('setIfAbsent keeps the first value and answers it to every later caller', async () => {
        expect(await s.settings.setIfAbsent('secret', 'first')).toBe('first');
        expect(await s.settings.setIfAbsent('secret', 'second')).toBe('first');
        expect(await s.settings.get('secret')).toBe('first');
      });
    });

    describe('Idempotency-Key claims', () => {
      it('a claim takes a free key (null) and then answers what was saved with it; an expired answer is taken over', async () => {
        expect(await s.transaction(async (tx) => {
          const first = await tx.idempotency.claim('key-c', 'once', T);
          await tx.idempotency.save('key-c', 'once', { id: 'evt_9' }, T);
          return first;
        })).toBeNull();
        expect(await s.transaction((tx) => tx.idempotency.claim('key-c', 'once', T + 1000))).toEqual({ id: 'evt_9' });
        expect(await s.transaction((tx) => tx.idempotency.claim('key-d', 'once', T + 1000))).toBeNull();
        expect(await s.transaction((tx) => tx.idempotency.claim('key-c', 'once', T + DAY + 1))).toBeNull();
      });

      it('a claim rolled back with its transaction leaves the key free', async () => {
        await expect(s.transaction(async (tx) => {
          await tx.idempotency.claim('key-e', 'k', T);
          throw new Error('write failed');
        })).rejects.toThrow('write failed');
        expect(await s.transaction((tx) => tx.idempotency.claim('key-e', 'k', T + 1))).toBeNull();
      });
    });

    describe('events', () => {
      const add = (tx: Repos, body: Record<string, unknown>, at: number) => tx.events.insert(normalized(body), null, at);
      const insert = (body: Record<string, unknown>, at: number) => s.transaction((tx) => add(tx, body, at));
      const names = (events: EventDto[]) => events.map((e) => e.name);
      const allPages = async (q: { category?: string; search?: string; test?: boolean }, limit: number) => {
        const out: EventDto[] = [];
        let cursor: { createdAt: number; seq: number } | null = null;
        for (let i = 0; i < 100; i++) {
          const page = await s.events.feed({ test: q.test ?? false, limit, cursor, category: q.category ?? null, search: q.search ?? null });
          out.push(...page.events);
          if (!page.next) return out;
          cursor = page.next;
        }
        throw new Error('pages did not end');
      };
      const E = T + 10 * DAY;

      it('stores an event with its actions and answers it by id and by seq exactly as inserted', async () => {
        const inserted = await insert({
          name: 'Payment failed', avatar: '💳', category: 'pay-conf', userId: 'u-42', type: 'json', content: { amount: 12, ok: false },
          notify: true, actions: [
            { key: 'refund', buttonText: 'Refund', url: 'https://example.com/refund', expireIn: 60, meta: { id: 7 }, type: 'danger' },
            { key: 'open', buttonText: 'Open', url: 'https://example.com/x', external: true },
          ],
        }, E);
        const byId = await s.events.byId(inserted.live.event.id);
        expect(byId?.seq).toBe(inserted.seq);
        expect(byId?.event).toEqual(inserted.live.event);
        expect(await s.events.bySeq(inserted.seq)).toEqual(inserted.live.event);
        expect(inserted.live.event.actions.map((a) => [a.key, a.state, a.external, a.expiresAt])).toEqual([
          ['refund', 'idle', false, new Date(E + 60 * 60_000).toISOString()],
          ['open', 'idle', true, expect.any(String)],
        ]);
        expect(await s.events.byId('missing')).toBeNull();
        expect(await s.events.bySeq(999_999)).toBeNull();
      });

      it('pages newest first, ties broken by arrival, with no event missed or repeated', async () => {
        await s.transaction(async (tx) => {
          for (let i = 0; i < 23; i++) await add(tx, { name: `tie ${i}`, category: 'tie-conf' }, E + 1000);
          for (let i = 0; i < 4; i++) await add(tx, { name: `later ${i}`, category: 'tie-conf' }, E + 2000 + i);
          await add(tx, { name: 'earlier', category: 'tie-conf' }, E + 500);
        });
        const expected = ['later 3', 'later 2', 'later 1', 'later 0', ...Array.from({ length: 23 }, (_, i) => `tie ${22 - i}`), 'earlier'];
        expect(names(await allPages({ category: 'tie-conf' }, 5))).toEqual(expected);
        expect(names(await allPages({ category: 'tie-conf' }, 28))).toEqual(expected);
        expect(names(await allPages({ category: 'tie-conf' }, 1))).toEqual(expected);
      });

      it('threads: an opener adopts earlier events of its context, later ones join it, other modes stay apart', async () => {
        const early = await insert({ name: 'step 1', contextId: 'job-c' }, E);
        const opener = await insert({ name: 'job c', contextId: 'job-c', contextStart: true }, E + 10);
        expect(opener.live.event.threadCount).toBe(1);
        const later = await insert({ name: 'step 2', contextId: 'job-c' }, E + 20);
        expect(later.live.event.parentId).toBe(opener.live.event.id);
        const testChild = await insert({ name: 'test step', contextId: 'job-c', test: true }, E + 30);
        expect(testChild.live.event.parentId).toBeNull();
        expect((await s.events.byId(early.live.event.id))?.event.parentId).toBe(opener.live.event.id);
        expect(names(await s.events.thread(opener.seq))).toEqual(['step 1', 'step 2']);
        expect((await s.events.bySeq(opener.seq))?.threadCount).toBe(2);
        // The feed shows the opener, not its children; a category view shows children too.
        const top = names((await s.events.feed({ test: false, limit: 500, cursor: null, category: null, search: null })).events);
        expect(top).toContain('job c');
        expect(top).not.toContain('step 2');
      });

      it('counts categories, most first, ties in byte order, per mode', async () => {
        await s.transaction(async (tx) => {
          for (const c of ['zeta-c', 'Beta-c', 'alpha-c', 'alpha-c', 'beta-c']) await add(tx, { name: c, category: c }, E);
          await add(tx, { name: 'x', category: 'test-only-c', test: true }, E);
        });
        const cats = (await s.events.categories(false)).filter((c) => c.category.endsWith('-c'));
        expect(cats).toEqual([
          { category: 'alpha-c', count: 2 }, { category: 'Beta-c', count: 1 }, { category: 'beta-c', count: 1 }, { category: 'zeta-c', count: 1 },
        ]);
        expect((await s.events.categories(true)).map((c) => c.category)).toContain('test-only-c');
      });

      it('searches prefix words across name, text and userId, newest first, and survives hostile input', async () => {
        await s.transaction(async (tx) => {
          await add(tx, { name: 'Quokka signup', content: 'from Zürich', userId: 'ana@example.com' }, E);
          await add(tx, { name: 'quokka refund', type: 'json', content: { note: 'café' } }, E + 1);
          await add(tx, { name: 'unrelated', content: 'quokkas elsewhere' }, E + 2);
        });
        const search = async (q: string) => names(await allPages({ search: q }, 2));
        expect(await search('quok')).toEqual(['unrelated', 'quokka refund', 'Quokka signup']);
        expect(await search('quokka sign')).toEqual(['Quokka signup']);
        expect(await search('zurich')).toEqual(['Quokka signup']);
        expect(await search('CAFE')).toEqual(['quokka refund']);
        expect(await search('ana@example')).toEqual(['Quokka signup']);
        for (const hostile of ['"', '"quok', '*', 'quok*', 'NEAR(quok', 'quok AND', 'OR', '\0quok', "'; DROP TABLE events; --", '&', ':*', '\\', '(((']) {
          const found = await search(hostile);
          expect(Array.isArray(found)).toBe(true);
        }
        expect(await search('\0quok')).toEqual(['unrelated', 'quokka refund', 'Quokka signup']);
        expect(await search('&')).toEqual([]);
        expect(await search('   ')).toEqual(names(await allPages({}, 500)));
      });

      it('stores and finds by prefix an event with one enormous word (PostgreSQL keeps a lexeme to 2046 bytes)', async () => {
        const word = `zyx${'é'.repeat(20_000)}`;
        const inserted = await insert({ name: 'huge word', content: word }, E);
        expect((await s.events.byId(inserted.live.event.id))?.event.content).toBe(word);
        const found = await s.events.feed({ test: false, limit: 5, cursor: null, category: null, search: 'zyxee' });
        expect(names(found.events)).toEqual(['huge word']);
      });

      it('inserts a batch in arrival order, threads in their place, answering each as insert would', async () => {
        const bodies = [
          { name: 'batch 1', category: 'batch-c', actions: [{ key: 'go', buttonText: 'Go', url: 'https://example.com/go', expireIn: 5 }] },
          { name: 'batch opener', category: 'batch-c', contextId: 'batch-t', contextStart: true },
          { name: 'batch child', category: 'batch-c', contextId: 'batch-t' },
          { name: 'batch \u0000 odd \ud800 text', category: 'batch-c', userId: 'u\udc00' },
          { name: 'batch test', category: 'batch-c', test: true },
        ];
        const inserted = await s.transaction((tx) => tx.events.insertMany(bodies.map((b, i) => ({ event: normalized(b), apiKeyId: 'k1', createdAt: E + i }))));
        // A NUL, a lone surrogate or what a store kept in their place (U+FFFD, one or more) reads as one '?'.
        const plain = (n: string | null | undefined) =>
          n === null || n === undefined ? n : [...n].map((c) => (c === '\u0000' || c === '\uFFFD' || /\p{Cs}/u.test(c) ? '?' : c)).join('').replace(/\?+/g, '?');
        expect(inserted.map((x) => plain(x.live.event.name))).toEqual(['batch 1', 'batch opener', 'batch child', 'batch ? odd ? text', 'batch test']);
        const seqs = inserted.map((x) => x.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        const lives = inserted.map((x) => x.live.liveSeq);
        expect(lives).toEqual([...lives].sort((a, b) => a - b));
        for (const x of inserted) {
          const stored = await s.events.bySeq(x.seq);
          expect(stored?.id).toBe(x.live.event.id);
          // The opener's count grew when its child came after it in the batch.
          if (!x.live.event.name?.includes('odd')) expect(stored).toEqual({ ...x.live.event, threadCount: x === inserted[1] ? 1 : 0 });
        }
        expect(inserted[2]!.live.event.parentId).toBe(inserted[1]!.live.event.id);
        expect((await s.events.liveAfter(lives[0]! - 1, null, 10)).map((e) => plain(e.event.name))).toEqual(inserted.map((x) => plain(x.live.event.name)));
      });

      it('takes a NUL in any text without failing: kept by SQLite, U+FFFD on PostgreSQL (whose text cannot hold it)', async () => {
        const inserted = await insert({ name: 'nul\u0000name', category: 'nul\u0000cat', userId: 'u\u0000' }, E);
        const stored = (await s.events.byId(inserted.live.event.id))?.event;
        const kept = backend.name === 'SQLite' ? '\u0000' : '\uFFFD';
        expect(stored).toMatchObject({ name: `nul${kept}name`, category: `nul${kept}cat`, userId: `u${kept}` });
        expect(await s.events.byId('no\u0000such')).toBeNull();
        expect(await s.users.byEmail('x\u0000@example.com')).toBeUndefined();
        expect(await s.apiKeys.activeIdByHash('\u0000')).toBeNull();
      });

      it('keeps a live log: numbered in order, read after a number per mode or both, counted with a cap, pruned but never emptied', async () => {
        const before = await s.events.lastLiveSeq();
        const a = await insert({ name: 'live a' }, E);
        const b = await insert({ name: 'live b', test: true }, E + 1);
        const c = await s.transaction((tx) => tx.events.recordLive('action', a.seq, false, E + 2));
        expect([a.live.liveSeq, b.live.liveSeq, c]).toEqual([before + 1, before + 2, before + 3]);
        expect(await s.events.lastLiveSeq()).toBe(before + 3);
        expect((await s.events.liveAfter(before, false, 10)).map((e) => [e.liveSeq, e.kind, e.event.name])).toEqual([
          [before + 1, 'event', 'live a'], [before + 3, 'action', 'live a'],
        ]);
        expect((await s.events.liveAfter(before, null, 10)).map((e) => e.liveSeq)).toEqual([before + 1, before + 2, before + 3]);
        expect((await s.events.liveAfter(before, null, 2)).map((e) => e.liveSeq)).toEqual([before + 1, before + 2]);
        expect(await s.events.countLiveAfter(before, false, 10)).toBe(2);
        expect(await s.events.countLiveAfter(before, false, 1)).toBe(1);
        expect((await s.events.entryFor(c, 'action', a.seq))?.event.id).toBe(a.live.event.id);
        expect(await s.events.pruneLive(E + 100 * DAY)).toBeGreaterThan(0);
        expect(await s.events.lastLiveSeq()).toBe(before + 3);
        expect((await s.events.liveAfter(0, null, 10)).map((e) => e.liveSeq)).toEqual([before + 3]);
      });
    });

    describe('the action state machine', () => {
      const A = T + 20 * DAY;
      let seq: number;
      let userId: string;
      beforeAll(async () => {
        userId = (await s.users.create('presser@example.com', 'x', 'member', A)).id;
        const inserted = await s.transaction((tx) => tx.events.insert(normalized({
          name: 'press me', actions: [
            { key: 'once', buttonText: 'Once', url: 'https://example.com/once', expireIn: 10 },
            { key: 'again', buttonText: 'Again', url: 'https://example.com/again', expireIn: 10, repeat: true },
            { key: 'link', buttonText: 'Link', url: 'https://example.com/link', external: true },
          ],
        }), null, A));
        seq = inserted.seq;
      });
      const press = (key: string, at: number, number: number) => s.transaction(async (tx) => {
        const started = await tx.actions.start(seq, key, at, at + 40_000);
        if (started.kind === 'started') {
          await tx.actions.recordAttempt({ id: `att-${key}-${number}`, eventSeq: seq, key, number: started.number, userId, email: 'presser@example.com', startedAt: at });
        }
        return started;
      });
      const ok = { ok: true, status: 200, reason: null, durationMs: 12, responseExcerpt: 'fine' };

      it('runs once at a time, settles, refuses a finished one-shot, and repeats a repeatable one', async () => {
        expect(await press('once', A + 1, 1)).toMatchObject({ kind: 'started', number: 1, url: 'https://example.com/once', buttonText: 'Once' });
        expect(await press('once', A + 2, 2)).toEqual({ kind: 'refused', why: 'running' });
        const attempt = await s.transaction((tx) => tx.actions.finish('att-once-1', seq, 'once', ok, A + 3));
        expect(attempt).toMatchObject({ id: 'att-once-1', number: 1, outcome: 'succeeded', status: 200, pressedBy: 'presser@example.com', durationMs: 12, response: 'fine' });
        expect(await press('once', A + 4, 3)).toEqual({ kind: 'refused', why: 'done' });
        expect((await s.events.bySeq(seq))?.actions.find((a) => a.key === 'once')).toMatchObject({ state: 'succeeded', attempts: 1, lastAttempt: { id: 'att-once-1', outcome: 'succeeded' } });

        expect(await press('again', A + 5, 1)).toMatchObject({ kind: 'started', number: 1 });
        await s.transaction((tx) => tx.actions.finish('att-again-1', seq, 'again', ok, A + 6));
        expect(await press('again', A + 7, 2)).toMatchObject({ kind: 'started', number: 2 });
        await s.transaction((tx) => tx.actions.finish('att-again-2', seq, 'again', { ...ok, ok: false, status: 500, reason: 'status' }, A + 8));
        expect((await s.actions.history(seq)).map((h) => [h.id, h.outcome])).toEqual([
          ['att-once-1', 'succeeded'], ['att-again-1', 'succeeded'], ['att-again-2', 'failed'],
        ]);
        expect(await s.actions.attempt('att-again-2')).toMatchObject({ status: 500, reason: 'status' });
        expect(await s.actions.attempt('missing')).toBeNull();
      });

      it('refuses a link, a missing action and an expired one', async () => {
        expect(await press('link', A + 1, 1)).toEqual({ kind: 'refused', why: 'external' });
        expect(await press('nope', A + 1, 1)).toEqual({ kind: 'refused', why: 'not_found' });
        expect(await press('again', A + 10 * 60_000, 9)).toEqual({ kind: 'refused', why: 'expired' });
      });

      it('settles as interrupted only the presses whose lease ran out, once', async () => {
        expect(await press('again', A + 9, 3)).toMatchObject({ kind: 'started', number: 3 });
        expect(await s.transaction((tx) => tx.actions.recoverInterrupted(A + 9 + 39_000))).toEqual([]);
        expect(await s.transaction((tx) => tx.actions.recoverInterrupted(A + 9 + 40_000))).toEqual([{ eventSeq: seq, key: 'again', test: false }]);
        expect(await s.transaction((tx) => tx.actions.recoverInterrupted(A + 9 + 50_000, true))).toEqual([]);
        expect(await s.actions.attempt('att-again-3')).toMatchObject({ outcome: 'failed', reason: 'interrupted' });
        // An interrupted press may be pressed again.
        expect(await press('again', A + 60_000, 4)).toMatchObject({ kind: 'started', number: 4 });
      });
    });

    describe('push subscriptions and the outbox', () => {
      const P = T + 30 * DAY;
      let ana: string;
      let bob: string;
      const sub = (userId: string, endpoint: string, deviceName: string, now: number, oldEndpoint: string | null = null) =>
        s.push.saveSubscription({ userId, endpoint, p256dh: 'p', auth: 'a', deviceName, oldEndpoint, now });
      beforeAll(async () => {
        ana = (await s.users.create('ana-push@example.com', 'x', 'member', P)).id;
        bob = (await s.users.create('bob-push@example.com', 'x', 'member', P)).id;
      });

      it('keeps one subscription per endpoint, never moves one to another person, and replaces a changed endpoint', async () => {
        const phone = await sub(ana, 'https://push.example/1', 'Phone', P);
        expect(await sub(ana, 'https://push.example/1', 'Phone (renamed)', P + 1)).toBe(phone);
        expect(await sub(bob, 'https://push.example/1', 'Stolen', P + 2)).toBeNull();
        const laptop = await sub(ana, 'https://push.example/2', 'Laptop', P + 3);
        expect((await s.push.devices(ana)).map((d) => [d.id, d.device_name, d.last_seen_at])).toEqual([[phone, 'Phone (renamed)', P + 1], [laptop, 'Laptop', P + 3]]);
        const moved = await sub(ana, 'https://push.example/3', 'Laptop', P + 4, 'https://push.example/2');
        expect((await s.push.devices(ana)).map((d) => d.id)).toEqual([phone, moved]);
        expect(await s.push.deviceCount(ana)).toBe(2);
        expect(await s.push.removeDevice(moved!, bob)).toBe(false);
        expect(await s.push.removeDevice(moved!, ana)).toBe(true);
        expect(await s.push.deviceCount(ana)).toBe(1);
      });

      it('expands the outbox to every device (a test push to its person only), claims with a lease, retries, finishes', async () => {
        await sub(bob, 'https://push.example/bob', 'Bob phone', P);
        const event = await s.transaction(async (tx) => {
          const inserted = await tx.events.insert(normalized({ name: 'push me', notify: true }), null, P + 10);
          await tx.push.enqueueEvent(inserted.seq, P + 10);
          await tx.push.enqueueTest(bob, P + 11);
          return inserted;
        });
        expect(await s.push.pending()).toEqual({ outbox: 2, deliveries: 0 });
        expect(await s.push.expandOutbox(P + 20, 1)).toBe(1);
        expect(await s.push.expandOutbox(P + 20, 10)).toBe(1);
        expect(await s.push.expandOutbox(P + 20, 10)).toBe(0);
        expect(await s.push.pending()).toEqual({ outbox: 0, deliveries: 3 });

        const claimed = await s.push.claimDue(P + 20, 10, P + 60_000);
        expect(claimed.map((d) => [d.kind, d.event_seq, d.endpoint]).sort()).toEqual([
          ['event', event.seq, 'https://push.example/1'], ['event', event.seq, 'https://push.example/bob'], ['test', null, 'https://push.example/bob'],
        ].sort());
        expect(await s.push.claimDue(P + 30, 10, P + 60_000)).toEqual([]);
        const [first, second, third] = claimed;
        await s.push.finish(first!.id);
        await s.push.retryLater(second!.id, 1, P + 5000);
        expect((await s.push.claimDue(P + 5000, 10, P + 90_000)).map((d) => [d.id, d.attempts])).toEqual([[second!.id, 1]]);
        // The lease of a claim that was never settled runs out: it is due again.
        expect((await s.push.claimDue(P + 60_000, 10, P + 120_000)).map((d) => d.id)).toEqual([third!.id]);
        await s.push.removeSubscription(third!.subscription_id);
        expect(await s.push.pending()).toEqual({ outbox: 0, deliveries: second!.subscription_id === third!.subscription_id ? 0 : 1 });
      });
    });
  });
}
