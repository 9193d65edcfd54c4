/** The session API: setup link, sign-in/out, cookies, CSRF guard, API keys, password storage. */
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody, ApiKeyDto, AuthStatus, CreatedApiKey, Me } from '../contract/api.ts';
import { issueSetupToken } from '../server/auth/setup.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { ingest, makeApp, OWN_ORIGIN, OWNER_EMAIL, OWNER_PASSWORD, sessionCookie, TEST_STORE, type TestApp } from './helpers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.cleanup();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = { origin: OWN_ORIGIN }) =>
  t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });

describe('setup link', () => {
  it('creates the owner once with a valid token, refuses a wrong token and a second use', async () => {
    const token = (await issueSetupToken(t.store))!;
    expect(token).toBeTruthy();
    const status = await t.app.inject({ method: 'GET', url: '/api/auth/status' });
    expect(status.json<AuthStatus>()).toEqual({ setupRequired: true, user: null, sessionExpiresAt: null, remoteImages: 'load', webhookTimeoutMs: 10_000, oidc: null, passwordSignIn: 'everyone' });

    const wrong = await post('/api/auth/setup', { token: 'wrong-token', email: 'boss@example.com', password: 'long enough pw' });
    expect(wrong.statusCode).toBe(403);
    expect(await t.store.users.count()).toBe(0);

    const ok = await post('/api/auth/setup', { token, email: 'boss@example.com', password: 'long enough pw' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json<Me>().email).toBe('boss@example.com');
    expect((await t.store.users.byEmail('boss@example.com'))?.role).toBe('owner');
    // The answer signs the new owner in.
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/status', headers: { cookie: sessionCookie(ok) } });
    expect(me.json<AuthStatus>()).toMatchObject({ setupRequired: false, user: { email: 'boss@example.com' } });

    const again = await post('/api/auth/setup', { token, email: 'intruder@example.com', password: 'long enough pw' });
    expect(again.statusCode).toBe(403);
    expect(await t.store.users.count()).toBe(1);
  });

  it('keeps one token until it is used: every start (a restart, a second instance) prints the same link', async () => {
    const first = (await issueSetupToken(t.store))!;
    expect(await issueSetupToken(t.store)).toBe(first);
    expect(await issueSetupToken(t.store)).toBe(first);
    const ok = await post('/api/auth/setup', { token: first, email: 'boss@example.com', password: 'long enough pw' });
    expect(ok.statusCode).toBe(201);
    expect(await issueSetupToken(t.store)).toBeNull();
  });

  it('issues no token once a user exists', async () => {
    await t.signIn();
    expect(await issueSetupToken(t.store)).toBeNull();
  });

  it('names the owner and the first project at setup (audited), and refuses a hidden name', async () => {
    const token = (await issueSetupToken(t.store))!;
    const hidden = await post('/api/auth/setup', { token, email: 'boss@example.com', password: 'long enough pw', name: 'Ana\u202e' });
    expect([hidden.statusCode, hidden.json<ApiErrorBody>().error.field]).toEqual([400, 'name']);
    const ok = await post('/api/auth/setup', { token, email: 'boss@example.com', password: 'long enough pw', name: ' Ana Owner ', projectName: 'Payments' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json<Me>().name).toBe('Ana Owner');
    const projects = await t.app.inject({ method: 'GET', url: '/api/projects', headers: { cookie: sessionCookie(ok) } });
    expect(projects.json<{ projects: { slug: string; name: string }[] }>().projects[0]).toMatchObject({ slug: 'default', name: 'Payments' });
    const audit = await t.app.inject({ method: 'GET', url: '/api/projects/default/audit', headers: { cookie: sessionCookie(ok) } });
    expect(audit.json<{ entries: { kind: string; subject: string }[] }>().entries[0]).toMatchObject({ kind: 'project.renamed', subject: 'Payments' });
  });

  it('refuses a password shorter than 10 characters with 400 naming the field', async () => {
    const token = (await issueSetupToken(t.store))!;
    const res = await post('/api/auth/setup', { token, email: 'boss@example.com', password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(res.json<ApiErrorBody>().error.field).toBe('password');
    expect(await t.store.users.count()).toBe(0);
  });
});

describe('sign-in and sign-out', () => {
  it('sets an HttpOnly SameSite=Lax session cookie on success', async () => {
    await t.signIn();
    const res = await post('/api/auth/sign-in', { email: OWNER_EMAIL, password: OWNER_PASSWORD });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^sb_session=[^;]+;/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const secure = await makeApp({ env: { PUBLIC_URL: 'https://ops.example.com' } });
    try {
      await secure.signIn();
      const res = await secure.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        headers: { origin: 'https://ops.example.com' },
        payload: { email: OWNER_EMAIL, password: OWNER_PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/;\s*Secure/);
    } finally {
      await secure.cleanup();
    }
  });

  it('refuses a wrong password and an unknown email with 401 and no cookie', async () => {
    await t.signIn();
    const wrong = await post('/api/auth/sign-in', { email: OWNER_EMAIL, password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const unknown = await post('/api/auth/sign-in', { email: 'nobody@example.com', password: OWNER_PASSWORD });
    expect(unknown.statusCode).toBe(401);
  });

  it('rate-limits repeated sign-in attempts with 429 and Retry-After', async () => {
    await t.signIn();
    let last = await post('/api/auth/sign-in', { email: OWNER_EMAIL, password: 'guess 0' });
    for (let i = 1; i < 40 && last.statusCode !== 429; i++) {
      expect(last.statusCode).toBe(401);
      last = await post('/api/auth/sign-in', { email: OWNER_EMAIL, password: `guess ${i}` });
    }
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Even the right password is refused while limited.
    const right = await post('/api/auth/sign-in', { email: OWNER_EMAIL, password: OWNER_PASSWORD });
    expect(right.statusCode).toBe(429);
  });

  it('tells the app who is signed in, with the role, when the session ends and how remote images load', async () => {
    const cookie = await t.signIn();
    const status = (await t.app.inject({ method: 'GET', url: '/api/auth/status', headers: { cookie } })).json<AuthStatus>();
    expect(status.user).toEqual({ id: expect.any(String), email: OWNER_EMAIL, name: '', role: 'owner', locale: null });
    const ends = Date.parse(status.sessionExpiresAt ?? '');
    expect(ends - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);
    expect(ends - Date.now()).toBeLessThanOrEqual(30 * 24 * 3600_000);
    expect(status.remoteImages).toBe('load');
    // Only the contract's fields: nothing of the session itself.
    expect(Object.keys(status.user ?? {}).sort()).toEqual(['email', 'id', 'locale', 'name', 'role']);
    const tap = await makeApp({ env: { REMOTE_IMAGES: 'tap' } });
    try {
      expect((await tap.app.inject({ method: 'GET', url: '/api/auth/status' })).json<AuthStatus>().remoteImages).toBe('tap');
    } finally {
      await tap.cleanup();
    }
    expect(() => loadConfig({ REMOTE_IMAGES: 'sometimes' })).toThrow(ConfigError);
  });

  it('ends the session on sign-out: the feed then answers 401', async () => {
    const cookie = await t.signIn();
    expect((await t.app.inject({ method: 'GET', url: '/api/events', headers: { cookie } })).statusCode).toBe(200);
    const out = await post('/api/auth/sign-out', {}, { cookie, origin: OWN_ORIGIN });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect((await t.app.inject({ method: 'GET', url: '/api/events', headers: { cookie } })).statusCode).toBe(401);
  });

  for (const url of ['/api/events', '/api/stream', '/api/keys', '/api/categories']) {
    it(`answers GET ${url} with 401 when signed out`, async () => {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
      expect(res.json<ApiErrorBody>().error.code).toBe('unauthenticated');
    });
  }

  it('answers 401 for a forged session cookie', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/events', headers: { cookie: 'sb_session=forged' } });
    expect(res.statusCode).toBe(401);
  });

  it('answers 401, not 500, for a session cookie with a malformed %-escape', async () => {
    for (const url of ['/api/events', '/api/auth/status', '/api/stream']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: 'sb_session=%E0%A4%A' } });
      expect(res.statusCode, url).toBeLessThan(500);
    }
    const out = await post('/api/auth/sign-out', {}, { cookie: 'sb_session=%', origin: OWN_ORIGIN });
    expect(out.statusCode).toBe(204);
  });

  it('finds the session among odd cookies, and takes an undecodable or altered one for no session', async () => {
    const cookie = await t.signIn();
    const status = (header: string) => t.app.inject({ method: 'GET', url: '/api/auth/status', headers: { cookie: header } });
    // Other cookies with a broken %-escape, a value holding '=', or no '=' at all do not hide it.
    for (const header of [`theme=%E0%A4%A; ${cookie}`, `a=b=c; ${cookie}; z=%`, `flag; ${cookie}`]) {
      const res = await status(header);
      expect(res.statusCode, header).toBe(200);
      expect(res.json<AuthStatus>().user?.email, header).toBe(OWNER_EMAIL);
    }
    // Signed out, never a 500: a broken %-escape, a token with more after it, and a broken first
    // sb_session (the first one counts) before the real one.
    for (const header of ['sb_session=%E0%A4%A', `${cookie}=`, `${cookie}%41`, `sb_session=%E0%A4%A; ${cookie}`]) {
      const res = await status(header);
      expect(res.statusCode, header).toBe(200);
      expect(res.json<AuthStatus>().user, header).toBeNull();
      const feed = await t.app.inject({ method: 'GET', url: '/api/events', headers: { cookie: header } });
      expect(feed.statusCode, header).toBe(401);
      expect(feed.json<ApiErrorBody>().error.code, header).toBe('unauthenticated');
    }
    const out = await post('/api/auth/sign-out', {}, { cookie: 'sb_session=%E0%A4%A', origin: OWN_ORIGIN });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^sb_session=;.*Max-Age=0/);
    // The real session was not ended by any of that.
    expect((await t.app.inject({ method: 'GET', url: '/api/events', headers: { cookie } })).statusCode).toBe(200);
  });
});

describe('API keys', () => {
  it('shows the key once at creation; the list holds name, dates and no secret', async () => {
    const cookie = await t.signIn();
    const res = await post('/api/keys', { name: 'billing app' }, { cookie, origin: OWN_ORIGIN });
    expect(res.statusCode).toBe(201);
    const created = res.json<CreatedApiKey>();
    expect(created.key).toMatch(/^sb_/);
    expect(created.name).toBe('billing app');

    const listed = await t.app.inject({ method: 'GET', url: '/api/keys', headers: { cookie } });
    const before = listed.json<{ keys: ApiKeyDto[] }>().keys;
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ id: created.id, name: 'billing app', lastUsedAt: null });
    expect(Date.parse(before[0]!.createdAt)).not.toBeNaN();
    expect(listed.body).not.toContain(created.key);
    expect(before[0]).not.toHaveProperty('key');

    // The secret works for ingest, and using it shows up as lastUsedAt.
    expect((await ingest(t.app, created.key, { name: 'x' })).statusCode).toBe(201);
    const after = (await t.app.inject({ method: 'GET', url: '/api/keys', headers: { cookie } })).json<{ keys: ApiKeyDto[] }>().keys;
    expect(after[0]!.lastUsedAt).not.toBeNull();
  });

  // Reads the api_keys row with raw SQL (the repositories never return the hash): SQLite only.
  it.skipIf(TEST_STORE === 'postgres')('stores only a hash of the key', async () => {
    const cookie = await t.signIn();
    const created = (await post('/api/keys', { name: 'k' }, { cookie, origin: OWN_ORIGIN })).json<CreatedApiKey>();
    const row = t.sqlite!.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(created.id) as Record<string, unknown>;
    expect(Object.values(row)).not.toContain(created.key);
  });

  it('revokes a key: it leaves the list and stops working', async () => {
    const cookie = await t.signIn();
    const created = (await post('/api/keys', { name: 'temp' }, { cookie, origin: OWN_ORIGIN })).json<CreatedApiKey>();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/keys/${created.id}`, headers: { cookie, origin: OWN_ORIGIN }, payload: {} });
    expect(del.statusCode).toBe(204);
    const list = (await t.app.inject({ method: 'GET', url: '/api/keys', headers: { cookie } })).json<{ keys: ApiKeyDto[] }>();
    expect(list.keys).toEqual([]);
    expect((await ingest(t.app, created.key, { name: 'x' })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/keys/${created.id}`, headers: { cookie, origin: OWN_ORIGIN }, payload: {} });
    expect(again.statusCode).toBe(404);
  });

  it('refuses to create a key without a session', async () => {
    const res = await post('/api/keys', { name: 'x' });
    expect(res.statusCode).toBe(401);
    expect(await t.store.apiKeys.list(DEFAULT_PROJECT_ID)).toEqual([]);
  });
});

describe('cross-site guard', () => {
  it('refuses POST /api/keys with a foreign Origin, without Origin, or marked cross-site', async () => {
    const cookie = await t.signIn();
    const foreign = await post('/api/keys', { name: 'x' }, { cookie, origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    const none = await post('/api/keys', { name: 'x' }, { cookie });
    expect(none.statusCode).toBe(403);
    const crossSite = await post('/api/keys', { name: 'x' }, { cookie, origin: OWN_ORIGIN, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json<ApiErrorBody>().error.code).toBe('cross_site_request');
    expect(await t.store.apiKeys.list(DEFAULT_PROJECT_ID)).toEqual([]);
  });

  it('refuses sign-in from a foreign Origin', async () => {
    await t.signIn();
    const res = await post('/api/auth/sign-in', { email: OWNER_EMAIL, password: OWNER_PASSWORD }, { origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('does not apply to ingest, which needs no Origin', async () => {
    expect((await ingest(t.app, await t.apiKey(), { name: 'x' }, { origin: 'https://other.example' })).statusCode).toBe(201);
  });
});

describe('password storage', () => {
  it('stores scrypt hashes, never the password', async () => {
    const token = (await issueSetupToken(t.store))!;
    const password = 'my very secret pw';
    expect((await post('/api/auth/setup', { token, email: 'boss@example.com', password })).statusCode).toBe(201);
    const stored = (await t.store.users.byEmail('boss@example.com'))!.password_hash;
    expect(stored).toMatch(/^scrypt\$/);
    expect(stored).not.toContain(password);
  });

  // Reads the whole users table with raw SQL: SQLite only.
  it.skipIf(TEST_STORE === 'postgres')('keeps the password out of every column of the users table', async () => {
    const token = (await issueSetupToken(t.store))!;
    const password = 'my very secret pw';
    expect((await post('/api/auth/setup', { token, email: 'boss@example.com', password })).statusCode).toBe(201);
    const dump = JSON.stringify(t.sqlite!.db.prepare('SELECT * FROM users').all());
    expect(dump).not.toContain(password);
  });
});
