/**
 * The first screen's requests go out while its texts load (src/app/firstRequests.ts): opened again,
 * the app asks for the feed before it even knows who is signed in, and for each of the status, the
 * projects and the feed once — not again when the screen draws. After a sign-out it asks for nobody's.
 */
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { type RunningServer, sendEvent, signInPage, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  let key: string;
  ({ server, key } = await startSeededServer(request));
  await sendEvent(server, key, { name: 'Deploy finished', avatar: '🚀', content: 'v2.14.0 healthy' });
  await request.dispose();
});
test.afterAll(async () => {
  await server.stop();
});

test('a reload asks for the feed at once and once; after a sign-out, for nobody’s', async ({ page }) => {
  await signInPage(page, server);
  const card = page.getByRole('article', { name: 'Deploy finished' });
  await expect(card).toBeVisible();

  // What the page sends and when each answer has been read, in the order the browser reports them.
  const log: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/')) log.push(`sent ${path}`);
  });
  page.on('requestfinished', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/')) log.push(`read ${path}`);
  });
  await page.reload();
  await expect(card).toBeVisible();
  // The live stream opens after the first feed page: by then every first request has been made.
  await expect.poll(() => log.some((l) => l.startsWith('sent') && l.endsWith('/stream'))).toBe(true);
  const sent = (path: string) => log.filter((l) => l === `sent ${path}`).length;
  expect(sent('/api/auth/status'), log.join('\n')).toBe(1);
  expect(sent('/api/projects'), log.join('\n')).toBe(1);
  expect(sent('/api/projects/default/events'), log.join('\n')).toBe(1);
  // Asked for before the answer about who is signed in was in: not one request after another.
  expect(log.indexOf('sent /api/projects/default/events'), log.join('\n')).toBeLessThan(log.indexOf('read /api/auth/status'));

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Switchboard' })).toBeVisible();
  log.length = 0;
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in to Switchboard' })).toBeVisible();
  expect(log.filter((l) => l.startsWith('sent')), log.join('\n')).toEqual(['sent /api/auth/status']);
});
