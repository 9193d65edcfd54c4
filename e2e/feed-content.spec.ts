import { expect, request as playwrightRequest, test } from '@playwright/test';
import { comfortableCards, type RunningServer, sendEvent, signIn, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let key: string;
test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(request));
  await request.dispose();
});
// This spec reads the event card's content: comfortable cards (a desktop's default is the one-line desk).
test.beforeEach(async ({ page }) => comfortableCards(page));
test.afterAll(async () => {
  await server.stop();
});
test.beforeEach(async ({ page }) => {
  await signIn(server, page.request);
});

test('every content type renders: text, json, image, rows', async ({ page }) => {
  const image = `${server.url}/icon-192.png`;
  const big = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`field${i}`, i]));
  await sendEvent(server, key, { name: 'Text event', avatar: '📝', content: 'line one\nsee https://example.com/docs.' });
  await sendEvent(server, key, { name: 'Json event', avatar: '🧾', type: 'json', content: big });
  await sendEvent(server, key, { name: 'Image event', avatar: image, type: 'image', content: image });
  await sendEvent(server, key, {
    name: 'Rows event',
    type: 'rows',
    content: [
      { label: 'amount', content: '42.00 EUR' },
      { label: 'payload', type: 'json', content: { code: 'card_declined' } },
      { label: 'receipt', type: 'image', content: image },
    ],
  });
  await page.goto(server.url);

  const text = page.getByRole('article', { name: 'Text event' });
  await expect(text.locator('p')).toContainText('line one\nsee');
  const link = text.getByRole('link', { name: 'https://example.com/docs' });
  await expect(link).toHaveAttribute('href', 'https://example.com/docs');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener noreferrer/);

  const json = page.getByRole('article', { name: 'Json event' });
  await expect(json.locator('pre')).toContainText('"field0": 0');
  await expect(json.locator('pre')).not.toContainText('"field13"');
  await json.getByRole('button', { name: /Show all 16 lines/ }).click();
  await expect(json.locator('pre')).toContainText('"field13": 13');
  await expect(json.getByRole('button', { name: 'Copy JSON' })).toBeVisible();

  const img = page.getByRole('article', { name: 'Image event' }).getByRole('img', { name: 'Image event' });
  await expect(img).toHaveAttribute('src', image);
  await expect(img).toHaveAttribute('loading', 'lazy');
  await expect(img).toHaveAttribute('referrerpolicy', 'no-referrer');

  const rows = page.getByRole('article', { name: 'Rows event' });
  await expect(rows.locator('dt').nth(0)).toHaveText('amount');
  await expect(rows.locator('dd').nth(0)).toHaveText('42.00 EUR');
  await expect(rows.locator('dd').nth(1).locator('pre')).toContainText('card_declined');
  await expect(rows.getByRole('img', { name: 'receipt' })).toHaveAttribute('src', image);
});

test('a thread: later events sit under the one that opened it; an orphan shows on its own', async ({ page }) => {
  const start = await sendEvent(server, key, { name: 'Deploy started', contextId: 'deploy-7', contextStart: true });
  await sendEvent(server, key, { name: 'Migrations ran', contextId: 'deploy-7' });
  await sendEvent(server, key, { name: 'Deploy finished', contextId: 'deploy-7' });
  await sendEvent(server, key, { name: 'Orphan step', contextId: 'never-started' });
  await page.goto(server.url);

  const parent = page.getByRole('article', { name: 'Deploy started' });
  await expect(page.getByRole('article', { name: 'Orphan step' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Migrations ran' })).toHaveCount(0);
  const toggle = parent.getByRole('button', { name: '2 events in this thread' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(parent.getByRole('article', { name: 'Migrations ran' })).toBeVisible();
  await expect(parent.getByRole('article', { name: 'Deploy finished' })).toBeVisible();

  // A later event of the thread arrives live and joins it.
  await sendEvent(server, key, { name: 'Smoke test passed', contextId: 'deploy-7' });
  await expect(parent.getByRole('article', { name: 'Smoke test passed' })).toBeVisible();
  await expect(parent.getByRole('button', { name: 'Hide thread (3)' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Smoke test passed' })).toHaveCount(1);

  // The event page is a deep link with the thread open.
  await page.goto(`${server.url}/events/${start.id}`);
  const detail = page.getByRole('article', { name: 'Deploy started' });
  await expect(detail.getByRole('article', { name: 'Smoke test passed' })).toBeVisible();
});

test('search and category filter', async ({ page }) => {
  await sendEvent(server, key, { name: 'Refund issued', category: 'billing-x', type: 'json', content: { customer: 'zebracorp' } });
  await sendEvent(server, key, { name: 'User signed up', category: 'signups-x', content: 'welcome aboard' });
  await sendEvent(server, key, { name: 'Invoice sent', category: 'billing-x', type: 'rows', content: [{ label: 'to', content: 'quokka ltd' }] });
  await sendEvent(server, key, { name: 'Password changed', userId: 'u_4242' });
  await page.goto(server.url);

  // From 1280 px the categories are a sidebar with counts.
  const categories = page.getByRole('navigation', { name: 'Categories' });
  await expect(categories.getByRole('link', { name: 'billing-x 2 events' })).toBeVisible();
  await categories.getByRole('link', { name: /^billing-x/ }).click();
  await expect(categories.getByRole('link', { name: /^billing-x/ })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('article', { name: 'Refund issued' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Invoice sent' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'User signed up' })).toHaveCount(0);
  expect(new URL(page.url()).searchParams.get('category')).toBe('billing-x');

  await categories.getByRole('link', { name: 'All events' }).click();
  await page.getByLabel('Search events').fill('zebrac');
  await expect(page.getByRole('article')).toHaveCount(1);
  await expect(page.getByRole('article', { name: 'Refund issued' })).toBeVisible();
  await page.getByLabel('Search events').fill('quokka');
  await expect(page.getByRole('article', { name: 'Invoice sent' })).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(1);
  // By whom an event is about: its userId.
  await page.getByLabel('Search events').fill('u_4242');
  await expect(page.getByRole('article', { name: 'Password changed' })).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(1);
  await page.getByLabel('Search events').fill('"; DROP TABLE events; --');
  await expect(page.getByText('No events match these filters.')).toBeVisible();
});

test('test mode shows only test events, clearly marked', async ({ page }) => {
  await sendEvent(server, key, { name: 'Staging ping', test: true });
  await sendEvent(server, key, { name: 'Production ping' });
  await page.goto(server.url);
  await expect(page.getByRole('article', { name: 'Production ping' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Staging ping' })).toHaveCount(0);

  await page.getByRole('switch', { name: 'Test mode' }).click();
  await expect(page.getByRole('switch', { name: 'Test mode' })).toHaveAttribute('aria-checked', 'true');
  const staging = page.getByRole('article', { name: 'Staging ping' });
  await expect(staging).toBeVisible();
  await expect(staging).toContainText('Test');
  await expect(page.getByRole('article', { name: 'Production ping' })).toHaveCount(0);

  // Live in test mode too.
  await sendEvent(server, key, { name: 'Second staging ping', test: true });
  await expect(page.getByRole('article', { name: 'Second staging ping' })).toBeVisible();
});

test('relative times tick without a reload, and show the absolute time when the event is focused (one tab stop)', async ({ page }) => {
  await page.clock.install();
  await sendEvent(server, key, { name: 'Clock event' });
  await page.goto(server.url);
  const time = page.getByRole('article', { name: 'Clock event' }).locator('time');
  await expect(time).toHaveText(/^just now/);
  await page.clock.fastForward('03:00');
  await expect(time).toHaveText(/^3 min\. ago/);
  await expect(time).not.toHaveAttribute('tabindex');
  await page.getByRole('article', { name: 'Clock event' }).getByRole('link', { name: 'Clock event' }).focus();
  await expect(time.locator('[aria-hidden="true"]')).toBeVisible();
});

test('a thread keeps its state: opened, scrolled out of the list and back, still open; later events say how long after the start they came', async ({ page }) => {
  await sendEvent(server, key, { name: 'Backfill 12 started', category: 'jobs', contextId: 'backfill-12', contextStart: true });
  await sendEvent(server, key, { name: 'Backfill 12 halfway', category: 'jobs', contextId: 'backfill-12' });
  await sendEvent(server, key, { name: 'Backfill 12 on another queue', category: 'queues', contextId: 'backfill-12' });
  for (let i = 0; i < 40; i++) await sendEvent(server, key, { name: `Filler ${i}` });
  await page.goto(server.url);
  const parent = page.getByRole('article', { name: 'Backfill 12 started' });
  await expect(async () => {
    await page.mouse.wheel(0, 4000);
    await expect(parent).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 40_000 });
  await parent.getByRole('button', { name: /2 events in this thread/ }).click();
  const halfway = parent.getByRole('article', { name: 'Backfill 12 halfway' });
  await expect(halfway).toBeVisible();
  // The same category as the opening event is not repeated; another one is shown.
  await expect(halfway.getByText('jobs', { exact: true })).toHaveCount(0);
  await expect(parent.getByRole('article', { name: 'Backfill 12 on another queue' }).getByText('queues', { exact: true })).toBeVisible();
  await expect(halfway).toContainText(/\+\d+s/);

  // Out of the virtual list (its card is unmounted) and back.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(parent).toHaveCount(0);
  await expect(async () => {
    await page.mouse.wheel(0, 4000);
    await expect(parent).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 40_000 });
  await expect(parent.getByRole('button', { name: /Hide thread/ })).toHaveAttribute('aria-expanded', 'true');
  await expect(parent.getByRole('article', { name: 'Backfill 12 halfway' })).toBeVisible();
});
