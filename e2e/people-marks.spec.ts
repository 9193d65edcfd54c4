/**
 * People that text alone cannot fake: a mark made from each account (not its name or email) beside
 * each person in Settings → Members, on each key's maker and on Activity; the key list names who made
 * each key; removing someone offers to revoke the keys they made, and does.
 */
import { spawnSync } from 'node:child_process';
import { type APIRequestContext, expect, type Locator, type Page, request as playwrightRequest, test } from '@playwright/test';
import { joinByInvite, OWNER, type RunningServer, signInPage, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
const PASSWORD = 'a long enough password';
/** Two people with the same name: only their emails (and their marks) tell them apart. */
const ADMIN_MARIA = { name: 'Maria Ruiz', email: 'maria@example.com' };
const MEMBER_MARIA = { name: 'Maria Ruiz', email: 'maria.ruiz@example.com' };
const MARK = /^account [0-9a-f]{6}$/;

/** An invite made by the owner, taken by a new account (kept signed in). */
const join = (owner: APIRequestContext, role: 'member' | 'admin', who: { name: string; email: string }) => joinByInvite(server, owner, role, { ...who, password: PASSWORD });

test.beforeAll(async () => {
  const owner = await playwrightRequest.newContext();
  // The owner and their key "e2e".
  ({ server } = await startSeededServer(owner));
  const admin = await join(owner, 'admin', ADMIN_MARIA);
  const key = await admin.post(`${server.url}/api/projects/default/keys`, { data: { name: 'maria-deploy' }, headers: { origin: server.url } });
  expect(key.status(), await key.text()).toBe(201);
  await admin.dispose();
  await (await join(owner, 'member', MEMBER_MARIA)).dispose();
  // A second admin, so that removing Maria leaves the project one (the owner does not count as one).
  await (await join(owner, 'admin', { name: 'Ada', email: 'ada@example.com' })).dispose();
  await owner.dispose();
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'apikey:create', '--name', 'cli-key'], {
    env: { ...process.env, DATA_DIR: server.dataDir },
    encoding: 'utf8',
  });
  expect(cli.status, cli.stderr).toBe(0);
});
test.afterAll(async () => {
  await server.stop();
});

const row = (page: Page, email: string) =>
  page.getByRole('table', { name: 'Members of Default' }).getByRole('row').filter({ has: page.getByRole('cell', { name: email, exact: true }) });
const keyItem = (page: Page, name: string) => page.getByRole('list', { name: 'API keys' }).getByRole('listitem').filter({ hasText: name });
const markOf = (scope: Locator) => scope.getByRole('img', { name: MARK }).getAttribute('aria-label');

test('marks tell apart two people with the same name; keys name their maker; removing an admin revokes the keys they made', async ({ page }) => {
  await signInPage(page, server, OWNER);
  await page.getByRole('link', { name: 'Settings' }).click();

  // Each person has a mark; the two Marias look alike by name but not by mark.
  const admin = row(page, ADMIN_MARIA.email);
  const member = row(page, MEMBER_MARIA.email);
  await expect(admin).toContainText(ADMIN_MARIA.name);
  await expect(member).toContainText(MEMBER_MARIA.name);
  await expect(admin.getByRole('img', { name: MARK })).toBeVisible();
  await expect(member.getByRole('img', { name: MARK })).toBeVisible();
  const adminMark = await markOf(admin);
  const memberMark = await markOf(member);
  const ownerMark = await markOf(row(page, OWNER.email));
  expect(adminMark).not.toBe(memberMark);
  expect(new Set([adminMark, memberMark, ownerMark]).size).toBe(3);
  // Small: it must not make the dense table taller than a row of buttons.
  const box = (await admin.getByRole('img', { name: MARK }).boundingBox())!;
  expect(box.height).toBeLessThanOrEqual(20);
  expect(box.width).toBeLessThanOrEqual(40);

  // The key list names each key's maker, with the same mark as in Members.
  await expect(keyItem(page, 'maria-deploy')).toContainText(`by ${ADMIN_MARIA.email}`);
  expect(await markOf(keyItem(page, 'maria-deploy'))).toBe(adminMark);
  await expect(keyItem(page, 'e2e')).toContainText(`by ${OWNER.email}`);
  await expect(keyItem(page, 'cli-key')).toContainText('by the CLI');
  await expect(keyItem(page, 'cli-key').getByRole('img')).toHaveCount(0);

  // The member made no keys: her Remove asks nothing more (in the confirm dialog).
  await member.getByRole('button', { name: `Remove ${MEMBER_MARIA.name} (${MEMBER_MARIA.email})`, exact: true }).click();
  const memberDialog = page.getByRole('alertdialog', { name: `Remove ${MEMBER_MARIA.name} (${MEMBER_MARIA.email})?` });
  await expect(memberDialog).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /Also revoke/ })).toHaveCount(0);
  await memberDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(memberDialog).toHaveCount(0);

  // The admin made one: Remove offers to revoke it, ticked; confirmed, she and her key are gone.
  await admin.getByRole('button', { name: `Remove ${ADMIN_MARIA.name} (${ADMIN_MARIA.email})`, exact: true }).click();
  const adminDialog = page.getByRole('alertdialog', { name: `Remove ${ADMIN_MARIA.name} (${ADMIN_MARIA.email})?` });
  const revoke = adminDialog.getByRole('checkbox', { name: 'Also revoke the API key they made' });
  await expect(revoke).toBeChecked();
  await expect(adminDialog).toContainText('maria-deploy');
  await adminDialog.getByRole('button', { name: `Remove ${ADMIN_MARIA.name} (${ADMIN_MARIA.email}) now`, exact: true }).click();
  await expect(row(page, ADMIN_MARIA.email)).toHaveCount(0);
  await expect(keyItem(page, 'maria-deploy')).toHaveCount(0);
  await expect(keyItem(page, 'e2e')).toBeVisible();
  await expect(keyItem(page, 'cli-key')).toBeVisible();
  await expect(row(page, MEMBER_MARIA.email)).toBeVisible();

  // Activity: the actor's mark and the address the request came from; the CLI has no mark.
  await page.getByRole('link', { name: 'Activity' }).click();
  const activity = page.getByRole('list', { name: 'Activity' });
  const removed = activity.getByRole('listitem').filter({ hasText: 'Removed a member' });
  await expect(removed).toContainText(ADMIN_MARIA.email);
  expect(await markOf(removed)).toBe(ownerMark);
  await expect(removed).toContainText(/from (::ffff:)?127\.0\.0\.1/);
  await expect(activity.getByRole('listitem').filter({ hasText: 'Revoked an API key' }).filter({ hasText: 'maria-deploy' })).toBeVisible();
  const cliMade = activity.getByRole('listitem').filter({ hasText: 'Created an API key' }).filter({ hasText: 'cli-key' });
  await expect(cliMade).toContainText('CLI');
  await expect(cliMade.getByRole('img')).toHaveCount(0);
  const adminMade = activity.getByRole('listitem').filter({ hasText: 'Created an API key' }).filter({ hasText: 'maria-deploy' });
  expect(await markOf(adminMade)).toBe(adminMark);
});

test('pending invites come a page at a time: the first 50, then "Show more" for the rest', async ({ page }) => {
  const owner = await playwrightRequest.newContext();
  const signedIn = await owner.post(`${server.url}/api/auth/sign-in`, { data: OWNER, headers: { origin: server.url } });
  expect(signedIn.status()).toBe(200);
  expect((await owner.post(`${server.url}/api/projects`, { data: { name: 'Many', slug: 'many' }, headers: { origin: server.url } })).status()).toBe(201);
  for (let i = 0; i < 52; i++) {
    const made = await owner.post(`${server.url}/api/projects/many/invites`, { data: { role: 'viewer' }, headers: { origin: server.url } });
    expect(made.status()).toBe(201);
  }
  await owner.dispose();

  await signInPage(page, server, OWNER);
  await page.goto(`${server.url}/p/many/settings`);
  const pending = page.getByRole('list', { name: 'Pending invites' }).getByRole('listitem');
  await expect(pending).toHaveCount(50);
  await page.getByRole('button', { name: 'Show more' }).click();
  await expect(pending).toHaveCount(52);
  await expect(page.getByRole('button', { name: 'Show more' })).toHaveCount(0);
});
