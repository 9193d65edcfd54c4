/**
 * The insights page in a real browser, drawn from events ingested with an API key over HTTP: the
 * chart's canvas is painted, its table fallback holds the real counts, presses and names are
 * listed, the range switch says which range is on, the colours follow the system's dark mode, and
 * the first screen never loads the chart library.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { type Receiver, startReceiver } from './fixtures/receiver.ts';
import { type RunningServer, sendEvent, signIn as signInApi, startSeededServer, signInPage } from './fixtures/server.ts';

let server: RunningServer;
let receiver: Receiver;

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  let key: string;
  ({ server, key } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
  receiver = await startReceiver();
  for (let i = 0; i < 3; i++) await sendEvent(server, key, { name: 'Payment failed', category: 'billing' });
  await sendEvent(server, key, { name: 'New signup', category: 'signups' });
  await sendEvent(server, key, { name: 'Heartbeat' });
  await sendEvent(server, key, { name: 'Trying it', category: 'billing', test: true });
  const { id } = await sendEvent(server, key, {
    name: 'Refund asked',
    category: 'billing',
    actions: [{ key: 'refund', buttonText: 'Refund', url: `${receiver.url}/refund` }],
  });
  await signInApi(server, request);
  const pressed = await request.post(`${server.url}/api/events/${id}/actions/refund/trigger`, { data: {}, headers: { origin: server.url } });
  expect(pressed.status()).toBe(200);
  await request.dispose();
});
test.afterAll(async () => {
  await server.stop();
  await receiver.close();
});

const signIn = (page: Page) => signInPage(page, server);

/** How many pixels of the chart's canvas are painted (not transparent). */
const paintedPixels = (page: Page) =>
  page.locator('#insights-events ~ figure canvas').first().evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });

test('draws the insights from real events, with a table fallback holding the same counts', async ({ page }) => {
  const chunks: string[] = [];
  page.on('request', (r) => chunks.push(r.url()));
  await signIn(page);
  // The feed (the first screen) never asked for the insights chunk.
  expect(chunks.filter((u) => /Insights/i.test(u))).toEqual([]);

  await page.goto(`${server.url}/insights?days=7`);
  await expect(page.getByRole('heading', { name: 'Insights', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('img', { name: /Events per day, stacked by category\. 6 events over 7 days/ })).toBeVisible();
  await expect.poll(() => paintedPixels(page)).toBeGreaterThan(500);

  // The legend, then the table: today's row holds every event sent (the test event apart).
  const legend = page.getByRole('list', { name: 'Categories' });
  await expect(legend.getByRole('listitem')).toHaveText(['billing4', 'No category1', 'signups1']);
  await page.getByText('Show as table').click();
  const table = page.getByRole('table', { name: 'Events per day and category' });
  await expect(table.getByRole('columnheader')).toHaveText(['Day', 'billing', 'No category', 'signups', 'All']);
  await expect(table.getByRole('row')).toHaveCount(1 + 7);
  await expect(table.getByRole('row').nth(1).getByRole('cell')).toHaveText(['4', '1', '1', '6']);
  await expect(table.getByRole('row').nth(2).getByRole('cell')).toHaveText(['0', '0', '0', '0']);

  const names = page.getByRole('table', { name: 'Event names with the most events in this range' });
  await expect(names.getByRole('row').nth(1)).toHaveText('Payment failed3');
  const presses = page.getByRole('region', { name: 'Presses by outcome' });
  await expect(presses.getByRole('definition')).toHaveText(['1', '0', '0']);
  await expect(page.getByRole('region', { name: 'Pushes' }).getByRole('definition')).toHaveText(['0', '0']);

  // Another range is one tap, and the URL keeps it.
  await page.getByRole('button', { name: '90 days' }).click();
  await expect(page.getByRole('button', { name: '90 days' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/days=90/);
  await expect(table.getByRole('row')).toHaveCount(1 + 90);

  // Test mode counts only the test event.
  await page.goto(`${server.url}/insights?days=7&test=1`);
  await expect(page.getByRole('heading', { name: 'Test insights', level: 1 })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Categories' }).getByRole('listitem')).toHaveText(['billing1']);
});

test('a category, a name and an outcome lead to the events behind them', async ({ page }) => {
  await signIn(page);
  await page.goto(`${server.url}/insights?days=7`);
  await page.getByRole('list', { name: 'Categories' }).getByRole('link', { name: 'billing' }).click();
  await expect(page).toHaveURL(`${server.url}/?category=billing`);
  await expect(page.getByRole('article', { name: 'Payment failed' }).first()).toBeVisible();
  await expect(page.getByRole('article', { name: 'New signup' })).toHaveCount(0);

  await page.goto(`${server.url}/insights?days=7`);
  await page.getByRole('table', { name: 'Event names with the most events in this range' }).getByRole('link', { name: 'New signup' }).click();
  await expect(page).toHaveURL(`${server.url}/?q=New+signup`);
  await expect(page.getByRole('article', { name: 'New signup' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Payment failed' })).toHaveCount(0);

  await page.goto(`${server.url}/insights?days=7`);
  await page.getByRole('region', { name: 'Presses by outcome' }).getByRole('link', { name: 'Succeeded' }).click();
  await expect(page).toHaveURL(`${server.url}/activity?outcome=succeeded`);
  await expect(page.getByRole('combobox', { name: 'Outcome' })).toHaveValue('succeeded');
  await expect(page.getByText('Refund asked').first()).toBeVisible();
});

test('follows the system between light and dark, redrawing the chart in the other colours', async ({ page }) => {
  await signIn(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${server.url}/insights?days=7`);
  const swatch = page.getByRole('list', { name: 'Categories' }).getByRole('listitem').first().locator('span').first();
  await expect(swatch).toHaveCSS('background-color', 'rgb(2, 132, 199)');
  await expect.poll(() => paintedPixels(page)).toBeGreaterThan(500);
  const canvas = page.locator('#insights-events ~ figure canvas').first();
  const light = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(swatch).toHaveCSS('background-color', 'rgb(56, 189, 248)');
  await expect.poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(light);
});

test("the first screen's JavaScript does not contain the chart library", async () => {
  const dist = join(import.meta.dirname, '..', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map((m) => m[1]!);
  expect(scripts.length).toBeGreaterThan(0);
  for (const src of scripts) {
    const code = readFileSync(join(dist, src), 'utf8');
    // uPlot's own class names and its bars path builder: present in its code, nowhere else.
    for (const mark of ['u-legend', 'u-cursor-pt', 'uplot']) expect(code.includes(mark), `${src} contains ${mark}`).toBe(false);
  }
  expect(html).not.toContain('InsightsPage');
  // The marks are real: the insights chunk, loaded only when the page opens, has them.
  const chunk = readdirSync(join(dist, 'assets')).find((f) => /^InsightsPage-[\w-]+\.js$/.test(f));
  expect(chunk).toBeDefined();
  expect(readFileSync(join(dist, 'assets', chunk!), 'utf8')).toContain('u-legend');
});
