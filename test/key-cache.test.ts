/**
 * The in-process API-key cache (server/auth/keyCache.ts): an ingest answers from memory, and a
 * revocation still holds at once — in the one process of a SQLite store, and on every instance of a
 * PostgreSQL one (two real server processes: a key used on B, so B remembers it, and revoked on A
 * through the settings route is refused on B within a second).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { cachedKeys } from '../server/auth/keyCache.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import type { ActiveKey } from '../server/store/records.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import type { AppStore } from '../server/store/types.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { freePort, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { makeApp, makeStore, OWN_ORIGIN, type TestApp, tempDir } from './helpers.ts';

/** A store's key lookups, counted, and its revocation announcements, driven by hand. */
function fakeStore(keys: Record<string, ActiveKey>) {
  const listeners = new Set<(ids: readonly string[] | null) => void>();
  let reads = 0;
  let gate: Promise<void> | null = null;
  return {
    store: {
      apiKeys: {
        async activeByHash(hash: string) {
          reads++;
          if (gate) await gate;
          return keys[hash] ?? null;
        },
      } as AppStore['apiKeys'],
      onKeysRevoked(fn: (ids: readonly string[] | null) => void) {
        listeners.add(fn);
        return () => void listeners.delete(fn);
      },
    },
    reads: () => reads,
    revoke: (ids: readonly string[] | null) => {
      for (const fn of listeners) fn(ids);
    },
    /** Holds every read until the returned function is called. */
    hold() {
      let open = () => {};
      gate = new Promise<void>((resolve) => (open = resolve));
      return () => {
        gate = null;
        open();
      };
    },
    listeners: () => listeners.size,
  };
}

const key = (id: string): ActiveKey => ({ id, projectId: 1, scope: 'ingest' });

describe('the key cache', () => {
  it('answers a key it has read from memory until its time to live is over, and never remembers an unknown key', async () => {
    const fake = fakeStore({ h1: key('k1') });
    let now = 0;
    const cache = cachedKeys(fake.store, { ttlMs: 1000, clock: () => now });
    expect(await cache.activeByHash('h1')).toEqual(key('k1'));
    expect(await cache.activeByHash('h1')).toEqual(key('k1'));
    expect(fake.reads()).toBe(1);
    now = 1000;
    expect(await cache.activeByHash('h1')).toEqual(key('k1'));
    expect(fake.reads()).toBe(2);
    expect(await cache.activeByHash('nope')).toBeNull();
    expect(await cache.activeByHash('nope')).toBeNull();
    expect(fake.reads()).toBe(4);
    expect(cache.size()).toBe(1);
    cache.stop();
    expect(fake.listeners()).toBe(0);
  });

  it('keeps at most `max` keys, the least recently used going first', async () => {
    const fake = fakeStore({ a: key('a'), b: key('b'), c: key('c') });
    const cache = cachedKeys(fake.store, { max: 2 });
    await cache.activeByHash('a');
    await cache.activeByHash('b');
    await cache.activeByHash('a'); // a is now the most recently used
    await cache.activeByHash('c'); // b goes
    expect(cache.size()).toBe(2);
    const reads = fake.reads();
    await cache.activeByHash('a');
    await cache.activeByHash('c');
    expect(fake.reads()).toBe(reads);
    await cache.activeByHash('b');
    expect(fake.reads()).toBe(reads + 1);
  });

  it('forgets the keys a revocation names, every key on null, and keeps nothing from a read that overlapped a revocation', async () => {
    const fake = fakeStore({ h1: key('k1'), h2: key('k2') });
    const cache = cachedKeys(fake.store);
    await cache.activeByHash('h1');
    await cache.activeByHash('h2');
    fake.revoke(['k1']);
    expect(cache.size()).toBe(1);
    fake.revoke(null);
    expect(cache.size()).toBe(0);

    // A read that started before a revocation was heard may have read the row before it: not kept.
    const release = fake.hold();
    const reading = cache.activeByHash('h1');
    fake.revoke(['k2']);
    release();
    expect(await reading).toEqual(key('k1'));
    expect(cache.size()).toBe(0);
    await cache.activeByHash('h1');
    expect(cache.size()).toBe(1);
  });
});

describe('every way a key is revoked or deleted is announced by the store', () => {
  let made: Awaited<ReturnType<typeof makeStore>>;
  afterEach(async () => made?.close());

  it('revoke, revokeMadeBy, revokeProject and a project removed: the ids (or null)', async () => {
    made = await makeStore();
    const { store } = made;
    const heard: (readonly string[] | null)[] = [];
    store.onKeysRevoked((ids) => heard.push(ids));
    const maker = await store.users.create('maker@example.com', 'x', 'owner', 1);
    const row = (id: string, projectId = DEFAULT_PROJECT_ID, createdBy: string | null = null) => ({
      id, projectId, name: id, prefix: `sb_${id}`, keyHash: `hash-${id}`, scope: 'ingest' as const, createdBy, now: 1,
    });
    const other = (await store.projects.create('other', 'Other', 1))!;
    for (const r of [row('k1'), row('k2', DEFAULT_PROJECT_ID, maker.id), row('k3', other.id), row('k4', other.id)]) await store.apiKeys.create(r);

    await store.transaction(async (tx) => void (await tx.apiKeys.revoke(DEFAULT_PROJECT_ID, 'k1', 2)));
    expect(heard).toEqual([['k1']]);
    await store.apiKeys.revoke(DEFAULT_PROJECT_ID, 'k1', 2); // already revoked: nothing to say
    expect(await store.apiKeys.revokeMadeBy(DEFAULT_PROJECT_ID, maker.id, 3)).toEqual(['k2']);
    await store.apiKeys.revoke(other.id, 'k3', 3);
    await store.transaction(async (tx) => {
      await tx.apiKeys.revokeProject(other.id, 4);
      await tx.projects.remove(other.id);
    });
    expect(heard).toEqual([['k1'], ['k2'], ['k3'], ['k4'], expect.arrayContaining(['k3', 'k4'])]);
  });
});

describe('one process: a revoked key is refused from the next request on', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await makeApp();
    cookie = await t.signIn();
  });
  afterAll(async () => t?.cleanup());

  const send = (secret: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/log', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, payload: '{"name":"k"}' });
  const asOwner = (method: 'POST' | 'DELETE', url: string, body: unknown = {}) =>
    t.app.inject({ method, url, headers: { cookie, origin: OWN_ORIGIN, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

  it('revoked in the settings', async () => {
    const created = (await asOwner('POST', '/api/keys', { name: 'soon revoked' })).json<{ id: string; key: string }>();
    expect((await send(created.key)).statusCode).toBe(201);
    expect((await send(created.key)).statusCode).toBe(201);
    expect((await asOwner('DELETE', `/api/keys/${created.id}`)).statusCode).toBe(204);
    const refused = await send(created.key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('invalid_api_key');
  });

  it('its project deleted', async () => {
    expect((await asOwner('POST', '/api/projects', { name: 'Doomed', slug: 'doomed' })).statusCode).toBe(201);
    const created = (await asOwner('POST', '/api/projects/doomed/keys', { name: 'doomed key' })).json<{ key: string }>();
    expect((await send(created.key)).statusCode).toBe(201);
    expect((await asOwner('DELETE', '/api/projects/doomed', { confirm: 'Doomed' })).statusCode).toBe(204);
    expect((await send(created.key)).statusCode).toBe(401);
  });
});

describe('several instances (PostgreSQL): a key revoked on one is refused on the others', () => {
  const ORIGIN = 'http://switchboard.test';
  const EMAIL = 'keys@example.com';
  const PASSWORD = 'one cache per instance';
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let cookie: string;

  const start = async () => spawnServer(tempDir(), await freePort(), { DATABASE_URL: database.url, PUBLIC_URL: ORIGIN, DIST_DIR: '/nonexistent' });
  const send = (on: ServerProcess, secret: string) =>
    fetch(`${on.url}/api/v1/log`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: '{"name":"k"}' }).then((r) => r.status);
  const asOwner = (on: ServerProcess, method: 'POST' | 'DELETE', path: string, body: unknown = {}) =>
    fetch(`${on.url}${path}`, { method, headers: { 'content-type': 'application/json', origin: ORIGIN, cookie }, body: JSON.stringify(body) });
  /** Sends with the key to `on` until it is refused or the deadline passes; the last status. */
  async function statusWithin(on: ServerProcess, secret: string, ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const status = await send(on, secret);
      if (status === 401 || Date.now() > deadline) return status;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  async function newKey(name: string): Promise<{ id: string; key: string }> {
    const res = await asOwner(a, 'POST', '/api/keys', { name });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; key: string };
  }

  beforeAll(async () => {
    database = await createTestDatabase('keycache');
    a = await start();
    b = await start();
    const store = await openPostgresStore(database.url, { max: 1 });
    await store.users.create(EMAIL, await hashPassword(PASSWORD), 'owner', Date.now());
    await store.close();
    const res = await fetch(`${a.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    expect(res.status).toBe(200);
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.kill9(), b?.kill9()]);
    await database?.drop();
  });

  it('B remembers a key it used: a revocation written behind the store’s back (no NOTIFY) goes unseen there', async () => {
    const created = await newKey('remembered');
    expect(await send(b, created.key)).toBe(201);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2', [Date.now(), created.id]);
    } finally {
      await client.end();
    }
    // Answered from B's memory (for up to the cache's 30 s); A, which never read it, refuses it.
    expect(await send(b, created.key)).toBe(201);
    expect(await send(a, created.key)).toBe(401);
  });

  it('revoked through the settings on A, it is refused on B within a second', async () => {
    const created = await newKey('revoked on A');
    expect(await send(b, created.key)).toBe(201);
    expect(await send(b, created.key)).toBe(201);
    expect((await asOwner(a, 'DELETE', `/api/keys/${created.id}`)).status).toBe(204);
    expect(await statusWithin(b, created.key, 1000)).toBe(401);
    expect(await send(a, created.key)).toBe(401);
  });

  it('revoked with its project deleted on A, it is refused on B within a second', async () => {
    expect((await asOwner(a, 'POST', '/api/projects', { name: 'Gone', slug: 'gone' })).status).toBe(201);
    const res = await asOwner(a, 'POST', '/api/projects/gone/keys', { name: 'gone key' });
    const created = (await res.json()) as { key: string };
    expect(await send(b, created.key)).toBe(201);
    expect((await asOwner(a, 'DELETE', '/api/projects/gone', { confirm: 'Gone' })).status).toBe(204);
    expect(await statusWithin(b, created.key, 1000)).toBe(401);
  });

  it('an instance whose listening connection dropped forgets every key: what it missed meanwhile holds', async () => {
    const created = await newKey('missed');
    expect(await send(b, created.key)).toBe(201);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // Behind the store's back, as a NOTIFY lost while no connection listened would be.
      await client.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2', [Date.now(), created.id]);
      expect(await send(b, created.key)).toBe(201);
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`);
    } finally {
      await client.end();
    }
    expect(await statusWithin(b, created.key, 5000)).toBe(401);
  });
});
