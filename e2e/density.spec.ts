/**
 * Density and search results: on a desktop the feed is a triage desk by default (one line an event,
 * at least 12 on a 1440 × 900 screen, the full event beside them); comfortable cards are a setting,
 * remembered on the device; search marks the matched words; an empty result offers "Clear filters".
 */
import { expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { type RunningServer, sendEvent, signIn, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;

test.use({ viewport: { width: 1440, height: 900 } });

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  let key: string;
  ({ server, key } = await startSeededServer(request));
  await request.dispose();
  // A realistic mix: text, JSON, rows, a few with actions.
  for (let i = 0; i < 24; i++) {
    const kind = i % 4;
    await sendEvent(server, key, {
      name: ['New signup', 'Payment failed', 'Invoice sent', 'Suspicious login'][kind]!,
      avatar: ['🎉', '💳', '🧾', '🕵️'][kind],
      category: ['signups', 'billing', 'billing', 'security'][kind],
      userId: `u_${100 + i}`,
      ...(kind === 1 ? { type: 'json', content: { code: 'card_declined', amount: 4200 + i, currency: 'EUR' } } : {}),
      ...(kind === 2 ? { type: 'rows', content: [{ label: 'to', content: `customer ${i}` }, { label: 'amount', content: '42.00 EUR' }] } : {}),
      ...(kind === 0 ? { content: `jane${i}@example.com signed up from the pricing page` } : {}),
      ...(kind === 3 ? { content: `login from Lisbon, PT (new device) ${i}`, actions: [{ url: 'https://hooks.example.com/ban', buttonText: 'Ban user', type: 'danger' }] } : {}),
    });
  }
});
test.afterAll(async () => {
  await server.stop();
});

/** Articles wholly inside the window. */
const fullyVisible = (page: Page) =>
  page.getByRole('article').evaluateAll((nodes) =>
    nodes.filter((n) => {
      const r = n.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }).length,
  );

test('the desk: at 1440 × 900 at least 12 events, one line each, the full event beside them', async ({ page }) => {
  await signIn(server, page.request);
  await page.goto(server.url);
  await expect(page.getByRole('article').first()).toBeVisible();
  await expect.poll(() => fullyVisible(page)).toBeGreaterThanOrEqual(12);
  console.log(`[density] events wholly visible at 1440 × 900 on the desk: ${await fullyVisible(page)}`);
  // One line: an event with an action is no taller than its 44 px button and a little air.
  const login = page.getByRole('article', { name: 'Suspicious login' }).first();
  expect((await login.boundingBox())!.height).toBeLessThanOrEqual(60);
  // Actions stay buttons of full height in the row, their time left beside them and in their description.
  const ban = login.getByRole('button', { name: 'Ban user' });
  expect((await ban.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await expect(ban).toHaveAccessibleDescription(/expires in 6d 23h/);
  // The full event opens beside the feed, which stays where it was.
  await login.getByRole('link', { name: 'Suspicious login' }).click();
  const pane = page.getByRole('region', { name: 'Suspicious login' });
  await expect(pane).toBeVisible();
  await expect(pane.getByText(/login from Lisbon/)).toBeVisible();
  expect(await fullyVisible(page)).toBeGreaterThanOrEqual(12);
});

test('comfortable cards are a choice, remembered on the device', async ({ page }) => {
  await signIn(server, page.request);
  await page.goto(server.url);
  await expect(page.getByRole('article').first()).toBeVisible();
  await expect.poll(() => fullyVisible(page)).toBeGreaterThanOrEqual(12);
  const desk = await fullyVisible(page);

  await page.getByRole('link', { name: 'Settings' }).click();
  const toggle = page.getByRole('switch', { name: 'Compact list' });
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await page.getByRole('link', { name: 'Events' }).click();
  await expect(page.getByRole('article').first()).toBeVisible();
  await expect.poll(() => fullyVisible(page)).toBeLessThanOrEqual(desk / 2);
  console.log(`[density] events wholly visible at 1440 × 900: ${desk} on the desk, ${await fullyVisible(page)} comfortable`);

  await page.reload();
  await expect(page.getByRole('article').first()).toBeVisible();
  expect(await fullyVisible(page)).toBeLessThanOrEqual(desk / 2);
});

test('search marks the matched words; an empty result offers Clear filters', async ({ page }) => {
  await signIn(server, page.request);
  await page.goto(`${server.url}/?q=lisbon`);
  const first = page.getByRole('article').first();
  await expect(first.locator('mark').first()).toHaveText(/^lisbon$/i);

  await page.getByLabel('Search events').fill('zzz-nothing-matches');
  await expect(page.getByText('No events match these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByRole('article').first()).toBeVisible();
  await expect(page.getByLabel('Search events')).toHaveValue('');
  expect(new URL(page.url()).searchParams.get('q')).toBeNull();
});
