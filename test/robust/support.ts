/**
 * Shared pieces of the robustness suite: the server as a real process (started, killed, restarted on
 * the same data and port), raw HTTP with full control over headers and bodies, a seeded PRNG, and a
 * bounded worker pool. Everything targets 127.0.0.1 only.
 */
import { DEFAULT_PROJECT_ID } from '../../server/store/records.ts';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Agent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createApiKey } from '../../server/auth/apiKeys.ts';
import type { AppStore } from '../../server/store/types.ts';
import { openConfiguredStore } from '../../server/store/open.ts';
import { createTestDatabase } from '../fixtures/postgresDb.ts';
import { spawnServer, type ServerProcess } from '../fixtures/serverProcess.ts';
import { TEST_STORE } from '../helpers.ts';

export { freePort, ROOT, type ServerProcess } from '../fixtures/serverProcess.ts';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Seeded {
  dir: string;
  /** DATABASE_URL when the run uses PostgreSQL (TEST_STORE=postgres), else null: SQLite in `dir`. */
  databaseUrl: string | null;
  /** What a server started on this store needs in its environment. */
  env: Record<string, string>;
  /** A working API key. */
  key: string;
  /** A key that existed and was revoked before the server started. */
  revokedKey: string;
  /** Removes the data directory (and the database). */
  cleanup(): Promise<void>;
}

/** Opens the seeded store as a server would (close it before starting one on SQLite). */
export async function withStore<T>(seeded: Pick<Seeded, 'dir' | 'databaseUrl'>, fn: (store: AppStore) => Promise<T>): Promise<T> {
  const opened = await openConfiguredStore({ dataDir: seeded.dir, databaseUrl: seeded.databaseUrl });
  try {
    return await fn(opened.store);
  } finally {
    await opened.store.close();
    opened.release();
  }
}

/** A plain SELECT (no parameters) on the seeded store, through a connection of its own (read-only on SQLite). */
export async function selectRows<T>(seeded: Pick<Seeded, 'dir' | 'databaseUrl'>, sql: string): Promise<T[]> {
  if (seeded.databaseUrl === null) {
    const db = new Database(join(seeded.dir, 'switchboard.db'), { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: seeded.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh store of the run's kind with two API keys made through it (one then revoked). */
export async function seededStore(): Promise<Seeded> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-robust-'));
  const database = TEST_STORE === 'postgres' ? await createTestDatabase('robust', { migrated: true }) : null;
  const databaseUrl = database?.url ?? null;
  const { key, revokedKey } = await withStore({ dir, databaseUrl }, async (store) => {
    const made = await createApiKey(store, DEFAULT_PROJECT_ID, 'robust', null, Date.now());
    const revoked = await createApiKey(store, DEFAULT_PROJECT_ID, 'robust-revoked', null, Date.now());
    await store.apiKeys.revoke(DEFAULT_PROJECT_ID, revoked.id, Date.now());
    return { key: made.key, revokedKey: revoked.key };
  });
  return {
    dir,
    databaseUrl,
    env: databaseUrl ? { DATABASE_URL: databaseUrl } : {},
    key,
    revokedKey,
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

/** The server as the robustness suite runs it: no build, no rate limit, a valid VAPID subject. */
export function startServer(dataDir: string, port: number, env: Record<string, string> = {}): Promise<ServerProcess> {
  return spawnServer(dataDir, port, {
    DIST_DIR: '/nonexistent',
    INGEST_RATE_LIMIT: '0',
    VAPID_SUBJECT: 'mailto:robust@example.com',
    ...env,
  });
}

export interface Rng {
  seed: number;
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32, seeded from ROBUST_SEED when set (to replay a failure), else at random; the seed is printed. */
export function seededRng(label: string): Rng {
  const fromEnv = Number(process.env.ROBUST_SEED);
  const seed = Number.isInteger(fromEnv) && process.env.ROBUST_SEED !== '' ? fromEnv : randomInt(2 ** 31);
  console.log(`[${label}] seed ${seed} (replay with ROBUST_SEED=${seed})`);
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { seed, next, int, pick: (items) => items[int(items.length)]!, chance: (p) => next() < p };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  method?: string;
  path: string;
  /** An object, or a raw [name, value, name, value…] list to repeat a header. */
  headers?: OutgoingHttpHeaders | string[];
  body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked, in pieces. */
  chunked?: boolean;
  agent?: Agent;
  /** An answer of type text/event-stream never ends: resolve on its status and headers, then hang up. */
  eventStream?: boolean;
  timeoutMs?: number;
  /** The client address to connect from (any of 127/8 reaches a server on 127.0.0.1). */
  localAddress?: string;
}

/** One HTTP request through node:http (no fetch: it would refuse or rewrite the odd headers sent here). */
export function send(baseUrl: string, o: SendOptions): Promise<Answer> {
  const url = new URL(baseUrl);
  // With a raw list node:http adds no Host header, and a request without one is refused by Node itself.
  const headers = Array.isArray(o.headers) && !o.headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host') ? [...o.headers, 'host', url.host] : o.headers;
  return new Promise((done, fail) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: o.method ?? 'POST',
        path: o.path,
        headers: headers as OutgoingHttpHeaders,
        agent: o.agent ?? false,
        timeout: o.timeoutMs ?? 15_000,
        ...(o.localAddress ? { localAddress: o.localAddress } : {}),
      },
      (res) => {
        if (o.eventStream && String(res.headers['content-type']).startsWith('text/event-stream')) {
          done({ status: res.statusCode!, headers: res.headers, body: '' });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out: ${o.method ?? 'POST'} ${o.path}`)));
    req.on('error', fail);
    if (o.body === undefined) {
      req.end();
    } else if (o.chunked) {
      const buf = Buffer.from(o.body);
      const step = Math.max(1, Math.ceil(buf.length / 4));
      for (let i = 0; i < buf.length; i += step) req.write(buf.subarray(i, i + step));
      req.end();
    } else {
      req.end(o.body);
    }
  });
}

/** Why `a` is not CONTRACT.md's error shape `{error: {code, message, field?}}`, or null when it is. */
export function errorShapeProblem(a: Answer): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(a.body);
  } catch {
    return `body is not JSON: ${a.body.slice(0, 120)}`;
  }
  const error = (parsed as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  if (!error || typeof error !== 'object') return `no error object: ${a.body.slice(0, 120)}`;
  if (typeof error.code !== 'string' || error.code === '') return `error.code is not a string: ${a.body.slice(0, 120)}`;
  if (typeof error.message !== 'string' || error.message === '') return `error.message is not a string: ${a.body.slice(0, 120)}`;
  if ('field' in error && error.field !== null && typeof error.field !== 'string') return `error.field is neither string nor null: ${a.body.slice(0, 120)}`;
  return null;
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
