/**
 * CONTRACT §13: each source's deliveries become ingest-format events. The fixtures under
 * test/fixtures/integrations/<source>/ follow the payloads the sources document; every event a mapping
 * gives must pass the same parser as an event sent to POST /api/v1/log, whatever the body holds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type NormalizedEvent, parseIngestBody } from '../contract/ingest.ts';
import { type IntegrationSource, SOURCE_INFO } from '../contract/integrations.ts';
import { LIMITS } from '../contract/limits.ts';
import { utf8Bytes } from '../contract/text.ts';
import { dedupKey, MAX_EVENTS } from '../server/integrations/sources/common.ts';
import { MAPPERS, mapDelivery } from '../server/integrations/sources/index.ts';
import { money } from '../server/integrations/sources/stripe.ts';
import { unknownEvent } from '../server/integrations/sources/unknown.ts';
import type { HookDelivery, Mapper, MappedEvent } from '../server/integrations/types.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/integrations');
type Mapped = Exclude<IntegrationSource, 'pagerduty'>;
const SOURCES = Object.keys(MAPPERS) as Mapped[];

/** The header each source names its event with, read from the fixture's file name ("pull_request.opened"). */
function headersFor(source: IntegrationSource, file: string): Record<string, string> {
  const kind = file.split('.')[0]!;
  if (source === 'github') return { 'x-github-event': kind };
  if (source === 'sentry' && !kind.startsWith('legacy')) return { 'sentry-hook-resource': kind };
  return {};
}

function rawOf(body: unknown): string {
  try {
    return typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
  } catch {
    return '(not serialisable)';
  }
}

function delivery(source: IntegrationSource, body: unknown, headers: Record<string, string> = {}): HookDelivery {
  return { source, body, rawBody: rawOf(body), headers };
}

function fixture(source: Mapped, file: string): HookDelivery {
  const raw = readFileSync(join(FIXTURES, source, `${file}.json`), 'utf8');
  return { source, body: JSON.parse(raw), rawBody: raw, headers: headersFor(source, `${file}.json`) };
}

/** Parses every event as POST /api/v1/log would, failing the test with the parser's reason. */
function parsed(events: MappedEvent[]): NormalizedEvent[] {
  return events.map((e) => {
    const result = parseIngestBody(e);
    if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problem)} in ${JSON.stringify(e).slice(0, 500)}`);
    return result.event;
  });
}

function one(source: Mapped, file: string): NormalizedEvent {
  const events = parsed(MAPPERS[source](fixture(source, file)));
  expect(events).toHaveLength(1);
  return events[0]!;
}

const urls = (e: NormalizedEvent) => Object.fromEntries(e.actions.map((a) => [a.buttonText, a.url]));
const row = (e: NormalizedEvent, label: string) => (e.content as { label: string; content: unknown }[]).find((r) => r.label === label)?.content;

describe('every fixture', () => {
  const cases = SOURCES.flatMap((source) =>
    readdirSync(join(FIXTURES, source)).map((file) => [source, file.replace(/\.json$/, '')] as const),
  );
  it('has fixtures for every source', () => {
    expect(new Set(cases.map(([s]) => s))).toEqual(new Set(SOURCES));
  });
  it.each(cases)('%s %s maps to valid events of its own (not the fallback)', (source, file) => {
    const events = parsed(MAPPERS[source](fixture(source, file)));
    expect(events.length).toBeGreaterThan(0);
    expect(parsed(mapDelivery(fixture(source, file)))).toEqual(events);
    for (const e of events) {
      expect(e.name).not.toBe(`${SOURCE_INFO[source].label} delivery`);
      expect(e.category).toBe(source);
      expect(e.type).toBe('rows');
      expect(e.avatar).toBeTruthy();
      expect(e.actions.every((a) => a.external && /^https?:\/\//.test(a.url))).toBe(true);
    }
  });
});

describe('alertmanager', () => {
  const [firing, resolved] = parsed(MAPPERS.alertmanager(fixture('alertmanager', 'firing-and-resolved')));
  it('gives one event per alert, named from alertname, instance and summary', () => {
    expect(firing!.name).toBe('DiskFull on db-1: Disk 97% full');
    expect(resolved!.name).toBe('DiskFull on db-2: Disk 91% full');
  });
  it('keys each alert by its group and fingerprint, and resolves the resolved one', () => {
    expect(firing!.dedupKey).toBe('alertmanager:{}/{severity=~"critical|warning"}:{alertname="DiskFull"}:1a30ba71cca2921f');
    expect([firing!.state, firing!.notify, firing!.urgent]).toEqual(['open', true, true]);
    expect([resolved!.state, resolved!.notify, resolved!.urgent, resolved!.avatar]).toEqual(['resolved', false, false, '✅']);
  });
  it('links to Prometheus, a prefilled silence and the runbook', () => {
    expect(urls(firing!)).toEqual({
      'Open in Prometheus': 'http://prometheus.example.com:9090/graph?g0.expr=node_filesystem_avail_bytes+%3C+0.05&g0.tab=1',
      Silence: `http://alertmanager.example.com:9093/#/silences/new?filter=${encodeURIComponent(
        '{alertname="DiskFull",instance="db-1",job="node",mountpoint="/var/lib/postgresql",severity="critical"}',
      )}`,
      Runbook: 'https://runbooks.example.com/disk-full',
    });
  });
  it('shows labels as JSON and leaves out the zero end time', () => {
    expect(row(firing!, 'Labels')).toEqual({ alertname: 'DiskFull', instance: 'db-1', job: 'node', mountpoint: '/var/lib/postgresql', severity: 'critical' });
    expect(row(firing!, 'Ended')).toBeUndefined();
    expect(row(resolved!, 'Ended')).toBe('2024-05-02T08:10:03.123Z');
  });
});

describe('grafana', () => {
  const [memory, cpu] = parsed(MAPPERS.grafana(fixture('grafana', 'firing')));
  it('maps each alert with Grafana’s own links, skipping the empty ones', () => {
    expect(memory!.name).toBe('High memory usage: This alert was triggered for zone us-1');
    expect(urls(memory!)).toMatchObject({
      'Open dashboard': 'https://play.grafana.org/d/abc123',
      'Open panel': 'https://play.grafana.org/d/abc123?viewPanel=2',
      Silence: 'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1',
    });
    expect(Object.keys(urls(cpu!))).toEqual(['Open alert rule', 'Silence']);
    expect(row(memory!, 'Values')).toEqual({ B: 44.23943737541908, C: 1 });
  });
  it('pages for the critical firing alert and resolves the resolved one', () => {
    expect([memory!.dedupKey, memory!.notify, memory!.urgent]).toEqual(['grafana:{}:{}:c6eadffa33fcdf37', true, true]);
    expect([cpu!.dedupKey, cpu!.state, cpu!.notify]).toEqual(['grafana:{}:{}:bc97ff14869b13e3', 'resolved', false]);
  });
  it('reads the legacy alerting body', () => {
    const body = { ruleId: 3, ruleName: 'Panel Title alert', state: 'ok', ruleUrl: 'https://grafana.example.com/d/x?panelId=2', message: 'hi' };
    const [e] = parsed(MAPPERS.grafana(delivery('grafana', body)));
    expect([e!.name, e!.dedupKey, e!.state]).toEqual(['Panel Title alert (OK)', 'grafana:rule:3', 'resolved']);
  });
});

describe('github', () => {
  it('keys a pull request by repository and number, and resolves it when merged', () => {
    const opened = one('github', 'pull_request.opened');
    const merged = one('github', 'pull_request.closed-merged');
    expect(opened.name).toBe('PR opened: Retry failed webhooks with backoff (acme/api#42)');
    expect(merged.name).toBe('PR merged: Retry failed webhooks with backoff (acme/api#42)');
    expect([opened.dedupKey, opened.state, opened.notify]).toEqual(['github:pr:acme/api#42', 'open', false]);
    expect([merged.dedupKey, merged.state]).toEqual(['github:pr:acme/api#42', 'resolved']);
    expect(urls(opened)).toEqual({ 'Open pull request': 'https://github.com/acme/api/pull/42' });
    expect(row(opened, 'Branch')).toBe('retry-backoff → main');
  });
  it('pages for a failed run; the next success on the branch resolves it', () => {
    const failed = one('github', 'workflow_run.completed-failure');
    const passed = one('github', 'workflow_run.completed-success');
    expect([failed.name, failed.notify, failed.state]).toEqual(['CI failed on main (acme/api)', true, 'open']);
    expect([passed.name, passed.notify, passed.state]).toEqual(['CI passed on main (acme/api)', false, 'resolved']);
    expect(failed.dedupKey).toBe('github:workflow:acme/api:159038:main');
    expect(passed.dedupKey).toBe(failed.dedupKey);
    expect(urls(failed)).toEqual({ 'Open run': 'https://github.com/acme/api/actions/runs/9313841105' });
  });
  it('tells of a release without paging', () => {
    const e = one('github', 'release.published');
    expect([e.name, e.notify]).toEqual(['Release v2.3.0 published (acme/api)', false]);
    expect(urls(e)).toEqual({ 'Open release': 'https://github.com/acme/api/releases/tag/v2.3.0' });
  });
  it('pages for security alerts, one card per alert, resolved when fixed', () => {
    const dependabot = one('github', 'dependabot_alert.created');
    expect(dependabot.name).toBe('Dependabot alert: Prototype Pollution in lodash (acme/api)');
    expect([dependabot.dedupKey, dependabot.notify, dependabot.urgent]).toEqual(['github:dependabot-alert:acme/api#7', true, true]);
    const secret = one('github', 'secret_scanning_alert.created');
    expect([secret.name, secret.notify]).toEqual(['Secret scanning alert: Stripe API Key exposed (acme/api)', true]);
    const fixed = one('github', 'code_scanning_alert.fixed');
    expect([fixed.dedupKey, fixed.state, fixed.notify]).toEqual(['github:code-scanning-alert:acme/api#3', 'resolved', false]);
    expect(row(fixed, 'Location')).toBe('server/db/query.ts:58');
  });
  it('says a ping is GitHub connecting, and summarises any other event', () => {
    const ping = one('github', 'ping');
    expect([ping.name, ping.notify]).toEqual(['GitHub connected: acme/api', false]);
    const push = one('github', 'push');
    expect(push.name).toBe('push to acme/api by octocat');
    expect(urls(push)['Open on GitHub']).toBe('https://github.com/acme/api/compare/6113728f27ae...000000000001');
    const body = { action: 'opened', issue: { title: 'Crash', html_url: 'https://github.com/acme/api/issues/9' }, repository: { full_name: 'acme/api' }, sender: { login: 'ana' } };
    const [issue] = parsed(MAPPERS.github(delivery('github', body, { 'x-github-event': 'issues' })));
    expect(issue!.name).toBe('issues opened in acme/api by ana: Crash');
    expect(urls(issue!)['Open on GitHub']).toBe('https://github.com/acme/api/issues/9');
  });
  it('gives no key to a pull request or alert without a number', () => {
    const pr = { action: 'opened', pull_request: { title: 'T' }, repository: { full_name: 'a/b' } };
    const [e] = parsed(MAPPERS.github(delivery('github', pr, { 'x-github-event': 'pull_request' })));
    expect([e!.name, e!.dedupKey]).toEqual(['PR opened: T (a/b#?)', null]);
    const [alert] = parsed(MAPPERS.github(delivery('github', { action: 'fixed', alert: {} }, { 'x-github-event': 'code_scanning_alert' })));
    expect([alert!.dedupKey, alert!.state]).toEqual([null, 'open']);
  });
  it('falls back to the delivery itself without the event header', () => {
    const [e] = parsed(mapDelivery(delivery('github', { hello: 'world' })));
    expect([e!.name, e!.type, e!.content]).toEqual(['GitHub delivery', 'json', { hello: 'world' }]);
  });
});

describe('stripe', () => {
  it('names a failed payment by its amount and customer, linked to the dashboard (test mode)', () => {
    const e = one('stripe', 'invoice.payment_failed');
    expect([e.name, e.notify, e.dedupKey]).toEqual(['Payment failed: €42.00 — ana@example.com', true, 'stripe:invoice:in_1PZk3cLkdIwHu7ixkJ1nW9sT']);
    expect(urls(e)['Open in Stripe']).toBe('https://dashboard.stripe.com/test/invoices/in_1PZk3cLkdIwHu7ixkJ1nW9sT');
  });
  it('formats zero-decimal currencies and finds the email on the payment method (live mode)', () => {
    const e = one('stripe', 'payment_intent.payment_failed');
    expect(e.name).toBe('Payment failed: ¥129,900 — kenji@example.jp');
    expect(urls(e)['Open in Stripe']).toBe('https://dashboard.stripe.com/payments/pi_3PZm1xLkdIwHu7ix1Gx0LzQk');
    expect(row(e, 'Reason')).toBe('Your card has insufficient funds.');
  });
  it('puts a failed charge on its payment intent’s card', () => {
    const e = one('stripe', 'charge.failed');
    expect([e.name, e.dedupKey]).toEqual(['Payment failed: $19.99 — lee@example.com', 'stripe:payment_intent:pi_3PZm1xLkdIwHu7ix1AbCdEf0']);
    expect(urls(e)['Open in Stripe']).toBe('https://dashboard.stripe.com/test/payments/pi_3PZm1xLkdIwHu7ix1AbCdEf0');
  });
  it('makes a dispute urgent, and its close resolves it', () => {
    const created = one('stripe', 'charge.dispute.created');
    const closed = one('stripe', 'charge.dispute.closed');
    expect([created.name, created.urgent, created.notify]).toEqual(['Dispute opened: €42.00 — fraudulent', true, true]);
    expect([closed.name, closed.state, closed.urgent]).toEqual(['Dispute closed (won): €42.00 — fraudulent', 'resolved', false]);
    expect(closed.dedupKey).toBe(created.dedupKey);
    expect(urls(created)['Open in Stripe']).toBe('https://dashboard.stripe.com/disputes/dp_1PZn5ZLkdIwHu7ixT3c9qWmA');
  });
  it('tells of payouts and subscriptions, paging only for a failed payout', () => {
    const paid = one('stripe', 'payout.paid');
    const failed = one('stripe', 'payout.failed');
    expect([paid.name, paid.notify]).toEqual(['Payout paid: £1,234.56', false]);
    expect([failed.name, failed.notify, row(failed, 'Reason')]).toEqual(['Payout failed: $500.00', true, 'The bank account has been closed.']);
    const sub = one('stripe', 'customer.subscription.created');
    expect([sub.name, sub.notify]).toEqual(['Subscription started: €9.00/month — cus_QKcL4x8f2bZ1aB', false]);
    expect(urls(sub)['Open in Stripe']).toBe('https://dashboard.stripe.com/test/subscriptions/sub_1PZp1bLkdIwHu7ixOp8Qr9St');
  });
  it('summarises other event types', () => {
    const e = one('stripe', 'customer.created');
    expect([e.name, urls(e)['Open in Stripe']]).toEqual(['customer.created: cus_QKdN5y9g3cA2bC', 'https://dashboard.stripe.com/test/customers/cus_QKdN5y9g3cA2bC']);
  });
  it('links only to the dashboard pages it knows', () => {
    const body = { type: 'x.y', livemode: true, data: { object: { object: 'constructor', id: 'abc' } } };
    const [e] = parsed(MAPPERS.stripe(delivery('stripe', body)));
    expect([e!.name, e!.actions]).toEqual(['x.y: abc', []]);
  });
  it('formats money from minor units', () => {
    expect([money(4200, 'eur'), money(500, 'JPY'), money(1, 'usd'), money('12', 'eur'), money(5, undefined)]).toEqual(['€42.00', '¥500', '$0.01', undefined, '5']);
  });
});

describe('sentry', () => {
  it('reads the legacy Webhooks plugin body; fatal is urgent', () => {
    const e = one('sentry', 'legacy-webhooks-plugin');
    expect(e.name).toBe("TypeError: Cannot read properties of undefined (reading 'total') (Web Frontend)");
    expect([e.dedupKey, e.notify, e.urgent]).toEqual(['sentry:issue:4502315744', true, true]);
    expect(urls(e)['Open in Sentry']).toBe('https://acme.sentry.io/issues/4502315744/?referrer=webhooks_plugin');
  });
  it('reads an issue alert of the integration platform, linked to the web page', () => {
    const e = one('sentry', 'event_alert.triggered');
    expect([e.name, e.dedupKey, e.notify, e.urgent]).toEqual(['ReferenceError: blooopy is not defined', 'sentry:issue:1170820242', true, false]);
    expect(urls(e)['Open in Sentry']).toBe('https://sentry.io/organizations/acme/issues/1170820242/events/ec3e5a8e2f9b4c6aa1b2c3d4e5f6a7b8/');
    expect(row(e, 'Alert rule')).toBe('Send a notification for all events');
  });
  it('resolves the issue’s card when the issue is resolved', () => {
    const e = one('sentry', 'issue.resolved');
    expect([e.dedupKey, e.state, e.notify]).toEqual(['sentry:issue:1170820242', 'resolved', false]);
    expect(urls(e)['Open in Sentry']).toBe('https://sentry.io/organizations/acme/issues/1170820242/');
  });
  it('reads a metric alert', () => {
    const e = one('sentry', 'metric_alert.critical');
    expect([e.name, e.dedupKey, e.urgent]).toEqual(['Critical: Too many errors', 'sentry:metric-alert:7', true]);
  });
});

describe('uptime-kuma', () => {
  it('opens the monitor’s card when down and resolves it when up', () => {
    const down = one('uptime-kuma', 'down');
    const up = one('uptime-kuma', 'up');
    expect([down.name, down.notify, down.state, down.dedupKey]).toEqual(['Shop is down: getaddrinfo ENOTFOUND shop.example.com', true, 'open', 'uptime-kuma:monitor:29']);
    expect([up.name, up.notify, up.state, up.dedupKey]).toEqual(['Shop is up', false, 'resolved', 'uptime-kuma:monitor:29']);
    expect(urls(down)).toEqual({ 'Open monitored URL': 'https://shop.example.com/health' });
  });
  it('reads the test message and the form-data variant', () => {
    const test = one('uptime-kuma', 'test');
    expect([test.name, test.notify, test.dedupKey]).toEqual(['Uptime Kuma: Uptime Kuma Webhook Testing', false, null]);
    const form = { data: JSON.stringify(fixture('uptime-kuma', 'down').body) };
    expect(parsed(MAPPERS['uptime-kuma'](delivery('uptime-kuma', form)))[0]!.name).toBe('Shop is down: getaddrinfo ENOTFOUND shop.example.com');
  });
});

describe('the unknown-shape fallback', () => {
  it('keeps a JSON body as JSON', () => {
    const [e] = parsed(mapDelivery(delivery('alertmanager', { alerts: 'no' })));
    expect([e!.name, e!.category, e!.avatar, e!.type, e!.content]).toEqual(['Prometheus Alertmanager delivery', 'alertmanager', '🔥', 'json', { alerts: 'no' }]);
  });
  it('keeps text, arrays, null and empty bodies', () => {
    expect(parsed([unknownEvent({ source: 'sentry', body: null, rawBody: 'not json', headers: {} })])[0]!.content).toBe('not json');
    expect(parsed([unknownEvent(delivery('stripe', [1, 2]))])[0]!.content).toEqual([1, 2]);
    expect(parsed([unknownEvent({ source: 'stripe', body: null, rawBody: '', headers: {} })])[0]!.content).toBe('(an empty body)');
    expect(parsed([unknownEvent(delivery('pagerduty', 'x'))])[0]!.name).toBe('PagerDuty Events API v2 delivery');
  });
  it('cuts a body too large for an event to its first ~60 KiB, and says so', () => {
    const big = { blob: 'é'.repeat(60_000) };
    const [e] = parsed([unknownEvent(delivery('grafana', big))]);
    expect(e!.type).toBe('text');
    expect(e!.content as string).toMatch(/^\{"blob":"éé/);
    expect(e!.content as string).toMatch(/\(cut: the delivery was 120011 bytes; the first \d+ are shown\)$/);
    expect(utf8Bytes(JSON.stringify(e!.content))).toBeLessThanOrEqual(LIMITS.contentBytes);
  });
});

describe('mapDelivery', () => {
  const saved = { ...MAPPERS };
  afterEach(() => Object.assign(MAPPERS, saved));
  const use = (mapper: Mapper) => {
    MAPPERS.github = mapper;
  };
  it('falls back when a mapper throws or gives nothing', () => {
    use(() => {
      throw new Error('boom');
    });
    expect(mapDelivery(delivery('github', { a: 1 })).map((e) => e.name)).toEqual(['GitHub delivery']);
    use(() => []);
    expect(mapDelivery(delivery('github', { a: 1 })).map((e) => e.name)).toEqual(['GitHub delivery']);
  });
  it('keeps the delivery when a mapper gives an event the parser refuses', () => {
    use((): MappedEvent[] => [{ name: 'fine' }, { name: 'resolved without a key', state: 'resolved' }]);
    expect(mapDelivery(delivery('github', { a: 1 })).map((e) => e.name)).toEqual(['fine', 'GitHub delivery']);
  });
  it('gives PagerDuty (mapped elsewhere) the fallback', () => {
    expect(mapDelivery(delivery('pagerduty', { a: 1 })).map((e) => e.name)).toEqual(['PagerDuty Events API v2 delivery']);
  });
});

describe('dedupKey', () => {
  it('joins short parts and hashes long ones with sha256', () => {
    expect(dedupKey('github', 'pr', 'a/b#1')).toBe('github:pr:a/b#1');
    const long = dedupKey('alertmanager', 'g'.repeat(300), 'fp');
    expect(long).toMatch(/^alertmanager:sha256:[0-9a-f]{64}$/);
    expect(dedupKey('alertmanager', 'g'.repeat(300), 'fp')).toBe(long);
    expect(dedupKey('alertmanager', 'g'.repeat(300), 'other')).not.toBe(long);
    expect(dedupKey('sentry', 'issue', undefined)).toBeUndefined();
  });
});

describe('hostile bodies', () => {
  /** Objects and arrays in turn, as JSON.parse would build them (a tree: no shared parts). */
  const deep = (levels: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = i % 2 ? { a: value, n: i } : [value, i];
    return value;
  };
  const chain = (levels: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < levels; i++) value = [value];
    return value;
  };
  const long = (c: string) => c.repeat(10_000);
  const control = '\u0001'.repeat(20_000);
  const alert = (i: number) => ({
    status: i % 2 ? 'resolved' : 'firing',
    labels: { alertname: `A${i}`, instance: `host-${i}`, severity: 'critical' },
    annotations: { summary: `alert ${i}` },
    fingerprint: `fp${i}`,
    generatorURL: 'https://prom.example.com/graph',
  });
  const everywhere = (v: unknown) => ({
    alerts: [{ labels: v, annotations: v, status: v, fingerprint: v, generatorURL: v, silenceURL: v, values: v, valueString: v }],
    groupKey: v, externalURL: v, truncatedAlerts: v, status: v, ruleName: v, state: v, ruleId: v, evalMatches: v,
    action: v, number: v, pull_request: v, workflow_run: v, release: v, alert: v, repository: { full_name: v, html_url: v },
    sender: v, zen: v, hook: v, ref: v, commits: v, head_commit: v,
    id: v, type: v, livemode: v, data: { object: v, event: v, issue: v, metric_alert: v, web_url: v },
    project: v, project_name: v, culprit: v, message: v, url: v, level: v, event: v,
    heartbeat: v, monitor: v, msg: v,
  });
  const bodies: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['an array', []],
    ['a string', 'x'],
    ['a number', 0],
    ['an empty object', {}],
    ['alerts not an array', { alerts: 'no' }],
    ['junk alerts', { alerts: [null, 1, { labels: 5 }, [], { labels: { alertname: 7 }, annotations: [] }] }],
    ['deep nesting', deep(5_000)],
    ['a long chain', chain(100_000)],
    ['deep nesting in every field', everywhere(chain(300))],
    ['objects in every field', everywhere({ x: 1 })],
    ['numbers in every field', everywhere(12)],
    ['long strings in every field', everywhere(long('x'))],
    ['control characters in every field', everywhere(control)],
    ['javascript URLs', everywhere('javascript:alert(1)')],
    ['URLs with credentials', everywhere('https://user:pass@example.com/')],
    ['very long URLs', everywhere(`https://example.com/${long('a')}`)],
    ['10,000-character labels', {
      groupKey: long('g'), externalURL: 'https://am.example.com',
      alerts: [{ status: 'firing', labels: { alertname: long('A'), instance: long('i'), severity: long('s') }, annotations: { summary: long('s'), description: control }, fingerprint: long('f'), generatorURL: `https://p.example.com/${long('u')}` }],
    }],
    ['2,000 labels', { alerts: [{ labels: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`label_${i}`, `value-${i}-${'v'.repeat(30)}`])) }] }],
    ['a 300-alert group', { groupKey: 'g', externalURL: 'https://am.example.com', alerts: Array.from({ length: 300 }, (_, i) => alert(i)) }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"alertname": "x"}, "alerts": [{"labels": {"__proto__": "y", "alertname": "P"}}], "type": "charge.failed", "data": {"object": {"__proto__": 1}}}')],
    ['Stripe with junk', { type: 'invoice.payment_failed', livemode: 'yes', data: { object: { amount_due: Number.MAX_VALUE, currency: 'not a currency', id: '../../x' } } }],
    ['Uptime Kuma with junk', { heartbeat: { status: '0', ping: 'fast' }, monitor: { id: {}, name: 5, url: 'ftp://x' }, msg: 7 }],
    ['Uptime Kuma form with bad JSON', { data: '{nope' }],
  ];
  const githubEvents = ['pull_request', 'workflow_run', 'release', 'dependabot_alert', 'code_scanning_alert', 'secret_scanning_alert', 'ping', 'push', 'x'.repeat(500)];
  const sentryResources = ['event_alert', 'issue', 'metric_alert', undefined];

  const deliveries = (source: Mapped, body: unknown): HookDelivery[] => {
    if (source === 'github') return githubEvents.map((e) => delivery(source, body, { 'x-github-event': e }));
    if (source === 'sentry') return sentryResources.map((r) => delivery(source, body, r ? { 'sentry-hook-resource': r } : {}));
    return [delivery(source, body)];
  };

  it.each(SOURCES)('%s: its mapper never throws, and each event it gives is valid', (source) => {
    for (const [what, body] of bodies) {
      for (const d of deliveries(source, body)) {
        let events: MappedEvent[] = [];
        expect(() => {
          events = MAPPERS[source](d);
        }, `${what}`).not.toThrow();
        parsed(events);
        const all = parsed(mapDelivery(d));
        expect(all.length, what).toBeGreaterThan(0);
        for (const e of all) {
          expect(e.name!.length).toBeLessThanOrEqual(LIMITS.name);
          expect(utf8Bytes(JSON.stringify(e.content))).toBeLessThanOrEqual(LIMITS.contentBytes);
          expect(e.category).toBe(source);
        }
      }
    }
  });

  it('gives one event per alert of a 300-alert group, each with its own key', () => {
    const events = parsed(MAPPERS.alertmanager(delivery('alertmanager', bodies.find(([w]) => w === 'a 300-alert group')![1])));
    expect(events).toHaveLength(300);
    expect(new Set(events.map((e) => e.dedupKey)).size).toBe(300);
    expect(events.filter((e) => e.state === 'resolved')).toHaveLength(150);
    expect(events[2]!.name).toBe('A2 on host-2: alert 2');
  });

  it('gives at most MAX_EVENTS events, and says how many alerts were left out', () => {
    const body = { groupKey: 'g', truncatedAlerts: 3, alerts: Array.from({ length: MAX_EVENTS + 100 }, (_, i) => alert(i)) };
    const events = parsed(mapDelivery(delivery('alertmanager', body)));
    expect(events).toHaveLength(MAX_EVENTS);
    expect(row(events[0]!, 'Alerts left out of this delivery')).toBe('103');
  });

  it('clips long labels and hashes a long key', () => {
    const [e] = parsed(MAPPERS.alertmanager(delivery('alertmanager', bodies.find(([w]) => w === '10,000-character labels')![1])));
    expect(e!.name).toHaveLength(LIMITS.name);
    expect(e!.name!.endsWith('…')).toBe(true);
    expect(e!.dedupKey).toMatch(/^alertmanager:sha256:[0-9a-f]{64}$/);
    expect(e!.urgent).toBe(false);
    expect(e!.actions.map((a) => a.buttonText)).toEqual([]);
  });

  it('shows a too-large set of labels as cut text', () => {
    const [e] = parsed(MAPPERS.alertmanager(delivery('alertmanager', bodies.find(([w]) => w === '2,000 labels')![1])));
    const labels = row(e!, 'Labels') as string;
    expect(typeof labels).toBe('string');
    expect(labels.endsWith('… (cut)')).toBe(true);
  });
});
