/**
 * Ingest throughput, three figures from one run (absolute figures are not comparable across machines):
 * - concurrent single-event POSTs to /api/v1/log against a bare Fastify hello-world measured with the
 *   same load. Goal: ingest reaches at least half the baseline's rate;
 * - batches (§13): POSTs of 500-event JSON arrays, in events/s, against the single-event events/s.
 *   Goal: at least 10 times;
 * - single-event POSTs to a server on a throwaway PostgreSQL (durable commits; bench/scale.ts starts it
 *   the same way) against the same on SQLite. Goal: at least half.
 * BENCH_CPU_PROF=<dir> profiles the ingest servers (one .cpuprofile each, named by process id).
 */
import { startThrowawayPostgres } from '../test/fixtures/postgres.ts';
import {
  BENCH_SERVER_ENV,
  type Benchmark,
  type BenchResult,
  figures,
  type LoadFigures,
  makeTempDir,
  postLoad,
  profileArgs,
  removeTempDir,
  seedKey,
  seedPostgresKey,
  type ServerProcess,
  startServer,
} from './support.ts';

const GOAL = 0.5;
const BATCH_GOAL = 10;
const PG_GOAL = 0.5;
const LOAD = { connections: 50, warmupSeconds: 2, seconds: 8 };
/** Fewer connections for batches: each carries 500 events (a client sends batches one after another). */
const BATCH_LOAD = { ...LOAD, connections: 10 };
const BATCH_SIZE = 500;

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
const BATCH = `[${Array.from({ length: BATCH_SIZE }, () => EVENT).join(',')}]`;

/** Figures of a run whose every answer carried `perAnswer` events: perSecond in events. */
const inEvents = (f: LoadFigures, perAnswer: number): LoadFigures => ({ ...f, perSecond: f.perSecond * perAnswer });

type Start = () => Promise<ServerProcess>;

/** Starts a server, runs the load against `path`, stops it; `check` runs on the server before and after the load. */
async function measure(start: Start, path: string, headers: Record<string, string>, body = EVENT, load = LOAD, check?: (url: string) => Promise<string[]>) {
  const server = await start();
  try {
    const url = `${server.url}${path}`;
    const before = (await check?.(url)) ?? [];
    const f = figures(await postLoad({ ...load, url, headers: { 'content-type': 'application/json', ...headers }, body }));
    const after = (await check?.(url)) ?? [];
    return { figures: f, problems: [...before, ...after], pid: server.pid };
  } finally {
    await server.stop();
  }
}

/** A batch is answered 207 with an id for each of its events: autocannon sees only the status. */
function batchCheck(key: string) {
  return async (url: string): Promise<string[]> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: BATCH });
    const answer = (await res.json()) as { results?: { id?: string }[] };
    const stored = answer.results?.filter((r) => typeof r.id === 'string' && r.id !== '').length ?? 0;
    return res.status === 207 && stored === BATCH_SIZE ? [] : [`a batch was answered ${res.status} with ${stored} of ${BATCH_SIZE} events stored`];
  };
}

function problemsOf(label: string, f: LoadFigures): string[] {
  const problems: string[] = [];
  if (f.ok === 0) problems.push(`${label}: no 2xx answers`);
  if (f.non2xx > 0) problems.push(`${label}: ${f.non2xx} non-2xx answers ${JSON.stringify(f.statusCodes)}`);
  if (f.errors > 0) problems.push(`${label}: ${f.errors} connection errors (${f.timeouts} timeouts)`);
  return problems;
}

export interface IngestRun {
  helloWorld: LoadFigures;
  ingest: LoadFigures;
  /** In events/s (perSecond); the answers are batches of BATCH_SIZE. */
  batched: LoadFigures;
  postgres: LoadFigures;
  problems: { ingest: string[]; batched: string[]; postgres: string[] };
  /** The servers' process ids, for their CPU profiles. */
  pids: { ingest: number; batched: number; postgres: number };
}

export async function runIngest(): Promise<IngestRun> {
  const dataDir = makeTempDir('switchboard-bench-');
  const batchDir = makeTempDir('switchboard-bench-batch-');
  const pgDataDir = makeTempDir('switchboard-bench-pg-');
  const pgServer = await startThrowawayPostgres({ durable: true });
  try {
    const key = await seedKey(dataDir);
    const batchKey = await seedKey(batchDir);
    const pgKey = await seedPostgresKey(pgServer.url);
    const nodeArgs = profileArgs();
    const server = (env: Record<string, string>): Start => () => startServer('server/main.ts', { ...BENCH_SERVER_ENV, ...env }, nodeArgs);
    const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

    const hello = await measure(() => startServer('bench/fixtures/hello-server.ts', {}), '/hello', {});
    const single = await measure(server({ DATA_DIR: dataDir }), '/api/v1/log', bearer(key));
    const batched = await measure(server({ DATA_DIR: batchDir }), '/api/v1/log', bearer(batchKey), BATCH, BATCH_LOAD, batchCheck(batchKey));
    const postgres = await measure(server({ DATA_DIR: pgDataDir, DATABASE_URL: pgServer.url }), '/api/v1/log', bearer(pgKey));
    return {
      helloWorld: hello.figures,
      ingest: single.figures,
      batched: inEvents(batched.figures, BATCH_SIZE),
      postgres: postgres.figures,
      problems: {
        ingest: [...problemsOf('ingest', single.figures), ...problemsOf('hello-world', hello.figures)],
        batched: [...problemsOf('batched', batched.figures), ...batched.problems, ...problemsOf('ingest', single.figures)],
        postgres: [...problemsOf('postgres', postgres.figures), ...problemsOf('ingest', single.figures)],
      },
      pids: { ingest: single.pid, batched: batched.pid, postgres: postgres.pid },
    };
  } finally {
    pgServer.stop();
    for (const dir of [dataDir, batchDir, pgDataDir]) removeTempDir(dir);
  }
}

const ratioOf = (value: number, baseline: number) => (baseline > 0 ? value / baseline : 0);

function line(label: string, f: LoadFigures, unit = 'req/s'): string {
  return `  ${label.padEnd(22)} ${f.perSecond.toFixed(0).padStart(7)} ${unit.padEnd(8)} p50 ${f.p50Ms} ms   p99 ${f.p99Ms} ms   (${f.ok} 2xx, ${f.non2xx} non-2xx, ${f.errors} errors)`;
}

export const ingestBenchmark: Benchmark = {
  name: 'ingest',
  method:
    `Single-event POSTs to /api/v1/log with autocannon (${LOAD.connections} connections, ${LOAD.warmupSeconds} s warm-up, ${LOAD.seconds} s measured) ` +
    'against a bare Fastify hello-world POST route (bench/fixtures/hello-server.ts) under the same load, each in its own process. ' +
    `Then batches: ${BATCH_SIZE}-event JSON arrays to /api/v1/log (${BATCH_LOAD.connections} connections; each answered 207, one checked before and after ` +
    'to hold an id for every event), in events/s against the single-event events/s. Then single-event POSTs to a server on a throwaway PostgreSQL ' +
    '(durable commits, on the same two cores) against the same on SQLite.',
  async run(): Promise<BenchResult[]> {
    const { connections, warmupSeconds, seconds } = LOAD;
    console.log(`ingest: ${connections} connections (batches: ${BATCH_LOAD.connections}), ${warmupSeconds} s warm-up + ${seconds} s per server`);
    const run = await runIngest();
    const ratio = ratioOf(run.ingest.perSecond, run.helloWorld.perSecond);
    const batchRatio = ratioOf(run.batched.perSecond, run.ingest.perSecond);
    const pgRatio = ratioOf(run.postgres.perSecond, run.ingest.perSecond);
    console.log(line('hello-world', run.helloWorld));
    console.log(line('ingest', run.ingest));
    console.log(line(`batched (${BATCH_SIZE} a request)`, run.batched, 'events/s'));
    console.log(line('ingest on PostgreSQL', run.postgres));
    console.log(`  ratio ingest/hello-world ${ratio.toFixed(2)} (goal ≥ ${GOAL})`);
    console.log(`  ratio batched/single     ${batchRatio.toFixed(2)} (goal ≥ ${BATCH_GOAL})`);
    console.log(`  ratio PostgreSQL/SQLite  ${pgRatio.toFixed(2)} (goal ≥ ${PG_GOAL})`);
    if (process.env.BENCH_CPU_PROF) console.log(`  CPU profiles in ${process.env.BENCH_CPU_PROF}: ingest pid ${run.pids.ingest}, batched ${run.pids.batched}, PostgreSQL ${run.pids.postgres}`);
    const all = Object.values(run.problems).flat();
    for (const problem of new Set(all)) console.log(`  problem: ${problem}`);
    const load = { load: LOAD, batchLoad: BATCH_LOAD, batchSize: BATCH_SIZE };
    return [
      {
        name: 'ingest',
        metric: 'events/s',
        value: run.ingest.perSecond,
        baseline: run.helloWorld.perSecond,
        ratio,
        goal: GOAL,
        passed: run.problems.ingest.length === 0 && ratio >= GOAL,
        problems: run.problems.ingest,
        details: { load: LOAD, ingest: run.ingest, helloWorld: run.helloWorld },
      },
      {
        name: 'ingest batched vs single',
        metric: 'events/s',
        value: run.batched.perSecond,
        baseline: run.ingest.perSecond,
        ratio: batchRatio,
        goal: BATCH_GOAL,
        passed: run.problems.batched.length === 0 && batchRatio >= BATCH_GOAL,
        problems: run.problems.batched,
        details: { ...load, batched: run.batched, ingest: run.ingest },
      },
      {
        name: 'ingest PostgreSQL vs SQLite',
        metric: 'events/s',
        value: run.postgres.perSecond,
        baseline: run.ingest.perSecond,
        ratio: pgRatio,
        goal: PG_GOAL,
        passed: run.problems.postgres.length === 0 && pgRatio >= PG_GOAL,
        problems: run.problems.postgres,
        details: { load: LOAD, postgres: run.postgres, sqlite: run.ingest },
      },
    ];
  },
};
