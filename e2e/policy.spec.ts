/**
 * A press governed by the project's policy, in the browser: Settings → Policy (saved, and refused
 * values said at their input), the freeze (the feed's banner, the server's refusal in the confirm
 * step), what a critical press will require said beforehand, and "Confirm it's you" when the policy
 * asks for proof (a session made older than the step-up window in the server's database).
 */
import { type APIRequestContext, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { DEFAULT_RULES } from '../contract/policy.ts';
import { type Receiver, startReceiver } from './fixtures/receiver.ts';
import { ageSessions, joinByInvite, OWNER, type RunningServer, sendEvent, signIn, signInPage, startSeededServer } from './fixtures/server.ts';
import { expectNoSeriousViolations } from './fixtures/axe.ts';

let server: RunningServer;
let key: string;
let receiver: Receiver;

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  // The receiver lives on 127.0.0.1, a private address: allowed here on purpose.
  ({ server, key } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
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
  // Each test starts from the defaults, not frozen.
  await putPolicy(page.request, { ...DEFAULT_RULES, freeze: false });
});

async function putPolicy(request: APIRequestContext, change: unknown): Promise<void> {
  const res = await request.put(`${server.url}/api/projects/default/policy`, { data: change, headers: { origin: server.url } });
  expect(res.status(), await res.text()).toBe(200);
}


async function banEvent(name: string): Promise<void> {
  await sendEvent(server, key, {
    name,
    avatar: '🕵️',
    actions: [{ url: `${receiver.url}/ban`, buttonText: 'Ban user', key: 'ban', type: 'danger', expireIn: 120 }],
  });
}

const policySection = (page: Page) => page.getByRole('region', { name: 'Policy', exact: true });

test('an admin saves a delay and freezes presses in Settings → Policy; both hold after a reload', async ({ page }) => {
  await page.goto(`${server.url}/settings`);
  await expect(page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Policy', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Policy', exact: true })).toBeVisible();
  const delay = page.getByRole('spinbutton', { name: 'High: delay seconds' });
  await expect(delay).toHaveValue(String(DEFAULT_RULES.high.delaySeconds));
  await expect(page.getByRole('combobox', { name: 'Critical: approvals' })).toHaveValue(String(DEFAULT_RULES.critical.approvals));
  await expect(page.getByText('Defaults: Low 0/0/0, High 30/0/5, Critical 5/1/15')).toBeVisible();

  // A value out of range: the server's words, at that input.
  await delay.fill('999');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(delay).toHaveAttribute('aria-invalid', 'true');
  await expect(delay).toHaveAccessibleDescription('High: delay seconds must be a whole number of seconds from 0 to 300.');

  await delay.fill('12');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(delay).not.toHaveAttribute('aria-invalid', 'true');

  const freeze = page.getByRole('switch', { name: 'Freeze presses' });
  await expect(freeze).not.toBeChecked();
  await freeze.check();
  await expect(freeze).toBeChecked();
  await expect(freeze).toHaveAccessibleDescription(/high and critical actions are refused.*Frozen by owner@example\.com, just now/);

  await page.reload();
  await expect(page.getByRole('spinbutton', { name: 'High: delay seconds' })).toHaveValue('12');
  await expect(page.getByRole('switch', { name: 'Freeze presses' })).toBeChecked();
  const saved = await (await page.request.get(`${server.url}/api/projects/default/policy`)).json();
  expect(saved).toMatchObject({ high: { stepUpMinutes: 30, approvals: 0, delaySeconds: 12 }, freeze: true, frozen: { by: { email: OWNER.email } } });

  // Both changes are on the Activity page, in words.
  await page.goto(`${server.url}/activity`);
  const activity = page.getByRole('list', { name: 'Activity' });
  await expect(activity.getByRole('listitem').filter({ hasText: 'Changed the press policy' }).filter({ hasText: 'High: delay 12 s' })).toBeVisible();
  // The newest first: the freeze.
  await expect(activity.getByRole('listitem').first()).toContainText(/Changed the press policy\s*froze presses/);
});

test('while frozen the feed says so, the confirm step says it beforehand, and the server’s refusal is a sentence in it', async ({ page }) => {
  await banEvent('Login from a new country');
  await putPolicy(page.request, { freeze: true });
  await page.goto(server.url);

  const banner = page.getByRole('status', { name: 'Presses frozen' });
  await expect(banner).toContainText('Presses of high and critical actions are frozen — by owner@example.com, just now');
  await expect(banner.getByRole('link', { name: 'Policy settings' })).toBeVisible();

  const card = page.getByRole('article', { name: 'Login from a new country' });
  const button = card.getByRole('button', { name: 'Ban user' });
  // The risk shows on the button and is read with its description; the name stays the sender's.
  await expect(button).toContainText('High');
  await expect(button).toHaveAccessibleName('Ban user');
  await expect(button).toHaveAccessibleDescription(/^High risk\./);

  await button.click();
  const dialog = page.getByRole('alertdialog', { name: 'Ban user?' });
  await expect(dialog).toContainText('Presses of high and critical actions are frozen in this project: it will be refused.');
  await dialog.getByRole('button', { name: 'Ban user' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(/^Presses of high and critical actions are frozen in this project \(by owner@example\.com since .+\)\. Nothing was sent\.$/);
  await expect(dialog).not.toContainText('frozen:');
  await expect(dialog.getByRole('button', { name: 'Ban user' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(card.getByRole('alert')).toContainText('frozen in this project (by owner@example.com');
  expect(receiver.requests).toHaveLength(0);

  // Unfrozen elsewhere: the banner goes when the window comes back.
  await putPolicy(page.request, { freeze: false });
  await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(banner).toHaveCount(0);
});

test('a critical action shows its sender’s sentence first, then what the policy will require', async ({ page }) => {
  const confirmText = 'Refund 1,249.00 EUR to Northwind';
  await sendEvent(server, key, {
    name: 'Refund requested by Northwind',
    actions: [{ url: `${receiver.url}/refund`, buttonText: 'Refund', key: 'refund', risk: 'critical', confirmText }],
  });
  await page.goto(server.url);
  const button = page.getByRole('article', { name: 'Refund requested by Northwind' }).getByRole('button', { name: 'Refund' });
  await expect(button).toContainText('Critical');
  await expect(button).toHaveAccessibleDescription(/^Critical risk\./);
  await button.click();
  const dialog = page.getByRole('alertdialog', { name: 'Refund?' });
  // The dialog's description starts with the sender's sentence, before Switchboard's own words.
  await expect(dialog).toHaveAccessibleDescription(new RegExp(`^${confirmText}\\s*For “Refund requested by Northwind”`));
  const required = dialog.getByRole('listitem');
  // Everything the server will ask of this press, in order.
  await expect(required).toHaveText([
    `Proof it's you (your passkey or password) if you have not given it in the last ${DEFAULT_RULES.critical.stepUpMinutes} min`,
    'Approval by one other person who may press it (they are asked by push; unanswered, it expires)',
    `Then a ${DEFAULT_RULES.critical.delaySeconds} s wait before it is sent, during which anyone who may press it can cancel it`,
  ]);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A low action says nothing more.
  await sendEvent(server, key, { name: 'Note added', actions: [{ url: `${receiver.url}/note`, buttonText: 'Add note', key: 'note' }] });
  const note = page.getByRole('article', { name: 'Note added' }).getByRole('button', { name: 'Add note' });
  await expect(note).toHaveText('Add note');
  await note.click();
  await expect(page.getByRole('alertdialog', { name: 'Add note?' })).toBeVisible();
  await expect(page.getByRole('alertdialog').getByRole('listitem')).toHaveCount(0);
  expect(receiver.requests).toHaveLength(0);
});

test('“Confirm it’s you”: the confirm step hands over, a wrong password is said at the field, the right one presses', async ({ page }) => {
  await putPolicy(page.request, { high: { stepUpMinutes: 1 } });
  await banEvent('Card testing from one IP');
  await page.goto(server.url);
  ageSessions(server, 10);

  const card = page.getByRole('article', { name: 'Card testing from one IP' });
  await card.getByRole('button', { name: 'Ban user' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Ban user' }).click();

  const stepUp = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(stepUp).toBeVisible();
  // One dialog at a time: the confirm step is gone.
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  const password = stepUp.getByLabel('Password', { exact: true });
  await expect(password).toBeFocused();
  await expect(password).toHaveAttribute('type', 'password');
  await expect(password).toHaveAttribute('autocomplete', 'current-password');
  await expect(stepUp.getByRole('button', { name: 'Use a passkey' })).toHaveCount(0);

  await password.fill('not-the-password');
  await stepUp.getByRole('button', { name: 'Continue' }).click();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription('That is not your password');
  await expect(password).toBeFocused();
  expect(receiver.requests).toHaveLength(0);

  await password.fill(OWNER.password);
  await stepUp.getByRole('button', { name: 'Continue' }).click();
  await expect(stepUp).toHaveCount(0);
  // The press went ahead by itself, once (after high's delay, counted down); the session stands.
  await expect(card).toContainText(/Sending in \d s/);
  await expect(card).toContainText('Done', { timeout: 15_000 });
  expect(receiver.requests).toHaveLength(1);
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();

  await page.goto(`${server.url}/activity`);
  await expect(page.getByRole('list', { name: 'Activity' }).getByRole('listitem').filter({ hasText: "Confirmed it's them" })).toBeVisible();
});

test('“Confirm it’s you” cancelled presses nothing and keeps the session; a rate limit is said in words', async ({ page }) => {
  await putPolicy(page.request, { high: { stepUpMinutes: 1 } });
  await banEvent('Many failed logins');
  await page.goto(server.url);
  ageSessions(server, 10);

  const card = page.getByRole('article', { name: 'Many failed logins' });
  const button = card.getByRole('button', { name: 'Ban user' });
  await expect(button).toBeVisible();
  // A session that ended would be asked about again (GET /api/auth/status); a request for proof is not that.
  const statusAsked: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/auth/status') statusAsked.push(r.url());
  });
  await button.click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Ban user' }).click();
  const stepUp = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(stepUp).toBeVisible();
  // Rate limited (the sign-in budget, shared): the server's words, in a sentence. Faked here, so the owner is not locked out of the other tests.
  await page.route('**/api/auth/step-up', (route) =>
    route.fulfill({ status: 429, contentType: 'application/json', body: JSON.stringify({ error: { code: 'rate_limited', message: 'too many wrong passwords; wait and try again' } }) }),
  );
  await stepUp.getByLabel('Password', { exact: true }).fill('guess');
  await stepUp.getByRole('button', { name: 'Continue' }).click();
  await expect(stepUp.getByRole('alert')).toHaveText('Too many wrong passwords; wait and try again.');
  await expect(stepUp.getByLabel('Password', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await page.unroute('**/api/auth/step-up');
  await stepUp.getByRole('button', { name: 'Cancel' }).click();
  await expect(stepUp).toHaveCount(0);
  await expect(button).toBeFocused();
  await expect(card.getByRole('alert')).toHaveText('Confirm it’s you first. Nothing was sent.');
  expect(receiver.requests).toHaveLength(0);
  // Not signed out: the 401 asked for proof, it did not end the session.
  await page.waitForTimeout(500);
  expect(statusAsked).toEqual([]);
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveCount(0);
});

test('a member sees the policy read-only', async ({ page }) => {
  const owner = await playwrightRequest.newContext();
  await signIn(server, owner);
  const who = { name: 'Mia', email: 'mia@example.com', password: 'mia-password-long' };
  const member = await joinByInvite(server, owner, 'member', who);
  await member.dispose();
  await owner.dispose();
  await page.context().clearCookies();
  await signInPage(page, server, who);
  await page.goto(`${server.url}/settings`);
  const section = policySection(page);
  await expect(section).toContainText('Only admins change the policy');
  await expect(section).toContainText('Presses are not frozen.');
  await expect(section.getByRole('row', { name: /^High/ })).toHaveText(/High\s*30\s*0\s*5/);
  await expect(section.getByRole('spinbutton')).toHaveCount(0);
  await expect(section.getByRole('switch')).toHaveCount(0);
  await expect(section.getByRole('button', { name: 'Save' })).toHaveCount(0);
});

test('the banner, the risk tags, the critical confirm step, "Confirm it\'s you" and Settings → Policy pass axe on a phone and a desktop, light and dark', async ({ page }) => {
  // Sixteen axe scans across four screens, two sizes and two schemes: more than the default minute on a loaded machine.
  test.setTimeout(180_000);
  await sendEvent(server, key, {
    name: 'Payout to Northwind',
    actions: [{ url: `${receiver.url}/payout`, buttonText: 'Pay out', key: 'payout', risk: 'critical', confirmText: 'Pay 310.00 EUR to Northwind' }],
  });
  await banEvent('Login from a new device');
  for (const [device, viewport] of Object.entries({ phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } })) {
    await page.setViewportSize(viewport);
    for (const scheme of ['light', 'dark'] as const) {
      const where = `${device}, ${scheme}`;
      await page.emulateMedia({ colorScheme: scheme });
      await putPolicy(page.request, { freeze: true, high: { stepUpMinutes: 30 } });
      await page.goto(server.url);
      await expect(page.getByRole('status', { name: 'Presses frozen' })).toBeVisible();
      await expect(page.getByRole('article', { name: 'Payout to Northwind' }).getByRole('button', { name: 'Pay out' })).toContainText('Critical');
      await expectNoSeriousViolations(page, `feed, frozen (${where})`);

      await putPolicy(page.request, { freeze: false });
      await page.reload();
      await page.getByRole('article', { name: 'Payout to Northwind' }).getByRole('button', { name: 'Pay out' }).click();
      await expect(page.getByRole('alertdialog').getByRole('listitem').first()).toBeVisible();
      await expectNoSeriousViolations(page, `critical confirm (${where})`);
      await page.keyboard.press('Escape');

      await putPolicy(page.request, { high: { stepUpMinutes: 1 } });
      ageSessions(server, 10);
      await page.getByRole('article', { name: 'Login from a new device' }).getByRole('button', { name: 'Ban user' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Ban user' }).click();
      const stepUp = page.getByRole('dialog', { name: "Confirm it's you" });
      await stepUp.getByLabel('Password', { exact: true }).fill('not-the-password');
      await stepUp.getByRole('button', { name: 'Continue' }).click();
      await expect(stepUp.getByText('That is not your password')).toBeVisible();
      await expectNoSeriousViolations(page, `step-up with a wrong password (${where})`);
      await stepUp.getByRole('button', { name: 'Cancel' }).click();

      await putPolicy(page.request, { high: { stepUpMinutes: 30 }, freeze: true });
      await page.goto(`${server.url}/settings`);
      await expect(page.getByRole('switch', { name: 'Freeze presses' })).toBeChecked();
      await page.getByRole('spinbutton', { name: 'High: delay seconds' }).fill('999');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(page.getByRole('spinbutton', { name: 'High: delay seconds' })).toHaveAttribute('aria-invalid', 'true');
      await expectNoSeriousViolations(page, `Settings → Policy with a refused value (${where})`);
    }
  }
  expect(receiver.requests).toHaveLength(0);
});
