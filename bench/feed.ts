/**
 * Feed page latency at 1,000,000 stored events: GET /api/events through a real server process with a
 * session, against the bare SELECT the route runs (same SQL, same parameters, better-sqlite3 in this
 * process on the same file), alternated request by request so both see the same machine noise.
 * Cases: the first page, deep pages (cursors from 500,000 events in), a search and a category page.
 * Goal: every page answers in ≤ 50 ms at p99 over HTTP. The store lives in a temp dir for the run.
 */
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type NormalizedEvent, parseIngestBody } from '../contract/ingest.ts';
import { encodeCursor } from '../server/feed/cursor.ts';
import { feedQuery } from '../server/store/shared/events.ts';
import { sqliteEventsEngine } from '../server/store/sqlite/events.ts';
import { sqliteRunner } from '../server/store/sqlite/runner.ts';
import { sqlOver } from '../server/store/sql/db.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { runMaintenance } from '../server/store/maintenance.ts';
import { BENCH_OWNER, type Benchmark, type BenchResult, makeTempDir, type Percentiles, percentiles, removeTempDir, seedOwner, signIn, startServer } from './support.ts';

export const EVENTS = Number(process.env.BENCH_FEED_EVENTS ?? 1_000_000);
const BATCH = 50_000;
export const SAMPLES = 200;
export const WARMUP = 20;
export const LIMIT = 50;
const P99_GOAL_MS = 50;
/** One event every 2.6 s: a million events is a month of a busy app. */
export const STEP_MS = 2_600;
const CUSTOMERS = 2_000;
const SEARCH = 'cus1234';
/** A word in 1 of 8 events: the search that matches most. */
const BROAD_SEARCH = 'declined';
const CATEGORY = 'deploys';

/** Eight kinds of event, two with a customer id (the search term), one with an action button. */
function template(kind: number, i: number): unknown {
  const cus = `cus${Math.floor(i / 8) % CUSTOMERS}`;
  const amount = `${(i % 997) + 3}.00 EUR`;
  switch (kind) {
    case 0:
      return { name: 'Payment failed', avatar: '💳', category: 'billing', type: 'rows', content: [{ label: 'amount', content: amount }, { label: 'customer', content: cus }], actions: [{ url: 'https://example.com/refund', buttonText: 'Refund', key: 'refund' }] };
    case 1:
      return { name: 'New signup', avatar: '🎉', category: 'signups', content: `user${i}@example.com signed up` };
    case 2:
      return { name: 'Deploy finished', avatar: '🚀', category: 'deploys', content: `v2.${i % 100}.${i % 7} is healthy` };
    case 3:
      return { name: 'Webhook received', avatar: '🧾', type: 'json', content: { id: `evt_${i}`, data: { amount: i % 10_000, lines: [1, 2, 3] } } };
    case 4:
      return { name: 'Card declined', avatar: '⛔', category: 'billing', content: `${cus}: card declined by the issuer (${amount})` };
    case 5:
      return { name: 'Job failed', avatar: '⚙️', category: 'jobs', userId: `u${i % 500}`, content: `nightly-export attempt ${i % 5}` };
    case 6:
      return { name: 'Sign-in from a new device', avatar: '🔐', category: 'security', content: `Firefox on Linux, 10.0.${i % 256}.${i % 200}` };
    default:
      return { name: 'Heartbeat', avatar: '💓', content: `worker ${i % 16} alive` };
  }
}

function eventFor(i: number): NormalizedEvent {
  const parsed = parseIngestBody(template(i % 8, i));
  if (!parsed.ok) throw new Error(`bad template: ${parsed.problem.message}`);
  return parsed.event;
}

export interface Built {
  seconds: number;
  sizeMb: number;
  startAt: number;
}

/** A store with an owner and EVENTS events (through store.events.insert, 50k per transaction). */
export async function build(dataDir: string): Promise<Built> {
  await seedOwner(dataDir);
  const sqlite = openStore(dataDir);
  const store = sqliteAppStore(sqlite);
  try {
    const t0 = performance.now();
    const startAt = Date.now() - EVENTS * STEP_MS;
    for (let from = 0; from < EVENTS; from += BATCH) {
      await store.transaction(async (tx) => {
        for (let i = from; i < Math.min(EVENTS, from + BATCH); i++) await tx.events.insert({ event: eventFor(i), projectId: DEFAULT_PROJECT_ID, apiKeyId: null, createdAt: startAt + i * STEP_MS });
      });
    }
    // What the server's maintenance does at start: forget live-log rows older than a day.
    await runMaintenance(store, Date.now());
    sqlite.db.pragma('wal_checkpoint(TRUNCATE)');
    return { seconds: (performance.now() - t0) / 1000, sizeMb: statSync(join(dataDir, 'switchboard.db')).size / 1e6, startAt };
  } finally {
    await store.close();
  }
}

function note(b: Built, cases: CaseFigures[]): string {
  const slow = cases.filter((c) => c.http.p99 > P99_GOAL_MS).map((c) => ` The ${c.label} misses the goal in SQLite itself; its plan: ${c.plan}.`);
  return (
    `This run built the store in ${b.seconds.toFixed(1)} s (${Math.round(EVENTS / b.seconds).toLocaleString('en')} events/s, ${b.sizeMb.toFixed(0)} MB on disk, ` +
    `including the server's start-up maintenance that drops live-log rows older than a day).${slow.join('')}`
  );
}

export interface Case {
  label: string;
  category: string | null;
  search: string | null;
  /** The cursor (created_at, seq) for sample i, or null for the first page. */
  cursor(i: number): { createdAt: number; seq: number } | null;
}

interface CaseFigures {
  label: string;
  http: Percentiles;
  bare: Percentiles;
  failures: number;
  mismatches: number;
  /** SQLite's EXPLAIN QUERY PLAN for the case's SELECT. */
  plan: string;
}

/** The SELECT the route runs for a case's page (the shared feed query, compiled for SQLite), with its parameters bound as the store binds them. */
function bareFeed(db: Database.Database, c: Case, cursor: { createdAt: number; seq: number } | null) {
  const search = c.search === null ? null : sqliteEventsEngine(db).search(c.search);
  if (search === 'nothing') throw new Error(`the search ${c.search} matches nothing`);
  const q = { projectId: DEFAULT_PROJECT_ID, test: false, category: c.category, search: c.search, cursor, limit: LIMIT };
  const compiled = feedQuery('sqlite', q, [DEFAULT_PROJECT_ID], search).compile(sqlOver(sqliteRunner(db)).db);
  return { sql: compiled.sql, params: compiled.parameters.map((p) => (typeof p === 'boolean' ? Number(p) : p)) };
}

async function measureCase(c: Case, url: string, cookie: string, db: Database.Database): Promise<CaseFigures> {
  const http: number[] = [];
  const bare: number[] = [];
  let failures = 0;
  let mismatches = 0;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const cursor = c.cursor(i);
    const t0 = performance.now();
    const res = await fetch(`${url}/api/events?${caseQuery(c, i)}`, { headers: { cookie } });
    const text = await res.text();
    const httpMs = performance.now() - t0;

    const page = bareFeed(db, c, cursor);
    const stmt = db.prepare(page.sql);
    const t1 = performance.now();
    const rows = stmt.all(...page.params) as { id: string }[];
    const bareMs = performance.now() - t1;

    if (res.status !== 200) failures++;
    else {
      const ids = (JSON.parse(text) as { events: { id: string }[] }).events.map((e) => e.id);
      if (ids.length === 0 || ids.join() !== rows.slice(0, LIMIT).map((r) => r.id).join()) mismatches++;
    }
    if (i >= WARMUP) {
      http.push(httpMs);
      bare.push(bareMs);
    }
  }
  const first = c.cursor(0);
  const explained = bareFeed(db, c, first);
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${explained.sql}`).all(...explained.params) as { detail: string }[])
    .map((r) => r.detail)
    .join('; ');
  return { label: c.label, http: percentiles(http), bare: percentiles(bare), failures, mismatches, plan };
}

/** The measured cases: first page, deep pages, two searches, a category. */
export function feedCases(built: Built): Case[] {
  // Seqs run 1..EVENTS in time order, so the page that starts n events in follows seq EVENTS - n + 1.
  const at = (n: number) => {
    const seq = EVENTS - n + 1;
    return { createdAt: built.startAt + (seq - 1) * STEP_MS, seq };
  };
  return [
    { label: 'first page', category: null, search: null, cursor: () => null },
    { label: 'deep page', category: null, search: null, cursor: (i) => at(Math.floor(EVENTS / 2) + i * LIMIT) },
    { label: 'search', category: null, search: SEARCH, cursor: () => null },
    { label: 'broad search', category: null, search: BROAD_SEARCH, cursor: () => null },
    { label: 'category', category: CATEGORY, search: null, cursor: () => null },
  ];
}

/** The query string of sample i of a case. */
export function caseQuery(c: Case, i: number): string {
  const cursor = c.cursor(i);
  const qs = new URLSearchParams({ limit: String(LIMIT) });
  if (cursor) qs.set('cursor', encodeCursor(cursor));
  if (c.category) qs.set('category', c.category);
  if (c.search) qs.set('q', c.search);
  return qs.toString();
}

export interface FeedDetails {
  events: number;
  build: Built;
  cases: CaseFigures[];
}

export async function runFeed(): Promise<{ results: BenchResult[]; details: FeedDetails }> {
  const dataDir = makeTempDir('switchboard-bench-feed-');
  try {
    const built = await build(dataDir);
    console.log(`  built ${EVENTS} events with store.events.insert in ${built.seconds.toFixed(1)} s (${built.sizeMb.toFixed(0)} MB)`);
    const server = await startServer('server/main.ts', { DATA_DIR: dataDir, LOG_LEVEL: 'warn', DIST_DIR: '/nonexistent', PUBLIC_URL: '' });
    const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true, fileMustExist: true });
    db.pragma('cache_size = -65536'); // as the server's connection
    try {
      const cookie = await signIn(server.url, BENCH_OWNER.email, BENCH_OWNER.password);
      const cases = feedCases(built);
      const figures: CaseFigures[] = [];
      for (const c of cases) figures.push(await measureCase(c, server.url, cookie, db));
      const results = figures.flatMap((f): BenchResult[] => {
        const problems: string[] = [];
        if (f.failures > 0) problems.push(`${f.label}: ${f.failures} requests not answered 200`);
        if (f.mismatches > 0) problems.push(`${f.label}: ${f.mismatches} pages differ from the bare query's rows`);
        const row = (metric: 'p50' | 'p99'): BenchResult => ({
          name: `feed ${f.label}`,
          metric: `${metric} ms`,
          value: f.http[metric],
          baseline: f.bare[metric],
          ratio: f.http[metric] / f.bare[metric],
          goal: metric === 'p99' ? P99_GOAL_MS : 0,
          goalLabel: metric === 'p99' ? `≤ ${P99_GOAL_MS} ms` : 'report',
          passed: problems.length === 0 && (metric === 'p50' || f.http.p99 <= P99_GOAL_MS),
          problems,
          details: metric === 'p50' ? { events: EVENTS, samples: SAMPLES, build: built, ...(f === figures[0] ? { note: note(built, figures) } : {}) } : {},
        });
        return [row('p50'), row('p99')];
      });
      return { results, details: { events: EVENTS, build: built, cases: figures } };
    } finally {
      db.close();
      await server.stop();
    }
  } finally {
    removeTempDir(dataDir);
  }
}

export const feedBenchmark: Benchmark = {
  name: 'feed',
  method:
    `${EVENTS.toLocaleString('en')} events (8 kinds, 1 in 8 with an action) written with store.events.insert, 50k per transaction; ` +
    `${SAMPLES} GET /api/events?limit=${LIMIT} per case (after ${WARMUP} warm-up) on one keep-alive connection with a session, each followed by ` +
    `the route's SELECT run in-process with the same parameters on a read-only connection to the same file. Deep pages walk ` +
    `${SAMPLES} consecutive cursors from event 500,000; search is q=${SEARCH} (${Math.round(EVENTS / 4 / CUSTOMERS)} matches), broad search q=${BROAD_SEARCH} (1 in 8 events match); category is ${CATEGORY} (1 in 8). ` +
    'The page must hold the same ids as the bare query.',
  async run() {
    console.log(`feed: ${EVENTS} stored events, ${SAMPLES} pages per case over HTTP vs the bare SELECT`);
    const { results, details } = await runFeed();
    const f = (n: number) => n.toFixed(2).padStart(7);
    for (const c of details.cases) {
      console.log(
        `  ${c.label.padEnd(12)} HTTP p50 ${f(c.http.p50)} ms  p99 ${f(c.http.p99)} ms   bare SELECT p50 ${f(c.bare.p50)} ms  p99 ${f(c.bare.p99)} ms   ratio p50 ${(c.http.p50 / c.bare.p50).toFixed(1)}  p99 ${(c.http.p99 / c.bare.p99).toFixed(1)}`,
      );
    }
    const worst = Math.max(...details.cases.map((c) => c.http.p99));
    console.log(`  worst HTTP p99 ${worst.toFixed(2)} ms (goal ≤ ${P99_GOAL_MS} ms) ${results.every((r) => r.passed) ? 'PASS' : 'FAIL'}`);
    for (const c of details.cases) if (c.http.p99 > P99_GOAL_MS) console.log(`  ${c.label} plan: ${c.plan}`);
    for (const problem of new Set(results.flatMap((r) => r.problems))) console.log(`  problem: ${problem}`);
    return results;
  },
};
