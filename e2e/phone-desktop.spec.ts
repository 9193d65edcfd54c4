/**
 * The phone screen and the desktop workspace (CONTRACT §5): the feed starts near the top of a phone,
 * filters in a sheet; from 1024 px an event opens beside the live feed, back/forward and the
 * keyboard move between events; the event page shows every field; a thread's card shows its newest
 * event; a search finds a later event inside its thread's card; the "new since you last looked" divider.
 */
import { expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { type RunningServer, sendEvent, startSeededServer, signInPage } from './fixtures/server.ts';

let server: RunningServer;
let key: string;
const ids: Record<string, string> = {};

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(request));
  await request.dispose();
  for (let i = 1; i <= 30; i++) ids[`filler ${i}`] = (await sendEvent(server, key, { name: `Filler ${i}`, avatar: '🧱', category: 'filler' })).id;
  ids.deploy = (await sendEvent(server, key, { name: 'Deploy started', avatar: '🚀', category: 'deploys', contextId: 'deploy-42', contextStart: true })).id;
  ids.build = (await sendEvent(server, key, { name: 'Build passed', avatar: '🧪', contextId: 'deploy-42' })).id;
  ids.login = (await sendEvent(server, key, { name: 'Suspicious login', avatar: '🕵️', category: 'security', userId: 'user-7', content: 'from Lisbon' })).id;
  ids.signup = (await sendEvent(server, key, { name: 'New signup', avatar: '🎉', category: 'signups', userId: 'user-7' })).id;
});
test.afterAll(async () => {
  await server.stop();
});

const signIn = (page: Page) => signInPage(page, server);

const feedArticle = (page: Page, name: string) => page.getByRole('region', { name: 'Events' }).getByRole('article', { name, exact: true });

test.describe('on a phone (390 × 844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the first event starts within the top 160 px; filters live in a sheet and show as chips', async ({ page }) => {
    await signIn(page);
    const first = page.getByRole('article').first();
    await expect(first).toBeVisible();
    const box = (await first.boundingBox())!;
    expect(box.y).toBeLessThan(160);
    await page.getByRole('button', { name: 'Filters' }).click();
    const sheet = page.getByRole('dialog', { name: 'Filters' });
    await sheet.getByRole('switch', { name: 'Test mode' }).click();
    await sheet.getByRole('button', { name: 'Done' }).click();
    await expect(page).toHaveURL(/test=1/);
    await expect(page.getByText('Test mode: test events only')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'No test events yet' })).toBeVisible();
    await page.getByRole('button', { name: 'Remove filter: Test mode: test events only' }).click();
    await expect(page).not.toHaveURL(/test=1/);
    // On a phone an event opens as its own page.
    await feedArticle(page, 'New signup').getByRole('link', { name: 'New signup' }).click();
    await expect(page.getByRole('link', { name: '← All events' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Events' })).toHaveCount(0);
  });
});

test.describe('on a desktop (1280 × 800)', () => {
  test('an event opens beside the live feed; back and forward move between events; the feed keeps its place', async ({ page }) => {
    await signIn(page);
    await expect(feedArticle(page, 'New signup')).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, 1200));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    // The first two cards below the header, where the feed is scrolled to now (the list renders the
    // cards of a scrolled-to place a frame or two after the scroll: wait for them).
    const visibleNames = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('article[data-event-id]')]
          .filter((a) => a.getBoundingClientRect().top > 100)
          .slice(0, 2)
          .map((a) => document.getElementById(a.getAttribute('aria-labelledby')!)!.textContent),
      );
    await expect.poll(async () => (await visibleNames()).length).toBe(2);
    const names = await visibleNames();
    const [one, two] = names as [string, string];
    expect(one).toMatch(/^Filler/);
    const scrolled = await page.evaluate(() => window.scrollY);
    await feedArticle(page, one).getByRole('link', { name: one }).click();
    await expect(page).toHaveURL(new RegExp(`/events/${ids[one.toLowerCase()]}$`));
    const pane = page.getByRole('region', { name: one });
    await expect(pane.getByRole('term').filter({ hasText: 'ID' })).toBeVisible();
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
    await feedArticle(page, two).getByRole('link', { name: two }).click();
    await expect(page.getByRole('region', { name: two })).toBeVisible();
    await page.goBack();
    await expect(page.getByRole('region', { name: one })).toBeVisible();
    await page.goForward();
    await expect(page.getByRole('region', { name: two })).toBeVisible();
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
    // The feed beside it stays live.
    await page.evaluate(() => window.scrollTo(0, 0));
    await sendEvent(server, key, { name: 'Arrived while open', avatar: '📬' });
    await expect(feedArticle(page, 'Arrived while open')).toBeVisible();
    await expect(page.getByRole('region', { name: two })).toBeVisible();
    await page.getByRole('link', { name: '✕ Close' }).click();
    await expect(page.getByText('Open an event to see it here')).toBeVisible();
  });

  test('the keyboard: j and k move, Enter opens, Esc closes, / searches, ? lists the shortcuts', async ({ page }) => {
    await signIn(page);
    await expect(feedArticle(page, 'Arrived while open')).toBeVisible();
    await page.keyboard.press('j');
    await expect(page.getByRole('article').first()).toBeFocused();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const second = page.getByRole('region', { name: 'Events' }).locator('article[data-event-id]').nth(1);
    await expect(second).toBeFocused();
    const name = (await second.getAttribute('aria-labelledby').then((id) => page.locator(`[id="${id}"]`).textContent())) ?? '';
    await page.keyboard.press('Enter');
    await expect(page.getByRole('region', { name })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('region', { name })).toHaveCount(0);
    await expect(second).toBeFocused();
    await page.keyboard.press('/');
    await expect(page.getByRole('searchbox', { name: 'Search events' })).toBeFocused();
    await page.keyboard.press('Tab');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toContainText('Next event');
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);
  });

  test('the event page: its time to the second with the year, every field, the key; userId and category filter the feed', async ({ page }) => {
    await signIn(page);
    await page.goto(`${server.url}/events/${ids.login}`);
    const pane = page.getByRole('region', { name: 'Suspicious login' });
    const details = pane.getByRole('region', { name: 'Details' });
    const time = details.locator('time');
    const iso = await time.getAttribute('datetime');
    expect(Date.parse(iso!)).toBeGreaterThan(0);
    const shown = await time.textContent();
    expect(shown).toContain(String(new Date(iso!).getFullYear()));
    expect(shown).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    await expect(details).toContainText(ids.login!);
    await expect(details).toContainText('API key “e2e”');
    await expect(details).toContainText('security');
    await expect(pane.getByRole('button', { name: 'Copy link' })).toBeVisible();
    await details.getByRole('link', { name: /^User user-7/ }).click();
    await expect(page).toHaveURL(/\?user=user-7$/);
    const feed = page.getByRole('region', { name: 'Events' });
    await expect(feed.getByRole('article')).toHaveCount(2);
    await expect(feedArticle(page, 'New signup')).toBeVisible();
    await expect(feedArticle(page, 'Suspicious login')).toBeVisible();
    const chip = page.getByRole('button', { name: 'Remove filter: User user-7' });
    await expect(chip).toBeVisible();
    await chip.click();
    await expect(feedArticle(page, 'Deploy started')).toBeVisible();
  });

  test("a thread's card shows its newest event, live; a search finds a later event inside its thread's card", async ({ page }) => {
    await signIn(page);
    const card = feedArticle(page, 'Deploy started');
    await expect(card.getByRole('link', { name: 'Build passed' })).toBeVisible();
    await sendEvent(server, key, { name: 'Deploy finished', avatar: '✅', contextId: 'deploy-42' });
    await expect(card.getByRole('link', { name: 'Deploy finished' })).toBeVisible();
    await expect(card.getByRole('button', { name: '2 events in this thread' })).toBeVisible();
    await page.getByRole('searchbox', { name: 'Search events' }).fill('Build passed');
    const found = page.getByRole('region', { name: 'Events' }).getByRole('article', { name: 'Deploy started' });
    await expect(found).toContainText('In the thread of');
    await expect(found.getByRole('article', { name: 'Build passed' })).toBeVisible();
  });

  test('"New since you last looked" divides what came after the last look from what came before', async ({ page }) => {
    await signIn(page);
    await expect(feedArticle(page, 'New signup')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'New since you last looked' })).toHaveCount(0);
    await page.reload();
    await expect(feedArticle(page, 'New signup')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'New since you last looked' })).toHaveCount(0);
    await sendEvent(server, key, { name: 'After my last look', avatar: '🆕' });
    await page.reload();
    const divider = page.getByRole('heading', { name: 'New since you last looked' });
    await expect(divider).toBeVisible();
    const newer = (await feedArticle(page, 'After my last look').boundingBox())!;
    const line = (await divider.boundingBox())!;
    const older = (await feedArticle(page, 'New signup').boundingBox())!;
    expect(newer.y).toBeLessThan(line.y);
    expect(line.y).toBeLessThan(older.y);
  });
});
