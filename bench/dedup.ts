/**
 * Deduplicated ingest (§12): single-event POSTs that all carry one dedupKey — after the first, each
 * updates the open event in place (count + 1, lastSeenAt, content) — against plain single-event
 * POSTs of the same event without a key, each on a fresh server process, same load, same run.
 * Goal: a dedupKey hit costs no more than a new event — at least 0.8 of plain ingest's rate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT } from './ingest.ts';
import { type Benchmark, type BenchResult, figures, type LoadFigures, postLoad, seedKey, startServer } from './support.ts';

const GOAL = 0.8;
const LOAD = { connections: 50, warmupSeconds: 2, seconds: 8 };
const DEDUP_EVENT = JSON.stringify({ ...(JSON.parse(EVENT) as object), dedupKey: 'bench:disk-full' });

async function measure(body: string): Promise<LoadFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-dedup-'));
  try {
    const key = await seedKey(dataDir);
    const server = await startServer('server/main.ts', { DATA_DIR: dataDir, INGEST_RATE_LIMIT: '0', LOG_LEVEL: 'warn', DIST_DIR: '/nonexistent', PUBLIC_URL: '' });
    try {
      return figures(await postLoad({ ...LOAD, url: `${server.url}/api/v1/log`, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body }));
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const dedupBenchmark: Benchmark = {
  name: 'ingest dedup',
  method: `Single-event POSTs that all carry one dedupKey (every one after the first updates the open event in place) against the same POSTs without a key, autocannon ${LOAD.connections} connections, ${LOAD.seconds} s measured, each on a fresh server process.`,
  async run(): Promise<BenchResult> {
    console.log(`ingest dedup: ${LOAD.connections} connections, ${LOAD.warmupSeconds} s warm-up + ${LOAD.seconds} s per server`);
    const plain = await measure(EVENT);
    const dedup = await measure(DEDUP_EVENT);
    const ratio = plain.perSecond > 0 ? dedup.perSecond / plain.perSecond : 0;
    const problems = [plain, dedup].flatMap((f, i) => (f.errors > 0 || f.ok === 0 ? [`${i === 0 ? 'plain' : 'dedup'}: ${f.ok} 2xx, ${f.errors} errors`] : []));
    console.log(`  plain        ${plain.perSecond.toFixed(0).padStart(7)} events/s   p99 ${plain.p99Ms} ms`);
    console.log(`  dedupKey hit ${dedup.perSecond.toFixed(0).padStart(7)} events/s   p99 ${dedup.p99Ms} ms   (${JSON.stringify(dedup.statusCodes)})`);
    console.log(`  ratio ${ratio.toFixed(2)} (goal ≥ ${GOAL})`);
    return { name: 'ingest dedup', metric: 'events/s', value: dedup.perSecond, baseline: plain.perSecond, ratio, goal: GOAL, passed: problems.length === 0 && ratio >= GOAL, problems, details: { load: LOAD, plain, dedup } };
  },
};
