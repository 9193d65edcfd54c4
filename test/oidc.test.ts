/**
 * Single sign-on (OpenID Connect) against a real provider: oidc-provider on 127.0.0.1 (its own
 * signing key, PKCE required, people with a `groups` claim), and the app listening on a port of its
 * own, driven like a browser (a cookie jar, the provider's real login and consent pages, its real
 * redirects). Nothing of either library is replaced.
 *
 * Covered: the first sign-in makes an account bound to issuer + subject with the memberships the
 * groups give; changed groups change roles and remove memberships at the next sign-in (audited), and
 * leave unmanaged projects and the owner role alone; groups that give nothing are refused with a page
 * that says so; a tampered state or `iss`, a replayed callback, a missing cookie and an ID token made
 * for another client are refused, without a session; an email that has a password account is not
 * taken over; OIDC_ONLY refuses a member's password but not the owner's; `returnTo` goes nowhere but
 * the app's own pages; the provider's key rotation is followed; bad OIDC_* stop the server with one
 * line and exit 2. The log never holds the client secret or a token.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditPage, AuthStatus } from '../contract/api.ts';
import { buildApp } from '../server/app.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { loadConfig } from '../server/config.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import type { AppStore } from '../server/store/types.ts';
import { CookieBrowser, formOf, type Hop } from './fixtures/cookieBrowser.ts';
import { startOidcProvider, type TestProvider } from './fixtures/oidcProvider.ts';
import { freePort, ROOT } from './fixtures/serverProcess.ts';
import { makeStore, OWNER_EMAIL, OWNER_PASSWORD, sessionFor, TEST_STORE, tempDir } from './helpers.ts';

const SECRET = 'a client secret only the test knows 7f3a';
const ROLES = 'ops-admins=default:admin,ops=default:member,ops-viewers=payments:viewer,payments=payments:member';
const CALLBACK = '/api/auth/oidc/callback';

interface SsoApp {
  base: string;
  store: AppStore;
  clientId: string;
  /** Every line the app logged. */
  log: string[];
  ownerCookie: string;
  close(): Promise<void>;
}

let provider: TestProvider;
let sso: SsoApp;
const opened: SsoApp[] = [];

/** The app on a port of its own, registered at the provider as a client with its redirect URI. */
async function ssoApp(env: Record<string, string> = {}): Promise<SsoApp> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const clientId = `switchboard-${port}`;
  provider.addClient({ client_id: clientId, client_secret: SECRET, redirect_uris: [`${base}${CALLBACK}`] });
  const made = await makeStore();
  const log: string[] = [];
  const config = loadConfig({
    DATA_DIR: made.dir,
    DIST_DIR: '/nonexistent',
    PUBLIC_URL: base,
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: clientId,
    OIDC_CLIENT_SECRET: SECRET,
    OIDC_NAME: 'Company SSO',
    OIDC_ROLES: ROLES,
    OIDC_SCOPES: 'openid email profile groups',
    ...env,
  });
  const app = await buildApp({ config, store: made.store, logger: { level: 'trace', stream: { write: (line: string) => void log.push(line) } } });
  await app.listen({ port, host: '127.0.0.1' });
  await made.store.projects.create('payments', 'Payments', Date.now());
  await made.store.projects.create('side', 'Side', Date.now());
  const owner = await made.store.users.create(OWNER_EMAIL, await hashPassword(OWNER_PASSWORD), 'owner', Date.now(), 'Olga');
  const made2: SsoApp = {
    base,
    store: made.store,
    clientId,
    log,
    ownerCookie: await sessionFor(made.store, owner.id),
    async close() {
      await app.close();
      await made.close();
    },
  };
  opened.push(made2);
  return made2;
}

beforeAll(async () => {
  provider = await startOidcProvider();
  sso = await ssoApp();
});
afterAll(async () => {
  for (const app of opened) await app.close();
  await provider?.close();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A hop to the app's callback: where the provider sends the browser back. */
const toCallback = (app: SsoApp) => (url: string) => url.startsWith(`${app.base}${CALLBACK}`);

/**
 * Starts a sign-in in `browser` and goes through the provider's pages as `login` (its login form,
 * then its consent form); stops before the callback and returns its URL, and the authorization URL.
 */
async function throughProvider(app: SsoApp, browser: CookieBrowser, login: string, start = '/api/auth/oidc/start'): Promise<{ callback: string; authorization: URL }> {
  let { last, hops, stoppedAt } = await browser.follow(`${app.base}${start}`, {}, toCallback(app));
  const authorization = new URL(hops[0]!.location!);
  for (let i = 0; i < 3 && !stoppedAt; i++) {
    expect(last.status, last.body.slice(0, 300)).toBe(200);
    const form = formOf(last.body, last.url);
    const fields = form.fields.prompt === 'login' ? { ...form.fields, login, password: 'whatever the dev login takes' } : form.fields;
    ({ last, stoppedAt } = await browser.follow(form.action, { form: fields }, toCallback(app)));
  }
  if (!stoppedAt) throw new Error(`never came back to the app: ${last.status} ${last.body.slice(0, 500)}`);
  return { callback: stoppedAt, authorization };
}

/** A whole sign-in as `login` in a fresh browser: the callback's answer, and the browser. */
async function signIn(app: SsoApp, login: string, browser = new CookieBrowser()): Promise<{ hop: Hop; browser: CookieBrowser }> {
  const { callback } = await throughProvider(app, browser, login);
  return { hop: await browser.request(callback), browser };
}

const sessionSet = (hop: Hop) => hop.setCookies.some((c) => /^sb_session=[^;]+/.test(c));

async function status(app: SsoApp, browser: CookieBrowser): Promise<AuthStatus> {
  const res = await fetch(`${app.base}/api/auth/status`, { headers: { cookie: browser.cookieHeader(`${app.base}/api/auth/status`) } });
  return (await res.json()) as AuthStatus;
}

async function roles(app: SsoApp, email: string): Promise<Record<string, string | null>> {
  const user = await app.store.users.byEmail(email);
  if (!user) return {};
  return Object.fromEntries((await app.store.projects.forUser(user.id)).map((p) => [p.slug, p.member_role]));
}

async function audit(app: SsoApp, slug: string, kind: string): Promise<AuditPage['entries']> {
  const res = await fetch(`${app.base}/api/projects/${slug}/audit?kind=${kind}`, { headers: { cookie: app.ownerCookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as AuditPage).entries;
}

describe('the sign-in page and the start', () => {
  it('the status offers `Sign in with Company SSO` and says a password works for everyone', async () => {
    const res = await fetch(`${sso.base}/api/auth/status`);
    const body = (await res.json()) as AuthStatus;
    expect(body.oidc).toEqual({ name: 'Company SSO', startUrl: '/api/auth/oidc/start' });
    expect(body.passwordSignIn).toBe('everyone');
  });

  it('starts with a 302 to the provider: code flow, PKCE S256, state and nonce, the configured redirect URI; the cookie is HttpOnly, SameSite=Lax, 10 minutes, for the two routes only', async () => {
    const res = await fetch(`${sso.base}/api/auth/oidc/start`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(provider.issuer);
    const q = Object.fromEntries(to.searchParams);
    expect(q).toMatchObject({ response_type: 'code', client_id: sso.clientId, redirect_uri: `${sso.base}${CALLBACK}`, code_challenge_method: 'S256', scope: 'openid email profile groups' });
    for (const name of ['state', 'nonce', 'code_challenge']) expect(q[name]?.length, name).toBeGreaterThanOrEqual(43);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sb_oidc='))!;
    expect(cookie).toMatch(/; Max-Age=600/);
    expect(cookie).toMatch(/; Path=\/api\/auth\/oidc/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    // The cookie is a handle, not the state: state, nonce and verifier stay on the server.
    const token = /^sb_oidc=([^;]+)/.exec(cookie)![1]!;
    expect([q.state, q.nonce]).not.toContain(token);
  });
});

describe('memberships follow the groups', () => {
  it('the first sign-in makes an account bound to issuer and subject, with the roles the groups give, audited', async () => {
    provider.people.set('mia', { email: 'mia@example.com', name: 'Mia Wong', groups: ['ops', 'ops-viewers', 'unrelated'] });
    const { hop, browser } = await signIn(sso, 'mia');
    expect(hop.status).toBe(302);
    expect(hop.location).toBe(`${sso.base}/`);
    expect(sessionSet(hop)).toBe(true);
    // The sign-in's cookie is spent.
    expect(hop.setCookies.find((c) => c.startsWith('sb_oidc='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    const me = await status(sso, browser);
    expect(me.user).toMatchObject({ email: 'mia@example.com', name: 'Mia Wong', role: 'member' });
    expect(await roles(sso, 'mia@example.com')).toEqual({ default: 'member', payments: 'viewer' });
    expect(await sso.store.oidc.userFor(provider.issuer, 'mia')).toBe(me.user!.id);
    expect((await audit(sso, 'default', 'oidc.membership_added')).map((e) => [e.subject, e.detail, e.actor.email])).toEqual([['mia@example.com', { role: 'member' }, 'mia@example.com']]);
    expect((await audit(sso, 'payments', 'oidc.membership_added')).map((e) => e.detail)).toEqual([{ role: 'viewer' }]);
    // Her session works like any other.
    const feed = await fetch(`${sso.base}/api/projects/payments/events`, { headers: { cookie: browser.cookieHeader(`${sso.base}/api`) } });
    expect(feed.status).toBe(200);
  });

  it('changed groups change her roles and remove what they no longer give, at the next sign-in; a project OIDC does not manage and the owner role stay', async () => {
    const mia = (await sso.store.users.byEmail('mia@example.com'))!;
    const side = (await sso.store.projects.bySlug('side'))!;
    await sso.store.members.add(side.id, mia.id, 'admin', Date.now());
    const before = new CookieBrowser();
    provider.people.set('mia', { email: 'mia@example.com', groups: ['ops-admins', 'payments'] });
    await signIn(sso, 'mia', before);
    expect(await roles(sso, 'mia@example.com')).toEqual({ default: 'admin', payments: 'member', side: 'admin' });
    expect((await audit(sso, 'default', 'oidc.membership_changed')).map((e) => e.detail)).toEqual([{ from: 'member', to: 'admin' }]);

    provider.people.set('mia', { email: 'mia@example.com', groups: ['ops-admins'] });
    const { hop } = await signIn(sso, 'mia');
    expect(hop.status).toBe(302);
    expect(await roles(sso, 'mia@example.com')).toEqual({ default: 'admin', side: 'admin' });
    expect((await audit(sso, 'payments', 'oidc.membership_removed')).map((e) => [e.subject, e.detail])).toEqual([['mia@example.com', { role: 'member' }]]);
    // The session of her earlier sign-in lost the project at once.
    const gone = await fetch(`${sso.base}/api/projects/payments/events`, { headers: { cookie: before.cookieHeader(`${sso.base}/api`) } });
    expect(gone.status).toBe(404);

    // Made an owner by an owner: single sign-on neither keeps nor takes that.
    await sso.store.users.setRole(mia.id, 'owner');
    provider.people.set('mia', { email: 'mia@example.com', groups: ['ops'] });
    const again = await signIn(sso, 'mia');
    expect((await status(sso, again.browser)).user?.role).toBe('owner');
    expect(await roles(sso, 'mia@example.com')).toMatchObject({ default: 'member' });
    await sso.store.users.setRole(mia.id, 'member');
  });

  it('groups that give nothing: a page that says so, no session; an existing account loses its managed memberships, and no account is made for a newcomer', async () => {
    provider.people.set('mia', { email: 'mia@example.com', groups: ['unrelated'] });
    const { hop } = await signIn(sso, 'mia');
    expect(hop.status).toBe(403);
    expect(hop.contentType).toMatch(/^text\/html/);
    expect(hop.body).toContain('No access to Switchboard');
    expect(hop.body).toContain('is not in a group that gives access to any project here');
    expect(hop.body).toContain('Your groups at Company SSO: unrelated.');
    expect(sessionSet(hop)).toBe(false);
    expect(await roles(sso, 'mia@example.com')).toEqual({ side: 'admin' });
    expect((await audit(sso, 'default', 'oidc.membership_removed')).map((e) => e.detail)).toEqual([{ role: 'member' }]);

    provider.people.set('nobody', { email: 'nobody@example.com', groups: [] });
    const newcomer = await signIn(sso, 'nobody');
    expect(newcomer.hop.status).toBe(403);
    expect(newcomer.hop.body).toContain('Company SSO sent no groups for your account');
    expect(sessionSet(newcomer.hop)).toBe(false);
    expect(await sso.store.users.byEmail('nobody@example.com')).toBeUndefined();
  });

  it('an email that has a password account is not taken over: refused with a page, the account untouched and its password still works', async () => {
    const ana = await sso.store.users.create('ana@example.com', await hashPassword('ana’s own password'), 'member', Date.now(), 'Ana');
    await sso.store.members.add((await sso.store.projects.bySlug('side'))!.id, ana.id, 'viewer', Date.now());
    provider.people.set('ana-at-the-provider', { email: 'Ana@Example.com', groups: ['ops-admins'] });
    const { hop } = await signIn(sso, 'ana-at-the-provider');
    expect(hop.status).toBe(409);
    expect(hop.body).toContain('This email already has an account');
    expect(hop.body).toContain('single sign-on never takes over an existing account');
    expect(sessionSet(hop)).toBe(false);
    expect(await sso.store.oidc.userFor(provider.issuer, 'ana-at-the-provider')).toBeNull();
    expect(await roles(sso, 'ana@example.com')).toEqual({ side: 'viewer' });
    const password = await fetch(`${sso.base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { origin: sso.base, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ana@example.com', password: 'ana’s own password' }),
    });
    expect(password.status).toBe(200);
  });

  it('an email the provider has not verified is not used: refused, no account', async () => {
    provider.people.set('unverified', { email: 'ceo@example.com', emailVerified: false, groups: ['ops-admins'] });
    const { hop } = await signIn(sso, 'unverified');
    expect(hop.status).toBe(403);
    expect(hop.body).toContain('did not give a verified email address');
    expect(sessionSet(hop)).toBe(false);
    expect(await sso.store.users.byEmail('ceo@example.com')).toBeUndefined();
  });

  it('returnTo lands on the page the person started from; any other place is refused, naming returnTo', async () => {
    provider.people.set('raj', { email: 'raj@example.com', groups: ['payments'] });
    const browser = new CookieBrowser();
    const { callback } = await throughProvider(sso, browser, 'raj', `/api/auth/oidc/start?returnTo=${encodeURIComponent('/p/payments/events/abc?q=refund')}`);
    const hop = await browser.request(callback);
    expect(hop.status).toBe(302);
    expect(hop.location).toBe(`${sso.base}/p/payments/events/abc?q=refund`);
    for (const bad of ['https://evil.example/', '//evil.example/', '/\\evil.example', '/%5Cevil.example', 'javascript:alert(1)', '/api/keys', '/nowhere/at/all', ' /p/payments']) {
      const res = await fetch(`${sso.base}/api/auth/oidc/start?returnTo=${encodeURIComponent(bad)}`, { redirect: 'manual', headers: { accept: 'application/json' } });
      expect(res.status, bad).toBe(400);
      expect((await res.json()).error, bad).toMatchObject({ code: 'invalid_field', field: 'returnTo' });
      expect(res.headers.get('location'), bad).toBeNull();
      expect(res.headers.getSetCookie().some((c) => c.startsWith('sb_oidc=')), bad).toBe(false);
    }
  });
});

describe('an attacker at the callback', () => {
  /** A newcomer whose groups would let them in: only the check under test stands in the way. */
  const newcomer = (login: string) => provider.people.set(login, { email: `${login}@example.com`, groups: ['ops'] });

  async function refusedWithoutSession(hop: Hop, login: string, status = 400) {
    expect(hop.status, hop.body.slice(0, 300)).toBe(status);
    expect(hop.contentType).toMatch(/^text\/html/);
    expect(hop.body).toContain('Back to sign-in');
    expect(sessionSet(hop)).toBe(false);
    expect(await sso.store.users.byEmail(`${login}@example.com`)).toBeUndefined();
  }

  it('a changed state is refused (a login CSRF: the attacker’s callback in the victim’s browser)', async () => {
    newcomer('attacker');
    const attacker = new CookieBrowser();
    const attackerCallback = (await throughProvider(sso, attacker, 'attacker')).callback;
    // The victim has a sign-in of their own under way; the attacker makes their browser open the attacker's callback.
    const victim = new CookieBrowser();
    await victim.request(`${sso.base}/api/auth/oidc/start`);
    await refusedWithoutSession(await victim.request(attackerCallback), 'attacker');

    newcomer('tamper');
    const browser = new CookieBrowser();
    const { callback } = await throughProvider(sso, browser, 'tamper');
    const changed = new URL(callback);
    changed.searchParams.set('state', `${changed.searchParams.get('state')}x`);
    const hop = await browser.request(changed.href);
    await refusedWithoutSession(hop, 'tamper');
    expect(hop.body).toContain('did not check out');
  });

  it('a callback with another issuer (`iss`) is refused', async () => {
    newcomer('mixup');
    const browser = new CookieBrowser();
    const { callback } = await throughProvider(sso, browser, 'mixup');
    const changed = new URL(callback);
    expect(changed.searchParams.get('iss')).toBe(provider.issuer);
    changed.searchParams.set('iss', 'https://evil.example');
    await refusedWithoutSession(await browser.request(changed.href), 'mixup');
  });

  it('the cookie is one-time: a replayed callback, even with the old cookie put back, is refused; so is one without the cookie', async () => {
    newcomer('replay');
    const browser = new CookieBrowser();
    const { callback } = await throughProvider(sso, browser, 'replay');
    const kept = browser.cookie('sb_oidc')!;
    const first = await browser.request(callback);
    expect(first.status).toBe(302);
    // Again, with the very same cookie.
    const again = await fetch(callback, { redirect: 'manual', headers: { accept: 'text/html', cookie: `sb_oidc=${kept.value}` } });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This sign-in has expired');
    expect(again.headers.getSetCookie().some((c) => c.startsWith('sb_session='))).toBe(false);

    newcomer('nocookie');
    const other = new CookieBrowser();
    const started = await throughProvider(sso, other, 'nocookie');
    other.forget('sb_oidc');
    const hop = await other.request(started.callback);
    await refusedWithoutSession(hop, 'nocookie');
    expect(hop.body).toContain('This sign-in has expired');
    // A program (no HTML wanted) gets the JSON error naming the field.
    const json = await fetch(started.callback, { redirect: 'manual', headers: { accept: 'application/json' } });
    expect(json.status).toBe(400);
    expect((await json.json()).error).toMatchObject({ code: 'sign_in_expired', field: 'state' });
  });

  it('an ID token made for another client (swapped into the token answer, same person and nonce) is refused', async () => {
    const other = { client_id: 'another-app', client_secret: 'another app secret', redirect_uris: ['http://127.0.0.1:9/cb'] };
    provider.addClient(other);
    newcomer('swapped');
    const browser = new CookieBrowser();
    // The app's sign-in gets as far as the provider's pages; its nonce is in the authorization URL.
    const started = await browser.follow(`${sso.base}/api/auth/oidc/start`);
    const nonce = new URL(started.hops[0]!.location!).searchParams.get('nonce')!;
    // The attacker signs the same person in at another client, with that nonce, and keeps its ID token.
    const verifier = 'v'.repeat(50);
    const challenge = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url');
    const side = new CookieBrowser();
    const authorize = new URL(`${provider.issuer}/auth`);
    for (const [k, v] of Object.entries({ client_id: other.client_id, redirect_uri: other.redirect_uris[0]!, response_type: 'code', scope: 'openid', nonce, state: 'side-state-12345', code_challenge: challenge, code_challenge_method: 'S256' })) authorize.searchParams.set(k, v);
    let step = await side.follow(authorize.href, {}, (u) => u.startsWith('http://127.0.0.1:9/'));
    for (let i = 0; i < 3 && !step.stoppedAt; i++) {
      const form = formOf(step.last.body, step.last.url);
      step = await side.follow(form.action, { form: form.fields.prompt === 'login' ? { ...form.fields, login: 'swapped', password: 'x' } : form.fields }, (u) => u.startsWith('http://127.0.0.1:9/'));
    }
    const code = new URL(step.stoppedAt!).searchParams.get('code')!;
    const token = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${other.client_id}:${encodeURIComponent(other.client_secret).replace(/%20/g, '+')}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: other.redirect_uris[0]!, code_verifier: verifier }).toString(),
    });
    expect(token.status).toBe(200);
    const foreign = ((await token.json()) as { id_token: string }).id_token;
    expect(JSON.parse(Buffer.from(foreign.split('.')[1]!, 'base64url').toString()).aud).toBe('another-app');

    // On the wire between the app and the provider, the attacker puts it in the app's token answer.
    provider.beforeToken = (body) => {
      body.id_token = foreign;
    };
    try {
      let last = started.last;
      let stoppedAt: string | null = null;
      for (let i = 0; i < 3 && !stoppedAt; i++) {
        const form = formOf(last.body, last.url);
        ({ last, stoppedAt } = await browser.follow(form.action, { form: form.fields.prompt === 'login' ? { ...form.fields, login: 'swapped', password: 'x' } : form.fields }, toCallback(sso)));
      }
      await refusedWithoutSession(await browser.request(stoppedAt!), 'swapped');
    } finally {
      provider.beforeToken = null;
    }
    // It was the audience that failed, said in the log by its code only.
    expect(sso.log.join('\n')).toMatch(/"code":"check:OAUTH_JWT_CLAIM_COMPARISON_FAILED"/);
  });

  it('never logs the client secret, a code or a token', async () => {
    const seen: string[] = [];
    provider.beforeToken = (body) => {
      for (const key of ['access_token', 'id_token', 'refresh_token']) if (typeof body[key] === 'string') seen.push(body[key] as string);
    };
    provider.people.set('logged', { email: 'logged@example.com', groups: ['ops'] });
    try {
      const browser = new CookieBrowser();
      const { callback } = await throughProvider(sso, browser, 'logged');
      seen.push(new URL(callback).searchParams.get('code')!, browser.cookie('sb_oidc')!.value);
      expect((await browser.request(callback)).status).toBe(302);
    } finally {
      provider.beforeToken = null;
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    const log = sso.log.join('\n');
    expect(log).toContain('signed in through single sign-on');
    for (const secret of [SECRET, ...seen]) expect(log.includes(secret), secret.slice(0, 12)).toBe(false);
  });
});

describe('when the provider says no or cannot be reached', () => {
  it('Cancel at the provider: a page saying it did not sign you in (access_denied), no session', async () => {
    const browser = new CookieBrowser();
    const { last } = await browser.follow(`${sso.base}/api/auth/oidc/start`);
    const cancel = /href="([^"]+)"[^>]*>\[ Cancel \]/.exec(last.body)![1]!.replace(/&amp;/g, '&');
    const { stoppedAt } = await browser.follow(new URL(cancel, last.url).href, {}, toCallback(sso));
    expect(new URL(stoppedAt!).searchParams.get('error')).toBe('access_denied');
    const hop = await browser.request(stoppedAt!);
    expect(hop.status).toBe(403);
    expect(hop.body).toContain('The provider did not sign you in (access_denied)');
    expect(sessionSet(hop)).toBe(false);
  });

  it('a provider that cannot be reached: 502 with a page; once it is back, the next start finds it', async () => {
    const port = await freePort();
    const made = await makeStore();
    const config = loadConfig({ DATA_DIR: made.dir, DIST_DIR: '/nonexistent', PUBLIC_URL: 'http://127.0.0.1:9', OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_CLIENT_ID: 'late', OIDC_CLIENT_SECRET: SECRET, OIDC_ROLES: ROLES });
    const app = await buildApp({ config, store: made.store });
    let late: TestProvider | null = null;
    try {
      for (let i = 0; i < 2; i++) {
        const res = await app.inject({ method: 'GET', url: '/api/auth/oidc/start', headers: { accept: 'text/html' } });
        expect(res.statusCode).toBe(502);
        expect(res.body).toContain('The sign-in provider cannot be reached');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      late = await startOidcProvider(port);
      late.addClient({ client_id: 'late', client_secret: SECRET, redirect_uris: [`http://127.0.0.1:9${CALLBACK}`] });
      const res = await app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/auth\\?`));
    } finally {
      await late?.close();
      await app.close();
      await made.close();
    }
  });
});

describe('the provider rotates its signing key', () => {
  it('a token signed with a new key is checked against the key set fetched again', async () => {
    provider.people.set('rot', { email: 'rot@example.com', groups: ['ops'] });
    expect((await signIn(sso, 'rot')).hop.status).toBe(302);
    const oldKid = provider.kid();
    await provider.rotateKeys();
    expect(provider.kid()).not.toBe(oldKid);
    // openid-client fetches the key set again for an unknown key once the one it has is a minute old.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    const { hop } = await signIn(sso, 'rot');
    expect(hop.status, hop.body.slice(0, 400)).toBe(302);
    expect(sessionSet(hop)).toBe(true);
  });
});

describe('OIDC_ONLY=true', () => {
  let only: SsoApp;
  beforeAll(async () => {
    only = await ssoApp({ OIDC_ONLY: 'true' });
    const member = await only.store.users.create('member@example.com', await hashPassword('member password 1'), 'member', Date.now());
    await only.store.members.add(DEFAULT_PROJECT_ID, member.id, 'member', Date.now());
  });

  const passwordSignIn = (email: string, password: string) =>
    fetch(`${only.base}/api/auth/sign-in`, { method: 'POST', headers: { origin: only.base, 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

  it('says a password is for owners, refuses a member’s right password with 403 sso_only (a wrong one is the usual 401), and lets the owner in', async () => {
    expect(((await (await fetch(`${only.base}/api/auth/status`)).json()) as AuthStatus).passwordSignIn).toBe('owners');
    const member = await passwordSignIn('member@example.com', 'member password 1');
    expect(member.status).toBe(403);
    const body = (await member.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('sso_only');
    expect(body.error.message).toContain('Sign in with Company SSO');
    expect(member.headers.getSetCookie().some((c) => c.startsWith('sb_session='))).toBe(false);
    expect((await passwordSignIn('member@example.com', 'not the password')).status).toBe(401);
    expect((await passwordSignIn(OWNER_EMAIL, OWNER_PASSWORD)).status).toBe(200);
  });

  it('a new account from an invite is refused too; signing in through the provider works', async () => {
    const invite = await fetch(`${only.base}/api/invites/accept`, {
      method: 'POST',
      headers: { origin: only.base, 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'any token', email: 'new@example.com', password: 'a new password 1', name: 'New' }),
    });
    expect(invite.status).toBe(403);
    expect(((await invite.json()) as { error: { code: string } }).error.code).toBe('sso_only');
    provider.people.set('only-person', { email: 'only@example.com', groups: ['ops'] });
    const { hop, browser } = await signIn(only, 'only-person');
    expect(hop.status).toBe(302);
    expect((await status(only, browser)).user?.email).toBe('only@example.com');
  });
});

describe('without single sign-on', () => {
  it('both routes answer 404 and the status offers none', async () => {
    const made = await makeStore();
    const app = await buildApp({ config: loadConfig({ DATA_DIR: made.dir, DIST_DIR: '/nonexistent' }), store: made.store });
    try {
      for (const url of ['/api/auth/oidc/start', `${CALLBACK}?code=x&state=y`]) {
        expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
        const page = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
        expect(page.statusCode).toBe(404);
        expect(page.body).toContain('Single sign-on is not set up');
      }
      expect((await app.inject({ method: 'GET', url: '/api/auth/status' })).json()).toMatchObject({ oidc: null, passwordSignIn: 'everyone' });
    } finally {
      await app.close();
      await made.close();
    }
  });
});

describe('OIDC_* checked at start', () => {
  const good = { PUBLIC_URL: 'https://ops.example.com', OIDC_ISSUER: 'https://id.example.com/realms/ops', OIDC_CLIENT_ID: 'switchboard', OIDC_CLIENT_SECRET: 'shh', OIDC_ROLES: ROLES };

  it('reads a good configuration, with its defaults', () => {
    const oidc = loadConfig(good).oidc!;
    expect(oidc).toMatchObject({ issuer: 'https://id.example.com/realms/ops', name: 'SSO', groupsClaim: 'groups', only: false, scopes: 'openid email profile', redirectUri: 'https://ops.example.com/api/auth/oidc/callback' });
    expect(oidc.roles).toEqual([
      { group: 'ops-admins', project: 'default', role: 'admin' },
      { group: 'ops', project: 'default', role: 'member' },
      { group: 'ops-viewers', project: 'payments', role: 'viewer' },
      { group: 'payments', project: 'payments', role: 'member' },
    ]);
    expect(loadConfig({ ...good, OIDC_ROLES: 'CN=Ops Admins=ops:admin' }).oidc!.roles).toEqual([{ group: 'CN=Ops Admins', project: 'ops', role: 'admin' }]);
    expect(loadConfig({ ...good, OIDC_ISSUER: 'http://127.0.0.1:8443' }).oidc!.issuer).toBe('http://127.0.0.1:8443');
    expect(loadConfig({}).oidc).toBeNull();
  });

  it('refuses what cannot work, naming the variable (and the entry), never echoing the secret', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ OIDC_ISSUER: 'http://id.example.com' }, /^OIDC_ISSUER must be the provider's https URL/],
      [{ OIDC_ISSUER: 'not a url' }, /^OIDC_ISSUER must be/],
      [{ OIDC_ISSUER: 'https://user:pw@id.example.com' }, /^OIDC_ISSUER must be/],
      [{ OIDC_CLIENT_SECRET: '' }, /^OIDC_CLIENT_SECRET is required with OIDC_ISSUER/],
      [{ OIDC_CLIENT_ID: ' ' }, /^OIDC_CLIENT_ID is required/],
      [{ OIDC_ROLES: '' }, /^OIDC_ROLES is required/],
      [{ OIDC_ROLES: 'ops-admins=default:boss' }, /^OIDC_ROLES entry "ops-admins=default:boss" has the role "boss": it must be viewer, member or admin/],
      [{ OIDC_ROLES: 'ops=default:member,broken' }, /^OIDC_ROLES entry "broken" is not group=project:role/],
      [{ OIDC_ROLES: 'ops=Default Project:member' }, /^OIDC_ROLES entry "ops=Default Project:member" names "Default Project", which is not a project's slug/],
      [{ OIDC_ROLES: 'ops=default:owner' }, /^OIDC_ROLES entry "ops=default:owner" gives the owner role/],
      [{ OIDC_ROLES: 'ops=default:member,ops=default:admin' }, /a second time/],
      [{ OIDC_ONLY: 'sometimes' }, /^OIDC_ONLY must be true or false \(got "sometimes"\)/],
      [{ OIDC_SCOPES: 'email profile' }, /^OIDC_SCOPES must be space-separated scopes that include openid/],
      [{ PUBLIC_URL: '' }, /^OIDC_ISSUER needs PUBLIC_URL/],
    ];
    for (const [change, message] of cases) {
      expect(() => loadConfig({ ...good, ...change }), JSON.stringify(change)).toThrow(message);
    }
    expect(() => loadConfig({ ...good, OIDC_ROLES: '' })).not.toThrow(/shh/);
    // Any OIDC_* without the issuer.
    expect(() => loadConfig({ OIDC_CLIENT_ID: 'switchboard' })).toThrow(/^OIDC_CLIENT_ID is set but OIDC_ISSUER is not/);
    expect(() => loadConfig({ OIDC_ONLY: 'true' })).toThrow(/^OIDC_ONLY is set but OIDC_ISSUER is not/);
  });

  it.skipIf(TEST_STORE === 'postgres')('stops the real server with one line and exit 2', () => {
    const dir = tempDir();
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '', ...good, ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const cases: [Record<string, string>, string][] = [
      [{ OIDC_ISSUER: 'http://id.example.com' }, `switchboard: OIDC_ISSUER must be the provider's https URL, such as https://id.example.com/realms/ops (http only on localhost or 127.0.0.1) (got "http://id.example.com")\n`],
      [{ OIDC_ROLES: 'ops-admins=default:admin,ops=default' }, 'switchboard: OIDC_ROLES entry "ops=default" is not group=project:role (each entry is group=project:role, such as ops-admins=default:admin)\n'],
      [{ OIDC_CLIENT_SECRET: '' }, "switchboard: OIDC_CLIENT_SECRET is required with OIDC_ISSUER: the client secret the provider gave Switchboard\n"],
    ];
    for (const [env, line] of cases) {
      const result = run(env);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toBe(line);
    }
  });
});
