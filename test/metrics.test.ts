/**
 * GET /metrics (CONTRACT §9): only with the Bearer METRICS_TOKEN (no token configured: no route),
 * the counters follow what really happened (ingest outcomes, presses against a real receiver, the
 * push queue in the store), and no label ever carries what a client sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type ActionsApp, actionsApp, RECEIVER_ENV, startReceiver, stopReceivers } from './actions-helpers.ts';
import { ingest, makeApp, OWNER_EMAIL } from './helpers.ts';

const TOKEN = 'metrics-token-0123456789';
const NOW = Date.parse('2026-12-04T12:00:00Z');
let t: ActionsApp | null = null;

afterEach(async () => {
  await t?.cleanup();
  t = null;
  await stopReceivers();
});

const scrape = async (app: ActionsApp['app'], authorization = `Bearer ${TOKEN}`) =>
  app.inject({ method: 'GET', url: '/metrics', headers: { authorization } });

/** The value of one series in the text format, e.g. `switchboard_presses_total{outcome="refused"}`. */
function value(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('does not exist without METRICS_TOKEN, and wants exactly that token', async () => {
    const bare = await makeApp();
    try {
      const res = await bare.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    } finally {
      await bare.cleanup();
    }
    t = await actionsApp({ env: { ...RECEIVER_ENV, METRICS_TOKEN: TOKEN } });
    for (const authorization of ['', `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, `Bearer  ${TOKEN}`]) {
      const res = await scrape(t.app, authorization);
      expect(res.statusCode, authorization).toBe(401);
      expect(res.body).not.toContain('switchboard_');
    }
    // A session is not enough either: a scraper's token is its own thing.
    const withCookie = await t.app.inject({ method: 'GET', url: '/metrics', headers: { cookie: t.cookie } });
    expect(withCookie.statusCode).toBe(401);
    const ok = await scrape(t.app);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.body).toContain('process_cpu_user_seconds_total');
    expect(ok.body).toContain('nodejs_heap_size_used_bytes');
  });

  it('counts ingests by project and outcome, presses by outcome with webhook latency, and the push queue', async () => {
    t = await actionsApp({ env: { ...RECEIVER_ENV, METRICS_TOKEN: TOKEN }, now: () => NOW });
    const receiver = await startReceiver();
    const id = await t.sendAction(receiver.url);
    await t.send({ name: 'plain' });
    expect((await ingest(t.app, t.key, { name: 'once' }, { 'idempotency-key': 'k1' })).statusCode).toBe(201);
    expect((await ingest(t.app, t.key, { name: 'once' }, { 'idempotency-key': 'k1' })).statusCode).toBe(201);
    expect((await ingest(t.app, t.key, { name: '' })).statusCode).toBe(400);
    expect((await ingest(t.app, 'sk_wrong', { name: 'x' })).statusCode).toBe(401);
    expect((await t.press(id)).statusCode).toBe(200);
    expect((await t.press(id)).statusCode).toBe(409); // already done: refused
    const owner = await t.store.users.byEmail(OWNER_EMAIL);
    await t.store.push.enqueueTest(owner!.id, NOW - 90_000);

    const text = (await scrape(t.app)).body;
    expect(value(text, 'switchboard_events_ingested_total{project="default",outcome="accepted"}')).toBe(3);
    expect(value(text, 'switchboard_events_ingested_total{project="default",outcome="replayed"}')).toBe(1);
    expect(value(text, 'switchboard_events_ingested_total{project="default",outcome="rejected"}')).toBe(1);
    expect(value(text, 'switchboard_events_ingested_total{project="none",outcome="unauthorized"}')).toBe(1);
    expect(value(text, 'switchboard_ingest_duration_seconds_count')).toBe(6);
    expect(value(text, 'switchboard_presses_total{outcome="succeeded"}')).toBe(1);
    expect(value(text, 'switchboard_presses_total{outcome="refused"}')).toBe(1);
    expect(value(text, 'switchboard_webhook_duration_seconds_count{outcome="succeeded"}')).toBe(1);
    expect(value(text, 'switchboard_push_queued')).toBe(1);
    expect(value(text, 'switchboard_push_oldest_queued_age_seconds')).toBe(90);
    expect(value(text, 'switchboard_live_streams')).toBe(0);
  });

  it('keeps its labels bounded: a flood of distinct names and users adds no series', async () => {
    const app = await actionsApp({ env: { ...RECEIVER_ENV, METRICS_TOKEN: TOKEN } });
    t = app;
    await app.send({ name: 'warm-up' });
    const series = (text: string) => text.split('\n').filter((l) => l.startsWith('switchboard_')).length;
    // An ingest is counted once its answer has gone (onResponse), which may be after the answer arrived here.
    const counted = async (n: number) => {
      for (let i = 0; i < 200; i++) {
        const text = (await scrape(app.app)).body;
        if (value(text, 'switchboard_events_ingested_total{project="default",outcome="accepted"}') === n) return text;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`${n} ingests were never counted`);
    };
    const before = series(await counted(1));
    for (let i = 0; i < 40; i++) await app.send({ name: `flood-name-${i}`, userId: `flood-user-${i}`, category: `flood-cat-${i}` });
    const after = await counted(41);
    expect(series(after)).toBe(before);
    expect(after).not.toContain('flood-');
  });
});
