/**
 * Working an event together (CONTRACT §12), in Chromium, as the issue tells it: an event arrives; Ana
 * acknowledges it on her phone and the owner's open page says so at once (no reload); the owner
 * assigns it to Ana; Ana finds it under "Assigned to me", leaves a note mentioning @owner that shows
 * on the timeline, and resolves it with `e` on her desktop's desk (`a` acknowledges another); an alert
 * sent ten times with one dedupKey is one card, ×10, updated live. A viewer reads, and changes nothing.
 */
import { type APIRequestContext, type Browser, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { expectNoSeriousViolations } from './fixtures/axe.ts';
import { comfortableCards, joinByInvite, OWNER, type RunningServer, sendEvent, signInPage, startSeededServer } from './fixtures/server.ts';

const ANA = { name: 'Ana', email: 'ana@example.com', password: 'ana has a long password' };
const VIC = { name: 'Vic', email: 'vic@example.com', password: 'vic has a long password' };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

let server: RunningServer;
let key: string;
let owner: APIRequestContext;

test.beforeAll(async () => {
  owner = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(owner));
  await (await joinByInvite(server, owner, 'member', ANA)).dispose();
  // A viewer, through an invite (the fixture's helper makes members and admins).
  const made = await owner.post(`${server.url}/api/projects/default/invites`, { data: { role: 'viewer' }, headers: { origin: server.url } });
  expect(made.status()).toBe(201);
  const token = new URL(((await made.json()) as { url: string }).url).hash.replace('#token=', '');
  const joined = await fetch(`${server.url}/api/invites/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ token, ...VIC }),
  });
  expect(joined.status).toBe(201);
});
test.afterAll(async () => {
  await owner?.dispose();
  await server.stop();
});

/** A signed-in page of its own (its own cookies); `comfortable`: cards rather than the desk's rows. */
async function pageFor(browser: Browser, who: { email: string; password: string }, viewport: { width: number; height: number }, comfortable = false): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  if (comfortable) await comfortableCards(page);
  await signInPage(page, server, who);
  return page;
}

/** POST /api/v1/log, where a repeat with a dedupKey is 200 (updated in place) rather than 201. */
async function log(body: unknown): Promise<{ id: string; deduplicated?: boolean }> {
  const res = await fetch(`${server.url}/api/v1/log`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect([200, 201], await res.clone().text()).toContain(res.status);
  return (await res.json()) as { id: string; deduplicated?: boolean };
}

const TITLE = 'Payment provider timeouts';

/** An event's card or desk row in the feed (its page beside the feed has a card of the same name). */
const inFeed = (page: Page, name: string) => page.getByRole('region', { name: 'Events' }).getByRole('article', { name });

test('Ana acknowledges on her phone, the owner sees it live, assigns it to her; she finds it, notes, resolves with e', async ({ browser }) => {
  const { id } = await sendEvent(server, key, { name: TITLE, avatar: '💳', content: 'p95 above 8 s for 5 minutes' });
  await sendEvent(server, key, { name: 'Nightly backup finished', avatar: '💾' });

  // The owner has the event open beside the feed; this page is never reloaded.
  const boss = await pageFor(browser, OWNER, DESKTOP);
  await boss.goto(`${server.url}/events/${id}`);
  const bossPane = boss.getByRole('region', { name: TITLE });
  await expect(bossPane.getByRole('button', { name: 'Acknowledge', exact: true })).toBeVisible();
  await boss.evaluate(() => {
    (window as unknown as { sameDocument: boolean }).sameDocument = true;
  });

  // Ana, on her phone: Acknowledge.
  const ana = await pageFor(browser, ANA, PHONE);
  await ana.goto(`${server.url}/events/${id}`);
  const anaPage = ana.getByRole('region', { name: TITLE });
  await anaPage.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await expect(anaPage).toContainText('Acknowledged by Ana');
  await expect(anaPage.getByRole('button', { name: 'Acknowledge', exact: true })).toHaveCount(0);

  // The owner's page says so at once: the state with her name, its timeline, the desk row's badge.
  await expect(bossPane).toContainText('Acknowledged by Ana');
  await expect(bossPane.getByRole('list', { name: 'Timeline' })).toContainText(/Ana\s*acknowledged/);
  await expect(inFeed(boss, TITLE)).toContainText('Acknowledged · Ana');
  await expect(bossPane.getByRole('button', { name: 'Acknowledge', exact: true })).toHaveCount(0);

  // The owner assigns it to Ana (the picker lists the project's people).
  await bossPane.getByRole('button', { name: 'Assign', exact: true }).click();
  const picker = boss.getByRole('dialog', { name: 'Assign to' });
  await picker.getByRole('button', { name: /ana@example\.com/ }).click();
  await expect(picker).toHaveCount(0);
  await expect(bossPane).toContainText('Assigned to Ana');
  await expect(anaPage).toContainText('Assigned to Ana');
  await expect(bossPane.getByRole('list', { name: 'Timeline' })).toContainText('assigned it to Ana');

  // Ana's feed, Assigned to me: this event, not the other.
  await ana.goto(server.url);
  await expect(ana.getByRole('article', { name: 'Nightly backup finished' })).toBeVisible();
  await ana.getByRole('button', { name: 'Filters' }).click();
  const sheet = ana.getByRole('dialog', { name: 'Filters' });
  await sheet.getByRole('switch', { name: 'Assigned to me' }).click();
  await sheet.getByRole('button', { name: 'Done' }).click();
  await expect(ana).toHaveURL(/assignee=me/);
  await expect(ana.getByRole('article', { name: TITLE })).toBeVisible();
  await expect(ana.getByRole('article', { name: 'Nightly backup finished' })).toHaveCount(0);
  await expect(ana.getByRole('button', { name: 'Remove filter: Assigned to me' })).toBeVisible();

  // A note mentioning @owner, with a link: on her timeline at once, and on the owner's, live.
  await ana.getByRole('article', { name: TITLE }).getByRole('link', { name: TITLE }).click();
  const note = ana.getByLabel('Add a note');
  await note.fill('Provider confirmed, failing over — @owner see https://status.example.com/incidents/42 <b>not bold</b>');
  await ana.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(note).toHaveValue('');
  const anaTimeline = ana.getByRole('list', { name: 'Timeline' });
  await expect(anaTimeline).toContainText('Provider confirmed, failing over');
  // The mention is marked (an element of its own), the link is a safe link, the markup stays text.
  await expect(anaTimeline.getByText('@owner', { exact: true })).toBeVisible();
  const link = anaTimeline.getByRole('link', { name: 'https://status.example.com/incidents/42' });
  await expect(link).toHaveAttribute('href', 'https://status.example.com/incidents/42');
  await expect(link).toHaveAttribute('rel', /noopener/);
  await expect(anaTimeline).toContainText('<b>not bold</b>');
  await expect(anaTimeline.locator('b')).toHaveCount(0);
  await expect(bossPane.getByRole('list', { name: 'Timeline' })).toContainText('Provider confirmed, failing over');
  // Ctrl+Enter posts too.
  await note.fill('Failover done, watching.');
  await note.press('Control+Enter');
  await expect(anaTimeline).toContainText('Failover done, watching.');

  // On her desktop's desk, e resolves the event open beside the feed.
  const anaDesk = await pageFor(browser, ANA, DESKTOP);
  await anaDesk.goto(`${server.url}/events/${id}`);
  const deskPane = anaDesk.getByRole('region', { name: TITLE });
  await expect(deskPane.getByRole('button', { name: 'Resolve', exact: true })).toBeVisible();
  await anaDesk.keyboard.press('e');
  await expect(deskPane).toContainText('Resolved by Ana');
  await expect(deskPane.getByRole('button', { name: 'Reopen', exact: true })).toBeVisible();
  await expect(bossPane).toContainText('Resolved by Ana');
  await expect(inFeed(boss, TITLE)).toContainText('Resolved by ana@example.com');
  await expect(bossPane.getByRole('list', { name: 'Timeline' })).toContainText(/Ana\s*resolved/);
  // Still the same document: all of it arrived live.
  expect(await boss.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

  // a acknowledges the focused row; the shortcut sheet lists both keys.
  await sendEvent(server, key, { name: 'Queue depth rising', avatar: '📬' });
  const queue = inFeed(anaDesk, 'Queue depth rising');
  await expect(queue).toBeVisible();
  await queue.focus();
  await anaDesk.keyboard.press('a');
  await expect(queue).toContainText('Acknowledged · Ana');
  await anaDesk.keyboard.press('?');
  const help = anaDesk.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Acknowledge the event');
  await expect(help).toContainText('Resolve the event');
  await help.getByRole('button', { name: 'Done' }).click();

  // The event's page with its timeline and note field passes axe.
  await expect(deskPane.getByLabel('Add a note')).toBeVisible();
  await expectNoSeriousViolations(anaDesk, 'event page with its timeline');
});

test('ten alerts with one dedupKey are one card, ×10, counted live; the card’s menu acknowledges; a viewer changes nothing', async ({ browser }) => {
  const page = await pageFor(browser, OWNER, DESKTOP, true);
  const first = await log({ name: 'Disk full on db-1', avatar: '💽', content: '97%', dedupKey: 'disk:db-1', urgent: true });
  await page.goto(server.url);
  const card = inFeed(page, 'Disk full on db-1');
  await expect(card).toBeVisible();
  await expect(card).toContainText('Urgent');
  await expect(card).not.toContainText('×');
  for (let i = 2; i <= 10; i++) {
    const again = await log({ name: 'Disk full on db-1', avatar: '💽', content: `9${i}%`, dedupKey: 'disk:db-1', urgent: true });
    expect(again).toMatchObject({ id: first.id, deduplicated: true });
  }
  await expect(card).toContainText('×10');
  await expect(inFeed(page, 'Disk full on db-1')).toHaveCount(1);

  // The card's menu from the keyboard: ArrowDown opens it on its first item (its code loads then),
  // Escape closes it, back on its button.
  const more = card.getByRole('button', { name: 'More', exact: true });
  await more.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Acknowledge' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(more).toBeFocused();
  // The card's menu: Acknowledge.
  await card.getByRole('button', { name: 'More', exact: true }).click();
  await expect(card.getByRole('button', { name: 'More', exact: true })).toHaveAccessibleDescription('Disk full on db-1');
  await page.getByRole('menuitem', { name: 'Acknowledge' }).click();
  await expect(card).toContainText('Acknowledged · owner');

  // Its page: how many times and when last.
  await card.getByRole('link', { name: 'Disk full on db-1' }).click();
  const pane = page.getByRole('region', { name: 'Disk full on db-1' });
  await expect(pane).toContainText('Came 10 times · last seen');

  // Snooze: out of the default feed, on its timeline; End snooze brings it back.
  await pane.getByRole('button', { name: 'Snooze', exact: true }).click();
  await page.getByRole('dialog', { name: 'Snooze until' }).getByRole('button', { name: /^1 hour/ }).click();
  await expect(pane).toContainText('Snoozed until');
  await expect(card).toHaveCount(0);
  await expect(pane.getByRole('list', { name: 'Timeline' })).toContainText('snoozed it until');
  await pane.getByRole('button', { name: 'End snooze' }).click();
  await expect(card).toBeVisible();

  // A viewer reads the state and changes nothing: no buttons, no menu.
  const vic = await pageFor(browser, VIC, PHONE);
  await vic.goto(`${server.url}/events/${first.id}`);
  const vicPage = vic.getByRole('region', { name: 'Disk full on db-1' });
  await expect(vicPage).toContainText('Acknowledged by owner@example.com');
  await expect(vicPage).toContainText('View only');
  await expect(vicPage.getByRole('button', { name: /^(Acknowledge|Resolve|Reopen|Assign|Snooze)$/ })).toHaveCount(0);
  await expect(vic.getByLabel('Add a note')).toHaveCount(0);
  await vic.goto(server.url);
  await expect(vic.getByRole('article', { name: 'Disk full on db-1' })).toBeVisible();
  await expect(vic.getByRole('button', { name: 'More', exact: true })).toHaveCount(0);
});

test('the desktop sidebar counts what needs someone, and each count filters the feed', async ({ browser }) => {
  // Sent before the page reads its counts.
  const { id } = await sendEvent(server, key, { name: 'Sidebar count probe', category: 'sidebar' });
  const page = await pageFor(browser, OWNER, DESKTOP);
  const needs = page.getByRole('navigation', { name: 'Needs someone' });
  const open = needs.getByRole('link', { name: /^Open \d/ });
  await expect(open).toBeVisible();
  const before = Number(((await open.textContent()) ?? '').replace(/\D/g, ''));
  expect(before).toBeGreaterThan(0);
  await open.click();
  await expect(page).toHaveURL(/state=open/);
  await expect(page.getByRole('article', { name: 'Sidebar count probe' }).or(page.getByRole('row', { name: /Sidebar count probe/ })).first()).toBeVisible();
  // Acknowledged elsewhere: the counts say so when read again (every 15 s while the window is shown; here, a reload).
  expect((await owner.post(`${server.url}/api/events/${id}/ack`, { headers: { origin: server.url }, data: {} })).status()).toBe(200);
  await page.reload();
  await expect(needs.getByRole('link', { name: new RegExp(`^Open ${before - 1}\\b`) })).toBeVisible();
  await expect(needs.getByRole('link', { name: /^Acknowledged [1-9]/ })).toBeVisible();
  await page.context().close();
});
