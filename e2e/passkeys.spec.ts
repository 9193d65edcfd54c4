/**
 * Passkeys in Chromium, with the DevTools virtual authenticator (a platform authenticator that keeps
 * discoverable credentials and verifies its user) and the real server: add a passkey in Settings →
 * Account → Passkeys, sign out, `Sign in with a passkey`, then a guarded press asks `Confirm it's you`
 * and the passkey proves it (no password field), and the passkey is removed again.
 *
 * Browsers refuse WebAuthn on an IP address, so the page is opened at `localhost` (the server listens on
 * 127.0.0.1; without PUBLIC_URL its passkeys belong to http://localhost:PORT).
 */
import { type CDPSession, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { expectNoSeriousViolations } from './fixtures/axe.ts';
import { type Receiver, startReceiver } from './fixtures/receiver.ts';
import { ageSessions, joinByInvite, OWNER, type RunningServer, sendEvent, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let key: string;
let receiver: Receiver;
/** The app at localhost: the origin passkeys are made for. */
let app: string;

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  // The receiver lives on 127.0.0.1, a private address: allowed here on purpose.
  ({ server, key } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
  await request.dispose();
  receiver = await startReceiver();
  app = server.url.replace('127.0.0.1', 'localhost');
});
test.afterAll(async () => {
  await server.stop();
  await receiver.close();
});

/** A virtual authenticator on this page's tab (it survives navigation, not a new tab). */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, id: authenticatorId };
}

async function credentials(v: { cdp: CDPSession; id: string }) {
  return (await v.cdp.send('WebAuthn.getCredentials', { authenticatorId: v.id })).credentials;
}


test('add a passkey in Settings, sign in with it, confirm it’s you with it before a guarded press, and remove it', async ({ page }) => {
  const authenticator = await virtualAuthenticator(page);

  // Signed in with the password, at localhost.
  await page.goto(app);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();

  // Settings → Account → Passkeys: none yet; add one.
  await page.goto(`${app}/settings`);
  const section = page.getByRole('region', { name: 'Passkeys' });
  await expect(section).toBeVisible();
  await expect(section).toContainText('You have no passkey yet.');
  const add = section.getByRole('button', { name: 'Add a passkey' });
  expect((await add.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await add.click();
  await expect(section.getByRole('status')).toHaveText('Passkey added: Passkey 1.');
  const list = section.getByRole('list', { name: 'Your passkeys' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list).toContainText('Passkey 1');
  await expect(list).toContainText('not used yet');
  const remove = list.getByRole('button', { name: 'Remove Passkey 1' });
  await expect(remove).toBeVisible();
  expect((await remove.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  const made = await credentials(authenticator);
  expect(made).toHaveLength(1);
  expect(made[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
  await expectNoSeriousViolations(page, 'passkeys');

  // Renamed.
  await list.getByRole('button', { name: 'Rename Passkey 1' }).click();
  await list.getByLabel('Passkey name').fill('This laptop');
  await list.getByRole('button', { name: 'Save' }).click();
  await expect(list.getByRole('button', { name: 'Remove This laptop' })).toBeVisible();

  // Signed out, then back in with the passkey: no email, no password.
  await page.getByRole('button', { name: 'Sign out' }).click();
  const passkeySignIn = page.getByRole('button', { name: 'Sign in with a passkey' });
  await expect(passkeySignIn).toBeVisible();
  await passkeySignIn.click();
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
  // The authenticator signed: its counter moved past the one it had after registration.
  expect((await credentials(authenticator))[0]!.signCount).toBeGreaterThan(made[0]!.signCount);

  // A high action, with proof needed within 1 minute and nothing else in the way.
  const policy = await page.request.put(`${app}/api/projects/default/policy`, {
    data: { high: { stepUpMinutes: 1, approvals: 0, delaySeconds: 0 } },
    headers: { origin: app },
  });
  expect(policy.status(), await policy.text()).toBe(200);
  await sendEvent(server, key, {
    name: 'Card testing from one IP',
    avatar: '🕵️',
    actions: [{ url: `${receiver.url}/ban`, buttonText: 'Ban user', key: 'ban', type: 'danger', expireIn: 120 }],
  });
  ageSessions(server, 10);
  await page.goto(app);
  const card = page.getByRole('article', { name: 'Card testing from one IP' });
  await card.getByRole('button', { name: 'Ban user' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Ban user' }).click();

  // `Confirm it's you` offers the passkey: no password field; Continue runs the passkey.
  const stepUp = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(stepUp).toBeVisible();
  await expect(stepUp).toContainText('asks for your passkey');
  await expect(stepUp.getByLabel('Password', { exact: true })).toHaveCount(0);
  const proceed = stepUp.getByRole('button', { name: 'Continue' });
  await expect(proceed).toBeFocused();
  expect(receiver.requests).toHaveLength(0);
  await proceed.click();
  await expect(stepUp).toHaveCount(0);
  await expect(card).toContainText('Done');
  expect(receiver.requests).toHaveLength(1);

  // Removed (the step-up just now is recent proof); the authenticator keeps its copy, the server not.
  await page.goto(`${app}/settings`);
  await section.getByRole('button', { name: 'Remove This laptop' }).click();
  await expect(section.getByRole('status')).toHaveText('Passkey removed: This laptop.');
  await expect(section).toContainText('You have no passkey yet.');

  // That passkey signs in no more.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('alert')).toContainText('That passkey was not accepted');
  await expect(page.getByRole('link', { name: 'Settings' })).toHaveCount(0);
});

test('in dark mode and on a phone the Passkeys section and the sign-in button keep their size and contrast', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await virtualAuthenticator(page);
  await page.goto(app);
  const signIn = page.getByRole('button', { name: 'Sign in with a passkey' });
  await expect(signIn).toBeVisible();
  expect((await signIn.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await expectNoSeriousViolations(page, 'passkeys');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByLabel('Email')).toHaveCount(0);
  await page.goto(`${app}/settings`);
  const section = page.getByRole('region', { name: 'Passkeys' });
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(section.getByRole('listitem')).toHaveCount(1);
  await section.scrollIntoViewIfNeeded();
  await expectNoSeriousViolations(page, 'passkeys');
  await page.screenshot({ path: test.info().outputPath('passkeys-phone-dark.png'), fullPage: false });
});

test('Ben approves Ana’s critical press from his push’s link with his passkey (his session is old), and one POST names both', async ({ page }) => {
  const BEN = { name: 'Ben', email: 'ben.pk@example.com', password: 'ben has a long password' };
  const ANA = { name: 'Ana', email: 'ana.pk@example.com', password: 'ana has a long password' };
  const owner = await playwrightRequest.newContext();
  const signedIn = await owner.post(`${server.url}/api/auth/sign-in`, { data: { email: OWNER.email, password: OWNER.password }, headers: { origin: server.url } });
  expect(signedIn.status()).toBe(200);
  // Critical: one approval, proof within 5 minutes, a short delay (the test waits little).
  const policy = await owner.put(`${server.url}/api/projects/default/policy`, { data: { critical: { stepUpMinutes: 5, approvals: 1, delaySeconds: 1 } }, headers: { origin: server.url } });
  expect(policy.status()).toBe(200);
  const ana = await joinByInvite(server, owner, 'member', ANA);
  await (await joinByInvite(server, owner, 'member', BEN)).dispose();
  await owner.dispose();

  // Ben signs in at localhost and adds a passkey.
  await virtualAuthenticator(page);
  await page.goto(app);
  await page.getByLabel('Email').fill(BEN.email);
  await page.getByLabel('Password').fill(BEN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
  await page.goto(`${app}/settings`);
  const section = page.getByRole('region', { name: 'Passkeys' });
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(section.getByRole('status')).toHaveText(/Passkey added/);

  // Ana asks for the refund.
  receiver.requests.length = 0;
  const { id } = await sendEvent(server, key, { name: 'Refund requested by Fabrikam', actions: [{ url: `${receiver.url}/refund`, buttonText: 'Refund €42', key: 'refund', risk: 'critical' }] });
  const asked = await ana.post(`${server.url}/api/events/${id}/actions/refund/trigger`, { data: {}, headers: { origin: server.url } });
  expect(asked.status()).toBe(202);
  const requestId = ((await asked.json()) as { request: { id: string } }).request.id;
  await ana.dispose();

  // Ben's session is older than critical's 5 minutes: approving asks for his passkey first.
  ageSessions(server, 10);
  await page.goto(`${app}/events/${id}?approve=${requestId}`);
  const ask = page.getByRole('region', { name: 'Approve? Refund €42' });
  await ask.getByRole('button', { name: 'Approve', exact: true }).click();
  const stepUp = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(stepUp).toBeVisible();
  await expect(stepUp.getByLabel('Password', { exact: true })).toHaveCount(0);
  expect(receiver.requests).toHaveLength(0);
  await stepUp.getByRole('button', { name: 'Continue' }).click();
  await expect(stepUp).toHaveCount(0);
  // Approved: the request leaves the page, the press counts down and is sent once.
  await expect(ask).toHaveCount(0);
  const opened = page.getByRole('region', { name: 'Refund requested by Fabrikam' });
  await expect(opened.getByRole('button', { name: /^Refund €42/ })).toContainText('✓', { timeout: 15_000 });
  expect(receiver.requests).toHaveLength(1);
  const body = JSON.parse(receiver.requests[0]!.body) as { pressedBy: { email: string }; approvedBy: { email: string }[] };
  expect(body.pressedBy.email).toBe(ANA.email);
  expect(body.approvedBy.map((a) => a.email)).toEqual([BEN.email]);
});
