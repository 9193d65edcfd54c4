/**
 * The offline copy belongs to one session: signing out (even offline), a cookie that is gone, or a
 * session past its expiry leaves nothing readable on the device.
 */
import { type BrowserContext, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { openProfile } from './fixtures/browser.ts';
import { type RunningServer, sendEvent, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let key: string;
let closeProfile: () => Promise<void>;
let context: BrowserContext;
let page: Page;

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(request));
  await request.dispose();
  await sendEvent(server, key, { name: 'Payout to acct 4471 held', avatar: '💸' });
});
test.afterAll(async () => {
  await server.stop();
});

// A fresh profile per test: each one starts signed in, with the feed kept for offline reading.
test.beforeEach(async () => {
  ({ context, page, close: closeProfile } = await openProfile(server));
  await page.goto(server.url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(card()).toBeVisible();
  await expect.poll(cachedApiPaths).toContain('/api/projects/default/events');
});
test.afterEach(async () => {
  await closeProfile();
});

const card = () => page.getByRole('article', { name: 'Payout to acct 4471 held' });

/** The API answers this device keeps for offline reading. */
const cachedApiPaths = () =>
  page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      if (!name.startsWith('sb-api')) continue;
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });

const sessionCookie = async () => (await context.cookies(server.url)).find((c) => c.name === 'sb_session')?.value ?? null;

async function statusWith(cookie: string): Promise<{ user: unknown }> {
  const res = await fetch(`${server.url}/api/auth/status`, { headers: { cookie: `sb_session=${cookie}` } });
  return (await res.json()) as { user: unknown };
}

async function expectNothingReadableOffline(): Promise<void> {
  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in' }).or(page.getByText('You are offline or the server cannot be reached.'))).toBeVisible();
    await expect(card()).toHaveCount(0);
    expect(await cachedApiPaths()).toEqual([]);
  } finally {
    await context.setOffline(false);
  }
}

test('signing out offline forgets the copies at once and ends the session when the network is back', async () => {
  const cookie = (await sessionCookie())!;
  expect(cookie).toBeTruthy();
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  // Offline, and the server out of reach too (Chromium's offline mode can let a request through).
  await server.restart(async () => {
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(await cachedApiPaths()).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('switchboard.pendingSignOut'))).not.toBeNull();
    // Still offline, a reload shows nothing of the account.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(card()).toHaveCount(0);
  });
  // The server has not heard yet: the session is alive until the browser is back online.
  expect((await statusWith(cookie)).user).not.toBeNull();
  await context.setOffline(false);
  await expect.poll(async () => (await statusWith(cookie)).user).toBeNull();
  expect(await page.evaluate(() => localStorage.getItem('switchboard.pendingSignOut'))).toBeNull();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a session whose cookie is gone leaves no copy behind once the app has asked the server', async () => {
  await context.clearCookies();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNothingReadableOffline();
});

test('offline, a copy is not shown past the session expiry the server last gave', async () => {
  // Rewrite the kept status as the server would have sent it for a session that has since expired.
  await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      const kept = await cache.match('/api/auth/status');
      if (!kept) continue;
      const body = { ...(await kept.json()), sessionExpiresAt: new Date(Date.now() - 1000).toISOString() };
      await cache.put('/api/auth/status', new Response(JSON.stringify(body), { headers: kept.headers }));
    }
  });
  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByText('You are offline or the server cannot be reached.')).toBeVisible();
    await expect(card()).toHaveCount(0);
  } finally {
    await context.setOffline(false);
  }
  // Online again, the session (which is still valid on the server) brings the feed back.
  await page.reload();
  await expect(card()).toBeVisible();
});

test('signing out online ends the session on the server and leaves nothing readable offline', async () => {
  const cookie = (await sessionCookie())!;
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect((await statusWith(cookie)).user).toBeNull();
  await expectNothingReadableOffline();
});
