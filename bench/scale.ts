/**
 * Several instances on PostgreSQL. Ingest throughput (the ingest benchmark's event and load) on a
 * throwaway PostgreSQL cluster with durable commits: one instance, then two instances each taking
 * half the connections (as a round-robin load balancer would), against one instance on SQLite
 * measured in the same run. Two ratios, reported: PostgreSQL against SQLite on one instance, and two
 * instances against one. On this two-core machine the instances, the database and the load generator
 * share the same cores, so the second ratio says what the design costs (shared live-log lock, no
 * in-process cache), not how far it would scale on separate hosts.
 */
import { createApiKey, createApiKeySync } from '../server/auth/apiKeys.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { startThrowawayPostgres } from '../test/fixtures/postgres.ts';
import { EVENT } from './ingest.ts';
import { type Benchmark, type BenchResult, figures, type LoadFigures, makeTempDir, postLoad, removeTempDir, type ServerProcess, startServer } from './support.ts';

const LOAD = { connections: 50, warmupSeconds: 2, seconds: 8 };
const SERVER_ENV = { INGEST_RATE_LIMIT: '0', LOG_LEVEL: 'warn', DIST_DIR: '/nonexistent', PUBLIC_URL: '' };

/** Runs the load split evenly over the servers at the same time; returns the summed figures. */
async function load(servers: ServerProcess[], key: string): Promise<LoadFigures> {
  const per = Math.floor(LOAD.connections / servers.length);
  const results = await Promise.all(
    servers.map(async (s) =>
      figures(await postLoad({ ...LOAD, connections: per, url: `${s.url}/api/v1/log`, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: EVENT })),
    ),
  );
  const sum = (pick: (f: LoadFigures) => number) => results.reduce((n, f) => n + pick(f), 0);
  const max = (pick: (f: LoadFigures) => number) => Math.max(...results.map(pick));
  return {
    ...results[0]!,
    perSecond: sum((f) => f.perSecond),
    ok: sum((f) => f.ok),
    non2xx: sum((f) => f.non2xx),
    errors: sum((f) => f.errors),
    p50Ms: max((f) => f.p50Ms),
    p99Ms: max((f) => f.p99Ms),
  };
}

const problems = (label: string, f: LoadFigures) =>
  [f.ok === 0 ? `${label}: no 2xx answers` : '', f.non2xx > 0 ? `${label}: ${f.non2xx} non-2xx` : '', f.errors > 0 ? `${label}: ${f.errors} errors` : ''].filter(Boolean);

export const scaleBenchmark: Benchmark = {
  name: 'scale',
  method:
    `Single-event POSTs (the ingest benchmark's event; autocannon, ${LOAD.connections} connections in all, ${LOAD.seconds} s measured) to one server on SQLite, ` +
    'one on a throwaway PostgreSQL with durable commits, and two on that PostgreSQL sharing the connections; each server in its own process, on the same two cores as the database.',
  async run(): Promise<BenchResult[]> {
    const dataDir = makeTempDir('switchboard-bench-scale-');
    const pgServer = await startThrowawayPostgres({ durable: true });
    try {
      const sqlite = openStore(dataDir);
      const sqliteKey = createApiKeySync(sqlite, 'bench', null, Date.now()).key;
      sqlite.close();
      const store = await openPostgresStore(pgServer.url, { max: 1 });
      const pgKey = (await createApiKey(store, 'bench', null, Date.now())).key;
      await store.close();

      const run = async (envs: Record<string, string>[], key: string) => {
        const servers = await Promise.all(envs.map((env) => startServer('server/main.ts', { ...SERVER_ENV, ...env })));
        try {
          return await load(servers, key);
        } finally {
          await Promise.all(servers.map((s) => s.stop()));
        }
      };
      const onSqlite = await run([{ DATA_DIR: dataDir }], sqliteKey);
      const onePg = await run([{ DATABASE_URL: pgServer.url, DATA_DIR: dataDir }], pgKey);
      const twoPg = await run([{ DATABASE_URL: pgServer.url, DATA_DIR: dataDir }, { DATABASE_URL: pgServer.url, DATA_DIR: dataDir }], pgKey);
      const line = (label: string, f: LoadFigures) =>
        console.log(`  ${label.padEnd(24)} ${f.perSecond.toFixed(0).padStart(6)} events/s   p50 ${f.p50Ms} ms   p99 ${f.p99Ms} ms`);
      console.log('scale: ingest on one SQLite instance, one and two PostgreSQL instances');
      line('SQLite, 1 instance', onSqlite);
      line('PostgreSQL, 1 instance', onePg);
      line('PostgreSQL, 2 instances', twoPg);
      const found = [...problems('sqlite', onSqlite), ...problems('pg-1', onePg), ...problems('pg-2', twoPg)];
      const details = { load: LOAD, sqlite: onSqlite, postgres1: onePg, postgres2: twoPg };
      return [
        {
          name: 'scale: PostgreSQL vs SQLite, 1 instance',
          metric: 'events/s',
          value: onePg.perSecond,
          baseline: onSqlite.perSecond,
          ratio: onePg.perSecond / onSqlite.perSecond,
          goal: 0,
          goalLabel: 'reported',
          passed: found.length === 0,
          problems: found,
          details,
        },
        {
          name: 'scale: 2 vs 1 PostgreSQL instances',
          metric: 'events/s',
          value: twoPg.perSecond,
          baseline: onePg.perSecond,
          ratio: twoPg.perSecond / onePg.perSecond,
          goal: 0,
          goalLabel: 'reported (2 cores shared)',
          passed: found.length === 0,
          problems: found,
          details,
        },
      ];
    } finally {
      pgServer.stop();
      removeTempDir(dataDir);
    }
  },
};
