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
import type { AppStore, StoreRepositories } from '../server/store/types.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { openStore, type SqliteStore } from '../server/store/sqlite/index.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { normalized, tempDir } from './helpers.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';

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
/** The project every store starts with (`default`). */
const P1 = DEFAULT_PROJECT_ID;

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
        expect(await s.sessions.find('h1', T + 1000)).toEqual({ token_hash: 'h1', expires_at: T + DAY, last_seen_at: T, proven_at: T, user_id: id, email: 'Ana@Example.com', name: '', role: 'owner', locale: null });
        // Proving who you are again moves this session's step-up time only.
        await s.sessions.create('h2', id, T, T + DAY);
        await s.sessions.prove('h1', T + 700);
        expect(await s.sessions.find('h1', T + 1000)).toMatchObject({ proven_at: T + 700, last_seen_at: T });
        expect(await s.sessions.find('h2', T + 1000)).toMatchObject({ proven_at: T });
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

      it("keeps a person's newest sessions, the one just made among them, and ends the older ones", async () => {
        const id = (await s.users.create('many-sessions@example.com', 'h', 'member', T)).id;
        for (let i = 0; i < 5; i++) await s.sessions.create(`ms${i}`, id, T + i, T + DAY);
        await s.sessions.create('ms-now', id, T, T + DAY); // the newest, though its clock reads older
        expect(await s.sessions.trim(id, 'ms-now', 3)).toBe(3);
        for (const h of ['ms-now', 'ms4', 'ms3']) expect(await s.sessions.find(h, T), h).toBeDefined();
        for (const h of ['ms0', 'ms1', 'ms2']) expect(await s.sessions.find(h, T), h).toBeUndefined();
      });
    });

    describe('press policies', () => {
      it('keeps one document per project, replaced whole, and none for a project never changed', async () => {
        const other = (await s.projects.create('pol', 'Pol', T))!.id;
        expect(await s.policies.get(DEFAULT_PROJECT_ID)).toBeUndefined();
        await s.policies.put(DEFAULT_PROJECT_ID, '{"a":1}', T, 'ana@example.com');
        await s.policies.put(DEFAULT_PROJECT_ID, '{"a":2}', T + 5, 'ben@example.com');
        expect(await s.policies.get(DEFAULT_PROJECT_ID)).toEqual({ document: '{"a":2}', updated_at: T + 5, updated_by: 'ben@example.com' });
        expect(await s.policies.get(other)).toBeUndefined();
        // A deleted project takes its policy with it.
        await s.policies.put(other, '{"b":1}', T, 'ana@example.com');
        await s.projects.remove(other);
        expect(await s.policies.get(other)).toBeUndefined();
      });
    });

    describe('passkeys', () => {
      const key = new Uint8Array([0xa5, 0x01, 0x02, 0x03, 0x26, 0x00, 0xff]);
      const passkey = (id: string, userId: string, at = T) => ({ id, user_id: userId, public_key: key, counter: 0, transports: ['internal', 'hybrid'], name: `key ${id}`, created_at: at });

      it('keeps each credential id once across accounts, lists a person’s oldest first, and renames and removes only their own', async () => {
        const ana = (await s.users.create('pk-ana@example.com', 'h', 'member', T)).id;
        const ben = (await s.users.create('pk-ben@example.com', 'h', 'member', T)).id;
        expect(await s.passkeys.add(passkey('cred-2', ana, T + 2))).toBe(true);
        expect(await s.passkeys.add(passkey('cred-1', ana, T + 1))).toBe(true);
        expect(await s.passkeys.add(passkey('cred-b', ben))).toBe(true);
        // The same credential id again, for anyone: refused, the first kept.
        expect(await s.passkeys.add({ ...passkey('cred-1', ben), name: 'taken' })).toBe(false);
        const listed = await s.passkeys.list(ana);
        expect(listed.map((p) => p.id)).toEqual(['cred-1', 'cred-2']);
        expect(listed[0]).toEqual({ ...passkey('cred-1', ana, T + 1), last_used_at: null });
        expect(listed[0]!.public_key).toBeInstanceOf(Uint8Array);
        expect(await s.passkeys.count(ana)).toBe(2);
        expect(await s.passkeys.byId('cred-b')).toMatchObject({ user_id: ben });
        expect(await s.passkeys.byId('nope')).toBeUndefined();
        expect(await s.passkeys.rename(ben, 'cred-1', 'not yours')).toBe(false);
        expect(await s.passkeys.rename(ana, 'cred-1', 'Laptop')).toBe(true);
        expect((await s.passkeys.byId('cred-1'))!.name).toBe('Laptop');
        expect(await s.passkeys.remove(ben, 'cred-1')).toBeNull();
        expect(await s.passkeys.remove(ana, 'cred-1')).toBe('Laptop');
        expect(await s.passkeys.remove(ana, 'cred-1')).toBeNull();
        expect((await s.passkeys.list(ana)).map((p) => p.id)).toEqual(['cred-2']);
        expect(await s.passkeys.list('nobody')).toEqual([]);
      });

      it('moves the counter only from the value read (compare-and-set), noting the use', async () => {
        const id = (await s.users.create('pk-cas@example.com', 'h', 'member', T)).id;
        await s.passkeys.add(passkey('cred-cas', id));
        expect(await s.passkeys.used('cred-cas', 0, 5, T + 10)).toBe(true);
        // A second use that read the counter before the first was written: refused, nothing changed.
        expect(await s.passkeys.used('cred-cas', 0, 5, T + 20)).toBe(false);
        expect(await s.passkeys.byId('cred-cas')).toMatchObject({ counter: 5, last_used_at: T + 10 });
        // Counters beyond 32 bits (some authenticators count time) are kept whole.
        expect(await s.passkeys.used('cred-cas', 5, 2 ** 40, T + 30)).toBe(true);
        expect((await s.passkeys.byId('cred-cas'))!.counter).toBe(2 ** 40);
        expect(await s.passkeys.used('nope', 0, 1, T)).toBe(false);
      });

      it('gives a challenge once: taken by one DELETE … RETURNING, for its purpose, until it expires', async () => {
        const id = (await s.users.create('pk-ch@example.com', 'h', 'member', T)).id;
        const c = (challenge: string, purpose: 'register' | 'sign_in' | 'step_up', expiresAt = T + 300_000) => ({ challenge, purpose, userId: purpose === 'sign_in' ? null : id, sessionHash: purpose === 'sign_in' ? null : 'sess', expiresAt });
        await s.passkeys.saveChallenge(c('ch-1', 'step_up'), T);
        await s.passkeys.saveChallenge(c('ch-2', 'sign_in'), T);
        await s.passkeys.saveChallenge(c('ch-3', 'register', T + 10), T);
        expect(await s.passkeys.takeChallenge('ch-1', 'step_up', T + 1)).toEqual(c('ch-1', 'step_up'));
        expect(await s.passkeys.takeChallenge('ch-1', 'step_up', T + 1)).toBeNull();
        // Brought for another ceremony: refused, and spent all the same.
        expect(await s.passkeys.takeChallenge('ch-2', 'step_up', T + 1)).toBeNull();
        expect(await s.passkeys.takeChallenge('ch-2', 'sign_in', T + 1)).toBeNull();
        // Expired: refused.
        expect(await s.passkeys.takeChallenge('ch-3', 'register', T + 10)).toBeNull();
        expect(await s.passkeys.takeChallenge('never', 'sign_in', T)).toBeNull();
        // Two takers at once: exactly one gets it.
        await s.passkeys.saveChallenge(c('ch-race', 'sign_in'), T);
        const takers = await Promise.all([s.passkeys.takeChallenge('ch-race', 'sign_in', T + 1), s.passkeys.takeChallenge('ch-race', 'sign_in', T + 1)]);
        expect(takers.filter((x) => x !== null)).toHaveLength(1);
        // Saving one forgets the expired ones.
        await s.passkeys.saveChallenge(c('ch-old', 'sign_in', T + 5), T);
        await s.passkeys.saveChallenge(c('ch-new', 'sign_in'), T + 10);
        await s.passkeys.saveChallenge(c('ch-old', 'sign_in'), T + 10);
        expect(await s.passkeys.takeChallenge('ch-old', 'sign_in', T + 11)).not.toBeNull();
      });
    });

    describe('API keys', () => {
      it('creates, resolves by hash, lists newest first, marks use at most once a minute, and revokes at once', async () => {
        const a = await s.apiKeys.create({ id: 'k1', projectId: P1, name: 'billing', prefix: 'sb_abc', keyHash: 'hash1', scope: 'ingest', createdBy: null, now: T });
        await s.apiKeys.create({ id: 'k2', projectId: P1, name: 'auth', prefix: 'sb_def', keyHash: 'hash2', scope: 'read', createdBy: null, now: T + 1 });
        expect(a).toEqual({
          id: 'k1', project_id: P1, name: 'billing', prefix: 'sb_abc', scope: 'ingest', created_at: T, last_used_at: null, revoked_at: null, created_by: null, created_by_email: null,
        });
        expect(await s.apiKeys.activeByHash('hash1')).toEqual({ id: 'k1', projectId: P1, scope: 'ingest' });
        expect(await s.apiKeys.activeByHash('hash2')).toEqual({ id: 'k2', projectId: P1, scope: 'read' });
        expect(await s.apiKeys.activeByHash('nope')).toBeNull();
        expect((await s.apiKeys.list(P1)).map((k) => k.id)).toEqual(['k2', 'k1']);

        await s.apiKeys.markUsed('k1', T + 10_000);
        await s.apiKeys.markUsed('k1', T + 20_000); // within a minute: not written again
        expect((await s.apiKeys.list(P1)).find((k) => k.id === 'k1')?.last_used_at).toBe(T + 10_000);
        await s.apiKeys.markUsed('k1', T + 80_000);
        expect((await s.apiKeys.list(P1)).find((k) => k.id === 'k1')?.last_used_at).toBe(T + 80_000);

        expect(await s.apiKeys.revoke(P1, 'k1', T + 90_000)).toBe('billing');
        expect(await s.apiKeys.activeByHash('hash1')).toBeNull();
        expect(await s.apiKeys.revoke(P1, 'k1', T + 90_000)).toBeNull();
        expect((await s.apiKeys.list(P1)).map((k) => k.id)).toEqual(['k2']);
        expect(await s.apiKeys.activeCount(P1)).toBe(1);
      });

      it('names who made a key, and revokes the keys one person made in one project', async () => {
        const maker = (await s.users.create('keymaker@example.com', 'h', 'member', T)).id;
        const make = (id: string, projectId: number, by: string | null) =>
          s.apiKeys.create({ id, projectId, name: `n-${id}`, prefix: 'sb_x', keyHash: `kh-${id}`, scope: 'ingest', createdBy: by, now: T });
        expect(await make('km1', P1, maker)).toMatchObject({ created_by: maker, created_by_email: 'keymaker@example.com' });
        await make('km2', P1, maker);
        await make('km3', P1, null);
        expect((await s.apiKeys.list(P1)).find((k) => k.id === 'km2')).toMatchObject({ created_by: maker, created_by_email: 'keymaker@example.com' });
        await s.apiKeys.activeByHash('kh-km1'); // remembered: revoking must forget it
        expect((await s.apiKeys.revokeMadeBy(P1, maker, T + 1)).sort()).toEqual(['n-km1', 'n-km2']);
        expect(await s.apiKeys.activeByHash('kh-km1')).toBeNull();
        expect(await s.apiKeys.activeByHash('kh-km3')).not.toBeNull();
        expect(await s.apiKeys.revokeMadeBy(P1, maker, T + 2)).toEqual([]);
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
      const add = (tx: Repos, body: Record<string, unknown>, at: number) =>
        tx.events.insert({ event: normalized(body), projectId: P1, apiKeyId: null, createdAt: at });
      const insert = (body: Record<string, unknown>, at: number) => s.transaction((tx) => add(tx, body, at));
      const names = (events: EventDto[]) => events.map((e) => e.name);
      const allPages = async (q: { category?: string; search?: string; test?: boolean }, limit: number) => {
        const out: EventDto[] = [];
        let cursor: { createdAt: number; seq: number } | null = null;
        for (let i = 0; i < 100; i++) {
          const page = await s.events.feed({ projectId: P1, test: q.test ?? false, limit, cursor, category: q.category ?? null, search: q.search ?? null });
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
        const top = names((await s.events.feed({ projectId: P1, test: false, limit: 500, cursor: null, category: null, search: null })).events);
        expect(top).toContain('job c');
        expect(top).not.toContain('step 2');
      });

      it("names a thread's opener on its events and its newest event on the opener, as inserted and as read", async () => {
        const opener = await insert({ name: 'deploy d', avatar: '🚀', contextId: 'job-d', contextStart: true }, E + 100);
        expect(opener.live.event.latest).toBeNull();
        const first = await insert({ name: 'build d', contextId: 'job-d' }, E + 200);
        // Arrival order and time order differ: the newest by time wins, ties by arrival.
        const last = await insert({ name: 'finished d', avatar: '✅', contextId: 'job-d' }, E + 400);
        await insert({ name: 'late report d', contextId: 'job-d' }, E + 300);
        const openerSummary = { id: opener.live.event.id, name: 'deploy d', avatar: '🚀', createdAt: new Date(E + 100).toISOString() };
        expect(first.live.event.opener).toEqual(openerSummary);
        expect((await s.events.byId(first.live.event.id))?.event.opener).toEqual(openerSummary);
        const latest = { id: last.live.event.id, name: 'finished d', avatar: '✅', createdAt: new Date(E + 400).toISOString() };
        expect((await s.events.bySeq(opener.seq))?.latest).toEqual(latest);
        const top = (await s.events.feed({ projectId: P1, test: false, limit: 500, cursor: null, category: null, search: null })).events;
        expect(top.find((e) => e.name === 'deploy d')?.latest).toEqual(latest);
        expect(top.find((e) => e.name === 'deploy d')?.opener).toBeNull();
        // A search finds a later event: it names its thread.
        const found = (await s.events.feed({ projectId: P1, test: false, limit: 10, cursor: null, category: null, search: 'finished d' })).events;
        expect(found.map((e) => [e.name, e.opener?.name])).toEqual([['finished d', 'deploy d']]);
        // The thread's newest event deleted: the one before it is the newest now.
        await s.transaction((tx) => tx.events.remove(last.seq));
        expect((await s.events.bySeq(opener.seq))?.latest?.name).toBe('late report d');
      });

      it("filters to one user's events, thread events included, per project and mode", async () => {
        await s.transaction(async (tx) => {
          await add(tx, { name: 'u1 opens', userId: 'user-f1', contextId: 'job-f', contextStart: true }, E + 10);
          await add(tx, { name: 'u1 step', userId: 'user-f1', contextId: 'job-f' }, E + 20);
          await add(tx, { name: 'u2 step', userId: 'user-f2', contextId: 'job-f' }, E + 30);
          await add(tx, { name: 'u1 test', userId: 'user-f1', test: true }, E + 40);
          await add(tx, { name: 'U1 other case', userId: 'USER-F1' }, E + 50);
        });
        const project2 = (await s.projects.create('other-f', 'Other F', T))!;
        await s.transaction((tx) => tx.events.insert({ event: normalized({ name: 'u1 elsewhere', userId: 'user-f1' }), projectId: project2.id, apiKeyId: null, createdAt: E }));
        const feed = (userId: string, test = false, limit = 50, cursor: { createdAt: number; seq: number } | null = null) =>
          s.events.feed({ projectId: P1, test, limit, cursor, category: null, search: null, userId });
        expect(names((await feed('user-f1')).events)).toEqual(['u1 step', 'u1 opens']);
        expect(names((await feed('user-f1', true)).events)).toEqual(['u1 test']);
        const page1 = await feed('user-f1', false, 1);
        expect(names(page1.events)).toEqual(['u1 step']);
        expect(names((await feed('user-f1', false, 1, page1.next)).events)).toEqual(['u1 opens']);
        expect((await feed('nobody')).events).toEqual([]);
        await s.projects.remove(project2.id);
      });

      it('names the API key that sent an event, revoked or not', async () => {
        const key = await s.apiKeys.create({ id: 'key-name-conf', name: 'Billing app', prefix: 'sb_x', keyHash: 'hash-name-conf', scope: 'ingest', createdBy: null, now: T, projectId: P1 });
        const sent = await s.transaction((tx) => tx.events.insert({ event: normalized({ name: 'by key' }), projectId: P1, apiKeyId: key.id, createdAt: E }));
        expect((await s.events.byId(sent.live.event.id))?.apiKeyId).toBe(key.id);
        expect(await s.apiKeys.nameOf(key.id)).toEqual({ name: 'Billing app', revoked: false });
        await s.apiKeys.revoke(P1, key.id, T + 1);
        expect(await s.apiKeys.nameOf(key.id)).toEqual({ name: 'Billing app', revoked: true });
        expect(await s.apiKeys.nameOf('no-such-key')).toBeNull();
      });

      it('counts categories, most first, ties in byte order, per mode', async () => {
        await s.transaction(async (tx) => {
          for (const c of ['zeta-c', 'Beta-c', 'alpha-c', 'alpha-c', 'beta-c']) await add(tx, { name: c, category: c }, E);
          await add(tx, { name: 'x', category: 'test-only-c', test: true }, E);
        });
        const cats = (await s.events.categories(P1, false)).filter((c) => c.category.endsWith('-c'));
        expect(cats).toEqual([
          { category: 'alpha-c', count: 2 }, { category: 'Beta-c', count: 1 }, { category: 'beta-c', count: 1 }, { category: 'zeta-c', count: 1 },
        ]);
        expect((await s.events.categories(P1, true)).map((c) => c.category)).toContain('test-only-c');
        // Counts are kept, not recounted: deleting events takes them off, and a category left empty goes.
        const zeta = (await s.events.feed({ projectId: P1, test: false, limit: 10, cursor: null, category: 'zeta-c', search: null, unhandled: false, userId: null })).events[0]!;
        const alpha = (await s.events.feed({ projectId: P1, test: false, limit: 10, cursor: null, category: 'alpha-c', search: null, unhandled: false, userId: null })).events[0]!;
        await s.transaction(async (tx) => {
          for (const e of [zeta, alpha]) await tx.events.remove((await tx.events.byId(e.id))!.seq);
        });
        expect((await s.events.categories(P1, false)).filter((c) => c.category.endsWith('-c'))).toEqual([
          { category: 'Beta-c', count: 1 }, { category: 'alpha-c', count: 1 }, { category: 'beta-c', count: 1 },
        ]);
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
        const found = await s.events.feed({ projectId: P1, test: false, limit: 5, cursor: null, category: null, search: 'zyxee' });
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
        const inserted = await s.transaction((tx) => tx.events.insertMany(bodies.map((b, i) => ({ event: normalized(b), projectId: P1, apiKeyId: 'k1', createdAt: E + i }))));
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
          // The opener's count grew, and it names its newest event, when its child came after it in the batch.
          const child = inserted[2]!.live.event;
          const grown = x === inserted[1] ? { threadCount: 1, latest: { id: child.id, name: child.name, avatar: child.avatar, createdAt: child.createdAt } } : {};
          if (!x.live.event.name?.includes('odd')) expect(stored).toEqual({ ...x.live.event, ...grown });
        }
        expect(inserted[2]!.live.event.parentId).toBe(inserted[1]!.live.event.id);
        expect((await s.events.liveAfter(null, lives[0]! - 1, null, 10)).map((e) => plain((e.event as EventDto).name))).toEqual(inserted.map((x) => plain(x.live.event.name)));
      });

      it('takes a NUL in any text without failing: kept by SQLite, U+FFFD on PostgreSQL (whose text cannot hold it)', async () => {
        const inserted = await insert({ name: 'nul\u0000name', category: 'nul\u0000cat', userId: 'u\u0000' }, E);
        const stored = (await s.events.byId(inserted.live.event.id))?.event;
        const kept = backend.name === 'SQLite' ? '\u0000' : '\uFFFD';
        expect(stored).toMatchObject({ name: `nul${kept}name`, category: `nul${kept}cat`, userId: `u${kept}` });
        expect(await s.events.byId('no\u0000such')).toBeNull();
        expect(await s.users.byEmail('x\u0000@example.com')).toBeUndefined();
        expect(await s.apiKeys.activeByHash('\u0000')).toBeNull();
      });

      it('keeps a live log: numbered in order, read after a number per mode or both, counted with a cap, pruned but never emptied', async () => {
        const before = await s.events.lastLiveSeq();
        const a = await insert({ name: 'live a' }, E);
        const b = await insert({ name: 'live b', test: true }, E + 1);
        const c = await s.transaction((tx) => tx.events.recordLive('action', a.seq, false, E + 2));
        expect([a.live.liveSeq, b.live.liveSeq, c]).toEqual([before + 1, before + 2, before + 3]);
        expect(await s.events.lastLiveSeq()).toBe(before + 3);
        expect((await s.events.liveAfter(P1, before, false, 10)).map((e) => [e.liveSeq, e.projectId, e.kind, (e.event as EventDto).name])).toEqual([
          [before + 1, P1, 'event', 'live a'], [before + 3, P1, 'action', 'live a'],
        ]);
        expect((await s.events.liveAfter(null, before, null, 10)).map((e) => e.liveSeq)).toEqual([before + 1, before + 2, before + 3]);
        expect((await s.events.liveAfter(null, before, null, 2)).map((e) => e.liveSeq)).toEqual([before + 1, before + 2]);
        expect(await s.events.liveAfter(P1 + 1000, before, null, 10)).toEqual([]);
        expect(await s.events.countLiveAfter(P1, before, false, 10)).toBe(2);
        expect(await s.events.countLiveAfter(P1, before, false, 1)).toBe(1);
        expect(await s.events.countLiveAfter(P1 + 1000, before, false, 10)).toBe(0);
        expect(await s.events.pruneLive(E + 100 * DAY)).toBeGreaterThan(0);
        expect(await s.events.lastLiveSeq()).toBe(before + 3);
        expect((await s.events.liveAfter(null, 0, null, 10)).map((e) => e.liveSeq)).toEqual([before + 3]);
      });
    });

    describe('projects, members, invites, the audit log', () => {
      const Q = T + 15 * DAY;
      let owner: string;
      let mia: string;
      let ops: number;
      beforeAll(async () => {
        owner = (await s.users.byEmail('ana@example.com'))?.id ?? (await s.users.create('Ana@Example.com', 'x', 'owner', T)).id;
        mia = (await s.users.create('mia@example.com', 'x', 'member', Q, 'Mia')).id;
        ops = (await s.projects.create('ops', 'Ops', Q))!.id;
      });

      it('starts with `default`; creates a project once per slug; finds, lists, renames', async () => {
        expect(await s.projects.bySlug('default')).toMatchObject({ id: P1, slug: 'default', name: 'Default' });
        expect(await s.projects.create('ops', 'Other', Q)).toBeNull();
        expect(await s.projects.byId(ops)).toEqual({ id: ops, slug: 'ops', name: 'Ops', created_at: Q });
        expect((await s.projects.all()).map((p) => p.slug)).toEqual(['default', 'ops']);
        expect(await s.projects.rename(ops, 'Operations')).toBe(true);
        expect((await s.projects.bySlug('ops'))?.name).toBe('Operations');
        await s.projects.rename(ops, 'Ops');
        expect(await s.projects.bySlug('nope')).toBeUndefined();
      });

      it('members: one row per person and project, a role that changes, the owner listed as admin, removal', async () => {
        expect(await s.projects.access('ops', mia)).toMatchObject({ id: ops, slug: 'ops', member_role: null });
        expect(await s.members.add(ops, mia, 'viewer', Q + 1)).toBe(true);
        expect(await s.members.add(ops, mia, 'admin', Q + 2)).toBe(false);
        expect(await s.members.role(ops, mia)).toBe('viewer');
        expect((await s.projects.access('ops', mia))?.member_role).toBe('viewer');
        expect((await s.projects.forUser(mia)).map((p) => [p.slug, p.member_role])).toEqual([['ops', 'viewer']]);
        expect(await s.members.adminCount(ops)).toBe(0);
        expect(await s.members.setRole(ops, mia, 'admin')).toBe(true);
        expect(await s.members.adminCount(ops)).toBe(1);
        const list = await s.members.list(ops);
        expect(list.map((m) => [m.email, m.role, m.owner])).toEqual([['Ana@Example.com', 'admin', true], ['mia@example.com', 'admin', false]]);
        expect(list[1]).toEqual({
          user_id: mia, name: 'Mia', email: 'mia@example.com', role: 'admin', owner: false, created_at: Q + 1, last_active_at: null, notifications: false,
        });
        expect(await s.members.role(P1, mia)).toBeNull();
        expect(await s.members.remove(ops, mia)).toBe(true);
        expect(await s.members.remove(ops, mia)).toBe(false);
        expect(await s.members.role(ops, mia)).toBeNull();
        expect(await s.members.setRole(ops, mia, 'member')).toBe(false);
      });

      it('notification choices: on by default, kept per person and project; recipients are members and owners', async () => {
        await s.members.add(ops, mia, 'member', Q + 3);
        expect(await s.members.prefs(mia, ops)).toEqual({ enabled: true, muted: [] });
        await s.members.setPrefs(mia, ops, { enabled: true, muted: ['billing', 'déploiement'] });
        await s.members.setPrefs(mia, P1, { enabled: false, muted: [] });
        expect(await s.members.prefs(mia, ops)).toEqual({ enabled: true, muted: ['billing', 'déploiement'] });
        const byUser = <R extends { user_id: string }>(r: R[]) => [...r].sort((a, b) => a.user_id.localeCompare(b.user_id));
        expect(byUser(await s.members.recipients(ops))).toEqual(
          byUser([{ user_id: owner, role: 'admin', enabled: true, muted: [] }, { user_id: mia, role: 'member', enabled: true, muted: ['billing', 'déploiement'] }]),
        );
        // Not a member of default: not a recipient there, whatever the choices say.
        expect((await s.members.recipients(P1)).map((r) => r.user_id)).toEqual([owner]);
        await s.members.remove(ops, mia);
        expect((await s.members.recipients(ops)).map((r) => r.user_id)).toEqual([owner]);
      });

      it("members: when each was last active (their latest session) and whether the project's pushes reach them", async () => {
        const leo = (await s.users.create('leo@example.com', 'x', 'member', Q)).id;
        await s.members.add(ops, leo, 'member', Q + 4);
        let device: string | null = null;
        // Whatever happens here, Leo's sessions and device go: the push tests below count every device.
        try {
          const row = async () => (await s.members.list(ops)).find((m) => m.user_id === leo);
          // Never signed in, no device: nothing to show, and no push would reach them.
          expect(await row()).toMatchObject({ last_active_at: null, notifications: false });
          await s.sessions.create('leo-phone', leo, Q + 10, Q + DAY);
          await s.sessions.create('leo-laptop', leo, Q + 20, Q + DAY);
          await s.sessions.touch('leo-phone', Q + 30, Q + 2 * DAY);
          // Signed in, notifications on by default, but no device to send to.
          expect(await row()).toMatchObject({ last_active_at: Q + 30, notifications: false });
          device = await s.push.saveSubscription({ userId: leo, endpoint: 'https://push.example/leo', p256dh: 'p', auth: 'a', deviceName: 'Phone', oldEndpoint: null, now: Q + 31 });
          expect(await row()).toMatchObject({ last_active_at: Q + 30, notifications: true });
          // Their choice for this project decides, as it does for the push worker; another project's does not.
          await s.members.setPrefs(leo, P1, { enabled: false, muted: [] });
          expect((await row())?.notifications).toBe(true);
          await s.members.setPrefs(leo, ops, { enabled: false, muted: [] });
          expect(await row()).toMatchObject({ last_active_at: Q + 30, notifications: false });
          expect((await s.members.recipients(ops)).find((r) => r.user_id === leo)?.enabled).toBe(false);
          await s.members.setPrefs(leo, ops, { enabled: true, muted: ['billing'] });
          expect((await row())?.notifications).toBe(true);
          // Signed out of one device: the other's time stands; of all: none.
          await s.sessions.remove('leo-phone');
          expect((await row())?.last_active_at).toBe(Q + 20);
          await s.sessions.remove('leo-laptop');
          await s.push.removeSubscription(device!);
          device = null;
          expect(await row()).toMatchObject({ last_active_at: null, notifications: false });
        } finally {
          if (device) await s.push.removeSubscription(device);
          for (const h of ['leo-phone', 'leo-laptop']) await s.sessions.remove(h);
          await s.members.remove(ops, leo);
        }
      });

      it('invites: pending until used once, revoked or expired; revoked only within their project', async () => {
        const make = (id: string, hash: string, expiresAt: number) =>
          s.invites.create({ id, projectId: ops, role: 'member', tokenHash: hash, createdBy: owner, now: Q + 10, expiresAt });
        expect(await make('i1', 'th1', Q + DAY)).toEqual({
          id: 'i1', project_id: ops, role: 'member', created_by: owner, created_by_email: 'Ana@Example.com', created_at: Q + 10, expires_at: Q + DAY, used_at: null, revoked_at: null,
        });
        await make('i2', 'th2', Q + DAY);
        await make('i3', 'th3', Q + 20);
        expect((await s.invites.pending(ops, Q + 30, null, 10)).map((i) => i.id).sort()).toEqual(['i1', 'i2']);
        expect(await s.invites.pendingCount(ops, Q + 30)).toBe(2);
        expect(await s.invites.revoke(P1, 'i2', Q + 31)).toBe(false);
        expect(await s.invites.revoke(ops, 'i2', Q + 31)).toBe(true);
        expect(await s.invites.revoke(ops, 'i2', Q + 32)).toBe(false);
        expect(await s.invites.use('th2', mia, Q + 33)).toBeNull();
        expect(await s.invites.use('th3', mia, Q + 33)).toBeNull();
        expect(await s.invites.use('th1', mia, Q + 34)).toMatchObject({ id: 'i1', used_at: Q + 34 });
        expect(await s.invites.use('th1', owner, Q + 35)).toBeNull();
        expect(await s.invites.byTokenHash('th1')).toMatchObject({ id: 'i1', used_at: Q + 34, revoked_at: null });
        expect(await s.invites.byTokenHash('th2')).toMatchObject({ revoked_at: Q + 31 });
        expect(await s.invites.byTokenHash('nope')).toBeUndefined();
        expect(await s.invites.pending(ops, Q + 36, null, 10)).toEqual([]);
      });

      it('invites: pages newest first by (created_at, id); revoked by their maker, in one project or everywhere', async () => {
        const make = (id: string, at: number, by: string, projectId = ops) =>
          s.invites.create({ id, projectId, role: 'admin', tokenHash: `h-${id}`, createdBy: by, now: at, expiresAt: Q + DAY });
        for (const [id, at] of [['p-a', Q + 1], ['p-b', Q + 2], ['p-c', Q + 2], ['p-d', Q + 3]] as const) await make(id, at, mia);
        await make('p-e', Q + 4, owner);
        await make('p-f', Q + 5, mia, P1);
        const first = await s.invites.pending(ops, Q + 30, null, 2);
        expect(first.map((i) => i.id)).toEqual(['p-e', 'p-d']);
        const second = await s.invites.pending(ops, Q + 30, { createdAt: first[1]!.created_at, id: first[1]!.id }, 2);
        expect(second.map((i) => i.id)).toEqual(['p-c', 'p-b']);
        const third = await s.invites.pending(ops, Q + 30, { createdAt: second[1]!.created_at, id: second[1]!.id }, 2);
        expect(third.map((i) => i.id)).toEqual(['p-a']);
        const revoked = await s.invites.revokeMadeBy(ops, mia, Q + 31);
        expect(revoked.map((i) => i.id).sort()).toEqual(['p-a', 'p-b', 'p-c', 'p-d']);
        expect(revoked[0]).toMatchObject({ project_id: ops, role: 'admin' });
        expect((await s.invites.pending(ops, Q + 32, null, 10)).map((i) => i.id)).toEqual(['p-e']);
        expect((await s.invites.revokeMadeBy(null, mia, Q + 33)).map((i) => i.id)).toEqual(['p-f']);
        expect(await s.invites.revokeMadeBy(null, mia, Q + 34)).toEqual([]);
      });

      it('password-reset links: one per account, taken once, ended for their target or by their maker', async () => {
        const link = (hash: string, userId: string, by: string, projectId: number | null = ops) =>
          s.passwordResets.replace({ token_hash: hash, user_id: userId, project_id: projectId, created_by: by, created_at: Q, expires_at: Q + DAY, fingerprint: `f-${hash}` });
        await link('r1', mia, owner);
        await link('r2', mia, owner);
        expect(await s.passwordResets.take('r1')).toBeNull();
        expect(await s.passwordResets.take('r2')).toEqual({
          token_hash: 'r2', user_id: mia, project_id: ops, created_by: owner, created_at: Q, expires_at: Q + DAY, fingerprint: 'f-r2',
        });
        expect(await s.passwordResets.take('r2')).toBeNull();
        await link('r3', mia, owner);
        expect(await s.passwordResets.removeForUser(mia)).toBe(1);
        expect(await s.passwordResets.take('r3')).toBeNull();
        await link('r4', mia, owner, P1);
        await link('r5', owner, mia, ops);
        expect(await s.passwordResets.removeMadeBy(owner, ops)).toBe(0);
        expect(await s.passwordResets.removeMadeBy(owner, null)).toBe(1);
        expect(await s.passwordResets.removeMadeBy(mia, ops)).toBe(1);
        expect(await s.passwordResets.take('r4')).toBeNull();
        expect(await s.passwordResets.take('r5')).toBeNull();
      });

      it('the audit log: appended per project, read newest first in pages, filtered by person and kind', async () => {
        for (let i = 0; i < 5; i++) {
          await s.audit.append({ projectId: ops, at: Q + i, actorId: i % 2 ? mia : owner, actorEmail: i % 2 ? 'mia@example.com' : 'ana@example.com', kind: i < 3 ? 'key.created' : 'member.removed', subject: `s${i}`, detail: { i }, address: i === 4 ? '203.0.113.9' : null });
        }
        await s.audit.append({ projectId: P1, at: Q, actorId: null, actorEmail: 'cli', kind: 'key.created', subject: 'elsewhere', address: null });
        const q = { projectId: ops, before: null, limit: 3, actorId: null, kinds: null, outcome: null };
        const first = await s.audit.page(q);
        expect(first.map((r) => r.subject)).toEqual(['s4', 's3', 's2']);
        expect(first[0]).toMatchObject({ at: Q + 4, actor_id: owner, actor_email: 'ana@example.com', kind: 'member.removed', detail: '{"i":4}', address: '203.0.113.9' });
        expect((await s.audit.page({ ...q, before: Number(first[2]!.id) })).map((r) => r.subject)).toEqual(['s1', 's0']);
        expect((await s.audit.page({ ...q, limit: 10, actorId: mia })).map((r) => r.subject)).toEqual(['s3', 's1']);
        expect((await s.audit.page({ ...q, limit: 10, kinds: ['key.created'] })).map((r) => r.subject)).toEqual(['s2', 's1', 's0']);
        expect((await s.audit.page({ ...q, limit: 10, kinds: ['key.created', 'member.removed'] })).map((r) => r.subject)).toEqual(['s4', 's3', 's2', 's1', 's0']);
        expect(first[0]).toMatchObject({ attempt_outcome: null, attempt_found: false });
        expect((await s.audit.page({ ...q, projectId: P1 })).map((r) => [r.subject, r.detail])).toEqual([['elsewhere', null]]);
      });

      it("keeps each project's events, categories, threads, search and live entries apart", async () => {
        const put = (projectId: number, body: Record<string, unknown>, at: number) =>
          s.transaction((tx) => tx.events.insert({ event: normalized(body), projectId, apiKeyId: null, createdAt: at }));
        const before = await s.events.lastLiveSeq();
        const opener = await put(P1, { name: 'iso opener', contextId: 'iso-t', contextStart: true, category: 'iso-c' }, Q + 100);
        const other = await put(ops, { name: 'iso other', contextId: 'iso-t', category: 'iso-c' }, Q + 101);
        const mine = await put(P1, { name: 'iso mine', contextId: 'iso-t', category: 'iso-c' }, Q + 102);
        expect(other.live).toMatchObject({ projectId: ops, event: { parentId: null } });
        expect(mine.live.event.parentId).toBe(opener.live.event.id);
        const page = (projectId: number, q: { category?: string; search?: string } = {}) =>
          s.events.feed({ projectId, test: false, limit: 50, cursor: null, category: q.category ?? null, search: q.search ?? null });
        expect((await page(ops)).events.map((e) => e.name)).toEqual(['iso other']);
        expect((await page(ops, { search: 'iso' })).events.map((e) => e.name)).toEqual(['iso other']);
        expect((await page(P1, { search: 'iso' })).events.map((e) => e.name)).toEqual(['iso mine', 'iso opener']);
        expect((await page(ops, { category: 'iso-c' })).events.map((e) => e.name)).toEqual(['iso other']);
        expect(await s.events.categories(ops, false)).toEqual([{ category: 'iso-c', count: 1 }]);
        expect((await s.events.byId(other.live.event.id))?.projectId).toBe(ops);
        expect(await s.events.projectIdOf(mine.live.event.id)).toBe(P1);
        expect(await s.events.projectIdOf('missing')).toBeNull();
        expect((await s.events.liveAfter(ops, before, null, 10)).map((e) => (e.event as EventDto).name)).toEqual(['iso other']);
        expect((await s.events.liveAfter(null, before, null, 10)).map((e) => e.projectId)).toEqual([P1, ops, P1]);
        expect(await s.events.countLiveAfter(ops, before, false, 10)).toBe(1);
      });

      it('reads several projects at once: one page newest first across them, cursor pages, filters, search, the live log', async () => {
        const [xa, xb, xc] = await Promise.all(['multi-a', 'multi-b', 'multi-c'].map(async (slug) => (await s.projects.create(slug, slug, Q))!.id));
        const put = (projectId: number, body: Record<string, unknown>, at: number) =>
          s.transaction((tx) => tx.events.insert({ event: normalized(body), projectId, apiKeyId: null, createdAt: at }));
        const before = await s.events.lastLiveSeq();
        // Interleaved in time, with a tie across projects (seq breaks it), and a project left out.
        await put(xa!, { name: 'multi a1 quasar', category: 'multi-c' }, Q + 1000);
        await put(xb!, { name: 'multi b1' }, Q + 1001);
        await put(xc!, { name: 'multi c1 quasar', category: 'multi-c' }, Q + 1002);
        const handled = await put(xa!, { name: 'multi a2', category: 'multi-c' }, Q + 1003);
        await put(xb!, { name: 'multi b2 quasar', category: 'multi-c' }, Q + 1003);
        await put(xb!, { name: 'multi b3 reply', contextId: 'multi-t' }, Q + 1004);
        await s.triage.change(handled.seq, 'resolve', 'mia@example.com', Q + 1005);
        const query = { projectIds: [xa!, xb!], test: false, category: null, search: null };
        const page = async (q: Partial<Parameters<typeof s.events.feed>[0]> = {}) => {
          const got = await s.events.feed({ ...query, limit: 50, cursor: null, ...q } as Parameters<typeof s.events.feed>[0]);
          return { names: got.events.map((e) => e.name), projects: got.projectIds };
        };
        const all = await page();
        expect(all.names).toEqual(['multi b3 reply', 'multi b2 quasar', 'multi a2', 'multi b1', 'multi a1 quasar']);
        expect(all.projects).toEqual([xb, xb, xa, xb, xa]);
        // Cursor pages of two walk the same order, each page merged across the projects.
        const walked: (string | null)[] = [];
        let cursor = null;
        for (let i = 0; i < 10; i++) {
          const got = await s.events.feed({ ...query, limit: 2, cursor });
          walked.push(...got.events.map((e) => e.name));
          cursor = got.next;
          if (!cursor) break;
        }
        expect(walked).toEqual(all.names);
        expect((await page({ category: 'multi-c' })).names).toEqual(['multi b2 quasar', 'multi a2', 'multi a1 quasar']);
        expect((await page({ category: 'multi-c', unhandled: true })).names).toEqual(['multi b2 quasar', 'multi a1 quasar']);
        expect((await page({ search: 'quasar' })).names).toEqual(['multi b2 quasar', 'multi a1 quasar']);
        expect((await page({ search: 'quasar', limit: 1 })).names).toEqual(['multi b2 quasar']);
        // One id in a list reads as that project alone; none reads nothing; the single form still works.
        expect((await page({ projectIds: [xc!] })).names).toEqual(['multi c1 quasar']);
        expect(await s.events.feed({ ...query, projectIds: [], limit: 50, cursor: null })).toEqual({ events: [], projectIds: [], next: null });
        expect((await s.events.feed({ projectId: xc!, test: false, limit: 50, cursor: null, category: null, search: null })).events.map((e) => e.name)).toEqual(['multi c1 quasar']);

        const live = await s.events.liveAfter([xa!, xb!], before, false, 50);
        expect(live.map((e) => [e.projectId, (e.event as EventDto).name])).toEqual([
          [xa, 'multi a1 quasar'], [xb, 'multi b1'], [xa, 'multi a2'], [xb, 'multi b2 quasar'], [xb, 'multi b3 reply'],
        ]);
        expect((await s.events.liveAfter([xa!, xb!], before, false, 2)).map((e) => e.liveSeq)).toEqual(live.slice(0, 2).map((e) => e.liveSeq));
        expect((await s.events.liveAfter([xc!], before, false, 50)).map((e) => (e.event as EventDto).name)).toEqual(['multi c1 quasar']);
        expect(await s.events.liveAfter([], before, null, 50)).toEqual([]);
        expect(await s.events.countLiveAfter([xa!, xb!], before, false, 50)).toBe(5);
        expect(await s.events.countLiveAfter([xa!, xb!], before, false, 3)).toBe(3);
        expect(await s.events.countLiveAfter([xa!, xb!, xc!], before, false, 50)).toBe(6);
        expect(await s.events.countLiveAfter([], before, false, 50)).toBe(0);
        // A deletion entry names its project itself: a several-project read finds it too.
        await s.transaction(async (tx) => {
          const gone = await tx.events.remove(handled.seq);
          for (const ref of gone!.removed) await tx.events.recordDeletion(ref, handled.seq, xa!, Q + 1006);
        });
        const after = await s.events.liveAfter([xb!, xa!], live.at(-1)!.liveSeq, null, 10);
        expect(after.map((e) => [e.kind, e.projectId, e.event.id])).toEqual([['delete', xa, handled.live.event.id]]);
        expect(await s.events.countLiveAfter([xb!, xa!], live.at(-1)!.liveSeq, false, 10)).toBe(1);
      });

      it('deletes an event with its thread, actions and search entries; a thread loses one; the live log says which are gone', async () => {
        const put = (body: Record<string, unknown>, at: number) =>
          s.transaction((tx) => tx.events.insert({ event: normalized(body), projectId: ops, apiKeyId: null, createdAt: at }));
        const opener = await put({ name: 'doomed opener zorblax', contextId: 'doom-t', contextStart: true, actions: [{ key: 'go', buttonText: 'Go', url: 'https://example.com/go' }] }, Q + 400);
        const child = await put({ name: 'doomed child zorblax', contextId: 'doom-t' }, Q + 401);
        const other = await put({ name: 'kept opener', contextId: 'keep-t', contextStart: true }, Q + 402);
        const leaf = await put({ name: 'kept child zorblax', contextId: 'keep-t' }, Q + 403);
        const second = await put({ name: 'kept second child', contextId: 'keep-t' }, Q + 404);
        expect((await s.events.bySeq(other.seq))?.threadCount).toBe(2);
        const before = await s.events.lastLiveSeq();

        const gone = await s.transaction(async (tx) => {
          const removed = await tx.events.remove(opener.seq);
          for (const ref of removed!.removed) await tx.events.recordDeletion(ref, opener.seq, ops, Q + 500);
          return removed;
        });
        expect(gone).toEqual({ removed: [{ id: child.live.event.id, test: false }, { id: opener.live.event.id, test: false }], parentSeq: null });
        expect(await s.events.byId(opener.live.event.id)).toBeNull();
        expect(await s.events.byId(child.live.event.id)).toBeNull();
        const search = async (q: string) =>
          (await s.events.feed({ projectId: ops, test: false, limit: 50, cursor: null, category: null, search: q })).events.map((e) => e.name);
        expect(await search('zorblax')).toEqual(['kept child zorblax']);
        const live = await s.events.liveAfter(ops, before, null, 10);
        expect(live.map((e) => [e.kind, e.event.id])).toEqual([['delete', child.live.event.id], ['delete', opener.live.event.id]]);
        expect(await s.events.liveAfter(P1, before, null, 10)).toEqual([]);
        expect(await s.events.countLiveAfter(ops, before, false, 10)).toBe(2);
        expect(await s.events.remove(opener.seq)).toBeNull();

        // An event inside a thread: its opener's count goes down by one.
        expect(await s.transaction((tx) => tx.events.remove(leaf.seq))).toEqual({ removed: [{ id: leaf.live.event.id, test: false }], parentSeq: other.seq });
        expect((await s.events.bySeq(other.seq))?.threadCount).toBe(1);
        expect((await s.events.thread(other.seq)).map((e) => e.id)).toEqual([second.live.event.id]);
      });

      it('marks an event handled by someone (once), and a feed can leave handled events out', async () => {
        const put = (name: string, at: number) =>
          s.transaction((tx) => tx.events.insert({ event: normalized({ name, category: 'triage-c' }), projectId: ops, apiKeyId: null, createdAt: at }));
        const a = await put('triage a', Q + 200);
        await put('triage b', Q + 201);
        expect(a.live.event.handled).toBeNull();
        expect(await s.triage.change(a.seq, 'resolve', 'mia@example.com', Q + 300)).toBe(true);
        expect(await s.triage.change(a.seq, 'resolve', 'ana@example.com', Q + 301)).toBe(false);
        expect((await s.events.bySeq(a.seq))?.handled).toEqual({ by: 'mia@example.com', at: new Date(Q + 300).toISOString() });
        const names = async (unhandled: boolean) =>
          (await s.events.feed({ projectId: ops, test: false, limit: 50, cursor: null, category: 'triage-c', search: null, unhandled })).events.map((e) => e.name);
        expect(await names(true)).toEqual(['triage b']);
        expect(await names(false)).toEqual(['triage b', 'triage a']);
        expect(await s.triage.change(a.seq, 'reopen', 'mia@example.com', Q + 302)).toBe(true);
        expect(await s.triage.change(a.seq, 'reopen', 'mia@example.com', Q + 303)).toBe(false);
        expect((await s.events.bySeq(a.seq))?.handled).toBeNull();
      });

      it('deleting a project takes its events, keys, members and invites with it, and nothing of another', async () => {
        const gone = (await s.projects.create('gone', 'Gone', Q))!.id;
        await s.members.add(gone, mia, 'admin', Q);
        await s.apiKeys.create({ id: 'kg', projectId: gone, name: 'gone key', prefix: 'sb_gon', keyHash: 'hash-gone', scope: 'ingest', createdBy: null, now: Q });
        await s.invites.create({ id: 'ig', projectId: gone, role: 'viewer', tokenHash: 'th-gone', createdBy: null, now: Q, expiresAt: Q + DAY });
        const event = await s.transaction((tx) => tx.events.insert({ event: normalized({ name: 'doomed', actions: [{ key: 'go', buttonText: 'Go', url: 'https://example.com/go' }] }), projectId: gone, apiKeyId: 'kg', createdAt: Q }));
        const keep = await s.transaction((tx) => tx.events.insert({ event: normalized({ name: 'kept' }), projectId: ops, apiKeyId: null, createdAt: Q }));
        expect(await s.apiKeys.activeByHash('hash-gone')).toEqual({ id: 'kg', projectId: gone, scope: 'ingest' });
        await s.transaction(async (tx) => {
          expect(await tx.apiKeys.revokeProject(gone, Q + 1)).toBe(1);
          expect(await tx.projects.remove(gone)).toBe(true);
        });
        expect(await s.apiKeys.activeByHash('hash-gone')).toBeNull();
        expect(await s.projects.bySlug('gone')).toBeUndefined();
        expect(await s.events.byId(event.live.event.id)).toBeNull();
        expect(await s.events.byId(keep.live.event.id)).not.toBeNull();
        expect(await s.invites.byTokenHash('th-gone')).toBeUndefined();
        expect((await s.projects.forUser(mia)).map((p) => p.slug)).not.toContain('gone');
        expect((await s.events.liveAfter(null, event.live.liveSeq - 1, null, 10)).map((e) => (e.event as EventDto).name)).toEqual(['kept']);
      });

      it('accounts: a new password, a new email unless taken, signing out the other sessions', async () => {
        await s.users.setPassword(mia, 'scrypt$new');
        expect((await s.users.byId(mia))?.password_hash).toBe('scrypt$new');
        expect(await s.users.setEmail(mia, 'ANA@example.com')).toBe(false);
        expect(await s.users.setEmail(mia, 'mia.new@example.com')).toBe(true);
        expect((await s.users.byEmail('MIA.NEW@example.com'))?.id).toBe(mia);
        for (const h of ['m1', 'm2', 'm3']) await s.sessions.create(h, mia, Q, Q + DAY);
        expect(await s.sessions.removeOthers(mia, 'm2')).toBe(2);
        expect(await s.sessions.find('m1', Q)).toBeUndefined();
        expect(await s.sessions.find('m2', Q)).toMatchObject({ user_id: mia, name: 'Mia' });
        expect(await s.sessions.removeOthers(mia, null)).toBe(1);
        const owners = await s.users.ownerCount();
        expect(await s.users.setRole(mia, 'owner')).toBe(true);
        expect(await s.users.ownerCount()).toBe(owners + 1);
        expect((await s.users.byId(mia))?.role).toBe('owner');
        await s.users.setRole(mia, 'member');
        expect(await s.users.setRole('nobody', 'owner')).toBe(false);
      });
    });

    describe('the action state machine', () => {
      const A = T + 20 * DAY;
      let seq: number;
      let userId: string;
      beforeAll(async () => {
        userId = (await s.users.create('presser@example.com', 'x', 'member', A)).id;
        const inserted = await s.transaction((tx) => tx.events.insert({ event: normalized({
          name: 'press me', actions: [
            { key: 'once', buttonText: 'Once', url: 'https://example.com/once', expireIn: 10 },
            { key: 'again', buttonText: 'Again', url: 'https://example.com/again', expireIn: 10, repeat: true },
            { key: 'link', buttonText: 'Link', url: 'https://example.com/link', external: true },
          ],
        }), projectId: P1, apiKeyId: null, createdAt: A }));
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

      it("records the real outcome over an 'interrupted' settle by the process that ran it, unless a newer press has started", async () => {
        // Attempt 4 (above) is running; its lease runs out while its process cannot reach the database.
        await s.transaction((tx) => tx.actions.recoverInterrupted(A + 60_000 + 40_000));
        expect(await s.actions.attempt('att-again-4')).toMatchObject({ outcome: 'failed', reason: 'interrupted' });
        // The database is back: the process that ran it records how it ended.
        const late = await s.transaction((tx) => tx.actions.finish('att-again-4', seq, 'again', ok, A + 100_001));
        expect(late).toMatchObject({ outcome: 'succeeded', status: 200, reason: null });
        expect((await s.events.bySeq(seq))?.actions.find((a) => a.key === 'again')).toMatchObject({ state: 'succeeded', attempts: 4 });
        // Interrupted, then pressed again (attempt 6 runs): attempt 5's late outcome is kept on its row, the state is attempt 6's.
        expect(await press('again', A + 100_002, 5)).toMatchObject({ kind: 'started', number: 5 });
        await s.transaction((tx) => tx.actions.recoverInterrupted(A + 100_002 + 40_000));
        expect(await press('again', A + 140_003, 6)).toMatchObject({ kind: 'started', number: 6 });
        await s.transaction((tx) => tx.actions.finish('att-again-5', seq, 'again', ok, A + 140_004));
        expect(await s.actions.attempt('att-again-5')).toMatchObject({ outcome: 'succeeded' });
        expect((await s.events.bySeq(seq))?.actions.find((a) => a.key === 'again')).toMatchObject({ state: 'running', attempts: 6 });
        // A finished attempt is not finished again.
        await s.transaction((tx) => tx.actions.finish('att-again-5', seq, 'again', { ...ok, ok: false, status: 500, reason: 'status' }, A + 140_005));
        expect(await s.actions.attempt('att-again-5')).toMatchObject({ outcome: 'succeeded', status: 200 });
      });

      it('reads a press in the audit log with how its attempt ended, and filters presses by outcome', async () => {
        const id = (await s.events.bySeq(seq))!.id;
        const entry = (kind: 'action.pressed' | 'action.refused', at: number, detail: Record<string, unknown>) =>
          s.audit.append({ projectId: P1, at, actorId: userId, actorEmail: 'presser@example.com', kind, subject: id, detail: detail as never, address: null });
        await entry('action.pressed', A + 1, { action: 'once', attempt: 1 });
        await entry('action.pressed', A + 7, { action: 'again', attempt: 2 });
        await entry('action.refused', A + 8, { action: 'once', why: 'this action already succeeded' });
        const q = { projectId: P1, before: null, limit: 10, actorId: userId, kinds: ['action.pressed', 'action.refused'] as const, outcome: null };
        const rows = await s.audit.page(q);
        expect(rows.map((r) => [r.kind, r.attempt_outcome, r.attempt_status === null ? null : Number(r.attempt_status), r.attempt_found])).toEqual([
          ['action.refused', null, null, false],
          ['action.pressed', 'failed', 500, true],
          ['action.pressed', 'succeeded', 200, true],
        ]);
        expect((await s.audit.page({ ...q, outcome: 'failed' })).map((r) => r.at)).toEqual([A + 7]);
        expect((await s.audit.page({ ...q, outcome: 'succeeded' })).map((r) => r.at)).toEqual([A + 1]);
        expect((await s.audit.page({ ...q, outcome: 'refused' })).map((r) => r.kind)).toEqual(['action.refused']);
      });
    });

    describe('presses that wait (press requests)', () => {
      const B = T + 21 * DAY;
      let seq: number;
      const ana = { id: 'u-ana', email: 'ana@example.com' };
      beforeAll(async () => {
        const inserted = await s.transaction((tx) => tx.events.insert({ event: normalized({
          name: 'refund', actions: [
            { key: 'refund', buttonText: 'Refund', url: 'https://example.com/refund', expireIn: 10, risk: 'critical' },
            { key: 'wipe', buttonText: 'Wipe', url: 'https://example.com/wipe', expireIn: 10, type: 'danger' },
          ],
        }), projectId: P1, apiKeyId: null, createdAt: B }));
        seq = inserted.seq;
      });
      const ask = (id: string, key: string, status: 'awaiting_approval' | 'scheduled', at: number, runsAt: number | null = null) =>
        s.transaction((tx) => tx.pressRequests.open({
          id, eventSeq: seq, key, projectId: P1, status, risk: 'critical', needed: status === 'awaiting_approval' ? 2 : 0, requestedBy: ana,
          requestedAt: at, expiresAt: at + 60_000, delaySeconds: 15, runsAt, webhookId: `msg-${id}`,
        }, at));
      const actionOf = async (key: string) => (await s.events.bySeq(seq))!.actions.find((a) => a.key === key)!;

      it('holds the action while it waits, counts each approver once, schedules, and is claimed once', async () => {
        expect(await ask('r1', 'refund', 'awaiting_approval', B + 1)).toEqual({ kind: 'opened' });
        expect(await ask('r1b', 'refund', 'awaiting_approval', B + 2)).toEqual({ kind: 'refused', why: 'awaiting_approval' });
        expect(await s.transaction((tx) => tx.actions.start(seq, 'refund', B + 2, B + 40_000))).toEqual({ kind: 'refused', why: 'awaiting_approval' });
        const held = await actionOf('refund');
        expect(held).toMatchObject({ state: 'awaiting_approval', request: { id: 'r1', status: 'awaiting_approval', needed: 2, risk: 'critical', requestedBy: ana, approvedBy: [], runsAt: null } });
        expect(held.request?.expiresAt).toBe(new Date(B + 1 + 60_000).toISOString());

        const approve = (who: { id: string; email: string }, at: number) => s.transaction(async (tx) => {
          await tx.pressRequests.lock('r1');
          return tx.pressRequests.approve('r1', who, at);
        });
        expect(await approve({ id: 'u-ben', email: 'ben@example.com' }, B + 3)).toBe(1);
        expect(await approve({ id: 'u-ben', email: 'ben@example.com' }, B + 4)).toBeNull();
        expect(await approve({ id: 'u-cleo', email: 'cleo@example.com' }, B + 5)).toBe(2);
        expect(await s.pressRequests.due(B + 6, 10)).toEqual([]);
        expect(await s.pressRequests.nextDue()).toBe(B + 1 + 60_000);
        expect(await s.transaction((tx) => tx.pressRequests.schedule('r1', B + 20))).toBe(true);
        expect(await s.transaction((tx) => tx.pressRequests.schedule('r1', B + 30))).toBe(false);
        expect(await s.pressRequests.nextDue()).toBe(B + 20);
        const scheduled = await actionOf('refund');
        expect(scheduled).toMatchObject({ state: 'scheduled', request: { status: 'scheduled', runsAt: new Date(B + 20).toISOString() } });
        expect(scheduled.request?.approvedBy.map((a) => a.email)).toEqual(['ben@example.com', 'cleo@example.com']);

        // Not due yet: not claimed. Due: claimed once, as a started attempt with the action running.
        expect(await s.transaction((tx) => tx.pressRequests.claim('r1', B + 19, B + 50_000))).toEqual({ kind: 'taken' });
        expect(await s.pressRequests.due(B + 20, 10)).toEqual([{ id: 'r1', status: 'scheduled' }]);
        const claimed = await s.transaction((tx) => tx.pressRequests.claim('r1', B + 20, B + 50_000));
        expect(claimed).toMatchObject({ kind: 'started', number: 1, url: 'https://example.com/refund', buttonText: 'Refund', request: { id: 'r1', status: 'sent', webhook_id: 'msg-r1' } });
        expect(await s.transaction((tx) => tx.pressRequests.claim('r1', B + 21, B + 50_000))).toEqual({ kind: 'taken' });
        expect(await actionOf('refund')).toMatchObject({ state: 'running', attempts: 1, request: { status: 'sent' } });
        expect(await s.pressRequests.nextDue()).toBeNull();
      });

      it('ends unsent (cancelled, denied, expired) once, giving the action back its state before', async () => {
        expect(await ask('w1', 'wipe', 'scheduled', B + 100, B + 200)).toEqual({ kind: 'opened' });
        expect(await s.transaction((tx) => tx.pressRequests.end('w1', 'cancelled', ana, B + 150, null))).toBe(true);
        expect(await s.transaction((tx) => tx.pressRequests.end('w1', 'denied', ana, B + 151, 'no'))).toBe(false);
        expect(await actionOf('wipe')).toMatchObject({ state: 'idle', request: { id: 'w1', status: 'cancelled', ended: { by: ana, at: new Date(B + 150).toISOString(), reason: null } } });
        expect(await s.transaction((tx) => tx.pressRequests.claim('w1', B + 300, B + 50_000))).toEqual({ kind: 'taken' });

        expect(await ask('w2', 'wipe', 'awaiting_approval', B + 400)).toEqual({ kind: 'opened' });
        expect(await s.pressRequests.due(B + 400 + 60_000, 10)).toEqual([{ id: 'w2', status: 'awaiting_approval' }]);
        expect(await s.transaction((tx) => tx.pressRequests.end('w2', 'approval_expired', null, B + 400 + 60_000, null))).toBe(true);
        expect(await actionOf('wipe')).toMatchObject({ state: 'idle', request: { status: 'approval_expired', ended: { by: null } } });

        // An action that expired while its press waited: the claim ends the request instead.
        expect(await ask('w3', 'wipe', 'scheduled', B + 500, B + 11 * 60_000)).toEqual({ kind: 'opened' });
        const late = await s.transaction((tx) => tx.pressRequests.claim('w3', B + 11 * 60_000, B + 12 * 60_000));
        expect(late).toMatchObject({ kind: 'expired', request: { id: 'w3', status: 'expired' } });
        expect(await actionOf('wipe')).toMatchObject({ state: 'idle', attempts: 0, request: { status: 'expired' } });
      });
    });

    describe('decisions (reply actions) and their replyUrl deliveries', () => {
      const Q = T + 30 * DAY;
      let seq: number;
      const ana = { id: 'u-ana', email: 'ana@example.com', name: 'Ana' };
      const bo = { id: 'u-bo', email: 'bo@example.com', name: 'Bo' };
      beforeAll(async () => {
        const inserted = await s.transaction((tx) => tx.events.insert({ event: normalized({
          name: 'Ship?', replyUrl: 'https://ci.example/answer', actions: [
            { key: 'yes', buttonText: 'Yes', reply: true, expireIn: 10, input: { label: 'Why', maxLength: 50 } },
            { key: 'no', buttonText: 'No', reply: true, expireIn: 10 },
          ],
        }), projectId: P1, apiKeyId: null, createdAt: Q }));
        seq = inserted.seq;
      });

      it('keeps reply actions, their input and the replyUrl; the first answer decides, a second is refused', async () => {
        const before = (await s.events.bySeq(seq))!;
        expect(before.replyUrl).toBe('https://ci.example/answer');
        expect(before.actions.map((a) => [a.key, a.reply, a.input])).toEqual([['yes', true, { label: 'Why', required: false, maxLength: 50 }], ['no', true, null]]);
        expect(await s.transaction((tx) => tx.events.decide(seq, { key: 'yes', input: 'green', by: ana, at: Q + 1 }))).toBe(true);
        expect(await s.transaction((tx) => tx.events.decide(seq, { key: 'no', input: null, by: bo, at: Q + 2 }))).toBe(false);
        expect((await s.events.bySeq(seq))!.decision).toEqual({ key: 'yes', input: 'green', by: ana, at: new Date(Q + 1).toISOString() });
        // A reply of a decided question may not start; the refusal says why.
        const started = await s.transaction((tx) => tx.actions.start(seq, 'no', Q + 3, Q + 60_000));
        expect(started).toEqual({ kind: 'refused', why: 'decided' });
      });

      it('queues a delivery once, lets one sender claim it, and retries or gives up as told', async () => {
        await s.transaction((tx) => tx.replies.enqueue(seq, P1, Q + 5));
        await s.transaction((tx) => tx.replies.enqueue(seq, P1, Q + 6));
        expect(await s.replies.due(Q + 5, 10)).toEqual([seq]);
        const first = await s.replies.claim(seq, Q + 5, Q + 60_000);
        expect(first).toMatchObject({ event_seq: seq, status: 'pending', attempts: 0 });
        // Held by the lease: neither due nor claimable by another sender.
        expect(await s.replies.due(Q + 6, 10)).toEqual([]);
        expect(await s.replies.claim(seq, Q + 6, Q + 60_000)).toBeNull();
        await s.replies.finish(seq, { ok: false, status: 500, reason: 'http_500', durationMs: 3 }, Q + 7, Q + 10_007);
        expect(await s.replies.due(Q + 10_006, 10)).toEqual([]);
        expect(await s.replies.due(Q + 10_007, 10)).toEqual([seq]);
        expect(await s.replies.claim(seq, Q + 10_007, Q + 70_000)).toMatchObject({ attempts: 1, last_status: 500, webhook_id: first!.webhook_id });
        await s.replies.finish(seq, { ok: true, status: 204, reason: null, durationMs: 2 }, Q + 10_010, null);
        expect(await s.replies.bySeq(seq)).toMatchObject({ status: 'delivered', attempts: 2, last_status: 204, last_reason: null });
        expect(await s.replies.due(Q + DAY, 10)).toEqual([]);
      });

      it('queues an unanswered question with a replyUrl once every reply has expired', async () => {
        const open = await s.transaction((tx) => tx.events.insert({ event: normalized({
          name: 'Unanswered?', replyUrl: 'https://ci.example/answer', actions: [
            { key: 'a', buttonText: 'A', reply: true, expireIn: 1 },
            { key: 'b', buttonText: 'B', reply: true, expireIn: 3 },
          ],
        }), projectId: P1, apiKeyId: null, createdAt: Q + 100 }));
        expect(await s.transaction((tx) => tx.replies.enqueueExpired(Q + 100 + 2 * 60_000, 10))).toBe(0);
        expect(await s.transaction((tx) => tx.replies.enqueueExpired(Q + 100 + 3 * 60_000, 10))).toBe(1);
        expect(await s.transaction((tx) => tx.replies.enqueueExpired(Q + 100 + 4 * 60_000, 10))).toBe(0);
        expect((await s.replies.bySeq(open.seq))?.status).toBe('pending');
      });
    });

    describe('escalation claims', () => {
      const E = T + 35 * DAY;
      it('marks each open pushed event once, even when two stores (two instances) sweep at the same moment', async () => {
        const seqs: number[] = [];
        for (let i = 0; i < 12; i++) {
          const e = await s.transaction((tx) => tx.events.insert({ event: normalized({ name: `page ${i}`, notify: true }), projectId: P1, apiKeyId: null, createdAt: E + i }));
          seqs.push(e.seq);
        }
        const acked = await s.transaction((tx) => tx.events.insert({ event: normalized({ name: 'seen', notify: true }), projectId: P1, apiKeyId: null, createdAt: E + 20 }));
        await s.triage.change(acked.seq, 'ack', 'ana@example.com', E + 21);
        const other = backend.another ? await backend.another() : s;
        try {
          const [a, b] = await Promise.all([
            s.transaction((tx) => tx.triage.escalate(P1, E + 60_000, 3_600_000, E + 60_000, 100)),
            other.transaction((tx) => tx.triage.escalate(P1, E + 60_000, 3_600_000, E + 60_000, 100)),
          ]);
          expect([...a, ...b].sort((x, y) => x - y)).toEqual(seqs);
          expect(await s.transaction((tx) => tx.triage.escalate(P1, E + 120_000, 3_600_000, E + 120_000, 100))).toEqual([]);
        } finally {
          if (other !== s) await other.close();
        }
      });
    });

    describe('a project at a glance', () => {
      const G = T + 40 * DAY;
      const MIN = 60_000;
      let glance: number;
      let presser: string;
      const hook = (key: string, extra: Record<string, unknown> = {}) => ({ key, buttonText: key, url: `https://example.com/${key}`, ...extra });
      const put = (projectId: number, body: Record<string, unknown>, at = G) =>
        s.transaction((tx) => tx.events.insert({ event: normalized(body), projectId, apiKeyId: null, createdAt: at }));
      const counts = async (at: number) => (await s.overview.counts([glance], at)).get(glance);
      /** How many of these actions a press would start at `at`: each tried, then all rolled back. */
      const wouldStart = async (actions: { seq: number; key: string }[], at: number) => {
        let started = 0;
        await s
          .transaction(async (tx) => {
            for (const a of actions) if ((await tx.actions.start(a.seq, a.key, at, at + 40_000)).kind === 'started') started++;
            throw new Error('rolled back');
          })
          .catch(() => undefined);
        return started;
      };
      const finish = (seq: number, key: string, id: string, at: number) =>
        s.transaction(async (tx) => {
          const started = await tx.actions.start(seq, key, at, at + 40_000);
          if (started.kind !== 'started') throw new Error(`${key} did not start: ${started.why}`);
          await tx.actions.recordAttempt({ id, eventSeq: seq, key, number: started.number, userId: presser, email: 'glance@example.com', startedAt: at });
          return started.number;
        });
      const ok = { ok: true, status: 200, reason: null, durationMs: 5, responseExcerpt: '' };
      beforeAll(async () => {
        glance = (await s.projects.create('glance', 'Glance', G))!.id;
        presser = (await s.users.create('glance@example.com', 'x', 'member', G)).id;
        if (!(await s.users.byEmail('ana@example.com'))) await s.users.create('Ana@Example.com', 'x', 'owner', T);
      });

      it('counts the open events as the unhandled feed lists them, and the actions on them a press would start now', async () => {
        expect(await s.overview.counts([glance, 999_999], G)).toEqual(new Map([[glance, { open: 0, pressable: 0 }]]));
        const lone = await put(glance, { name: 'lone', actions: [hook('once', { expireIn: 10 }), hook('again', { repeat: true }), hook('link', { external: true })] });
        const opener = await put(glance, { name: 'opener', contextId: 'c1', contextStart: true });
        const member = await put(glance, { name: 'member', contextId: 'c1', actions: [hook('inside')] });
        const tested = await put(glance, { name: 'test', test: true, actions: [hook('t')] });
        // An event of a thread whose opener has not come yet stands alone, in the feed as here.
        const early = await put(glance, { name: 'early', contextId: 'c2', actions: [hook('early')] });
        const handled = await put(glance, { name: 'handled', actions: [hook('h')] });
        await put(P1, { name: 'elsewhere', actions: [hook('x')] });
        const feed = async () =>
          (await s.events.feed({ projectId: glance, test: false, limit: 50, cursor: null, category: null, search: null, unhandled: true })).events.map((e) => e.name);
        const all = [lone, member, tested, early, handled].flatMap((e) => e.live.event.actions.map((a) => ({ seq: e.seq, key: a.key })));
        const onOpen = (names: string[]) => all.filter((a) => names.includes([lone, member, tested, early, handled].find((e) => e.seq === a.seq)!.live.event.name!));
        const expectCounts = async (at: number, open: string[]) => {
          expect(await feed()).toEqual(open);
          expect(await counts(at)).toEqual({ open: open.length, pressable: await wouldStart(onOpen(open), at) });
        };
        await expectCounts(G + 1, ['handled', 'early', 'opener', 'lone']);
        expect(await counts(G + 1)).toEqual({ open: 4, pressable: 4 });

        await s.triage.change(handled.seq, 'resolve', 'mia@example.com', G + 2);
        // The opener of c2 arrives: `early` moves under it, and the opener (no actions) takes its place.
        await put(glance, { name: 'opener 2', contextId: 'c2', contextStart: true }, G + 3);
        await expectCounts(G + 4, ['opener 2', 'opener', 'lone']);
        expect(await counts(G + 4)).toEqual({ open: 3, pressable: 2 });

        // Running, then succeeded: a one-shot is done; a repeatable one may be pressed again.
        await finish(lone.seq, 'once', 'glance-once-1', G + 5);
        await finish(lone.seq, 'again', 'glance-again-1', G + 5);
        await expectCounts(G + 6, ['opener 2', 'opener', 'lone']);
        expect(await counts(G + 6)).toEqual({ open: 3, pressable: 0 });
        await s.transaction((tx) => tx.actions.finish('glance-once-1', lone.seq, 'once', ok, G + 7));
        await s.transaction((tx) => tx.actions.finish('glance-again-1', lone.seq, 'again', ok, G + 7));
        await expectCounts(G + 8, ['opener 2', 'opener', 'lone']);
        expect(await counts(G + 8)).toEqual({ open: 3, pressable: 1 });

        // Expired (the default: a week after the event).
        await expectCounts(G + 7 * DAY + MIN, ['opener 2', 'opener', 'lone']);
        expect(await counts(G + 7 * DAY + MIN)).toEqual({ open: 3, pressable: 0 });
        expect(opener.live.event.actions).toEqual([]);
      });

      it('stops each count at 1000', async () => {
        const crowd = (await s.projects.create('crowd', 'Crowd', G))!.id;
        await s.transaction((tx) =>
          tx.events.insertMany(Array.from({ length: 1003 }, (_, i) => ({ event: normalized({ name: `n${i}`, actions: [hook('go')] }), projectId: crowd, apiKeyId: null, createdAt: G + i }))),
        );
        expect((await s.overview.counts([crowd, glance], G + 2000)).get(crowd)).toEqual({ open: 1000, pressable: 1000 });
      });

      it('first-run progress: a key (even revoked), an event (even a test one), a press, a teammate or a pending invite', async () => {
        const fresh = (await s.projects.create('first-run', 'First run', G))!.id;
        const alone = (await s.users.ownerCount()) <= 1;
        const progress = (at = G) => s.overview.progress(fresh, at);
        expect(await progress()).toEqual({ key: false, event: false, action: false, teammate: !alone });

        await s.apiKeys.create({ id: 'k-first', projectId: fresh, name: 'first', prefix: 'sb_fir', keyHash: 'hash-first', scope: 'ingest', createdBy: null, now: G });
        expect(await s.apiKeys.revoke(fresh, 'k-first', G + 1)).not.toBeNull();
        expect(await progress()).toMatchObject({ key: true, event: false });

        const event = await put(fresh, { name: 'hello', test: true, actions: [hook('go')] });
        expect(await progress()).toMatchObject({ key: true, event: true, action: false });
        await finish(event.seq, 'go', 'first-go-1', G + 2);
        await s.transaction((tx) => tx.actions.finish('first-go-1', event.seq, 'go', { ...ok, ok: false, status: 500, reason: 'status' }, G + 3));
        expect(await progress()).toMatchObject({ action: true });

        if (alone) {
          await s.invites.create({ id: 'i-first', projectId: fresh, role: 'viewer', tokenHash: 'th-first', createdBy: null, now: G, expiresAt: G + DAY });
          expect((await progress(G + 1)).teammate).toBe(true);
          expect((await progress(G + DAY)).teammate).toBe(false);
          expect(await s.invites.revoke(fresh, 'i-first', G + 2)).toBe(true);
          expect((await progress(G + 3)).teammate).toBe(false);
          const teammate = await s.users.create('first-run@example.com', 'x', 'member', G);
          await s.members.add(fresh, teammate.id, 'viewer', G);
          expect((await progress(G + 3)).teammate).toBe(true);
        }
        expect(await s.overview.progress(fresh, G + 3)).toEqual({ key: true, event: true, action: true, teammate: true });
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
        expect(await s.push.queue()).toEqual({ queued: 0, oldestCreatedAt: null });
        const event = await s.transaction(async (tx) => {
          const inserted = await tx.events.insert({ event: normalized({ name: 'push me', notify: true }), projectId: P1, apiKeyId: null, createdAt: P + 10 });
          await tx.push.enqueueEvent(inserted.seq, P + 10);
          await tx.push.enqueueTest(bob, P + 11);
          return inserted;
        });
        expect(await s.push.pending()).toEqual({ outbox: 2, deliveries: 0 });
        expect(await s.push.queue()).toEqual({ queued: 2, oldestCreatedAt: P + 10 });
        expect(await s.push.expandOutbox(P + 20, 1)).toBe(1);
        expect(await s.push.expandOutbox(P + 20, 10)).toBe(1);
        expect(await s.push.expandOutbox(P + 20, 10)).toBe(0);
        expect(await s.push.pending()).toEqual({ outbox: 0, deliveries: 3 });
        expect((await s.push.queue()).queued).toBe(3);

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

      it("sends a notice only to the devices that got the event's push", async () => {
        for (const d of await s.push.claimDue(P + 10 * 60_000, 100, P + 11 * 60_000)) await s.push.finish(d.id);
        const a = (await sub(bob, 'https://push.example/notice-a', 'Bob A', P))!;
        await sub(bob, 'https://push.example/notice-b', 'Bob B', P);
        const seq = (await s.transaction((tx) => tx.events.insert({ event: normalized({ name: 'noticed', notify: true }), projectId: P1, apiKeyId: null, createdAt: P + 100 }))).seq;
        await s.push.markSent(seq, a, P + 101);
        await s.push.markSent(seq, a, P + 102); // twice: one row
        await s.transaction((tx) => tx.push.enqueueNotice(seq, 'action:refund', P + 103));
        expect(await s.push.expandOutbox(P + 104, 10)).toBe(1);
        const due = await s.push.claimDue(P + 104, 100, P + 60_000);
        expect(due.map((d) => [d.kind, d.event_seq, d.endpoint, d.notice])).toEqual([['event', seq, 'https://push.example/notice-a', 'action:refund']]);
        await s.push.finish(due[0]!.id);
        // A device that is gone takes its record with it.
        await s.push.removeSubscription(a);
        await s.transaction((tx) => tx.push.enqueueNotice(seq, 'handled', P + 105));
        await s.push.expandOutbox(P + 106, 10);
        expect(await s.push.claimDue(P + 106, 100, P + 60_000)).toEqual([]);
      });
    });
  });
}
