/**
 * Look-alike people: an email or a name with invisible, bidi or control characters reads as someone
 * else's wherever it is shown. The contract's `email` and `personName` refuse them (400 naming the
 * field), and an email is NFKC-normalised and lower-cased before any uniqueness check, so `ｏｗｎｅｒ@…`
 * or `OWNER@…` is the owner's email, not a second account. Runs on SQLite, and on PostgreSQL through
 * vitest.postgres.config.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody, CreatedInvite, MemberDto } from '../contract/api.ts';
import { email, INVISIBLE_MESSAGE, personName, setupBody, signInBody } from '../contract/auth.ts';
import { acceptInviteBody } from '../contract/projects.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { issueSetupToken } from '../server/auth/setup.ts';
import { makeApp, OWN_ORIGIN, OWNER_EMAIL, OWNER_PASSWORD, sessionCookie, type TestApp } from './helpers.ts';

const PASSWORD = 'a long enough password';

/** The refusals both halves of the issue name: a zero-width space, a bidi override, a NUL. */
const INVISIBLE_EMAILS: Array<[string, string]> = [
  ['a trailing zero-width space', 'owner@example.com\u200b'],
  ['a leading right-to-left override', '\u202eowner@example.com'],
  ['a NUL', 'owner\u0000@example.com'],
];
const INVISIBLE_NAMES: Array<[string, string]> = [
  ['a right-to-left override', 'Maria \u202eatsoc'],
  ['a zero-width space', 'Ma\u200bria'],
];

describe('email and personName schemas', () => {
  const refusal = (schema: typeof email, value: string) => {
    const result = schema.safeParse(value);
    return result.success ? null : result.error.issues[0]!.message;
  };

  it('email refuses control, format and separator characters anywhere inside', () => {
    for (const [, value] of INVISIBLE_EMAILS) expect(refusal(email, value), JSON.stringify(value)).toBe(INVISIBLE_MESSAGE);
    for (const value of [
      'own\u200ber@example.com', // zero-width space (Cf)
      'owner@exa\u200dmple.com', // zero-width joiner (Cf)
      'owner@example.com\u2066', // bidi isolate (Cf)
      '\u00adowner@example.com', // soft hyphen (Cf)
      'owner@\ufeffexample.com', // BOM inside (Cf)
      'owner\u2028x@example.com', // line separator (Zl)
      'owner\u2029x@example.com', // paragraph separator (Zp)
      'owner\u00a0x@example.com', // no-break space (Zs)
      'owner\u3000x@example.com', // ideographic space (Zs)
      'owner\u3164@example.com', // Hangul filler (default ignorable)
      'owner\u001b@example.com', // ESC (Cc)
      'owner\ud800@example.com', // a lone surrogate
    ]) {
      expect(refusal(email, value), JSON.stringify(value)).toBe(INVISIBLE_MESSAGE);
    }
    // A plain space inside is no invisible character: it is simply not an email address.
    expect(refusal(email, 'own er@example.com')).toBe('must be an email address');
  });

  it('email normalises with NFKC and lower-cases; the result is stable and plain emails pass as they are', () => {
    expect(email.parse('ｏｗｎｅｒ@example.com')).toBe('owner@example.com');
    expect(email.parse('OWNER@Example.COM')).toBe('owner@example.com');
    expect(email.parse('owner＠example.com')).toBe('owner@example.com');
    expect(email.parse('  owner@example.com  ')).toBe('owner@example.com');
    expect(email.parse('maria.ruiz+ops@example.com')).toBe('maria.ruiz+ops@example.com');
    expect(email.parse('RENÉ@exemple.fr')).toBe('rené@exemple.fr');
    for (const value of ['ｏｗｎｅｒ@example.com', 'İLKER@example.com', 'e\u0301mile@example.com', 'ﬀ@example.com']) {
      const once = email.parse(value);
      expect(email.parse(once), value).toBe(once);
      expect(once, value).toBe(once.normalize('NFKC'));
    }
    expect(refusal(email, 'no-at-sign')).toBe('must be an email address');
    expect(refusal(email, `${'a'.repeat(250)}@example.com`)).toBe('must be at most 254 characters');
  });

  it('the bodies that carry an email use it: setup, sign-in, accepting an invite', () => {
    expect(setupBody.parse({ token: 't', email: 'OWNER@example.com', password: PASSWORD }).email).toBe('owner@example.com');
    expect(signInBody.parse({ email: 'ｏｗｎｅｒ@example.com', password: 'x' }).email).toBe('owner@example.com');
    const bad = acceptInviteBody.safeParse({ name: 'Maria', email: 'owner@example.com\u200b', password: PASSWORD });
    expect(bad.success || [bad.error.issues[0]!.path, bad.error.issues[0]!.message]).toEqual([['email'], INVISIBLE_MESSAGE]);
  });

  it('personName refuses control, format and line-separator characters; trims, normalises, allows empty', () => {
    for (const [, value] of INVISIBLE_NAMES) expect(refusal(personName, value), JSON.stringify(value)).toBe(INVISIBLE_MESSAGE);
    for (const value of ['Maria\u0000', 'Ma\nria', 'Maria\u2028Ruiz', '\u2066Maria\u2069', 'Maria\u200d', '\u200cMaria', 'a\u200d\u200db', '\u3164']) {
      expect(refusal(personName, value), JSON.stringify(value)).toBe(INVISIBLE_MESSAGE);
    }
    expect(personName.parse('  Maria Ruiz  ')).toBe('Maria Ruiz');
    expect(personName.parse('Ｍａｒｉａ')).toBe('Maria');
    expect(personName.parse('')).toBe('');
    expect(personName.parse('José\u3000García')).toBe('José García');
    // What real names and emoji need: a joiner inside a word, variation selectors.
    expect(personName.parse('می\u200cخواهم')).toBe('می\u200cخواهم');
    expect(personName.parse('Ana ❤️')).toBe('Ana ❤️');
    expect(personName.parse('Team 👨‍👩‍👧')).toBe('Team 👨‍👩‍👧');
    expect(refusal(personName, 'x'.repeat(81))).toBe('must be at most 80 characters');
    // Accepting an invite still needs a name.
    const empty = acceptInviteBody.safeParse({ name: '  ', email: 'maria@example.com', password: PASSWORD });
    expect(empty.success || [empty.error.issues[0]!.path, empty.error.issues[0]!.message]).toEqual([['name'], 'is required']);
  });
});

describe('look-alike people through the API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp();
  });
  afterEach(async () => {
    await t?.cleanup();
  });

  const post = (url: string, payload: unknown, cookie?: string) =>
    t.app.inject({ method: 'POST', url, headers: { origin: OWN_ORIGIN, ...(cookie ? { cookie } : {}) }, payload: payload as Record<string, unknown> });
  const field = (res: { json: () => unknown }) => (res.json() as ApiErrorBody).error.field;

  it('setup refuses an email with invisible or control characters (400 naming the field) and creates nobody', async () => {
    const token = (await issueSetupToken(t.store))!;
    for (const [what, value] of INVISIBLE_EMAILS) {
      const res = await post('/api/auth/setup', { token, email: value, password: OWNER_PASSWORD });
      expect([res.statusCode, field(res)], what).toEqual([400, 'email']);
      expect((res.json() as ApiErrorBody).error.message).toBe(`email ${INVISIBLE_MESSAGE}`);
    }
    expect(await t.store.users.count()).toBe(0);
    const ok = await post('/api/auth/setup', { token, email: 'OWNER@Example.com', password: OWNER_PASSWORD });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<{ email: string }>().email).toBe(OWNER_EMAIL);
  });

  it('sign-in finds existing accounts: any case, fullwidth forms, and accounts stored before lower-casing', async () => {
    await t.signIn();
    for (const typed of [OWNER_EMAIL, 'OWNER@EXAMPLE.COM', 'ｏｗｎｅｒ@example.com']) {
      const res = await post('/api/auth/sign-in', { email: typed, password: OWNER_PASSWORD });
      expect(res.statusCode, typed).toBe(200);
    }
    // An account stored with capitals (before emails were lower-cased) still signs in, in any case.
    await t.store.users.create('Legacy.Person@Example.com', await hashPassword(PASSWORD), 'member', Date.now());
    for (const typed of ['Legacy.Person@Example.com', 'legacy.person@example.com']) {
      const res = await post('/api/auth/sign-in', { email: typed, password: PASSWORD });
      expect(res.statusCode, typed).toBe(200);
    }
    const hidden = await post('/api/auth/sign-in', { email: 'owner@example.com\u200b', password: OWNER_PASSWORD });
    expect([hidden.statusCode, field(hidden)]).toEqual([400, 'email']);
  });

  it('accepting an invite refuses invisible characters in the email or the name; a look-alike of the owner is not a second account; a plain email joins', async () => {
    const owner = await t.signIn();
    const invite = async () => {
      const res = await post('/api/projects/default/invites', { role: 'member' }, owner);
      expect(res.statusCode, res.body).toBe(201);
      return new URL(res.json<CreatedInvite>().url).hash.replace('#token=', '');
    };
    const members = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/projects/default/members', headers: { cookie: owner } });
      expect(res.statusCode).toBe(200);
      return res.json<{ members: MemberDto[] }>().members;
    };
    const before = await members();
    const usersBefore = await t.store.users.count();
    const token = await invite();

    for (const [what, value] of INVISIBLE_EMAILS) {
      const res = await post('/api/invites/accept', { token, name: 'Mallory', email: value, password: PASSWORD });
      expect([res.statusCode, field(res)], what).toEqual([400, 'email']);
    }
    for (const [what, value] of INVISIBLE_NAMES) {
      const res = await post('/api/invites/accept', { token, name: value, email: 'mallory@example.com', password: PASSWORD });
      expect([res.statusCode, field(res)], what).toEqual([400, 'name']);
      expect((res.json() as ApiErrorBody).error.message).toBe(`name ${INVISIBLE_MESSAGE}`);
    }
    // The owner's email, however it is spelled, is the owner's: no second account, nobody joins.
    for (const lookalike of ['ｏｗｎｅｒ@example.com', 'OWNER@example.com']) {
      const res = await post('/api/invites/accept', { token, name: 'Owner', email: lookalike, password: PASSWORD });
      expect(res.statusCode, `${lookalike}: ${res.body}`).not.toBe(201);
      expect(res.statusCode, lookalike).toBeGreaterThanOrEqual(400);
      expect(res.headers['set-cookie'], lookalike).toBeUndefined();
    }
    expect(await t.store.users.count()).toBe(usersBefore);
    expect((await members()).map((m) => m.email)).toEqual(before.map((m) => m.email));

    // The invite was not used up by the refusals: a plain email joins with it, stored as typed (lower-cased).
    const ok = await post('/api/invites/accept', { token, name: '  Ｍａｒｉａ Ruiz ', email: 'Maria@Example.com', password: PASSWORD });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<{ me: { email: string; name: string } }>().me).toMatchObject({ email: 'maria@example.com', name: 'Maria Ruiz' });
    const cookie = sessionCookie(ok);
    expect(cookie).toBeTruthy();
    const after = await members();
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((m) => m.email === 'maria@example.com')).toMatchObject({ name: 'Maria Ruiz', role: 'member' });
  });

  it('a signed-in person cannot give themselves a hidden name or email either', async () => {
    const cookie = await t.signIn();
    const patch = (payload: unknown) =>
      t.app.inject({ method: 'PATCH', url: '/api/account', headers: { origin: OWN_ORIGIN, cookie }, payload: payload as Record<string, unknown> });
    for (const [what, value] of INVISIBLE_NAMES) {
      const res = await patch({ name: value });
      expect([res.statusCode, field(res)], what).toEqual([400, 'name']);
    }
    expect((await patch({ name: ' Ｏｗｎｅｒ ' })).json()).toMatchObject({ name: 'Owner' });
    const moved = await post('/api/account/email', { currentPassword: OWNER_PASSWORD, email: 'owner@example.com\u200b' }, cookie);
    expect([moved.statusCode, field(moved)]).toEqual([400, 'email']);
  });
});
