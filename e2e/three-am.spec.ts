/**
 * The 3 a.m. test (CONTRACT §15), in Chromium: a teammate invited only to Ops opens the app at `/` and
 * lands in Ops (never "not a member of default"); with one person's confirm dialog open, a teammate
 * refunds, and the open dialog says so and stops its confirm button within two seconds; on a phone an
 * event's page gives its title the card's full width.
 */
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { startReceiver } from './fixtures/receiver.ts';
import { OWNER, pressAtOnce, type RunningServer, sendEvent, signInPage, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let opsKey: string;
let receiverUrl: string;
const TEAMMATE = { email: 'night@example.com', password: 'a long enough password' };

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  ({ server } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
  const headers = { origin: server.url };
  expect((await request.post(`${server.url}/api/projects`, { data: { name: 'Ops', slug: 'ops' }, headers })).status()).toBe(201);
  opsKey = ((await (await request.post(`${server.url}/api/projects/ops/keys`, { data: { name: 'ops' }, headers })).json()) as { key: string }).key;
  // A member of Ops only, joined through an invite.
  const made = (await (await request.post(`${server.url}/api/projects/ops/invites`, { data: { role: 'member' }, headers })).json()) as { url: string };
  const token = new URL(made.url).hash.replace('#token=', '');
  const joiner = await playwrightRequest.newContext();
  const joined = await joiner.post(`${server.url}/api/invites/accept`, { data: { token, name: 'Night', ...TEAMMATE }, headers });
  expect(joined.status()).toBe(201);
  await joiner.dispose();
  receiverUrl = (await startReceiver()).url;
  await pressAtOnce(server, request, 'ops');
  await request.dispose();
});
test.afterAll(async () => {
  await server.stop();
});

test('an invited teammate opens the app at / and lands in their project, then on the one they used last', async ({ page }) => {
  await signInPage(page, server, TEAMMATE);
  await page.goto(`${server.url}/`);
  await expect(page).toHaveURL(`${server.url}/p/ops`);
  await expect(page.getByRole('combobox', { name: 'Project' })).toHaveValue('ops');
  await expect(page.getByText(/not a member/)).toHaveCount(0);
});

test('the owner who worked in Ops last opens there; default stays reachable by its link', async ({ page }) => {
  await signInPage(page, server, OWNER);
  await page.goto(`${server.url}/p/ops`);
  await expect(page.getByRole('combobox', { name: 'Project' })).toHaveValue('ops');
  await page.goto(`${server.url}/`);
  await expect(page).toHaveURL(`${server.url}/p/ops`);
});

test('an open confirm dialog shows a teammate’s refund and stops its own confirm button', async ({ page, browser }) => {
  const { id } = await sendEvent(server, opsKey, {
    name: 'Payment failed for order 9001',
    avatar: '💳',
    actions: [{ url: `${receiverUrl}/refund`, buttonText: 'Refund', key: 'refund', type: 'danger' }],
  });
  await signInPage(page, server, OWNER);
  await page.goto(`${server.url}/p/ops/events/${id}`);
  await page.getByRole('button', { name: 'Refund' }).first().click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByRole('button', { name: 'Refund' });
  await expect(confirm).toBeEnabled();

  // The teammate refunds from another browser.
  const teammate = await browser.newContext();
  const other = await teammate.newPage();
  await signInPage(other, server, TEAMMATE);
  const pressed = await other.request.post(`${server.url}/api/events/${id}/actions/refund/trigger`, { headers: { origin: server.url }, data: {} });
  expect(pressed.status()).toBe(200);
  await teammate.close();

  await expect(dialog.getByRole('status')).toHaveText(/Already done by night@example\.com\. Nothing will be sent\./, { timeout: 2_000 });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  // Activity answers "did it work?": the teammate's refund succeeded, and its row leads to the event.
  await page.goto(`${server.url}/p/ops/activity`);
  const row = page.getByRole('listitem').filter({ hasText: 'night@example.com' }).filter({ hasText: 'Pressed an action' });
  await expect(row).toContainText('Succeeded');
  await row.getByRole('link', { name: /Refund.*Payment failed for order 9001/ }).click();
  await expect(page).toHaveURL(`${server.url}/p/ops/events/${id}`);
});

test('a member sees the presses on Activity, with how they ended', async ({ page }) => {
  await signInPage(page, server, TEAMMATE);
  await page.goto(`${server.url}/p/ops/activity`);
  await expect(page.getByRole('heading', { name: 'Presses in Ops' })).toBeVisible();
  await page.getByLabel('Outcome').selectOption({ label: 'Succeeded' });
  await expect(page.getByRole('list', { name: 'Activity' }).getByRole('listitem').first()).toContainText('Succeeded');
});

test('after one’s own press works, "Resolve" is offered; a resolved event’s other buttons turn quiet', async ({ page }) => {
  const { id } = await sendEvent(server, opsKey, {
    name: 'Card testing from one IP',
    avatar: '🛡️',
    actions: [
      { url: `${receiverUrl}/block`, buttonText: 'Block IP', key: 'block', type: 'danger' },
      { url: `${receiverUrl}/ban`, buttonText: 'Ban user', key: 'ban', type: 'danger' },
    ],
  });
  await signInPage(page, server, OWNER);
  await page.goto(`${server.url}/p/ops/events/${id}`);
  // The event's own page (beside the feed on a desktop, whose card has the same buttons).
  const actions = page.getByRole('region', { name: 'Card testing from one IP' }).getByRole('group', { name: 'Actions' });
  const ban = actions.getByRole('button', { name: 'Ban user' });
  const red = await ban.evaluate((b) => getComputedStyle(b).backgroundColor);
  await actions.getByRole('button', { name: 'Block IP' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Block IP' }).click();
  await actions.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByText(/Resolved by owner@example\.com/).first()).toBeVisible();
  await expect(actions.getByRole('button', { name: 'Resolve' })).toHaveCount(0);
  // Still pressable, no longer shouting.
  await expect(ban).toBeEnabled();
  expect(await ban.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe(red);
});

test('on the desk, j focuses the newest event and e resolves it, e again reopens it', async ({ page }) => {
  await sendEvent(server, opsKey, { name: 'Disk almost full on db-3', avatar: '💽' });
  await signInPage(page, server, OWNER);
  await page.goto(`${server.url}/p/ops`);
  const card = page.getByRole('article', { name: 'Disk almost full on db-3' });
  await expect(card).toBeVisible();
  await page.keyboard.press('j');
  await expect(card).toBeFocused();
  await page.keyboard.press('e');
  await expect(card.getByText(/Resolved by owner@example\.com/)).toBeAttached();
  await expect(card).toBeFocused();
  await page.keyboard.press('e');
  await expect(card.getByText(/Resolved by/)).toHaveCount(0);
  // g p: to the project switcher, from the keyboard (⌘K / Ctrl+K too, even from the search box).
  await page.keyboard.press('g');
  await page.keyboard.press('p');
  await expect(page.getByRole('combobox', { name: 'Project' })).toBeFocused();
  await page.keyboard.press('Escape');
  await page.getByRole('searchbox', { name: 'Search events' }).focus();
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('combobox', { name: 'Project' })).toBeFocused();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test('an event’s page gives its title the full width of the card', async ({ page }) => {
    const { id } = await sendEvent(server, opsKey, { name: 'Payment failed for a very important customer account', avatar: '💸' });
    await signInPage(page, server, OWNER);
    await page.goto(`${server.url}/p/ops/events/${id}`);
    const title = page.getByRole('heading', { level: 2, name: 'Payment failed for a very important customer account' });
    const time = page.locator('article time').first();
    await expect(title).toBeVisible();
    const [titleBox, timeBox] = [await title.boundingBox(), await time.boundingBox()];
    // The time sits under the title, not beside it; the title is wider than half the phone.
    expect(timeBox!.y).toBeGreaterThanOrEqual(titleBox!.y + titleBox!.height - 1);
    expect(titleBox!.width).toBeGreaterThan(390 / 2);
  });
});
