/** The push API of the session: public key, devices, validation, test pushes; and the endpoint policy. */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushDeviceDto } from '../contract/pushApi.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { endpointProblem } from '../server/push/endpoint.ts';
import { loadVapidKeys } from '../server/push/vapid.ts';
import { type PushWorker, startPushWorker } from '../server/push/worker.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { type FakeSubscription, type PushEndpoint, startPushEndpoint } from './fixtures/pushEndpoint.ts';
import { makeApp, OWN_ORIGIN, sessionCookie, TEST_STORE, type TestApp } from './helpers.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(): Promise<{ t: TestApp; service: PushEndpoint; cookie: string }> {
  const service = await startPushEndpoint();
  const t = await makeApp({ env: { PUSH_ENDPOINT_HOSTS: service.host } });
  cleanups.push(async () => {
    await t.cleanup();
    await service.close();
  });
  return { t, service, cookie: await t.signIn() };
}

const put = (app: FastifyInstance, cookie: string, payload: unknown) =>
  app.inject({ method: 'PUT', url: '/api/push/subscriptions', headers: { cookie, origin: OWN_ORIGIN }, payload: payload as object });

const body = (sub: FakeSubscription, deviceName = 'Phone', extra: object = {}) => ({ endpoint: sub.endpoint, keys: sub.keys, deviceName, ...extra });

async function list(app: FastifyInstance, cookie: string): Promise<PushDeviceDto[]> {
  const res = await app.inject({ method: 'GET', url: '/api/push/subscriptions', headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function secondUser(t: TestApp): Promise<string> {
  await t.store.users.create('member@example.com', await hashPassword('another good password'), 'member', Date.now());
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    headers: { origin: OWN_ORIGIN },
    payload: { email: 'member@example.com', password: 'another good password' },
  });
  expect(res.statusCode).toBe(200);
  return sessionCookie(res);
}

describe('push API', () => {
  // The restart reopens the SQLite files of the data directory: SQLite only.
  it.skipIf(TEST_STORE === 'postgres')('serves the VAPID public key to a signed-in person only; the key survives a restart', async () => {
    const { t, cookie } = await setup();
    expect((await t.app.inject({ method: 'GET', url: '/api/push/public-key' })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'GET', url: '/api/push/public-key', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const { publicKey } = res.json<{ publicKey: string }>();
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    const reopened = openStore(t.dir);
    try {
      expect((await loadVapidKeys(sqliteAppStore(reopened), 'mailto:a@example.com')).publicKey).toBe(publicKey);
    } finally {
      reopened.close();
    }
  });

  it('saves, re-syncs, lists and deletes this person\'s devices', async () => {
    const { t, service, cookie } = await setup();
    const phone = service.subscription();
    const first = await put(t.app, cookie, body(phone, 'Pixel'));
    expect(first.statusCode).toBe(200);
    const { id } = first.json<{ id: string }>();
    const [before] = await list(t.app, cookie);
    await new Promise((r) => setTimeout(r, 5));
    // Every app open re-sends the subscription: same row, fresher last_seen_at.
    const again = await put(t.app, cookie, body(phone, 'Pixel 9'));
    expect(again.json()).toEqual({ id });
    const [after] = await list(t.app, cookie);
    expect(after).toMatchObject({ id, deviceName: 'Pixel 9', createdAt: before!.createdAt });
    expect(Date.parse(after!.lastSeenAt)).toBeGreaterThan(Date.parse(before!.lastSeenAt));

    // pushsubscriptionchange: the new endpoint replaces the old one.
    const renewed = service.subscription();
    const res = await put(t.app, cookie, body(renewed, 'Pixel 9', { oldEndpoint: phone.endpoint }));
    expect(res.statusCode).toBe(200);
    expect((await list(t.app, cookie)).map((d) => d.id)).toEqual([res.json<{ id: string }>().id]);

    const del = (deviceId: string, c = cookie) =>
      t.app.inject({ method: 'DELETE', url: `/api/push/subscriptions/${deviceId}`, headers: { cookie: c, origin: OWN_ORIGIN }, payload: {} });
    const other = await secondUser(t);
    expect((await del(res.json<{ id: string }>().id, other)).statusCode).toBe(404); // not theirs
    expect((await del(res.json<{ id: string }>().id)).statusCode).toBe(204);
    expect(await list(t.app, cookie)).toEqual([]);
    expect((await del(res.json<{ id: string }>().id)).statusCode).toBe(404);
  });

  it('refuses with 409 a subscription whose endpoint is another user\'s device: it never moves to the caller', async () => {
    const { t, service, cookie } = await setup();
    const phone = service.subscription();
    const mine = await put(t.app, cookie, body(phone, 'Owner phone'));
    expect(mine.statusCode).toBe(200);
    const other = await secondUser(t);
    // Also as a "renewal" that names the owner's endpoint as the one it replaces.
    for (const attempt of [body(phone, 'Stolen'), body(service.subscription(), 'Stolen', { oldEndpoint: phone.endpoint })]) {
      const res = await put(t.app, other, attempt);
      if (attempt.endpoint === phone.endpoint) {
        expect(res.statusCode).toBe(409);
        expect(res.json()).toMatchObject({ error: { code: 'endpoint_taken', field: 'endpoint' } });
      } else {
        expect(res.statusCode).toBe(200);
      }
    }
    expect((await list(t.app, cookie)).map((d) => d.deviceName)).toEqual(['Owner phone']);
    expect((await list(t.app, other)).map((d) => d.deviceName)).toEqual(['Stolen']);
  });

  it('needs a session and the app\'s own origin', async () => {
    const { t, service, cookie } = await setup();
    const sub = service.subscription();
    expect((await t.app.inject({ method: 'PUT', url: '/api/push/subscriptions', headers: { origin: OWN_ORIGIN }, payload: body(sub) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'PUT', url: '/api/push/subscriptions', headers: { cookie }, payload: body(sub) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/push/subscriptions' })).statusCode).toBe(401);
  });

  it('refuses bad subscriptions with a 400 naming the field', async () => {
    const { t, service, cookie } = await setup();
    const sub = service.subscription();
    const cases: [object, string][] = [
      [{ ...body(sub), endpoint: 'https://push.evil.example/wpush/abc' }, 'endpoint'],
      [{ ...body(sub), endpoint: 'not a url' }, 'endpoint'],
      [{ ...body(sub), endpoint: sub.endpoint.replace('127.0.0.1', 'localhost') }, 'endpoint'],
      [{ keys: sub.keys, deviceName: 'x' }, 'endpoint'],
      [{ ...body(sub), deviceName: '   ' }, 'deviceName'],
      [{ ...body(sub), deviceName: 'x'.repeat(65) }, 'deviceName'],
      [{ endpoint: sub.endpoint, keys: sub.keys }, 'deviceName'],
      [{ endpoint: sub.endpoint, deviceName: 'x' }, 'keys'],
      [{ ...body(sub), keys: { auth: sub.keys.auth } }, 'keys.p256dh'],
      [{ ...body(sub), keys: { ...sub.keys, p256dh: sub.keys.p256dh.slice(0, 40) } }, 'keys.p256dh'],
      [{ ...body(sub), keys: { ...sub.keys, p256dh: `B${'A'.repeat(86)}` } }, 'keys.p256dh'], // not on the curve
      [{ ...body(sub), keys: { ...sub.keys, auth: 'short' } }, 'keys.auth'],
      [{ ...body(sub), keys: { ...sub.keys, auth: '!'.repeat(22) } }, 'keys.auth'],
    ];
    for (const [payload, field] of cases) {
      const res = await put(t.app, cookie, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.field, JSON.stringify(payload)).toBe(field);
    }
    expect(await list(t.app, cookie)).toEqual([]);
    // Standard base64 with padding is what some code sends: accepted and normalised.
    const padded = { p256dh: `${Buffer.from(sub.keys.p256dh, 'base64url').toString('base64')}`, auth: Buffer.from(sub.keys.auth, 'base64url').toString('base64') };
    expect((await put(t.app, cookie, { ...body(sub), keys: padded })).statusCode).toBe(200);
  });

  it('sends a test push to this person\'s devices only; 409 when they have none', async () => {
    const { t, service, cookie } = await setup();
    const other = await secondUser(t);
    const post = (c: string) => t.app.inject({ method: 'POST', url: '/api/push/test', headers: { cookie: c, origin: OWN_ORIGIN }, payload: {} });
    const none = await post(cookie);
    expect(none.statusCode).toBe(409);
    expect(none.json().error).toMatchObject({ code: 'no_devices' });

    const mine = [service.subscription(), service.subscription()];
    const theirs = service.subscription();
    for (const s of mine) expect((await put(t.app, cookie, body(s))).statusCode).toBe(200);
    expect((await put(t.app, other, body(theirs, 'Their phone'))).statusCode).toBe(200);
    const worker: PushWorker = startPushWorker({
      store: t.store,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      vapid: await loadVapidKeys(t.store, 'mailto:ops@example.com'),
      pollMs: 20,
    });
    cleanups.push(() => worker.stop());

    const res = await post(cookie);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ devices: 2 });
    await service.waitFor(2);
    await new Promise((r) => setTimeout(r, 150));
    expect(service.received.map((r) => r.endpoint).sort()).toEqual(mine.map((s) => s.endpoint).sort());
    for (const r of service.received) expect(r.payload).toMatchObject({ kind: 'test', id: 'test', url: '/settings' });
    expect(service.for(theirs)).toHaveLength(0);
  });
});

describe('push endpoint policy', () => {
  it('allows the browsers\' push services over https only', () => {
    for (const ok of [
      'https://fcm.googleapis.com/fcm/send/abc:APA91b',
      'https://updates.push.services.mozilla.com/wpush/v2/gAAAA',
      'https://wns2-by3p.notify.windows.com/w/?token=BQYAAA',
      'https://web.push.apple.com/QGuQyavXutnMH',
    ]) {
      expect(endpointProblem(ok, null), ok).toBeNull();
    }
    for (const bad of [
      'http://fcm.googleapis.com/fcm/send/abc',
      'https://fcm.googleapis.com:8443/fcm/send/abc',
      'https://fcm.googleapis.com.evil.example/fcm/send/abc',
      'https://notify.windows.com/w/',
      'https://evilpush.apple.com.example/x',
      'https://user:pw@fcm.googleapis.com/fcm/send/abc',
      'https://127.0.0.1/push',
      'javascript:alert(1)',
      '/relative/path',
    ]) {
      expect(endpointProblem(bad, null), bad).not.toBeNull();
    }
  });

  it('PUSH_ENDPOINT_HOSTS replaces the list with exact hosts, http allowed for those only', () => {
    const hosts = loadConfig({ PUSH_ENDPOINT_HOSTS: ' 127.0.0.1:9000 , Push.Test ' }).pushEndpointHosts;
    expect(hosts).toEqual(['127.0.0.1:9000', 'push.test']);
    expect(endpointProblem('http://127.0.0.1:9000/p/1', hosts)).toBeNull();
    expect(endpointProblem('https://push.test/p/1', hosts)).toBeNull();
    expect(endpointProblem('http://127.0.0.1:9001/p/1', hosts)).not.toBeNull();
    expect(endpointProblem('https://fcm.googleapis.com/fcm/send/abc', hosts)).not.toBeNull();
    expect(() => loadConfig({ PUSH_ENDPOINT_HOSTS: 'http://127.0.0.1:9000' })).toThrow(ConfigError);
  });

  it('VAPID_SUBJECT must be mailto: or https:; the default prefers an https PUBLIC_URL', () => {
    expect(loadConfig({}).vapidSubject).toBe('mailto:switchboard@localhost');
    expect(loadConfig({ PUBLIC_URL: 'https://ops.example.com/' }).vapidSubject).toBe('https://ops.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://ops.example.com' }).vapidSubject).toBe('mailto:switchboard@localhost');
    expect(loadConfig({ VAPID_SUBJECT: 'mailto:ops@example.com' }).vapidSubject).toBe('mailto:ops@example.com');
    expect(loadConfig({ VAPID_SUBJECT: 'https://example.com/contact' }).vapidSubject).toBe('https://example.com/contact');
    for (const bad of ['ops@example.com', 'http://example.com', 'mailto:', 'ftp://x']) {
      expect(() => loadConfig({ VAPID_SUBJECT: bad }), bad).toThrow(ConfigError);
    }
  });
});
