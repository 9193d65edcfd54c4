import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { ROOT } from '../test/fixtures/serverProcess.ts';
import { type RunningServer, signIn, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let dist: string;

// A copy of the build, so this spec can ship a "new version" without touching the one others use.
test.beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'sb-dist-'));
  cpSync(join(ROOT, 'dist'), dist, { recursive: true });
  const request = await playwrightRequest.newContext();
  ({ server } = await startSeededServer(request, { DIST_DIR: dist }));
  await request.dispose();
});
test.afterAll(async () => {
  await server.stop();
  rmSync(dist, { recursive: true, force: true });
});

test('a new version waiting shows "Update available — Reload", and Reload brings it in', async ({ page }) => {
  await signIn(server, page.request);
  await page.goto(server.url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(page.getByRole('button', { name: 'Reload' })).toHaveCount(0);

  // Deploy: the service worker script changes by a byte.
  const sw = join(dist, 'sw.js');
  writeFileSync(sw, `${readFileSync(sw, 'utf8')}\n// next version\n`);
  // The build's precompressed copies would still be served: this deploy has none.
  rmSync(`${sw}.br`, { force: true });
  rmSync(`${sw}.gz`, { force: true });
  await page.evaluate(async () => (await navigator.serviceWorker.ready).update());

  const bar = page.getByRole('status').filter({ hasText: 'Update available' });
  await expect(bar).toBeVisible({ timeout: 20_000 });
  const reloaded = page.waitForEvent('load');
  await bar.getByRole('button', { name: 'Reload' }).click();
  await reloaded;
  await expect(page.getByRole('article').or(page.getByRole('heading', { name: 'No events yet' })).first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Update available' })).toHaveCount(0);
  const scriptText = await page.evaluate(async () => {
    const active = (await navigator.serviceWorker.ready).active;
    return active ? (await fetch(active.scriptURL, { cache: 'no-store' })).text() : '';
  });
  expect(scriptText).toContain('// next version');
});
