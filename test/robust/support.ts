/**
 * Shared pieces of the robustness suite: the server as a real process (started, killed, restarted on
 * the same data and port), raw HTTP with full control over headers and bodies, a seeded PRNG, and a
 * bounded worker pool. Everything targets 127.0.0.1 only.
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { type Agent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKeySync } from '../../server/auth/apiKeys.ts';
import { openStore } from '../../server/store/sqlite/index.ts';
import { spawnServer, type ServerProcess } from '../fixtures/serverProcess.ts';

export { freePort, ROOT, type ServerProcess } from '../fixtures/serverProcess.ts';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Seeded {
  dir: string;
  /** A working API key. */
  key: string;
  /** A key that existed and was revoked before the server started. */
  revokedKey: string;
}

/** A fresh data directory with two API keys made through the store (one then revoked); the store is closed again. */
export function seededDataDir(): Seeded {
  const dir = mkdtempSync(join(tmpdir(), 'sb-robust-'));
  const store = openStore(dir);
  try {
    const key = createApiKeySync(store, 'robust', null, Date.now()).key;
    const revoked = createApiKeySync(store, 'robust-revoked', null, Date.now());
    store.apiKeys.revoke(revoked.id, Date.now());
    return { dir, key, revokedKey: revoked.key };
  } finally {
    store.close();
  }
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
