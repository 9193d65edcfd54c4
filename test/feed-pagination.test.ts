/** GET /api/events: cursor pages that never skip or repeat, even when many events share a timestamp. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody, IngestAccepted } from '../contract/api.ts';
import { getFeed, ingest, insertEvent, makeApp, readAllPages, type TestApp } from './helpers.ts';

const T0 = Date.UTC(2030, 5, 1, 12, 0, 0);

let t: TestApp;
let cookie: string;
beforeEach(async () => {
  t = await makeApp({ now: () => T0 });
  cookie = await t.signIn();
});
afterEach(async () => {
  await t.cleanup();
});

interface Inserted {
  id: string;
  createdAt: number;
  order: number;
}

/** What the feed must serve: newest first, and among equal times the later-inserted first. */
function expectedOrder(events: Inserted[]): string[] {
  return [...events].sort((a, b) => b.createdAt - a.createdAt || b.order - a.order).map((e) => e.id);
}

function expectNoGapsNoRepeats(served: string[], expected: string[]) {
  expect(new Set(served).size).toBe(served.length);
  expect(served).toEqual(expected);
}

describe('pagination', () => {
  it('pages through 137 events sharing one createdAt with limit 10, none skipped or repeated', async () => {
    const inserted: Inserted[] = [];
    for (let i = 0; i < 137; i++) inserted.push({ id: (await insertEvent(t.store, { name: `same ${i}` }, T0)).id, createdAt: T0, order: i });
    const served = await readAllPages(t.app, cookie, 10);
    expect(served).toHaveLength(137);
    expectNoGapsNoRepeats(served.map((e) => e.id), expectedOrder(inserted));
  });

  it('pages through events ingested over HTTP with a frozen clock', async () => {
    const key = await t.apiKey();
    const inserted: Inserted[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await ingest(t.app, key, { name: `http ${i}` });
      inserted.push({ id: res.json<IngestAccepted>().id, createdAt: T0, order: i });
    }
    const served = await readAllPages(t.app, cookie, 10);
    expectNoGapsNoRepeats(served.map((e) => e.id), expectedOrder(inserted));
    expect(served.every((e) => e.createdAt === new Date(T0).toISOString())).toBe(true);
  });

  it('orders a mix of tied and distinct timestamps, inserted out of time order, by createdAt desc', async () => {
    const inserted: Inserted[] = [];
    // A fixed pseudo-random walk over 7 distinct times, so runs of ties straddle page boundaries.
    let x = 7;
    for (let i = 0; i < 137; i++) {
      x = (x * 31 + 11) % 97;
      const createdAt = T0 - (x % 7) * 60_000;
      inserted.push({ id: (await insertEvent(t.store, { name: `mixed ${i}` }, createdAt)).id, createdAt, order: i });
    }
    const served = await readAllPages(t.app, cookie, 10);
    expectNoGapsNoRepeats(served.map((e) => e.id), expectedOrder(inserted));
    const times = served.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('keeps its place when new events arrive between pages', async () => {
    const inserted: Inserted[] = [];
    for (let i = 0; i < 30; i++) inserted.push({ id: (await insertEvent(t.store, { name: `old ${i}` }, T0)).id, createdAt: T0, order: i });
    const first = await getFeed(t.app, cookie, '?limit=10');
    for (let i = 0; i < 5; i++) await insertEvent(t.store, { name: `new ${i}` }, T0);
    const rest = await readAllPages(t.app, cookie, 10, '', first.nextCursor);
    const served = [...first.events, ...rest].map((e) => e.id);
    expectNoGapsNoRepeats(served, expectedOrder(inserted));
  });

  it('answers nextCursor null on the last page', async () => {
    for (let i = 0; i < 10; i++) await insertEvent(t.store, { name: `e${i}` }, T0);
    const page = await getFeed(t.app, cookie, '?limit=10');
    expect(page.events).toHaveLength(10);
    expect(page.nextCursor).toBeNull();
  });

  it('refuses a malformed cursor and an out-of-range limit with 400', async () => {
    for (const query of ['?cursor=not-a-cursor', '?limit=0', '?limit=201', '?limit=ten']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/events${query}`, headers: { cookie } });
      expect(res.statusCode).toBe(400);
      expect(res.json<ApiErrorBody>().error.code).toBe('invalid_field');
    }
  });
});

describe('threads', () => {
  it('counts later events of a thread on its opening event and lists them in its detail, not at the top level', async () => {
    const parent = await insertEvent(t.store, { name: 'order 1 placed', contextId: 'order-1', contextStart: true }, T0);
    const child1 = await insertEvent(t.store, { name: 'order 1 paid', contextId: 'order-1' }, T0 + 1000);
    const child2 = await insertEvent(t.store, { name: 'order 1 shipped', contextId: 'order-1' }, T0 + 2000);
    const other = await insertEvent(t.store, { name: 'unrelated' }, T0 + 3000);

    const feed = await getFeed(t.app, cookie);
    expect(feed.events.map((e) => e.id)).toEqual([other.id, parent.id]);
    expect(feed.events.find((e) => e.id === parent.id)!.threadCount).toBe(2);

    const res = await t.app.inject({ method: 'GET', url: `/api/events/${parent.id}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const detail = res.json<{ event: { id: string }; thread: { id: string; parentId: string }[] }>();
    expect(detail.event.id).toBe(parent.id);
    expect(detail.thread.map((e) => e.id)).toEqual([child1.id, child2.id]);
    expect(detail.thread.every((e) => e.parentId === parent.id)).toBe(true);
  });

  it('shows an event at the top level when its thread was never opened', async () => {
    const orphan = await insertEvent(t.store, { name: 'lonely', contextId: 'never-opened' }, T0);
    const feed = await getFeed(t.app, cookie);
    expect(feed.events.map((e) => e.id)).toEqual([orphan.id]);
    expect(feed.events[0]!.parentId).toBeNull();
  });

  it('lets an opening event that arrives after its children adopt them', async () => {
    const early1 = await insertEvent(t.store, { name: 'step 1', contextId: 'job-9' }, T0);
    const early2 = await insertEvent(t.store, { name: 'step 2', contextId: 'job-9' }, T0 + 1000);
    expect((await getFeed(t.app, cookie)).events).toHaveLength(2);

    const parent = await insertEvent(t.store, { name: 'job 9', contextId: 'job-9', contextStart: true }, T0 + 2000);
    const feed = await getFeed(t.app, cookie);
    expect(feed.events.map((e) => e.id)).toEqual([parent.id]);
    expect(feed.events[0]!.threadCount).toBe(2);

    const detail = (await t.app.inject({ method: 'GET', url: `/api/events/${parent.id}`, headers: { cookie } })).json<{ thread: { id: string }[] }>();
    expect(detail.thread.map((e) => e.id)).toEqual([early1.id, early2.id]);
  });

  it('keeps test and live threads apart', async () => {
    await insertEvent(t.store, { name: 'live start', contextId: 'c', contextStart: true }, T0);
    const testChild = await insertEvent(t.store, { name: 'test child', contextId: 'c', test: true }, T0 + 1000);
    const testFeed = await getFeed(t.app, cookie, '?test=1');
    expect(testFeed.events.map((e) => e.id)).toEqual([testChild.id]);
    expect((await getFeed(t.app, cookie)).events[0]!.threadCount).toBe(0);
  });

  it('answers 404 for an unknown event id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/events/nope', headers: { cookie } });
    expect(res.statusCode).toBe(404);
  });
});

describe('filters and search', () => {
  it('pages through many search matches newest first (by arrival), with no repeat and no gap', async () => {
    const cookie = await t.signIn();
    const ids: string[] = [];
    for (let i = 0; i < 57; i++) {
      ids.push((await insertEvent(t.store, { name: i % 3 === 0 ? `quasar ${i}` : `other ${i}` }, T0)).id);
    }
    const expected = ids.filter((_, i) => i % 3 === 0).reverse();
    const served = await readAllPages(t.app, cookie, 4, '&q=quasar');
    expect(served.map((e) => e.id)).toEqual(expected);
  });

  beforeEach(async () => {
    await insertEvent(t.store, { name: 'Payment failed', category: 'billing' }, T0);
    await insertEvent(t.store, { name: 'Invoice sent', category: 'billing', content: 'invoice 2041' }, T0 + 1);
    await insertEvent(t.store, { name: 'Disk warning', category: 'ops', content: 'disk almost full on volume' }, T0 + 2);
    await insertEvent(t.store, { name: 'Replica lag', type: 'json', content: { host: 'db-primary', lagSeconds: 31 } }, T0 + 3);
    await insertEvent(t.store, { name: 'New signup', type: 'rows', content: [{ label: 'Customer', content: 'Zephyrine Ltd' }] }, T0 + 4);
  });

  const names = async (query: string) => (await getFeed(t.app, cookie, query)).events.map((e) => e.name);

  it('filters by category', async () => {
    expect(await names('?category=billing')).toEqual(['Invoice sent', 'Payment failed']);
    expect(await names('?category=ops')).toEqual(['Disk warning']);
  });

  it('finds events by name, text content, JSON values and row contents, by word prefix', async () => {
    expect(await names('?q=payment')).toEqual(['Payment failed']);
    expect(await names('?q=almost')).toEqual(['Disk warning']);
    expect(await names('?q=primary')).toEqual(['Replica lag']);
    expect(await names('?q=zephyr')).toEqual(['New signup']);
    expect(await names(`?q=${encodeURIComponent('invoice 2041')}`)).toEqual(['Invoice sent']);
    expect(await names('?q=nothingmatches')).toEqual([]);
  });

  it('combines search with the category filter', async () => {
    expect(await names('?category=ops&q=payment')).toEqual([]);
    expect(await names('?category=billing&q=invoice')).toEqual(['Invoice sent']);
  });

  it('answers 200, not 500, for queries full of quotes, SQL and FTS operators', async () => {
    for (const q of ['"; DROP TABLE events; --', '"', "'", 'payment"', 'a OR b', 'NEAR(a b)', '*', '-', '^x', 'col:val', '( )']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/events?q=${encodeURIComponent(q)}`, headers: { cookie } });
      expect(res.statusCode, `q=${q}`).toBe(200);
    }
    expect(await names('?q=disk')).toEqual(['Disk warning']);
  });
});

describe('test mode', () => {
  it('shows test events only with test=1, and live events only without it', async () => {
    await insertEvent(t.store, { name: 'real' }, T0);
    await insertEvent(t.store, { name: 'trial', test: true }, T0 + 1);
    expect((await getFeed(t.app, cookie)).events.map((e) => e.name)).toEqual(['real']);
    expect((await getFeed(t.app, cookie, '?test=0')).events.map((e) => e.name)).toEqual(['real']);
    const testFeed = await getFeed(t.app, cookie, '?test=1');
    expect(testFeed.events.map((e) => e.name)).toEqual(['trial']);
    expect(testFeed.events[0]!.test).toBe(true);
  });
});

describe('the feed for one user, and where an event came from', () => {
  it('filters to a userId (thread events too), says which key sent an event, and refuses a user id that is too long', async () => {
    const key = await t.apiKey();
    const opened = (await ingest(t.app, key, { name: 'Signup', userId: 'u-7', contextId: 'c-7', contextStart: true })).json<IngestAccepted>();
    await ingest(t.app, key, { name: 'First payment', userId: 'u-7', contextId: 'c-7' });
    await ingest(t.app, key, { name: 'Someone else', userId: 'u-8' });
    const res = await t.app.inject({ method: 'GET', url: '/api/events?user=u-7', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ events: { name: string }[] }>().events.map((e) => e.name)).toEqual(['First payment', 'Signup']);
    const detail = await t.app.inject({ method: 'GET', url: `/api/events/${opened.id}`, headers: { cookie } });
    expect(detail.json<{ sentBy: unknown }>().sentBy).toEqual({ name: expect.any(String), revoked: false });
    const imported = await insertEvent(t.store, { name: 'no key' }, T0);
    expect((await t.app.inject({ method: 'GET', url: `/api/events/${imported.id}`, headers: { cookie } })).json<{ sentBy: unknown }>().sentBy).toBeNull();
    const long = await t.app.inject({ method: 'GET', url: `/api/events?user=${'x'.repeat(192)}`, headers: { cookie } });
    expect(long.statusCode).toBe(400);
    expect(long.json<ApiErrorBody>().error.field).toBe('user');
  });
});
