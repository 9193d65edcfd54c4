/**
 * Press-to-receiver overhead: 200 presses of a webhook action through the trigger API (session,
 * atomic state change, signed webhook, recorded attempt), against a direct POST of the same body from
 * this process to the same receiver, alternated so both see the same machine noise. Reported, not gated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_OWNER, type Benchmark, type BenchResult, HOST, seedOwner, signIn, startServer } from './support.ts';

const PRESSES = 200;
const WARMUP = 20;

interface Percentiles {
  p50: number;
  p99: number;
}

export interface PressResult extends BenchResult {
  details: { presses: number; trigger: Percentiles; direct: Percentiles; p99Ratio: number };
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

/** One POST on a fresh connection, as the server's webhook sender makes it. */
function directPost(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export async function runPress(): Promise<PressResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-press-'));
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, HOST, resolve));
  const receiverUrl = `http://${HOST}:${(receiver.address() as AddressInfo).port}/hook`;
  const key = await seedOwner(dataDir);
  const server = await startServer('server/main.ts', {
    DATA_DIR: dataDir,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    LOG_LEVEL: 'warn',
    DIST_DIR: '/nonexistent',
    PUBLIC_URL: '',
  });
  try {
    const cookie = await signIn(server.url, BENCH_OWNER.email, BENCH_OWNER.password);
    const created = await fetch(`${server.url}/api/v1/log`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ name: 'Bench', actions: [{ url: receiverUrl, buttonText: 'Press', key: 'press', repeat: true, meta: { user: 77 } }] }),
    });
    const { id } = (await created.json()) as { id: string };
    const triggerUrl = `${server.url}/api/events/${id}/actions/press/trigger`;
    const press = async () => {
      const res = await fetch(triggerUrl, { method: 'POST', headers: { cookie, origin: server.url, 'content-type': 'application/json' }, body: '{}' });
      const body = (await res.json()) as { attempt?: { outcome: string } };
      return res.status === 200 && body.attempt?.outcome === 'succeeded';
    };
    // The same size of body the server sends, for the direct baseline.
    const sampleBody = JSON.stringify({ event: { id, name: 'Bench', key: 'press', meta: { user: 77 } }, action: { key: 'press', attempt: 1 }, pressedBy: { email: BENCH_OWNER.email }, pressedAt: new Date().toISOString() });

    for (let i = 0; i < WARMUP; i++) {
      await press();
      await directPost(receiverUrl, sampleBody);
    }
    const trigger: number[] = [];
    const direct: number[] = [];
    let failures = 0;
    for (let i = 0; i < PRESSES; i++) {
      const p = await timed(press);
      trigger.push(p.ms);
      if (!p.value) failures++;
      const d = await timed(() => directPost(receiverUrl, sampleBody));
      direct.push(d.ms);
      if (d.value !== 200) failures++;
    }
    const t = percentiles(trigger);
    const d = percentiles(direct);
    const problems = failures > 0 ? [`${failures} presses or direct POSTs did not succeed`] : [];
    return {
      name: 'press overhead',
      metric: 'p50 ms',
      value: t.p50,
      baseline: d.p50,
      ratio: t.p50 / d.p50,
      goal: 0,
      goalLabel: 'report',
      passed: problems.length === 0,
      problems,
      details: { presses: PRESSES, trigger: t, direct: d, p99Ratio: t.p99 / d.p99 },
    };
  } finally {
    await server.stop();
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const pressBenchmark: Benchmark = {
  name: 'press overhead',
  method:
    `${PRESSES} presses of a webhook action through POST /api/events/:id/actions/:key/trigger (after ${WARMUP} warm-up), each followed by a ` +
    'direct POST of a same-size body from the bench process to the same local receiver on a fresh connection.',
  async run() {
    console.log(`press overhead: ${PRESSES} presses through the trigger API vs direct POSTs to the same receiver`);
    const r = await runPress();
    const f = (n: number) => n.toFixed(2);
    console.log(`  trigger API   p50 ${f(r.details.trigger.p50)} ms   p99 ${f(r.details.trigger.p99)} ms`);
    console.log(`  direct POST   p50 ${f(r.details.direct.p50)} ms   p99 ${f(r.details.direct.p99)} ms`);
    console.log(`  ratio p50 ${f(r.ratio)}   p99 ${f(r.details.p99Ratio)}`);
    for (const problem of r.problems) console.log(`  problem: ${problem}`);
    return r;
  },
};
