/** The summary table (console and BENCHMARKS.md) and the BENCHMARKS.md writer of a full run. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { type Benchmark, type BenchResult, ROOT } from './support.ts';

/** One benchmark's run: what it returned and how long it took. */
export interface RunGroup {
  benchmark: Benchmark;
  results: BenchResult[];
  seconds: number;
}

const HEADER = ['benchmark', 'metric', 'value', 'baseline', 'ratio', 'goal', 'result'];
const num = (n: number) => (!Number.isFinite(n) ? String(n) : Math.abs(n) < 100 ? n.toFixed(2) : n.toFixed(0));

export function summaryRows(results: BenchResult[]): string[][] {
  return results.map((r) => [r.name, r.metric, num(r.value), num(r.baseline), r.ratio.toFixed(2), r.goalLabel ?? `≥ ${r.goal}`, r.passed ? 'PASS' : 'FAIL']);
}

export function printSummary(results: BenchResult[]): void {
  const rows = [HEADER, ...summaryRows(results)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
}

function safe(fn: () => string): string {
  try {
    return fn().trim();
  } catch {
    return 'unknown';
  }
}

export function machine(): Record<string, string> {
  const cpuList = cpus();
  const distro = safe(() => /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '');
  return {
    os: `${distro || type()} (${type()} ${release()})`,
    cpu: cpuList[0]?.model ?? 'unknown',
    cores: String(cpuList.length),
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    chromium: safe(() => execFileSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'ignore'] })),
  };
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function renderReport(groups: RunGroup[], when: Date, info: Record<string, string>): string {
  const results = groups.flatMap((g) => g.results);
  const passed = results.filter((r) => r.passed).length;
  const total = groups.reduce((s, g) => s + g.seconds, 0);
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (the full run) on ${when.toISOString().replace(/\.\d+Z$/, 'Z')}; the run took ${Math.round(total)} s. ` +
      'Each figure has a baseline measured in the same run on the same machine, and the ratio between them: absolute numbers ' +
      'from different machines are not comparable, ratios roughly are. See the README\'s Benchmarks section for how to run them.',
    '',
    '## Machine',
    '',
    ...Object.entries(info).map(([k, v]) => `- **${k}**: ${v}`),
    '',
    `## Results (${passed} of ${results.length} pass)`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join(' | ')} |`,
    ...summaryRows(results).map((row) => `| ${row.map(cell).join(' | ')} |`),
    '',
  ];
  const problems = results.flatMap((r) => r.problems.map((p) => `${r.name}: ${p}`));
  if (problems.length > 0) lines.push('### Problems', '', ...[...new Set(problems)].map((p) => `- ${p}`), '');
  lines.push('## Method', '');
  for (const g of groups) {
    const notes = g.results.map((r) => r.details.note).filter((n): n is string => typeof n === 'string');
    const text = [g.benchmark.method ?? '', ...notes].filter((t) => t !== '').join(' ');
    lines.push(`- **${g.benchmark.name}** (${g.seconds.toFixed(0)} s): ${text}`);
  }
  lines.push(
    '',
    'value and baseline are in the metric\'s unit; ratio = value / baseline. A goal of "report" means the figure is recorded, not ' +
      'judged; a row fails when its goal is missed or the run hit a problem (errors, non-2xx answers, missing messages).',
    '',
  );
  return lines.join('\n');
}

export function writeReport(groups: RunGroup[]): string {
  const file = join(ROOT, 'BENCHMARKS.md');
  writeFileSync(file, renderReport(groups, new Date(), machine()));
  return file;
}
