import { type Browser, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { type Receiver, startReceiver } from './fixtures/receiver.ts';
import { pressAtOnce, type RunningServer, sendEvent, signIn, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let key: string;
let receiver: Receiver;

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  // The receiver lives on 127.0.0.1, a private address: allowed here on purpose.
  ({ server, key } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
  // A danger button's press runs at once here (what a press that waits looks like: press-requests.spec.ts).
  await pressAtOnce(server, request);
  await request.dispose();
  receiver = await startReceiver();
});
test.afterAll(async () => {
  await server.stop();
  await receiver.close();
});
test.beforeEach(async ({ page }) => {
  receiver.requests.length = 0;
  receiver.respondWith(200);
  await signIn(server, page.request);
});

async function openSignedIn(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  await signIn(server, context.request);
  const page = await context.newPage();
  await page.goto(server.url);
  return page;
}

test('Cancel and Escape send nothing; confirm sends one signed request, shows progress, then Done — on a second device too', async ({ page, browser }) => {
  await sendEvent(server, key, {
    name: 'Suspicious login',
    avatar: '🕵️',
    actions: [{ url: `${receiver.url}/ban`, buttonText: 'Ban user', key: 'ban', type: 'danger', expireIn: 120, meta: { user: 77 } }],
  });
  await page.goto(server.url);
  const other = await openSignedIn(browser);

  const card = page.getByRole('article', { name: 'Suspicious login' });
  const button = card.getByRole('button', { name: 'Ban user' });
  await expect(button).toHaveAccessibleDescription(/expires in 1h 59m/);

  await button.click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Ban user');
  await expect(dialog).toContainText('Suspicious login');
  await expect(dialog).toContainText(new URL(receiver.url).host);
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  // Back on the button that opened it (drawn anew when the press's code loaded with this first press).
  await expect(button).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(button).toBeFocused();
  expect(receiver.requests).toHaveLength(0);

  // Slow enough to see "Sending…" on a loaded machine (CI saw this test miss it at 600 ms).
  receiver.respondWith(200, '{"banned":true}', 2500);
  await button.click();
  const confirm = page.getByRole('alertdialog').getByRole('button', { name: 'Ban user' });
  await confirm.click();
  await expect(page.getByRole('alertdialog')).toContainText('Sending…');
  await expect(confirm).toBeDisabled();
  await expect(page.getByRole('alertdialog')).toHaveCount(0, { timeout: 15_000 });
  await expect(card).toContainText('Done');
  await expect(card).toContainText('owner@example.com');
  await expect(button).toBeDisabled();
  expect(receiver.requests).toHaveLength(1);
  expect(receiver.requests[0]!.headers['webhook-signature']).toMatch(/^v1,/);
  expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ event: { key: 'ban', meta: { user: 77 } } });

  // The other device saw it without reloading.
  await expect(other.getByRole('article', { name: 'Suspicious login' })).toContainText('Done');
  await expect(other.getByRole('article', { name: 'Suspicious login' }).getByRole('button', { name: 'Ban user' })).toBeDisabled();
  await other.context().close();
});

test('a failed press says why and can be tried again', async ({ page }) => {
  receiver.respondWith(500, '{"error":"boom"}');
  await sendEvent(server, key, { name: 'Refund requested', actions: [{ url: `${receiver.url}/refund`, buttonText: 'Refund' }] });
  await page.goto(server.url);
  const card = page.getByRole('article', { name: 'Refund requested' });
  await card.getByRole('button', { name: 'Refund' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Refund' }).click();
  await expect(card).toContainText('Failed');
  await expect(card).toContainText('HTTP 500');
  receiver.respondWith(201);
  await card.getByRole('button', { name: 'Refund' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Refund' }).click();
  await expect(card).toContainText('Done');
  expect(receiver.requests).toHaveLength(2);
});

test('the countdown ticks with the clock and turns into a disabled Expired', async ({ page }) => {
  await page.clock.install();
  await sendEvent(server, key, { name: 'Short-lived', actions: [{ url: `${receiver.url}/x`, buttonText: 'Act now', expireIn: 2 }] });
  await page.goto(server.url);
  const card = page.getByRole('article', { name: 'Short-lived' });
  const button = card.getByRole('button', { name: 'Act now' });
  await expect(card).toContainText(/expires in (1m 5\d|2m 0)s/);
  await page.clock.fastForward('00:30');
  await expect(card).toContainText(/expires in 1m [23]\ds/);
  await page.clock.fastForward('01:35');
  await expect(card).toContainText('Expired');
  await expect(button).toBeDisabled();
  await expect(card).not.toContainText('expires in');
});

test('an external action is a link with an icon that opens a new tab, without a confirm', async ({ page }) => {
  await sendEvent(server, key, { name: 'Order placed', actions: [{ url: 'https://shop.example.com/orders/77', buttonText: 'Open order', external: true }] });
  await page.goto(server.url);
  const card = page.getByRole('article', { name: 'Order placed' });
  const link = card.getByRole('link', { name: 'Open order' });
  await expect(link).toHaveAttribute('href', 'https://shop.example.com/orders/77');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(link.locator('svg[data-icon="external-link"]')).toHaveCount(1);
  await expect(card.getByRole('button', { name: 'Open order' })).toHaveCount(0);
  // Opening it (a popup here) never opens a dialog.
  const popup = page.waitForEvent('popup');
  await link.click();
  await (await popup).close();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  expect(receiver.requests).toHaveLength(0);
});

test('actions work inside a thread and on the event page, which lists the attempts', async ({ page }) => {
  const start = await sendEvent(server, key, { name: 'Deploy 99', contextId: 'd-99', contextStart: true });
  await sendEvent(server, key, { name: 'Canary unhealthy', contextId: 'd-99', actions: [{ url: `${receiver.url}/rollback`, buttonText: 'Roll back', type: 'danger' }] });
  await page.goto(server.url);
  const parent = page.getByRole('article', { name: 'Deploy 99' });
  await parent.getByRole('button', { name: '1 event in this thread' }).click();
  const child = parent.getByRole('article', { name: 'Canary unhealthy' });
  await child.getByRole('button', { name: 'Roll back' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Roll back' }).click();
  await expect(child).toContainText('Done');
  expect(receiver.requests).toHaveLength(1);

  await sendEvent(server, key, { name: 'Flag flipped', actions: [{ url: `${receiver.url}/undo`, buttonText: 'Undo', repeat: true }] }).then(async ({ id }) => {
    await page.goto(`${server.url}/events/${id}`);
  });
  // At 1280 px the event opens beside the feed, which shows the same card: act in the event's region.
  const detail = page.getByRole('region', { name: 'Flag flipped' }).getByRole('article', { name: 'Flag flipped' });
  for (let i = 0; i < 2; i++) {
    await detail.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Undo' }).click();
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
  }
  const history = page.getByRole('region', { name: 'Action history' });
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history).toContainText('Undo #2');
  await expect(detail.getByRole('button', { name: 'Undo' })).toBeEnabled();
  expect(start.id).toBeTruthy();
});
