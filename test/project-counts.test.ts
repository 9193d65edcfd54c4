/**
 * The project switcher's counts (`open`, `pressable` on each project of GET /api/projects) and a
 * project's first-run progress (GET /api/projects/:slug/progress), through the HTTP API on the run's
 * store: counts move as events arrive, get handled, their actions expire or are pressed; test events
 * and a thread's later events are not counted; each person sees only their own projects.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKey, IngestAccepted, ProjectDto, ProjectProgress } from '../contract/api.ts';
import { RECEIVER_ENV, type Receiver, startReceiver, stopReceivers } from './actions-helpers.ts';
import { ingest, makeApp, OWN_ORIGIN, sessionFor, type TestApp } from './helpers.ts';

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const MIN = 60_000;
let clock = T0;
let t: TestApp;
let owner: string;
let key: string;
let receiver: Receiver;

beforeAll(async () => {
  t = await makeApp({ now: () => clock, env: RECEIVER_ENV });
  owner = await t.signIn();
  key = await t.apiKey();
  receiver = await startReceiver();
});
afterEach(() => {
  clock += MIN;
});
afterAll(async () => {
  await stopReceivers();
  await t?.cleanup();
});

const call = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { cookie, origin: OWN_ORIGIN, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function send(body: Record<string, unknown>, withKey = key): Promise<string> {
  const res = await ingest(t.app, withKey, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<IngestAccepted>().id;
}

/** Each of this person's projects: slug → [open, pressable]. */
async function counts(cookie = owner): Promise<Record<string, [number, number]>> {
  const res = await call(cookie, 'GET', '/api/projects');
  expect(res.statusCode).toBe(200);
  return Object.fromEntries(res.json<{ projects: ProjectDto[] }>().projects.map((p) => [p.slug, [p.open, p.pressable]]));
}
const countsOfDefault = async () => (await counts()).default!;

async function press(eventId: string, action = 'approve') {
  const res = await call(owner, 'POST', `/api/events/${eventId}/actions/${action}/trigger`, {});
  expect(res.statusCode, res.body).toBe(200);
}

const hook = (extra: Record<string, unknown> = {}) => ({ key: 'approve', buttonText: 'Approve', url: receiver.url, ...extra });

describe('GET /api/projects: open events and pressable actions per project', () => {
  it('counts events as they arrive, leaving out test events and the later events of a thread', async () => {
    expect(await countsOfDefault()).toEqual([0, 0]);
    await send({ name: 'signup' });
    expect(await countsOfDefault()).toEqual([1, 0]);
    await send({ name: 'a test', test: true, actions: [hook()] });
    expect(await countsOfDefault()).toEqual([1, 0]);
    await send({ name: 'deploy started', contextId: 'deploy-1', contextStart: true });
    await send({ name: 'deploy waiting', contextId: 'deploy-1', actions: [hook()] });
    expect(await countsOfDefault()).toEqual([2, 0]);
    await send({ name: 'approve me', actions: [hook(), { key: 'docs', buttonText: 'Docs', url: 'https://example.com/docs', external: true }] });
    expect(await countsOfDefault()).toEqual([3, 1]);
  });

  it('a press that succeeds leaves nothing to press; a repeatable action stays pressable', async () => {
    const once = await send({ name: 'restart once', actions: [hook()] });
    const again = await send({ name: 'restart again', actions: [hook({ repeat: true })] });
    const before = await countsOfDefault();
    await press(once);
    await press(again);
    expect(receiver.requests.length).toBeGreaterThanOrEqual(2);
    expect(await countsOfDefault()).toEqual([before[0], before[1] - 1]);
  });

  it('an action that expires stops counting; a handled event stops counting with its actions', async () => {
    const before = await countsOfDefault();
    await send({ name: 'short-lived', actions: [hook({ expireIn: 2 })] });
    expect(await countsOfDefault()).toEqual([before[0] + 1, before[1] + 1]);
    clock += 3 * MIN;
    expect(await countsOfDefault()).toEqual([before[0] + 1, before[1]]);

    const id = await send({ name: 'to handle', actions: [hook()] });
    expect(await countsOfDefault()).toEqual([before[0] + 2, before[1] + 1]);
    expect((await call(owner, 'PUT', `/api/events/${id}/handled`, { handled: true })).statusCode).toBe(200);
    expect(await countsOfDefault()).toEqual([before[0] + 1, before[1]]);
    expect((await call(owner, 'PUT', `/api/events/${id}/handled`, { handled: false })).statusCode).toBe(200);
    expect(await countsOfDefault()).toEqual([before[0] + 2, before[1] + 1]);
  });

  it("each person sees the counts of their own projects only; one project's events are not another's", async () => {
    const created = await call(owner, 'POST', '/api/projects', { name: 'Ops', slug: 'ops' });
    expect(created.statusCode).toBe(201);
    expect(created.json<ProjectDto>()).toMatchObject({ slug: 'ops', open: 0, pressable: 0 });
    const ops = (await t.store.projects.bySlug('ops'))!;
    const opsKey = (await call(owner, 'POST', '/api/projects/ops/keys', { name: 'ops' })).json<CreatedApiKey>().key;
    await send({ name: 'ops alert', actions: [hook()] }, opsKey);
    const noor = await t.store.users.create('noor@example.com', 'x', 'member', clock);
    await t.store.members.add(ops.id, noor.id, 'viewer', clock);
    const noorCookie = await sessionFor(t.store, noor.id);

    const all = await counts();
    expect(Object.keys(all)).toEqual(['default', 'ops']);
    expect(all.ops).toEqual([1, 1]);
    expect(await counts(noorCookie)).toEqual({ ops: [1, 1] });
    expect((await call(noorCookie, 'GET', '/api/projects/ops')).json<ProjectDto>()).toMatchObject({ slug: 'ops', role: 'viewer', open: 1, pressable: 1 });
  });
});

describe('GET /api/projects/:slug/progress', () => {
  const progress = async (cookie = owner) => {
    const res = await call(cookie, 'GET', '/api/projects/first/progress');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ProjectProgress>();
  };

  it('flips each step as it happens: a key, an event (a test one counts), a press, a teammate', async () => {
    expect((await call(owner, 'POST', '/api/projects', { name: 'First', slug: 'first' })).statusCode).toBe(201);
    expect(await progress()).toEqual({ key: false, event: false, action: false, teammate: false });

    const made = await call(owner, 'POST', '/api/projects/first/keys', { name: 'first' });
    expect(made.statusCode).toBe(201);
    const firstKey = made.json<CreatedApiKey>().key;
    expect(await progress()).toEqual({ key: true, event: false, action: false, teammate: false });

    const id = await send({ name: 'hello', test: true, actions: [hook()] }, firstKey);
    expect(await progress()).toEqual({ key: true, event: true, action: false, teammate: false });

    await press(id);
    expect(await progress()).toEqual({ key: true, event: true, action: true, teammate: false });

    expect((await call(owner, 'POST', '/api/projects/first/invites', { role: 'viewer' })).statusCode).toBe(201);
    expect(await progress()).toEqual({ key: true, event: true, action: true, teammate: true });
  });

  it('a viewer reads it; someone outside the project is told it does not exist', async () => {
    const first = (await t.store.projects.bySlug('first'))!;
    const viewer = await t.store.users.create('viewer@example.com', 'x', 'member', clock);
    await t.store.members.add(first.id, viewer.id, 'viewer', clock);
    expect(await progress(await sessionFor(t.store, viewer.id))).toMatchObject({ key: true, teammate: true });

    const stranger = await t.store.users.create('stranger@example.com', 'x', 'member', clock);
    const res = await call(await sessionFor(t.store, stranger.id), 'GET', '/api/projects/first/progress');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found', message: 'no such project' } });
  });
});
