/**
 * Insights on both stores, with a chosen clock: events per day by category (days cut at the viewer's
 * UTC offset), the busiest categories with the rest as "other", deletions lowering the counts, other
 * projects and test mode kept apart, presses by outcome, pushes sent and failed, the busiest names,
 * and the rollups filled from the events an older store already holds.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InsightRange, InsightsDto } from '../contract/insights.ts';
import type { AppStore } from '../server/store/types.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { insightWindow, toInsightsDto } from '../server/store/insightRows.ts';
import { migratePostgres } from '../server/store/postgres/migrate.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { openDatabase } from '../server/store/sqlite/db.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { createTestDatabase } from './fixtures/postgresDb.ts';
import { startPushEndpoint } from './fixtures/pushEndpoint.ts';
import { ingest, makeApp, normalized, OWN_ORIGIN, sessionFor, TEST_STORE, tempDir, type TestApp } from './helpers.ts';
import { loadVapidKeys } from '../server/push/vapid.ts';
import { startPushWorker } from '../server/push/worker.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Thursday 3 December 2026, noon UTC. */
const T = Date.UTC(2026, 11, 3, 12, 0, 0);

interface Backend {
  name: string;
  open(): Promise<AppStore>;
  close(): Promise<void>;
}

function sqliteBackend(): Backend {
  let dir = '';
  let close: () => void = () => undefined;
  return {
    name: 'SQLite',
    async open() {
      dir = tempDir();
      const store = openStore(dir);
      close = () => store.close();
      return sqliteAppStore(store);
    },
    async close() {
      close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(): Backend {
  let drop: () => Promise<void> = async () => undefined;
  let store: AppStore;
  return {
    name: 'PostgreSQL',
    async open() {
      const database = await createTestDatabase('insights', { migrated: true });
      store = await openPostgresStore(database.url, { max: 4 });
      drop = database.drop;
      return store;
    },
    async close() {
      await store.close();
      await drop();
    },
  };
}

async function insights(s: AppStore, days: InsightRange, { tz = 0, test = false, now = T, projectId = DEFAULT_PROJECT_ID } = {}): Promise<InsightsDto> {
  const w = insightWindow(projectId, test, days, tz, now);
  return toInsightsDto(w, await s.insights.read(w.query), now);
}

/** The day rows as `{ date: { series label: count } }`, zeros left out. */
function byDay(dto: InsightsDto): Record<string, Record<string, number>> {
  const label = (i: number) => {
    const s = dto.series[i]!;
    return s.kind === 'category' ? s.category! : s.kind === 'none' ? '(none)' : '(other)';
  };
  const out: Record<string, Record<string, number>> = {};
  for (const d of dto.perDay) {
    const counts = Object.fromEntries(d.counts.flatMap((n, i) => (n > 0 ? [[label(i), n]] : [])));
    if (Object.keys(counts).length > 0) out[d.date] = counts;
  }
  return out;
}

// The store itself, on both stores in one run (the app's route below runs on each under its config).
for (const backend of TEST_STORE === 'postgres' ? [] : [sqliteBackend(), postgresBackend()]) {
  describe(`insights: ${backend.name}`, () => {
    let s: AppStore;
    let other: number;
    beforeEach(async () => {
      s = await backend.open();
      other = (await s.projects.create('other', 'Other', T))!.id;
      return () => backend.close();
    });

    const put = async (body: Record<string, unknown>, createdAt: number, projectId = DEFAULT_PROJECT_ID) =>
      (await s.transaction((tx) => tx.events.insert({ event: normalized(body), projectId, apiKeyId: null, createdAt }))).seq;

    it('counts events per day by category over the range, today included, and nothing before it', async () => {
      await put({ name: 'Payment failed', category: 'billing' }, T);
      await put({ name: 'Payment failed', category: 'billing' }, T - 2 * HOUR);
      await put({ name: 'New signup', category: 'signups' }, T - DAY);
      await put({ name: 'Heartbeat' }, T - DAY);
      await put({ name: 'Payment failed', category: 'billing' }, T - 6 * DAY);
      await put({ name: 'Too old', category: 'billing' }, T - 7 * DAY);
      const week = await insights(s, 7);
      expect(week.perDay.map((d) => d.date)).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
      expect(week.series).toEqual([
        { kind: 'category', category: 'billing', total: 3 },
        { kind: 'none', category: null, total: 1 },
        { kind: 'category', category: 'signups', total: 1 },
      ]);
      expect(byDay(week)).toEqual({
        '2026-11-27': { billing: 1 },
        '2026-12-02': { '(none)': 1, signups: 1 },
        '2026-12-03': { billing: 2 },
      });
      expect(week.total).toBe(5);
      expect(week.from).toBe('2026-11-27T00:00:00.000Z');
      const month = await insights(s, 30);
      expect(month.perDay).toHaveLength(30);
      expect(month.total).toBe(6);
    });

    it("cuts days at the viewer's UTC offset", async () => {
      const now = Date.UTC(2026, 11, 4, 1, 0);
      await put({ name: 'late evening in Berlin' }, Date.UTC(2026, 11, 3, 22, 30)); // 23:30 in UTC+1
      await put({ name: 'after midnight in Berlin' }, Date.UTC(2026, 11, 3, 23, 30)); // 00:30 on the 4th in UTC+1
      await put({ name: 'evening in New York' }, Date.UTC(2026, 11, 4, 0, 30)); // 19:30 on the 3rd in UTC−5
      expect(byDay(await insights(s, 7, { now }))).toEqual({ '2026-12-03': { '(none)': 2 }, '2026-12-04': { '(none)': 1 } });
      expect(byDay(await insights(s, 7, { now, tz: 60 }))).toEqual({ '2026-12-03': { '(none)': 1 }, '2026-12-04': { '(none)': 2 } });
      const newYork = await insights(s, 7, { now, tz: -300 });
      expect(newYork.perDay.at(-1)!.date).toBe('2026-12-03');
      expect(byDay(newYork)).toEqual({ '2026-12-03': { '(none)': 3 } });
    });

    it('draws the eight busiest categories on their own and adds up the rest as other', async () => {
      for (let c = 0; c < 10; c++) for (let i = 0; i <= 10 - c; i++) await put({ name: 'x', category: `cat-${c}` }, T - i * HOUR);
      const dto = await insights(s, 7);
      expect(dto.series.map((x) => x.category ?? x.kind)).toEqual(['cat-0', 'cat-1', 'cat-2', 'cat-3', 'cat-4', 'cat-5', 'cat-6', 'cat-7', 'other']);
      expect(dto.series.at(-1)).toEqual({ kind: 'other', category: null, total: 3 + 2 });
      expect(dto.perDay.every((d) => d.counts.length === 9)).toBe(true);
      expect(dto.total).toBe(11 + 10 + 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2);
    });

    it('lowers the counts when an event (and the thread it opens) is deleted', async () => {
      const keep = await put({ name: 'Deploy', category: 'deploys' }, T - HOUR);
      const opener = await put({ name: 'Deploy', category: 'deploys', contextId: 'd1', contextStart: true }, T - 3 * DAY);
      await put({ name: 'Deploy step', category: 'deploys', contextId: 'd1' }, T - 3 * DAY + 1000);
      expect((await insights(s, 7)).total).toBe(3);
      await s.transaction((tx) => tx.events.remove(opener));
      const after = await insights(s, 7);
      expect(after.total).toBe(1);
      expect(byDay(after)).toEqual({ '2026-12-03': { deploys: 1 } });
      expect(after.names).toEqual([{ name: 'Deploy', count: 1 }]);
      await s.transaction((tx) => tx.events.remove(keep));
      const none = await insights(s, 7);
      expect([none.total, none.series, none.names]).toEqual([0, [], []]);
    });

    it("never counts another project's events, and keeps test events to test mode", async () => {
      await put({ name: 'Ours', category: 'billing' }, T);
      await put({ name: 'Theirs', category: 'billing' }, T, other);
      await put({ name: 'Theirs', category: 'jobs' }, T, other);
      await put({ name: 'Trying it', category: 'billing', test: true }, T);
      const ours = await insights(s, 7);
      expect([ours.total, ours.names]).toEqual([1, [{ name: 'Ours', count: 1 }]]);
      const test = await insights(s, 7, { test: true });
      expect([test.total, test.test, test.names]).toEqual([1, true, [{ name: 'Trying it', count: 1 }]]);
      const theirs = await insights(s, 7, { projectId: other });
      expect(theirs.series.map((x) => [x.category, x.total])).toEqual([['billing', 1], ['jobs', 1]]);
    });

    it('counts presses by outcome, by when they started, in this project and mode only', async () => {
      const user = await s.users.create('presser@example.com', 'x', 'member', T);
      const press = async (seq: number, at: number, ok: boolean | null) => {
        await s.transaction(async (tx) => {
          const started = await tx.actions.start(seq, 'go', at, at + 60_000);
          if (started.kind !== 'started') throw new Error(`press refused: ${started.why}`);
          const id = randomUUID();
          await tx.actions.recordAttempt({ id, eventSeq: seq, key: 'go', number: started.number, userId: user.id, email: user.email, startedAt: at });
          if (ok !== null) await tx.actions.finish(id, seq, 'go', { ok, status: ok ? 200 : 500, reason: ok ? null : 'http_500', durationMs: 5, responseExcerpt: '' }, at + 5);
        });
      };
      const action = (repeat = true) => ({ name: 'Refund asked', actions: [{ key: 'go', buttonText: 'Go', url: 'https://example.com/go', repeat, expireIn: 43_200 }] });
      const a = await put(action(), T - 20 * DAY);
      await press(a, T - 10 * DAY, false); // before the week
      await press(a, T - 2 * DAY, false);
      await press(a, T - DAY, true);
      await press(a, T - HOUR, true);
      const b = await put(action(), T - DAY);
      await press(b, T - 10 * 60_000, null); // still running
      await press(await put(action(), T - DAY, other), T - HOUR, true);
      await press(await put({ ...action(), test: true }, T - DAY), T - HOUR, true);
      expect((await insights(s, 7)).presses).toEqual({ succeeded: 2, failed: 1, running: 1 });
      expect((await insights(s, 30)).presses).toEqual({ succeeded: 2, failed: 2, running: 1 });
      expect((await insights(s, 7, { test: true })).presses).toEqual({ succeeded: 1, failed: 0, running: 0 });
    });

    it('counts pushes sent and failed per project over the range; test mode has none', async () => {
      const seq = await put({ name: 'Payment failed', notify: true }, T - DAY);
      for (const [outcome, at] of [['sent', T - DAY], ['sent', T - HOUR], ['failed', T - HOUR], ['sent', T - 8 * DAY]] as const) {
        await s.insights.countPush(seq, outcome, at);
      }
      await s.insights.countPush(await put({ name: 'Theirs', notify: true }, T, other), 'sent', T);
      await s.insights.countPush(999_999, 'sent', T); // an event that is gone: nothing to count it for
      expect((await insights(s, 7)).pushes).toEqual({ sent: 2, failed: 1 });
      expect((await insights(s, 30)).pushes).toEqual({ sent: 3, failed: 1 });
      expect((await insights(s, 7, { test: true })).pushes).toEqual({ sent: 0, failed: 0 });
      expect((await insights(s, 7, { projectId: other })).pushes).toEqual({ sent: 1, failed: 0 });
    });

    it('lists the ten busiest names, busiest first', async () => {
      for (let n = 0; n < 12; n++) for (let i = 0; i < 12 - n; i++) await put({ name: `Name ${String(n).padStart(2, '0')}` }, T - i * HOUR);
      await put({ name: 'Name 11' }, T - 30 * DAY); // outside the week
      const names = (await insights(s, 7)).names;
      expect(names).toHaveLength(10);
      expect(names.slice(0, 3)).toEqual([{ name: 'Name 00', count: 12 }, { name: 'Name 01', count: 11 }, { name: 'Name 02', count: 10 }]);
      expect(names.at(-1)).toEqual({ name: 'Name 09', count: 3 });
    });
  });
}

describe.skipIf(TEST_STORE === 'postgres')('an older store gets its insights from the events it already holds', () => {
  const rows = (project: number, test: number | boolean) => [
    [1, 'ev-1', 'Payment failed', 'billing', test, project, T - DAY],
    [2, 'ev-2', 'Payment failed', 'billing', test, project, T - DAY + 1000],
    [3, 'ev-3', 'New signup', null, test, project, T],
  ];
  const expectBackfilled = (dto: InsightsDto) => {
    expect(byDay(dto)).toEqual({ '2026-12-02': { billing: 2 }, '2026-12-03': { '(none)': 1 } });
    expect(dto.names).toEqual([{ name: 'Payment failed', count: 2 }, { name: 'New signup', count: 1 }]);
  };

  it('SQLite (schema 7 → 8)', async () => {
    const dir = tempDir();
    try {
      const old = openDatabase(join(dir, 'switchboard.db'), 7);
      const insert = old.prepare(`INSERT INTO events (seq, id, name, type, category, notify, test, context_start, project_id, created_at)
        VALUES (?, ?, ?, 'text', ?, 0, ?, 0, ?, ?)`);
      for (const r of rows(DEFAULT_PROJECT_ID, 0)) insert.run(...r);
      old.close();
      const store = openStore(dir);
      try {
        expectBackfilled(await insights(sqliteAppStore(store), 7));
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL (migration 7 → 8)', async () => {
    const database = await createTestDatabase('insights_upgrade');
    try {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await migratePostgres(client, 7);
        for (const r of rows(DEFAULT_PROJECT_ID, false)) {
          await client.query(
            `INSERT INTO events (seq, id, name, type, category, notify, test, context_start, project_id, created_at, search)
             VALUES ($1, $2, $3, 'text', $4, false, $5, false, $6, $7, ''::tsvector)`,
            r,
          );
        }
      } finally {
        await client.end();
      }
      const store = await openPostgresStore(database.url, { max: 2 });
      try {
        expectBackfilled(await insights(store, 7));
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe(`GET /api/projects/:slug/insights (${TEST_STORE})`, () => {
  let t: TestApp;
  let clock = T;
  afterEach(async () => t?.cleanup());

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

  it('answers from events ingested over HTTP, on the project path and the older one, for viewers too', async () => {
    t = await makeApp({ now: () => clock });
    const cookie = await t.signIn();
    const key = await t.apiKey();
    for (const [at, body] of [
      [T - 2 * DAY, { name: 'Payment failed', category: 'billing' }],
      [T - HOUR, { name: 'Payment failed', category: 'billing' }],
      [T, { name: 'New signup', category: 'signups' }],
      [T, { name: 'Trying it', test: true }],
    ] as const) {
      clock = at;
      expect((await ingest(t.app, key, body)).statusCode).toBe(201);
    }
    clock = T;
    const res = await get('/api/projects/default/insights?days=7&tz=0', cookie);
    expect(res.statusCode, res.body).toBe(200);
    const dto = res.json<InsightsDto>();
    expect([dto.days, dto.test, dto.tz, dto.total, dto.serverTime]).toEqual([7, false, 0, 3, new Date(T).toISOString()]);
    expect(byDay(dto)).toEqual({ '2026-12-01': { billing: 1 }, '2026-12-03': { billing: 1, signups: 1 } });
    expect(dto.names).toEqual([{ name: 'Payment failed', count: 2 }, { name: 'New signup', count: 1 }]);
    expect((await get('/api/insights?days=7', cookie)).json()).toEqual(dto);
    const test = (await get('/api/projects/default/insights?days=7&test=1', cookie)).json<InsightsDto>();
    expect([test.test, test.total, test.names]).toEqual([true, 1, [{ name: 'Trying it', count: 1 }]]);
    // The default range is 30 days.
    expect((await get('/api/insights', cookie)).json<InsightsDto>().perDay).toHaveLength(30);
    const viewer = await t.store.users.create('viewer@example.com', 'x', 'member', T);
    await t.store.members.add(DEFAULT_PROJECT_ID, viewer.id, 'viewer', T);
    expect((await get('/api/projects/default/insights?days=7', await sessionFor(t.store, viewer.id))).json()).toEqual(dto);
  });

  it('refuses a bad range, offset or mode with a 400 naming the field', async () => {
    t = await makeApp({ now: () => clock });
    const cookie = await t.signIn();
    for (const [query, field] of [
      ['days=14', 'days'],
      ['days=abc', 'days'],
      ['tz=abc', 'tz'],
      ['tz=1.5', 'tz'],
      ['tz=900', 'tz'],
      ['tz=-721', 'tz'],
      ['test=2', 'test'],
    ] as const) {
      const res = await get(`/api/projects/default/insights?${query}`, cookie);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_field', field });
    }
    expect((await get('/api/projects/default/insights?days=90&tz=840&test=0', cookie)).statusCode).toBe(200);
    expect((await get('/api/projects/default/insights?tz=-720', cookie)).statusCode).toBe(200);
  });

  it('counts what the push worker sent and what it gave up on', async () => {
    const service = await startPushEndpoint();
    t = await makeApp({ env: { PUSH_ENDPOINT_HOSTS: service.host } });
    const worker = startPushWorker({
      store: t.store,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      vapid: await loadVapidKeys(t.store, 'mailto:ops@example.com'),
      pollMs: 20,
      backoffMs: () => 30,
    });
    try {
      const cookie = await t.signIn();
      const key = await t.apiKey();
      const [phone, gone] = [service.subscription(), service.subscription()];
      for (const sub of [phone, gone]) {
        const res = await t.app.inject({
          method: 'PUT',
          url: '/api/push/subscriptions',
          headers: { cookie, origin: OWN_ORIGIN },
          payload: { endpoint: sub.endpoint, keys: sub.keys, deviceName: 'phone' },
        });
        expect(res.statusCode, res.body).toBe(200);
      }
      service.answer(gone, [410]);
      expect((await ingest(t.app, key, { name: 'Payment failed', notify: true })).statusCode).toBe(201);
      await service.waitFor(2);
      const deadline = Date.now() + 5_000;
      let pushes = { sent: 0, failed: 0 };
      while (Date.now() < deadline && pushes.sent + pushes.failed < 2) {
        pushes = (await get('/api/insights?days=7', cookie)).json<InsightsDto>().pushes;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(pushes).toEqual({ sent: 1, failed: 1 });
    } finally {
      await worker.stop();
      await service.close();
    }
  });
});
