/**
 * Long polls on decisions under a client that opens hundreds and walks away (CONTRACT §11): the
 * waits are bounded per key and per process with a clear 429, and every one is let go the moment its
 * client disconnects — held 500 at a time, three rounds, nothing left behind.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/auth/apiKeys.ts';
import { decisionWaiters, WAITER_LIMITS } from '../../server/decisions/waiters.ts';
import type { LiveEntry } from '../../server/store/eventRows.ts';
import { DEFAULT_PROJECT_ID } from '../../server/store/records.ts';
import { ingest, listenOnLoopback, makeApp, type TestApp } from '../helpers.ts';

let t: TestApp;
let base: string;
let keys: string[];
let eventId: string;

beforeAll(async () => {
  t = await makeApp();
  base = await listenOnLoopback(t.app);
  keys = await Promise.all(Array.from({ length: 5 }, async (_, i) => (await createApiKey(t.store, DEFAULT_PROJECT_ID, `waiter ${i}`, null, Date.now())).key));
  const sent = await ingest(t.app, keys[0]!, { name: 'Deploy?', actions: [{ key: 'yes', buttonText: 'Yes', reply: true }] });
  eventId = sent.json<{ id: string }>().id;
});
afterAll(async () => {
  await t?.cleanup();
});

/** A long poll that is never read to its end: the caller destroys it. */
function openWait(key: string): ClientRequest {
  const req = httpRequest(`${base}/api/v1/events/${eventId}/decision?wait=60`, { headers: { authorization: `Bearer ${key}` }, agent: false });
  req.on('error', () => {});
  req.end();
  return req;
}

async function until(what: string, ok: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('long polls on a decision', () => {
  it('holds 500 waits on five keys, refuses the 101st of one key with 429, and lets every one go when its client disconnects (three rounds)', async () => {
    const waiters = t.app.decisionWaiters;
    for (let round = 0; round < 3; round++) {
      const open = keys.flatMap((key) => Array.from({ length: WAITER_LIMITS.perKey }, () => openWait(key)));
      expect(open).toHaveLength(500);
      await until(`500 waits (round ${round})`, () => waiters.count() === 500);
      const over = await fetch(`${base}/api/v1/events/${eventId}/decision?wait=5`, { headers: { authorization: `Bearer ${keys[0]}` } });
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toBe('1');
      expect((await over.json()) as unknown).toMatchObject({ error: { code: 'too_many_waits' } });
      // Another key still waits (its own bound); an answer at once is never refused.
      expect((await fetch(`${base}/api/v1/events/${eventId}/decision`, { headers: { authorization: `Bearer ${keys[1]}` } })).status).toBe(200);
      for (const req of open) req.destroy();
      await until(`every wait let go (round ${round})`, () => waiters.count() === 0);
      for (const key of keys) expect(waiters.count(key)).toBe(0);
    }
  });
});

describe('the waiters’ bounds (a process-wide cap, and the live hub listened to only while someone waits)', () => {
  it('refuses beyond the key bound and the process bound, and unsubscribes from the hub when the last wait ends', async () => {
    let subscribed = 0;
    const hub = {
      subscribe: (_listener: (e: LiveEntry) => void) => {
        subscribed++;
        return () => {
          subscribed--;
        };
      },
    };
    const w = decisionWaiters(hub, Date.now, { perKey: 2, total: 3 });
    const far = Date.now() + 60_000;
    const a = [w.wait('e1', 'k1', far), w.wait('e2', 'k1', far)];
    expect(subscribed).toBe(1);
    expect(() => w.wait('e3', 'k1', far)).toThrow(/already has 2/);
    const b = w.wait('e1', 'k2', far);
    expect(() => w.wait('e1', 'k3', far)).toThrow(/as many waits as it takes/);
    expect(w.count()).toBe(3);
    for (const x of [...a, b]) x.cancel();
    await Promise.all([...a, b].map((x) => x.settled));
    expect(w.count()).toBe(0);
    expect(subscribed).toBe(0);
  });
});
