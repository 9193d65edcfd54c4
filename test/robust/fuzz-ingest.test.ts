/**
 * CONTRACT.md §1, "never a 5xx for anything a client sent", against ONE real server process: thousands
 * of seeded hostile ingest requests (wrong types in every field, limits, deep nesting, hostile URLs,
 * prototype keys, broken JSON, content types, auth and Idempotency-Key), sent 20 at a time. Each must
 * be answered with the expected 4xx in the contract's error shape, naming the field at fault; odd but
 * valid requests must be accepted; the process must survive; and nothing refused may be stored.
 */
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../contract/limits.ts';
import { graphemes, isHttpUrl } from '../../contract/text.ts';
import { acceptedCases, badMakers, baseEvent, type FuzzCase, resolveAuth } from './fuzz-cases.ts';
import { type Answer, errorShapeProblem, freePort, pool, type Seeded, type ServerProcess, seededRng, seededStore, selectRows, send, startServer, withStore } from './support.ts';

const BAD_REQUESTS = 3200;
const CONCURRENCY = 20;
/** Share of plain valid events mixed into the hostile stream (each must still get its 201). */
const VALID_SHARE = 0.05;

let seeded: Seeded;
let server: ServerProcess;
let agent: Agent;
let firstPid = 0;
/** Every event id answered 201, over the whole file. */
const acceptedIds = new Set<string>();

beforeAll(async () => {
  seeded = await seededStore();
  server = await startServer(seeded.dir, await freePort(), seeded.env);
  firstPid = server.pid;
  agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
});

afterAll(async () => {
  agent?.destroy();
  await server?.stop();
  await seeded?.cleanup();
});

function headersFor(c: FuzzCase): string[] {
  const h: string[] = [];
  const auth = resolveAuth(c.auth, seeded.key, seeded.revokedKey);
  if (auth !== null) h.push('authorization', auth);
  const type = c.contentType === undefined ? 'application/json' : c.contentType;
  if (type !== null) h.push('content-type', type);
  if (c.body !== undefined && !c.chunked) h.push('content-length', String(Buffer.byteLength(c.body)));
  return [...h, ...(c.extra ?? [])];
}

/** Why the answer to `c` breaks the contract, or null. Records the ids of accepted events. */
function problemWith(c: FuzzCase, a: Answer): string | null {
  const excerpt = a.body.slice(0, 200);
  if (a.status >= 500) return `server error ${a.status}: ${excerpt}`;
  if (a.status !== c.status) return `expected ${c.status}, got ${a.status}: ${excerpt}`;
  if (c.status === 201) {
    const body = JSON.parse(a.body) as { id?: unknown; createdAt?: unknown };
    if (typeof body.id !== 'string' || typeof body.createdAt !== 'string' || Number.isNaN(Date.parse(body.createdAt))) return `bad 201 body: ${excerpt}`;
    acceptedIds.add(body.id);
    return null;
  }
  if (c.status === 207) {
    // A batch of hostile items: each refused alone, in the error shape; none stored.
    const results = (JSON.parse(a.body) as { results?: unknown[] }).results;
    const refused = Array.isArray(results) && results.length > 0 && results.every((r) => typeof (r as { error?: { code?: unknown } })?.error?.code === 'string');
    return refused ? null : `bad 207 body: ${excerpt}`;
  }
  const shape = errorShapeProblem(a);
  if (shape) return shape;
  const field = (JSON.parse(a.body) as { error: { field?: string | null } }).error.field ?? null;
  if (c.field !== undefined && field !== c.field) return `expected field ${c.field}, got ${field}: ${excerpt}`;
  return null;
}

async function fire(cases: FuzzCase[]): Promise<{ failures: string[]; statuses: Record<number, number> }> {
  const failures: string[] = [];
  const statuses: Record<number, number> = {};
  await pool(cases, CONCURRENCY, async (c) => {
    let answer: Answer;
    try {
      answer = await send(server.url, { agent, method: c.method, path: c.path ?? '/api/v1/log', headers: headersFor(c), body: c.body, chunked: c.chunked });
    } catch (err) {
      // An oversized body is refused from its Content-Length, before it is read: the server answers
      // 413 and closes, and a client still writing may see the close (EPIPE) before the answer.
      // That is a refusal too, counted as one (only for cases that expect 413).
      const message = (err as Error).message;
      if (c.status === 413 && /EPIPE|ECONNRESET/.test(message)) {
        statuses[413] = (statuses[413] ?? 0) + 1;
        return;
      }
      failures.push(`${c.label}: no answer (${message})`);
      return;
    }
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const problem = problemWith(c, answer);
    if (problem) failures.push(`${c.label}: ${problem}`);
  });
  return { failures, statuses };
}

describe('ingest under hostile input (one real server process)', () => {
  it(`answers ${BAD_REQUESTS} seeded hostile requests with the expected 4xx, in the error shape, naming the field, never a 5xx`, async () => {
    const rng = seededRng('fuzz-ingest');
    const makers = badMakers();
    const cases = makers.map((make) => make(rng));
    while (cases.length < BAD_REQUESTS) {
      if (rng.chance(VALID_SHARE)) cases.push({ label: 'valid event among the hostile ones', status: 201, body: JSON.stringify(baseEvent(rng)) });
      else cases.push(rng.pick(makers)(rng));
    }
    const started = Date.now();
    const { failures, statuses } = await fire(cases);
    console.log(`[fuzz-ingest] ${cases.length} requests (${makers.length} kinds) in ${Date.now() - started} ms; statuses ${JSON.stringify(statuses)}`);
    expect(failures.slice(0, 25), `${failures.length} of ${cases.length} answers broke the contract (seed ${rng.seed})`).toEqual([]);
    expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);
    // The mix really exercised every kind of refusal, not only one.
    for (const status of [400, 401, 404, 413, 415]) expect(statuses[status], `answers with ${status}`).toBeGreaterThan(0);
  });

  it('accepts the odd inputs the contract allows (numbers as names, emoji-only text/plain, map, values at each limit) with 201', async () => {
    const cases = acceptedCases();
    const { failures } = await fire(cases);
    expect(failures).toEqual([]);
  });

  it('replays an Idempotency-Key retry, even with another body, instead of storing a second event', async () => {
    const key = `fuzz-replay-${Date.now()}`;
    const post = (name: string) =>
      send(server.url, { agent, path: '/api/v1/log', headers: { authorization: `Bearer ${seeded.key}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ name }) });
    const first = await post('first');
    const second = await post('second, different');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(JSON.parse(second.body).id).toBe(JSON.parse(first.body).id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    acceptedIds.add(JSON.parse(first.body).id as string);
  });

  it('is afterwards the same live process: same pid, not exited, /healthz 200, no error logged, and a valid event still lands', async () => {
    expect(server.pid).toBe(firstPid);
    expect(server.alive()).toBe(true);
    const health = await send(server.url, { method: 'GET', path: '/healthz' });
    expect([health.status, health.body]).toEqual([200, '{"ok":true}']);
    const res = await send(server.url, {
      path: '/api/v1/log',
      headers: { authorization: `Bearer ${seeded.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'after the fuzzing', category: 'robust' }),
    });
    expect(res.status).toBe(201);
    acceptedIds.add(JSON.parse(res.body).id as string);
    // LOG_LEVEL=warn: an unhandled error would have been logged at level 50.
    expect(server.output()).not.toMatch(/"level":(50|60)/);
  });

  it('stored exactly the accepted events (nothing refused), and only http(s) links, images and avatars', async () => {
    await server.stop();
    const [counted] = await selectRows<{ n: number | string }>(seeded, 'SELECT COUNT(*) AS n FROM events');
    expect(Number(counted?.n)).toBe(acceptedIds.size);
    await withStore(seeded, async (store) => {
      for (const id of acceptedIds) expect(await store.events.byId(id), `accepted event ${id}`).not.toBeNull();
      expect((await store.events.byId(acceptedIds.values().next().value!))?.event.name).toBeTruthy();
    });
    const urls = await selectRows<{ url: string }>(seeded, 'SELECT url FROM actions');
    for (const { url } of urls) expect(isHttpUrl(url) && url.length <= LIMITS.url, url.slice(0, 80)).toBe(true);
    const events = await selectRows<{ type: string; content: string | null; avatar: string | null }>(seeded, 'SELECT type, content, avatar FROM events');
    for (const e of events) {
      if (e.avatar !== null) expect(isHttpUrl(e.avatar) || graphemes(e.avatar).length <= LIMITS.avatarText, e.avatar.slice(0, 80)).toBe(true);
      const content = e.content === null ? null : (JSON.parse(e.content) as unknown);
      if (e.type === 'image') expect(isHttpUrl(content as string), String(content).slice(0, 80)).toBe(true);
      if (e.type === 'rows') {
        for (const row of content as { type: string; content: unknown }[]) if (row.type === 'image') expect(isHttpUrl(row.content as string)).toBe(true);
      }
    }
    expect(urls.length).toBeGreaterThan(0);
  });
});
