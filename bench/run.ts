/** `npm run bench`: runs each benchmark in turn, then prints one summary table. Add new ones to the list. */
import { pathToFileURL } from 'node:url';
import { ingestBenchmark } from './ingest.ts';
import { lighthouseBenchmark } from './lighthouse.ts';
import { pressBenchmark } from './press.ts';
import type { Benchmark, BenchResult } from './support.ts';

const BENCHMARKS: Benchmark[] = [ingestBenchmark, pressBenchmark, lighthouseBenchmark];
/** Nothing here should take long; a hung server must not hang the run. */
const TIME_LIMIT_MS = 5 * 60_000;

export async function runAll(benchmarks: Benchmark[] = BENCHMARKS): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const benchmark of benchmarks) {
    try {
      results.push(...[await benchmark.run()].flat());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      console.error(`${benchmark.name}: ${message}`);
      results.push({ name: benchmark.name, metric: '-', value: 0, baseline: 0, ratio: 0, goal: 0, passed: false, problems: [message], details: {} });
    }
    console.log();
  }
  return results;
}

const num = (n: number) => (Math.abs(n) < 100 ? n.toFixed(2) : n.toFixed(0));

function printSummary(results: BenchResult[]): void {
  const rows = [
    ['benchmark', 'metric', 'value', 'baseline', 'ratio', 'goal', 'result'],
    ...results.map((r) => [r.name, r.metric, num(r.value), num(r.baseline), r.ratio.toFixed(2), r.goalLabel ?? `≥ ${r.goal}`, r.passed ? 'PASS' : 'FAIL']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${TIME_LIMIT_MS / 1000} s`);
    process.exit(1);
  }, TIME_LIMIT_MS);
  watchdog.unref();
  // `npm run bench -- press` runs only the benchmarks whose names contain one of the words given.
  const words = process.argv.slice(2);
  const chosen = words.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => words.some((w) => b.name.includes(w)));
  const results = await runAll(chosen);
  printSummary(results);
  process.exitCode = results.every((r) => r.passed) ? 0 : 1;
}
