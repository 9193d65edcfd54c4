/**
 * Who may press (CONTRACT.md §2: signed-in sessions from the PWA's own origin, never an API key), and
 * how every open PWA learns the new state: `action` messages on GET /api/stream over a real socket.
 */
import { SseReader } from './fixtures/sseReader.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { TriggerResult } from '../contract/api.ts';
import type { EventLiveEntry as LiveEntry } from '../server/store/eventRows.ts';
import { type ActionsApp, actionsApp, errorCode, type Receiver, startReceiver, stopReceivers } from './actions-helpers.ts';
import { listenOnLoopback, OWN_ORIGIN } from './helpers.ts';

let t: ActionsApp | undefined;
const controllers: AbortController[] = [];
afterEach(async () => {
  for (const c of controllers.splice(0)) c.abort();
  await t?.cleanup();
  t = undefined;
  await stopReceivers();
});

async function idleAction(): Promise<{ app: ActionsApp; r: Receiver; id: string }> {
  t = await actionsApp();
  const r = await startReceiver();
  return { app: t, r, id: await t.sendAction(r.url) };
}

async function expectUntouched(app: ActionsApp, r: Receiver, id: string) {
  expect(r.requests).toHaveLength(0);
  const detail = await app.detail(id);
  expect(detail.event.actions[0]).toMatchObject({ state: 'idle', attempts: 0 });
  expect(detail.attempts).toEqual([]);
}

describe('who may press', () => {
  it('refuses an API key without a session with 401, even from the own origin, and calls nothing', async () => {
    const { app, r, id } = await idleAction();
    const res = await app.press(id, 'approve', { authorization: `Bearer ${app.key}`, origin: OWN_ORIGIN });
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('unauthenticated');
    await expectUntouched(app, r, id);
  });

  it('refuses an API key sent as a server-side script would (no origin, no cookie) and calls nothing', async () => {
    const { app, r, id } = await idleAction();
    const res = await app.press(id, 'approve', { authorization: `Bearer ${app.key}`, 'content-type': 'application/json' });
    // The cross-site guard answers before authentication; either way it is refused as a client error.
    expect([401, 403]).toContain(res.statusCode);
    await expectUntouched(app, r, id);
  });

  it('does not take an API key in place of the session cookie', async () => {
    const { app, r, id } = await idleAction();
    const res = await app.press(id, 'approve', { cookie: `sb_session=${app.key}`, origin: OWN_ORIGIN });
    expect(res.statusCode).toBe(401);
    await expectUntouched(app, r, id);
  });

  it('does not show the webhook secret to an API key', async () => {
    t = await actionsApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/settings/webhook-secret', headers: { authorization: `Bearer ${t.key}` } });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('whsec_');
  });

  it('refuses a session press without an origin header with 403 and calls nothing', async () => {
    const { app, r, id } = await idleAction();
    const res = await app.press(id, 'approve', { cookie: app.cookie });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('cross_site_request');
    await expectUntouched(app, r, id);
  });

  it('refuses a session press from a foreign origin or marked cross-site with 403', async () => {
    const { app, r, id } = await idleAction();
    const foreign = await app.press(id, 'approve', { cookie: app.cookie, origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    const crossSite = await app.press(id, 'approve', { cookie: app.cookie, origin: OWN_ORIGIN, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    await expectUntouched(app, r, id);
  });

  it('refuses a signed-out press with 401, also after sign-out, and calls nothing', async () => {
    const { app, r, id } = await idleAction();
    const anonymous = await app.press(id, 'approve', { origin: OWN_ORIGIN });
    expect(anonymous.statusCode).toBe(401);
    expect(errorCode(anonymous)).toBe('unauthenticated');

    const out = await app.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: app.cookie, origin: OWN_ORIGIN }, payload: {} });
    expect(out.statusCode).toBe(204);
    const stale = await app.press(id, 'approve', { cookie: app.cookie, origin: OWN_ORIGIN });
    expect(stale.statusCode).toBe(401);
    expect(r.requests).toHaveLength(0);
  });
});

/** SSE messages of the live channel, with their entry parsed. */
class LiveReader {
  constructor(private readonly sse: SseReader) {}

  async next(): Promise<{ id: string; event: string; entry: LiveEntry }> {
    const m = await this.sse.next();
    return { id: m.id ?? '', event: m.event ?? '', entry: JSON.parse(m.data) as LiveEntry };
  }
}

async function listeningApp(): Promise<{ app: ActionsApp; openStream(): Promise<LiveReader> }> {
  const app = await actionsApp();
  t = app;
  const base = await listenOnLoopback(app.app);
  return {
    app,
    async openStream() {
      const controller = new AbortController();
      controllers.push(controller);
      const res = await fetch(`${base}/api/stream`, { headers: { cookie: app.cookie }, signal: controller.signal });
      expect(res.status).toBe(200);
      return new LiveReader(new SseReader(res.body!));
    },
  };
}

describe('live updates of a press', () => {
  it('an open stream gets an action message with state running, then one with succeeded', async () => {
    const { app, openStream } = await listeningApp();
    // The receiver answers once the stream has shown the press running: on PostgreSQL a live entry
    // is read back after its NOTIFY, so a receiver that answered first would show only the outcome.
    let answer!: () => void;
    const seenRunning = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const r = await startReceiver((res) => void seenRunning.then(() => res.writeHead(200).end('ok')));
    const id = await app.sendAction(r.url);
    const stream = await openStream();

    const pressing = Promise.resolve(app.press(id)); // sent now (an inject waits to be awaited)
    const running = await stream.next();
    answer();
    const res = await pressing;
    expect(res.statusCode).toBe(200);
    const attemptId = res.json<TriggerResult>().attempt.id;
    expect(running.event).toBe('event');
    expect(running.entry.kind).toBe('action');
    expect(running.entry.event.id).toBe(id);
    expect(running.entry.event.actions[0]).toMatchObject({ key: 'approve', state: 'running', attempts: 1, lastAttempt: { id: attemptId, outcome: null } });

    const finished = await stream.next();
    expect(finished.event).toBe('event');
    expect(finished.entry.kind).toBe('action');
    expect(finished.entry.event.id).toBe(id);
    expect(finished.entry.event.actions[0]).toMatchObject({ state: 'succeeded', lastAttempt: { id: attemptId, outcome: 'succeeded', status: 200 } });
    expect(Number(finished.id)).toBeGreaterThan(Number(running.id));
    expect(finished.entry.liveSeq).toBe(Number(finished.id));
  });

  it('a failed press is streamed as running, then failed with its reason', async () => {
    const { app, openStream } = await listeningApp();
    // The receiver answers once the stream has shown the press running: a live entry names the event
    // and is read as the event then stands, so an answer that came first would show only `failed`.
    let answer = () => {};
    const running = new Promise<void>((r) => {
      answer = r;
    });
    const r = await startReceiver((res) => void running.then(() => res.writeHead(500).end('boom')));
    const id = await app.sendAction(r.url);
    const stream = await openStream();
    const pressed = app.press(id);
    expect((await stream.next()).entry.event.actions[0]?.state).toBe('running');
    answer();
    expect((await pressed).statusCode).toBe(200);
    const failed = (await stream.next()).entry;
    expect(failed.kind).toBe('action');
    expect(failed.event.actions[0]).toMatchObject({ state: 'failed', lastAttempt: { reason: 'http_500', status: 500 } });
  });

  it('a refused press streams nothing: the next message is the next new event', async () => {
    const { app, openStream } = await listeningApp();
    const r = await startReceiver();
    const id = await app.sendAction(r.url, { external: true });
    const stream = await openStream();
    expect((await app.press(id)).statusCode).toBe(409);
    expect((await app.press(id, 'no_such_key')).statusCode).toBe(404);
    const nextId = await app.send({ name: 'after the refusals' });
    const message = await stream.next();
    expect(message.entry.kind).toBe('event');
    expect(message.entry.event.id).toBe(nextId);
  });
});
