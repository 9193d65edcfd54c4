/**
 * The API's read answers are compressed when the client accepts it (JSON over 1 KB, GET only); the
 * live stream, answers to writes and request bodies are not touched.
 */
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SseReader } from './fixtures/sseReader.ts';
import { ingest, insertEvent, listenOnLoopback, makeApp, type TestApp } from './helpers.ts';

let t: TestApp;
let cookie: string;
let key: string;

beforeEach(async () => {
  t = await makeApp();
  cookie = await t.signIn();
  key = await t.apiKey();
  const at = Date.now() - 3600_000;
  for (let i = 0; i < 40; i++) await insertEvent(t.store, { name: `Payment failed ${i}`, avatar: '💳', content: `customer cus_${i} was charged 129.00 EUR and the card was declined` }, at + i * 1000);
});

afterEach(async () => {
  await t.cleanup();
});

describe('compressed API answers', () => {
  it('a feed page comes as Brotli or gzip, as accepted, and reads the same as the plain one', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/api/events', headers: { cookie } });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const { serverTime: _, ...expected } = plain.json<Record<string, unknown>>();
    expect(plain.rawPayload.length).toBeGreaterThan(8 * 1024);

    for (const [accepted, encoding, inflate] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url: '/api/events', headers: { cookie, 'accept-encoding': accepted } });
      expect(res.statusCode, accepted).toBe(200);
      expect(res.headers['content-encoding'], accepted).toBe(encoding);
      expect(String(res.headers.vary), accepted).toMatch(/accept-encoding/i);
      expect(res.rawPayload.length, accepted).toBeLessThan(plain.rawPayload.length / 4);
      const { serverTime: __, ...body } = JSON.parse(inflate(res.rawPayload).toString('utf8')) as Record<string, unknown>;
      expect(body, accepted).toEqual(expected);
    }
  });

  it('a small answer is sent as it is', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/status', headers: { cookie, 'accept-encoding': 'gzip, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBeLessThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('an answer to a write is never compressed, however large', async () => {
    const batch = Array.from({ length: 60 }, (_, i) => ({ name: `batch event ${i}` }));
    const res = await ingest(t.app, key, batch, { 'accept-encoding': 'gzip, br' });
    expect(res.statusCode).toBe(207);
    expect(res.rawPayload.length).toBeGreaterThan(2048);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json<{ results: unknown[] }>().results).toHaveLength(60);
  });

  it('a gzip request body is not inflated: it is refused as not JSON, and nothing is stored', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/events?limit=100', headers: { cookie } })).json<{ events: unknown[] }>().events.length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/log',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify({ name: 'zipped' })),
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json<{ error: { code: string } }>().error.code).toBeTruthy();
    const after = (await t.app.inject({ method: 'GET', url: '/api/events?limit=100', headers: { cookie } })).json<{ events: unknown[] }>().events.length;
    expect(after).toBe(before);
  });

  it('the live stream is not compressed: its events arrive one by one', async () => {
    const base = await listenOnLoopback(t.app);
    const controller = new AbortController();
    try {
      const res = await fetch(`${base}/api/stream`, { headers: { cookie, 'accept-encoding': 'gzip, br' }, signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBeNull();
      const reader = new SseReader(res.body!);
      expect((await ingest(t.app, key, { name: 'live one' })).statusCode).toBe(201);
      const message = await reader.next();
      expect(message.event).toBe('event');
      expect(message.data).toContain('live one');
    } finally {
      controller.abort();
    }
  });
});
