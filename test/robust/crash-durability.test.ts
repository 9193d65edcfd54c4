/**
 * Durability of ingest across crashes (CONTRACT.md §1: a 201 means stored; an Idempotency-Key retry
 * creates nothing new). 16 clients send events without pause, each with its own Idempotency-Key and
 * the key as the event's name, retrying the same key after any error until it gets a 201; meanwhile
 * the server is SIGKILLed at random moments and restarted on the same data directory and port.
 * Every acknowledged event must be stored exactly once, nothing unacknowledged may be stored, and
 * what was acknowledged before a kill must be there after it.
 */
import { Agent } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, type Seeded, type ServerProcess, seededRng, seededStore, selectRows, send, sleep, startServer, withStore } from './support.ts';

const CLIENTS = 16;
/** Hard bound on the whole scenario; clients give up on a key after this. */
const DEADLINE_MS = 60_000;

let seeded: Seeded | undefined;
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.kill9();
  await seeded?.cleanup();
});

interface Ack {
  key: string;
  id: string;
  replayed: boolean;
}

/** Ids of `ids` missing from the events table, read through a connection of its own (read-only on SQLite). */
async function missingIds(from: Seeded, ids: string[]): Promise<string[]> {
  const stored = new Set((await selectRows<{ id: string }>(from, 'SELECT id FROM events')).map((r) => r.id));
  return ids.filter((id) => !stored.has(id));
}

describe('ingest durability under kill -9', () => {
  it('keeps every acknowledged event exactly once across 3–4 SIGKILLs and restarts, and stores nothing unacknowledged', async () => {
    const rng = seededRng('crash-durability');
    const kills = 3 + rng.int(2);
    seeded = await seededStore();
    const store = seeded;
    const { dir, key: apiKey } = seeded;
    const port = await freePort();
    server = await startServer(dir, port, seeded.env);
    const url = server.url;
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const deadline = Date.now() + DEADLINE_MS;
    const acks: Ack[] = [];
    const failures: string[] = [];
    let stopping = false;
    /** Set when the test fails half-way: clients then drop their key at once. */
    let abandoned = false;
    let retries = 0;

    /** Sends one key until it is acknowledged (201), whatever happens to the server meanwhile. */
    async function deliver(key: string): Promise<void> {
      for (let attempt = 0; Date.now() < deadline && !abandoned; attempt++) {
        try {
          const res = await send(url, {
            agent,
            path: '/api/v1/log',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify({ name: key, category: 'durability' }),
            timeoutMs: 5_000,
          });
          if (res.status === 201) {
            acks.push({ key, id: (JSON.parse(res.body) as { id: string }).id, replayed: res.headers['idempotent-replayed'] === 'true' });
            return;
          }
          if (res.status < 500) {
            failures.push(`${key}: refused with ${res.status} ${res.body.slice(0, 120)}`);
            return;
          }
        } catch {
          // Connection refused or reset: the server is down or was just killed. Same key again.
        }
        retries++;
        await sleep(10 + Math.min(attempt, 10) * 5);
      }
      if (!abandoned) failures.push(`${key}: never acknowledged before the deadline`);
    }

    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      // A client that has started a key always finishes it: an event stored for a key nobody
      // acknowledged would be indistinguishable from a duplicate.
      for (let n = 0; !stopping && Date.now() < deadline; n++) await deliver(`c${c}-${n}`);
    });

    const ackedAtKill: number[] = [];
    try {
      for (let k = 0; k < kills; k++) {
        await sleep(500 + rng.int(1000));
        const before = acks.map((a) => a.id);
        ackedAtKill.push(before.length);
        await server.kill9();
        server = await startServer(dir, port, store.env);
        // Acknowledged before the kill, therefore on disk after it (read beside the restarted server).
        expect(await missingIds(store, before), `events acknowledged before kill ${k + 1}`).toEqual([]);
      }
      await sleep(500 + rng.int(500));
    } catch (err) {
      abandoned = true;
      throw err;
    } finally {
      stopping = true;
    }
    await Promise.all(clients);
    agent.destroy();
    await server.stop();

    expect(failures.slice(0, 10), `${failures.length} keys failed (seed ${rng.seed})`).toEqual([]);
    // The load really ran through every kill: acknowledgements grew between each.
    const counts = [...ackedAtKill, acks.length];
    for (let i = 1; i < counts.length; i++) expect(counts[i]!, `acks between kill ${i} and the next`).toBeGreaterThan(counts[i - 1]!);

    const keys = new Set(acks.map((a) => a.key));
    expect(keys.size, 'each key acknowledged once').toBe(acks.length);
    const rows = await selectRows<{ id: string; name: string }>(store, "SELECT id, name FROM events WHERE category = 'durability'");
    const [counted] = await selectRows<{ n: number | string }>(store, 'SELECT COUNT(*) AS n FROM events');
    const total = Number(counted?.n);
    const byId = new Map(rows.map((r) => [r.id, r.name]));
    for (const ack of acks) expect(byId.get(ack.id), `acknowledged ${ack.key} → ${ack.id}`).toBe(ack.key);
    await withStore(store, async (s) => {
      for (const ack of acks.slice(0, 50)) expect((await s.events.byId(ack.id))?.event.name).toBe(ack.key);
    });
    expect(total, 'stored events = acknowledged keys').toBe(keys.size);
    expect(rows.length).toBe(keys.size);
    const names = new Set(rows.map((r) => r.name));
    expect(names.size, 'no key produced two events').toBe(rows.length);
    for (const name of names) expect(keys.has(name), `stored but never acknowledged: ${name}`).toBe(true);
    const replayed = acks.filter((a) => a.replayed).length;
    console.log(`[crash-durability] ${kills} kills survived; ${acks.length} events acknowledged and checked; ${retries} retries; ${replayed} answered by an Idempotency-Key replay`);
  });
});
