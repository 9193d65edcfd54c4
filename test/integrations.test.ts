/**
 * §13 integrations over HTTP (inject): Settings' routes (create, list, rotate, delete; audited), the
 * hook URL (token, source, signatures made by GitHub's and Stripe's own libraries, replays), and
 * PagerDuty's Events API v2 with the bodies its documentation shows.
 */
import { Webhooks } from '@octokit/webhooks';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody, EventDto, IngestAccepted } from '../contract/api.ts';
import type { CreatedIntegration, IntegrationList } from '../contract/integrations.ts';
import type { BatchAnswer } from '../server/ingest/batch.ts';
import { makeApp, OWN_ORIGIN, type TestApp } from './helpers.ts';

let t: TestApp;
let cookie: string;
beforeEach(async () => {
  t = await makeApp({ env: { PUBLIC_URL: 'https://switchboard.example.com' } });
  cookie = await t.signIn();
});
afterEach(async () => {
  await t.cleanup();
});

const BASE = '/api/projects/default/integrations';
const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
  t.app.inject({ method, url, headers: { cookie, origin: OWN_ORIGIN, 'content-type': 'application/json' }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });

async function create(source: string, secret?: string): Promise<CreatedIntegration> {
  const res = await admin('POST', BASE, { source, ...(secret ? { secret } : {}) });
  expect(res.statusCode).toBe(201);
  return res.json<CreatedIntegration>();
}
/** The path of a shown URL (the tests talk to the app directly). */
const pathOf = (url: string) => new URL(url).pathname;
const deliver = (url: string, body: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: pathOf(url), headers: { 'content-type': 'application/json', ...headers }, payload: body });
/** The first result of a delivery, which must be a stored event. */
function stored(res: { json<T>(): T }): IngestAccepted {
  const [first] = res.json<BatchAnswer>().results;
  if (!first || 'error' in first) throw new Error(`not stored: ${JSON.stringify(first)}`);
  return first;
}
const eventOf = async (id: string): Promise<EventDto | null> => (await t.store.events.byId(id))?.event ?? null;

const KUMA_DOWN = { heartbeat: { status: 0, msg: 'timeout of 48000ms exceeded', time: '2026-12-07 10:00:00', monitorID: 3 }, monitor: { id: 3, name: 'Shop', url: 'https://shop.example.com' }, msg: '[Shop] [🔴 Down] timeout' };
const KUMA_UP = { ...KUMA_DOWN, heartbeat: { ...KUMA_DOWN.heartbeat, status: 1, msg: 'OK' }, msg: '[Shop] [✅ Up] OK' };

describe('Settings → Integrations routes', () => {
  it('creates an integration whose URL is shown once, lists it without its token, and audits it', async () => {
    const made = await create('uptime-kuma');
    expect(made.url).toMatch(/^https:\/\/switchboard\.example\.com\/api\/v1\/hooks\/uptime-kuma\/sb_[\w-]+$/);
    expect(made).toMatchObject({ source: 'uptime-kuma', signed: false, lastUsedAt: null });
    const listed = await admin('GET', BASE);
    expect(listed.json<IntegrationList>().integrations).toEqual([expect.objectContaining({ id: made.id, source: 'uptime-kuma', prefix: made.prefix })]);
    expect(listed.body).not.toContain(made.url.split('/').pop()!);
    // Not among the plain API keys.
    const keys = await admin('GET', '/api/projects/default/keys');
    expect(keys.json<{ keys: unknown[] }>().keys).toHaveLength(0);
    const audit = await admin('GET', '/api/projects/default/audit');
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('integration.created');
    expect(audit.body).not.toContain(made.url.split('/').pop()!);
  });

  it('requires a signing secret for GitHub and Stripe, and refuses one for the others, naming the field', async () => {
    for (const [body, field] of [
      [{ source: 'github' }, 'secret'],
      [{ source: 'stripe', secret: '' }, 'secret'],
      [{ source: 'alertmanager', secret: 'x' }, 'secret'],
      [{ source: 'nagios' }, 'source'],
      [{ source: 'github', secret: 's'.repeat(256) }, 'secret'],
    ] as const) {
      const res = await admin('POST', BASE, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json<ApiErrorBody>().error.field).toBe(field);
    }
  });

  it('rotates: the new URL works, the old one is refused at once', async () => {
    const first = await create('uptime-kuma');
    const rotated = await admin('POST', `${BASE}/${first.id}/rotate`, {});
    expect(rotated.statusCode).toBe(201);
    const second = rotated.json<CreatedIntegration>();
    expect(second.id).toBe(first.id);
    expect(second.url).not.toBe(first.url);
    expect((await deliver(first.url, JSON.stringify(KUMA_DOWN))).statusCode).toBe(401);
    expect((await deliver(second.url, JSON.stringify(KUMA_DOWN))).statusCode).toBe(200);
  });

  it('deletes: its URL is refused at once; an unknown id is 404', async () => {
    const made = await create('alertmanager');
    expect((await admin('DELETE', `${BASE}/${made.id}`, {})).statusCode).toBe(204);
    const res = await deliver(made.url, '{}');
    expect(res.statusCode).toBe(401);
    expect(res.json<ApiErrorBody>().error.code).toBe('invalid_api_key');
    expect((await admin('GET', BASE)).json<IntegrationList>().integrations).toHaveLength(0);
    expect((await admin('DELETE', `${BASE}/${made.id}`, {})).statusCode).toBe(404);
    expect((await admin('POST', `${BASE}/${made.id}/rotate`, {})).statusCode).toBe(404);
  });
});

describe('the hook URL', () => {
  it('turns an Uptime Kuma "down" into an open event and its "up" into the same event, resolved', async () => {
    const made = await create('uptime-kuma');
    const down = await deliver(made.url, JSON.stringify(KUMA_DOWN));
    expect(down.statusCode).toBe(200);
    const first = stored(down);
    const event = await eventOf(first.id);
    expect(event).toMatchObject({ category: 'uptime-kuma', state: 'open' });
    const up = await deliver(made.url, JSON.stringify(KUMA_UP));
    const second = stored(up);
    expect(second).toMatchObject({ id: first.id, deduplicated: true });
    expect((await eventOf(first.id))?.state).toBe('resolved');
    // Its last use shows in the list.
    expect((await admin('GET', BASE)).json<IntegrationList>().integrations[0]!.lastUsedAt).not.toBeNull();
  });

  it('keeps a shape it cannot read as an event holding the body, never a 500', async () => {
    const made = await create('sentry');
    for (const body of ['{"something":"else","n":[1,2,3]}', 'not json at all', '[]', 'null', '{"__proto__":{"polluted":1}}']) {
      const res = await deliver(made.url, body);
      expect(res.statusCode, body).toBe(200);
      const r = stored(res);
      expect((await eventOf(r.id))?.category).toBe('sentry');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a URL whose token is another source's, a plain API key, a revoked or unknown token (401), and an unknown source (404)", async () => {
    const kuma = await create('uptime-kuma');
    const token = kuma.url.split('/').pop()!;
    const asOther = await t.app.inject({ method: 'POST', url: `/api/v1/hooks/grafana/${token}`, headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(asOther.statusCode).toBe(401);
    const plainKey = await t.apiKey('plain');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/hooks/grafana/${plainKey}`, headers: { 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/hooks/grafana/sb_nope', headers: { 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(401);
    const unknown = await t.app.inject({ method: 'POST', url: `/api/v1/hooks/nagios/${token}`, headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ApiErrorBody>().error.field).toBe('source');
    // Encoded paths reach the same checks.
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/hooks/%67rafana/${token}`, headers: { 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(401);
  });

  it("writes into the integration's own project only", async () => {
    const other = (await t.store.projects.create('other', 'Other', Date.now()))!;
    const made = await admin('POST', `/api/projects/${other.slug}/integrations`, { source: 'uptime-kuma' });
    expect(made.statusCode).toBe(201);
    const res = await deliver(made.json<CreatedIntegration>().url, JSON.stringify(KUMA_DOWN));
    const r = stored(res);
    const inOther = await t.app.inject({ method: 'GET', url: `/api/projects/${other.slug}/events`, headers: { cookie } });
    expect(inOther.json<{ events: EventDto[] }>().events.map((e) => e.id)).toEqual([r.id]);
    const inDefault = await t.app.inject({ method: 'GET', url: '/api/projects/default/events', headers: { cookie } });
    expect(inDefault.json<{ events: EventDto[] }>().events).toHaveLength(0);
  });
});

describe('GitHub deliveries, signed by @octokit/webhooks', () => {
  const SECRET = 'It’s a Secret to Everybody';
  const PR = {
    action: 'opened',
    number: 42,
    pull_request: { number: 42, title: 'Fix the flaky deploy', html_url: 'https://github.com/acme/shop/pull/42', state: 'open', merged: false, user: { login: 'ana' } },
    repository: { full_name: 'acme/shop', html_url: 'https://github.com/acme/shop' },
    sender: { login: 'ana' },
  };

  it('accepts a delivery signed with the secret, refuses a missing or wrong signature (401), and a replayed delivery stores nothing new', async () => {
    const made = await create('github', SECRET);
    const body = JSON.stringify(PR);
    const signature = await new Webhooks({ secret: SECRET }).sign(body);
    const headers = { 'x-github-event': 'pull_request', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'x-hub-signature-256': signature };
    const ok = await deliver(made.url, body, headers);
    expect(ok.statusCode).toBe(200);
    const r = stored(ok);
    expect((await eventOf(r.id))?.name).toContain('Fix the flaky deploy');

    const replay = await deliver(made.url, body, headers);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json<BatchAnswer>().results).toEqual(ok.json<BatchAnswer>().results);

    const unsigned = await deliver(made.url, body, { 'x-github-event': 'pull_request' });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json<ApiErrorBody>().error.code).toBe('bad_signature');
    const wrong = await new Webhooks({ secret: 'another secret' }).sign(body);
    expect((await deliver(made.url, body, { ...headers, 'x-hub-signature-256': wrong })).statusCode).toBe(401);
    // The signature is over the exact bytes: the same JSON re-spaced fails.
    expect((await deliver(made.url, JSON.stringify(PR, null, 2), headers)).statusCode).toBe(401);
  });

  it('accepts the form-encoded content type GitHub can send, signed the same way', async () => {
    const made = await create('github', SECRET);
    const form = `payload=${encodeURIComponent(JSON.stringify(PR))}`;
    const signature = await new Webhooks({ secret: SECRET }).sign(form);
    const res = await t.app.inject({
      method: 'POST',
      url: pathOf(made.url),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'pull_request', 'x-hub-signature-256': signature },
      payload: form,
    });
    expect(res.statusCode).toBe(200);
    const r = stored(res);
    expect((await eventOf(r.id))?.name).toContain('Fix the flaky deploy');
  });
});

describe('Stripe deliveries, signed by the stripe package', () => {
  const SECRET = 'whsec_test_0123456789abcdef';
  const stripe = new Stripe('sk_test_unused');
  const FAILED = {
    id: 'evt_1',
    object: 'event',
    type: 'invoice.payment_failed',
    livemode: false,
    created: 1765101600,
    data: { object: { id: 'in_1', object: 'invoice', amount_due: 4200, currency: 'eur', customer_email: 'ana@example.com', hosted_invoice_url: 'https://invoice.stripe.com/i/in_1' } },
  };

  it("may be created before Stripe shows its secret: every delivery is refused until it is set, then it works", async () => {
    const made = await create('stripe');
    expect(made).toMatchObject({ signed: true, secretSet: false });
    const payload = JSON.stringify(FAILED);
    const signedWith = (secret: string) => ({ 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret }) });
    const early = await deliver(made.url, payload, signedWith(SECRET));
    expect(early.statusCode).toBe(401);
    expect(early.json<ApiErrorBody>().error.message).toContain('no signing secret yet');
    const put = (id: string, body: unknown) =>
      t.app.inject({ method: 'PUT', url: `${BASE}/${id}/secret`, headers: { cookie, origin: OWN_ORIGIN, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect((await put(made.id, { secret: '  ' })).json<ApiErrorBody>().error.field).toBe('secret');
    expect((await put(made.id, { secret: SECRET })).statusCode).toBe(204);
    expect((await admin('GET', BASE)).json<IntegrationList>().integrations[0]).toMatchObject({ id: made.id, secretSet: true });
    expect((await deliver(made.url, payload, signedWith(SECRET))).statusCode).toBe(200);
    // Replaced: the old secret no longer verifies.
    expect((await put(made.id, { secret: 'whsec_new' })).statusCode).toBe(204);
    expect((await deliver(made.url, payload, signedWith(SECRET))).statusCode).toBe(401);
    const audit = await admin('GET', '/api/projects/default/audit');
    expect(audit.body).toContain('integration.secret_set');
    expect(audit.body).not.toContain('whsec_new');
    // Not for an unsigned source; not for an id that is not there.
    const kuma = await create('uptime-kuma');
    expect((await put(kuma.id, { secret: 'x' })).json<ApiErrorBody>().error.field).toBe('secret');
    expect((await put('nope', { secret: 'x' })).statusCode).toBe(404);
  });

  it('accepts a signed event, refuses a wrong or stale signature (401)', async () => {
    const made = await create('stripe', SECRET);
    const payload = JSON.stringify(FAILED);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const ok = await deliver(made.url, payload, { 'stripe-signature': header });
    expect(ok.statusCode).toBe(200);
    const r = stored(ok);
    expect((await eventOf(r.id))?.category).toBe('stripe');

    const wrong = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' });
    expect((await deliver(made.url, payload, { 'stripe-signature': wrong })).statusCode).toBe(401);
    const stale = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 });
    const old = await deliver(made.url, payload, { 'stripe-signature': stale });
    expect(old.statusCode).toBe(401);
    expect(old.json<ApiErrorBody>().error.message).toMatch(/300 s/);
    expect((await deliver(made.url, payload)).statusCode).toBe(401);
  });
});

describe("PagerDuty's Events API v2", () => {
  const pdTrigger = (routingKey: string) => ({
    payload: {
      summary: 'DISK at 99% on machine prod-datapipe03.example.com',
      timestamp: '2015-07-17T08:42:58.315+0000',
      severity: 'critical',
      source: 'prod-datapipe03.example.com',
      component: 'mysql',
      group: 'prod-datapipe',
      class: 'disk',
      custom_details: { 'free space': '1%', 'ping time': '1500ms', 'load avg': 0.75 },
    },
    routing_key: routingKey,
    dedup_key: 'samplekeyhere',
    images: [{ src: 'https://www.pagerduty.com/wp-content/uploads/2016/05/pagerduty-logo-green.png', href: 'https://example.com/', alt: 'Example text' }],
    links: [{ href: 'https://example.com/', text: 'Link text' }],
    event_action: 'trigger',
    client: 'Sample Monitoring Service',
    client_url: 'https://monitoring.example.com',
  });
  const post = (body: unknown) => t.app.inject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

  it('triggers, acknowledges and resolves by dedup_key, answering as PagerDuty does', async () => {
    const key = await t.apiKey('monitoring');
    const trigger = await post(pdTrigger(key));
    expect(trigger.statusCode).toBe(202);
    expect(trigger.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'samplekeyhere' });
    const page = await t.app.inject({ method: 'GET', url: '/api/projects/default/events', headers: { cookie } });
    const [event] = page.json<{ events: EventDto[] }>().events;
    expect(event).toMatchObject({ name: 'DISK at 99% on machine prod-datapipe03.example.com', category: 'pagerduty', urgent: true, state: 'open' });
    expect(event!.actions.map((a) => [a.buttonText, a.url, a.external])).toEqual([
      ['Open in Sample Monitoring Service', 'https://monitoring.example.com', true],
      ['Link text', 'https://example.com/', true],
    ]);
    expect(JSON.stringify(event!.content)).toContain('pagerduty-logo-green.png');

    const ack = await post({ routing_key: key, dedup_key: 'samplekeyhere', event_action: 'acknowledge' });
    expect(ack.statusCode).toBe(202);
    expect((await eventOf(event!.id))?.state).toBe('acknowledged');
    const resolve = await post({ routing_key: key, dedup_key: 'samplekeyhere', event_action: 'resolve' });
    expect(resolve.statusCode).toBe(202);
    expect((await eventOf(event!.id))?.state).toBe('resolved');
  });

  it('a trigger without dedup_key gets one back; errors have PagerDuty’s shape', async () => {
    const key = await t.apiKey('monitoring');
    const { dedup_key: _omit, ...noKey } = pdTrigger(key);
    const made = await post(noKey);
    expect(made.statusCode).toBe(202);
    expect(made.json<{ dedup_key: string }>().dedup_key).toMatch(/^[0-9a-f]{32}$/);

    const invalid = await post({ routing_key: key, event_action: 'trigger', payload: { summary: '', source: 'x', severity: 'loud' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ status: 'invalid event', message: 'Event object is invalid' });
    expect(invalid.json<{ errors: string[] }>().errors).toEqual(expect.arrayContaining([expect.stringContaining('payload.summary'), expect.stringContaining('payload.severity')]));
    expect((await post({ routing_key: key, event_action: 'resolve' })).json<{ errors: string[] }>().errors[0]).toContain('dedup_key');
    const badKey = await post({ ...pdTrigger('sb_not_a_key'), routing_key: 'sb_not_a_key' });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json<{ errors: string[] }>().errors[0]).toContain('routing_key');
    expect((await post({ event_action: 'trigger' })).statusCode).toBe(400);
  });

  it('works at a pagerduty integration URL too (its token is the key)', async () => {
    const made = await create('pagerduty');
    const res = await deliver(made.url, JSON.stringify(pdTrigger('ignored-here')));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'success', dedup_key: 'samplekeyhere' });
  });
});

