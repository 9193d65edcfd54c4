/**
 * Decisions that the sender reads back (CONTRACT §11), in Chromium on a phone: a script asks "Deploy
 * 1.4 to production?" with the reply actions `Ship it` (it asks why) and `Hold`, and long-polls for
 * the answer; Ana taps `Ship it`, types why in the confirm step, confirms. The script's poll answers
 * with her answer, `Hold` reads `Not chosen` and cannot be pressed (on a teammate's open page too, live),
 * and the event's page says the answer. Required text keeps the confirm button off while it is empty;
 * a confirm step left open while someone else answers says so and stops.
 */
import { type APIRequestContext, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import type { DecisionDto } from '../contract/decisions.ts';
import { expectNoSeriousViolations } from './fixtures/axe.ts';
import { joinByInvite, type RunningServer, sendEvent, signIn, signInPage, startSeededServer } from './fixtures/server.ts';

const ANA = { name: 'Ana', email: 'ana@example.com', password: 'ana has a long password' };
const PHONE = { width: 390, height: 844 };

let server: RunningServer;
let key: string;
let owner: APIRequestContext;

test.use({ viewport: PHONE });

test.beforeAll(async () => {
  owner = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(owner));
  await (await joinByInvite(server, owner, 'member', ANA)).dispose();
});
test.afterAll(async () => {
  await owner?.dispose();
  await server.stop();
});

/** The script's side: GET the event's decision, waiting up to `wait` seconds for it (started, not awaited). */
function pollDecision(id: string, wait: number): { answer: Promise<{ status: number; body: DecisionDto }>; settled: () => boolean } {
  let done = false;
  const answer = fetch(`${server.url}/api/v1/events/${id}/decision?wait=${wait}`, { headers: { authorization: `Bearer ${key}` } }).then(async (res) => {
    done = true;
    return { status: res.status, body: (await res.json()) as DecisionDto };
  });
  return { answer, settled: () => done };
}

const card = (page: Page, name: string) => page.getByRole('article', { name });

test('Ana answers “Ship it” with a reason: the script’s long poll gets it, Hold reads Not chosen (live on a teammate’s page too), the event’s page says the answer', async ({ page, browser }) => {
  const reason = 'Canary clean for two hours.\nRollback plan is in the runbook.';
  const { id } = await sendEvent(server, key, {
    name: 'Deploy 1.4 to production?',
    avatar: '🚀',
    actions: [
      { reply: true, key: 'ship', buttonText: 'Ship it', input: { label: 'Why?' } },
      { reply: true, key: 'hold', buttonText: 'Hold' },
    ],
  });
  const poll = pollDecision(id, 30);

  // The owner has the event's page open on another device while Ana answers.
  const other = await (await browser.newContext({ viewport: PHONE })).newPage();
  await signIn(server, other.request);
  await other.goto(`${server.url}/events/${id}`);
  await expect(other.getByRole('region', { name: 'Answer' })).toContainText('Waiting for an answer · expires in');

  await signInPage(page, server, ANA);
  const deploy = card(page, 'Deploy 1.4 to production?');
  await deploy.getByRole('button', { name: 'Ship it' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Ship it?' });
  // A reply calls no URL: the step says the answer is recorded for the sender to read back.
  await expect(dialog).toContainText('Switchboard will record “Ship it” as the answer to “Deploy 1.4 to production?”');
  await expect(dialog).toContainText('The sender reads it back');
  await expect(dialog).not.toContainText('will send a request');
  await expect(dialog.getByText('Show the full URL')).toHaveCount(0);
  const why = dialog.getByLabel('Why?');
  await expect(why).toBeFocused();
  await expectNoSeriousViolations(page, 'a reply’s confirm step with a text field');
  await why.fill(reason);
  await expect(dialog).toContainText(`${reason.length} / 2,000`);

  // Nothing is decided yet: the script is still waiting.
  expect(poll.settled()).toBe(false);
  await dialog.getByRole('button', { name: 'Ship it' }).click();
  await expect(dialog).toHaveCount(0);

  const { status, body } = await poll.answer;
  expect(status).toBe(200);
  expect(body).toMatchObject({ id, status: 'decided', key: 'ship', buttonText: 'Ship it', input: reason, decidedBy: { email: ANA.email, name: ANA.name } });

  const ship = deploy.getByRole('button', { name: 'Ship it' });
  await expect(ship).toBeDisabled();
  await expect(ship).toHaveAccessibleDescription(/Answered · by Ana/);
  for (const p of [page, other]) {
    const hold = p.getByRole('button', { name: 'Hold' });
    await expect(hold).toBeDisabled();
    await expect(hold).toHaveAccessibleDescription('Not chosen');
    await expect(p.getByText('Not chosen', { exact: true })).toBeVisible();
    expect((await hold.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  }
  // The teammate's page says the answer without a reload.
  const answer = other.getByRole('region', { name: 'Answer' });
  await expect(answer).toContainText('Answered: Ship it');
  await expect(answer.getByRole('blockquote')).toHaveText(reason);

  // Ana's own view of the event's page: the answer, what she typed (as text), who, when; the press in the history.
  await page.goto(`${server.url}/events/${id}`);
  const section = page.getByRole('region', { name: 'Answer' });
  await expect(section).toContainText('Answered: Ship it');
  await expect(section.getByRole('blockquote')).toHaveText(reason);
  await expect(section).toContainText('Why?');
  await expect(section).toContainText('by Ana');
  const press = page.getByRole('region', { name: 'Action history' }).getByRole('listitem').filter({ hasText: 'Ship it #1' });
  await expect(press).toContainText('Answered');
  await expect(press).toContainText('Why? Canary clean for two hours.');
  await other.context().close();
});

test('required text: the confirm button stays off while the field is empty (or blank); Enter starts a new line; Ctrl+Enter answers', async ({ page }) => {
  const { id } = await sendEvent(server, key, {
    name: 'Restart the billing workers?',
    actions: [
      { reply: true, key: 'yes', buttonText: 'Restart', input: { label: 'Ticket number', required: true, maxLength: 40 } },
      { reply: true, key: 'no', buttonText: 'Leave them' },
    ],
  });
  await signInPage(page, server, ANA);
  await page.goto(`${server.url}/events/${id}`);
  await page.getByRole('button', { name: 'Restart' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Restart?' });
  const field = dialog.getByLabel('Ticket number');
  const confirm = dialog.getByRole('button', { name: 'Restart' });
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute('required', '');
  await expect(field).toHaveAttribute('maxlength', '40');
  await expect(confirm).toBeDisabled();
  await field.fill('   ');
  await expect(confirm).toBeDisabled();
  await field.fill('');
  await field.pressSequentially('OPS-4471');
  await expect(confirm).toBeEnabled();
  await field.press('Enter');
  await field.pressSequentially('paged');
  await expect(field).toHaveValue('OPS-4471\npaged');
  await expect(dialog).toBeVisible();
  await field.fill('');
  await expect(confirm).toBeDisabled();
  await field.fill('OPS-4471');
  await field.press('Control+Enter');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Answer' })).toContainText('Answered: Restart');
  await expect(page.getByRole('button', { name: 'Leave them' })).toHaveAccessibleDescription('Not chosen');
});

test('a confirm step left open while someone else answers says who chose what, and its confirm button stops', async ({ page }) => {
  const { id } = await sendEvent(server, key, {
    name: 'Fail over to eu-west?',
    actions: [
      { reply: true, key: 'go', buttonText: 'Fail over' },
      { reply: true, key: 'wait', buttonText: 'Wait' },
    ],
  });
  await signInPage(page, server, ANA);
  await page.goto(`${server.url}/events/${id}`);
  await page.getByRole('button', { name: 'Wait' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Wait?' });
  await expect(dialog.getByRole('button', { name: 'Wait' })).toBeEnabled();

  // The owner answers first, from another device.
  const pressed = await owner.post(`${server.url}/api/events/${id}/actions/go/trigger`, { data: {}, headers: { origin: server.url } });
  expect(pressed.status()).toBe(200);
  await expect(dialog.getByRole('status')).toHaveText('owner@example.com already answered “Fail over”. Your answer will not be recorded.');
  await expect(dialog.getByRole('button', { name: 'Wait' })).toBeDisabled();

  // The server refuses a late answer with 409 decided; the app says it in a sentence.
  const late = await owner.post(`${server.url}/api/events/${id}/actions/wait/trigger`, { data: {}, headers: { origin: server.url } });
  expect(late.status()).toBe(409);
  expect(((await late.json()) as { error: { code: string } }).error.code).toBe('decided');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Wait' })).toHaveAccessibleDescription('Not chosen');
  await expect(page.getByRole('button', { name: /^Fail over/ })).toHaveAccessibleDescription(/Answered · by owner@example.com/);
});

test('the server’s refusal of the typed text is said beside the field, which keeps the text and takes the focus back', async ({ page }) => {
  const { id } = await sendEvent(server, key, {
    name: 'Pause the newsletter?',
    actions: [
      { reply: true, key: 'pause', buttonText: 'Pause', input: { label: 'Until when?', required: true } },
      { reply: true, key: 'send', buttonText: 'Send it' },
    ],
  });
  await signInPage(page, server, ANA);
  await page.goto(`${server.url}/events/${id}`);
  // The app checks the text as the server does; a refusal it could not foresee (a rule changed since
  // the app loaded) stands in for the server here, once.
  const trigger = `**/api/events/${id}/actions/pause/trigger`;
  let sent: unknown = null;
  await page.route(trigger, async (route) => {
    sent = route.request().postDataJSON();
    await route.fulfill({ status: 400, json: { error: { code: 'invalid_field', field: 'input', message: 'input must name a date' } } });
  });
  await page.getByRole('button', { name: 'Pause' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Pause?' });
  const field = dialog.getByLabel('Until when?');
  await field.fill('  next week  ');
  await dialog.getByRole('button', { name: 'Pause' }).click();
  await expect(field).toHaveAccessibleDescription(/Input must name a date\./);
  // What was sent: the trimmed text, as `{"input": …}`.
  expect(sent).toEqual({ input: 'next week' });
  await expect(dialog.getByRole('alert').filter({ hasText: 'Input must name a date.' })).toBeVisible();
  await expect(field).toHaveValue('  next week  ');
  await expect(field).toBeFocused();
  // Changing the text clears the refusal; the real server takes it.
  await page.unroute(trigger);
  await field.fill('Monday 9:00');
  await expect(dialog.getByText('Input must name a date.')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Pause' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Answer' }).getByRole('blockquote')).toHaveText('Monday 9:00');
});
