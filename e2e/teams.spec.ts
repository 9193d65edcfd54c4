/**
 * Teams in a real browser (CONTRACT §7): an admin invites, the newcomer joins and lands in the
 * project; a member presses, a viewer cannot; an admin removes a member, whose open app leaves the
 * project without a reload; the Project switcher keeps each project's filters.
 */
import { type Browser, type BrowserContext, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { startReceiver } from './fixtures/receiver.ts';
import { OWNER, pressAtOnce, type RunningServer, sendEvent, signInPage, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let opsKey: string;
let receiverUrl: string;

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  ({ server } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
  const made = await request.post(`${server.url}/api/projects`, { data: { name: 'Ops', slug: 'ops' }, headers: { origin: server.url } });
  expect(made.status()).toBe(201);
  const key = await request.post(`${server.url}/api/projects/ops/keys`, { data: { name: 'ops' }, headers: { origin: server.url } });
  opsKey = ((await key.json()) as { key: string }).key;
  receiverUrl = (await startReceiver()).url;
  // Danger buttons press at once here (presses that wait: press-requests.spec.ts).
  await pressAtOnce(server, request);
  await pressAtOnce(server, request, 'ops');
  await request.dispose();
});
test.afterAll(async () => {
  await server.stop();
});

const signIn = (page: Page, email: string, password: string) => signInPage(page, server, { email, password });

/** The owner makes an invite in Settings → Members of Ops; a new browser joins with it. */
async function invite(owner: Page, browser: Browser, role: 'Viewer' | 'Member' | 'Admin', email: string): Promise<{ context: BrowserContext; page: Page }> {
  await owner.goto(`${server.url}/p/ops/settings`);
  await owner.getByLabel('Role of the invite').selectOption({ label: role });
  await owner.getByRole('button', { name: 'Invite', exact: true }).click();
  const url = await owner.getByLabel('Invite link').inputValue();
  await owner.getByRole('button', { name: 'Done' }).click();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Join Ops' })).toBeVisible();
  await page.getByLabel('Name').fill(email.split('@')[0]!);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(`${server.url}/p/ops`);
  await expect(page.getByRole('combobox', { name: 'Project' })).toHaveValue('ops');
  return { context, page };
}

test('invite → join → see the project; a member presses, a viewer cannot; removal takes the project away without a reload', async ({ page: owner, browser }) => {
  await signIn(owner, OWNER.email, OWNER.password);
  await sendEvent(server, opsKey, {
    name: 'Suspicious login',
    avatar: '🕵️',
    actions: [
      { key: 'suspend', buttonText: 'Suspend account', url: receiverUrl, type: 'danger' },
      { key: 'wipe', buttonText: 'Wipe sessions', url: receiverUrl, role: 'admin' },
    ],
  });

  const member = await invite(owner, browser, 'Member', 'mo@example.com');
  const viewer = await invite(owner, browser, 'Viewer', 'vi@example.com');

  // The viewer sees the event, and its buttons say why they cannot be pressed.
  const viewerCard = viewer.page.getByRole('article', { name: 'Suspicious login' });
  await expect(viewerCard.getByRole('button', { name: 'Suspend account' })).toBeDisabled();
  await expect(viewerCard.getByText('View only').first()).toBeVisible();

  // The member presses (after the confirm step); an admin-only action stays disabled for them.
  const card = member.page.getByRole('article', { name: 'Suspicious login' });
  await expect(card.getByRole('button', { name: 'Wipe sessions' })).toBeDisabled();
  await expect(card.getByText('Admins only')).toBeVisible();
  await card.getByRole('button', { name: 'Suspend account' }).click();
  await member.page.getByRole('alertdialog').getByRole('button', { name: 'Suspend account' }).click();
  await expect(card.getByText(/Done/)).toBeVisible();
  // Everyone sees it live, the viewer too.
  await expect(viewerCard.getByText(/Done · by mo@example.com/)).toBeVisible();

  // The owner removes the member; the member's open app leaves Ops by itself.
  await owner.goto(`${server.url}/p/ops/settings`);
  const members = owner.getByRole('table', { name: 'Members of Ops' });
  await expect(members.getByRole('cell', { name: 'mo@example.com' })).toBeVisible();
  await owner.getByRole('button', { name: 'Remove mo' }).click();
  await owner.getByRole('alertdialog', { name: 'Remove mo?' }).getByRole('button', { name: 'Remove mo now' }).click();
  await expect(members.getByRole('cell', { name: 'mo@example.com' })).toHaveCount(0);
  await expect(member.page.getByRole('heading', { name: /You are not a member of “ops”/ })).toBeVisible({ timeout: 15_000 });
  await expect(member.page.getByRole('article', { name: 'Suspicious login' })).toHaveCount(0);

  // The owner's Activity page has it all.
  await owner.getByRole('link', { name: 'Activity' }).click();
  const activity = owner.getByRole('list', { name: 'Activity' });
  await expect(activity.getByText('Removed a member')).toBeVisible();
  await expect(activity.getByText('“Suspend account” on “Suspicious login” (attempt 1)')).toBeVisible();
  await member.context.close();
  await viewer.context.close();
});

test('the Project switcher opens each project at its own URL and keeps its filters', async ({ page }) => {
  await sendEvent(server, opsKey, { name: 'Disk full on db-2', category: 'infra' });
  await signIn(page, OWNER.email, OWNER.password);
  const switcher = page.getByRole('combobox', { name: 'Project' });
  await switcher.selectOption('ops');
  await expect(page).toHaveURL(`${server.url}/p/ops`);
  await page.getByRole('searchbox', { name: 'Search events' }).fill('disk');
  await page.getByRole('searchbox', { name: 'Search events' }).press('Enter');
  await expect(page).toHaveURL(/\/p\/ops\?q=disk/);
  await expect(page.getByRole('article', { name: 'Disk full on db-2' })).toBeVisible();

  await switcher.selectOption('default');
  await expect(page).toHaveURL(`${server.url}/`);
  await expect(page.getByRole('article', { name: 'Disk full on db-2' })).toHaveCount(0);
  await switcher.selectOption('ops');
  await expect(page).toHaveURL(/\/p\/ops\?q=disk/);
  await expect(page.getByRole('searchbox', { name: 'Search events' })).toHaveValue('disk');
});

test('an owner creates, renames and deletes a project from Settings (the name typed); anyone sets their own name', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('New project').fill('Growth Team');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(`${server.url}/p/growth-team/settings`);
  await expect(page.getByRole('combobox', { name: 'Project' })).toHaveValue('growth-team');

  await page.getByLabel('Project name').fill('Growth');
  await page.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('heading', { name: 'Settings · Growth' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Project' }).locator('option:checked')).toHaveText('Growth');

  await page.getByRole('button', { name: 'Delete project…' }).click();
  const confirm = page.getByLabel(/Type “Growth” to delete it/);
  await confirm.fill('growth');
  await expect(page.getByRole('button', { name: 'Delete project', exact: true })).toBeDisabled();
  await confirm.fill('Growth');
  await page.getByRole('button', { name: 'Delete project', exact: true }).click();
  await expect(page).toHaveURL(`${server.url}/`);
  await expect(page.getByRole('combobox', { name: 'Project' }).locator('option', { hasText: 'Growth' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Your name').fill('Olive');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Name saved.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Your name')).toHaveValue('Olive');
});

test('an admin deletes an event from its page (after a confirm step); a teammate’s open feed loses it live', async ({ page: owner, browser }) => {
  await sendEvent(server, opsKey, { name: 'Leaked secret in logs', avatar: '🔑' });
  await signIn(owner, OWNER.email, OWNER.password);
  const other = await invite(owner, browser, 'Viewer', 'watcher@example.com');
  await expect(other.page.getByRole('article', { name: 'Leaked secret in logs' })).toBeVisible();
  await expect(other.page.getByRole('button', { name: 'Delete event', exact: true })).toHaveCount(0);

  await owner.goto(`${server.url}/p/ops`);
  await owner.getByRole('article', { name: 'Leaked secret in logs' }).getByRole('link', { name: 'Leaked secret in logs' }).click();
  await owner.getByRole('button', { name: 'Delete event', exact: true }).click();
  const confirm = owner.getByRole('alertdialog', { name: 'Delete this event?' });
  await expect(confirm).toContainText('This cannot be undone.');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(owner).toHaveURL(`${server.url}/p/ops`);
  await expect(owner.getByRole('article', { name: 'Leaked secret in logs' })).toHaveCount(0);
  await expect(other.page.getByRole('article', { name: 'Leaked secret in logs' })).toHaveCount(0);
  await other.context.close();
});

test('a notification button lands on the event with its confirm step open; nothing runs until confirmed; a late one says why', async ({ page }) => {
  const { id } = await sendEvent(server, opsKey, {
    name: 'Card testing attack',
    actions: [
      { key: 'block', buttonText: 'Block card', url: receiverUrl, type: 'danger' },
      { key: 'once', buttonText: 'Notify bank', url: receiverUrl },
    ],
  });
  await signIn(page, OWNER.email, OWNER.password);
  // What the service worker opens for the "Block card" button (notificationTarget).
  await page.goto(`${server.url}/p/ops/events/${id}?confirm=block`);
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Block card');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(page).toHaveURL(`${server.url}/p/ops/events/${id}`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  // The event's page (beside the feed at this width).
  const pane = page.getByRole('region', { name: 'Card testing attack' });
  await expect(pane.getByText(/Done/)).toHaveCount(0);

  // Pressed meanwhile (from another device): the next button tap says so instead of asking again.
  await pane.getByRole('button', { name: 'Notify bank' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Notify bank' }).click();
  await expect(pane.getByText(/Done · by owner@example.com/)).toBeVisible();
  await page.goto(`${server.url}/p/ops/events/${id}?confirm=once`);
  await expect(page.getByRole('alert').filter({ hasText: '“Notify bank” already ran: it is done.' })).toBeVisible();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
});
