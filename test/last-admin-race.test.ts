/**
 * "A project keeps at least one admin" and "the installation keeps at least one owner" hold when two
 * instances change the last two at the same moment (issue 20, finding 6): two real server processes on
 * one PostgreSQL database, each given one of two demotions, all sent at once. Before the fix, each
 * request counted two admins, both demotions went through, and projects were left with none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppStore } from '../server/store/types.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { freePort, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { sessionFor, tempDir } from './helpers.ts';

const ORIGIN = 'http://switchboard.test';
const PROJECTS = 8;

let database: TestDatabase;
let store: AppStore;
const instances: ServerProcess[] = [];
/** The owners this file made (the users table has no others). */
const owners: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase('race', { migrated: true });
  store = await openPostgresStore(database.url, { max: 2 });
  for (let i = 0; i < 2; i++) {
    instances.push(await spawnServer(tempDir(), await freePort(), { DATABASE_URL: database.url, PUBLIC_URL: ORIGIN, DIST_DIR: '/nonexistent' }));
  }
}, 60_000);
afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  await store?.close();
  await database?.drop();
});

function send(instance: ServerProcess, cookie: string, method: 'PATCH' | 'PUT', path: string, body: unknown) {
  return fetch(`${instance.url}${path}`, { method, headers: { 'content-type': 'application/json', origin: ORIGIN, cookie }, body: JSON.stringify(body) });
}

/** Every request built first, then all sent in the same tick: the barrier. */
async function atOnce(requests: (() => Promise<Response>)[]): Promise<number[]> {
  const responses = await Promise.all(requests.map((r) => r()));
  return Promise.all(
    responses.map(async (r) => {
      await r.text();
      return r.status;
    }),
  );
}

describe('last admin and last owner across two instances (PostgreSQL)', () => {
  it('two admins demoted at once on two instances: every project keeps one, the other demotion is a 409', async () => {
    const owner = await store.users.create('race-owner@example.com', 'x', 'owner', Date.now());
    owners.push(owner.id);
    const cookie = await sessionFor(store, owner.id);
    const pairs: { slug: string; id: number; a: string; b: string }[] = [];
    for (let p = 0; p < PROJECTS; p++) {
      const project = (await store.projects.create(`race-${p}`, `Race ${p}`, Date.now()))!;
      const [a, b] = [await store.users.create(`a${p}@race.example`, 'x', 'member', Date.now()), await store.users.create(`b${p}@race.example`, 'x', 'member', Date.now())];
      await store.members.add(project.id, a.id, 'admin', Date.now());
      await store.members.add(project.id, b.id, 'admin', Date.now());
      pairs.push({ slug: project.slug, id: project.id, a: a.id, b: b.id });
    }
    const statuses = await atOnce(
      pairs.flatMap((p) => [
        () => send(instances[0]!, cookie, 'PATCH', `/api/projects/${p.slug}/members/${p.a}`, { role: 'member' }),
        () => send(instances[1]!, cookie, 'PATCH', `/api/projects/${p.slug}/members/${p.b}`, { role: 'viewer' }),
      ]),
    );
    for (const [i, p] of pairs.entries()) {
      expect(await store.members.adminCount(p.id), p.slug).toBe(1);
      expect([statuses[2 * i], statuses[2 * i + 1]].sort(), p.slug).toEqual([200, 409]);
    }
  });

  it('two owners making each other plain at once on two instances: one owner stays', async () => {
    const results: number[] = [];
    for (let round = 0; round < 4; round++) {
      const [x, y] = [
        await store.users.create(`x${round}@owners.example`, 'x', 'owner', Date.now()),
        await store.users.create(`y${round}@owners.example`, 'x', 'owner', Date.now()),
      ];
      // Every other owner plain first: these two are the last two.
      for (const id of owners.splice(0)) await store.users.setRole(id, 'member');
      owners.push(x.id, y.id);
      const [cx, cy] = [await sessionFor(store, x.id), await sessionFor(store, y.id)];
      results.push(
        ...(await atOnce([
          () => send(instances[0]!, cx, 'PUT', `/api/users/${y.id}/owner`, { owner: false }),
          () => send(instances[1]!, cy, 'PUT', `/api/users/${x.id}/owner`, { owner: false }),
        ])),
      );
      expect(await store.users.ownerCount(), `round ${round}`).toBe(1);
    }
    // Each round: one went through; the other was refused, as the last owner (409), or as no longer an owner (403).
    for (let r = 0; r < 4; r++) expect(results.slice(2 * r, 2 * r + 2).filter((s) => s === 200)).toHaveLength(1);
  });
});
