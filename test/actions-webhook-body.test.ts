/**
 * What a receiver gets when an action is pressed (CONTRACT.md §2): the request's shape, Standard
 * Webhooks signature with the installation secret (and after rotating it), and the destination policy.
 */
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { TriggerResult } from '../contract/api.ts';
import {
  type ActionsApp,
  actionsApp,
  flatHeaders,
  startReceiver,
  stopReceivers,
  webhookBody,
} from './actions-helpers.ts';
import { OWN_ORIGIN, OWNER_EMAIL } from './helpers.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let t: ActionsApp | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
  await stopReceivers();
});

const NESTED_META = {
  order: { id: 7, lines: [1, 'two', { three: true, four: null }], total: 12.5 },
  note: 'ünïcødé 😀 "quoted" \\ slash',
  empty: {},
  list: [],
};

describe('the webhook request', () => {
  it('is a signed JSON POST with Switchboard headers that verifies with the installation secret', async () => {
    t = await actionsApp();
    const r = await startReceiver();
    const id = await t.sendAction(`${r.url}?source=switchboard&x=1`);
    const before = Date.now();
    const res = await t.press(id);
    const after = Date.now();
    expect(res.statusCode).toBe(200);
    const result = res.json<TriggerResult>();

    expect(r.requests).toHaveLength(1);
    const got = r.requests[0]!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/hook?source=switchboard&x=1');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toMatch(/^Switchboard\//);
    expect(got.headers['user-agent']).toBe(`Switchboard/${VERSION}`);
    expect(got.headers['webhook-id']).toBe(result.attempt.id);
    expect(got.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    const seconds = Number(got.headers['webhook-timestamp']);
    expect(seconds).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(seconds).toBeLessThanOrEqual(Math.ceil(after / 1000));
    expect(seconds).toBe(Math.floor(Date.parse(webhookBody(got).pressedAt) / 1000));
    expect(got.headers['webhook-signature']).toMatch(/^v1,/);

    const secret = await t.secret();
    expect(secret).toMatch(/^whsec_/);
    expect(new Webhook(secret).verify(got.rawBody, flatHeaders(got.headers))).toEqual(JSON.parse(got.rawBody));
    // The signature covers the body: one changed byte fails verification.
    expect(() => new Webhook(secret).verify(got.rawBody.replace('approve', 'approvf'), flatHeaders(got.headers))).toThrow();
  });

  it('carries the event, the action with its object meta exactly as sent, the presser and the press time', async () => {
    t = await actionsApp();
    const r = await startReceiver();
    const id = await t.send({
      name: 'refund requested',
      category: 'billing',
      userId: 42,
      contextId: 'order-7',
      actions: [{ key: 'refund', buttonText: 'Refund ✓', url: r.url, meta: NESTED_META }],
    });
    const before = Date.now();
    expect((await t.press(id, 'refund')).statusCode).toBe(200);
    const after = Date.now();
    const createdAt = (await t.detail(id)).event.createdAt;

    const body = webhookBody(r.requests[0]);
    expect(body.event).toEqual({
      id,
      name: 'refund requested',
      category: 'billing',
      userId: '42',
      contextId: 'order-7',
      createdAt,
      key: 'refund',
      meta: NESTED_META,
    });
    expect(body.action).toEqual({ key: 'refund', buttonText: 'Refund ✓', meta: NESTED_META, attempt: 1 });
    // Untouched down to the key order.
    expect(JSON.stringify(body.event.meta)).toBe(JSON.stringify(NESTED_META));
    expect(body.pressedBy).toEqual({ id: (await t.store.users.byEmail(OWNER_EMAIL))!.id, email: OWNER_EMAIL });
    expect(body.pressedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(body.pressedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(body.pressedAt)).toBeLessThanOrEqual(after);
  });

  it.each([
    ['a plain string', 'order-7'],
    ['a string that looks like JSON', '{"a":1}'],
    ['an array', [1, { b: [true, null] }, 'c']],
  ])('passes %s meta to the receiver unchanged', async (_label, meta) => {
    t = await actionsApp();
    const r = await startReceiver();
    const id = await t.sendAction(r.url, { meta });
    expect((await t.press(id)).statusCode).toBe(200);
    const body = webhookBody(r.requests[0]);
    expect(body.event.meta).toEqual(meta);
    expect(body.action.meta).toEqual(meta);
    expect(typeof body.event.meta).toBe(typeof meta);
  });

  it('sends null meta, category, userId and contextId when the event had none, and a derived key', async () => {
    t = await actionsApp();
    const r = await startReceiver();
    const id = await t.send({ name: 'bare', actions: [{ buttonText: 'Press me', url: r.url }] });
    expect((await t.press(id, 'press_me')).statusCode).toBe(200);
    const body = webhookBody(r.requests[0]);
    expect(body.event).toMatchObject({ id, name: 'bare', category: null, userId: null, contextId: null, key: 'press_me', meta: null });
    expect(body.action).toEqual({ key: 'press_me', buttonText: 'Press me', meta: null, attempt: 1 });
  });
});

describe('the webhook secret', () => {
  it('stays the same until rotated; after rotation webhooks verify with the new secret and not the old one', async () => {
    t = await actionsApp();
    const r = await startReceiver();
    const oldSecret = await t.secret();
    expect(await t.secret()).toBe(oldSecret);

    const rotated = await t.app.inject({ method: 'POST', url: '/api/settings/webhook-secret/rotate', headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload: {} });
    expect(rotated.statusCode).toBe(200);
    const newSecret = rotated.json<{ secret: string }>().secret;
    expect(newSecret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(newSecret).not.toBe(oldSecret);
    expect(await t.secret()).toBe(newSecret);

    const id = await t.sendAction(r.url);
    expect((await t.press(id)).statusCode).toBe(200);
    const got = r.requests[0]!;
    expect(() => new Webhook(newSecret).verify(got.rawBody, flatHeaders(got.headers))).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(got.rawBody, flatHeaders(got.headers))).toThrow();
  });

  it('cannot be rotated without the own origin or without a session', async () => {
    t = await actionsApp();
    const secret = await t.secret();
    const noOrigin = await t.app.inject({ method: 'POST', url: '/api/settings/webhook-secret/rotate', headers: { cookie: t.cookie }, payload: {} });
    expect(noOrigin.statusCode).toBe(403);
    const signedOut = await t.app.inject({ method: 'POST', url: '/api/settings/webhook-secret/rotate', headers: { origin: OWN_ORIGIN }, payload: {} });
    expect(signedOut.statusCode).toBe(401);
    expect(await t.secret()).toBe(secret);
  });
});

describe('destination policy', () => {
  it.each([
    ['unset', {}],
    ['false', { WEBHOOK_ALLOW_PRIVATE: 'false' }],
  ])('with WEBHOOK_ALLOW_PRIVATE %s, a 127.0.0.1 receiver is a failed attempt blocked_by_policy and gets nothing', async (_label, env) => {
    t = await actionsApp({ env: { WEBHOOK_TIMEOUT_MS: '1000', ...env } });
    const r = await startReceiver();
    const id = await t.sendAction(r.url);
    const res = await t.press(id);
    expect(res.statusCode).toBe(200);
    const result = res.json<TriggerResult>();
    expect(result.action.state).toBe('failed');
    expect(result.attempt).toMatchObject({ outcome: 'failed', status: null, reason: 'blocked_by_policy' });
    expect(r.requests).toHaveLength(0);
    expect((await t.detail(id)).attempts[0]).toMatchObject({ outcome: 'failed', reason: 'blocked_by_policy', pressedBy: OWNER_EMAIL });
  });

  it('blocks a hostname that resolves to loopback (localhost) too', async () => {
    t = await actionsApp({ env: { WEBHOOK_TIMEOUT_MS: '1000' } });
    const r = await startReceiver();
    const id = await t.sendAction(`http://localhost:${r.port}/hook`);
    const result = (await t.press(id)).json<TriggerResult>();
    expect(result.attempt).toMatchObject({ outcome: 'failed', reason: 'blocked_by_policy' });
    expect(r.requests).toHaveLength(0);
  });

  it('a blocked press can be pressed again and is blocked again (still no request)', async () => {
    t = await actionsApp({ env: { WEBHOOK_TIMEOUT_MS: '1000' } });
    const r = await startReceiver();
    const id = await t.sendAction(r.url);
    await t.press(id);
    const again = await t.press(id);
    expect(again.statusCode).toBe(200);
    expect(again.json<TriggerResult>().attempt).toMatchObject({ number: 2, reason: 'blocked_by_policy' });
    expect(r.requests).toHaveLength(0);
  });
});
