/**
 * Feed pages on PostgreSQL at 1,000,000 events against SQLite on the same data in the same run: the
 * feed benchmark's store is built in SQLite, copied into a throwaway PostgreSQL cluster with
 * `store:copy`'s code, and the same cases (first page, deep pages, two searches, a category) are asked
 * of a server on each store, request by request in turn. Goal: PostgreSQL's p99 ≤ 2× SQLite's, and
 * both answer the same ids.
 */
import pg from 'pg';
import { openStore } from '../server/store/sqlite/index.ts';
import { copySqliteToPostgres } from '../server/store/postgres/copy.ts';
import { startThrowawayPostgres } from '../test/fixtures/postgres.ts';
import { build, type Case, caseQuery, EVENTS, feedCases, SAMPLES, WARMUP } from './feed.ts';
import { BENCH_OWNER, type Benchmark, type BenchResult, makeTempDir, type Percentiles, percentiles, removeTempDir, signIn, startServer } from './support.ts';

const RATIO_GOAL = 2;

interface Figures {
  label: string;
  sqlite: Percentiles;
  postgres: Percentiles;
  mismatches: number;
  failures: number;
}

async function timed(url: string, cookie: string): Promise<{ ms: number; ids: string | null }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const text = await res.text();
  const ms = performance.now() - t0;
  return { ms, ids: res.status === 200 ? (JSON.parse(text) as { events: { id: string }[] }).events.map((e) => e.id).join() : null };
}

async function measure(c: Case, sqlite: { url: string; cookie: string }, postgres: { url: string; cookie: string }): Promise<Figures> {
  const a: number[] = [];
  const b: number[] = [];
  let mismatches = 0;
  let failures = 0;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const q = caseQuery(c, i);
    const one = await timed(`${sqlite.url}/api/events?${q}`, sqlite.cookie);
    const two = await timed(`${postgres.url}/api/events?${q}`, postgres.cookie);
    if (one.ids === null || two.ids === null) failures++;
    else if (one.ids !== two.ids || one.ids === '') mismatches++;
    if (i >= WARMUP) {
      a.push(one.ms);
      b.push(two.ms);
    }
  }
  return { label: c.label, sqlite: percentiles(a), postgres: percentiles(b), mismatches, failures };
}

export const pgFeedBenchmark: Benchmark = {
  name: 'pgfeed',
  method:
    `The feed benchmark's ${EVENTS.toLocaleString('en')} events, copied into a throwaway PostgreSQL (durable commits) with store:copy's code; ` +
    `${SAMPLES} GET /api/events per case (after ${WARMUP} warm-up) to a server on each store, in turn; the pages must hold the same ids.`,
  async run(): Promise<BenchResult[]> {
    console.log(`pgfeed: ${EVENTS} events on SQLite and on PostgreSQL, ${SAMPLES} pages per case each`);
    const dataDir = makeTempDir('switchboard-bench-pgfeed-');
    const cluster = await startThrowawayPostgres({ durable: true });
    try {
      const built = await build(dataDir);
      const t0 = performance.now();
      const sqliteStore = openStore(dataDir);
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        await copySqliteToPostgres(sqliteStore.db, client, () => {});
        await client.query('VACUUM ANALYZE');
      } finally {
        await client.end();
        sqliteStore.close();
      }
      console.log(`  built in ${built.seconds.toFixed(0)} s, copied to PostgreSQL in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      const env = { LOG_LEVEL: 'warn', DIST_DIR: '/nonexistent', PUBLIC_URL: '' };
      const onSqlite = await startServer('server/main.ts', { ...env, DATA_DIR: dataDir });
      const onPostgres = await startServer('server/main.ts', { ...env, DATA_DIR: makeTempDir('switchboard-bench-pgfeed-pg-'), DATABASE_URL: cluster.url });
      try {
        const sqlite = { url: onSqlite.url, cookie: await signIn(onSqlite.url, BENCH_OWNER.email, BENCH_OWNER.password) };
        const postgres = { url: onPostgres.url, cookie: await signIn(onPostgres.url, BENCH_OWNER.email, BENCH_OWNER.password) };
        const all: Figures[] = [];
        for (const c of feedCases(built)) {
          const f = await measure(c, sqlite, postgres);
          all.push(f);
          console.log(
            `  ${f.label.padEnd(12)} SQLite p50 ${f.sqlite.p50.toFixed(2)} p99 ${f.sqlite.p99.toFixed(2)} ms   PostgreSQL p50 ${f.postgres.p50.toFixed(2)} p99 ${f.postgres.p99.toFixed(2)} ms   ratio p99 ${(f.postgres.p99 / f.sqlite.p99).toFixed(2)}`,
          );
        }
        return all.map((f) => {
          const problems = [
            ...(f.failures > 0 ? [`${f.label}: ${f.failures} requests not answered 200`] : []),
            ...(f.mismatches > 0 ? [`${f.label}: ${f.mismatches} pages differ between the stores`] : []),
          ];
          const ratio = f.postgres.p99 / f.sqlite.p99;
          return {
            name: `pgfeed ${f.label}`,
            metric: 'p99 ms',
            value: f.postgres.p99,
            baseline: f.sqlite.p99,
            ratio,
            goal: RATIO_GOAL,
            goalLabel: `≤ ${RATIO_GOAL}× SQLite`,
            passed: problems.length === 0 && ratio <= RATIO_GOAL,
            problems,
            details: { events: EVENTS, samples: SAMPLES, sqlite: f.sqlite, postgres: f.postgres },
          };
        });
      } finally {
        await onSqlite.stop();
        await onPostgres.stop();
      }
    } finally {
      cluster.stop();
      removeTempDir(dataDir);
    }
  },
};
