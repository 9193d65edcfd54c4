/**
 * `npm run bench`: runs each benchmark in turn, then prints one summary table; the full run (no words
 * given) also writes BENCHMARKS.md. Add new ones to the list.
 */
import { pathToFileURL } from 'node:url';
import { decisionBenchmark } from './decision.ts';
import { dedupBenchmark } from './dedup.ts';
import { fanoutBenchmark } from './fanout.ts';
import { categoriesBenchmark } from './categories.ts';
import { feedBenchmark } from './feed.ts';
import { ingestBenchmark } from './ingest.ts';
import { insightsBenchmark } from './insights.ts';
import { lighthouseBenchmark } from './lighthouse.ts';
import { liveBenchmark } from './live.ts';
import { liveLogBenchmark } from './livelog.ts';
import { pgFeedBenchmark } from './pgfeed.ts';
import { pressBenchmark } from './press.ts';
import { scaleBenchmark } from './scale.ts';
import { warmStartBenchmark } from './warmStart.ts';
import { printSummary, type RunGroup, writeReport } from './report.ts';
import type { Benchmark, BenchResult } from './support.ts';

const BENCHMARKS: Benchmark[] = [ingestBenchmark, pressBenchmark, lighthouseBenchmark, warmStartBenchmark, feedBenchmark, fanoutBenchmark, liveBenchmark, liveLogBenchmark, scaleBenchmark, pgFeedBenchmark, insightsBenchmark, categoriesBenchmark, decisionBenchmark, dedupBenchmark];
/** The full run takes ~6 minutes; a hung server or browser must not hang it. */
const TIME_LIMIT_MS = 15 * 60_000;

export async function runAll(benchmarks: Benchmark[] = BENCHMARKS): Promise<RunGroup[]> {
  const groups: RunGroup[] = [];
  for (const benchmark of benchmarks) {
    const started = performance.now();
    let results: BenchResult[];
    try {
      results = [await benchmark.run()].flat();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      console.error(`${benchmark.name}: ${message}`);
      results = [{ name: benchmark.name, metric: '-', value: 0, baseline: 0, ratio: 0, goal: 0, passed: false, problems: [message], details: {} }];
    }
    groups.push({ benchmark, results, seconds: (performance.now() - started) / 1000 });
    console.log();
  }
  return groups;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${TIME_LIMIT_MS / 1000} s`);
    process.exit(1);
  }, TIME_LIMIT_MS);
  watchdog.unref();
  // Exit through process.exit so the exit handlers stop the servers and remove the temp stores.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  // `npm run bench -- press` runs only the benchmarks whose names contain one of the words given.
  const words = process.argv.slice(2);
  const chosen = words.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => words.some((w) => b.name.includes(w)));
  const groups = await runAll(chosen);
  const results = groups.flatMap((g) => g.results);
  printSummary(results);
  if (words.length === 0) console.log(`\nwrote ${writeReport(groups)}`);
  process.exitCode = results.every((r) => r.passed) ? 0 : 1;
}
