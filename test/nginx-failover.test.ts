/**
 * compose.yaml's topology for real, without Docker: two server processes on one PostgreSQL database
 * behind the shipped deploy/nginx.conf in a real nginx (test/fixtures/nginx.ts: only the upstream
 * addresses and the port changed), with compose.yaml's TRUST_PROXY=1 and a PUBLIC_URL that is not the
 * address nginx is reached at.
 *
 * - Signing in works at whatever address the proxy is reached (nginx passes the Host with its port,
 *   which the server's same-origin check compares with the Origin); another origin is still refused.
 * - The one-by-one upgrade of docs/deploy.md (SIGTERM one instance, start it again, then the other)
 *   while events arrive 20 a second, each with an Idempotency-Key: every one is answered 201 the first
 *   time (nginx takes each request that met a stopped instance to the other one), the database holds
 *   each exactly once, the live stream (reconnecting with Last-Event-ID as a browser's EventSource
 *   does) sees each exactly once, and nginx never runs out of instances.
 * - What nginx retries, with stand-ins for the states a real instance passes through too fast to
 *   catch (stopping) or that would need the shared PostgreSQL cluster stopped (database away): after
 *   a 503 `shutting_down`, an event with an Idempotency-Key but never a sign-in; a request that never
 *   reached an instance, always; and after an outage that took both out, both are used again within 3 s.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestAccepted } from '../contract/api.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import type { AppStore } from '../server/store/types.ts';
import type { EventLiveEntry } from '../server/store/eventRows.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { type AccessLine, type Answer, httpRequest, type Nginx, startNginx } from './fixtures/nginx.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { freePort, ROOT, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { type SseMessage, SseReader } from './fixtures/sseReader.ts';
import { tempDir } from './helpers.ts';

const PUBLIC_URL = 'http://switchboard.test';
const EMAIL = 'owner@example.com';
const PASSWORD = 'two instances, one proxy';
/** Events a second while the instances restart. */
const RATE = 20;
/** What the server's `retry:` field tells EventSource to wait before reconnecting. */
const RECONNECT_MS = 2000;

let database: TestDatabase;
let store: AppStore;
let nginx: Nginx;
let ports: number[] = [];
const instances: (ServerProcess | null)[] = [null, null];
const dataDirs: string[] = [];
let apiKey: string;
let cookie: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nnginx:\n${nginx?.output()}`);
    await sleep(25);
  }
}

/** Instance `n` (0: app1, 1: app2) on its own port, as compose.yaml runs it. */
async function startInstance(n: number): Promise<void> {
  const dataDir = tempDir(); // spawnServer's DATA_DIR; the store is PostgreSQL
  dataDirs.push(dataDir);
  // A slow machine (CI's two loaded cores) gets room to finish in-flight requests: the test asserts a
  // clean exit (0: nothing cut), not how fast it comes.
  instances[n] = await spawnServer(dataDir, ports[n]!, { DATABASE_URL: database.url, PUBLIC_URL, TRUST_PROXY: '1', DIST_DIR: '/nonexistent', SHUTDOWN_TIMEOUT_MS: '30000' });
}

/** `cli user:create` on the test database. */
function createOwner(): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'user:create', '--email', EMAIL, '--password-stdin'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`user:create exited ${code}: ${err}`))));
    child.stdin.end(PASSWORD);
  });
}

beforeAll(async () => {
  database = await createTestDatabase('nginx', { migrated: true });
  ports = [await freePort(), await freePort()];
  await Promise.all([startInstance(0), startInstance(1), createOwner()]);
  store = await openPostgresStore(database.url, { max: 2 });
  apiKey = (await createApiKey(store, DEFAULT_PROJECT_ID, 'failover', null, Date.now())).key;
  nginx = await startNginx(ports[0]!, ports[1]!, { accessLog: true });
}, 60_000);

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(instances.map((i) => i?.kill9()));
  await store?.close();
  await database?.drop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** A sign-in as the app's page sends it, from a browser whose address bar shows http://`address`. */
function signIn(address: string, origin = `http://${address}`, proxy = nginx) {
  return httpRequest(proxy.port, 'POST', '/api/auth/sign-in', {
    headers: { host: address, origin, 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
}

interface Sent {
  key: string;
  /** Every answer, in order (0: no answer at all); more than one when the sender had to retry. */
  statuses: number[];
  id: string | null;
}

/** POST /api/v1/log through `proxy`, with an Idempotency-Key when given. */
function ingest(proxy: Nginx, name: string, idempotencyKey?: string, category = 'rolling') {
  return httpRequest(proxy.port, 'POST', '/api/v1/log', {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    body: JSON.stringify({ name, category }),
  });
}

/** Sends event `n` with its Idempotency-Key through nginx, retrying with the same key until 201 as an SDK would. */
async function send(n: number): Promise<Sent> {
  const key = `rolling-${n}`;
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    const answer = await ingest(nginx, key, key).catch(() => null);
    statuses.push(answer?.status ?? 0);
    if (answer?.status === 201) return { key, statuses, id: (JSON.parse(answer.body) as IngestAccepted).id };
    await sleep(200);
  }
  return { key, statuses, id: null };
}

/** The live stream through nginx, reconnecting from the last id it got whenever it ends, as EventSource does. */
function follow() {
  const controller = new AbortController();
  const seen: string[] = [];
  const connections: number[] = [];
  const cuts: number[] = [];
  let lastId: string | null = null;
  let stopped = false;
  const done = (async () => {
    let cutAt: number | null = null;
    while (!stopped) {
      try {
        const res: Response = await fetch(`http://127.0.0.1:${nginx.port}/api/stream`, {
          headers: { cookie, ...(lastId === null ? {} : { 'last-event-id': lastId }) },
          signal: controller.signal,
        });
        connections.push(res.status);
        if (res.status !== 200) throw new Error(`the stream answered ${res.status}`);
        if (cutAt !== null) cuts.push(Date.now() - cutAt);
        cutAt = null;
        const reader: SseReader = new SseReader(res.body!);
        for (;;) {
          const message: SseMessage = await reader.next();
          if (message.id !== null) lastId = message.id;
          if (message.event !== 'event') continue;
          const entry = JSON.parse(message.data) as EventLiveEntry;
          if (entry.kind === 'event') seen.push(entry.event.id);
        }
      } catch {
        if (stopped) break;
        cutAt ??= Date.now();
        await sleep(RECONNECT_MS);
      }
    }
  })();
  return {
    seen,
    connections,
    cuts,
    async stop() {
      stopped = true;
      controller.abort();
      await done;
    },
  };
}

/** How many events of `category` the database holds, and under how many names. */
async function stored(category: string): Promise<{ events: number; names: number }> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ events: string; names: string }>('SELECT count(*) AS events, count(DISTINCT name) AS names FROM events WHERE category = $1', [
      category,
    ]);
    return { events: Number(rows[0]!.events), names: Number(rows[0]!.names) };
  } finally {
    await client.end();
  }
}

/**
 * Sends `request` (to `uri`) until nginx tried `upstream` first for it (its round robin decides); that
 * answer and its log line — the first line for `uri` after the request was sent, not merely the next
 * line (another request's may come first).
 */
async function firstTried(proxy: Nginx, upstream: string, uri: string, request: () => Promise<Answer>): Promise<{ answer: Answer; line: AccessLine }> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const before = proxy.accessLog().length;
    const answer = await request();
    const ours = () => proxy.accessLog().slice(before).find((l) => l.uri === uri);
    await until('nginx to log the request', () => ours() !== undefined);
    const line = ours()!;
    if (line.tried[0]?.upstream === upstream) return { answer, line };
  }
  throw new Error(`nginx never tried ${upstream} first:\n${proxy.output()}`);
}

type StandInState = 'up' | 'stopping' | 'no database';

/**
 * A stand-in for an instance in a state the test cannot hold a real one in, answering every request
 * as the server does then: stopping, `503 shutting_down` with `Connection: close` (server/http/lifecycle.ts);
 * its database away, `503 store_unavailable` with `Retry-After: 5` (server/app.ts), `/healthz` still 200;
 * up, 200.
 */
async function standIn(state: { now: StandInState }) {
  let reached = 0;
  const server = createServer((req, res) => {
    reached += 1;
    req.resume();
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (state.now === 'stopping') {
      return json(503, { error: { code: 'shutting_down', message: 'the server is shutting down: try again in a moment', field: null } }, { connection: 'close', 'retry-after': '1' });
    }
    if (state.now === 'no database' && req.url !== '/healthz') {
      return json(503, { error: { code: 'store_unavailable', message: 'the database cannot be reached right now: try again shortly', field: null } }, { 'retry-after': '5' });
    }
    json(200, { ok: true });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    reached: () => reached,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('two instances behind the shipped nginx config', () => {
  it('signs in at whatever address nginx is reached, though PUBLIC_URL names another; refuses another origin', async () => {
    for (const address of [`127.0.0.1:${nginx.port}`, `localhost:${nginx.port}`]) {
      const answer = await signIn(address);
      expect(answer.status, `${address}: ${answer.body}\n${nginx.output()}`).toBe(200);
      cookie = String(answer.headers['set-cookie']?.[0]).split(';')[0]!;
    }
    // PUBLIC_URL itself, as before.
    expect((await signIn(`127.0.0.1:${nginx.port}`, PUBLIC_URL)).status).toBe(200);
    // A page of another origin is refused, whatever X-Forwarded-Host the client adds (nginx writes its own).
    const foreign = await httpRequest(nginx.port, 'POST', '/api/auth/sign-in', {
      headers: { host: `127.0.0.1:${nginx.port}`, origin: 'http://evil.test', 'x-forwarded-host': 'evil.test', 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe('cross_site_request');
  });

  it('restarts one instance, then the other, while events arrive: each answered 201 the first time, stored once, streamed once', async () => {
    expect(cookie, 'signed in by the test above').toBeTruthy();
    const began = Date.now();
    const stream = follow();
    await until('the stream to open', () => stream.connections.length > 0);
    expect(stream.connections).toEqual([200]);

    const pending: Promise<Sent>[] = [];
    const sender = setInterval(() => pending.push(send(pending.length)), 1000 / RATE);
    const restarts: { instance: string; stopMs: number; downMs: number; backMs: number }[] = [];
    try {
      await sleep(500);
      for (const n of [0, 1]) {
        const port = `127.0.0.1:${ports[n]}`;
        const stopping = Date.now();
        await instances[n]!.stop(); // SIGTERM: what `docker compose up -d --no-deps appN` sends the old container
        const stopped = Date.now();
        // Under load, with nginx's keep-alive connections open: a clean exit, well inside SHUTDOWN_TIMEOUT_MS.
        expect(instances[n]!.child.exitCode, instances[n]!.output()).toBe(0);
        await startInstance(n);
        const started = Date.now();
        // Back in nginx's rotation (after its fail_timeout) before the other one stops: a 201 from it.
        const mark = nginx.accessLog().length;
        await until(`nginx to send requests to app${n + 1} again`, () =>
          nginx
            .accessLog()
            .slice(mark)
            .some((line) => line.tried.at(-1)?.upstream === port && line.status === 201),
        );
        restarts.push({ instance: `app${n + 1}`, stopMs: stopped - stopping, downMs: started - stopped, backMs: Date.now() - started });
      }
      await sleep(500);
    } finally {
      clearInterval(sender);
    }
    const sent = await Promise.all(pending);
    const ids = sent.flatMap((s) => (s.id === null ? [] : [s.id]));
    await until('the stream to show every event', () => stream.seen.length >= ids.length).catch(() => undefined);
    await stream.stop();

    const lines = nginx.accessLog().filter((line) => line.uri === '/api/v1/log');
    const figures = {
      seconds: (Date.now() - began) / 1000,
      restarts,
      events: sent.length,
      retriedBySender: sent.filter((s) => s.statuses.length > 1).length,
      retriedByNginx: lines.filter((line) => line.tried.length > 1).length,
      answers503ByAnInstance: lines.filter((line) => line.tried.some((t) => t.status === '503')).length,
      refusedOrCut: lines.filter((line) => line.tried.some((t) => t.status === '502')).length,
      streamConnections: stream.connections.length,
      streamCutMs: stream.cuts,
    };
    console.info(`nginx failover: ${JSON.stringify(figures)}`);

    // Every event answered 201, the first time: nginx, not the sender, took each failure elsewhere.
    expect(sent.filter((s) => s.statuses[0] !== 201).map((s) => `${s.key}: ${s.statuses.join(' ')}`)).toEqual([]);
    expect(ids).toHaveLength(sent.length);
    expect(new Set(ids).size).toBe(sent.length);
    // The failover was exercised: some event reached a stopped or stopping instance first.
    expect(figures.retriedByNginx).toBeGreaterThan(0);

    // Stored once each: as many events as keys, no name twice.
    expect(await stored('rolling')).toEqual({ events: sent.length, names: sent.length });

    // Streamed once each, across the cuts: every (re)connection answered 200, and it was cut at least once.
    expect(stream.connections.every((status) => status === 200), `stream answers: ${stream.connections.join(' ')}`).toBe(true);
    expect(stream.cuts.length).toBeGreaterThan(0);
    expect(stream.seen).toHaveLength(new Set(stream.seen).size);
    expect([...stream.seen].sort()).toEqual([...ids].sort());

    expect(nginx.output()).not.toContain('no live upstreams');
  }, 60_000);

  it('retries what never reached an instance; after a 503 `shutting_down`, an event with an Idempotency-Key, but not a sign-in', async () => {
    const app2 = `127.0.0.1:${ports[1]}`;
    // app1 is gone: nothing listens on its port. A POST nginx could not send is sent to app2.
    const gonePort = await freePort();
    const gone = await startNginx(gonePort, ports[1]!, { accessLog: true });
    try {
      const { answer, line } = await firstTried(gone, `127.0.0.1:${gonePort}`, '/api/auth/sign-in', () => signIn(`127.0.0.1:${gone.port}`, undefined, gone));
      expect(answer.status, answer.body).toBe(200);
      expect(line.tried).toEqual([
        { upstream: `127.0.0.1:${gonePort}`, status: '502' },
        { upstream: app2, status: '200' },
      ]);
    } finally {
      await gone.stop();
    }

    // app1 is stopping (a stand-in: a real instance drains in milliseconds).
    const stopping = await standIn({ now: 'stopping' });
    const stoppingPort = stopping.port;
    const proxy = await startNginx(stoppingPort, ports[1]!, { accessLog: true });
    try {
      const app1 = `127.0.0.1:${stoppingPort}`;
      // An event with a key: sent again, to app2, which stores it once.
      let n = 0;
      const keyed = await firstTried(proxy, app1, '/api/v1/log', () => ingest(proxy, `keyed ${++n}`, `keyed-${n}`, 'failover'));
      expect(keyed.answer.status, keyed.answer.body).toBe(201);
      expect(keyed.line.tried).toEqual([
        { upstream: app1, status: '503' },
        { upstream: app2, status: '201' },
      ]);
      expect(await stored('failover')).toEqual({ events: n, names: n });
      // A sign-in (no key can make it safe to send twice): the 503 reaches the client, which may send it again.
      const before = stopping.reached();
      const refused = await firstTried(proxy, app1, '/api/auth/sign-in', () => signIn(`127.0.0.1:${proxy.port}`, undefined, proxy));
      expect(refused.answer.status).toBe(503);
      expect(refused.answer.headers['retry-after']).toBe('1');
      expect(JSON.parse(refused.answer.body).error.code).toBe('shutting_down');
      expect(refused.line.tried).toEqual([{ upstream: app1, status: '503' }]);
      expect(stopping.reached()).toBe(before + 1);
    } finally {
      await proxy.stop();
      await stopping.close();
    }
  });

  it('takes both instances out while their database is away, and uses them again within 3 s of its return', async () => {
    const state: { now: StandInState } = { now: 'up' };
    const [a, b] = [await standIn(state), await standIn(state)];
    const proxy = await startNginx(a.port, b.port, { accessLog: true });
    try {
      state.now = 'no database';
      const during: { status: number; retryAfter: unknown; code: string }[] = [];
      for (let i = 0; i < 10; i++) {
        const answer = await httpRequest(proxy.port, 'GET', '/api/events');
        during.push({ status: answer.status, retryAfter: answer.headers['retry-after'], code: JSON.parse(answer.body).error.code });
      }
      // The instances' own 503 at first (each tried in turn); once each has failed 3 times, nginx answers
      // for them — a 503 with Retry-After in the API's shape too, never its HTML 502.
      expect(during.slice(0, 3).map((d) => d.code)).toEqual(['store_unavailable', 'store_unavailable', 'store_unavailable']);
      expect(during.every((d) => d.status === 503 && d.retryAfter)).toBe(true);
      expect(during.at(-1)?.code).toBe('unavailable');
      await until('nginx to say it has no instance left', () => proxy.output().includes('no live upstreams'));
      state.now = 'up';
      const back = Date.now();
      let status = 0;
      while (status !== 200 && Date.now() - back < 10_000) {
        status = (await httpRequest(proxy.port, 'GET', '/api/events')).status;
        if (status !== 200) await sleep(25);
      }
      const outMs = Date.now() - back;
      console.info(`nginx after the outage: 200 again ${outMs} ms after the database came back`);
      expect(status).toBe(200);
      // fail_timeout=2s, counted by nginx in whole seconds: at most 3 s after the last failure (with
      // room for a slow machine; the old fail_timeout=5s took 5 to 6 s).
      expect(outMs).toBeLessThan(4000);
    } finally {
      await proxy.stop();
      await Promise.all([a.close(), b.close()]);
    }
  });
});
