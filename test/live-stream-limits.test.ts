/**
 * The live channel keeps memory bounded whatever clients do: a session or person holds a few streams
 * at most (the oldest is closed), signing out ends the session's streams, and a replay is counted
 * first and sent a page at a time without losing what is published meanwhile.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSecret, sha256 } from '../server/auth/tokens.ts';
import { REPLAY_LIMIT } from '../server/feed/stream.ts';
import { STREAM_LIMITS } from '../server/feed/streamRegistry.ts';
import type { EventLiveEntry as LiveEntry } from '../server/store/eventRows.ts';
import { SseReader } from './fixtures/sseReader.ts';
import { ingest, insertEvent, listenOnLoopback, makeApp, OWN_ORIGIN, OWNER_EMAIL, type TestApp } from './helpers.ts';

let t: TestApp;
let base: string;
let key: string;
const controllers: AbortController[] = [];

beforeEach(async () => {
  t = await makeApp();
  await t.signIn();
  key = await t.apiKey();
  base = await listenOnLoopback(t.app);
});
afterEach(async () => {
  for (const c of controllers.splice(0)) c.abort();
  await t.cleanup();
});

async function session(email = OWNER_EMAIL): Promise<string> {
  const token = newSecret();
  await t.store.sessions.create(sha256(token), (await t.store.users.byEmail(email))!.id, Date.now(), Date.now() + 3_600_000);
  return `sb_session=${token}`;
}

interface Opened {
  reader: SseReader;
  /** Resolves with true once the server ended the stream. */
  ended: Promise<boolean>;
}

async function open(cookie: string, query = ''): Promise<Opened> {
  const controller = new AbortController();
  controllers.push(controller);
  const res = await fetch(`${base}/api/stream${query}`, { headers: { cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  const [mine, watch] = res.body!.tee();
  const ended = (async () => {
    const r = watch.getReader();
    try {
      for (;;) if ((await r.read()).done) return true;
    } catch {
      return true;
    }
  })();
  return { reader: new SseReader(mine), ended };
}

const settled = (p: Promise<boolean>, ms = 300) => Promise.race([p, new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('live stream limits', () => {
  it(`one session holds at most ${STREAM_LIMITS.perSession} streams: opening another closes its oldest, the rest stay live`, async () => {
    const cookie = await session();
    const streams: Opened[] = [];
    for (let i = 0; i < STREAM_LIMITS.perSession; i++) streams.push(await open(cookie));
    expect(await settled(streams[0]!.ended)).toBe(false);
    streams.push(await open(cookie));
    expect(await settled(streams[0]!.ended, 5_000)).toBe(true);
    for (const s of streams.slice(1)) expect(await settled(s.ended, 50)).toBe(false);
    // Another session of the same person is not affected.
    const other = await open(await session());
    expect((await ingest(t.app, key, { name: 'still live' })).statusCode).toBe(201);
    for (const s of [...streams.slice(1), other]) expect(JSON.parse((await s.reader.next()).data).event.name).toBe('still live');
  });

  it(`one person holds at most ${STREAM_LIMITS.perUser} streams across sessions`, async () => {
    const streams: Opened[] = [];
    for (let i = 0; i < STREAM_LIMITS.perUser + 2; i++) streams.push(await open(await session()));
    expect(await settled(streams[0]!.ended, 5_000)).toBe(true);
    expect(await settled(streams[1]!.ended, 5_000)).toBe(true);
    for (const s of streams.slice(2)) expect(await settled(s.ended, 20)).toBe(false);
  });

  it('signing out ends that session\'s streams at once', async () => {
    const cookie = await session();
    const mine = [await open(cookie), await open(cookie)];
    const other = await open(await session());
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, origin: OWN_ORIGIN }, payload: {} });
    expect(out.statusCode).toBe(204);
    for (const s of mine) expect(await settled(s.ended, 5_000)).toBe(true);
    expect(await settled(other.ended)).toBe(false);
  });

  it('replays a long gap in pages, in order, and loses nothing published during the replay', async () => {
    const cookie = await session();
    const start = await t.store.events.lastLiveSeq();
    for (let i = 0; i < 180; i++) await insertEvent(t.store, { name: `missed ${i}`, content: 'x'.repeat(20_000) }, Date.now());
    const stream = await open(cookie, `?after=${start}`);
    // While the replay is being sent, more arrive.
    const during: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) during.push(ingest(t.app, key, { name: `during ${i}` }));
    await Promise.all(during);
    const ids: number[] = [];
    const names: string[] = [];
    while (ids.length < 210) {
      const m = await stream.reader.next();
      expect(m.event).toBe('event');
      const entry = JSON.parse(m.data) as LiveEntry;
      ids.push(entry.liveSeq);
      names.push(entry.event.name ?? '');
    }
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(210);
    expect(names.slice(0, 180)).toEqual(Array.from({ length: 180 }, (_, i) => `missed ${i}`));
    expect(new Set(names.slice(180))).toEqual(new Set(Array.from({ length: 30 }, (_, i) => `during ${i}`)));
  });

  it(`a gap of more than ${REPLAY_LIMIT} entries is answered with reset, not a replay`, async () => {
    const start = await t.store.events.lastLiveSeq();
    for (let i = 0; i <= REPLAY_LIMIT; i++) await insertEvent(t.store, { name: `old ${i}` }, Date.now());
    const stream = await open(await session(), `?after=${start}`);
    const first = await stream.reader.next();
    expect(first.event).toBe('reset');
    expect(Number(first.id)).toBe(await t.store.events.lastLiveSeq());
    expect((await ingest(t.app, key, { name: 'after the reset' })).statusCode).toBe(201);
    expect(JSON.parse((await stream.reader.next()).data).event.name).toBe('after the reset');
  });
});
