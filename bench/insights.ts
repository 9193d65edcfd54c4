/**
 * Insights at 1,000,000 events over 90 days: GET /api/insights?days=90 through a real server process,
 * against the feed's first page (GET /api/events?limit=50) on the same server, alternated request by
 * request so both see the same machine noise. The 90-day answer must count every event of its range
 * (checked once against a COUNT(*) over the events, whose time is reported as what the rollups save).
 * Then the cost of keeping the rollups (on SQLite the event writer adds new events to them, a
 * trigger counts deletions): store.events.insert with and without them.
 * Goal: the 90-day p99 ≤ 50 ms (as the feed's pages); the counts keep ≥ 0.5 of the in-process insert rate (the HTTP ingest rate is `npm run bench -- ingest`).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { InsightsDto } from '../contract/insights.ts';
import { type NormalizedEvent, parseIngestBody } from '../contract/ingest.ts';
import { insightWindow } from '../server/store/insightRows.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import type { StoreRepositories } from '../server/store/types.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { BENCH_OWNER, type Benchmark, type BenchResult, makeTempDir, percentiles, removeTempDir, seedOwner, signIn, startServer } from './support.ts';

const EVENTS = Number(process.env.BENCH_INSIGHTS_EVENTS ?? 1_000_000);
const DAYS = 90;
const BATCH = 50_000;
const SAMPLES = 200;
const WARMUP = 20;
const P99_GOAL_MS = 50;
const TRIGGER_GOAL = 0.5;
const TRIGGER_EVENTS = 100_000;
/** Berlin in winter: days cut one hour off UTC. */
const TZ = 60;

const CATEGORIES = ['billing', 'signups', 'deploys', 'jobs', 'security', 'webhooks', null] as const;
const NAMES = ['Payment failed', 'New signup', 'Deploy finished', 'Job failed', 'Sign-in from a new device', 'Webhook received', 'Heartbeat', 'Card declined', 'Export ready', 'Invoice sent', 'Refund asked', 'Trial ended'];

function eventFor(i: number): NormalizedEvent {
  const parsed = parseIngestBody({
    name: NAMES[i % NAMES.length],
    category: CATEGORIES[i % CATEGORIES.length] ?? undefined,
    content: `event ${i}`,
    // One in a hundred has a button (and is pressed); one in twenty is pushed.
    ...(i % 100 === 0 ? { actions: [{ key: 'go', buttonText: 'Go', url: 'https://example.com/go' }] } : {}),
  });
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.event;
}

/** EVENTS events spread evenly over the last DAYS days, with their presses and pushes. */
async function build(dataDir: string, now: number): Promise<{ seconds: number; from: number }> {
  const store = openStore(dataDir);
  const app = sqliteAppStore(store);
  try {
    const owner = (await app.users.byEmail(BENCH_OWNER.email))!;
    const step = (DAYS * 86_400_000 - 60_000) / EVENTS;
    const from = now - DAYS * 86_400_000 + 60_000;
    const t0 = performance.now();
    for (let start = 0; start < EVENTS; start += BATCH) {
      await app.transaction(async (tx) => {
        for (let i = start; i < Math.min(EVENTS, start + BATCH); i++) {
          const at = Math.floor(from + i * step);
          const { seq } = await tx.events.insert({ event: eventFor(i), projectId: DEFAULT_PROJECT_ID, apiKeyId: null, createdAt: at });
          if (i % 100 === 0) await press(tx, seq, owner, at, i % 300 !== 0);
          if (i % 20 === 0) await tx.insights.countPush(seq, i % 200 === 0 ? 'failed' : 'sent', at);
        }
      });
    }
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    return { seconds: (performance.now() - t0) / 1000, from };
  } finally {
    store.close();
  }
}

async function press(tx: StoreRepositories, seq: number, user: { id: string; email: string }, at: number, ok: boolean): Promise<void> {
  const started = await tx.actions.start(seq, 'go', at, at + 60_000);
  if (started.kind !== 'started') return;
  const id = `bench-${seq}`;
  await tx.actions.recordAttempt({ id, eventSeq: seq, key: 'go', number: started.number, userId: user.id, email: user.email, startedAt: at });
  await tx.actions.finish(id, seq, 'go', { ok, status: ok ? 200 : 500, reason: ok ? null : 'http_500', durationMs: 20, responseExcerpt: '' }, at + 20);
}

/** Inserts per second into a fresh store, with the rollups kept or not, in alternating batches. */
async function triggerCost(): Promise<{ withTriggers: number; without: number }> {
  const dirs = [makeTempDir('switchboard-bench-insights-a-'), makeTempDir('switchboard-bench-insights-b-')];
  const stores = dirs.map((d) => openStore(d));
  try {
    // Without: the deletion trigger dropped, and the event writer's count statements (prepared when its
    // app store is made, below) made into ones that do nothing.
    const db = stores[1]!.db;
    db.exec('DROP TRIGGER events_uncounted');
    const prepare = db.prepare.bind(db);
    const counting = /^INSERT INTO (event_counts|event_name_counts|category_counts) /;
    db.prepare = ((source: string) => (counting.test(source) ? { run: () => ({ changes: 0, lastInsertRowid: 0 }) } : prepare(source))) as typeof db.prepare;
    const ms = [0, 0];
    const now = Date.now();
    for (let start = 0; start < TRIGGER_EVENTS; start += 5_000) {
      for (const [k, store] of stores.entries()) {
        const t0 = performance.now();
        await sqliteAppStore(store).transaction(async (tx) => {
          for (let i = start; i < start + 5_000; i++) await tx.events.insert({ event: eventFor(i), projectId: DEFAULT_PROJECT_ID, apiKeyId: null, createdAt: now + i });
        });
        ms[k]! += performance.now() - t0;
      }
    }
    return { withTriggers: (TRIGGER_EVENTS / ms[0]!) * 1000, without: (TRIGGER_EVENTS / ms[1]!) * 1000 };
  } finally {
    for (const s of stores) s.close();
    for (const d of dirs) removeTempDir(d);
  }
}

async function timed(url: string, cookie: string): Promise<{ ms: number; status: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const body = await res.text();
  return { ms: performance.now() - t0, status: res.status, body };
}

export const insightsBenchmark: Benchmark = {
  name: 'insights',
  method:
    `${EVENTS.toLocaleString('en')} events over ${DAYS} days in ${CATEGORIES.length} categories and ${NAMES.length} names (1 in 100 pressed, 1 in 20 pushed), ` +
    `built with store.events.insert (the rollups counting them); ${SAMPLES} GET /api/insights?days=90 (after ${WARMUP} warm-up), each followed by ` +
    'the feed\'s first page on the same server as the baseline. Then store.events.insert with and without the rollups kept, in alternating batches.',
  async run(): Promise<BenchResult[]> {
    console.log(`insights: ${EVENTS} events over ${DAYS} days, ${SAMPLES} requests of each kind`);
    const dataDir = makeTempDir('switchboard-bench-insights-');
    try {
      await seedOwner(dataDir);
      const now = Date.now();
      const built = await build(dataDir, now);
      console.log(`  built in ${built.seconds.toFixed(0)} s (${Math.round(EVENTS / built.seconds).toLocaleString('en')} events/s with the rollups)`);
      // What the rollups save: the same count straight from the events (once; this is the scan a request never makes).
      const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
      const window = insightWindow(DEFAULT_PROJECT_ID, false, DAYS, TZ, now + 5_000);
      const t0 = performance.now();
      const scanned = (db.prepare('SELECT COUNT(*) AS n FROM events WHERE project_id = ? AND test = 0 AND created_at >= ?').get(DEFAULT_PROJECT_ID, window.query.fromHour * 3_600_000) as { n: number }).n;
      const scanMs = performance.now() - t0;
      db.close();

      const server = await startServer('server/main.ts', { DATA_DIR: dataDir, LOG_LEVEL: 'warn', DIST_DIR: '/nonexistent', PUBLIC_URL: '' });
      const insights: number[] = [];
      const feed: number[] = [];
      const problems: string[] = [];
      let total = -1;
      try {
        const cookie = await signIn(server.url, BENCH_OWNER.email, BENCH_OWNER.password);
        for (let i = 0; i < WARMUP + SAMPLES; i++) {
          const a = await timed(`${server.url}/api/insights?days=${DAYS}&tz=${TZ}`, cookie);
          const b = await timed(`${server.url}/api/events?limit=50`, cookie);
          if (a.status !== 200 || b.status !== 200) problems.push(`answers ${a.status} / ${b.status}`);
          if (i === 0 && a.status === 200) total = (JSON.parse(a.body) as InsightsDto).total;
          if (i >= WARMUP) {
            insights.push(a.ms);
            feed.push(b.ms);
          }
        }
      } finally {
        await server.stop();
      }
      if (total !== scanned) problems.push(`the 90-day total is ${total}, the events of the range are ${scanned}`);
      const q = percentiles(insights);
      const f = percentiles(feed);
      console.log(`  90 days: p50 ${q.p50.toFixed(2)} p99 ${q.p99.toFixed(2)} ms; feed first page p50 ${f.p50.toFixed(2)} p99 ${f.p99.toFixed(2)} ms; COUNT(*) over the events ${scanMs.toFixed(0)} ms`);
      const cost = await triggerCost();
      const kept = cost.withTriggers / cost.without;
      console.log(`  store.events.insert: ${Math.round(cost.withTriggers)} events/s with the counts kept, ${Math.round(cost.without)} without (${kept.toFixed(2)})`);
      return [
        {
          name: 'insights 90 days',
          metric: 'p99 ms',
          value: q.p99,
          baseline: f.p99,
          ratio: q.p99 / f.p99,
          goal: P99_GOAL_MS,
          goalLabel: `≤ ${P99_GOAL_MS} ms`,
          passed: problems.length === 0 && q.p99 <= P99_GOAL_MS,
          problems: [...new Set(problems)],
          details: { events: EVENTS, samples: SAMPLES, insights: q, feedFirstPage: f, countScanMs: scanMs, buildSeconds: built.seconds },
        },
        {
          name: 'insights trigger cost',
          metric: 'inserts/s',
          value: cost.withTriggers,
          baseline: cost.without,
          ratio: kept,
          goal: TRIGGER_GOAL,
          goalLabel: `≥ ${TRIGGER_GOAL} of the rate without`,
          passed: kept >= TRIGGER_GOAL,
          problems: [],
          details: { events: TRIGGER_EVENTS },
        },
      ];
    } finally {
      removeTempDir(dataDir);
    }
  },
};
