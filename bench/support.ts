/** Shared by the benchmarks: the result shape, server child processes and an autocannon run. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import type { AppStore } from '../server/store/types.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HOST = '127.0.0.1';

/** What every benchmark hands back; `details` is the benchmark's own, for a report writer. */
export interface BenchResult {
  name: string;
  metric: string;
  value: number;
  baseline: number;
  /** value / baseline, both measured in the same run. */
  ratio: number;
  goal: number;
  /** How to print the goal when it is not "ratio ≥ goal" (e.g. a figure that is only reported). */
  goalLabel?: string;
  passed: boolean;
  /** Why the run cannot be trusted (errors, non-2xx answers); a non-empty list fails the benchmark. */
  problems: string[];
  details: Record<string, unknown>;
}

export interface Benchmark {
  name: string;
  /** A few sentences on how it measures, for BENCHMARKS.md. */
  method?: string;
  /** One figure, or several measured in the same run. */
  run(): Promise<BenchResult | BenchResult[]>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

export interface ServerProcess {
  url: string;
  /** Its process id (a CPU profile's file name carries it). */
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
// Last resort if the runner dies: no server outlives it, no temp store stays behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the OS temp dir, removed by removeTempDir or, at the latest, when the process exits. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** BENCH_CPU_PROF=<dir>: the server under test writes a CPU profile there. */
export function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Starts `node [nodeArgs] --import tsx <script>` with env, and waits until GET /healthz answers 200. */
export async function startServer(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit');
  exited.then(() => running.delete(child));

  const server: ServerProcess = {
    url: `http://${HOST}:${port}`,
    pid: child.pid ?? 0,
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitForHealth(server.url, child, 30_000);
  } catch (err) {
    await server.stop();
    throw new Error(`${script} did not become healthy: ${(err as Error).message}\n${log}`);
  }
  return server;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no 200 from /healthz within ${timeoutMs} ms`);
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

/** POSTs the body over and over: a discarded warm-up, then the measured run. */
export async function postLoad(opts: LoadOptions): Promise<Result> {
  const base = { url: opts.url, method: 'POST' as const, headers: opts.headers, body: opts.body, connections: opts.connections, timeout: 10 };
  await autocannon({ ...base, duration: opts.warmupSeconds });
  return autocannon({ ...base, duration: opts.seconds });
}

export interface LoadFigures {
  /** 2xx answers per second over the measured run. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

export function figures(result: Result): LoadFigures {
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(stat.count);
  return {
    perSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

export interface Percentiles {
  p50: number;
  p99: number;
}

/** Nearest-rank p50/p99 of a sample (milliseconds, usually). */
/** The middle sample (the upper one of an even count), as the benchmarks that take a few runs report it. */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) return { p50: Number.NaN, p99: Number.NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99) };
}

/** The owner every benchmark signs in as. */
export const BENCH_OWNER = { email: 'bench@example.com', password: 'bench-password-1234' } as const;

/** The environment of a server under load: no rate limit, quiet logs, no PWA, links from HOST and PORT. */
export const BENCH_SERVER_ENV = { INGEST_RATE_LIMIT: '0', LOG_LEVEL: 'warn', DIST_DIR: '/nonexistent', PUBLIC_URL: '' } as const;

/** Writes one API key (and with `owner`, the owner first) through a store, then closes it; returns the key. */
async function seedInto(store: AppStore, owner: boolean): Promise<string> {
  try {
    if (owner) await store.users.create(BENCH_OWNER.email, await hashPassword(BENCH_OWNER.password), 'owner', Date.now());
    return (await createApiKey(store, DEFAULT_PROJECT_ID, 'bench', null, Date.now())).key;
  } finally {
    await store.close();
  }
}

/** Writes one API key (and with `owner`, the owner first) into a data dir through the store (closed again); returns the key. */
export const seedKey = (dataDir: string, owner = false): Promise<string> => seedInto(sqliteAppStore(openStore(dataDir)), owner);

/** The same in a PostgreSQL database (migrated on the way); returns the key. */
export const seedPostgresKey = async (url: string, owner = false): Promise<string> => seedInto(await openPostgresStore(url, { max: 1 }), owner);

/** Writes the owner and one API key into a data dir; returns the key. */
export const seedOwner = (dataDir: string): Promise<string> => seedKey(dataDir, true);

/** Signs in through the API and returns the session cookie (`name=value`). */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
