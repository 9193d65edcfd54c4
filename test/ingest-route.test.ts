/** POST /api/v1/log and /api/v1/ingest over HTTP (inject): auth, media types, limits, errors, idempotency. */
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody, FeedPage, IngestAccepted } from '../contract/api.ts';
import { getFeed, ingest, makeApp, OWN_ORIGIN, type TestApp } from './helpers.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Every error answer has CONTRACT.md's shape; returns the error for further checks. */
function expectError(res: LightMyRequestResponse, status: number): ApiErrorBody['error'] {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json<ApiErrorBody>();
  expect(typeof body.error.code).toBe('string');
  expect(body.error.code.length).toBeGreaterThan(0);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

let t: TestApp;
let key: string;
beforeEach(async () => {
  t = await makeApp();
  key = await t.apiKey();
});
afterEach(async () => {
  await t.cleanup();
});

describe('paths and success answer', () => {
  for (const url of ['/api/v1/log', '/api/v1/ingest']) {
    it(`${url} stores the event and answers 201 with its id and createdAt`, async () => {
      const res = await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` }, payload: { name: 'signup' } });
      expect(res.statusCode).toBe(201);
      const body = res.json<IngestAccepted>();
      expect(typeof body.id).toBe('string');
      expect(body.createdAt).toMatch(ISO);
      expect((await t.store.events.byId(body.id))?.event.name).toBe('signup');
    });
  }
});

describe('authentication', () => {
  for (const scheme of ['Bearer', 'Token', 'Basic', 'bearer']) {
    it(`accepts the key after the scheme word "${scheme}"`, async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/log', headers: { authorization: `${scheme} ${key}` }, payload: { name: 'x' } });
      expect(res.statusCode).toBe(201);
    });
  }
  it('refuses a missing key with 401', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/log', payload: { name: 'x' } });
    expectError(res, 401);
  });
  it('refuses an unknown key with 401', async () => {
    expectError(await ingest(t.app, 'sb_not_a_real_key', { name: 'x' }), 401);
  });
  it('refuses a revoked key with 401 from the next request on', async () => {
    const cookie = await t.signIn();
    expect((await ingest(t.app, key, { name: 'before' })).statusCode).toBe(201);
    const id = (await t.store.apiKeys.list(DEFAULT_PROJECT_ID))[0]!.id;
    const del = await t.app.inject({ method: 'DELETE', url: `/api/keys/${id}`, headers: { cookie, origin: OWN_ORIGIN }, payload: {} });
    expect(del.statusCode).toBe(204);
    expectError(await ingest(t.app, key, { name: 'after' }), 401);
  });
  it('checks the key before reading the body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/log',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      payload: '{broken',
    });
    expectError(res, 401);
  });
});

describe('media types and body size', () => {
  it('accepts application/json with a charset', async () => {
    const res = await ingest(t.app, key, JSON.stringify({ name: 'charset' }), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.statusCode).toBe(201);
  });
  it('takes a text/plain body as the name, a leading emoji as the avatar', async () => {
    const res = await ingest(t.app, key, '🚨 login from new device', { 'content-type': 'text/plain; charset=utf-8' });
    expect(res.statusCode).toBe(201);
    const stored = (await t.store.events.byId(res.json<IngestAccepted>().id))!.event;
    expect(stored.avatar).toBe('🚨');
    expect(stored.name).toBe('login from new device');
  });
  it('refuses any other content type with 415', async () => {
    const res = await ingest(t.app, key, '<event name="x"/>', { 'content-type': 'application/xml' });
    expectError(res, 415);
    const form = await ingest(t.app, key, 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expectError(form, 415);
  });
  it('refuses a body over 100 KiB with 413', async () => {
    const big = JSON.stringify({ name: 'x', content: 'a'.repeat(100 * 1024) });
    expectError(await ingest(t.app, key, big, { 'content-type': 'application/json' }), 413);
  });
  it('refuses a text/plain body over 100 KiB with 413', async () => {
    expectError(await ingest(t.app, key, 'a'.repeat(100 * 1024 + 1), { 'content-type': 'text/plain' }), 413);
  });
  it('refuses invalid JSON with a 400 JSON error', async () => {
    const err = expectError(await ingest(t.app, key, '{"name": ', { 'content-type': 'application/json' }), 400);
    expect(err.code).toBe('invalid_json');
  });
});

describe('field errors and warnings', () => {
  it('refuses a bad field with 400 naming it in error.field', async () => {
    const res = await ingest(t.app, key, { name: 'x', actions: [{ url: 'https://a.example', buttonText: 'A' }, { url: 'https://a.example', buttonText: 'B', expireIn: 0 }] });
    expect(expectError(res, 400).field).toBe('actions[1].expireIn');
  });
  it('refuses a javascript: action URL with 400', async () => {
    const res = await ingest(t.app, key, { name: 'x', actions: [{ url: 'javascript:alert(1)', buttonText: 'A' }] });
    expect(expectError(res, 400).field).toBe('actions[0].url');
  });
  it('refuses a JSON body that is not an object with 400, never a 5xx', async () => {
    for (const payload of ['null', '"text"', '42']) {
      const res = await ingest(t.app, key, payload, { 'content-type': 'application/json' });
      expectError(res, 400);
    }
    // An array is a batch (§13): each of its items refused alone.
    const batch = await ingest(t.app, key, '[1,2]', { 'content-type': 'application/json' });
    expect(batch.statusCode).toBe(207);
    expect(batch.json<{ results: ApiErrorBody[] }>().results.map((r) => r.error.code)).toEqual(['invalid_field', 'invalid_field']);
  });
  it('lists unknown fields in the warnings of the 201', async () => {
    const res = await ingest(t.app, key, { name: 'x', muted: true });
    expect(res.statusCode).toBe(201);
    const warnings = res.json<IngestAccepted>().warnings ?? [];
    expect(warnings.some((w) => w.includes('muted'))).toBe(true);
  });
});

describe('Idempotency-Key', () => {
  it('answers a retry with the first answer and creates one event', async () => {
    const cookie = await t.signIn();
    const first = await ingest(t.app, key, { name: 'charge' }, { 'idempotency-key': 'abc-1' });
    const retry = await ingest(t.app, key, { name: 'charge' }, { 'idempotency-key': 'abc-1' });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json<IngestAccepted>()).toEqual(first.json<IngestAccepted>());
    const feed = await getFeed(t.app, cookie);
    expect(feed.events.filter((e) => e.name === 'charge')).toHaveLength(1);
  });
  it('keeps keys per API key: the same Idempotency-Key from another key creates a new event', async () => {
    const other = await t.apiKey('other');
    const a = await ingest(t.app, key, { name: 'a' }, { 'idempotency-key': 'same' });
    const b = await ingest(t.app, other, { name: 'b' }, { 'idempotency-key': 'same' });
    expect(a.json<IngestAccepted>().id).not.toBe(b.json<IngestAccepted>().id);
  });
  it('creates a new event for a different Idempotency-Key', async () => {
    const a = await ingest(t.app, key, { name: 'a' }, { 'idempotency-key': 'one' });
    const b = await ingest(t.app, key, { name: 'a' }, { 'idempotency-key': 'two' });
    expect(a.json<IngestAccepted>().id).not.toBe(b.json<IngestAccepted>().id);
  });
});

describe('with a clock that moves', () => {
  it('forgets an Idempotency-Key after 24 hours', async () => {
    let clock = Date.UTC(2030, 0, 1);
    const timed = await makeApp({ now: () => clock });
    try {
      const k = await timed.apiKey();
      const first = (await ingest(timed.app, k, { name: 'x' }, { 'idempotency-key': 'daily' })).json<IngestAccepted>();
      clock += 23 * 3600_000;
      expect((await ingest(timed.app, k, { name: 'x' }, { 'idempotency-key': 'daily' })).json<IngestAccepted>().id).toBe(first.id);
      clock += 2 * 3600_000;
      expect((await ingest(timed.app, k, { name: 'x' }, { 'idempotency-key': 'daily' })).json<IngestAccepted>().id).not.toBe(first.id);
    } finally {
      await timed.cleanup();
    }
  });

  it('lets a rate-limited key send again once the minute has passed', async () => {
    let clock = Date.UTC(2030, 0, 1);
    const timed = await makeApp({ now: () => clock, env: { INGEST_RATE_LIMIT: '2' } });
    try {
      const k = await timed.apiKey();
      await ingest(timed.app, k, { name: 'a' });
      await ingest(timed.app, k, { name: 'b' });
      expect((await ingest(timed.app, k, { name: 'c' })).statusCode).toBe(429);
      clock += 60_000;
      expect((await ingest(timed.app, k, { name: 'd' })).statusCode).toBe(201);
    } finally {
      await timed.cleanup();
    }
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a key sent more than its events per minute', async () => {
    const limited = await makeApp({ env: { INGEST_RATE_LIMIT: '3' }, now: () => 1_700_000_000_000 });
    try {
      const k = await limited.apiKey();
      for (let i = 0; i < 3; i++) expect((await ingest(limited.app, k, { name: `n${i}` })).statusCode).toBe(201);
      const res = await ingest(limited.app, k, { name: 'too many' });
      expect(expectError(res, 429).code).toBe('rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Another key has its own budget.
      expect((await ingest(limited.app, await limited.apiKey('second'), { name: 'ok' })).statusCode).toBe(201);
    } finally {
      await limited.cleanup();
    }
  });
});

describe('the stored event', () => {
  it('shows in GET /api/events with its actions (meta too, for the confirm step), each expiring expireIn minutes after createdAt', async () => {
    const cookie = await t.signIn();
    const res = await ingest(t.app, key, {
      name: 'refund requested',
      avatar: '💸',
      category: 'billing',
      content: 'order 77',
      userId: 42,
      actions: [
        { url: 'https://hooks.example.com/refund', buttonText: 'Refund', type: 'danger', expireIn: 90, meta: { order: 77 } },
        { url: 'https://shop.example.com/o/77', buttonText: 'Open order', external: true },
      ],
    });
    expect(res.statusCode).toBe(201);
    const { id, createdAt } = res.json<IngestAccepted>();
    const feed: FeedPage = await getFeed(t.app, cookie);
    const event = feed.events.find((e) => e.id === id);
    expect(event).toBeDefined();
    expect(event).toMatchObject({ name: 'refund requested', avatar: '💸', category: 'billing', content: 'order 77', userId: '42', createdAt });
    const created = Date.parse(createdAt);
    expect(event!.actions).toEqual([
      { key: 'refund', buttonText: 'Refund', url: 'https://hooks.example.com/refund', meta: { order: 77 }, external: false, expiresAt: new Date(created + 90 * 60_000).toISOString(), repeat: false, type: 'danger', role: null, risk: 'high', confirmText: null, reply: false, input: null, resolves: false, state: 'idle', attempts: 0, lastAttempt: null, request: null },
      { key: 'open_order', buttonText: 'Open order', url: 'https://shop.example.com/o/77', meta: null, external: true, expiresAt: new Date(created + 10_080 * 60_000).toISOString(), repeat: false, type: null, role: null, risk: 'low', confirmText: null, reply: false, input: null, resolves: false, state: 'idle', attempts: 0, lastAttempt: null, request: null },
    ]);
  });
  it('uses the injected clock for createdAt', async () => {
    const fixed = Date.UTC(2030, 0, 2, 3, 4, 5);
    const clocked = await makeApp({ now: () => fixed });
    try {
      const res = await ingest(clocked.app, await clocked.apiKey(), { name: 'x' });
      expect(res.json<IngestAccepted>().createdAt).toBe(new Date(fixed).toISOString());
    } finally {
      await clocked.cleanup();
    }
  });
});
