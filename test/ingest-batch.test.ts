/** §13 batches on POST /api/v1/log: JSON arrays and NDJSON, 207 per-event results, limits, one commit, Idempotency-Key. */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody, IngestAccepted } from '../contract/api.ts';
import type { BatchAnswer } from '../server/ingest/batch.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { countRows, ingest, makeApp, type TestApp } from './helpers.ts';

let t: TestApp;
let key: string;
beforeEach(async () => {
  t = await makeApp();
  key = await t.apiKey();
});
afterEach(async () => {
  await t.cleanup();
});

const events = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ name: `batch event ${from + i}` }));
const NDJSON = { 'content-type': 'application/x-ndjson' };

async function storedNames(ids: string[]): Promise<(string | null)[]> {
  return Promise.all(ids.map(async (id) => (await t.store.events.byId(id))?.event.name ?? null));
}

describe('JSON arrays', () => {
  it('stores every event of an array and answers 207 with their ids in order', async () => {
    const res = await ingest(t.app, key, events(500));
    expect(res.statusCode).toBe(207);
    const { results } = res.json<BatchAnswer>();
    expect(results).toHaveLength(500);
    const ids = results.map((r) => (r as IngestAccepted).id);
    expect(new Set(ids).size).toBe(500);
    expect(await storedNames([ids[0]!, ids[249]!, ids[499]!])).toEqual(['batch event 0', 'batch event 249', 'batch event 499']);
  });

  it('takes 10,000 events in 20 requests, every one stored once', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, r) => ingest(t.app, key, events(500, r * 500))));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(207));
    const ids = answers.flatMap((a) => a.json<BatchAnswer>().results.map((r) => (r as IngestAccepted).id));
    expect(new Set(ids).size).toBe(10_000);
    expect(await countRows(t, 'events')).toBe(10_000);
  }, 60_000);

  it('checks each event alone: a mixed batch stores the good ones and names the field of each bad one', async () => {
    const res = await ingest(t.app, key, [{ name: 'good one' }, { name: 'x', avatar: 5 }, 'not an event', { name: 'good two', actions: [{ buttonText: 'Go', url: 'ftp://x' }] }, { name: 'good three' }]);
    expect(res.statusCode).toBe(207);
    const { results } = res.json<BatchAnswer>();
    expect(results).toHaveLength(5);
    const [a, b, c, d, e] = results as [IngestAccepted, ApiErrorBody, ApiErrorBody, ApiErrorBody, IngestAccepted];
    expect(await storedNames([a.id, e.id])).toEqual(['good one', 'good three']);
    expect(b.error).toMatchObject({ code: 'invalid_field', field: 'avatar' });
    expect(c.error.code).toBe('invalid_field');
    expect(d.error).toMatchObject({ field: 'actions[0].url' });
  });

  it('refuses more than 500 events with 413 naming the limit, and stores none', async () => {
    const res = await ingest(t.app, key, events(501));
    expect(res.statusCode).toBe(413);
    expect(res.json<ApiErrorBody>().error).toMatchObject({ code: 'too_many_events' });
    expect(res.json<ApiErrorBody>().error.message).toContain('500');
    const readKey = (await createApiKey(t.store, DEFAULT_PROJECT_ID, 'reader', null, Date.now(), 'read')).key;
    const feed = await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: `Bearer ${readKey}` } });
    expect(feed.statusCode).toBe(200);
    expect(feed.json<{ events: unknown[] }>().events).toHaveLength(0);
  });

  it('refuses a body over 5 MiB with 413, and an empty batch with 400', async () => {
    const huge = Array.from({ length: 60 }, (_, i) => ({ name: `big ${i}`, content: 'x'.repeat(90 * 1024) }));
    const res = await ingest(t.app, key, huge);
    expect(res.statusCode).toBe(413);
    expect(res.json<ApiErrorBody>().error.code).toBe('payload_too_large');
    expect(res.json<ApiErrorBody>().error.message).toContain('5 MiB');
    const empty = await ingest(t.app, key, []);
    expect(empty.statusCode).toBe(400);
    expect(empty.json<ApiErrorBody>().error.code).toBe('empty_batch');
  });

  it('keeps the 100 KiB limit for a single event, though a batch may be larger', async () => {
    const big = { name: 'big', content: 'x'.repeat(101 * 1024) };
    const single = await ingest(t.app, key, big);
    expect(single.statusCode).toBe(413);
    expect(single.json<ApiErrorBody>().error.message).toMatch(/100 KiB/);
    // In a batch the same event is refused by its own content limit (64 KiB), alone.
    const batch = await ingest(t.app, key, [big, { name: 'small' }]);
    expect(batch.statusCode).toBe(207);
    const [bad, good] = batch.json<BatchAnswer>().results as [ApiErrorBody, IngestAccepted];
    expect(bad.error.field).toBe('content');
    expect(typeof good.id).toBe('string');
  });

  it('an Idempotency-Key covers the batch: sent again, the same ids come back and nothing is stored twice', async () => {
    const headers = { 'idempotency-key': 'nightly-import-7' };
    const first = await ingest(t.app, key, [...events(3), { name: 'bad', type: 'nope' }], headers);
    const again = await ingest(t.app, key, [...events(3), { name: 'bad', type: 'nope' }], headers);
    expect(again.statusCode).toBe(207);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<BatchAnswer>()).toEqual(first.json<BatchAnswer>());
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // A single event under a key that looks like a batch item's is its own request.
    const single = await ingest(t.app, key, { name: 'single' }, { 'idempotency-key': 'nightly-import-7 0' });
    expect(single.statusCode).toBe(201);
  });

  it('writes a batch in one transaction', async () => {
    if (t.databaseUrl) {
      // PostgreSQL: every row a transaction writes carries its id (xmin).
      const res = await ingest(t.app, key, events(300));
      expect(res.statusCode).toBe(207);
      const client = new pg.Client({ connectionString: t.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string; txs: string }>('SELECT count(*) AS n, count(DISTINCT xmin::text) AS txs FROM events');
        expect({ n: Number(rows[0]!.n), txs: Number(rows[0]!.txs) }).toEqual({ n: 300, txs: 1 });
      } finally {
        await client.end();
      }
      return;
    }
    // SQLite: the store announces each commit to the live log once.
    let commits = 0;
    const stop = await t.store.listenLive(() => {
      commits++;
    });
    try {
      const res = await ingest(t.app, key, events(300));
      expect(res.statusCode).toBe(207);
      await new Promise((r) => setTimeout(r, 50));
      expect(commits).toBe(1);
    } finally {
      await stop();
    }
  });
});

describe('NDJSON', () => {
  it('stores one event per line; a broken line gets its own error and the rest are stored', async () => {
    const body = ['{"name":"line one"}', '', '{"name": "line three", broken', '{"name":"line four","avatar":"🚀"}', ''].join('\n');
    const res = await ingest(t.app, key, body, NDJSON);
    expect(res.statusCode).toBe(207);
    const { results } = res.json<BatchAnswer>();
    expect(results).toHaveLength(3);
    const [a, b, c] = results as [IngestAccepted, ApiErrorBody, IngestAccepted];
    expect(b.error).toMatchObject({ code: 'invalid_json' });
    expect(b.error.message).toContain('line 3');
    expect(await storedNames([a.id, c.id])).toEqual(['line one', 'line four']);
  });

  it('refuses a line with a prototype-polluting key, and an NDJSON body of no events', async () => {
    const res = await ingest(t.app, key, '{"name":"ok"}\n{"__proto__":{"x":1},"name":"evil"}\n', NDJSON);
    const { results } = res.json<BatchAnswer>();
    expect((results[1] as ApiErrorBody).error.code).toBe('invalid_json');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const empty = await ingest(t.app, key, '\n\n', NDJSON);
    expect(empty.statusCode).toBe(400);
  });
});

describe('metrics', () => {
  it('counts a batch per event, by outcome', async () => {
    await t.cleanup();
    t = await makeApp({ env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
    key = await t.apiKey();
    await ingest(t.app, key, [{ name: 'a' }, { name: 'b' }, { avatar: 'no name' }]);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-0123456789' } });
    const text = metrics.body;
    expect(text).toMatch(/switchboard_events_ingested_total\{[^}]*outcome="accepted"[^}]*\} 2/);
    expect(text).toMatch(/switchboard_events_ingested_total\{[^}]*outcome="rejected"[^}]*\} 1/);
  });
});
