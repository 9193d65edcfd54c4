/**
 * The live log on a real PostgreSQL: why appends must be serialised (a reader skips an entry that
 * commits late with a lower number), that appendLive() makes numbers commit in order, that a reader
 * racing many concurrent writers sees every entry once and in order, and that NOTIFY carries the
 * number at commit and never for a rolled-back append.
 */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendLive, lastLiveSeq, listenLive, liveAfter } from '../server/store/postgres/liveLog.ts';
import { migratePostgres } from '../server/store/postgres/migrate.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';

let database: TestDatabase;
let url: string;
let pool: pg.Pool;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeAll(async () => {
  database = await createTestDatabase('live');
  url = database.url;
  pool = new pg.Pool({ connectionString: url, max: 10 });
  // Idle clients are cut when the database is dropped at the end: that is expected, not a failure.
  pool.on('error', () => undefined);
  const client = await pool.connect();
  await migratePostgres(client);
  client.release();
});
beforeEach(async () => {
  await pool.query('TRUNCATE live_log RESTART IDENTITY');
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('the live log on PostgreSQL', () => {
  it('without serialisation, a reader skips an entry that commits after a higher one (the hazard)', async () => {
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query('BEGIN');
      await a.query("INSERT INTO live_log (kind, event_seq, test, created_at) VALUES ('event', 1, false, 0)");
      await b.query('BEGIN');
      await b.query("INSERT INTO live_log (kind, event_seq, test, created_at) VALUES ('event', 2, false, 0)");
      await b.query('COMMIT');
      const first = await liveAfter(pool, null, 0, false, 100);
      expect(first.map((r) => r.seq)).toEqual([2]);
      await a.query('COMMIT');
      // The reader goes on from 2 and never sees 1.
      expect(await liveAfter(pool, null, 2, false, 100)).toEqual([]);
      expect((await liveAfter(pool, null, 0, false, 100)).map((r) => r.seq)).toEqual([1, 2]);
    } finally {
      a.release();
      b.release();
    }
  });

  it('appendLive makes a later append wait for the earlier one to commit, so numbers commit in order', async () => {
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query('BEGIN');
      expect(await appendLive(a, 'event', 1, false, 0)).toBe(1);
      await b.query('BEGIN');
      let bSeq: number | null = null;
      const bDone = appendLive(b, 'event', 2, false, 0).then((s) => {
        bSeq = s;
      });
      await sleep(200);
      expect(bSeq).toBeNull(); // waiting for a's commit
      expect(await liveAfter(pool, null, 0, false, 100)).toEqual([]);
      await a.query('COMMIT');
      await bDone;
      expect(bSeq).toBe(2);
      expect((await liveAfter(pool, null, 0, false, 100)).map((r) => r.seq)).toEqual([1]);
      await b.query('COMMIT');
      expect((await liveAfter(pool, null, 1, false, 100)).map((r) => r.seq)).toEqual([2]);
    } finally {
      a.release();
      b.release();
    }
  });

  it('a reader racing 6 concurrent writers (600 appends, pauses inside their transactions) sees every entry once, in order', async () => {
    const WRITERS = 6;
    const EACH = 100;
    let writing = true;
    const seen: number[] = [];
    const reader = (async () => {
      let last = 0;
      while (writing || last < WRITERS * EACH) {
        const rows = await liveAfter(pool, null, last, false, 50);
        for (const r of rows) seen.push(r.seq);
        if (rows.length > 0) last = rows[rows.length - 1]!.seq;
        else await sleep(1);
      }
    })();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const client = await pool.connect();
        try {
          for (let i = 0; i < EACH; i++) {
            await client.query('BEGIN');
            // The event's own rows would be written here: a pause before and after the append.
            if (Math.random() < 0.3) await sleep(Math.random() * 3);
            await appendLive(client, 'event', w * EACH + i, false, Date.now());
            if (Math.random() < 0.3) await sleep(Math.random() * 3);
            await client.query('COMMIT');
          }
        } finally {
          client.release();
        }
      }),
    );
    writing = false;
    await reader;
    expect(seen).toEqual(Array.from({ length: WRITERS * EACH }, (_, i) => i + 1));
    expect(await lastLiveSeq(pool)).toBe(WRITERS * EACH);
  });

  it('NOTIFY carries the number at commit, and nothing for an append that was rolled back', async () => {
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const heard: number[] = [];
    const stop = await listenLive(listener, (seq) => heard.push(seq));
    const writer = await pool.connect();
    try {
      await writer.query('BEGIN');
      await appendLive(writer, 'event', 1, false, 0);
      await sleep(100);
      expect(heard).toEqual([]); // not before commit
      await writer.query('COMMIT');
      await expect.poll(() => heard).toEqual([1]);

      await writer.query('BEGIN');
      await appendLive(writer, 'event', 2, false, 0);
      await writer.query('ROLLBACK');
      await writer.query('BEGIN');
      const third = await appendLive(writer, 'event', 3, false, 0);
      await writer.query('COMMIT');
      await expect.poll(() => heard).toEqual([1, third]);
      // The rolled-back number is a gap readers step over: the log holds only committed entries.
      expect((await liveAfter(pool, null, 0, false, 10)).map((r) => r.eventSeq)).toEqual([1, 3]);
    } finally {
      writer.release();
      await stop();
      await listener.end();
    }
  });
});
