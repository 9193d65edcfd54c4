/**
 * The ingest rate limit with two real instances on one PostgreSQL database (issue P6): each instance
 * leases tokens from the key's shared bucket in batches (server/http/rateLimiter.ts), so the limit
 * still counts across both, within the documented slack (burst + 2N, N = leaseSize(burst)), while the
 * key's row is written once per lease or top-up instead of once per request. A trigger counts the writes: the
 * transactions that touched each rate_buckets row.
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { leaseSize } from '../server/http/rateLimiter.ts';
import type { AppStore } from '../server/store/types.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { freePort, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

/**
 * Per minute, and the burst: small enough to run out in a second of requests, large enough for leases
 * of 30 (a limit of 60 leases 6, topped up 3 at a time, so its writes would fall only threefold).
 */
const LIMIT = 300;
const N = leaseSize(LIMIT);
const ORIGIN = 'http://switchboard.test';

let database: TestDatabase;
let store: AppStore;
let admin: pg.Client;
let instances: ServerProcess[] = [];
const dirs = [tempDir(), tempDir()];

beforeAll(async () => {
  database = await createTestDatabase('ratelease', { migrated: true });
  const env = { DATABASE_URL: database.url, PUBLIC_URL: ORIGIN, DIST_DIR: '/nonexistent', INGEST_RATE_LIMIT: String(LIMIT) };
  instances = await Promise.all(dirs.map(async (dir) => spawnServer(dir, await freePort(), env)));
  store = await openPostgresStore(database.url, { max: 1 });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`
    CREATE TABLE bucket_writes (key text NOT NULL, xid bigint NOT NULL);
    CREATE FUNCTION count_bucket_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO bucket_writes VALUES (NEW.key, txid_current()); RETURN NEW; END $$;
    CREATE TRIGGER count_bucket_write AFTER INSERT OR UPDATE ON rate_buckets FOR EACH ROW EXECUTE FUNCTION count_bucket_write();
  `);
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.kill9()));
  await admin?.end();
  await store?.close();
  await database?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Transactions that wrote the buckets whose key matches `pattern` (LIKE). */
async function writes(pattern: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>('SELECT count(DISTINCT xid) AS n FROM bucket_writes WHERE key LIKE $1', [pattern]);
  return Number(rows[0]!.n);
}

async function post(instance: ServerProcess, key: string, name: string) {
  const res = await fetch(`${instance.url}/api/v1/log`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ name }),
  });
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.error?.code };
}

describe('the ingest rate limit on two instances sharing PostgreSQL', () => {
  it('still limits a key across both instances, within burst + 2N, then 429 with Retry-After', async () => {
    const { id, key } = await createApiKey(store, DEFAULT_PROJECT_ID, 'limited', null, Date.now());
    const started = performance.now();
    const answers = [];
    // Until the first refusal and 20 more, however slow this machine is (the bucket refills five
    // tokens a second meanwhile: on a loaded run, burst + 2N + 20 requests ended without one).
    for (let n = 0, refused = 0; refused < 20 && n < 3 * LIMIT; n++) {
      const answer = await post(instances[n % 2]!, key, `limited ${n}`);
      answers.push(answer);
      if (refused > 0 || answer.status === 429) refused++;
    }
    const requests = answers.length;
    const seconds = (performance.now() - started) / 1000;
    const statuses = answers.map((a) => a.status);
    const accepted = statuses.filter((s) => s === 201).length;
    // Five tokens a second refill meanwhile; the slack is what the two leases may hold.
    expect(accepted).toBeGreaterThanOrEqual(LIMIT - 2 * N);
    expect(accepted).toBeLessThanOrEqual(LIMIT + 2 * N + Math.ceil((seconds * LIMIT) / 60));
    expect(new Set(statuses)).toEqual(new Set([201, 429]));
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal).toBeGreaterThanOrEqual(LIMIT - 2 * N);
    // After the first refusal: what the other lease still held, and what refilled, at most.
    const lateAccepted = statuses.slice(firstRefusal).filter((s) => s === 201).length;
    expect(lateAccepted).toBeLessThanOrEqual(N + Math.ceil((seconds * LIMIT) / 60));
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(refused.code).toBe('rate_limited');
      expect(refused.retryAfter).toBe('1'); // a fifth of a second to the next token, rounded up
    }

    // The key's bucket row: one write per lease or top-up (N/2 tokens or more) and per look at an
    // empty bucket (at most one per instance per token refilled), not one per request.
    const keyWrites = await writes(`ingest:${id}`);
    expect(keyWrites).toBeGreaterThanOrEqual(Math.floor(LIMIT / N));
    expect(keyWrites).toBeLessThanOrEqual(Math.ceil(requests / 10));
    console.log(`${requests} requests in ${seconds.toFixed(2)} s: ${accepted} accepted, ${keyWrites} writes of the key's bucket`);

    // Retry-After holds: a second later the instance that refused last takes a request again.
    const last = instances[(requests - 1) % 2]!;
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post(last, key, 'after the wait')).status).toBe(201);
  });

  it('still counts sign-in failures one write each, at once, across instances', async () => {
    const before = await writes('sign-in:%');
    const attempt = (i: ServerProcess) =>
      fetch(`${i.url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ email: 'guessed@example.com', password: 'a wrong guess' }),
      }).then((r) => r.status);
    const statuses: number[] = [];
    for (let n = 0; n < 10; n++) statuses.push(await attempt(instances[n % 2]!));
    expect(statuses).toEqual(Array(10).fill(401));
    // Three buckets (address, email and address, email) per failure, each written when it happens.
    expect((await writes('sign-in:%')) - before).toBe(30);
    expect(await Promise.all(instances.map(attempt))).toEqual([429, 429]);
  });
});
