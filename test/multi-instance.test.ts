/**
 * Several instances, one truth (PostgreSQL): three real server processes on one throwaway database,
 * as a load balancer would spread a team over them. Each test sends its requests to different
 * instances and checks what CONTRACT §6 promises: they start together and migrate once, share their
 * secrets, fan every change out to every stream in one order, resume a stream on another instance
 * exactly, run a press once, send each push once, answer an Idempotency-Key retry the first way,
 * hold a revocation or a sign-out everywhere at once, count rate limits across them, lose no acknowledged event when one is killed,
 * and settle the press of a dead instance after its lease.
 */
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDto, IngestAccepted } from '../contract/api.ts';
import type { EventLiveEntry as LiveWire } from '../server/store/eventRows.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import type { AppStore } from '../server/store/types.ts';
import { migrationFiles } from '../server/store/postgres/migrate.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { startPushEndpoint, type PushEndpoint } from './fixtures/pushEndpoint.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { freePort, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { SseReader } from './fixtures/sseReader.ts';
import { tempDir } from './helpers.ts';

const ORIGIN = 'http://switchboard.test';
const EMAIL = 'team@example.com';
const PASSWORD = 'one database, three instances';

let database: TestDatabase;
let store: AppStore;
let push: PushEndpoint;
let instances: ServerProcess[] = [];
let key: string;
let cookie: string;
let setupTokens: (string | null)[] = [];
let setupStatuses: number[] = [];
let signedInAs = EMAIL;
let hook: { url: string; requests: number; release: () => void; hold: boolean; server: Server };

async function startInstance(env: Record<string, string> = {}): Promise<ServerProcess> {
  return spawnServer(tempDir(), await freePort(), {
    DATABASE_URL: database.url,
    PUBLIC_URL: ORIGIN,
    DIST_DIR: '/nonexistent',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_MS: '2000',
    // A dead instance's press is settled 5 s after its webhook's timeout (30 s in production): the test waits less.
    PRESS_LEASE_MARGIN_MS: '5000',
    PUSH_ENDPOINT_HOSTS: push.host,
    METRICS_TOKEN: 'instances-metrics',
    ...env,
  });
}

const json = { 'content-type': 'application/json', origin: ORIGIN };

async function ingest(instance: ServerProcess, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${instance.url}/api/v1/log`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as IngestAccepted & { error?: { code: string } } };
}

async function get<T>(instance: ServerProcess, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${instance.url}${path}`, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as T };
}

async function press(instance: ServerProcess, eventId: string, action: string) {
  const res = await fetch(`${instance.url}/api/events/${eventId}/actions/${action}/trigger`, { method: 'POST', headers: { ...json, cookie }, body: '{}' });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

/** Opens a live stream on an instance; `messages(n)` reads the next n event messages. */
async function stream(instance: ServerProcess, lastEventId?: number) {
  const controller = new AbortController();
  const res = await fetch(`${instance.url}/api/stream`, {
    headers: { cookie, ...(lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }) },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  const reader = new SseReader(res.body!);
  return {
    async messages(n: number): Promise<LiveWire[]> {
      const out: LiveWire[] = [];
      while (out.length < n) {
        const m = await reader.next();
        if (m.event === 'event') out.push(JSON.parse(m.data) as LiveWire);
      }
      return out;
    },
    close: () => controller.abort(),
  };
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  database = await createTestDatabase('instances');
  push = await startPushEndpoint();
  // A webhook receiver that counts requests, and can hold them unanswered.
  hook = { url: '', requests: 0, release: () => {}, hold: false, server: createServer() };
  const held: (() => void)[] = [];
  hook.release = () => {
    for (const r of held.splice(0)) r();
  };
  hook.server.on('request', (req, res) => {
    req.resume();
    hook.requests += 1;
    if (hook.hold) held.push(() => res.writeHead(200).end('late'));
    else res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => hook.server.listen(0, '127.0.0.1', r));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`;

  // Three instances starting at the same moment on an empty database.
  instances = await Promise.all([startInstance(), startInstance(), startInstance()]);
  store = await openPostgresStore(database.url, { max: 2 });
  // Each printed the one-time setup link; two people open it on two instances at the same moment.
  setupTokens = instances.map((i) => /setup#token=([\w-]+)/.exec(i.output())?.[1] ?? null);
  const setups = await Promise.all(
    [instances[0]!, instances[1]!].map((i, n) =>
      fetch(`${i.url}/api/auth/setup`, { method: 'POST', headers: json, body: JSON.stringify({ token: setupTokens[0], email: n === 0 ? EMAIL : 'other@example.com', password: PASSWORD }) }),
    ),
  );
  setupStatuses = setups.map((r) => r.status);
  key = (await createApiKey(store, DEFAULT_PROJECT_ID, 'instances', null, Date.now())).key;
  const owner = (await store.users.byEmail(EMAIL)) ? EMAIL : 'other@example.com';
  const res = await fetch(`${instances[0]!.url}/api/auth/sign-in`, { method: 'POST', headers: json, body: JSON.stringify({ email: owner, password: PASSWORD }) });
  expect(res.status, `${await res.text()}\n${instances[0]!.output()}`).toBe(200);
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  signedInAs = owner;
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.kill9()));
  await store?.close();
  await push?.close();
  hook?.release();
  hook?.server.closeAllConnections();
  hook?.server.close();
  await database?.drop();
});

describe('three instances on one PostgreSQL database', () => {
  it('start together, migrate once, print one setup link that makes one owner, and share one VAPID key and one webhook secret', async () => {
    expect(setupTokens[0]).toBeTruthy();
    expect(new Set(setupTokens).size).toBe(1);
    expect(setupStatuses.sort()).toEqual([201, 403]);
    expect(await store.users.count()).toBe(1);
    const versions = await (async () => {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const r = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      await client.end();
      return r.rows.map((x) => x.version);
    })();
    expect(versions).toEqual(migrationFiles().map((m) => m.version));
    const keys = await Promise.all(instances.map(async (i) => (await get<{ publicKey: string }>(i, '/api/push/public-key')).body.publicKey));
    expect(new Set(keys).size).toBe(1);
    const secrets = await Promise.all(instances.map(async (i) => (await get<{ secret: string }>(i, '/api/settings/webhook-secret')).body.secret));
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).toMatch(/^whsec_/);
  });

  it('fans every event out to every stream, in one order, whichever instance took it', async () => {
    const [a, b, c] = instances as [ServerProcess, ServerProcess, ServerProcess];
    const onB = await stream(b);
    const onC = await stream(c);
    const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => ingest(instances[i % 3]!, { name: `fan-out ${i}`, category: 'fan' })));
    expect(sent.every((s) => s.status === 201)).toBe(true);
    const [gotB, gotC] = await Promise.all([onB.messages(30), onC.messages(30)]);
    onB.close();
    onC.close();
    const ids = (list: LiveWire[]) => list.map((m) => m.event.id);
    expect(new Set(ids(gotB))).toEqual(new Set(sent.map((s) => s.body.id)));
    expect(ids(gotC)).toEqual(ids(gotB));
    const seqs = gotB.map((m) => m.liveSeq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    void a;
  });

  it('resumes a stream on another instance from Last-Event-ID: nothing missed, nothing repeated', async () => {
    const [a, b, c] = instances as [ServerProcess, ServerProcess, ServerProcess];
    const first = await stream(b);
    for (let i = 0; i < 5; i++) await ingest(a, { name: `resume ${i}` });
    const seen = await first.messages(5);
    first.close();
    const lastId = seen[seen.length - 1]!.liveSeq;
    const later: IngestAccepted[] = [];
    for (let i = 5; i < 12; i++) later.push((await ingest(i % 2 ? a : b, { name: `resume ${i}` })).body);
    const resumed = await stream(c, lastId);
    const replay = await resumed.messages(7);
    resumed.close();
    expect(replay.map((m) => m.event.id)).toEqual(later.map((l) => l.id));
    expect(replay[0]!.liveSeq).toBeGreaterThan(lastId);
  });

  it('runs a press once when two instances get it at the same moment', async () => {
    const [a, b] = instances as [ServerProcess, ServerProcess];
    const before = hook.requests;
    const { body } = await ingest(a, { name: 'press race', actions: [{ key: 'go', buttonText: 'Go', url: hook.url, expireIn: 10 }] });
    const results = await Promise.all([press(a, body.id, 'go'), press(b, body.id, 'go')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.error?.code).toMatch(/already_(running|done)/);
    expect(hook.requests - before).toBe(1);
  });

  it('returns a long poll on one instance the moment its question is answered on another; two answers at once on two instances: one decides', async () => {
    const [a, b, c] = instances as [ServerProcess, ServerProcess, ServerProcess];
    const asked = await ingest(a, { name: 'Deploy 1.4?', actions: [{ key: 'ship', buttonText: 'Ship it', reply: true, input: { label: 'Why?' } }, { key: 'hold', buttonText: 'Hold', reply: true }] });
    const poll = (i: ServerProcess, wait: number) =>
      fetch(`${i.url}/api/v1/events/${asked.body.id}/decision?wait=${wait}`, { headers: { authorization: `Bearer ${key}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as { status: string; key: string | null; input: string | null; decidedBy: { email: string } | null } }));
    // The wait is on C; it is open before the answer (a zero wait answers pending at once).
    expect((await poll(c, 0)).body.status).toBe('pending');
    const waiting = poll(c, 30);
    // Answered only once C holds the wait (its metrics count it), so the answer must cross instances to end it.
    await until('the wait on C', async () => {
      const text = await (await fetch(`${c.url}/metrics`, { headers: { authorization: 'Bearer instances-metrics' } })).text();
      return /^switchboard_decision_waits 1$/m.test(text);
    });
    const answers = await Promise.all([
      fetch(`${a.url}/api/events/${asked.body.id}/actions/ship/trigger`, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify({ input: 'canary green' }) }),
      fetch(`${b.url}/api/events/${asked.body.id}/actions/hold/trigger`, { method: 'POST', headers: { ...json, cookie }, body: '{}' }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = answers[0]!.status === 200 ? 'ship' : 'hold';
    const got = await waiting;
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ status: 'decided', key: winner, decidedBy: { email: signedInAs } });
    expect(got.body.input).toBe(winner === 'ship' ? 'canary green' : null);
  });

  it('keeps one event for a storm of duplicates sent to three instances at once (dedupKey): one 201, the rest 200 with its id, the count exact', async () => {
    const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => ingest(instances[i % 3]!, { name: 'Disk full on db-9', content: `#${i}`, dedupKey: 'disk:db-9' })));
    expect(sent.map((s) => s.status).sort()).toEqual([...Array(29).fill(200), 201].sort());
    const ids = new Set(sent.map((s) => s.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const { body } = await get<{ event: EventDto }>(instances[2]!, `/api/events/${id}`);
    expect(body.event.count).toBe(30);
  });

  it('answers an Idempotency-Key retry that reaches another instance with the first answer, and stores one event', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `retry-${Date.now()}-${i}`);
    for (const k of keys) {
      const answers = await Promise.all(instances.map((i) => ingest(i, { name: `idem ${k}`, category: 'idem' }, { 'idempotency-key': k })));
      expect(new Set(answers.map((x) => x.body.id)).size).toBe(1);
      expect(answers.map((x) => x.status).filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    }
    const feed = await get<{ events: EventDto[] }>(instances[1]!, '/api/events?category=idem&limit=100');
    expect(feed.body.events).toHaveLength(keys.length);
  });

  it('holds a key revocation and a sign-out on every instance at once', async () => {
    const [a, b, c] = instances as [ServerProcess, ServerProcess, ServerProcess];
    const spare = await createApiKey(store, DEFAULT_PROJECT_ID, 'spare', null, Date.now());
    const use = (i: ServerProcess) =>
      fetch(`${i.url}/api/v1/log`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${spare.key}` }, body: '{"name":"k"}' }).then((r) => r.status);
    expect(await Promise.all(instances.map(use))).toEqual([201, 201, 201]);
    const revoked = await fetch(`${a.url}/api/keys/${spare.id}`, { method: 'DELETE', headers: { ...json, cookie }, body: '{}' });
    expect(revoked.status).toBe(204);
    // Each instance remembers active keys; the revocation reaches them by NOTIFY with its commit (the
    // revoking request returns once A heard its own). B and C hear it within a second (the §13 bound).
    await until('B and C to refuse the revoked key', async () => (await Promise.all([use(b), use(c)])).every((s) => s === 401), 1_000);

    const signIn = await fetch(`${b.url}/api/auth/sign-in`, { method: 'POST', headers: json, body: JSON.stringify({ email: signedInAs, password: PASSWORD }) });
    const other = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const status = (i: ServerProcess) => fetch(`${i.url}/api/events`, { headers: { cookie: other } }).then((r) => r.status);
    expect(await status(c)).toBe(200);
    const out = await fetch(`${c.url}/api/auth/sign-out`, { method: 'POST', headers: { ...json, cookie: other }, body: '{}' });
    expect(out.status).toBeLessThan(300);
    expect(await Promise.all([status(a), status(b)])).toEqual([401, 401]);
  });

  it('takes a removed member out on every instance at once: their open stream on another instance ends, their next request is refused', async () => {
    const [a, b] = instances as [ServerProcess, ServerProcess];
    const post = (i: ServerProcess, path: string, body: unknown, as = cookie) =>
      fetch(`${i.url}${path}`, { method: 'POST', headers: { ...json, cookie: as }, body: JSON.stringify(body) });
    expect((await post(a, '/api/projects', { name: 'Team', slug: 'team' })).status).toBe(201);
    const invite = (await (await post(a, '/api/projects/team/invites', { role: 'member' })).json()) as { url: string };
    const token = new URL(invite.url).hash.replace('#token=', '');
    const joined = await fetch(`${b.url}/api/invites/accept`, { method: 'POST', headers: json, body: JSON.stringify({ token, name: 'Tia', email: 'tia@example.com', password: PASSWORD }) });
    expect(joined.status).toBe(201);
    const tia = joined.headers.get('set-cookie')!.split(';')[0]!;
    const userId = ((await joined.json()) as { me: { id: string } }).me.id;

    const open = await fetch(`${b.url}/api/projects/team/stream`, { headers: { cookie: tia } });
    expect(open.status).toBe(200);
    const reader = open.body!.getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();
    const removed = await fetch(`${a.url}/api/projects/team/members/${userId}`, { method: 'DELETE', headers: { ...json, cookie }, body: '{}' });
    expect(removed.status).toBe(204);
    // Told through PostgreSQL (NOTIFY), instance B closes the stream it holds.
    expect(await ended).toBe(true);
    expect((await fetch(`${b.url}/api/projects/team/events`, { headers: { cookie: tia } })).status).toBe(404);
    expect((await fetch(`${instances[2]!.url}/api/projects/team/stream`, { headers: { cookie: tia } })).status).toBe(404);
  });

  it('counts sign-in failures across instances: the eleventh try of one email from one address is refused on any of them', async () => {
    const attempt = (i: ServerProcess, password: string) =>
      fetch(`${i.url}/api/auth/sign-in`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'guessed@example.com', password }) }).then((r) => r.status);
    const statuses: number[] = [];
    for (let n = 0; n < 10; n++) statuses.push(await attempt(instances[n % 3]!, `wrong guess ${n}`));
    expect(statuses).toEqual(Array(10).fill(401));
    // Each instance saw only three or four of them: only a shared count refuses now.
    expect(await Promise.all(instances.map((i) => attempt(i, 'wrong guess 11')))).toEqual([429, 429, 429]);
  });

  it('counts the ingest rate limit of a key across instances', async () => {
    const limited = await Promise.all([startInstance({ INGEST_RATE_LIMIT: '20' }), startInstance({ INGEST_RATE_LIMIT: '20' })]);
    try {
      const limitedKey = await createApiKey(store, DEFAULT_PROJECT_ID, 'limited', null, Date.now());
      const statuses: number[] = [];
      for (let n = 0; n < 30; n++) {
        const res = await fetch(`${limited[n % 2]!.url}/api/v1/log`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${limitedKey.key}` },
          body: JSON.stringify({ name: `limited ${n}` }),
        });
        statuses.push(res.status);
      }
      // 20 a minute for the key, whichever instance takes each request (the bucket refills by about one
      // meanwhile): per-instance counts would have let 30 through. Where the last yes falls is not fixed:
      // an instance may refuse while the other still holds a token it leased (server/http/rateLimiter.ts),
      // and a token that refills after the first refusal is spent by the next request.
      const accepted = statuses.filter((x) => x === 201).length;
      expect(accepted).toBeGreaterThanOrEqual(20);
      expect(accepted).toBeLessThanOrEqual(21);
      expect(statuses.filter((x) => x === 429)).toHaveLength(30 - accepted);
    } finally {
      await Promise.all(limited.map((i) => i.stop()));
    }
  });

  it('sends each push once, though every instance runs a push worker', async () => {
    const device = push.subscription();
    const res = await fetch(`${instances[2]!.url}/api/push/subscriptions`, {
      method: 'PUT',
      headers: { ...json, cookie },
      body: JSON.stringify({ endpoint: device.endpoint, keys: device.keys, deviceName: 'Team phone' }),
    });
    expect(res.status).toBe(200);
    const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => ingest(instances[i % 3]!, { name: `push ${i}`, notify: true })));
    await push.waitFor(12, 20_000);
    // A little longer: a second copy of any message would have arrived by now.
    await new Promise((r) => setTimeout(r, 2500));
    const got = push.for(device);
    expect(got.every((p) => p.decryptError === null)).toBe(true);
    expect(got.map((p) => (p.payload as { id: string }).id).sort()).toEqual(sent.map((s) => s.body.id).sort());
  });

  it('sends a scheduled press once, from another instance, when the one that took it is killed before its time', async () => {
    const doomed = await startInstance();
    const headers = { ...json, cookie };
    const policy = await fetch(`${doomed.url}/api/projects/default/policy`, { method: 'PUT', headers, body: JSON.stringify({ high: { delaySeconds: 2 } }) });
    expect(policy.status).toBe(200);
    try {
      const { body: sent } = await ingest(doomed, { name: 'scheduled on a dying instance', actions: [{ key: 'wipe', buttonText: 'Wipe', url: hook.url, type: 'danger', expireIn: 10 }] });
      const before = hook.requests;
      const pressed = await press(doomed, sent.id, 'wipe');
      expect(pressed.status).toBe(202);
      await doomed.kill9();
      // Three live instances look for it: one claims it, at its time.
      await until('another instance to send it', async () => hook.requests > before, 15_000);
      await new Promise((r) => setTimeout(r, 4_000));
      expect(hook.requests - before).toBe(1);
      const { body } = await get<{ event: EventDto }>(instances[1]!, `/api/events/${sent.id}`);
      expect(body.event.actions[0]).toMatchObject({ state: 'succeeded', request: { status: 'sent' } });
    } finally {
      await fetch(`${instances[1]!.url}/api/projects/default/policy`, { method: 'PUT', headers, body: JSON.stringify({ high: { delaySeconds: 5 } }) });
    }
  }, 60_000);

  it('loses no acknowledged event when an instance is killed, and another settles its running press after the lease', async () => {
    const [a, b, c] = instances as [ServerProcess, ServerProcess, ServerProcess];
    const { body: pressed } = await ingest(b, { name: 'press on a dying instance', actions: [{ key: 'slow', buttonText: 'Slow', url: hook.url, expireIn: 10 }] });
    hook.hold = true;
    const before = hook.requests;
    const running = press(a, pressed.id, 'slow').catch(() => null);
    await until('the webhook to reach the receiver', async () => hook.requests > before);

    const acknowledged: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop && i < 2000; i++) {
        try {
          const r = await ingest(a, { name: `durable ${i}`, category: 'durable' });
          if (r.status === 201) acknowledged.push(r.body.id);
        } catch {
          return; // the connection died with the instance
        }
      }
    })();
    await until('some events acknowledged', async () => acknowledged.length >= 20);
    await a.kill9();
    stop = true;
    await writer;
    await running;
    hook.hold = false;
    hook.release();

    const stored = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { events: EventDto[]; nextCursor: string | null } } = await get(c, `/api/events?category=durable&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const e of page.body.events) stored.add(e.id);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);

    // The dead instance's press is `running` until its lease (timeout + PRESS_LEASE_MARGIN_MS) runs out; a live
    // instance's sweep (every 15 s) then settles it as failed, `interrupted`.
    const detail = await until(
      'the interrupted press to be settled',
      async () => {
        const r = await get<{ event: EventDto }>(b, `/api/events/${pressed.id}`);
        const action = r.body.event.actions.find((x) => x.key === 'slow');
        return action?.state === 'failed' ? action : null;
      },
      60_000,
    );
    expect(detail.lastAttempt?.reason).toBe('interrupted');
  }, 90_000);
});
