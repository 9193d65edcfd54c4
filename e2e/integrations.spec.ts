/**
 * Settings → Integrations (CONTRACT §13): an admin adds a GitHub integration with its signing secret
 * and sees its URL once (Copy, how to set GitHub up); after a reload it is listed without it; Rotate
 * gives a new URL; Delete (a red confirm that says deliveries will be refused) removes it. A member
 * does not see the section. An Uptime Kuma delivery posted to its URL appears in the feed.
 */
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { joinByInvite, type RunningServer, signIn, signInPage, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let owner: APIRequestContext;
const MEMBER = { name: 'Mo Member', email: 'mo@example.com', password: 'a long enough password' };

test.beforeAll(async () => {
  owner = await playwrightRequest.newContext();
  ({ server } = await startSeededServer(owner));
  await (await joinByInvite(server, owner, 'member', MEMBER)).dispose();
});
test.afterAll(async () => {
  await owner.dispose();
  await server.stop();
});

const section = (page: Page) => page.getByRole('region', { name: 'Integrations' });
const HOOK_URL = /^https?:\/\/[^/]+\/api\/v1\/hooks\/github\/[\w-]+$/;

async function openIntegrations(page: Page): Promise<void> {
  await signIn(server, page.request);
  await page.goto(`${server.url}/settings`);
  await expect(section(page).getByRole('heading', { name: 'Integrations', exact: true })).toBeVisible();
}

async function expectNoViolations(page: Page): Promise<void> {
  await page.waitForTimeout(300);
  const { violations } = await new AxeBuilder({ page })
    .include('section[aria-labelledby="integrations"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
}

test('an admin adds a GitHub integration, sees its URL once, rotates it and deletes it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await openIntegrations(page);
  const integrations = section(page);
  await expect(page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Integrations' })).toBeVisible();
  await expect(integrations.getByText('No integrations yet.')).toBeVisible();

  // The signing secret is asked for GitHub and Stripe only, with where the sender shows it.
  const source = integrations.getByLabel('Source');
  await expect(integrations.getByLabel('Signing secret')).toHaveCount(0);
  await source.selectOption({ label: 'Stripe' });
  await expect(integrations.getByLabel('Signing secret')).toHaveAccessibleDescription(/whsec_/);
  await source.selectOption({ label: 'GitHub' });
  const secret = integrations.getByLabel('Signing secret');
  await expect(secret).toHaveAccessibleDescription(/Secret/);
  // The server's refusal is said under the field it names.
  await secret.fill('   ');
  await integrations.getByRole('button', { name: 'Add integration' }).click();
  await expect(secret).toHaveAttribute('aria-invalid', 'true');
  await expect(secret).toHaveAccessibleDescription('secret must not be empty');
  await secret.fill('the-secret-we-chose-for-github');
  await integrations.getByRole('button', { name: 'Add integration' }).click();

  // The URL, once: focused, with Copy and how to point GitHub at it.
  const field = integrations.getByLabel('URL for GitHub');
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(HOOK_URL);
  await expect(field).toHaveAccessibleDescription(/shown only once/);
  const url = await field.inputValue();
  const token = url.slice(url.lastIndexOf('/') + 1);
  await expect(integrations).toContainText('Payload URL');
  await expect(integrations).toContainText('application/json');
  await expect(secret).toHaveValue('');
  // Named "Copy URL", then "Copied URL" for two seconds.
  const copy = integrations.getByRole('button', { name: /^Cop(y|ied) URL$/ });
  await expect(copy).toHaveAccessibleName('Copy URL');
  expect((await copy.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await copy.click();
  await expect(copy).toHaveAccessibleName('Copied URL');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  const list = integrations.getByRole('list', { name: 'Integrations' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  const row = list.getByRole('listitem').first();
  await expect(row).toContainText('GitHub');
  await expect(row).toContainText('No deliveries yet');
  await expect(row).toContainText('owner@example.com');
  const prefix = ((await row.locator('code').first().textContent()) ?? '').replace(/…$/, '');
  expect(token.startsWith(prefix)).toBe(true);
  await expectNoViolations(page);

  // After a reload it is listed, and its URL is nowhere.
  await page.reload();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(integrations.getByLabel('URL for GitHub')).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  // Rotate: confirmed in the app's dialog (Cancel first), then a new URL, shown once.
  await integrations.getByRole('button', { name: `Rotate GitHub ${prefix}` }).click();
  let dialog = page.getByRole('alertdialog', { name: 'Rotate the GitHub URL?' });
  await expect(dialog).toContainText('stops working at once');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Rotate URL' }).click();
  await expect(dialog).toHaveCount(0);
  const rotated = integrations.getByLabel('New URL for GitHub');
  await expect(rotated).toBeFocused();
  await expect(rotated).toHaveValue(HOOK_URL);
  const newUrl = await rotated.inputValue();
  expect(newUrl).not.toBe(url);
  await expect(rotated).toHaveAccessibleDescription(/old URL no longer works/);
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await integrations.getByRole('button', { name: 'Done' }).click();
  await expect(rotated).toHaveCount(0);

  // Delete: a red confirm that says the sender's deliveries will be refused; then the list is empty.
  const newPrefix = ((await row.locator('code').first().textContent()) ?? '').replace(/…$/, '');
  expect(newUrl.slice(newUrl.lastIndexOf('/') + 1).startsWith(newPrefix)).toBe(true);
  await integrations.getByRole('button', { name: `Delete GitHub ${newPrefix}` }).click();
  dialog = page.getByRole('alertdialog', { name: 'Delete the GitHub integration?' });
  await expect(dialog).toContainText('deliveries to it will be refused');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expectNoViolations(page);
  await dialog.getByRole('button', { name: 'Delete integration' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(integrations.getByText('No integrations yet.')).toBeVisible();
  await expect(integrations.getByRole('heading', { name: 'Integrations', exact: true })).toBeFocused();
});

test('a member does not see Integrations, and asks for nothing the server would refuse', async ({ page }) => {
  const refused: string[] = [];
  page.on('response', (res) => {
    if (res.status() === 403) refused.push(new URL(res.url()).pathname);
  });
  await signInPage(page, server, MEMBER);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
  await expect(page.getByText('Only admins of Default see and change them. You are a member here.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Integrations', exact: true })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Integrations' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Add integration' })).toHaveCount(0);
  expect(refused).toEqual([]);
});

test('Alertmanager’s snippet; an Uptime Kuma delivery to the shown URL appears in the feed, and the list says when it came', async ({ page }) => {
  await openIntegrations(page);
  const integrations = section(page);
  // Alertmanager's hint is a snippet to paste, the URL in it.
  await integrations.getByLabel('Source').selectOption({ label: 'Prometheus Alertmanager' });
  await integrations.getByRole('button', { name: 'Add integration' }).click();
  const alertmanager = await integrations.getByLabel('URL for Prometheus Alertmanager').inputValue();
  await expect(integrations.locator('pre')).toHaveText(`webhook_configs:\n  - url: '${alertmanager}'`);
  await expectNoViolations(page);

  await integrations.getByLabel('Source').selectOption({ label: 'Uptime Kuma' });
  await expect(integrations.getByLabel('Signing secret')).toHaveCount(0);
  await integrations.getByRole('button', { name: 'Add integration' }).click();
  const field = integrations.getByLabel('URL for Uptime Kuma');
  await expect(field).toHaveValue(/\/api\/v1\/hooks\/uptime-kuma\/[\w-]+$/);
  await expect(integrations).toContainText('Webhook');
  // The URL as shown (this server's own address: it has no PUBLIC_URL), posted to as Uptime Kuma would.
  const url = await field.inputValue();
  expect(url.startsWith(`${server.url}/api/v1/hooks/uptime-kuma/`)).toBe(true);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      heartbeat: { status: 0, msg: 'timeout', time: '2026-12-07 10:00:00', monitorID: 3 },
      monitor: { id: 3, name: 'Shop', url: 'https://shop.example.com' },
      msg: '[Shop] [🔴 Down] timeout',
    }),
  });
  expect(res.status, await res.text()).toBeLessThan(300);

  await page.goto(server.url);
  await expect(page.getByRole('article', { name: 'Shop is down: timeout' })).toBeVisible();
  await page.goto(`${server.url}/settings`);
  await expect(integrations.getByRole('list', { name: 'Integrations' }).getByRole('listitem').filter({ hasText: 'Uptime Kuma' })).toContainText('Last delivery');
});

test('a Stripe integration is made before Stripe shows its secret, and given the secret on its row', async ({ page }) => {
  await openIntegrations(page);
  const integrations = section(page);
  await integrations.getByLabel('Source').selectOption({ label: 'Stripe' });
  await expect(integrations.getByLabel('Signing secret')).toHaveAccessibleDescription(/leave this empty/);
  await integrations.getByRole('button', { name: 'Add integration' }).click();
  await expect(integrations.getByLabel('URL for Stripe')).toBeVisible();
  await integrations.getByRole('button', { name: 'Done' }).click();
  const warning = integrations.getByText('Needs its signing secret');
  await expect(warning).toBeVisible();
  await integrations.getByRole('button', { name: /^Set the secret of Stripe/ }).click();
  const field = integrations.getByLabel('Signing secret for Stripe');
  await expect(field).toBeFocused();
  await expectNoViolations(page);
  await field.fill('whsec_from_the_dashboard');
  await integrations.getByRole('button', { name: 'Save secret' }).click();
  await expect(warning).toHaveCount(0);
  await expect(page.getByText('Stripe signing secret saved.')).toBeAttached();
  await expect(integrations.getByRole('button', { name: /^Replace the secret of Stripe/ })).toHaveText('Secret');
});
