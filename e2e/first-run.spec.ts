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
  await page.getByRole('button', { name: 'Sign out' }).click();
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
  await page.getByLabel('Key name').fill('billing-service');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByLabel('New API key').inputValue()).trim();
  expect(key).toMatch(/^sb_/);
  await expect(page.getByRole('list', { name: 'API keys' })).toContainText('billing-service');

  await page.getByRole('link', { name: 'Events' }).click();
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

test('signed out, the feed API and the live channel answer 401', async ({ request }) => {
  for (const path of ['/api/events', '/api/events/abc', '/api/stream', '/api/categories', '/api/keys']) {
    const res = await request.get(`${server.url}${path}`);
    expect(res.status(), path).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  }
});
