/**
 * The "All projects" feed: GET /api/all/events and GET /api/all/stream read every project a person
 * is in (an owner: all of them), newest first, each event labelled with its project's slug; never a
 * project the person is not in. Removing the person from a project ends their stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDto, FeedPage, ProjectRole } from '../contract/api.ts';
import type { LiveEntry } from '../server/store/eventRows.ts';
import { type SseMessage, SseReader } from './fixtures/sseReader.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { ingest, listenOnLoopback, makeApp, normalized, OWN_ORIGIN, sessionFor, type TestApp } from './helpers.ts';

let t: TestApp;
let base: string;
let owner: string;
/** In alpha (member) and beta (viewer), not gamma. */
let pat: { id: string; cookie: string };
const ids: Record<string, number> = {};
const keys: Record<string, string> = {};
const controllers: AbortController[] = [];
const T0 = Date.now() - 3_600_000;

async function put(slug: string, body: Record<string, unknown>, at: number): Promise<EventDto> {
  const made = await t.store.transaction((tx) => tx.events.insert({ event: normalized(body), projectId: ids[slug]!, apiKeyId: null, createdAt: at }));
  return made.live.event;
}

async function person(email: string, roles: Record<string, ProjectRole>): Promise<{ id: string; cookie: string }> {
  const user = await t.store.users.create(email, 'x', 'member', Date.now());
  for (const [slug, role] of Object.entries(roles)) await t.store.members.add(ids[slug]!, user.id, role, Date.now());
  return { id: user.id, cookie: await sessionFor(t.store, user.id) };
}

/** Sends an event to a project through the ingest API, so open streams hear of it. */
async function send(slug: string, name: string): Promise<void> {
  keys[slug] ??= (await createApiKey(t.store, ids[slug]!, `${slug} key`, null, Date.now())).key;
  const res = await ingest(t.app, keys[slug], { name });
  expect(res.statusCode, res.body).toBe(201);
}

const get = (cookie: string | null, url: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

async function page(cookie: string, query = ''): Promise<FeedPage> {
  const res = await get(cookie, `/api/all/events${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<FeedPage>();
}

const labelled = (p: FeedPage) => p.events.map((e) => `${e.project}:${e.name}`);

async function openStream(cookie: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const controller = new AbortController();
  controllers.push(controller);
  const res = await fetch(`${base}/api/all/stream`, { headers: { cookie, ...headers }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return new SseReader(res.body!);
}

const entryOf = (m: SseMessage) => JSON.parse(m.data) as LiveEntry & { event: { project?: string; name?: string } };

beforeAll(async () => {
  t = await makeApp();
  owner = await t.signIn();
  for (const slug of ['alpha', 'beta', 'gamma']) ids[slug] = (await t.store.projects.create(slug, slug, Date.now()))!.id;
  pat = await person('pat@example.com', { alpha: 'member', beta: 'viewer' });
  // Interleaved in time across the projects; each name says its project.
  await put('alpha', { name: 'a1 deploy', category: 'deploys' }, T0 + 1);
  await put('gamma', { name: 'g1 deploy secret', category: 'deploys' }, T0 + 2);
  await put('beta', { name: 'b1 signup', category: 'signups' }, T0 + 3);
  const handled = await put('alpha', { name: 'a2 deploy', category: 'deploys' }, T0 + 4);
  await put('beta', { name: 'b2 deploy', category: 'deploys' }, T0 + 5);
  await put('gamma', { name: 'g2 signup secret', category: 'signups' }, T0 + 6);
  await put('alpha', { name: 'a3 signup', category: 'signups' }, T0 + 7);
  const found = await t.store.events.byId(handled.id);
  await t.store.triage.change(found!.seq, 'resolve', 'owner@example.com', T0 + 8);
  base = await listenOnLoopback(t.app);
});

afterAll(async () => {
  for (const c of controllers.splice(0)) c.abort();
  await t?.cleanup();
});

describe('GET /api/all/events', () => {
  it("shows the events of every project the person is in, newest first, each with its project's slug; never another's", async () => {
    const all = await page(pat.cookie);
    expect(labelled(all)).toEqual(['alpha:a3 signup', 'beta:b2 deploy', 'alpha:a2 deploy', 'beta:b1 signup', 'alpha:a1 deploy']);
    expect(all.nextCursor).toBeNull();
    expect(all.lastSeq).toBe(await t.store.events.lastLiveSeq());
    // The project feed itself stays unlabelled.
    const alpha = (await get(pat.cookie, '/api/projects/alpha/events')).json<FeedPage>();
    expect(alpha.events.map((e) => e.name)).toEqual(['a3 signup', 'a2 deploy', 'a1 deploy']);
    expect(alpha.events.every((e) => e.project === undefined)).toBe(true);
  });

  it('pages with the cursor across the projects, in the same order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const got: FeedPage = await page(pat.cookie, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(got.events.length).toBeLessThanOrEqual(2);
      seen.push(...labelled(got));
      cursor = got.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['alpha:a3 signup', 'beta:b2 deploy', 'alpha:a2 deploy', 'beta:b1 signup', 'alpha:a1 deploy']);
  });

  it('filters as the project feed does: search, category, unhandled', async () => {
    expect(labelled(await page(pat.cookie, '?q=deploy'))).toEqual(['beta:b2 deploy', 'alpha:a2 deploy', 'alpha:a1 deploy']);
    expect(labelled(await page(pat.cookie, '?category=signups'))).toEqual(['alpha:a3 signup', 'beta:b1 signup']);
    expect(labelled(await page(pat.cookie, '?category=deploys&unhandled=1'))).toEqual(['beta:b2 deploy', 'alpha:a1 deploy']);
    expect(labelled(await page(pat.cookie, '?q=secret'))).toEqual([]);
  });

  it('shows a viewer of one project that project; an owner every project; someone in none an empty page', async () => {
    const viewer = await person('vic@example.com', { gamma: 'viewer' });
    expect(labelled(await page(viewer.cookie))).toEqual(['gamma:g2 signup secret', 'gamma:g1 deploy secret']);
    const everything = labelled(await page(owner, '?limit=200'));
    for (const name of ['alpha:a3 signup', 'gamma:g2 signup secret', 'beta:b1 signup']) expect(everything).toContain(name);
    expect(labelled(await page(owner, '?q=secret'))).toEqual(['gamma:g2 signup secret', 'gamma:g1 deploy secret']);
    const nobody = await person('nobody@example.com', {});
    const empty = await page(nobody.cookie);
    expect(empty.events).toEqual([]);
    expect(empty.nextCursor).toBeNull();
  });

  it('refuses a bad query with 400 naming the field, and anyone signed out with 401', async () => {
    for (const [query, field] of [['?limit=0', 'limit'], ['?limit=x', 'limit'], ['?cursor=nope', 'cursor'], ['?unhandled=2', 'unhandled'], ['?test=yes', 'test']]) {
      const res = await get(pat.cookie, `/api/all/events${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.field, query).toBe(field);
    }
    expect((await get(null, '/api/all/events')).statusCode).toBe(401);
    const stream = await fetch(`${base}/api/all/stream`);
    expect(stream.status).toBe(401);
    await stream.body?.cancel();
    const bad = await fetch(`${base}/api/all/stream?after=-1`, { headers: { cookie: pat.cookie } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('after');
  });
});

describe('GET /api/all/events/:id', () => {
  it("opens an event of any of the person's projects with its slug; another project's is 404 as if it never was", async () => {
    const all = await page(pat.cookie);
    const b1 = all.events.find((e) => e.name === 'b1 signup')!;
    const res = await get(pat.cookie, `/api/all/events/${encodeURIComponent(b1.id)}`);
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json<{ event: EventDto; attempts: unknown[] }>();
    expect(detail.event.name).toBe('b1 signup');
    expect(detail.event.project).toBe('beta');
    expect(detail.attempts).toEqual([]);

    const secret = (await page(owner)).events.find((e) => e.name === 'g1 deploy secret')!;
    expect(secret.project).toBe('gamma');
    const refused = await get(pat.cookie, `/api/all/events/${encodeURIComponent(secret.id)}`);
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain('secret');
    expect((await get(pat.cookie, '/api/all/events/no-such-event')).statusCode).toBe(404);
    expect((await get(null, `/api/all/events/${encodeURIComponent(b1.id)}`)).statusCode).toBe(401);
    // The owner opens gamma's.
    expect((await get(owner, `/api/all/events/${encodeURIComponent(secret.id)}`)).json<{ event: EventDto }>().event.project).toBe('gamma');
  });
});

describe('GET /api/all/stream', () => {
  it('delivers new events of the projects the person is in, labelled, and none of another', async () => {
    const stream = await openStream(pat.cookie);
    await send('gamma', 'g live');
    await send('alpha', 'a live');
    await send('beta', 'b live');
    const first = entryOf(await stream.next());
    const second = entryOf(await stream.next());
    expect([first.event.project, first.event.name]).toEqual(['alpha', 'a live']);
    expect([second.event.project, second.event.name]).toEqual(['beta', 'b live']);
  });

  it('resumes after Last-Event-ID with what it missed, labelled', async () => {
    const stream = await openStream(pat.cookie);
    await send('alpha', 'a seen');
    const seen = await stream.next();
    controllers.at(-1)!.abort();
    await send('beta', 'b missed');
    await send('gamma', 'g missed');
    await send('alpha', 'a missed');
    const resumed = await openStream(pat.cookie, { 'last-event-id': seen.id! });
    const replayed = [entryOf(await resumed.next()), entryOf(await resumed.next())];
    expect(replayed.map((e) => `${e.event.project}:${e.event.name}`)).toEqual(['beta:b missed', 'alpha:a missed']);
    expect(replayed[0]!.liveSeq).toBeGreaterThan(Number(seen.id));
  });

  it("ends when the person is removed from a project; the next one no longer carries that project's events", async () => {
    const stream = await openStream(pat.cookie);
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/projects/beta/members/${pat.id}`,
      headers: { cookie: owner, origin: OWN_ORIGIN, 'content-type': 'application/json' },
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(204);
    await expect(stream.next()).rejects.toThrow('the stream ended');

    const again = await openStream(pat.cookie);
    await send('beta', 'b after removal');
    await send('alpha', 'a after removal');
    const next = entryOf(await again.next());
    expect([next.event.project, next.event.name]).toEqual(['alpha', 'a after removal']);
    expect(labelled(await page(pat.cookie))).not.toContain('beta:b2 deploy');
  });

  it('ends when the person joins a project by invite; the next one carries that project', async () => {
    const stream = await openStream(pat.cookie);
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/projects/gamma/invites',
      headers: { cookie: owner, origin: OWN_ORIGIN, 'content-type': 'application/json' },
      payload: { role: 'viewer' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const token = new URL(made.json<{ url: string }>().url).hash.replace('#token=', '');
    const joined = await t.app.inject({
      method: 'POST',
      url: '/api/invites/accept',
      headers: { cookie: pat.cookie, origin: OWN_ORIGIN, 'content-type': 'application/json' },
      payload: { token },
    });
    expect(joined.statusCode, joined.body).toBe(200);
    await expect(stream.next()).rejects.toThrow('the stream ended');
    const again = await openStream(pat.cookie);
    await send('gamma', 'g after joining');
    const next = entryOf(await again.next());
    expect([next.event.project, next.event.name]).toEqual(['gamma', 'g after joining']);
  });

  it("ends an owner's stream when a project appears after it opened; the next one replays that project's event", async () => {
    const stream = await openStream(owner);
    await send('alpha', 'a before new project');
    const seen = await stream.next();
    ids.delta = (await t.store.projects.create('delta', 'delta', Date.now()))!.id;
    await send('delta', 'd first');
    await expect(stream.next()).rejects.toThrow('the stream ended');
    const resumed = await openStream(owner, { 'last-event-id': seen.id! });
    const next = entryOf(await resumed.next());
    expect([next.event.project, next.event.name]).toEqual(['delta', 'd first']);
  });
});
