/**
 * Action states a person can read at a glance, in both themes: Done (by whom, when) without a
 * countdown, a neutral Expired, Failed with its reason and a retry, one countdown for actions that
 * expire together, every label at 4.5:1 or more (disabled ones too), focus back on the button after
 * the confirm step, and a confirm step that says what will happen to whom.
 */
import { expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { seedActionStates, STATE_EVENTS } from './fixtures/actionStates.ts';
import { contrastOf } from './fixtures/contrast.ts';
import { type Receiver, startReceiver } from './fixtures/receiver.ts';
import { comfortableCards, type RunningServer, signIn, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let receiver: Receiver;

test.beforeAll(async () => {
  receiver = await startReceiver();
  const request = await playwrightRequest.newContext();
  let key: string;
  ({ server, key } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '8000' }));
  await seedActionStates(server, key, receiver, request);
  await request.dispose();
});
// This spec reads the event card's content: comfortable cards (a desktop's default is the one-line desk).
test.beforeEach(async ({ page }) => comfortableCards(page));
test.afterAll(async () => {
  await server.stop();
  await receiver.close();
});
test.beforeEach(async ({ page }) => {
  receiver.respondWith(200);
  await signIn(server, page.request);
});

const card = (page: Page, name: string) => page.getByRole('article', { name });

test('each state reads as what it is: Done by whom without a countdown, Expired, Failed with a retry, one shared countdown', async ({ page }) => {
  await page.goto(server.url);
  const done = card(page, STATE_EVENTS.done);
  await expect(done.getByRole('button', { name: 'Refund' })).toBeDisabled();
  await expect(done.getByRole('button', { name: 'Refund' })).toHaveAccessibleDescription(/^High risk\. Done · by owner@example\.com · just now$/);
  await expect(done.getByText(/✓ Done · by owner@example\.com/).first()).toBeVisible();
  // The repeatable one stays pressable, says it was done, and keeps counting.
  await expect(done.getByRole('button', { name: 'Add note' })).toBeEnabled();
  await expect(done.getByRole('button', { name: 'Add note' })).toHaveAccessibleDescription(/^Done · by owner@example\.com · just now Actions expire in 6d 23h$/);
  await expect(done.getByRole('button', { name: 'Refund' })).not.toHaveAccessibleDescription(/expire/);

  const expired = card(page, STATE_EVENTS.expired);
  await expect(expired.getByRole('button', { name: 'Extend trial' })).toBeDisabled();
  await expect(expired.getByRole('button', { name: 'Extend trial' })).toHaveAccessibleDescription('Expired');

  const failed = card(page, STATE_EVENTS.failed);
  await expect(failed.getByRole('button', { name: 'Release payout' })).toBeEnabled();
  await expect(failed.getByRole('button', { name: 'Release payout' })).toHaveAccessibleDescription(/Failed · the receiver answered HTTP 500 · .* · press it again to retry/);
  await expect(failed.getByRole('button', { name: 'Release payout' })).toContainText('↻');

  const ready = card(page, STATE_EVENTS.ready);
  await expect(ready.getByText(/^Actions expire in 1h 59m$/)).toHaveCount(1);
  await expect(ready.getByText(/expires in/)).toHaveCount(0);
  for (const name of ['Ban user', 'Ask to verify', 'Mark safe']) {
    await expect(ready.getByRole('button', { name })).toHaveAccessibleDescription(/Actions expire in 1h 59m/);
  }
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every action label and state text stands at 4.5:1 or more, disabled ones too (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url);
    await expect(card(page, STATE_EVENTS.ready)).toBeVisible();
    const actions = page.getByRole('group', { name: 'Actions' });
    await expect(actions.first()).toBeVisible();
    const measured = [
      ...(await contrastOf(actions.getByRole('button'))),
      ...(await contrastOf(actions.getByRole('link'))),
      ...(await contrastOf(actions.locator('[id] > span, p'))),
    ];
    expect(measured.length).toBeGreaterThan(12);
    const weak = measured.filter((m) => m.ratio < 4.5);
    expect(weak, JSON.stringify(measured)).toEqual([]);
  });
}

test('the confirm step says whom it is about, what it sends, how long it stays valid, and that it cannot be undone', async ({ page }) => {
  await page.goto(server.url);
  const ready = card(page, STATE_EVENTS.ready);
  await ready.getByRole('button', { name: 'Ban user' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Ban user?' });
  await expect(dialog).toContainText('about user u_77');
  await expect(dialog).toContainText('This cannot be undone.');
  await expect(dialog).toContainText(/You can do this for another 1h 59m/);
  await expect(dialog.locator('dt')).toHaveText(['user', 'reason']);
  await expect(dialog.locator('dd')).toHaveText(['77', 'impossible travel']);
  // Cancel: focus goes back to the button that opened it.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(ready.getByRole('button', { name: 'Ban user' })).toBeFocused();
  // Escape too.
  await ready.getByRole('button', { name: 'Mark safe' }).click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(ready.getByRole('button', { name: 'Mark safe' })).toBeFocused();
  // A non-danger action does not claim to be irreversible.
  await ready.getByRole('button', { name: 'Ask to verify' }).click();
  await expect(page.getByRole('alertdialog')).not.toContainText('cannot be undone');
  await page.keyboard.press('Escape');
});

test('while a slow receiver works, the dialog says so; afterwards focus lands on the outcome', async ({ page }) => {
  await page.goto(server.url);
  const ready = card(page, STATE_EVENTS.ready);
  receiver.respondWith(200, '{"ok":true}', 1500);
  await ready.getByRole('button', { name: 'Ask to verify' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Ask to verify' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Waiting for the receiver, up to 8 s');
  await expect(page.getByRole('alertdialog')).toHaveCount(0, { timeout: 15_000 });
  const button = ready.getByRole('button', { name: 'Ask to verify' });
  await expect(button).toBeDisabled();
  await expect(button).toHaveAccessibleDescription(/Done · by owner@example\.com/);
  // The button cannot take focus any more: its outcome does, so a screen reader reads what happened.
  await expect(page.locator(':focus')).toHaveText(/✓ Done · by owner@example\.com/);
});

test('one tab stop per event before its actions: the title link, then the buttons', async ({ page }) => {
  await page.goto(server.url);
  const ready = card(page, STATE_EVENTS.ready);
  await ready.getByRole('link', { name: STATE_EVENTS.ready }).focus();
  await page.keyboard.press('Tab');
  await expect(ready.getByRole('button', { name: 'Ban user' })).toBeFocused();
});
