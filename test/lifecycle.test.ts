/** Liveness, readiness and what answers an unknown path (CONTRACT §9), through fastify.inject. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openStore, type Store } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { tempDir } from './helpers.ts';

let app: Awaited<ReturnType<typeof buildApp>>;
let store: Store;
const HTML = '<!doctype html><title>Switchboard</title>';

beforeAll(async () => {
  const dir = tempDir();
  const dist = join(dir, 'dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'index.html'), HTML);
  store = openStore(join(dir, 'data'));
  app = await buildApp({ config: loadConfig({ DATA_DIR: join(dir, 'data'), DIST_DIR: dist }), store: sqliteAppStore(store) });
});
afterAll(async () => {
  await app.close();
  store.close();
});

const stamp = () => store.db.prepare("SELECT value FROM settings WHERE key = 'healthz'").pluck().get() as string | undefined;

describe('/healthz and /readyz', () => {
  it('/healthz is liveness: 200 without touching the store', async () => {
    const before = stamp();
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ok: true });
    }
    expect(stamp()).toBe(before);
  });

  it('/readyz writes and reads the store: 200 while it answers, 503 once it does not', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(stamp()).toMatch(/^\d+$/);
    // A store that refuses writes (read-only here) is not ready, but the process is still alive.
    store.db.pragma('query_only = ON');
    try {
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      store.db.pragma('query_only = OFF');
    }
  });
});

describe('unknown paths', () => {
  it('answer 404 with the JSON error, never the app with a 200', async () => {
    for (const url of ['/metrics', '/nope', '/wp-login.php', '/api/nope', '/p/default/nope', '/events', '/events/a/b', '/all/events', '/all/x', '/all/events/a/b', '/%2e%2e/etc/passwd']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: '*/*' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('not_found');
    }
  });

  it('the app’s own pages answer 200 with the app; a browser lost on an unknown one gets the app with a 404', async () => {
    for (const url of ['/', '/setup', '/invite', '/reset-password', '/all', '/all/events/abc', '/events/abc', '/settings', '/activity', '/insights', '/p/ops', '/p/ops/', '/p/ops/events/x', '/p/ops/insights?days=7']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: '*/*' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(HTML);
    }
    const lost = await app.inject({ method: 'GET', url: '/no-such-page', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(lost.statusCode).toBe(404);
    expect(lost.body).toBe(HTML);
    const api = await app.inject({ method: 'GET', url: '/api/nope', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
  });
});
