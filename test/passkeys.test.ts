/**
 * Passkeys (§10) against the real @simplewebauthn/server: a software authenticator made here (an
 * ES256 key pair from node:crypto; authenticator data, client data and a `none` attestation built
 * byte by byte, as an authenticator does) adds passkeys, signs in and confirms it's you. Each check
 * the server must make is tried broken: another challenge, a used one, another session's, another
 * person's passkey, a counter going backwards, another origin or RP ID, a bad signature.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../contract/api.ts';
import type { PasskeyDto, PasskeyList } from '../contract/passkeys.ts';
import { SESSION_COOKIE } from '../server/auth/session.ts';
import { sha256 } from '../server/auth/tokens.ts';
import { loadConfig, relyingParty } from '../server/config.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { makeApp, OWNER_EMAIL, sessionCookie, sessionFor, type TestApp } from './helpers.ts';

const ORIGIN = 'https://ops.example.com';
const RP_ID = 'ops.example.com';

// ---- A software authenticator ---------------------------------------------------------------

/** The CBOR this needs: unsigned and negative integers, byte and text strings, maps (RFC 8949). */
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) {
    return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
  }
  throw new Error(`cbor: ${typeof value}`);
}

const b64u = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

/** A passkey on a software authenticator: its key, its id, its counter and whose it is. */
class SoftPasskey {
  readonly id = randomBytes(16);
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  counter = 0;
  constructor(readonly userId: string) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get idB64() {
    return b64u(this.id);
  }

  private cose(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    // kty EC2, alg ES256, crv P-256, x, y.
    return cbor(new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
  }

  private authData(rpId: string, flags: number, counter: number, attested: boolean): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    const parts: Buffer[] = [createHash('sha256').update(rpId).digest(), Buffer.from([flags | (attested ? FLAG_AT : 0)]), count];
    if (attested) {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(this.id.length);
      parts.push(Buffer.alloc(16), length, this.id, this.cose());
    }
    return Buffer.concat(parts);
  }

  /** What navigator.credentials.create() answers, as JSON (a `none` attestation). */
  registration(challenge: string, o: { origin?: string; rpId?: string; flags?: number } = {}) {
    const clientData = JSON.stringify({ type: 'webauthn.create', challenge, origin: o.origin ?? ORIGIN, crossOrigin: false });
    const attestationObject = cbor(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', this.authData(o.rpId ?? RP_ID, o.flags ?? FLAG_UP | FLAG_UV, this.counter, true)]]));
    return {
      id: this.idB64,
      rawId: this.idB64,
      type: 'public-key',
      response: { clientDataJSON: b64u(clientData), attestationObject: b64u(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** What navigator.credentials.get() answers, as JSON; the counter moves unless told which to use. */
  assertion(challenge: string, o: { origin?: string; rpId?: string; counter?: number; flags?: number; signWith?: KeyObject; userHandle?: string | null } = {}) {
    const counter = o.counter ?? ++this.counter;
    const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: o.origin ?? ORIGIN, crossOrigin: false }));
    const authenticatorData = this.authData(o.rpId ?? RP_ID, o.flags ?? FLAG_UP | FLAG_UV, counter, false);
    const signature = sign('sha256', Buffer.concat([authenticatorData, createHash('sha256').update(clientData).digest()]), o.signWith ?? this.privateKey);
    const userHandle = o.userHandle === undefined ? this.userId : o.userHandle;
    return {
      id: this.idB64,
      rawId: this.idB64,
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authenticatorData),
        signature: b64u(signature),
        ...(userHandle === null ? {} : { userHandle: b64u(userHandle) }),
      },
      clientExtensionResults: {},
    };
  }
}

// ---- The app ----------------------------------------------------------------------------------

let t: TestApp;
let ana: { id: string; cookie: string };
let ben: { id: string; cookie: string };

const post = (url: string, cookie: string | null, payload: unknown = {}) =>
  t.app.inject({ method: 'POST', url, headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}) }, payload: payload as Record<string, unknown> });

async function challengeFor(url: string, cookie: string | null): Promise<string> {
  const res = await post(url, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ challenge: string }>().challenge;
}

/** Adds a passkey for the session's person through the API, as the PWA does. */
async function addPasskey(cookie: string, key: SoftPasskey, name?: string): Promise<PasskeyDto> {
  const challenge = await challengeFor('/api/account/passkeys/options', cookie);
  const res = await post('/api/account/passkeys', cookie, { credential: key.registration(challenge), ...(name ? { name } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<PasskeyDto>();
}

const hashOf = (cookie: string) => sha256(cookie.slice(SESSION_COOKIE.length + 1));

async function person(email: string) {
  const user = await t.store.users.create(email, 'not a usable hash', 'member', Date.now());
  await t.store.members.add(DEFAULT_PROJECT_ID, user.id, 'member', Date.now());
  return { id: user.id, cookie: await sessionFor(t.store, user.id) };
}

beforeAll(async () => {
  t = await makeApp({ env: { PUBLIC_URL: `${ORIGIN}/` } });
  ana = await person('ana@example.com');
  ben = await person('ben@example.com');
});
afterAll(async () => t?.cleanup());

describe('the relying party comes from PUBLIC_URL (browsers refuse an IP address)', () => {
  const rpOf = (env: Record<string, string>) => relyingParty(loadConfig(env));
  it('is PUBLIC_URL’s host name and origin; without it localhost on the port; an IP or plain http elsewhere is unavailable, saying why', () => {
    expect(rpOf({ PUBLIC_URL: 'https://ops.example.com/switchboard/' })).toEqual({ id: 'ops.example.com', origin: 'https://ops.example.com' });
    expect(rpOf({ PUBLIC_URL: 'https://ops.example.com:8443' })).toEqual({ id: 'ops.example.com', origin: 'https://ops.example.com:8443' });
    expect(rpOf({})).toEqual({ id: 'localhost', origin: 'http://localhost:8080' });
    expect(rpOf({ HOST: '127.0.0.1', PORT: '9000' })).toEqual({ id: 'localhost', origin: 'http://localhost:9000' });
    expect(rpOf({ PUBLIC_URL: 'http://localhost:3000' })).toEqual({ id: 'localhost', origin: 'http://localhost:3000' });
    expect(rpOf({ PUBLIC_URL: 'http://10.0.0.5:8080' })).toEqual({ unavailable: expect.stringContaining('host name, not an IP address (10.0.0.5)') });
    expect(rpOf({ HOST: '192.168.1.20' })).toEqual({ unavailable: expect.stringContaining('not an IP address') });
    expect(rpOf({ PUBLIC_URL: 'http://[::1]:8080' })).toEqual({ unavailable: expect.stringContaining('not an IP address') });
    expect(rpOf({ PUBLIC_URL: 'http://ops.example.com' })).toEqual({ unavailable: expect.stringContaining('need https') });
  });

  it('an installation reached by IP address answers 409 passkeys_unavailable on the passkey routes, and the password still works', async () => {
    const ip = await makeApp({ env: { PUBLIC_URL: 'http://10.0.0.5:8080' } });
    try {
      const cookie = await ip.signIn();
      for (const url of ['/api/auth/passkey/options', '/api/account/passkeys/options']) {
        const res = await ip.app.inject({ method: 'POST', url, headers: { origin: 'http://10.0.0.5:8080', cookie }, payload: {} });
        expect(res.statusCode, url).toBe(409);
        expect(res.json().error).toMatchObject({ code: 'passkeys_unavailable', message: expect.stringContaining('PUBLIC_URL') });
      }
      const stepUp = await ip.app.inject({ method: 'POST', url: '/api/auth/step-up', headers: { origin: 'http://10.0.0.5:8080', cookie }, payload: { password: 'correct horse battery' } });
      expect(stepUp.statusCode, stepUp.body).toBe(200);
    } finally {
      await ip.cleanup();
    }
  });
});

describe('adding a passkey', () => {
  it('verifies the new credential, stores it under its id with its key, counter and transports, lists it, and audits it', async () => {
    const key = new SoftPasskey(ana.id);
    const options = await post('/api/account/passkeys/options', ana.cookie);
    expect(options.statusCode).toBe(200);
    const o = options.json<{ rp: { id: string }; user: { id: string; name: string }; authenticatorSelection: Record<string, unknown>; excludeCredentials: unknown[] }>();
    expect(o.rp.id).toBe(RP_ID);
    // The user handle is the account id (nothing personal); discoverable and verified.
    expect(Buffer.from(o.user.id, 'base64url').toString()).toBe(ana.id);
    expect(o.user.name).toBe('ana@example.com');
    expect(o.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    const added = await post('/api/account/passkeys', ana.cookie, { credential: key.registration((o as unknown as { challenge: string }).challenge), name: 'Laptop' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ id: key.idB64, name: 'Laptop', lastUsedAt: null, transports: ['internal'] });
    const stored = (await t.store.passkeys.byId(key.idB64))!;
    expect(stored).toMatchObject({ user_id: ana.id, counter: 0, transports: ['internal'], name: 'Laptop' });
    expect(Buffer.from(stored.public_key).length).toBeGreaterThan(60);
    const list = await t.app.inject({ method: 'GET', url: '/api/account/passkeys', headers: { cookie: ana.cookie } });
    expect(list.json<PasskeyList>().passkeys.map((p) => p.name)).toEqual(['Laptop']);
    // The next options exclude it: the authenticator will not make a second one for this account.
    const again = await post('/api/account/passkeys/options', ana.cookie);
    expect(again.json<{ excludeCredentials: { id: string }[] }>().excludeCredentials.map((c) => c.id)).toEqual([key.idB64]);
    const owner = await t.signIn();
    const audit = await t.app.inject({ method: 'GET', url: '/api/projects/default/audit?kind=passkey.added', headers: { cookie: owner } });
    expect(audit.json<AuditPage>().entries[0]).toMatchObject({ kind: 'passkey.added', subject: 'ana@example.com', detail: { name: 'Laptop' } });
  });

  it('names a passkey added without a name by its number', async () => {
    const carl = await person('carl@example.com');
    expect((await addPasskey(carl.cookie, new SoftPasskey(carl.id))).name).toBe('Passkey 1');
    expect((await addPasskey(carl.cookie, new SoftPasskey(carl.id))).name).toBe('Passkey 2');
  });

  it('refuses an answer to a challenge never given, a used challenge, and another session’s challenge', async () => {
    const key = new SoftPasskey(ben.id);
    const never = await post('/api/account/passkeys', ben.cookie, { credential: key.registration(b64u(randomBytes(32))) });
    expect(never.statusCode).toBe(400);
    expect(never.json().error).toMatchObject({ code: 'invalid_challenge', field: 'credential' });

    const challenge = await challengeFor('/api/account/passkeys/options', ben.cookie);
    expect((await post('/api/account/passkeys', ben.cookie, { credential: key.registration(challenge) })).statusCode).toBe(201);
    const reused = await post('/api/account/passkeys', ben.cookie, { credential: new SoftPasskey(ben.id).registration(challenge) });
    expect(reused.json().error).toMatchObject({ code: 'invalid_challenge' });

    // Ana's session asked; Ben's session answers.
    const anas = await challengeFor('/api/account/passkeys/options', ana.cookie);
    const stolen = await post('/api/account/passkeys', ben.cookie, { credential: new SoftPasskey(ben.id).registration(anas) });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().error.code).toBe('invalid_challenge');
    expect((await t.store.passkeys.list(ben.id)).length).toBe(1);
  });

  it('refuses another origin, another RP ID, and a credential made without user verification', async () => {
    const key = new SoftPasskey(ben.id);
    const cases: [string, Parameters<SoftPasskey['registration']>[1]][] = [
      ['origin', { origin: 'https://evil.example.com' }],
      ['RP ID', { rpId: 'evil.example.com' }],
      ['user verification', { flags: FLAG_UP }],
    ];
    for (const [label, broken] of cases) {
      const challenge = await challengeFor('/api/account/passkeys/options', ben.cookie);
      const res = await post('/api/account/passkeys', ben.cookie, { credential: key.registration(challenge, broken) });
      expect(res.statusCode, label).toBe(400);
      expect(res.json().error, label).toMatchObject({ code: 'invalid_passkey', field: 'credential' });
    }
    expect(await t.store.passkeys.byId(key.idB64)).toBeUndefined();
  });

  it('refuses a credential id that is already someone’s passkey (409)', async () => {
    const key = new SoftPasskey(ben.id);
    await addPasskey(ben.cookie, key);
    const challenge = await challengeFor('/api/account/passkeys/options', ana.cookie);
    const res = await post('/api/account/passkeys', ana.cookie, { credential: key.registration(challenge) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'passkey_exists', field: 'credential' });
    expect((await t.store.passkeys.byId(key.idB64))!.user_id).toBe(ben.id);
  });

  it('answers bad input with a 400 naming the field', async () => {
    const challenge = await challengeFor('/api/account/passkeys/options', ben.cookie);
    const good = new SoftPasskey(ben.id).registration(challenge);
    const cases: [unknown, string][] = [
      [{}, 'credential'],
      [{ credential: 'nope' }, 'credential'],
      [{ credential: { ...good, type: 'password' } }, 'credential.type'],
      [{ credential: { ...good, response: { ...good.response, clientDataJSON: 'not base64url!' } } }, 'credential.response.clientDataJSON'],
      [{ credential: { ...good, response: { ...good.response, attestationObject: undefined } } }, 'credential.response.attestationObject'],
      [{ credential: good, name: 'a\u0000b' }, 'name'],
      [{ credential: good, name: 'x'.repeat(65) }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/api/account/passkeys', ben.cookie, body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error, field).toMatchObject({ code: 'invalid_field', field });
    }
  });

  it('asks a session that proved who it is long ago to confirm it first (401 step_up_required)', async () => {
    const dora = await person('dora@example.com');
    await t.store.sessions.prove(hashOf(dora.cookie), Date.now() - 11 * 60_000);
    const res = await post('/api/account/passkeys/options', dora.cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('step_up_required');
    await t.store.sessions.prove(hashOf(dora.cookie), Date.now());
    expect((await post('/api/account/passkeys/options', dora.cookie)).statusCode).toBe(200);
  });
});

describe('signing in with a passkey', () => {
  let key: SoftPasskey;
  let erin: { id: string; cookie: string };
  beforeAll(async () => {
    erin = await person('erin@example.com');
    key = new SoftPasskey(erin.id);
    await addPasskey(erin.cookie, key, 'Phone');
  });

  async function signInWith(assertion: unknown) {
    return post('/api/auth/passkey', null, { assertion });
  }

  it('signs in without an email: the session is the passkey owner’s, proven now, and the counter and last use are stored', async () => {
    const before = Date.now();
    const options = await post('/api/auth/passkey/options', null);
    expect(options.statusCode).toBe(200);
    const o = options.json<{ challenge: string; rpId: string; userVerification: string; allowCredentials?: unknown }>();
    expect(o).toMatchObject({ rpId: RP_ID, userVerification: 'required' });
    expect(o.allowCredentials).toBeUndefined();
    const res = await signInWith(key.assertion(o.challenge));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: erin.id, email: 'erin@example.com', name: '', role: 'member', locale: null });
    const cookie = sessionCookie(res);
    const status = await t.app.inject({ method: 'GET', url: '/api/auth/status', headers: { cookie } });
    expect(status.json().user.email).toBe('erin@example.com');
    const session = (await t.store.sessions.find(hashOf(cookie), Date.now()))!;
    expect(session.proven_at).toBeGreaterThanOrEqual(before);
    const stored = (await t.store.passkeys.byId(key.idB64))!;
    expect(stored.counter).toBe(key.counter);
    expect(stored.last_used_at).toBeGreaterThanOrEqual(before);
  });

  it('refuses a challenge never given, and the same answer twice (the challenge is spent)', async () => {
    expect((await signInWith(key.assertion(b64u(randomBytes(32))))).statusCode).toBe(401);
    const challenge = await challengeFor('/api/auth/passkey/options', null);
    const assertion = key.assertion(challenge);
    expect((await signInWith(assertion)).statusCode).toBe(200);
    const replay = await signInWith(assertion);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('passkey_refused');
    expect(replay.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a counter that goes backwards or stands still (a cloned authenticator)', async () => {
    const stored = (await t.store.passkeys.byId(key.idB64))!.counter;
    expect(stored).toBeGreaterThan(0);
    for (const counter of [stored - 1, stored]) {
      const challenge = await challengeFor('/api/auth/passkey/options', null);
      expect((await signInWith(key.assertion(challenge, { counter }))).statusCode, `counter ${counter}`).toBe(401);
    }
    expect((await t.store.passkeys.byId(key.idB64))!.counter).toBe(stored);
  });

  it('refuses another origin, another RP ID, no user verification, a bad signature, an unknown passkey and a user handle that is not the owner’s', async () => {
    const stranger = new SoftPasskey(erin.id);
    const cases: [string, (c: string) => unknown][] = [
      ['origin', (c) => key.assertion(c, { origin: 'https://evil.example.com' })],
      ['RP ID', (c) => key.assertion(c, { rpId: 'evil.example.com' })],
      ['no user verification', (c) => key.assertion(c, { flags: FLAG_UP })],
      ['signature', (c) => key.assertion(c, { signWith: stranger.privateKey })],
      ['unknown passkey', (c) => stranger.assertion(c)],
      ['user handle', (c) => key.assertion(c, { userHandle: ana.id })],
    ];
    for (const [label, make] of cases) {
      const res = await signInWith(make(await challengeFor('/api/auth/passkey/options', null)));
      expect(res.statusCode, label).toBe(401);
      expect(res.json().error.code, label).toBe('passkey_refused');
    }
    // Without a user handle (some authenticators leave it out) the stored owner decides.
    const res = await signInWith(key.assertion(await challengeFor('/api/auth/passkey/options', null), { userHandle: null }));
    expect(res.statusCode, res.body).toBe(200);
  });

  it('lets exactly one of two uses of the same counter value through (compare-and-set)', async () => {
    const [c1, c2] = [await challengeFor('/api/auth/passkey/options', null), await challengeFor('/api/auth/passkey/options', null)];
    const next = key.counter + 1;
    key.counter = next;
    const answers = await Promise.all([signInWith(key.assertion(c1, { counter: next })), signInWith(key.assertion(c2, { counter: next }))]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401]);
    expect((await t.store.passkeys.byId(key.idB64))!.counter).toBe(next);
  });

  it('answers a malformed assertion with 400 naming the field, before counting anything', async () => {
    const cases: [unknown, string][] = [
      [{}, 'assertion'],
      [{ assertion: { id: 'x' } }, 'assertion.rawId'],
      [{ assertion: { ...key.assertion('c'), response: { clientDataJSON: 'e30' } } }, 'assertion.response.authenticatorData'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/api/auth/passkey', null, body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.field, field).toBe(field);
    }
  });
});

describe('failed passkey sign-ins count in the sign-in limiter', () => {
  it('an address that keeps failing is refused with 429 and Retry-After, for passkeys and passwords alike', async () => {
    const limited = await makeApp({ env: { PUBLIC_URL: ORIGIN } });
    try {
      const key = new SoftPasskey('nobody');
      let status = 0;
      let tries = 0;
      for (; tries < 40 && status !== 429; tries++) {
        const res = await limited.app.inject({ method: 'POST', url: '/api/auth/passkey', headers: { origin: ORIGIN }, payload: { assertion: key.assertion(b64u(randomBytes(32))) } });
        status = res.statusCode;
        if (status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        else expect(status).toBe(401);
      }
      expect(status).toBe(429);
      expect(tries).toBe(31); // the address's burst (30 failures), then refused
      const options = await limited.app.inject({ method: 'POST', url: '/api/auth/passkey/options', headers: { origin: ORIGIN }, payload: {} });
      expect(options.statusCode).toBe(429);
      const password = await limited.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { origin: ORIGIN }, payload: { email: OWNER_EMAIL, password: 'whatever it is' } });
      expect(password.statusCode).toBe(429);
    } finally {
      await limited.cleanup();
    }
  });
});

describe('sign-in challenges are stored rows: one address gets a bounded number of them', () => {
  it('hands out the address’s burst of challenges (30), then 429 with Retry-After, though none failed; another address still gets one', async () => {
    const limited = await makeApp({ env: { PUBLIC_URL: ORIGIN, TRUST_PROXY: '1' } });
    try {
      const ask = (from: string) => limited.app.inject({ method: 'POST', url: '/api/auth/passkey/options', headers: { origin: ORIGIN, 'x-forwarded-for': from }, payload: {} });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await ask('203.0.113.7')).statusCode);
      expect(statuses.every((s) => s === 200)).toBe(true);
      const refused = await ask('203.0.113.7');
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await ask('203.0.113.8')).statusCode).toBe(200);
    } finally {
      await limited.cleanup();
    }
  });
});

describe("confirming it's you with a passkey (step-up)", () => {
  let fay: { id: string; cookie: string };
  let key: SoftPasskey;
  beforeAll(async () => {
    fay = await person('fay@example.com');
    key = new SoftPasskey(fay.id);
    await addPasskey(fay.cookie, key, 'Key');
  });

  it('offers only the person’s own passkeys, and proves the session with one (audited in the project asked for)', async () => {
    await t.store.sessions.prove(hashOf(fay.cookie), Date.now() - 3_600_000);
    const options = await post('/api/auth/step-up/options', fay.cookie);
    expect(options.statusCode).toBe(200);
    const o = options.json<{ challenge: string; allowCredentials: { id: string }[]; userVerification: string }>();
    expect(o.allowCredentials.map((c) => c.id)).toEqual([key.idB64]);
    expect(o.userVerification).toBe('required');
    const before = Date.now();
    const res = await post('/api/auth/step-up', fay.cookie, { assertion: key.assertion(o.challenge), project: 'default' });
    expect(res.statusCode, res.body).toBe(200);
    expect(Date.parse(res.json().provenAt)).toBeGreaterThanOrEqual(before);
    expect((await t.store.sessions.find(hashOf(fay.cookie), Date.now()))!.proven_at).toBeGreaterThanOrEqual(before);
    const owner = await t.signIn();
    const audit = await t.app.inject({ method: 'GET', url: '/api/projects/default/audit?kind=auth.step_up', headers: { cookie: owner } });
    expect(audit.json<AuditPage>().entries[0]).toMatchObject({ subject: 'fay@example.com', detail: { method: 'passkey' } });
  });

  it('refuses another person’s passkey, even with a good signature, and another session’s challenge (403, the session stands)', async () => {
    await t.store.sessions.prove(hashOf(fay.cookie), 1000);
    const bens = new SoftPasskey(ben.id);
    await addPasskey(ben.cookie, bens);
    const challenge = await challengeFor('/api/auth/step-up/options', fay.cookie);
    const other = await post('/api/auth/step-up', fay.cookie, { assertion: bens.assertion(challenge) });
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toMatchObject({ code: 'passkey_refused', field: 'assertion' });
    // Fay's second session asked; her first answers.
    const second = await sessionFor(t.store, fay.id);
    const theirs = await challengeFor('/api/auth/step-up/options', second);
    expect((await post('/api/auth/step-up', fay.cookie, { assertion: key.assertion(theirs) })).statusCode).toBe(403);
    // A used challenge, and one never given.
    const used = await challengeFor('/api/auth/step-up/options', fay.cookie);
    expect((await post('/api/auth/step-up', fay.cookie, { assertion: key.assertion(used) })).statusCode).toBe(200);
    await t.store.sessions.prove(hashOf(fay.cookie), 1000);
    expect((await post('/api/auth/step-up', fay.cookie, { assertion: key.assertion(used) })).statusCode).toBe(403);
    expect((await post('/api/auth/step-up', fay.cookie, { assertion: key.assertion(b64u(randomBytes(32))) })).statusCode).toBe(403);
    // None of them proved anything; the session is still signed in.
    expect((await t.store.sessions.find(hashOf(fay.cookie), Date.now()))!.proven_at).toBe(1000);
    // A sign-in challenge is not a step-up one.
    const signInChallenge = await challengeFor('/api/auth/passkey/options', null);
    expect((await post('/api/auth/step-up', fay.cookie, { assertion: key.assertion(signInChallenge) })).statusCode).toBe(403);
  });

  it('asks a person who has a passkey for it, not the password; one without gets 409 no_passkey from the options and uses the password', async () => {
    const res = await post('/api/auth/step-up', fay.cookie, { password: 'anything' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'passkey_required', field: 'assertion' });
    const owner = await t.signIn();
    const none = await post('/api/auth/step-up/options', owner);
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('no_passkey');
    const wrong = await post('/api/auth/step-up', owner, { password: 'not the password' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error).toMatchObject({ code: 'wrong_password', field: 'password' });
    expect((await post('/api/auth/step-up', owner, { password: 'correct horse battery' })).statusCode).toBe(200);
    // A body that is neither names the password (as before passkeys).
    expect((await post('/api/auth/step-up', owner, {})).json().error.field).toBe('password');
  });
});

describe('renaming and removing passkeys: one’s own only', () => {
  it('renames and removes one’s own; another person’s id answers 404 and stays; removal is audited and needs recent proof', async () => {
    const gus = await person('gus@example.com');
    const hal = await person('hal@example.com');
    const mine = await addPasskey(gus.cookie, new SoftPasskey(gus.id), 'Old name');
    const theirs = await addPasskey(hal.cookie, new SoftPasskey(hal.id), 'Hal’s');
    const patch = (cookie: string, id: string, name: unknown) =>
      t.app.inject({ method: 'PATCH', url: `/api/account/passkeys/${id}`, headers: { origin: ORIGIN, cookie }, payload: { name } as Record<string, unknown> });
    const del = (cookie: string, id: string) => t.app.inject({ method: 'DELETE', url: `/api/account/passkeys/${id}`, headers: { origin: ORIGIN, cookie, 'content-type': 'application/json' }, payload: '{}' });

    const renamed = await patch(gus.cookie, mine.id, '  Work laptop ');
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: mine.id, name: 'Work laptop' });
    expect((await patch(gus.cookie, mine.id, '')).json().error).toMatchObject({ code: 'invalid_field', field: 'name' });
    expect((await patch(gus.cookie, theirs.id, 'Mine now')).statusCode).toBe(404);
    expect((await del(gus.cookie, theirs.id)).statusCode).toBe(404);
    expect((await t.store.passkeys.byId(theirs.id))!.name).toBe('Hal’s');

    await t.store.sessions.prove(hashOf(gus.cookie), Date.now() - 11 * 60_000);
    const stale = await del(gus.cookie, mine.id);
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.code).toBe('step_up_required');
    await t.store.sessions.prove(hashOf(gus.cookie), Date.now());
    expect((await del(gus.cookie, mine.id)).statusCode).toBe(204);
    expect((await del(gus.cookie, mine.id)).statusCode).toBe(404);
    expect(await t.store.passkeys.list(gus.id)).toEqual([]);
    const owner = await t.signIn();
    const audit = await t.app.inject({ method: 'GET', url: '/api/projects/default/audit?kind=passkey.removed', headers: { cookie: owner } });
    expect(audit.json<AuditPage>().entries[0]).toMatchObject({ subject: 'gus@example.com', detail: { name: 'Work laptop' } });
  });

  it('a removed passkey signs in no more', async () => {
    const ivy = await person('ivy@example.com');
    const key = new SoftPasskey(ivy.id);
    await addPasskey(ivy.cookie, key);
    await t.app.inject({ method: 'DELETE', url: `/api/account/passkeys/${key.idB64}`, headers: { origin: ORIGIN, cookie: ivy.cookie, 'content-type': 'application/json' }, payload: '{}' });
    const res = await post('/api/auth/passkey', null, { assertion: key.assertion(await challengeFor('/api/auth/passkey/options', null)) });
    expect(res.statusCode).toBe(401);
  });
});
