/**
 * The 200-event triage across projects (CONTRACT §15): the Project switcher says per project how
 * many events are open and how many actions can still be pressed, and offers All projects — one live
 * feed of every project the person is in, each event labelled with its project, pressable in place.
 */
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { startReceiver } from './fixtures/receiver.ts';
import { joinInBrowser, OWNER, pressAtOnce, type RunningServer, sendEvent, signInPage, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let defaultKey: string;
let opsKey: string;
let receiverUrl: string;
let closeReceiver: () => Promise<void>;

test.use({ viewport: { width: 1440, height: 900 } });

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  ({ server, key: defaultKey } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
  expect((await request.post(`${server.url}/api/projects`, { data: { name: 'Ops', slug: 'ops' }, headers: { origin: server.url } })).status()).toBe(201);
  const key = await request.post(`${server.url}/api/projects/ops/keys`, { data: { name: 'ops' }, headers: { origin: server.url } });
  opsKey = ((await key.json()) as { key: string }).key;
  const receiver = await startReceiver();
  receiverUrl = receiver.url;
  closeReceiver = () => receiver.close();
  // Danger buttons press at once here (presses that wait: press-requests.spec.ts).
  await pressAtOnce(server, request);
  await pressAtOnce(server, request, 'ops');
  await request.dispose();
});
test.afterAll(async () => {
  await server.stop();
  await closeReceiver();
});

test('the switcher counts what waits in each project; All projects shows both, labelled, live, and presses in place', async ({ page }) => {
  await sendEvent(server, defaultKey, { name: 'New signup', avatar: '🎉', content: 'jane@example.com' });
  await sendEvent(server, opsKey, {
    name: 'Disk almost full',
    avatar: '💽',
    actions: [{ key: 'clean', buttonText: 'Clean cache', url: receiverUrl, type: 'danger' }],
  });
  await signInPage(page, server, OWNER);

  const switcher = page.getByRole('combobox', { name: 'Project' });
  await expect(switcher.locator('option', { hasText: /^Ops/ })).toHaveText('Ops · 1 open · 1 to act');
  await expect(switcher.locator('option', { hasText: /^Default/ })).toHaveText('Default · 1 open');

  await switcher.selectOption({ label: 'All projects' });
  await expect(page).toHaveURL(`${server.url}/all`);
  await expect(page.getByRole('heading', { name: 'All projects' })).toBeVisible();
  const disk = page.getByRole('article', { name: 'Disk almost full' });
  const signup = page.getByRole('article', { name: 'New signup' });
  await expect(disk).toContainText('Project Ops');
  await expect(signup).toContainText('Project Default');
  // Newest first, across projects.
  await expect(page.getByRole('article').first()).toHaveAccessibleName('Disk almost full');

  // Live: a new event in either project arrives without a reload, labelled.
  await sendEvent(server, opsKey, { name: 'Queue backed up', avatar: '📬' });
  await expect(page.getByRole('article', { name: 'Queue backed up' })).toContainText('Project Ops');

  // An action of another project is pressed here, through the usual confirm step.
  await disk.getByRole('button', { name: 'Clean cache' }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByRole('button', { name: 'Clean cache' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(disk.getByRole('button', { name: 'Clean cache' })).toHaveAccessibleDescription(/^High risk\. Done · by /);

  // Marked handled from the keyboard in its own project: the count in the switcher follows.
  await disk.focus();
  await page.keyboard.press('e');
  await expect(disk).toContainText(/Resolved by/);
  await page.reload();
  await expect(switcher.locator('option', { hasText: /^Ops/ })).toHaveText('Ops · 1 open');

  // The title opens the event beside the All projects feed, which stays: one pass across projects.
  await page.getByRole('article', { name: 'Queue backed up' }).getByRole('link', { name: 'Queue backed up' }).click();
  await expect(page).toHaveURL(/\/all\/events\//);
  const pane = page.getByRole('region', { name: 'Queue backed up' });
  await expect(pane).toBeVisible();
  await expect(pane.getByRole('article', { name: 'Queue backed up' })).toContainText('Project Ops');
  await expect(page.getByRole('article', { name: 'New signup' })).toBeVisible();
  // Esc closes it, back on its row; j moves to the next event (another project's), Enter opens that one.
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(`${server.url}/all`);
  await expect(page.getByRole('article', { name: 'Queue backed up' })).toBeFocused();
  await page.keyboard.press('j');
  await expect(page.getByRole('article', { name: 'Disk almost full' })).toBeFocused();
  await page.keyboard.press('j');
  await expect(signup).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'New signup' })).toBeVisible();
  await expect(page).toHaveURL(/\/all\/events\//);
  // A reload of that address opens the same event beside the same feed.
  await page.reload();
  await expect(page.getByRole('region', { name: 'New signup' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Disk almost full' })).toBeVisible();
});

test("an event of a project the person is not in does not open at /all/events", async ({ browser }) => {
  // A member of default only: Ops's event is as absent as one that never was.
  const request = await playwrightRequest.newContext();
  await request.post(`${server.url}/api/auth/sign-in`, { data: OWNER, headers: { origin: server.url } });
  const invite = await request.post(`${server.url}/api/projects/default/invites`, { data: { role: 'member' }, headers: { origin: server.url } });
  const { url } = (await invite.json()) as { url: string };
  const opsEvent = await sendEvent(server, opsKey, { name: 'Ops only' });
  await request.dispose();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await joinInBrowser(page, url, { name: 'Dee', email: 'dee@example.com', password: 'a long enough password' });
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
  await page.goto(`${server.url}/all/events/${opsEvent.id}`);
  await expect(page.getByRole('alert')).toContainText(/no such event/i);
  await expect(page.getByText('Ops only')).toHaveCount(0);
  await context.close();
});
