/** The built PWA's files keep their own caching; everything else the server answers is no-store. */
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

beforeAll(async () => {
  const dir = tempDir();
  const dist = join(dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Switchboard</title>');
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  store = openStore(join(dir, 'data'));
  app = await buildApp({ config: loadConfig({ DATA_DIR: join(dir, 'data'), DIST_DIR: dist }), store: sqliteAppStore(store) });
});
afterAll(async () => {
  await app.close();
  store.close();
});

describe('static files and caching', () => {
  it('hashed assets are immutable, the page revalidates, API answers and API 404s are no-store', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/app-1234.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await app.inject({ method: 'GET', url: '/events/abc' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    for (const url of ['/api/auth/status', '/api/nope', '/healthz']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });
});
