import { expect, test } from '@playwright/test';
import { OWNER, type RunningServer, sendEvent, startServer } from './fixtures/server.ts';

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server.stop();
});

test('first run: setup link, owner account, sign in, API key from the UI, an event arrives live', async ({ page }) => {
  expect(server.setupToken, 'the server prints a setup link on an empty data dir').toBeTruthy();
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });

  await page.goto(`${server.url}/setup#token=${server.setupToken}`);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'No events yet' })).toBeVisible();
  await expect(page.getByText(`${server.url}/api/v1/log`)).toBeVisible();

  // Sign out, then in again through the sign-in form.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Switchboard' })).toBeVisible();
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill('wrong password!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('wrong email or password');
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // The setup link is spent.
  const again = await page.request.post(`${server.url}/api/auth/setup`, {
    data: { token: server.setupToken, email: 'second@example.com', password: 'another-password' },
    headers: { origin: server.url },
  });
  expect(again.status()).toBe(403);

  await page.getByRole('link', { name: 'Settings' }).click();
  // A key for a script that reads events: the list says so, and the read API takes it.
  await page.getByLabel('Key name').fill('report-script');
  await page.getByLabel('Access').selectOption('read');
  await page.getByRole('button', { name: 'Create key' }).click();
  const readKey = (await page.getByLabel('New API key').inputValue()).trim();
  await expect(page.getByRole('list', { name: 'API keys' }).getByRole('listitem').filter({ hasText: 'report-script' })).toContainText('reads events');
  expect((await page.request.get(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${readKey}` } })).status()).toBe(200);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByLabel('Access').selectOption('ingest');
  await page.getByLabel('Key name').fill('billing-service');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByLabel('New API key').inputValue()).trim();
  expect(key).toMatch(/^sb_/);
  await expect(page.getByRole('list', { name: 'API keys' })).toContainText('billing-service');
  await expect(page.getByRole('list', { name: 'API keys' }).getByRole('listitem').filter({ hasText: 'billing-service' })).not.toContainText('reads events');
  expect((await page.request.get(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${key}` } })).status()).toBe(403);
  await page.getByRole('link', { name: 'Events' }).click();
  // The first-run snippets now carry the key made in this browser, ready to paste.
  await expect(page.getByText('These use the key billing-service you just made')).toBeVisible();
  await expect(page.getByRole('region', { name: 'curl' })).toContainText(`Bearer ${key}`);
  await expect(page.getByRole('button', { name: /Copy curl/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await page.evaluate(() => {
    (window as unknown as { sameDocument: boolean }).sameDocument = true;
  });

  await sendEvent(server, key, { name: 'Payment failed', avatar: '💳', category: 'billing', content: 'card declined' });

  const article = page.getByRole('article', { name: 'Payment failed' });
  await expect(article).toBeVisible();
  await expect(article).toContainText('💳');
  await expect(article).toContainText('card declined');
  const time = article.locator('time');
  await expect(time).toHaveText(/just now/);
  expect(Date.parse((await time.getAttribute('datetime')) ?? '')).not.toBeNaN();
  await expect(time).toHaveAttribute('title', /\d/);
  // It came without a reload.
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  // The app runs under its strict CSP without tripping it.
  expect(cspViolations).toEqual([]);
});

test('a spent setup link says so on load; signed in, it leads to the feed', async ({ page, browser }) => {
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(`${server.url}/setup#token=${server.setupToken}`);
  await expect(fresh.getByRole('heading', { name: 'This setup link was already used' })).toBeVisible();
  await expect(fresh.getByLabel('Password')).toHaveCount(0);
  await other.close();

  await page.request.post(`${server.url}/api/auth/sign-in`, { data: OWNER, headers: { origin: server.url } });
  await page.goto(`${server.url}/setup#token=${server.setupToken}`);
  await expect(page).toHaveURL(`${server.url}/`);
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
});

test('Settings explains installing when the browser offers no prompt, and a refused push subscription in words', async ({ page, context }) => {
  await page.request.post(`${server.url}/api/auth/sign-in`, { data: OWNER, headers: { origin: server.url } });
  await context.grantPermissions(['notifications'], { origin: server.url });
  await page.goto(`${server.url}/settings`);
  await expect(page.getByText('This browser has not offered to install Switchboard here.')).toBeVisible();
  // This Chromium has no reachable push service: subscribing is refused, and the app says what to do.
  await page.getByRole('button', { name: 'Turn on notifications for this device' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(/The browser (refused to let this site send notifications|could not reach its push service)/);
  await expect(alert).not.toContainText('Registration failed');
});

test('signed out, the feed API and the live channel answer 401', async ({ request }) => {
  for (const path of ['/api/events', '/api/events/abc', '/api/stream', '/api/categories', '/api/keys']) {
    const res = await request.get(`${server.url}${path}`);
    expect(res.status(), path).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  }
});

test('the first key is made on the empty feed itself; the snippets carry it and it works', async ({ browser }) => {
  // A second project, still empty and without a key, for the owner (signed in in a context of its own).
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.request.post(`${server.url}/api/auth/sign-in`, { data: OWNER, headers: { origin: server.url } });
  expect((await page.request.post(`${server.url}/api/projects`, { data: { name: 'Fresh', slug: 'fresh' }, headers: { origin: server.url } })).status()).toBe(201);
  await page.goto(`${server.url}/p/fresh`);
  await expect(page.getByRole('heading', { name: 'No events yet' })).toBeVisible();
  await page.getByLabel('Key name').fill('checkout');
  await page.getByRole('button', { name: 'Create API key' }).click();
  await expect(page.getByText('These use the key checkout you just made')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create API key' })).toHaveCount(0);
  const curl = await page.getByRole('region', { name: 'curl' }).textContent() ?? '';
  const key = /Bearer (sb_[\w-]+)/.exec(curl)?.[1];
  expect(key).toBeTruthy();
  // The key writes into this project: its event arrives here, live.
  await sendEvent(server, key!, { name: 'First from checkout', avatar: '🛒' });
  await expect(page.getByRole('article', { name: 'First from checkout' })).toBeVisible();
  await context.close();
});
