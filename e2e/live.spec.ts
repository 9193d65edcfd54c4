import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { parseIngestBody } from '../contract/ingest.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { type RunningServer, sendEvent, signIn, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let key: string;
const TOTAL = 400;

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(request));
  await request.dispose();
  for (let i = 0; i < TOTAL; i += 20) {
    await Promise.all(Array.from({ length: 20 }, (_, j) => sendEvent(server, key, { name: `Event ${i + j}`, avatar: '🔔', content: `number ${i + j}` })));
  }
});
test.afterAll(async () => {
  await server.stop();
});
test.beforeEach(async ({ page }) => {
  await signIn(server, page.request);
});

test('infinite scroll loads every event once while the DOM stays small', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('article').first()).toBeVisible();
  const end = page.getByText('No older events.');
  for (let i = 0; i < 60 && !(await end.isVisible()); i++) {
    await page.mouse.wheel(0, 20_000);
    await page.waitForTimeout(150);
  }
  await expect(end).toBeVisible();
  const inDom = await page.getByRole('article').count();
  expect(inDom).toBeGreaterThan(0);
  expect(inDom).toBeLessThan(60);
  // Every page was fetched and nothing repeated: the list is as tall as TOTAL cards.
  const ids = await page.evaluate(async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await fetch(`/api/events?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      const page = (await res.json()) as { events: { id: string }[]; nextCursor: string | null };
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  });
  expect(ids.length).toBe(TOTAL);
  expect(new Set(ids).size).toBe(TOTAL);
  // The oldest event is the last card of the list.
  const oldest = await page.evaluate(async (id) => ((await (await fetch(`/api/events/${id}`)).json()) as { event: { name: string } }).event.name, ids[ids.length - 1]!);
  await expect(async () => {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect(page.getByRole('article', { name: oldest, exact: true })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
});

test('scrolled down, new events wait behind a pill; at the top they appear at once', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  // Wheeled again until the page has moved: a wheel turned while the feed is still laying out can be lost.
  await expect(async () => {
    await page.mouse.wheel(0, 3000);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
  }).toPass({ timeout: 10_000 });

  await sendEvent(server, key, { name: 'Arrived while reading', avatar: '📬' });
  const pill = page.getByRole('button', { name: /1 new event/ });
  await expect(pill).toBeVisible();
  await pill.click();
  await expect(page.getByRole('article', { name: 'Arrived while reading' })).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeLessThan(120);

  await sendEvent(server, key, { name: 'Arrived at the top' });
  await expect(page.getByRole('article', { name: 'Arrived at the top' })).toBeVisible();
  await expect(pill).toHaveCount(0);
});

test('after the server restarts, the live channel resumes from its last id and misses nothing', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  // The desk's filters are a chunk of their own: loaded before the server goes away (fetched while it
  // is down, the page would show its error screen instead — a test of the restart, not of that).
  await expect(page.getByRole('switch').first()).toBeVisible();
  await server.restart(async () => {
    // While the server is down, events land in its store (as a second instance would write them).
    const store = sqliteAppStore(openStore(server.dataDir));
    const event = (name: string) => {
      const parsed = parseIngestBody({ name });
      if (!parsed.ok) throw new Error(parsed.problem.message);
      return parsed.event;
    };
    await store.transaction(async (tx) => {
      await tx.events.insert({ event: event('Stored while down 1'), projectId: DEFAULT_PROJECT_ID, apiKeyId: null, createdAt: Date.now() });
      await tx.events.insert({ event: event('Stored while down 2'), projectId: DEFAULT_PROJECT_ID, apiKeyId: null, createdAt: Date.now() });
    });
    await store.close();
  });
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible({ timeout: 40_000 });
  await expect(page.getByRole('article', { name: 'Stored while down 1' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Stored while down 2' })).toBeVisible();
  await sendEvent(server, key, { name: 'Sent after the restart' });
  await expect(page.getByRole('article', { name: 'Sent after the restart' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Stored while down 2' })).toHaveCount(1);
});
