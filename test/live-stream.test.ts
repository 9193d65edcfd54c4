/** GET /api/stream over a real socket: live events arrive with ids, and a reconnect replays what was missed. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestAccepted } from '../contract/api.ts';
import type { EventLiveEntry as LiveEntry } from '../server/store/eventRows.ts';
import { type SseMessage, SseReader } from './fixtures/sseReader.ts';
import { ingest, insertEvent, listenOnLoopback, makeApp, type TestApp } from './helpers.ts';

let t: TestApp;
let base: string;
let cookie: string;
let key: string;
const controllers: AbortController[] = [];

beforeEach(async () => {
  t = await makeApp();
  cookie = await t.signIn();
  key = await t.apiKey();
  base = await listenOnLoopback(t.app);
});

afterEach(async () => {
  for (const c of controllers.splice(0)) c.abort();
  await t.cleanup();
});

async function openStream(headers: Record<string, string> = {}, query = ''): Promise<SseReader> {
  const controller = new AbortController();
  controllers.push(controller);
  const res = await fetch(`${base}/api/stream${query}`, { headers: { cookie, ...headers }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return new SseReader(res.body!);
}

async function send(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await ingest(t.app, key, { name, ...extra });
  expect(res.statusCode).toBe(201);
  return res.json<IngestAccepted>().id;
}

describe('live stream', () => {
  it('delivers an ingested event as an `event` message with an id', async () => {
    const stream = await openStream();
    const id = await send('deploy finished');
    const message = await stream.next();
    expect(message.event).toBe('event');
    expect(message.id).toMatch(/^\d+$/);
    const entry = JSON.parse(message.data) as LiveEntry;
    expect(entry.event.id).toBe(id);
    expect(entry.event.name).toBe('deploy finished');
    expect(entry.liveSeq).toBe(Number(message.id));
  });

  it('replays the events missed since Last-Event-ID, in order, then goes on live', async () => {
    const first = await openStream();
    const seenId = await send('seen');
    const seen = await first.next();
    expect(JSON.parse(seen.data).event.id).toBe(seenId);
    controllers[0]!.abort();

    const missed = [await send('missed 1'), await send('missed 2'), await send('missed 3')];
    const resumed = await openStream({ 'last-event-id': seen.id! });
    const replayed: SseMessage[] = [];
    for (let i = 0; i < 3; i++) replayed.push(await resumed.next());
    expect(replayed.map((m) => (JSON.parse(m.data) as LiveEntry).event.id)).toEqual(missed);
    const ids = replayed.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBeGreaterThan(Number(seen.id));

    const liveId = await send('after resume');
    expect(JSON.parse((await resumed.next()).data).event.id).toBe(liveId);
  });

  it('resumes from ?after= like from Last-Event-ID', async () => {
    const before = await send('before');
    const after = await t.store.events.lastLiveSeq();
    const later = await send('later');
    const stream = await openStream({}, `?after=${after}`);
    const message = await stream.next();
    expect(JSON.parse(message.data).event.id).toBe(later);
    expect(JSON.parse(message.data).event.id).not.toBe(before);
  });

  it('sends test events only to a stream opened with test=1', async () => {
    const live = await openStream();
    const test = await openStream({}, '?test=1');
    const testId = await send('a trial', { test: true });
    const liveId = await send('a real one');
    expect(JSON.parse((await test.next()).data).event.id).toBe(testId);
    expect(JSON.parse((await live.next()).data).event.id).toBe(liveId);
  });

  it('ends open streams when the server closes, so shutdown does not hang', async () => {
    const stream = await openStream();
    await t.app.close();
    await expect(stream.next()).rejects.toThrow('the stream ended');
  });

  it('refuses a stream without a session with 401', async () => {
    const res = await fetch(`${base}/api/stream`);
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it('a resume goes live after catching up to where the log was, even while events arrive faster than it reads', async () => {
    const seen = await openStream();
    await send('before the resume');
    const from = (await seen.next()).id!;
    for (let i = 0; i < 20; i++) await send(`missed ${i}`);
    // Every page the replay reads, 16 more events land in the log: chasing its end would never finish.
    const read = t.store.events.liveAfter;
    let flooding = 300;
    // The replay's reads (one project's scope), not the hub's (every project: null), which fans out what was committed.
    t.store.events.liveAfter = async (...args: Parameters<typeof read>) => {
      if (args[0] !== null && flooding-- > 0) for (let i = 0; i < 16; i++) await insertEvent(t.store, { name: `flood ${flooding}.${i}` }, Date.now());
      return read(...args);
    };
    try {
      const resumed = await openStream({ 'last-event-id': from });
      const names: string[] = [];
      const live = send('after going live');
      const deadline = Date.now() + 5_000;
      while (!names.includes('after going live')) {
        if (Date.now() > deadline) throw new Error(`not live after 5 s: ${names.length} messages, ${flooding} flood pages left`);
        const m = await Promise.race([resumed.next(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
        if (m?.event === 'event') names.push((JSON.parse(m.data) as LiveEntry).event.name ?? '');
      }
      await live;
      expect(names.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `missed ${i}`));
      expect(flooding).toBeGreaterThan(200); // it stopped reading at the log's end as it was, not hundreds of pages later
    } finally {
      t.store.events.liveAfter = read;
      flooding = 0;
    }
  });
});
