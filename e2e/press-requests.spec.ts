/**
 * Presses that wait (CONTRACT §10), in Chromium, as the issue tells it: on a phone, "Refund €42"
 * (critical) pressed by Ana waits for Ben, who opens it from his push's link and approves; then both
 * see `Sending in <n> s` with `Cancel send`. Cancelling sends nothing; not cancelling sends exactly one
 * signed POST naming both. Ana cannot approve her own press.
 */
import { type APIRequestContext, type Browser, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import type { EventDetail } from '../contract/api.ts';
import { type Receiver, startReceiver } from './fixtures/receiver.ts';
import { joinByInvite, type RunningServer, sendEvent, signInPage, startSeededServer } from './fixtures/server.ts';

const ANA = { name: 'Ana', email: 'ana@example.com', password: 'ana has a long password' };
const BEN = { name: 'Ben', email: 'ben@example.com', password: 'ben has a long password' };
/** Short, so the test waits little; the contract's default for critical is 15 s. */
const DELAY_S = 3;

let server: RunningServer;
let key: string;
let receiver: Receiver;
let ben: APIRequestContext;

test.use({ viewport: { width: 390, height: 844 } });

test.beforeAll(async () => {
  const owner = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(owner, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
  const policy = await owner.put(`${server.url}/api/projects/default/policy`, { data: { critical: { delaySeconds: DELAY_S } }, headers: { origin: server.url } });
  expect(policy.status()).toBe(200);
  await (await joinByInvite(server, owner, 'member', ANA)).dispose();
  ben = await joinByInvite(server, owner, 'member', BEN);
  receiver = await startReceiver();
  await owner.dispose();
});
test.afterAll(async () => {
  await ben?.dispose();
  await server.stop();
  await receiver.close();
});

async function pageFor(browser: Browser, who: typeof ANA): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signInPage(page, server, who);
  return page;
}

/** The request a press of the event's action became, as Ben's push would name it. */
async function requestOf(eventId: string): Promise<string> {
  const detail = (await (await ben.get(`${server.url}/api/events/${eventId}`)).json()) as EventDetail;
  const id = detail.event.actions[0]?.request?.id;
  expect(id).toBeTruthy();
  return id!;
}

async function askForRefund(ana: Page, eventId: string): Promise<void> {
  await ana.goto(`${server.url}/events/${eventId}`);
  await ana.getByRole('button', { name: /^Refund €42/ }).click();
  const dialog = ana.getByRole('alertdialog', { name: 'Refund €42?' });
  await expect(dialog.getByRole('listitem').nth(1)).toHaveText(/Approval by one other person/);
  await dialog.getByRole('button', { name: 'Refund €42' }).click();
  await expect(dialog).toHaveCount(0);
}

test('Ana asks, Ben approves from his push’s link, both see the countdown; a cancel sends nothing, no cancel sends one POST naming both', async ({ browser }) => {
  const { id } = await sendEvent(server, key, {
    name: 'Refund requested by Northwind',
    avatar: '💶',
    actions: [{ url: `${receiver.url}/refund`, buttonText: 'Refund €42', key: 'refund', risk: 'critical', confirmText: 'Refund 42.00 EUR to Northwind' }],
  });
  const ana = await pageFor(browser, ANA);
  const benPage = await pageFor(browser, BEN);

  await askForRefund(ana, id);
  await expect(ana.getByText('Waiting for approval · 1 more needed')).toBeVisible();
  // Her own request: she is told someone else must approve it, and has no Approve button.
  await expect(ana.getByRole('region', { name: 'Approve? Refund €42' })).toContainText('You asked for this: someone else must approve it.');
  await expect(ana.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);

  // Ben's push opens the event with the request: it is in view and focused.
  await benPage.goto(`${server.url}/events/${id}?approve=${await requestOf(id)}`);
  const ask = benPage.getByRole('region', { name: 'Approve? Refund €42' });
  await expect(ask.getByRole('heading', { name: 'Approve? Refund €42' })).toBeFocused();
  await expect(ask).toContainText('ana@example.com asked');
  await expect(ask).toContainText('Critical');
  await ask.getByRole('button', { name: 'Approve', exact: true }).click();

  // Everyone sees the countdown and may cancel; Ana cancels.
  for (const page of [benPage, ana]) {
    await expect(page.getByText(/Sending in \d s/).first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Cancel send' })).toBeVisible();
  }
  await ana.getByRole('button', { name: 'Cancel send' }).click();
  await expect(ana.getByText('Cancelled by ana@example.com. Nothing was sent.')).toBeVisible();
  await expect(benPage.getByText('Cancelled by ana@example.com. Nothing was sent.')).toBeVisible();
  // Past the time it would have been sent: nothing was.
  await ana.waitForTimeout((DELAY_S + 1) * 1000);
  expect(receiver.requests).toHaveLength(0);

  // Again, and this time nobody cancels: one signed POST naming Ana and Ben.
  await askForRefund(ana, id);
  const again = benPage.getByRole('region', { name: 'Approve? Refund €42' });
  await again.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(ana.getByText(/Sending in \d s/).first()).toBeVisible();
  await expect(ana.getByRole('button', { name: /^Refund €42/ })).toContainText('✓', { timeout: (DELAY_S + 10) * 1000 });
  expect(receiver.requests).toHaveLength(1);
  const got = receiver.requests[0]!;
  expect(got.headers['webhook-signature']).toMatch(/^v1,/);
  const body = JSON.parse(got.body) as { pressedBy: { email: string }; approvedBy: { email: string }[]; risk: string };
  expect(body.pressedBy.email).toBe(ANA.email);
  expect(body.approvedBy.map((a) => a.email)).toEqual([BEN.email]);
  expect(body.risk).toBe('critical');
});

test('a deny says who and why on every open app, and nothing is sent', async ({ browser }) => {
  const { id } = await sendEvent(server, key, {
    name: 'Refund requested by Contoso',
    actions: [{ url: `${receiver.url}/refund`, buttonText: 'Refund €42', key: 'refund', risk: 'critical' }],
  });
  receiver.requests.length = 0;
  const ana = await pageFor(browser, ANA);
  const benPage = await pageFor(browser, BEN);
  await askForRefund(ana, id);
  await benPage.goto(`${server.url}/events/${id}`);
  await benPage.getByRole('region', { name: 'Approve? Refund €42' }).getByRole('button', { name: 'Deny' }).click();
  const dialog = benPage.getByRole('alertdialog', { name: 'Deny “Refund €42”?' });
  await dialog.getByLabel('Reason (optional)').fill('already refunded by hand');
  await dialog.getByRole('button', { name: 'Deny' }).click();
  const words = 'Denied by ben@example.com: “already refunded by hand”. Nothing was sent.';
  await expect(benPage.getByText(words)).toBeVisible();
  await expect(ana.getByText(words)).toBeVisible();
  await expect(ana.getByRole('button', { name: /^Refund €42/ })).toBeEnabled();
  expect(receiver.requests).toHaveLength(0);
});
