/**
 * Single sign-on in Chromium: a real OpenID Connect provider (oidc-provider, with its own login and
 * consent pages) and the real server. `Sign in with Company SSO` on the sign-in page, the provider's
 * login form filled, consent given, and the person lands in the feed of the project their groups
 * give, with their account made on the way.
 *
 * The app is opened at `localhost` and the provider lives at `127.0.0.1`: two sites, so the redirect
 * back is a cross-site top-level navigation, as with a real provider. The sign-in's cookie is
 * SameSite=Lax, which such a navigation carries (Strict would not: the sign-in would fail as expired).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { startOidcProvider, type TestProvider } from '../test/fixtures/oidcProvider.ts';
import { freePort, type ServerProcess, spawnServer } from '../test/fixtures/serverProcess.ts';
import { expectNoSeriousViolations } from './fixtures/axe.ts';
import { OWNER } from './fixtures/server.ts';

const SECRET = 'the e2e client secret 4c1d';

let provider: TestProvider;
let server: ServerProcess;
let dataDir: string;
/** The app as people open it: PUBLIC_URL, on another site than the provider. */
let app: string;

test.beforeAll(async () => {
  provider = await startOidcProvider();
  const port = await freePort();
  app = `http://localhost:${port}`;
  provider.addClient({ client_id: 'switchboard', client_secret: SECRET, redirect_uris: [`${app}/api/auth/oidc/callback`] });
  provider.people.set('mia', { email: 'mia@example.com', name: 'Mia Wong', groups: ['payments-team', 'unrelated'] });
  dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  server = await spawnServer(dataDir, port, {
    PUBLIC_URL: app,
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: 'switchboard',
    OIDC_CLIENT_SECRET: SECRET,
    OIDC_NAME: 'Company SSO',
    OIDC_ROLES: 'payments-team=payments:member,ops-admins=default:admin',
    OIDC_SCOPES: 'openid email profile groups',
  });
  // The owner makes the Payments project, with a key and an event in it.
  const token = /#token=([\w-]+)/.exec(server.output())![1];
  const request = await playwrightRequest.newContext();
  const headers = { origin: server.url };
  expect((await request.post(`${server.url}/api/auth/setup`, { data: { token, ...OWNER }, headers })).status()).toBe(201);
  expect((await request.post(`${server.url}/api/projects`, { data: { name: 'Payments', slug: 'payments' }, headers })).status()).toBe(201);
  const key = ((await (await request.post(`${server.url}/api/projects/payments/keys`, { data: { name: 'e2e' }, headers })).json()) as { key: string }).key;
  const sent = await request.post(`${server.url}/api/v1/log`, { data: { name: 'Refund requested', avatar: '💸', category: 'billing' }, headers: { authorization: `Bearer ${key}` } });
  expect(sent.status()).toBe(201);
  await request.dispose();
});
test.afterAll(async () => {
  await server?.stop();
  await provider?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('Sign in with Company SSO: the provider’s login and consent, then the feed of the project the groups give', async ({ page }) => {
  await page.goto(app);
  const sso = page.getByRole('link', { name: 'Sign in with Company SSO' });
  await expect(sso).toBeVisible();
  // A touch target of 44 px, and nothing on the page axe objects to.
  expect((await sso.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await expectNoSeriousViolations(page, 'sign-in with single sign-on');

  await sso.click();
  // The provider's own pages, on its own site.
  await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/interaction/`));
  await page.getByPlaceholder('Enter any login').fill('mia');
  await page.getByPlaceholder('and password').fill('whatever the provider takes');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();

  // Back in the app, signed in, in Payments (her only project), with its feed.
  await expect(page.getByRole('combobox', { name: 'Project' })).toHaveValue('payments');
  expect(page.url().startsWith(app)).toBe(true);
  await expect(page.getByRole('article', { name: 'Refund requested' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();

  // The sign-in's cookie is gone; the session's is HttpOnly and Lax.
  const cookies = await page.context().cookies(app);
  expect(cookies.find((c) => c.name === 'sb_oidc')).toBeUndefined();
  expect(cookies.find((c) => c.name === 'sb_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  const status = await page.evaluate(async () => (await fetch('/api/auth/status')).json());
  expect(status.user).toMatchObject({ email: 'mia@example.com', name: 'Mia Wong' });
});

test('groups that give no project: the page says why, and nobody is signed in', async ({ page }) => {
  provider.people.set('outsider', { email: 'outsider@example.com', groups: ['marketing'] });
  await page.goto(app);
  await page.getByRole('link', { name: 'Sign in with Company SSO' }).click();
  await page.getByPlaceholder('Enter any login').fill('outsider');
  await page.getByPlaceholder('and password').fill('x');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'No access to Switchboard' })).toBeVisible();
  await expect(page.getByText('is not in a group that gives access to any project here')).toBeVisible();
  await expect(page.getByText('Your groups at Company SSO: marketing.')).toBeVisible();
  await page.getByRole('link', { name: 'Back to sign-in' }).click();
  await expect(page.getByRole('link', { name: 'Sign in with Company SSO' })).toBeVisible();
});
