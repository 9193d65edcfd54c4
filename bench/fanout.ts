/**
 * Push fan-out: one `notify: true` event to 1,000 subscribed devices, from the ingest POST until the
 * last push has arrived at a local push service that decrypts each one (test/fixtures/pushEndpoint.ts)
 * and checks its VAPID JWT. Baseline, same run: this process POSTs 1,000 bodies of the same size,
 * encrypted beforehand, to the same devices' endpoints with the worker's concurrency (8).
 * Goal: all 1,000 arrive, decrypted and signed correctly, within 10 s.
 */
import webPush from 'web-push';
import { type FakeSubscription, type PushEndpoint, type ReceivedPush, startPushEndpoint } from '../test/fixtures/pushEndpoint.ts';
import { BENCH_OWNER, type Benchmark, type BenchResult, makeTempDir, profileArgs, removeTempDir, seedOwner, signIn, sleep, startServer } from './support.ts';

const DEVICES = 1_000;
const CONCURRENCY = 8;
const GOAL_SECONDS = 10;
const ROUND_TIMEOUT_MS = 60_000;

interface Round {
  seconds: number;
  arrived: number;
  ok: number;
}

const isOk = (r: ReceivedPush) => r.decryptError === null && r.vapid.problem === null && r.answered === 201;

function summarize(pushes: ReceivedPush[], startedAt: number): Round {
  const last = pushes.reduce((max, r) => Math.max(max, r.at), startedAt);
  return { seconds: (last - startedAt) / 1000, arrived: pushes.length, ok: pushes.filter(isOk).length };
}

/** Runs `task(i)` for i < count with `concurrency` at once. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Ingests one notify event and waits (bounded) for its push on every device. */
async function fanOut(url: string, key: string, endpoint: PushEndpoint, label: string): Promise<{ round: Round; id: string }> {
  const startedAt = Date.now();
  const res = await fetch(`${url}/api/v1/log`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ name: `Fan-out ${label}`, avatar: '📣', category: 'bench', notify: true, content: 'One event, every device.' }),
  });
  if (res.status !== 201) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const mine = () => endpoint.received.filter((r) => (r.payload as { id?: string } | null)?.id === id);
  const deadline = Date.now() + ROUND_TIMEOUT_MS;
  while (mine().length < DEVICES && Date.now() < deadline) await sleep(5);
  return { round: summarize(mine(), startedAt), id };
}

/** The baseline: pre-encrypted bodies POSTed straight to the devices' endpoints, 8 at a time. */
async function direct(endpoint: PushEndpoint, requests: { url: string; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> }[]): Promise<Round> {
  const from = endpoint.received.length;
  const startedAt = Date.now();
  await pool(requests.length, CONCURRENCY, async (i) => {
    const r = requests[i]!;
    const res = await fetch(r.url, { method: 'POST', headers: r.headers, body: r.body, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    await res.text();
  });
  return summarize(endpoint.received.slice(from), startedAt);
}

function prebuild(subs: FakeSubscription[], payload: string) {
  const vapidDetails = { subject: 'mailto:bench@example.com', ...webPush.generateVAPIDKeys() };
  return subs.map((sub) => {
    const details = webPush.generateRequestDetails({ endpoint: sub.endpoint, keys: sub.keys }, payload, { vapidDetails, TTL: 86_400, urgency: 'high' });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(details.headers)) if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
    return { url: details.endpoint, headers, body: new Uint8Array(details.body ?? Buffer.alloc(0)) };
  });
}

export interface FanoutDetails {
  devices: number;
  cold: Round;
  fanout: Round;
  direct: Round;
  payloadBytes: number;
}

export async function runFanout(): Promise<BenchResult> {
  const dataDir = makeTempDir('switchboard-bench-fanout-');
  const endpoint = await startPushEndpoint();
  try {
    const key = await seedOwner(dataDir);
    const server = await startServer('server/main.ts', {
      DATA_DIR: dataDir,
      PUSH_ENDPOINT_HOSTS: endpoint.host,
      INGEST_RATE_LIMIT: '0',
      LOG_LEVEL: 'warn',
      DIST_DIR: '/nonexistent',
      PUBLIC_URL: '',
    }, profileArgs());
    try {
      const cookie = await signIn(server.url, BENCH_OWNER.email, BENCH_OWNER.password);
      const subs = Array.from({ length: DEVICES }, () => endpoint.subscription());
      let refused = 0;
      await pool(DEVICES, CONCURRENCY, async (i) => {
        const sub = subs[i]!;
        const res = await fetch(`${server.url}/api/push/subscriptions`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', cookie, origin: server.url },
          body: JSON.stringify({ endpoint: sub.endpoint, keys: sub.keys, deviceName: `bench device ${i}` }),
        });
        if (res.status !== 200) refused++;
        await res.text();
      });
      if (refused > 0) throw new Error(`${refused} of ${DEVICES} subscriptions were refused`);

      const cold = (await fanOut(server.url, key, endpoint, 'warm-up')).round;
      const { round: fanout, id } = await fanOut(server.url, key, endpoint, 'measured');
      const sample = endpoint.received.find((r) => (r.payload as { id?: string } | null)?.id === id);
      const payload = JSON.stringify(sample?.payload ?? {});
      const requests = prebuild(subs, payload);
      await direct(endpoint, requests); // warm-up
      const baseline = await direct(endpoint, requests);

      const problems: string[] = [];
      for (const [label, r] of [['fan-out', fanout], ['direct', baseline]] as const) {
        if (r.arrived < DEVICES) problems.push(`${label}: ${r.arrived} of ${DEVICES} pushes arrived`);
        if (r.ok < r.arrived) problems.push(`${label}: ${r.arrived - r.ok} pushes failed to decrypt or verify`);
      }
      const details: FanoutDetails = { devices: DEVICES, cold, fanout, direct: baseline, payloadBytes: Buffer.byteLength(payload) };
      return {
        name: 'fanout',
        metric: `s to ${DEVICES}`,
        value: fanout.seconds,
        baseline: baseline.seconds,
        ratio: fanout.seconds / baseline.seconds,
        goal: GOAL_SECONDS,
        goalLabel: `≤ ${GOAL_SECONDS} s`,
        passed: problems.length === 0 && fanout.seconds <= GOAL_SECONDS,
        problems,
        details: { ...details, note: `This run: warm-up round ${cold.seconds.toFixed(2)} s; payload ${details.payloadBytes} bytes before encryption.` },
      };
    } finally {
      await server.stop();
    }
  } finally {
    await endpoint.close();
    removeTempDir(dataDir);
  }
}

export const fanoutBenchmark: Benchmark = {
  name: 'fanout',
  method:
    `${DEVICES} subscriptions registered through PUT /api/push/subscriptions (keys made by the local push service in test/fixtures/pushEndpoint.ts, ` +
    'PUSH_ENDPOINT_HOSTS set to it); one notify event is ingested as a warm-up, then the measured one: time from the ingest POST to the last ' +
    `push's arrival (decrypted with http_ece, VAPID verified). Baseline: the same payload, encrypted for each device before the clock starts, ` +
    `POSTed by the bench process with fetch, ${CONCURRENCY} at a time (the worker's concurrency), after a warm-up round.`,
  async run() {
    console.log(`push fan-out: one notify event to ${DEVICES} local subscriptions vs ${DEVICES} direct POSTs (concurrency ${CONCURRENCY})`);
    const r = await runFanout();
    const d = r.details as unknown as FanoutDetails;
    const line = (label: string, x: Round) =>
      console.log(`  ${label.padEnd(20)} ${x.seconds.toFixed(2)} s  (${(x.arrived / x.seconds).toFixed(0)}/s, ${x.ok}/${x.arrived} decrypted and verified)`);
    line('fan-out (warm-up)', d.cold);
    line('fan-out', d.fanout);
    line('direct POSTs', d.direct);
    console.log(`  payload ${d.payloadBytes} bytes; ratio ${r.ratio.toFixed(2)}; goal ≤ ${GOAL_SECONDS} s ${r.passed ? 'PASS' : 'FAIL'}`);
    for (const problem of r.problems) console.log(`  problem: ${problem}`);
    return r;
  },
};
