/**
 * The cost of serialising live-log appends on PostgreSQL (the alternative, reading only below the
 * oldest transaction in flight, costs the readers instead). 6 writers, each committing transactions
 * that write an event-sized row and then append to the live log, on a throwaway cluster: appends/s
 * with the advisory lock (what the store does) against the same transactions appending without it
 * (fast, but a reader can skip entries). Rounds alternate so both see the same machine noise; the
 * median of 3 rounds each, with fsync and synchronous commit on (the lock is held through each commit's
 * flush). Reported, with a goal of keeping at least half the unserialised rate. The lock is taken
 * once per transaction, so a group-committed batch of events waits for it once.
 */
import pg from 'pg';
import { startThrowawayPostgres } from '../test/fixtures/postgres.ts';
import { appendLive } from '../server/store/postgres/liveLog.ts';
import { migratePostgres } from '../server/store/postgres/migrate.ts';
import { type Benchmark, type BenchResult, median } from './support.ts';

const WRITERS = 6;
const PER_WRITER = 300;
const ROUNDS = 3;
const PAYLOAD = 'x'.repeat(1024);

async function round(pool: pg.Pool, serialised: boolean): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const client = await pool.connect();
      try {
        for (let i = 0; i < PER_WRITER; i++) {
          await client.query('BEGIN');
          await client.query('INSERT INTO bench_events (payload) VALUES ($1)', [PAYLOAD]);
          if (serialised) await appendLive(client, 'event', i, false, Date.now());
          else {
            const { rows } = await client.query<{ seq: string }>(
              "INSERT INTO live_log (kind, event_seq, test, created_at) VALUES ('event', $1, false, $2) RETURNING seq",
              [i, Date.now()],
            );
            await client.query('SELECT pg_notify($1, $2)', ['sb_live', rows[0]!.seq]);
          }
          await client.query('COMMIT');
        }
      } finally {
        client.release();
      }
    }),
  );
  return (WRITERS * PER_WRITER) / ((performance.now() - started) / 1000);
}


export const liveLogBenchmark: Benchmark = {
  name: 'livelog',
  method:
    'Appends/s of 6 concurrent writers, each transaction an event-sized insert plus a live-log append, with the advisory lock that makes numbers commit in order against the same without it; median of 3 alternating rounds on a throwaway PostgreSQL.',
  async run(): Promise<BenchResult> {
    // Durable commits: the lock is held through each commit's flush, which is what it costs for real.
    const server = await startThrowawayPostgres({ durable: true });
    const pool = new pg.Pool({ connectionString: server.url, max: WRITERS + 2 });
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      await migratePostgres(client);
      await client.query('CREATE TABLE bench_events (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)');
      client.release();
      await round(pool, false); // warm-up
      const locked: number[] = [];
      const free: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        free.push(await round(pool, false));
        locked.push(await round(pool, true));
      }
      const value = median(locked);
      const baseline = median(free);
      const ratio = value / baseline;
      console.log(`livelog: ${value.toFixed(0)} appends/s serialised vs ${baseline.toFixed(0)} unserialised (ratio ${ratio.toFixed(2)})`);
      return { name: 'livelog', metric: 'appends/s, serialised', value, baseline, ratio, goal: 0.5, passed: ratio >= 0.5, problems: [], details: { locked, free, writers: WRITERS } };
    } finally {
      await pool.end();
      server.stop();
    }
  },
};
