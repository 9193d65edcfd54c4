/**
 * The store conformance suite: one list of repository behaviours, run against the SQLite store (as
 * the app uses it, through sqliteAppStore) and against the PostgreSQL repositories on a real server.
 * So far: settings, users, sessions, API keys, Idempotency-Key answers; the event, action and push
 * repositories join as their PostgreSQL halves land.
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StoreRepositories, sqliteAppStore } from '../server/store/appStore.ts';
import { openStore, type SqliteStore } from '../server/store/index.ts';
import { postgresAccounts } from '../server/store/postgres/accounts.ts';
import { withTransaction } from '../server/store/postgres/transaction.ts';
import { migratePostgres } from '../server/store/postgres/migrate.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { tempDir } from './helpers.ts';

type Repos = Pick<StoreRepositories, 'settings' | 'users' | 'sessions' | 'apiKeys' | 'idempotency'>;

interface Backend {
  name: string;
  open(): Promise<Repos>;
  /** Runs `fn` in one transaction of this store. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
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
    transaction: (fn) => sqliteAppStore(store).transaction(fn),
    async close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(): Backend {
  let database: TestDatabase;
  let pool: pg.Pool;
  return {
    name: 'PostgreSQL',
    async open() {
      database = await createTestDatabase('conformance');
      pool = new pg.Pool({ connectionString: database.url, max: 4 });
      pool.on('error', () => undefined);
      const client = await pool.connect();
      await migratePostgres(client);
      client.release();
      return postgresAccounts(pool);
    },
    transaction: (fn) => withTransaction(pool, (client) => fn(postgresAccounts(client))),
    async close() {
      await pool.end();
      await database.drop();
    },
  };
}

const DAY = 24 * 60 * 60 * 1000;
const T = Date.UTC(2026, 11, 3, 12, 0, 0);

for (const backend of [sqliteBackend(), postgresBackend()]) {
  describe(`store conformance: ${backend.name}`, () => {
    let s: Repos;
    beforeAll(async () => {
      s = await backend.open();
    });
    afterAll(async () => {
      await backend.close();
    });

    describe('transactions', () => {
      it('commits together, and a failure rolls back everything written in it', async () => {
        await backend.transaction(async (tx) => {
          await tx.settings.set('t1', 'a');
          await tx.settings.set('t2', 'b');
        });
        expect([await s.settings.get('t1'), await s.settings.get('t2')]).toEqual(['a', 'b']);
        await expect(
          backend.transaction(async (tx) => {
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
        const inside = backend.transaction(async (tx) => {
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
  });
}
