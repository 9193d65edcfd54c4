/**
 * The read API for scripts (CONTRACT §9): a key with the `read` scope lists and opens its project's
 * events with the feed's query parameters and page shape; a plain (ingest) key gets 403; another
 * project's event is as absent as one that never was; a session cookie is no key. Both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, FeedPage } from '../contract/api.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { getFeed, ingest, makeApp, OWN_ORIGIN, type TestApp } from './helpers.ts';

let t: TestApp;
let readKey: string;
let ingestKey: string;
let otherReadKey: string;
let cookie: string;
const ids: string[] = [];

const get = (url: string, key: string | null, extra: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra } });

beforeAll(async () => {
  t = await makeApp();
  cookie = await t.signIn();
  readKey = (await createApiKey(t.store, DEFAULT_PROJECT_ID, 'script', null, Date.now(), 'read')).key;
  ingestKey = await t.apiKey('app');
  const other = (await t.store.projects.create('other', 'Other', Date.now()))!;
  otherReadKey = (await createApiKey(t.store, other.id, 'other script', null, Date.now(), 'read')).key;
  for (let i = 0; i < 5; i++) {
    const res = await ingest(t.app, i % 2 ? readKey : ingestKey, { name: `event ${i}`, category: i % 2 ? 'odd' : 'even', userId: `u_${i}`, ...(i < 3 ? { contextId: 'thread-1', contextStart: i === 0 } : {}) });
    expect(res.statusCode).toBe(201); // a read key still sends events
    ids.push(res.json<{ id: string }>().id);
  }
});
afterAll(async () => {
  await t.cleanup();
});

describe('GET /api/v1/events with a read key', () => {
  it('answers the feed’s own page for the same query, every filter and the cursor included', async () => {
    for (const query of ['', '?limit=2', '?category=odd', '?q=event', '?user=u_3', '?test=1', '?unhandled=1']) {
      const viaKey = await get(`/api/v1/events${query}`, readKey);
      expect(viaKey.statusCode, query).toBe(200);
      const page = viaKey.json<FeedPage>();
      const app = await getFeed(t.app, cookie, query);
      expect(page.events, query).toEqual(app.events);
      expect(page.nextCursor, query).toBe(app.nextCursor);
    }
    const first = (await get('/api/v1/events?limit=2', readKey)).json<FeedPage>();
    expect(first.nextCursor).not.toBeNull();
    const secondRes = await get(`/api/v1/events?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`, readKey);
    expect(secondRes.statusCode, secondRes.body).toBe(200);
    const second = secondRes.json<FeedPage>();
    expect(second.events.map((e) => e.id)).not.toContain(first.events[0]!.id);
    const bad = await get('/api/v1/events?limit=0', readKey);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('limit');
  });

  it('opens one event with its thread and attempts, like the event page', async () => {
    const res = await get(`/api/v1/events/${ids[0]}`, readKey);
    expect(res.statusCode).toBe(200);
    const detail = res.json<EventDetail>();
    expect(detail.event.id).toBe(ids[0]);
    expect(detail.thread.length).toBe(2);
    const viaApp = await t.app.inject({ method: 'GET', url: `/api/events/${ids[0]}`, headers: { cookie } });
    expect({ ...detail, serverTime: '' }).toEqual({ ...viaApp.json<EventDetail>(), serverTime: '' });
  });
});

describe('what the read API refuses', () => {
  it('an ingest key gets 403 saying what scope it needs; no key, a revoked or unknown key 401; a session cookie is no key', async () => {
    const plain = await get('/api/v1/events', ingestKey);
    expect(plain.statusCode).toBe(403);
    expect(plain.json().error.message).toMatch(/read scope/);
    expect((await get(`/api/v1/events/${ids[0]}`, ingestKey)).statusCode).toBe(403);
    expect((await get('/api/v1/events', null)).statusCode).toBe(401);
    expect((await get('/api/v1/events', 'sb_not_a_key')).statusCode).toBe(401);
    expect((await get('/api/v1/events', null, { cookie, origin: OWN_ORIGIN })).statusCode).toBe(401);
    const doomed = await createApiKey(t.store, DEFAULT_PROJECT_ID, 'doomed', null, Date.now(), 'read');
    expect((await get('/api/v1/events', doomed.key)).statusCode).toBe(200);
    await t.store.apiKeys.revoke(DEFAULT_PROJECT_ID, doomed.id, Date.now());
    expect((await get('/api/v1/events', doomed.key)).statusCode).toBe(401);
  });

  it("another project's read key sees none of these events, and their ids are 404 to it, also encoded", async () => {
    const page = (await get('/api/v1/events', otherReadKey)).json<FeedPage>();
    expect(page.events).toEqual([]);
    for (const id of [ids[0]!, encodeURIComponent(ids[0]!), `${ids[0]}%00`, `..%2F${ids[0]}`]) {
      const res = await get(`/api/v1/events/${id}`, otherReadKey);
      expect(res.statusCode, id).toBe(404);
    }
  });

  it('keys are created with a scope through the app (ingest unless told), and the list says which', async () => {
    const post = (body: unknown) =>
      t.app.inject({ method: 'POST', url: '/api/keys', headers: { cookie, origin: OWN_ORIGIN, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect((await post({ name: 'plain' })).json().scope).toBe('ingest');
    expect((await post({ name: 'reader', scope: 'read' })).json().scope).toBe('read');
    const wrong = await post({ name: 'admin?', scope: 'admin' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('scope');
    const list = (await t.app.inject({ method: 'GET', url: '/api/keys', headers: { cookie } })).json<{ keys: { name: string; scope: string }[] }>().keys;
    expect(list.find((k) => k.name === 'reader')?.scope).toBe('read');
    expect(list.find((k) => k.name === 'plain')?.scope).toBe('ingest');
  });
});
