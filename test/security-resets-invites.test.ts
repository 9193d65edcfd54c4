/**
 * Security, second pass (issue 20), as an attacker works: real requests through the app, on SQLite and
 * (vitest.postgres.config.ts) PostgreSQL. Reset links that crossed projects or outlived their maker and
 * target; invites and keys of a removed admin; unauthenticated requests that ran scrypt; links built from
 * the Host header; a stolen session guessing the password; probes of which emails have accounts; caps.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiKeyDto, AuditPage, CreatedInvite, InvitePage } from '../contract/api.ts';
import { MAX_SESSIONS_PER_USER } from '../server/auth/session.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { countRows, makeApp, OWN_ORIGIN, sessionCookie, sessionFor, type TestApp } from './helpers.ts';

// Counts the password hashes the server computes: an unauthenticated request must not cost one.
const hashes = vi.hoisted(() => ({ n: 0 }));
vi.mock('../server/auth/passwords.ts', async (original) => {
  const real = await original<typeof import('../server/auth/passwords.ts')>();
  return {
    ...real,
    hashPassword: async (password: string) => {
      hashes.n++;
      return real.hashPassword(password);
    },
  };
});

const PASSWORD = 'a long enough password';
const NEW_PASSWORD = 'another long password';
let t: TestApp;
let ownerCookie: string;
/** Each test's requests come from an address of their own, so the per-address limits do not mix. */
let from = '10.0.0.1';
let nextAddress = 1;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
function call(cookie: string | null, method: Method, url: string, payload?: unknown, extra: { headers?: Record<string, string>; remoteAddress?: string } = {}) {
  return t.app.inject({
    method,
    url,
    remoteAddress: extra.remoteAddress ?? from,
    headers: { origin: OWN_ORIGIN, ...(cookie ? { cookie } : {}), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), ...extra.headers },
    ...(method === 'GET' ? {} : { payload: JSON.stringify(payload ?? {}) }),
  });
}

let userN = 0;
/** A person with a password and a session, member of the given projects with the given roles. */
async function person(roles: Record<string, 'viewer' | 'member' | 'admin'>, label = 'p'): Promise<{ id: string; email: string; cookie: string }> {
  const email = `${label}${++userN}@example.com`;
  const user = await t.store.users.create(email, await hashPassword(PASSWORD), 'member', Date.now(), label);
  for (const [slug, role] of Object.entries(roles)) await t.store.members.add((await t.store.projects.bySlug(slug))!.id, user.id, role, Date.now());
  return { id: user.id, email, cookie: await sessionFor(t.store, user.id) };
}

const tokenOf = (url: string) => new URL(url).hash.replace('#token=', '');
async function resetLink(cookie: string, slug: string, userId: string) {
  return call(cookie, 'POST', `/api/projects/${slug}/members/${userId}/password-reset`);
}
const redeemReset = (token: string, password = NEW_PASSWORD) => call(null, 'POST', '/api/auth/reset-password', { token, password });
const signIn = (email: string, password: string) => call(null, 'POST', '/api/auth/sign-in', { email, password });

beforeAll(async () => {
  t = await makeApp();
  ownerCookie = await t.signIn();
  for (const slug of ['alpha', 'beta']) await t.store.projects.create(slug, slug, Date.now());
});
afterAll(async () => {
  await t?.cleanup();
});
beforeEach(() => {
  from = `10.0.${Math.floor(++nextAddress / 250)}.${nextAddress % 250}`;
});

describe('password-reset links stay inside the maker’s power (finding 1)', () => {
  it('an admin of alpha cannot reset someone who is also in beta; an owner can; a plain member of alpha only, yes', async () => {
    const admin = await person({ alpha: 'admin' }, 'admin');
    const both = await person({ alpha: 'member', beta: 'admin' }, 'both');
    const refused = await resetLink(admin.cookie, 'alpha', both.id);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/other projects too.*role: owner/);
    expect((await resetLink(ownerCookie, 'alpha', both.id)).statusCode).toBe(201);

    const plain = await person({ alpha: 'member' }, 'plain');
    const made = await resetLink(admin.cookie, 'alpha', plain.id);
    expect(made.statusCode).toBe(201);
    const used = await redeemReset(tokenOf(made.json().url));
    expect(used.statusCode, used.body).toBe(200);
    expect((await signIn(plain.email, NEW_PASSWORD)).statusCode).toBe(200);
    // The use is in alpha's audit, with the address it came from.
    const audit = (await call(admin.cookie, 'GET', '/api/projects/alpha/audit?kind=member.password_reset_used')).json<AuditPage>();
    expect(audit.entries[0]).toMatchObject({ kind: 'member.password_reset_used', subject: plain.email, actor: { id: plain.id }, address: from });
  });

  it('a link made for a plain account is dead once its target is made an owner, or joins another project', async () => {
    const admin = await person({ alpha: 'admin' }, 'admin');
    const target = await person({ alpha: 'member' }, 'target');
    const link = tokenOf((await resetLink(admin.cookie, 'alpha', target.id)).json().url);
    expect((await call(ownerCookie, 'PUT', `/api/users/${target.id}/owner`, { owner: true })).statusCode).toBe(200);
    const dead = await redeemReset(link);
    expect(dead.statusCode).toBe(410);
    expect(await signIn(target.email, PASSWORD)).toMatchObject({ statusCode: 200 });
    // Made an owner, then plain again: an owner's link; made for a plain account that then joins beta.
    expect((await call(ownerCookie, 'PUT', `/api/users/${target.id}/owner`, { owner: false })).statusCode).toBe(200);
    const second = tokenOf((await resetLink(admin.cookie, 'alpha', target.id)).json().url);
    await t.store.members.add((await t.store.projects.bySlug('beta'))!.id, target.id, 'admin', Date.now());
    expect((await redeemReset(second)).statusCode).toBe(410);
    expect((await signIn(target.email, NEW_PASSWORD)).statusCode).toBe(401);
  });

  it("an admin cannot reset an owner's password; an owner's link for an owner works", async () => {
    const admin = await person({ alpha: 'admin' }, 'admin');
    const owner2 = await person({}, 'owner');
    await t.store.users.setRole(owner2.id, 'owner');
    expect((await resetLink(admin.cookie, 'alpha', owner2.id)).statusCode).toBe(403);
    const link = await resetLink(ownerCookie, 'alpha', owner2.id);
    expect(link.statusCode).toBe(201);
    expect((await redeemReset(tokenOf(link.json().url))).statusCode).toBe(200);
  });
});

describe('reset links die with what made them valid (finding 2)', () => {
  it('when the target leaves the project', async () => {
    const admin = await person({ alpha: 'admin' }, 'admin');
    const target = await person({ alpha: 'member' }, 'target');
    const link = tokenOf((await resetLink(admin.cookie, 'alpha', target.id)).json().url);
    expect((await call(admin.cookie, 'DELETE', `/api/projects/alpha/members/${target.id}`)).statusCode).toBe(204);
    expect((await redeemReset(link)).statusCode).toBe(410);
  });

  it('when the maker is removed, or loses the admin role — even if the row escaped the clean-up', async () => {
    const admin = await person({ alpha: 'admin' }, 'admin');
    const target = await person({ alpha: 'member' }, 'target');
    const link = tokenOf((await resetLink(admin.cookie, 'alpha', target.id)).json().url);
    expect((await call(ownerCookie, 'DELETE', `/api/projects/alpha/members/${admin.id}`)).statusCode).toBe(204);
    expect((await redeemReset(link)).statusCode).toBe(410);

    const admin2 = await person({ alpha: 'admin' }, 'admin');
    const link2 = tokenOf((await resetLink(admin2.cookie, 'alpha', target.id)).json().url);
    expect((await call(ownerCookie, 'PATCH', `/api/projects/alpha/members/${admin2.id}`, { role: 'member' })).statusCode).toBe(200);
    expect((await redeemReset(link2)).statusCode).toBe(410);

    // Demoted straight in the store (no route, so nothing deleted the link): the use checks again.
    const admin3 = await person({ alpha: 'admin' }, 'admin');
    const link3 = tokenOf((await resetLink(admin3.cookie, 'alpha', target.id)).json().url);
    await t.store.members.setRole((await t.store.projects.bySlug('alpha'))!.id, admin3.id, 'viewer');
    const refused = await redeemReset(link3);
    expect(refused.statusCode).toBe(410);
    expect(refused.json().error.message).toMatch(/no longer valid/);
    expect((await signIn(target.email, PASSWORD)).statusCode).toBe(200);
  });

  it('when the target changes their password, or another link for them is used; one open link per account', async () => {
    const admin = await person({ alpha: 'admin' }, 'admin');
    const target = await person({ alpha: 'member' }, 'target');
    const first = tokenOf((await resetLink(admin.cookie, 'alpha', target.id)).json().url);
    const changed = await call(target.cookie, 'POST', '/api/account/password', { currentPassword: PASSWORD, password: NEW_PASSWORD });
    expect(changed.statusCode).toBe(200);
    expect((await redeemReset(first)).statusCode).toBe(410);

    const a = tokenOf((await resetLink(admin.cookie, 'alpha', target.id)).json().url);
    const b = tokenOf((await resetLink(admin.cookie, 'alpha', target.id)).json().url);
    expect(await countRows(t, 'password_resets')).toBeGreaterThan(0);
    expect((await redeemReset(a)).statusCode).toBe(410); // b took its place
    expect((await redeemReset(b, 'the third long password')).statusCode).toBe(200);
    expect((await redeemReset(b)).statusCode).toBe(410); // used once
    expect((await signIn(target.email, 'the third long password')).statusCode).toBe(200);
  });

  it('expires after 24 hours', async () => {
    let now = Date.now();
    const timed = await makeApp({ now: () => now });
    try {
      const cookie = await timed.signIn();
      const u = await timed.store.users.create('timed@example.com', await hashPassword(PASSWORD), 'member', now);
      await timed.store.members.add(1, u.id, 'member', now);
      const made = await timed.app.inject({
        method: 'POST', url: `/api/projects/default/members/${u.id}/password-reset`, headers: { cookie, origin: OWN_ORIGIN }, payload: {},
      });
      now += 24 * 3600_000 + 1;
      const used = await timed.app.inject({
        method: 'POST', url: '/api/auth/reset-password', headers: { origin: OWN_ORIGIN }, payload: { token: tokenOf(made.json().url), password: NEW_PASSWORD },
      });
      expect(used.statusCode).toBe(410);
      expect(used.json().error.message).toMatch(/expired/);
    } finally {
      await timed.cleanup();
    }
  });
});

describe('a removed or demoted admin leaves nothing behind (finding 3)', () => {
  async function invite(cookie: string, slug: string, role: 'viewer' | 'member' | 'admin') {
    const res = await call(cookie, 'POST', `/api/projects/${slug}/invites`, { role });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<CreatedInvite>();
  }
  const accept = (token: string, email: string) => call(null, 'POST', '/api/invites/accept', { token, name: 'New', email, password: PASSWORD });

  it("their invites are revoked when they are removed or demoted, audited, and the list pages instead of cutting", async () => {
    const admin = await person({ beta: 'admin' }, 'admin');
    const theirs = await invite(admin.cookie, 'beta', 'admin');
    for (let i = 0; i < 60; i++) await invite(ownerCookie, 'beta', 'viewer');
    // Every pending invite is reachable, page by page.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: InvitePage = (await call(ownerCookie, 'GET', `/api/projects/beta/invites?limit=25${cursor ? `&cursor=${cursor}` : ''}`)).json<InvitePage>();
      expect(page.invites.length).toBeLessThanOrEqual(25);
      seen.push(...page.invites.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toContain(theirs.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(61);
    expect((await call(ownerCookie, 'GET', '/api/projects/beta/invites?cursor=nope')).json().error.field).toBe('cursor');

    expect((await call(ownerCookie, 'DELETE', `/api/projects/beta/members/${admin.id}`)).statusCode).toBe(204);
    const late = await accept(tokenOf(theirs.url), `late${userN}@example.com`);
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('invite_revoked');
    const audit = (await call(ownerCookie, 'GET', '/api/projects/beta/audit?kind=invite.revoked')).json<AuditPage>();
    expect(audit.entries[0]).toMatchObject({ detail: { invite: theirs.id, madeBy: admin.email } });

    const admin2 = await person({ beta: 'admin' }, 'admin');
    const theirs2 = await invite(admin2.cookie, 'beta', 'member');
    expect((await call(ownerCookie, 'PATCH', `/api/projects/beta/members/${admin2.id}`, { role: 'member' })).statusCode).toBe(200);
    expect((await accept(tokenOf(theirs2.url), `late${userN}b@example.com`)).statusCode).toBe(410);
    // Revoke the owner's viewer invites again, so the cap test starts from a clean project.
    for (const id of seen.filter((i) => i !== theirs.id)) await call(ownerCookie, 'DELETE', `/api/projects/beta/invites/${id}`);
  });

  it('an invite whose maker lost the role some other way still does not work', async () => {
    const admin = await person({ alpha: 'admin' }, 'admin');
    const made = await invite(admin.cookie, 'alpha', 'admin');
    await t.store.members.setRole((await t.store.projects.bySlug('alpha'))!.id, admin.id, 'member');
    expect((await call(null, 'POST', '/api/invites/lookup', { token: tokenOf(made.url) })).statusCode).toBe(410);
    expect((await accept(tokenOf(made.url), `sneaky${userN}@example.com`)).statusCode).toBe(410);
  });

  it('keys name who made them, and removing an admin can revoke their keys at once', async () => {
    const admin = await person({ alpha: 'admin' }, 'admin');
    const made = await call(admin.cookie, 'POST', '/api/projects/alpha/keys', { name: 'reader', scope: 'read' });
    expect(made.statusCode).toBe(201);
    const key = made.json<{ key: string; id: string }>();
    const listed = (await call(ownerCookie, 'GET', '/api/projects/alpha/keys')).json<{ keys: ApiKeyDto[] }>().keys.find((k) => k.id === key.id);
    expect(listed?.createdBy).toEqual({ id: admin.id, email: admin.email });
    const read = () => t.app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: `Bearer ${key.key}` } });
    expect((await read()).statusCode).toBe(200);
    expect((await call(ownerCookie, 'DELETE', `/api/projects/alpha/members/${admin.id}?revokeKeys=maybe`)).json().error.field).toBe('revokeKeys');
    expect((await call(ownerCookie, 'DELETE', `/api/projects/alpha/members/${admin.id}?revokeKeys=true`)).statusCode).toBe(204);
    expect((await read()).statusCode).toBe(401);
    const audit = (await call(ownerCookie, 'GET', '/api/projects/alpha/audit?kind=key.revoked')).json<AuditPage>();
    expect(audit.entries[0]).toMatchObject({ subject: 'reader', detail: { madeBy: admin.email } });
  });

  it('caps open invites per project and active keys per project with a clear 409', async () => {
    await t.store.projects.create('capped', 'Capped', Date.now());
    for (let i = 0; i < 100; i++) await invite(ownerCookie, 'capped', 'viewer');
    const over = await call(ownerCookie, 'POST', '/api/projects/capped/invites', { role: 'viewer' });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('too_many_invites');
    for (let i = 0; i < 100; i++) expect((await call(ownerCookie, 'POST', '/api/projects/capped/keys', { name: `k${i}` })).statusCode).toBe(201);
    const keys = await call(ownerCookie, 'POST', '/api/projects/capped/keys', { name: 'one more' });
    expect(keys.statusCode).toBe(409);
    expect(keys.json().error).toMatchObject({ code: 'too_many_keys', field: 'name' });
  });
});

describe('no scrypt without a valid token, and a limit per address (finding 5)', () => {
  it('setup with no setup pending is a 403 at once, and an address that keeps trying gets 429', async () => {
    hashes.n = 0;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await call(null, 'POST', '/api/auth/setup', { token: `guess-${i}`, email: 'x@example.com', password: PASSWORD })).statusCode);
    expect(hashes.n).toBe(0);
    expect(statuses[0]).toBe(403);
    expect(statuses).toContain(429);
    // Another address is not slowed by this one.
    expect((await call(null, 'POST', '/api/auth/setup', { token: 'x', email: 'x@example.com', password: PASSWORD }, { remoteAddress: '10.9.9.9' })).statusCode).toBe(403);
  });

  it('an unknown invite token hashes no password; lookups and accepts with made-up tokens are limited', async () => {
    hashes.n = 0;
    const accepts: number[] = [];
    for (let i = 0; i < 40; i++) accepts.push((await call(null, 'POST', '/api/invites/accept', { token: `nope-${i}`, name: 'A', email: 'a@example.com', password: PASSWORD })).statusCode);
    expect(hashes.n).toBe(0);
    expect(accepts[0]).toBe(404);
    expect(accepts).toContain(429);
    from = '10.8.8.8';
    const lookups: number[] = [];
    for (let i = 0; i < 40; i++) lookups.push((await call(null, 'POST', '/api/invites/lookup', { token: `nope-${i}` })).statusCode);
    expect(lookups[0]).toBe(404);
    expect(lookups).toContain(429);
  });

  it('reset with made-up tokens hashes nothing and is limited', async () => {
    hashes.n = 0;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await redeemReset(`nope-${i}`)).statusCode);
    expect(hashes.n).toBe(0);
    expect(statuses[0]).toBe(410);
    expect(statuses).toContain(429);
  });
});

describe('links come from configuration, never from the request (finding 7)', () => {
  it('an admin reaching the server through an attacker’s hostname still hands out links to the configured address', async () => {
    const evil = { host: 'evil.example', origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' };
    const made = await call(ownerCookie, 'POST', '/api/projects/alpha/invites', { role: 'viewer' }, { headers: evil });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json<CreatedInvite>().url).toMatch(/^http:\/\/localhost:8080\/invite#token=/);
    const target = await person({ alpha: 'member' }, 'target');
    const reset = await call(ownerCookie, 'POST', `/api/projects/alpha/members/${target.id}/password-reset`, undefined, { headers: evil });
    expect(reset.json().url).toMatch(/^http:\/\/localhost:8080\/reset-password#token=/);

    const configured = await makeApp({ env: { PUBLIC_URL: 'https://switchboard.example.com' } });
    try {
      const cookie = await configured.signIn();
      const res = await configured.app.inject({
        method: 'POST', url: '/api/projects/default/invites', payload: { role: 'viewer' }, headers: { cookie, ...evil, origin: 'https://switchboard.example.com' },
      });
      expect(res.json<CreatedInvite>().url).toMatch(/^https:\/\/switchboard\.example\.com\/invite#token=/);
    } finally {
      await configured.cleanup();
    }
  });
});

describe('a stolen session, and probes of who has an account (findings 10 and 11)', () => {
  it('wrong current passwords are limited like sign-ins', async () => {
    const victim = await person({ alpha: 'member' }, 'victim');
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await call(victim.cookie, 'POST', '/api/account/password', { currentPassword: `guess ${i}`, password: NEW_PASSWORD })).statusCode);
    expect(statuses[0]).toBe(403);
    expect(statuses).toContain(429);
    // The right password is refused too now, from this address: the guesser learns nothing.
    expect((await call(victim.cookie, 'POST', '/api/account/password', { currentPassword: PASSWORD, password: NEW_PASSWORD })).statusCode).toBe(429);
  });

  it('an email change ends the other sessions; a taken email is not told apart and is counted', async () => {
    const me = await person({ alpha: 'member' }, 'mover');
    const other = await sessionFor(t.store, me.id);
    const taken = await call(me.cookie, 'POST', '/api/account/email', { currentPassword: PASSWORD, email: 'owner@example.com' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'email_unavailable', field: 'email' });
    expect(taken.body).not.toMatch(/another account|exists|taken/i);
    const moved = await call(me.cookie, 'POST', '/api/account/email', { currentPassword: PASSWORD, email: `moved${userN}@example.com` });
    expect(moved.statusCode).toBe(200);
    expect((await call(other, 'GET', '/api/projects')).statusCode).toBe(401);
    expect((await call(me.cookie, 'GET', '/api/projects')).statusCode).toBe(200);
  });

  it('one invite cannot probe emails: the answer does not say "exists", and after three tries the invite is revoked', async () => {
    const made = (await call(ownerCookie, 'POST', '/api/projects/alpha/invites', { role: 'viewer' })).json<CreatedInvite>();
    const token = tokenOf(made.url);
    for (const email of ['owner@example.com', 'OWNER@example.com', 'owner@example.com']) {
      const res = await call(null, 'POST', '/api/invites/accept', { token, name: 'P', email, password: PASSWORD });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('email_unavailable');
    }
    const after = await call(null, 'POST', '/api/invites/accept', { token, name: 'P', email: `fresh${userN}@example.com`, password: PASSWORD });
    expect(after.statusCode).toBe(410);
    expect(after.json().error.code).toBe('invite_revoked');
  });

  it(`keeps at most ${MAX_SESSIONS_PER_USER} sessions per person: signing in again ends the oldest, never refuses`, async () => {
    const busy = await person({}, 'busy');
    const cookies: string[] = [];
    for (let i = 0; i < MAX_SESSIONS_PER_USER + 5; i++) {
      const res = await call(null, 'POST', '/api/auth/sign-in', { email: busy.email, password: PASSWORD }, { remoteAddress: `10.7.${i}.1` });
      expect(res.statusCode).toBe(200);
      cookies.push(sessionCookie(res));
    }
    expect((await call(cookies.at(-1)!, 'GET', '/api/projects')).statusCode).toBe(200);
    expect((await call(cookies[0]!, 'GET', '/api/projects')).statusCode).toBe(401);
    expect((await call(busy.cookie, 'GET', '/api/projects')).statusCode).toBe(401);
  });

  it('audit entries carry the client address as the server saw it', async () => {
    const res = await call(ownerCookie, 'PATCH', '/api/projects/alpha', { name: 'Alpha' }, { remoteAddress: '203.0.113.7' });
    expect(res.statusCode).toBe(200);
    const audit = (await call(ownerCookie, 'GET', '/api/projects/alpha/audit?kind=project.renamed')).json<AuditPage>();
    expect(audit.entries[0]).toMatchObject({ subject: 'Alpha', address: '203.0.113.7' });
  });
});
