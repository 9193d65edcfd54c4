/**
 * §13 against the real sender: Debian's Prometheus Alertmanager fires "DiskFull" into an
 * integration URL of a server listening on 127.0.0.1, then resolves it. One card, resolved by the
 * alert clearing, with the links back to Prometheus and to a silence. And its PagerDuty receiver,
 * pointed at this server's /v2/enqueue: a PagerDuty-speaking tool with only its URL changed.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDto, FeedPage } from '../contract/api.ts';
import type { CreatedIntegration } from '../contract/integrations.ts';
import { ALERTMANAGER, type Alertmanager, startAlertmanager } from './fixtures/alertmanager.ts';
import { listenOnLoopback, makeApp, OWN_ORIGIN, type TestApp } from './helpers.ts';

let t: TestApp;
let am: Alertmanager | undefined;
let pd: Alertmanager | undefined;
let cookie: string;

beforeAll(async () => {
  if (!existsSync(ALERTMANAGER)) throw new Error(`this test needs Prometheus Alertmanager at ${ALERTMANAGER}: run scripts/ensure-alertmanager.sh (npm test does)`);
  t = await makeApp();
  const base = await listenOnLoopback(t.app);
  cookie = await t.signIn();
  const made = await t.app.inject({
    method: 'POST',
    url: '/api/projects/default/integrations',
    headers: { cookie, origin: OWN_ORIGIN, 'content-type': 'application/json' },
    payload: JSON.stringify({ source: 'alertmanager' }),
  });
  expect(made.statusCode).toBe(201);
  const path = new URL(made.json<CreatedIntegration>().url).pathname;
  am = await startAlertmanager({ webhook: `${base}${path}` });
  // A second one speaks PagerDuty's Events API v2: only its URL changed, the routing key is a Switchboard key.
  pd = await startAlertmanager({ pagerduty: { url: `${base}/v2/enqueue`, routingKey: await t.apiKey('alertmanager via PagerDuty') } });
}, 40_000);

afterAll(async () => {
  await am?.stop();
  await pd?.stop();
  await t?.cleanup();
});

async function events(): Promise<EventDto[]> {
  const res = await t.app.inject({ method: 'GET', url: '/api/projects/default/events', headers: { cookie } });
  return res.json<FeedPage>().events;
}

/** Polls the feed until `done` holds (Alertmanager sends on its own schedule), or fails with its log. */
async function waitFor(what: string, done: (list: EventDto[]) => boolean, category = 'alertmanager', sender = am): Promise<EventDto[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const list = (await events()).filter((e) => e.category === category);
    if (done(list)) return list;
    if (Date.now() > deadline) throw new Error(`Alertmanager never ${what}; feed: ${JSON.stringify(list.map((e) => [e.name, e.state]))}\n${sender!.log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ALERT = {
  labels: { alertname: 'DiskFull', instance: 'db-1:9100', job: 'node', severity: 'critical' },
  annotations: { summary: 'Disk / on db-1 is 97% full', description: 'Only 3% left on /.' },
  generatorURL: 'http://prometheus.example.com/graph?g0.expr=node_filesystem_avail_bytes%3C0.05',
};

describe('Prometheus Alertmanager → an integration URL', () => {
  it('fires DiskFull as one card, and resolves that card when the alert clears', async () => {
    await am!.post([{ ...ALERT, startsAt: new Date().toISOString() }]);
    const [fired] = await waitFor('delivered the firing alert', (list) => list.length > 0);
    expect(fired!.name).toContain('DiskFull');
    expect(fired).toMatchObject({ category: 'alertmanager', state: 'open', urgent: true, notify: true });
    const links = Object.fromEntries(fired!.actions.map((a) => [a.buttonText, a.url]));
    expect(Object.values(links)).toContain(ALERT.generatorURL);
    const silence = Object.values(links).find((u) => u.includes('/#/silences/new'));
    expect(silence).toBeDefined();
    expect(silence!.startsWith(am!.url)).toBe(true);
    expect(decodeURIComponent(silence!)).toContain('alertname="DiskFull"');

    // Cleared: Prometheus sends the alert again with its end in the past.
    await am!.post([{ ...ALERT, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date().toISOString() }]);
    const after = await waitFor('delivered the resolved alert', (list) => list.some((e) => e.state === 'resolved'));
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: fired!.id, state: 'resolved' });
  });
});

describe("Prometheus Alertmanager's PagerDuty receiver → /v2/enqueue", () => {
  it('triggers an event by its dedup_key and resolves it, with nothing changed but the URL', async () => {
    const alert = { ...ALERT, labels: { ...ALERT.labels, alertname: 'HighLatency', severity: 'warning' } };
    await pd!.post([{ ...alert, startsAt: new Date().toISOString() }]);
    const [fired] = await waitFor('triggered through the Events API', (list) => list.length > 0, 'pagerduty', pd);
    expect(fired!.name).toContain('HighLatency');
    expect(fired).toMatchObject({ state: 'open', urgent: false });
    await pd!.post([{ ...alert, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date().toISOString() }]);
    const after = await waitFor('resolved through the Events API', (list) => list.some((e) => e.state === 'resolved'), 'pagerduty', pd);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: fired!.id, state: 'resolved' });
  });
});
