/**
 * Push delivery end to end with real parts: ingest over HTTP, the outbox in the store, the worker, and
 * a local push service that decrypts each message and checks its VAPID JWT like a browser's would.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventDetail } from '../contract/api.ts';
import { ACK_ACTION, ackPath, eventPushPayload, inThreadText, notificationOptions, type PushPayload } from '../contract/push.ts';
import type { PushDeviceDto } from '../contract/pushApi.ts';
import { loadVapidKeys } from '../server/push/vapid.ts';
import { createMetrics } from '../server/metrics/metrics.ts';
import { type PushLog, type PushWorker, type PushWorkerOptions, startPushWorker } from '../server/push/worker.ts';
import type { AppStore } from '../server/store/types.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { type FakeSubscription, type PushEndpoint, startPushEndpoint } from './fixtures/pushEndpoint.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { ingest, makeApp, OWN_ORIGIN, sessionFor, TEST_STORE, type TestApp } from './helpers.ts';
import { pushSay } from '../server/i18n/push.ts';

/** The pushes' words in English, from the catalogs. */
const say = pushSay('en');

const SUBJECT = 'mailto:ops@example.com';

interface Env {
  t: TestApp;
  service: PushEndpoint;
  cookie: string;
  key: string;
  logs: { level: string; obj: object; msg: string }[];
  workers: PushWorker[];
  startWorker(options?: Partial<PushWorkerOptions>): PushWorker;
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(): Promise<Env> {
  const service = await startPushEndpoint();
  const t = await makeApp({ env: { PUSH_ENDPOINT_HOSTS: service.host, WEBHOOK_ALLOW_PRIVATE: 'true' } });
  const logs: Env['logs'] = [];
  const log: PushLog = {
    info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => logs.push({ level: 'error', obj, msg }),
  };
  const vapid = await loadVapidKeys(t.store, SUBJECT);
  const env: Env = {
    t,
    service,
    cookie: await t.signIn(),
    key: await t.apiKey(),
    logs,
    workers: [],
    startWorker(options = {}) {
      // Short poll and backoff: retries take milliseconds, not the production seconds.
      const w = startPushWorker({ store: t.store, log, vapid, pollMs: 20, backoffMs: () => 30, ...options });
      env.workers.push(w);
      return w;
    },
  };
  cleanups.push(async () => {
    for (const w of env.workers) await w.stop();
    await t.cleanup();
    await service.close();
  });
  return env;
}

async function subscribe(app: FastifyInstance, cookie: string, sub: FakeSubscription, deviceName = 'Test phone', locale?: string) {
  const res = await app.inject({
    method: 'PUT',
    url: '/api/push/subscriptions',
    headers: { cookie, origin: OWN_ORIGIN },
    payload: { endpoint: sub.endpoint, keys: sub.keys, deviceName, ...(locale === undefined ? {} : { locale }) },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ id: string }>().id;
}

async function devices(app: FastifyInstance, cookie: string) {
  const res = await app.inject({ method: 'GET', url: '/api/push/subscriptions', headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json<PushDeviceDto[]>();
}

/** Waits until the worker has nothing left to do. */
async function drained(store: AppStore, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const p = await store.push.pending();
    if (p.outbox === 0 && p.deliveries === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`push work left: ${JSON.stringify(await store.push.pending())}`);
}

const settle = () => new Promise((r) => setTimeout(r, 150));

/** A webhook receiver on 127.0.0.1 that answers 200. */
async function startHook(): Promise<{ url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

describe('push delivery', () => {
  it('pushes a notify event once to every subscribed device: encrypted payload, TTL, urgency, VAPID', async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    const phone = service.subscription();
    const laptop = service.subscription();
    await subscribe(t.app, cookie, phone, 'Phone');
    await subscribe(t.app, cookie, laptop, 'Laptop');
    startWorker();

    const res = await ingest(t.app, key, { name: 'Payment failed', avatar: '💳', notify: true, content: 'card declined', category: 'billing' });
    expect(res.statusCode).toBe(201);
    const got = await service.waitFor(2);
    await drained(t.store);
    await settle();
    expect(got).toHaveLength(2);
    expect(new Set(got.map((r) => r.endpoint))).toEqual(new Set([phone.endpoint, laptop.endpoint]));

    const detail = await t.app.inject({ method: 'GET', url: `/api/events/${res.json<{ id: string }>().id}`, headers: { cookie } });
    const event = detail.json<EventDetail>().event;
    const publicKey = (await t.app.inject({ method: 'GET', url: '/api/push/public-key', headers: { cookie } })).json<{ publicKey: string }>().publicKey;
    for (const r of got) {
      expect(r.decryptError).toBeNull();
      expect(r.contentEncoding).toBe('aes128gcm');
      // An open event offers `Acknowledge` (§12) to this admin.
      expect(r.payload).toEqual(eventPushPayload(say, event, undefined, [], ackPath('default', event.id)));
      expect(r.payload).toMatchObject({ kind: 'event', title: '💳 Payment failed', body: 'card declined', url: `/events/${event.id}` });
      expect(r.urgency).toBe('high');
      // One topic per delivery: a message sent again after a stop replaces the first at the push service.
      expect(r.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(Number(r.ttl)).toBeGreaterThan(24 * 3600 - 10);
      expect(Number(r.ttl)).toBeLessThanOrEqual(24 * 3600);
      expect(r.vapid.problem).toBeNull();
      expect(r.vapid.publicKey).toBe(publicKey);
      expect(r.vapid.claims).toMatchObject({ aud: service.origin, sub: SUBJECT });
    }
  });

  it("says a push's fixed words in the language the device's app shows; a save without one keeps it; an unknown one is refused", async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    const german = service.subscription();
    const english = service.subscription();
    await subscribe(t.app, cookie, german, 'Telefon', 'de');
    await subscribe(t.app, cookie, english, 'Laptop');
    // The service worker's save (pushsubscriptionchange) knows no language: the device keeps German.
    await subscribe(t.app, cookie, german, 'Telefon');
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/push/subscriptions',
      headers: { cookie, origin: OWN_ORIGIN },
      payload: { endpoint: german.endpoint, keys: german.keys, deviceName: 'Telefon', locale: 'xx' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { field: 'locale' } });
    startWorker();

    expect((await ingest(t.app, key, { name: 'Disk full', notify: true, contextId: 'disk-1' })).statusCode).toBe(201);
    const got = await service.waitFor(2);
    await drained(t.store);
    const by = (endpoint: string) => got.find((r) => r.endpoint === endpoint)!.payload as PushPayload;
    expect(by(german.endpoint).actions?.[0]?.title).toBe('Bestätigen');
    expect(by(english.endpoint).actions?.[0]?.title).toBe('Acknowledge');
    // The thread's count is the device's to fill in, in its language's plural forms.
    expect(inThreadText(by(german.endpoint), 3)).toBe('3 neue in diesem Thread');
    expect(inThreadText(by(english.endpoint), 3)).toBe('3 new in this thread');
    expect(notificationOptions(by(german.endpoint), '/i.png', 1).options.body).toBe('2 neue in diesem Thread · ');
  });

  it('once an action ran or the event was handled, the devices that got its push get a notice in its place, without buttons', async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    const phone = service.subscription();
    await subscribe(t.app, cookie, phone, 'Phone');
    startWorker();
    const hook = await startHook();
    const res = await ingest(t.app, key, { name: 'Refund asked', avatar: '💳', notify: true, actions: [{ key: 'refund', buttonText: 'Refund', url: hook.url }] });
    const id = res.json<{ id: string }>().id;
    await service.waitFor(1);
    await drained(t.store);
    // "Sent to 1 person" on the event (one person's phone took it).
    const detail = await t.app.inject({ method: 'GET', url: `/api/events/${id}`, headers: { cookie } });
    expect(detail.json<EventDetail>().pushedTo).toBe(1);
    // A device that subscribes after the push went out never saw it: it gets no notice either.
    const laptop = service.subscription();
    await subscribe(t.app, cookie, laptop, 'Laptop');
    const pressed = await t.app.inject({ method: 'POST', url: `/api/events/${id}/actions/refund/trigger`, headers: { cookie, origin: OWN_ORIGIN }, payload: {} });
    expect(pressed.statusCode, pressed.body).toBe(200);
    const got = await service.waitFor(2);
    await drained(t.store);
    await settle();
    expect(got.map((r) => r.endpoint)).toEqual([phone.endpoint, phone.endpoint]);
    expect(got[0]!.payload).toMatchObject({ kind: 'event', id, actions: [{ action: ACK_ACTION, title: 'Acknowledge' }, { action: 'refund', title: 'Refund' }] });
    expect(got[1]!.payload).toMatchObject({ kind: 'notice', id, title: '💳 Refund asked', body: '✓ Refund: done by owner@example.com' });
    expect((got[1]!.payload as { actions?: unknown }).actions).toBeUndefined();

    const handled = await t.app.inject({ method: 'PUT', url: `/api/events/${id}/handled`, headers: { cookie, origin: OWN_ORIGIN }, payload: { handled: true } });
    expect(handled.statusCode).toBe(200);
    const all = await service.waitFor(3);
    await drained(t.store);
    expect(all[2]).toMatchObject({ endpoint: phone.endpoint, payload: { kind: 'notice', id, body: '✓ Handled by owner@example.com' } });
    // The event's insights count its push, not the notices.
    await settle();
    expect(service.received).toHaveLength(3);
  });

  it('asks each person who may approve a press by push (all their devices, muted or not), never the requester, and not once it was answered', async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    const ben = await t.store.users.create('ben@example.com', 'x', 'member', Date.now());
    await t.store.members.add(DEFAULT_PROJECT_ID, ben.id, 'member', Date.now());
    const vera = await t.store.users.create('vera@example.com', 'x', 'member', Date.now());
    await t.store.members.add(DEFAULT_PROJECT_ID, vera.id, 'viewer', Date.now());
    const benCookie = await sessionFor(t.store, ben.id);
    const benPhone = service.subscription();
    const benLaptop = service.subscription();
    const veraPhone = service.subscription();
    const ownerPhone = service.subscription();
    await subscribe(t.app, benCookie, benPhone, 'Phone');
    await subscribe(t.app, benCookie, benLaptop, 'Laptop');
    await subscribe(t.app, await sessionFor(t.store, vera.id), veraPhone, 'Phone');
    await subscribe(t.app, cookie, ownerPhone, 'Phone');
    // Ben muted the category: an approval asked of him comes all the same.
    await t.store.members.setPrefs(ben.id, DEFAULT_PROJECT_ID, { enabled: true, muted: ['billing'] });
    const hook = await startHook();
    // Not pushed as an event (notify off): only the approval is.
    const res = await ingest(t.app, key, { name: 'Refund asked', category: 'billing', actions: [{ key: 'refund', buttonText: 'Refund €42', url: hook.url, risk: 'critical' }] });
    const id = res.json<{ id: string }>().id;
    const ask = () => t.app.inject({ method: 'POST', url: `/api/events/${id}/actions/refund/trigger`, headers: { cookie, origin: OWN_ORIGIN }, payload: {} });
    // Answered before the worker got to it: nobody is asked any more.
    const first = (await ask()).json<{ request: { id: string } }>().request.id;
    const denied = await t.app.inject({ method: 'POST', url: `/api/approvals/${first}/deny`, headers: { cookie: benCookie, origin: OWN_ORIGIN }, payload: {} });
    expect(denied.statusCode, denied.body).toBe(200);
    startWorker();
    await drained(t.store);
    await settle();
    expect(service.received).toHaveLength(0);

    const pressed = await t.app.inject({ method: 'POST', url: `/api/events/${id}/actions/refund/trigger`, headers: { cookie, origin: OWN_ORIGIN }, payload: {} });
    expect(pressed.statusCode, pressed.body).toBe(202);
    const requestId = pressed.json<{ request: { id: string } }>().request.id;
    const got = await service.waitFor(2);
    await drained(t.store);
    await settle();
    // Ben's two devices; not the owner who asked, not the viewer.
    expect(got.map((r) => r.endpoint).sort()).toEqual([benPhone.endpoint, benLaptop.endpoint].sort());
    for (const r of got) {
      expect(r.payload).toMatchObject({ kind: 'event', id: `approve-${requestId}`, title: 'Approve? Refund €42', url: `/events/${id}?approve=${requestId}` });
      expect((r.payload as { body: string }).body).toContain('owner@example.com asks');
      expect((r.payload as { actions?: unknown }).actions).toBeUndefined();
    }
    expect(service.received).toHaveLength(2);
  });

  it('does not push test events, events without notify, or to nobody', async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    startWorker();
    // No device yet: the outbox row is drained without a send.
    expect((await ingest(t.app, key, { name: 'before anyone subscribed', notify: true })).statusCode).toBe(201);
    await drained(t.store);
    await subscribe(t.app, cookie, service.subscription());
    expect((await ingest(t.app, key, { name: 'a test event', notify: true, test: true })).statusCode).toBe(201);
    expect((await ingest(t.app, key, { name: 'quiet', notify: false })).statusCode).toBe(201);
    expect((await ingest(t.app, key, { name: 'default is quiet' })).statusCode).toBe(201);
    expect(await t.store.push.pending()).toEqual({ outbox: 0, deliveries: 0 });
    expect((await ingest(t.app, key, { name: 'loud', notify: true })).statusCode).toBe(201);
    await service.waitFor(1);
    await drained(t.store);
    await settle();
    expect(service.received.map((r) => (r.payload as { title: string }).title)).toEqual(['loud']);
  });

  it("goes only to the event's project members who want it: not to outsiders, not when muted or off; names the project for people in several", async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    const ops = (await t.store.projects.create('ops', 'Ops', Date.now()))!;
    const person = async (email: string, memberships: [number, 'viewer' | 'member'][]) => {
      const user = await t.store.users.create(email, 'x', 'member', Date.now());
      for (const [project, role] of memberships) await t.store.members.add(project, user.id, role, Date.now());
      const sub = service.subscription();
      await subscribe(t.app, await sessionFor(t.store, user.id), sub, email);
      return { user, sub };
    };
    const ownerSub = service.subscription();
    await subscribe(t.app, cookie, ownerSub, 'Owner phone');
    const vera = await person('vera@example.com', [[DEFAULT_PROJECT_ID, 'viewer'], [ops.id, 'member']]);
    const otto = await person('otto@example.com', [[ops.id, 'member']]);
    const quiet = await person('quiet@example.com', [[DEFAULT_PROJECT_ID, 'member']]);
    await t.store.members.setPrefs(vera.user.id, DEFAULT_PROJECT_ID, { enabled: true, muted: ['billing'] });
    await t.store.members.setPrefs(quiet.user.id, DEFAULT_PROJECT_ID, { enabled: false, muted: [] });
    startWorker();

    expect((await ingest(t.app, key, { name: 'Card declined', notify: true, category: 'billing' })).statusCode).toBe(201);
    expect((await ingest(t.app, key, { name: 'Deploy failed', notify: true, category: 'deploys' })).statusCode).toBe(201);
    await service.waitFor(3);
    await drained(t.store);
    await settle();
    const got = service.received.map((r) => [r.endpoint, (r.payload as { title: string }).title]).sort();
    expect(got).toEqual(
      [
        [ownerSub.endpoint, 'Default · Card declined'],
        [ownerSub.endpoint, 'Default · Deploy failed'],
        [vera.sub.endpoint, 'Default · Deploy failed'],
      ].sort(),
    );
    expect(service.received.map((r) => r.endpoint)).not.toContain(otto.sub.endpoint);
    expect(service.received.map((r) => r.endpoint)).not.toContain(quiet.sub.endpoint);

    // Removed from a project: its pushes stop at once, even one already queued.
    await t.store.members.remove(DEFAULT_PROJECT_ID, vera.user.id);
    expect((await ingest(t.app, key, { name: 'After removal', notify: true, category: 'deploys' })).statusCode).toBe(201);
    await service.waitFor(4);
    await drained(t.store);
    await settle();
    expect(service.received.filter((r) => (r.payload as { title: string }).title.includes('After removal')).map((r) => r.endpoint)).toEqual([ownerSub.endpoint]);
  });

  it("offers as buttons the actions each person may press: an admin's, a member's, none for a viewer", async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    const person = async (email: string, role: 'viewer' | 'member') => {
      const user = await t.store.users.create(email, 'x', 'member', Date.now());
      await t.store.members.add(DEFAULT_PROJECT_ID, user.id, role, Date.now());
      const sub = service.subscription();
      await subscribe(t.app, await sessionFor(t.store, user.id), sub, email);
      return sub;
    };
    const ownerSub = service.subscription();
    await subscribe(t.app, cookie, ownerSub, 'Owner phone');
    const memberSub = await person('mem@example.com', 'member');
    const viewerSub = await person('view@example.com', 'viewer');
    startWorker();
    const sent = await ingest(t.app, key, {
      name: 'Suspicious login',
      notify: true,
      contextId: 'login-42',
      actions: [
        { key: 'wipe', buttonText: 'Wipe sessions', url: 'https://example.com/w', role: 'admin' },
        { key: 'suspend', buttonText: 'Suspend account', url: 'https://example.com/s' },
        { key: 'open', buttonText: 'Open profile', url: 'https://example.com/p', external: true },
        { key: 'notify', buttonText: 'Tell the user', url: 'https://example.com/n' },
      ],
    });
    expect(sent.statusCode).toBe(201);
    await service.waitFor(3);
    await drained(t.store);
    const buttons = (sub: { endpoint: string }) => (service.received.find((r) => r.endpoint === sub.endpoint)?.payload as { actions?: unknown } | undefined)?.actions;
    // `Acknowledge` first (§12: it is not a press), then the first action each may press; a viewer gets neither.
    const ack = { action: ACK_ACTION, title: 'Acknowledge' };
    expect(buttons(ownerSub)).toEqual([ack, { action: 'wipe', title: 'Wipe sessions' }]);
    expect(buttons(memberSub)).toEqual([ack, { action: 'suspend', title: 'Suspend account' }]);
    expect(buttons(viewerSub)).toBeUndefined();
    expect(service.received.every((r) => (r.payload as { thread?: string }).thread === 'login-42')).toBe(true);
  });

  it('410 and 404 delete the subscription, so the device leaves the list', async () => {
    const { t, service, cookie, key, startWorker, logs } = await setup();
    const gone = service.subscription();
    const missing = service.subscription();
    const alive = service.subscription();
    service.answer(gone, [410]);
    service.answer(missing, [404]);
    await subscribe(t.app, cookie, gone, 'Gone');
    await subscribe(t.app, cookie, missing, 'Missing');
    await subscribe(t.app, cookie, alive, 'Alive');
    startWorker();
    await ingest(t.app, key, { name: 'one', notify: true });
    await service.waitFor(3);
    await drained(t.store);
    expect((await devices(t.app, cookie)).map((d) => d.deviceName)).toEqual(['Alive']);

    await ingest(t.app, key, { name: 'two', notify: true });
    await service.waitFor(4);
    await drained(t.store);
    await settle();
    expect(service.for(gone)).toHaveLength(1);
    expect(service.for(missing)).toHaveLength(1);
    expect(service.for(alive)).toHaveLength(2);
    expect(logs.filter((l) => l.msg.includes('device removed'))).toHaveLength(2);
  });

  it('retries 500 then delivers once on 201; never logs the endpoint path or keys; counts each outcome for /metrics', async () => {
    const { t, service, cookie, key, startWorker, logs } = await setup();
    const sub = service.subscription();
    service.answer(sub, [500, 201]);
    await subscribe(t.app, cookie, sub);
    const metrics = createMetrics();
    const count = async (outcome: string) => (await metrics.pushes.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
    startWorker({ metrics });
    await ingest(t.app, key, { name: 'flaky service', notify: true });
    await service.waitFor(2);
    await drained(t.store);
    await settle();
    expect(service.received.map((r) => r.answered)).toEqual([500, 201]);
    expect(service.received[1]!.payload).toEqual(service.received[0]!.payload);
    expect([await count('retried'), await count('sent'), await count('failed')]).toEqual([1, 1, 0]);

    service.answer(sub, [400]);
    await ingest(t.app, key, { name: 'refused', notify: true });
    await service.waitFor(3);
    await drained(t.store);
    await settle();
    expect([await count('retried'), await count('sent'), await count('failed')]).toEqual([1, 1, 1]);
    const refusal = logs.find((l) => l.msg.includes('giving up'));
    expect(refusal?.obj).toMatchObject({ host: service.host, status: 400 });
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain(new URL(sub.endpoint).pathname);
    expect(logged).not.toContain(sub.keys.p256dh);
    expect(logged).not.toContain(sub.keys.auth);
  });

  it('gives up after the bounded number of attempts and respects Retry-After', async () => {
    const { t, service, cookie, key, startWorker, logs } = await setup();
    const sub = service.subscription();
    service.answer(sub, [{ status: 429, retryAfter: '1' }, 503, 503, 503, 503]);
    await subscribe(t.app, cookie, sub);
    startWorker({ maxAttempts: 3 });
    await ingest(t.app, key, { name: 'overloaded', notify: true });
    await service.waitFor(3);
    await drained(t.store);
    await settle();
    const got = service.for(sub);
    expect(got.map((r) => r.answered)).toEqual([429, 503, 503]);
    // The backoff is 30 ms here; the second try waited for the push service's Retry-After: 1.
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(950);
    expect(logs.filter((l) => l.msg.includes('failed too often'))).toHaveLength(1);
    expect(await devices(t.app, cookie)).toHaveLength(1); // a struggling service does not cost the device
  });

  // Closes and reopens the SQLite files of the data directory: SQLite only.
  it.skipIf(TEST_STORE === 'postgres')('a push stored before a crash is sent by the next run', async () => {
    const { t, service, cookie, key } = await setup();
    await subscribe(t.app, cookie, service.subscription());
    // No worker runs: the event and its outbox row are committed, nothing is sent.
    expect((await ingest(t.app, key, { name: 'stored, not yet sent', avatar: '🧯', notify: true })).statusCode).toBe(201);
    await settle();
    expect(await t.store.push.pending()).toEqual({ outbox: 1, deliveries: 0 });
    expect(service.received).toHaveLength(0);
    // "Crash": the process goes away without a word; a new one opens the same data directory.
    await t.app.close();
    t.sqlite!.close();
    const reopened = openStore(t.dir);
    const log: PushLog = { info: () => {}, warn: () => {}, error: () => {} };
    const worker = startPushWorker({ store: sqliteAppStore(reopened), log, vapid: await loadVapidKeys(sqliteAppStore(reopened), SUBJECT), pollMs: 20 });
    cleanups.push(async () => {
      await worker.stop();
      reopened.close();
      rmSync(t.dir, { recursive: true, force: true });
    });
    const [got] = await service.waitFor(1);
    expect(got?.payload).toMatchObject({ kind: 'event', title: '🧯 stored, not yet sent' });
    await drained(sqliteAppStore(reopened));
  });

  it('a send lost with its process (claimed, never settled) is retried once its lease runs out', async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    await subscribe(t.app, cookie, service.subscription());
    await ingest(t.app, key, { name: 'claimed then crashed', notify: true });
    const t0 = Date.now();
    await t.store.push.expandOutbox(t0, 10);
    expect(await t.store.push.claimDue(t0, 10, t0 + 40_000)).toHaveLength(1); // the dead worker's claim
    startWorker({ now: () => Date.now() + 41_000 });
    expect((await service.waitFor(1))[0]?.payload).toMatchObject({ title: 'claimed then crashed' });
  });

  it('ingest answers 201 at once while the push service hangs; the hung send times out and is retried', async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    const sub = service.subscription();
    service.answer(sub, ['hang']);
    await subscribe(t.app, cookie, sub);
    startWorker({ timeoutMs: 1_500 });
    expect((await ingest(t.app, key, { name: 'first', notify: true })).statusCode).toBe(201);
    await service.waitFor(1); // the service now holds the first send open
    const started = Date.now();
    for (const name of ['second', 'third']) {
      expect((await ingest(t.app, key, { name, notify: true })).statusCode).toBe(201);
    }
    expect(Date.now() - started).toBeLessThan(750); // well under the 1.5 s the hung send holds on
    await service.waitFor(4);
    await drained(t.store);
    const titles = service.received.filter((r) => r.answered === 201).map((r) => (r.payload as { title: string }).title);
    expect(titles.sort()).toEqual(['first', 'second', 'third']);
  });

  it('an ingest commit wakes the worker without waiting for its poll', async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    await subscribe(t.app, cookie, service.subscription());
    startWorker({ pollMs: 60_000 });
    await settle(); // the start-up pass is over; from here only a kick can send
    await ingest(t.app, key, { name: 'kicked', notify: true });
    // Within 5 s, against a poll of 60 s: only the kick can have sent it (1 s was too short for two busy cores).
    expect(await service.waitFor(1, 5_000)).toHaveLength(1);
  });
});

describe('quiet hours (§12)', () => {
  it('holds a push until the person’s quiet hours end, but not an urgent event’s', async () => {
    const { t, service, cookie, key, startWorker } = await setup();
    await subscribe(t.app, cookie, service.subscription(), 'Phone');
    const hhmm = (at: number) => new Date(at).toISOString().slice(11, 16);
    const quiet = { from: hhmm(Date.now() - 3_600_000), to: hhmm(Date.now() + 3_600_000), timeZone: 'UTC' };
    const put = await t.app.inject({ method: 'PUT', url: '/api/account/quiet-hours', headers: { cookie, origin: OWN_ORIGIN }, payload: { quietHours: quiet } });
    expect(put.json()).toEqual({ quietHours: quiet });
    startWorker();
    await ingest(t.app, key, { name: 'Nightly report', notify: true });
    await ingest(t.app, key, { name: 'Checkout down', notify: true, urgent: true });
    const got = await service.waitFor(1);
    await settle();
    expect(got.map((r) => (r.payload as { title: string }).title)).toEqual(['Checkout down']);
    // The other waits, queued for the end of the quiet hours (about an hour from now).
    const pending = await t.store.push.pending();
    expect(pending).toMatchObject({ outbox: 0, deliveries: 1 });
    const bad = await t.app.inject({ method: 'PUT', url: '/api/account/quiet-hours', headers: { cookie, origin: OWN_ORIGIN }, payload: { quietHours: { ...quiet, timeZone: 'Mars/Olympus' } } });
    expect(bad.json()).toMatchObject({ error: { field: 'quietHours.timeZone' } });
    const same = await t.app.inject({ method: 'PUT', url: '/api/account/quiet-hours', headers: { cookie, origin: OWN_ORIGIN }, payload: { quietHours: { ...quiet, to: quiet.from } } });
    expect(same.json()).toMatchObject({ error: { field: 'quietHours.to' } });
  });
});
