/**
 * The category filter's counts at 200,000 events: store.events.categories (read from category_counts,
 * kept by triggers) against the query it replaced (COUNT(*) over the project's events, GROUP BY
 * category) on the same store, alternated call by call so both see the same machine noise. Both must
 * give the same counts. Goal: p99 ≤ 0.1 of the full count's.
 */
import { parseIngestBody } from '../contract/ingest.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { type Benchmark, type BenchResult, makeTempDir, percentiles, removeTempDir } from './support.ts';

const EVENTS = Number(process.env.BENCH_CATEGORIES_EVENTS ?? 200_000);
const SAMPLES = 300;
const GOAL = 0.1;
const CATEGORIES = ['billing', 'signups', 'deploys', 'jobs', 'security', 'webhooks', 'exports', 'trials', null];

export const categoriesBenchmark: Benchmark = {
  name: 'categories',
  method: `${EVENTS.toLocaleString('en')} events in ${CATEGORIES.length - 1} categories (and none) in SQLite; ${SAMPLES} calls of store.events.categories, each followed by the COUNT(*) … GROUP BY category it replaced, as the baseline.`,
  async run(): Promise<BenchResult> {
    console.log(`categories: ${EVENTS} events, ${SAMPLES} calls of each`);
    const dir = makeTempDir('switchboard-bench-categories-');
    const sqlite = openStore(dir);
    const store = sqliteAppStore(sqlite);
    try {
      const now = Date.now();
      for (let start = 0; start < EVENTS; start += 20_000) {
        await store.transaction(async (tx) => {
          for (let i = start; i < Math.min(EVENTS, start + 20_000); i++) {
            const parsed = parseIngestBody({ name: `event ${i % 50}`, category: CATEGORIES[i % CATEGORIES.length] ?? undefined });
            if (parsed.ok) await tx.events.insert({ event: parsed.event, projectId: DEFAULT_PROJECT_ID, apiKeyId: null, createdAt: now - EVENTS + i });
          }
        });
      }
      const full = sqlite.db.prepare(
        'SELECT category, COUNT(*) AS count FROM events WHERE project_id = ? AND test = 0 AND category IS NOT NULL GROUP BY category ORDER BY count DESC, category LIMIT 200',
      );
      const problems: string[] = [];
      if (JSON.stringify(await store.events.categories(DEFAULT_PROJECT_ID, false)) !== JSON.stringify(full.all(DEFAULT_PROJECT_ID))) problems.push('the kept counts differ from a full count');
      const kept: number[] = [];
      const counted: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        let t0 = performance.now();
        await store.events.categories(DEFAULT_PROJECT_ID, false);
        kept.push(performance.now() - t0);
        t0 = performance.now();
        full.all(DEFAULT_PROJECT_ID);
        counted.push(performance.now() - t0);
      }
      const k = percentiles(kept);
      const c = percentiles(counted);
      console.log(`  kept counts p50 ${k.p50.toFixed(3)} ms, p99 ${k.p99.toFixed(3)} ms; full count p50 ${c.p50.toFixed(2)} ms, p99 ${c.p99.toFixed(2)} ms`);
      return {
        name: 'categories',
        metric: 'p99 ms',
        value: k.p99,
        baseline: c.p99,
        ratio: k.p99 / c.p99,
        goal: GOAL,
        goalLabel: `≤ ${GOAL} of the full count`,
        passed: problems.length === 0 && k.p99 / c.p99 <= GOAL,
        problems,
        details: { kept: k, counted: c },
      };
    } finally {
      store.close();
      removeTempDir(dir);
    }
  },
};
