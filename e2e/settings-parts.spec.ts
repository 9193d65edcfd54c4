/**
 * Settings in two parts, Personal and Project · <name>, with a sub-navigation ("Settings sections")
 * whose links scroll to their section: a sticky column beside the content on a desktop, a row of
 * 44 px chips under the title on a phone. A member's "More" menu works with the keyboard; Remove
 * confirms in the app's AlertDialog (Cancel first, Escape closes, focus back on Remove); each member's
 * last activity and whether notifications reach them; a member who is not an admin sees only their own
 * part of the project.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { type APIRequestContext, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { joinByInvite, OWNER, type RunningServer, signIn, signInPage, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
const PASSWORD = 'a long enough password';
const ADA = { name: 'Ada Byron', email: 'ada@example.com' };
const BEA = { name: 'Bea Stone', email: 'bea@example.com' };
const CY = { name: 'Cy Young', email: 'cy@example.com' };

/** An invite made by the owner, taken by a new account (kept signed in). */
const join = (owner: APIRequestContext, role: 'member' | 'admin', who: { name: string; email: string }) => joinByInvite(server, owner, role, { ...who, password: PASSWORD });

/** A push host nothing listens on: Ada's device is a subscription the server accepts and never reaches. */
const PUSH_HOST = '127.0.0.1:9';

test.beforeAll(async () => {
  const owner = await playwrightRequest.newContext();
  ({ server } = await startSeededServer(owner, { PUSH_ENDPOINT_HOSTS: PUSH_HOST }));
  const ada = await join(owner, 'admin', ADA);
  const key = await ada.post(`${server.url}/api/projects/default/keys`, { data: { name: 'ada-deploy' }, headers: { origin: server.url } });
  expect(key.status(), await key.text()).toBe(201);
  // Ada has a device that gets pushes; Bea signs out (no session left); Cy stays signed in, no device.
  const ecdh = createECDH('prime256v1');
  const device = {
    endpoint: `http://${PUSH_HOST}/ada-phone`,
    keys: { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') },
    deviceName: 'Ada’s phone',
  };
  const subscribed = await ada.put(`${server.url}/api/push/subscriptions`, { data: device, headers: { origin: server.url } });
  expect(subscribed.status(), await subscribed.text()).toBe(200);
  await ada.dispose();
  const bea = await join(owner, 'member', BEA);
  expect((await bea.post(`${server.url}/api/auth/sign-out`, { data: {}, headers: { origin: server.url } })).ok()).toBe(true);
  await bea.dispose();
  await (await join(owner, 'member', CY)).dispose();
  await owner.dispose();
});
test.afterAll(async () => {
  await server.stop();
});

const sections = (page: Page) => page.getByRole('navigation', { name: 'Settings sections' });
const ADMIN_LINKS = ['Personal', 'Display', 'This device', 'Account', 'Project · Default', 'Notifications', 'Policy', 'Members', 'API keys', 'Integrations', 'Webhook secret', 'Rename, new, delete'];

async function openSettings(page: Page): Promise<void> {
  await signIn(server, page.request);
  await page.goto(`${server.url}/settings`);
  await expect(page.getByRole('heading', { name: 'Settings · Default', level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Members of Default' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'API keys' })).toContainText('ada-deploy');
}

test('desktop: Personal, then Project · Default, beside a sticky column of links that scroll to their section', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openSettings(page);
  const nav = sections(page);
  await expect(nav.getByRole('link')).toHaveText(ADMIN_LINKS);

  // Each part holds its sections, and keeps the headings and controls it had.
  const personal = page.getByRole('region', { name: 'Personal' });
  const project = page.getByRole('region', { name: 'Project · Default' });
  for (const name of ['Display', 'Install the app', 'Notifications', 'Account']) await expect(personal.getByRole('heading', { name, exact: true })).toBeVisible();
  for (const name of ['Notifications for Default', 'Members', 'API keys', 'Webhook signing secret', 'Project']) await expect(project.getByRole('heading', { name, exact: true })).toBeVisible();
  await expect(personal.getByRole('switch', { name: 'Compact list' })).toBeVisible();
  await expect(personal.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await expect(project.getByLabel('Role of the invite')).toBeVisible();
  await expect(project.getByRole('button', { name: 'Invite', exact: true })).toBeVisible();
  await expect(project.getByLabel('Access')).toBeVisible();
  await expect(project.getByLabel('Project name')).toBeVisible();
  await expect(project.getByLabel('New project')).toBeVisible();
  await expect(project.getByRole('button', { name: 'Create project' })).toBeVisible();
  await expect(project.getByRole('button', { name: 'Rename' })).toBeVisible();
  await expect(personal.getByRole('heading', { name: 'Members' })).toHaveCount(0);
  await expect(project.getByRole('heading', { name: 'Account' })).toHaveCount(0);

  // The links are a column on the left; the parts are beside it, Personal first.
  const navBox = (await nav.boundingBox())!;
  const personalBox = (await personal.boundingBox())!;
  const projectBox = (await project.boundingBox())!;
  expect(navBox.x + navBox.width).toBeLessThanOrEqual(personalBox.x);
  expect(navBox.width).toBeLessThan(280);
  expect(Math.abs(navBox.y - personalBox.y)).toBeLessThan(40);
  expect(personalBox.y + personalBox.height).toBeLessThanOrEqual(projectBox.y);
  // Wider than the reading column, and no sideways scroll.
  expect(navBox.width + personalBox.width).toBeGreaterThan(900);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);

  // A link scrolls to its section, focuses it and marks itself current; the column stays in view.
  await nav.getByRole('link', { name: 'Webhook secret' }).click();
  await expect(page).toHaveURL(`${server.url}/settings#webhook-secret`);
  await expect(page.locator('#webhook-secret')).toBeFocused();
  await expect(page.locator('#webhook-secret')).toBeInViewport();
  await expect(nav.getByRole('link', { name: 'Webhook secret' })).toHaveAttribute('aria-current', 'location');
  await expect(nav.getByRole('link', { name: 'Display' })).not.toHaveAttribute('aria-current', 'location');
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
  const stuck = (await nav.boundingBox())!;
  expect(stuck.y).toBeGreaterThanOrEqual(0);
  expect(stuck.y).toBeLessThan(120);
  await expect(nav.getByRole('link', { name: 'Personal' })).toBeInViewport();

  // Back up to Account (one of the ids the first-run checklist links to).
  await nav.getByRole('link', { name: 'Account' }).click();
  await expect(page.locator('#account')).toBeFocused();
  await expect(page.locator('#account')).toBeInViewport();
  await expect(page.locator('#webhook-secret')).not.toBeInViewport();
  await expect(nav.getByRole('link', { name: 'Account' })).toHaveAttribute('aria-current', 'location');
});

test('phone: a row of 44 px chips under the title, scrolling sideways; a chip scrolls to its section', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await openSettings(page);
  const nav = sections(page);
  const title = (await page.getByRole('heading', { name: 'Settings · Default', level: 1 }).boundingBox())!;
  const navBox = (await nav.boundingBox())!;
  expect(navBox.y).toBeGreaterThanOrEqual(title.y + title.height);
  expect(navBox.y).toBeLessThan(title.y + title.height + 40);
  // One row: every chip at the same height, each at least 44 px tall.
  const chips = nav.getByRole('link');
  await expect(chips).toHaveText(ADMIN_LINKS);
  const boxes = await chips.evaluateAll((links) => links.map((a) => a.getBoundingClientRect().toJSON() as DOMRect));
  for (const box of boxes) {
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(Math.abs(box.top - boxes[0]!.top)).toBeLessThan(1);
  }
  // The row scrolls sideways; the page does not.
  const row = nav.getByRole('list').first();
  expect(await row.evaluate((ul) => ul.scrollWidth > ul.clientWidth)).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  const members = chips.filter({ hasText: 'Members' });
  await members.scrollIntoViewIfNeeded();
  await members.tap();
  await expect(page).toHaveURL(`${server.url}/settings#members`);
  await expect(page.locator('#members')).toBeFocused();
  await expect(page.locator('#members')).toBeInViewport();
  await context.close();
});

test('each member’s last activity (relative, the exact time on hover) and whether notifications reach them, in words, on a desktop and a phone', async ({ browser }) => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const context = await browser.newContext({ viewport, ...(viewport.width < 640 ? { isMobile: true, hasTouch: true } : {}) });
    const page = await context.newPage();
    await openSettings(page);
    const table = page.getByRole('table', { name: 'Members of Default' });
    const row = (email: string) => table.getByRole('row').filter({ has: page.getByRole('cell', { name: email, exact: true }) });

    // Signed in minutes ago at most (the spec's earlier tests took a while).
    await expect(row(ADA.email)).toContainText(/Active (just now|\d+ min\. ago)/);
    await expect(row(ADA.email)).toContainText('Notifications on');
    const when = row(ADA.email).locator('time');
    expect(Date.now() - Date.parse((await when.getAttribute('dateTime'))!)).toBeLessThan(10 * 60_000);
    await expect(when).toHaveAttribute('title', /\d/);
    await expect(row(BEA.email)).toContainText('Not signed in');
    await expect(row(BEA.email)).toContainText('Notifications off');
    await expect(row(BEA.email).locator('time')).toHaveCount(0);
    await expect(row(CY.email)).toContainText(/Active (just now|\d+ min\. ago)/);
    await expect(row(CY.email)).toContainText('Notifications off');
    await expect(row(OWNER.email)).toContainText('Notifications off');

    // Under the name, within its row, clear of the More button, and no sideways scroll (no column of its own).
    await expect(table.getByRole('columnheader')).toHaveCount(4);
    const activity = row(ADA.email).getByText('Notifications on');
    await activity.scrollIntoViewIfNeeded();
    const box = (await activity.boundingBox())!;
    const rowBox = (await row(ADA.email).boundingBox())!;
    const more = (await page.getByRole('button', { name: `More for ${ADA.name}`, exact: true }).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(rowBox.x);
    expect(box.x + box.width).toBeLessThanOrEqual(rowBox.x + rowBox.width + 1);
    const overlaps = box.x < more.x + more.width && more.x < box.x + box.width && box.y < more.y + more.height && more.y < box.y + box.height;
    expect(overlaps).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    const tableBox = (await table.boundingBox())!;
    const holder = (await table.locator('xpath=..').boundingBox())!;
    expect(tableBox.width).toBeLessThanOrEqual(holder.width + 1);
    await context.close();
  }
});

test('a member’s More menu: a menu button, arrow keys move, Escape closes and returns focus; owners make someone an owner there', async ({ page }) => {
  await openSettings(page);
  const more = page.getByRole('button', { name: `More for ${ADA.name}`, exact: true });
  await expect(more).toHaveAttribute('aria-haspopup', 'menu');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  // The owner toggle is no longer a button of its own in the row.
  await expect(page.getByRole('button', { name: /Make .*owner|Not an owner|No longer an owner/i })).toHaveCount(0);

  await more.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: `More for ${ADA.name}` });
  await expect(menu).toBeVisible();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  const items = menu.getByRole('menuitem');
  await expect(items).toHaveText([`Copy the email of ${ADA.name}`, `Make ${ADA.name} an owner`]);
  await expect(items.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(items.nth(0)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(more).toBeFocused();
  await expect(more).toHaveAttribute('aria-expanded', 'false');

  // ArrowUp on the button opens at the last item; Enter chooses it, and focus comes back.
  await page.keyboard.press('ArrowUp');
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveCount(0);
  await expect(more).toBeFocused();
  const row = page.getByRole('table', { name: 'Members of Default' }).getByRole('row').filter({ has: page.getByRole('cell', { name: ADA.email, exact: true }) });
  await expect(row.getByRole('combobox', { name: `Role of ${ADA.name}` })).toHaveCount(0);
  await expect(row).toContainText('Owner');
  await expect(page.getByRole('status').filter({ hasText: `${ADA.name} is now an owner` })).toBeVisible();

  // And back, by mouse this time.
  await more.click();
  await expect(items.nth(0)).toBeFocused();
  await menu.getByRole('menuitem', { name: `Make ${ADA.name} no longer an owner` }).click();
  await expect(row.getByRole('combobox', { name: `Role of ${ADA.name}` })).toHaveValue('admin');

  // Tab leaves and closes it; one's own row has no owner item.
  await more.press('Enter');
  await expect(menu).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(menu).toHaveCount(0);
  await page.getByRole('button', { name: `More for ${OWNER.email}`, exact: true }).click();
  await expect(page.getByRole('menu').getByRole('menuitem')).toHaveText([`Copy the email of ${OWNER.email}`]);
  await page.keyboard.press('Escape');
});

test('Remove confirms in the app’s dialog: Cancel has focus, Escape closes, focus returns to Remove; it offers to revoke their keys', async ({ page }) => {
  await openSettings(page);
  const removeCy = page.getByRole('button', { name: `Remove ${CY.name}`, exact: true });
  await removeCy.click();
  const dialog = page.getByRole('alertdialog', { name: `Remove ${CY.name}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(dialog.getByRole('button', { name: `Remove ${CY.name} now`, exact: true })).toBeVisible();
  await expect(dialog.getByRole('checkbox')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(removeCy).toBeFocused();
  await expect(page.getByRole('cell', { name: CY.email, exact: true })).toBeVisible();

  // Ada made a key: the dialog offers to revoke it, ticked for an admin; Cancel leaves everything as it was.
  const removeAda = page.getByRole('button', { name: `Remove ${ADA.name}`, exact: true });
  await removeAda.press('Enter');
  const adaDialog = page.getByRole('alertdialog', { name: `Remove ${ADA.name}?` });
  await expect(adaDialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(adaDialog.getByRole('checkbox', { name: 'Also revoke the API key they made' })).toBeChecked();
  await expect(adaDialog).toContainText('ada-deploy');
  await adaDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(adaDialog).toHaveCount(0);
  await expect(removeAda).toBeFocused();

  // Confirmed: the row goes, focus lands on the Members heading and a status says so.
  await removeCy.click();
  await dialog.getByRole('button', { name: `Remove ${CY.name} now`, exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('cell', { name: CY.email, exact: true })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Members', exact: true })).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: `${CY.name} was removed from Default.` })).toBeVisible();
});

test('a member who is not an admin sees Personal and, of the project, only their notifications and the policy (to read)', async ({ page }) => {
  await signInPage(page, server, { email: BEA.email, password: PASSWORD });
  await page.getByRole('link', { name: 'Settings' }).click();
  const nav = sections(page);
  await expect(nav.getByRole('link')).toHaveText(['Personal', 'Display', 'This device', 'Account', 'Project · Default', 'Notifications', 'Policy']);
  const project = page.getByRole('region', { name: 'Project · Default' });
  await expect(project.getByRole('heading', { name: 'Notifications for Default' })).toBeVisible();
  await expect(project.getByText('Only admins of Default see and change them. You are a member here.')).toBeVisible();
  for (const name of ['Members', 'API keys', 'Webhook signing secret', 'Project']) await expect(page.getByRole('heading', { name, exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^More for/ })).toHaveCount(0);
  await expect(page.getByLabel('Role of the invite')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Personal' }).getByRole('heading', { name: 'Account' })).toBeVisible();
});
