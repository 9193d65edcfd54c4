/**
 * Ingest throughput: concurrent single-event POSTs to /api/v1/log, against a bare Fastify hello-world
 * measured in the same run with the same load (absolute figures are not comparable across machines).
 * Goal: ingest reaches at least half the baseline's rate. BENCH_CPU_PROF=<dir> profiles the server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Benchmark, type BenchResult, figures, type LoadFigures, postLoad, seedKey, type ServerProcess, startServer } from './support.ts';

const GOAL = 0.5;
const LOAD = { connections: 50, warmupSeconds: 2, seconds: 8 };

export const EVENT = JSON.stringify({
  name: 'Payment failed',
  avatar: '💳',
  category: 'billing',
  type: 'rows',
  content: [
    { label: 'amount', content: '42.00 EUR' },
    { label: 'customer', content: 'cus_123' },
  ],
  actions: [{ url: 'https://example.com/refund', buttonText: 'Refund', expireIn: 120 }],
});

export interface IngestResult extends BenchResult {
  details: { load: typeof LOAD; ingest: LoadFigures; helloWorld: LoadFigures };
}

async function measure(start: () => Promise<ServerProcess>, path: string, headers: Record<string, string>): Promise<LoadFigures> {
  const server = await start();
  try {
    return figures(await postLoad({ ...LOAD, url: `${server.url}${path}`, headers: { 'content-type': 'application/json', ...headers }, body: EVENT }));
  } finally {
    await server.stop();
  }
}

function problemsOf(label: string, f: LoadFigures): string[] {
  const problems: string[] = [];
  if (f.ok === 0) problems.push(`${label}: no 2xx answers`);
  if (f.non2xx > 0) problems.push(`${label}: ${f.non2xx} non-2xx answers ${JSON.stringify(f.statusCodes)}`);
  if (f.errors > 0) problems.push(`${label}: ${f.errors} connection errors (${f.timeouts} timeouts)`);
  return problems;
}

export async function runIngest(): Promise<IngestResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  try {
    const key = await seedKey(dataDir);
    const profileDir = process.env.BENCH_CPU_PROF;
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];

    const helloWorld = await measure(() => startServer('bench/fixtures/hello-server.ts', {}), '/hello', {});
    const ingest = await measure(
      () =>
        startServer(
          'server/main.ts',
          { DATA_DIR: dataDir, INGEST_RATE_LIMIT: '0', LOG_LEVEL: 'warn', DIST_DIR: '/nonexistent', PUBLIC_URL: '' },
          nodeArgs,
        ),
      '/api/v1/log',
      { authorization: `Bearer ${key}` },
    );

    const ratio = helloWorld.perSecond > 0 ? ingest.perSecond / helloWorld.perSecond : 0;
    const problems = [...problemsOf('ingest', ingest), ...problemsOf('hello-world', helloWorld)];
    return {
      name: 'ingest',
      metric: 'events/s',
      value: ingest.perSecond,
      baseline: helloWorld.perSecond,
      ratio,
      goal: GOAL,
      passed: problems.length === 0 && ratio >= GOAL,
      problems,
      details: { load: LOAD, ingest, helloWorld },
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function line(label: string, f: LoadFigures): string {
  return `  ${label.padEnd(12)} ${f.perSecond.toFixed(0).padStart(7)} req/s   p50 ${f.p50Ms} ms   p99 ${f.p99Ms} ms   (${f.ok} 2xx, ${f.non2xx} non-2xx, ${f.errors} errors)`;
}

export const ingestBenchmark: Benchmark = {
  name: 'ingest',
  method:
    `Single-event POSTs to /api/v1/log with autocannon (${LOAD.connections} connections, ${LOAD.warmupSeconds} s warm-up, ${LOAD.seconds} s measured) ` +
    'against a bare Fastify hello-world POST route (bench/fixtures/hello-server.ts) under the same load, each in its own process.',
  async run() {
    const { connections, warmupSeconds, seconds } = LOAD;
    console.log(`ingest: ${connections} connections, ${warmupSeconds} s warm-up + ${seconds} s per server`);
    const result = await runIngest();
    console.log(line('hello-world', result.details.helloWorld));
    console.log(line('ingest', result.details.ingest));
    console.log(`  ratio ingest/hello-world ${result.ratio.toFixed(2)} (goal ≥ ${GOAL}) ${result.passed ? 'PASS' : 'FAIL'}`);
    for (const problem of result.problems) console.log(`  problem: ${problem}`);
    return result;
  },
};
