/**
 * The first-run checklist ("Get started"): it stays until it is done. The owner sees seven steps,
 * the first event ticks one off without a reload, "Hide for now" folds it to one line on this
 * device, a phone with events starts folded; someone who joins by invite sees only their own three
 * steps, and once those are done the card is gone for good.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { type APIRequestContext, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { joinInBrowser, type RunningServer, sendEvent, signIn, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let key: string;
let admin: APIRequestContext;

test.beforeAll(async () => {
  admin = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(admin));
});
test.afterAll(async () => {
  await admin.dispose();
  await server.stop();
});

const checklist = (page: Page) => page.getByRole('region', { name: 'Get started' });
const step = (page: Page, label: string) => checklist(page).getByRole('listitem').filter({ hasText: label });

test('the owner sees seven steps; the first event ticks one off live; the card stays, folds and stays folded', async ({ page }) => {
  await signIn(server, page.request);
  await page.goto(server.url);
  await expect(checklist(page).getByRole('heading', { name: 'Get started' })).toBeVisible();
  await expect(checklist(page).getByRole('listitem')).toHaveText([
    /Add your name/,
    /Create an API key/,
    /Send your first event/,
    /Press an action/,
    /Invite a teammate/,
    /Install the app/,
    /Turn on notifications/,
  ]);
  // startSeededServer made a key; nothing else is done yet.
  await expect(step(page, 'Create an API key')).toContainText('Done:');
  for (const label of ['Add your name', 'Send your first event', 'Press an action', 'Invite a teammate', 'Install the app', 'Turn on notifications']) {
    await expect(step(page, label)).toContainText('To do:');
  }
  await expect(checklist(page)).toContainText('1 of 7 done');
  await expect(step(page, 'Create an API key').getByRole('link')).toHaveCount(0);
  await expect(step(page, 'Add your name').getByRole('link', { name: 'Set name for your account' })).toBeVisible();
  await expect(step(page, 'Press an action')).toContainText('Send an event with an action and press it.');
  await step(page, 'Press an action').getByRole('button', { name: 'Show snippet' }).click();
  await expect(step(page, 'Press an action')).toContainText('"actions":[{');
  // The empty state's snippets are still there, and the event step leads to them.
  await expect(page.getByRole('heading', { name: 'No events yet' })).toBeVisible();
  await step(page, 'Send your first event').getByRole('link', { name: 'Show the snippet to send your first event' }).click();
  await expect(page.locator('#send-first-event')).toBeFocused();
  await expect(page.locator('#send-first-event')).toBeInViewport();

  await sendEvent(server, key, { name: 'Payment failed', avatar: '💳' });
  await expect(page.getByRole('article', { name: 'Payment failed' })).toBeVisible();
  // As it arrives on the live channel, without a reload (well before the 15 s poll).
  await expect(step(page, 'Send your first event')).toContainText('Done:', { timeout: 5_000 });
  await expect(checklist(page)).toContainText('2 of 7 done');

  // Hide for now: one line, remembered on this device across a reload.
  await checklist(page).getByRole('button', { name: 'Hide for now' }).click();
  await expect(checklist(page)).toHaveCount(0);
  const folded = page.getByRole('button', { name: 'Get started · 2 of 7' });
  await expect(folded).toBeVisible();
  await expect(folded).toBeFocused();
  await page.reload();
  await expect(page.getByRole('article', { name: 'Payment failed' })).toBeVisible();
  await expect(folded).toBeVisible();
  await expect(checklist(page)).toHaveCount(0);
  await folded.click();
  await expect(checklist(page)).toContainText('2 of 7 done');

  // Never in the All projects feed.
  await page.goto(`${server.url}/all`);
  await expect(page.getByRole('heading', { name: 'All projects' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Payment failed' })).toBeVisible();
  await expect(checklist(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Get started/ })).toHaveCount(0);
});

test('on a phone with events it starts folded to one line, above the first event', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signIn(server, page.request);
  await page.goto(server.url);
  // Folded, only its line is drawn: the checklist's code and data wait until it is opened.
  const folded = page.getByRole('button', { name: /^Get started/ });
  await expect(folded).toBeVisible();
  await expect(checklist(page)).toHaveCount(0);
  const first = page.getByRole('article', { name: 'Payment failed' });
  await expect(first).toBeVisible();
  expect((await first.boundingBox())?.y ?? 999).toBeLessThan(160);
  expect((await folded.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(44);
  // Opened, it says where things stand; folded again, its line keeps the count, after a reload too.
  await folded.click();
  await expect(checklist(page)).toContainText('2 of 7 done');
  await expect(checklist(page).getByRole('button', { name: 'Hide for now' })).toBeFocused();
  await checklist(page).getByRole('button', { name: 'Hide for now' }).click();
  await expect(page.getByRole('button', { name: 'Get started · 2 of 7' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Get started · 2 of 7' })).toBeVisible();
  await expect(checklist(page)).toHaveCount(0);
  await context.close();
});

/** A fake but well-formed subscription of this browser, registered as the app would after subscribing. */
async function registerDevice(page: Page): Promise<string> {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const res = await page.request.put(`${server.url}/api/push/subscriptions`, {
    headers: { origin: server.url },
    data: {
      endpoint: `https://fcm.googleapis.com/fcm/send/e2e-${randomBytes(8).toString('hex')}`,
      keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') },
      deviceName: 'e2e phone',
    },
  });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return ((await res.json()) as { id: string }).id;
}

test('a teammate who joins by invite sees name, install and notifications; once done the card is gone for good', async ({ browser, page: owner }) => {
  const made = await admin.post(`${server.url}/api/projects/default/invites`, { data: { role: 'member' }, headers: { origin: server.url } });
  expect(made.status()).toBe(201);
  const { url } = (await made.json()) as { url: string };

  const context = await browser.newContext();
  const page = await context.newPage();
  await joinInBrowser(page, url, { name: 'Mo', email: 'mo@example.com', password: 'a long enough password' });
  await expect(checklist(page).getByRole('listitem')).toHaveText([/Add your name/, /Install the app/, /Turn on notifications/]);
  await expect(step(page, 'Add your name')).toContainText('Done:');
  await expect(checklist(page)).toContainText('1 of 3 done');
  await expect(checklist(page)).not.toContainText('API key');

  await step(page, 'Install the app').getByRole('button', { name: 'Skip installing on this device' }).click();
  await expect(step(page, 'Install the app')).toContainText('Done:');
  await expect(checklist(page)).toContainText('2 of 3 done');
  await expect(step(page, 'Turn on notifications').getByRole('button', { name: 'Turn on notifications for this device' })).toBeVisible();

  // Push on for this device: permission granted and its subscription registered.
  await context.grantPermissions(['notifications'], { origin: server.url });
  const id = await registerDevice(page);
  await page.evaluate((deviceId) => localStorage.setItem('switchboard.pushDeviceId', deviceId), id);
  const loaded = Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/push/subscriptions') && r.request().method() === 'GET'),
    page.waitForResponse((r) => r.url().endsWith('/api/projects/default/progress')),
  ]);
  await page.reload();
  await loaded;
  await expect(page.getByRole('heading', { name: /No events yet|Events/ }).first()).toBeVisible();
  await expect(checklist(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Get started/ })).toHaveCount(0);
  expect(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('switchboard.firstRun.done.')))).toBe(true);
  // Gone for good: not even while the data loads after a reload.
  await page.reload();
  await expect(page.getByRole('heading', { name: /No events yet|Events/ }).first()).toBeVisible();
  await expect(checklist(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Get started/ })).toHaveCount(0);
  await context.close();

  // The owner's teammate step is done now that the project has a second member.
  await signIn(server, owner.request);
  await owner.goto(server.url);
  await expect(step(owner, 'Invite a teammate')).toContainText('Done:');
  await expect(checklist(owner)).toContainText('3 of 7 done');
});
