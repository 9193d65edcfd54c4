/**
 * Staying up when the database does not (issue 21): two real server processes on a PostgreSQL cluster
 * of this file's own, under a steady ingest load, while the database is broken on purpose — backends
 * terminated, a fast restart, an outage, an instance started while it is down, and a press whose
 * webhook is in flight when it goes away. Each time: both processes stay up, every answer while the
 * database is away is 503 `store_unavailable` with Retry-After (never a 500), every event sent (retried
 * with its Idempotency-Key, as the Operational SDKs do) is stored exactly once, and a webhook that ran
 * is recorded as run and never sent twice.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from './fixtures/postgres.ts';
import { freePort, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { sessionFor, tempDir } from './helpers.ts';

const ORIGIN = 'http://switchboard.test';
/** How long the database stays away in the outage test (the field report: 20 s; CI keeps it short). */
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 3_000);

let cluster: ThrowawayPostgres;
let url: string;
let key: string;
let cookie: string;
const instances: ServerProcess[] = [];

/** A query on the cluster's `postgres` database, on a connection of its own (the cluster restarts under it). */
async function adminQuery(sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: cluster.url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startInstance(env: Record<string, string> = {}, ready?: RegExp): Promise<ServerProcess> {
  return spawnServer(
    tempDir(),
    await freePort(),
    { DATABASE_URL: url, PUBLIC_URL: ORIGIN, DIST_DIR: '/nonexistent', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '15000', ...env },
    ready,
  );
}

beforeAll(async () => {
  cluster = await startThrowawayPostgres();
  await adminQuery('CREATE DATABASE outage');
  url = cluster.url.replace(/\/postgres$/, '/outage');
  const store = await openPostgresStore(url, { max: 2 });
  try {
    key = (await createApiKey(store, DEFAULT_PROJECT_ID, 'outage', null, Date.now())).key;
    const owner = await store.users.create('owner@outage.example', 'x', 'owner', Date.now());
    cookie = await sessionFor(store, owner.id);
  } finally {
    await store.close();
  }
  instances.push(await startInstance(), await startInstance());
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  cluster?.stop();
});

interface Answer {
  status: number | 'no answer';
  code?: string;
  retryAfter?: string | null;
}

/**
 * Ingest at about 40 events a second, alternating instances; each event keeps its Idempotency-Key
 * and is sent again (after a short pause) until it is acknowledged. `stop()` ends the sending and
 * waits until every event started has been acknowledged.
 */
function load(label: string) {
  const answers: Answer[] = [];
  const acknowledged = new Set<string>();
  let running = true;
  let n = 0;
  const inFlight: Promise<void>[] = [];
  const sendOne = async (idem: string, i: number) => {
    for (let attempt = 0; ; attempt++) {
      const instance = instances[(i + attempt) % 2]!;
      try {
        const res = await fetch(`${instance.url}/api/v1/log`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'idempotency-key': idem },
          body: JSON.stringify({ name: `${label} ${i}` }),
          signal: AbortSignal.timeout(15_000),
        });
        const body = (await res.json().catch(() => ({}))) as { error?: { code: string } };
        answers.push({ status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after') });
        if (res.status === 201) {
          acknowledged.add(idem);
          return;
        }
      } catch {
        answers.push({ status: 'no answer' });
      }
      await sleep(250);
    }
  };
  const loop = (async () => {
    while (running) {
      const i = n++;
      inFlight.push(sendOne(`${label}-${i}`, i));
      await sleep(25);
    }
  })();
  return {
    answers,
    acknowledged,
    async stop() {
      running = false;
      await loop;
      await Promise.all(inFlight);
      return n;
    },
  };
}

/** Every answer was a 201 or a 503 store_unavailable with Retry-After; never a 500, never silence. */
function expectOnlyOutageAnswers(answers: Answer[]) {
  const wrong = answers.filter((a) => a.status !== 201 && !(a.status === 503 && a.code === 'store_unavailable' && a.retryAfter));
  expect(wrong.slice(0, 5), `${wrong.length} of ${answers.length} answers were neither 201 nor 503 store_unavailable`).toEqual([]);
}

async function storedNames(prefix: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; n: string }>('SELECT name, COUNT(*) AS n FROM events WHERE name LIKE $1 GROUP BY name', [`${prefix} %`]);
    return new Map(rows.map((r) => [r.name, Number(r.n)]));
  } finally {
    await client.end();
  }
}

async function expectEachOnce(label: string, sent: number) {
  const stored = await storedNames(label);
  expect(stored.size).toBe(sent);
  expect([...stored.values()].every((n) => n === 1)).toBe(true);
}

const ready = async (instance: ServerProcess) => (await fetch(`${instance.url}/readyz`, { signal: AbortSignal.timeout(5_000) }).catch(() => null))?.status ?? 0;

async function until(what: string, check: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('PostgreSQL goes away under load; the instances stay up', () => {
  it('backends terminated again and again (pg_terminate_backend): no crash, no 500, nothing lost or doubled', async () => {
    const traffic = load('terminated');
    await sleep(500);
    let terminated = 0;
    for (let i = 0; i < 10; i++) {
      const { rows } = await adminQuery("SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = 'outage'");
      terminated += Number(rows[0].n);
      await sleep(150);
    }
    await sleep(1_000);
    const sent = await traffic.stop();
    console.log(`[outage] terminated ${terminated} backends; ${sent} events, ${traffic.answers.length} answers, ${traffic.answers.filter((a) => a.status === 503).length} × 503`);
    expect(terminated).toBeGreaterThan(0);
    for (const i of instances) expect(i.alive(), i.output()).toBe(true);
    expectOnlyOutageAnswers(traffic.answers);
    await expectEachOnce('terminated', sent);
  });

  it('a fast restart of PostgreSQL under load', async () => {
    const traffic = load('restart');
    await sleep(500);
    cluster.restart();
    await sleep(1_500);
    const sent = await traffic.stop();
    console.log(`[outage] restart: ${sent} events, ${traffic.answers.filter((a) => a.status === 503).length} × 503`);
    for (const i of instances) expect(i.alive(), i.output()).toBe(true);
    expectOnlyOutageAnswers(traffic.answers);
    await expectEachOnce('restart', sent);
    for (const i of instances) await until('readyz 200 after the restart', async () => (await ready(i)) === 200);
  });

  it(`an outage of ${OUTAGE_MS / 1000} s: 503 with Retry-After meanwhile (readyz too), then everything sent is stored once`, async () => {
    const traffic = load('outage');
    await sleep(500);
    cluster.down();
    const downAt = Date.now();
    await sleep(Math.min(2_000, OUTAGE_MS / 2));
    for (const i of instances) expect(await ready(i)).toBe(503);
    const during = await fetch(`${instances[0]!.url}/api/events`, { headers: { cookie } });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBeTruthy();
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    cluster.up();
    const sent = await traffic.stop();
    const refused = traffic.answers.filter((a) => a.status === 503).length;
    console.log(`[outage] ${OUTAGE_MS} ms down: ${sent} events, ${traffic.answers.length} answers, ${refused} × 503 store_unavailable, none lost`);
    expect(refused).toBeGreaterThan(0);
    for (const i of instances) expect(i.alive(), i.output()).toBe(true);
    expectOnlyOutageAnswers(traffic.answers);
    await expectEachOnce('outage', sent);
    for (const i of instances) await until('readyz 200 after the outage', async () => (await ready(i)) === 200);
    // The live stream opens again, and metrics counted the refusals.
    const stream = await fetch(`${instances[1]!.url}/api/stream`, { headers: { cookie }, signal: AbortSignal.timeout(3_000) }).catch(() => null);
    expect(stream?.status).toBe(200);
    await stream?.body?.cancel();
  });

  it('an instance started while the database is down waits (healthz 200, readyz and the API 503), then serves', async () => {
    cluster.down();
    let late: ServerProcess | null = null;
    try {
      late = await startInstance({}, /waiting for PostgreSQL/);
      await until('the stand-in to listen', async () => (await fetch(`${late!.url}/healthz`).catch(() => null))?.status === 200, 5_000);
      expect(await ready(late)).toBe(503);
      const ingest = await fetch(`${late.url}/api/v1/log`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"name":"x"}' });
      expect(ingest.status).toBe(503);
      expect(ingest.headers.get('retry-after')).toBeTruthy();
      expect(((await ingest.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
      await sleep(1_500);
      expect(late.alive()).toBe(true);
      cluster.up();
      await until('the late instance to run', async () => /running at http/.test(late!.output()), 20_000);
      expect(await ready(late)).toBe(200);
      const after = await fetch(`${late.url}/api/v1/log`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"name":"after the wait"}' });
      expect(after.status).toBe(201);
      expect(late.output()).toMatch(/waiting for PostgreSQL .*trying again in/);
    } finally {
      if (!(await ready(instances[0]!))) cluster.up();
      await late?.stop();
    }
  });
});

describe('readiness never hangs', () => {
  it('/readyz says 503 while its write is blocked, before the block ends, and 200 after', async () => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    let released = false;
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE settings IN ACCESS EXCLUSIVE MODE');
      const release = sleep(2_500).then(async () => {
        released = true;
        await client.query('ROLLBACK');
      });
      const answer = await fetch(`${instances[0]!.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
      const answeredWhileBlocked = !released;
      expect([answer.status, answeredWhileBlocked]).toEqual([503, true]);
      await release;
      await until('readyz 200 once the lock is gone', async () => (await ready(instances[0]!)) === 200, 5_000);
    } finally {
      await client.end().catch(() => undefined);
    }
  });
});

describe('a press whose webhook is in flight when the database goes away', () => {
  let receiver: Server;
  let received = 0;
  let hookUrl: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      received++;
      req.resume();
      // A slow job at the receiver (the field report's took 8 s; 2 s shows the same, sooner).
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 2_000);
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/refund`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  it('is recorded as succeeded once the database is back, and is never sent twice', async () => {
    const sent = await fetch(`${instances[0]!.url}/api/v1/log`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Refund order 42', actions: [{ key: 'refund', buttonText: 'Refund', url: hookUrl }] }),
    });
    const { id } = (await sent.json()) as { id: string };
    const press = fetch(`${instances[0]!.url}/api/events/${id}/actions/refund/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, cookie },
      body: '{}',
      signal: AbortSignal.timeout(30_000),
    });
    await until('the receiver to get the webhook', async () => received === 1, 5_000);
    cluster.down();
    // The receiver answers 200 at 2 s, while the database is away; it is back at about 4 s, while the presser still waits.
    await sleep(3_500);
    cluster.up();
    const answer = await press;
    const body = (await answer.json()) as { attempt?: { outcome: string }; error?: { code: string } };
    expect([answer.status, body.attempt?.outcome ?? body.error?.code]).toEqual([200, 'succeeded']);
    for (const i of instances) expect(i.alive(), i.output()).toBe(true);
    // Pressing again: it already succeeded (no repeat), so nothing is sent.
    const again = await fetch(`${instances[1]!.url}/api/events/${id}/actions/refund/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, cookie },
      body: '{}',
    });
    expect(again.status).toBe(409);
    expect(received).toBe(1);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const attempts = await client.query("SELECT outcome, reason FROM action_attempts WHERE action_key = 'refund'");
      expect(attempts.rows).toEqual([{ outcome: 'succeeded', reason: null }]);
    } finally {
      await client.end();
    }
  }, 60_000);
});
