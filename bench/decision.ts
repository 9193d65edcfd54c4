/**
 * Decision latency (§11): how soon a script's long poll (`GET /api/v1/events/:id/decision?wait=60`)
 * returns after a person answers, against how soon the same answer reaches an open live stream (the
 * baseline: what the PWA sees), both timed in this process from the moment the press is sent, in the
 * same run. 200 questions, one at a time, on one server process (SQLite). Goal: the poll's p99 stays
 * within a second of the press (the "returns within a second").
 */
import { sseStamps } from './liveProbes.ts';
import { BENCH_OWNER, type Benchmark, type BenchResult, makeTempDir, percentiles, type Percentiles, removeTempDir, seedOwner, signIn, sleep, startServer } from './support.ts';

const QUESTIONS = Number(process.env.BENCH_DECISIONS ?? 200);
const WARMUP = 10;
const P99_GOAL_MS = 1_000;
const clock = () => performance.now();

interface DecisionResult extends BenchResult {
  details: { questions: number; poll: Percentiles; stream: Percentiles; p99Ratio: number };
}

/** Stamps, per event id, when the live stream first carried it decided. */
const decidedArrivals = (url: string, cookie: string, signal: AbortSignal) =>
  sseStamps(`${url}/api/stream`, cookie, (entry) => (entry.event?.decision && entry.event.id ? entry.event.id : null), clock, signal);

export async function runDecisions(): Promise<DecisionResult> {
  const dataDir = makeTempDir('switchboard-bench-decision-');
  const key = await seedOwner(dataDir);
  const server = await startServer('server/main.ts', { DATA_DIR: dataDir, LOG_LEVEL: 'warn', DIST_DIR: '/nonexistent', PUBLIC_URL: '' });
  const stop = new AbortController();
  try {
    const cookie = await signIn(server.url, BENCH_OWNER.email, BENCH_OWNER.password);
    const arrivals = await decidedArrivals(server.url, cookie, stop.signal);
    const poll: number[] = [];
    const stream: number[] = [];
    const problems: string[] = [];
    for (let i = 0; i < WARMUP + QUESTIONS; i++) {
      const asked = await fetch(`${server.url}/api/v1/log`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ name: `Deploy ${i}?`, actions: [{ key: 'ship', buttonText: 'Ship it', reply: true }, { key: 'hold', buttonText: 'Hold', reply: true }] }),
      });
      const { id } = (await asked.json()) as { id: string };
      let returned = 0;
      const waiting = fetch(`${server.url}/api/v1/events/${id}/decision?wait=60`, { headers: { authorization: `Bearer ${key}` } }).then(async (r) => {
        returned = clock();
        return (await r.json()) as { status: string };
      });
      // Let the poll reach the server and wait there (a poll that came after the answer would return at once).
      await sleep(20);
      const pressedAt = clock();
      const pressed = await fetch(`${server.url}/api/events/${id}/actions/ship/trigger`, { method: 'POST', headers: { cookie, origin: server.url, 'content-type': 'application/json' }, body: '{}' });
      if (pressed.status !== 200) problems.push(`press ${i} answered ${pressed.status}`);
      const answer = await waiting;
      if (answer.status !== 'decided') problems.push(`poll ${i} answered ${answer.status}`);
      const deadline = clock() + 5_000;
      while (!arrivals.has(id) && clock() < deadline) await sleep(1);
      if (!arrivals.has(id)) problems.push(`the stream never carried ${i}'s answer`);
      if (i < WARMUP) continue;
      poll.push(returned - pressedAt);
      stream.push((arrivals.get(id) ?? Number.NaN) - pressedAt);
    }
    const p = percentiles(poll);
    const s = percentiles(stream);
    return {
      name: 'decision long poll',
      metric: 'p99 ms',
      value: p.p99,
      baseline: s.p99,
      ratio: p.p99 / s.p99,
      goal: 0,
      goalLabel: `p99 ≤ ${P99_GOAL_MS} ms`,
      passed: problems.length === 0 && p.p99 <= P99_GOAL_MS,
      problems: problems.slice(0, 5),
      details: { questions: QUESTIONS, poll: p, stream: s, p99Ratio: p.p99 / s.p99 },
    };
  } finally {
    stop.abort();
    await server.stop();
    removeTempDir(dataDir);
  }
}

export const decisionBenchmark: Benchmark = {
  name: 'decision long poll',
  method:
    `${QUESTIONS} questions (after ${WARMUP} warm-up), one at a time: a long poll waits on each, then its reply action is pressed; ` +
    'the time from sending the press to the poll returning, against the time to the same answer arriving on an open live stream (same run, same clock).',
  async run() {
    console.log(`decision long poll: ${QUESTIONS} answers, long poll vs live stream`);
    const r = await runDecisions();
    const f = (n: number) => n.toFixed(2);
    console.log(`  long poll     p50 ${f(r.details.poll.p50)} ms   p99 ${f(r.details.poll.p99)} ms`);
    console.log(`  live stream   p50 ${f(r.details.stream.p50)} ms   p99 ${f(r.details.stream.p99)} ms`);
    console.log(`  ratio p99 ${f(r.ratio)}`);
    for (const problem of r.problems) console.log(`  problem: ${problem}`);
    return r;
  },
};
