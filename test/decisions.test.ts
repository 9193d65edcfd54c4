/**
 * Decisions that the sender reads back (CONTRACT §11), on the run's store: reply actions that are one
 * question, input typed in the confirm step, the decision read at once and by long poll, expiry that is
 * never an implied answer, and the decision POSTed (signed, retried) to the event's replyUrl.
 */
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptDto, AuditPage, TriggerResult, TriggerWaiting } from '../contract/api.ts';
import type { DecisionDto } from '../contract/decisions.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import type { ReplyBody } from '../server/replies/sender.ts';
import { type ActionsApp, actionsApp, errorCode, flatHeaders, type Receiver, startReceiver, stopReceivers, webhookBody } from './actions-helpers.ts';
import { ingest, OWN_ORIGIN, OWNER_EMAIL, refuse } from './helpers.ts';

let t: ActionsApp;
let clock: number;
let receiver: Receiver;
beforeEach(async () => {
  clock = Date.now();
  t = await actionsApp({ now: () => clock, env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1000' } });
  receiver = await startReceiver();
});
afterEach(async () => {
  await t.cleanup();
  await stopReceivers();
});

const DEPLOY = {
  name: 'Deploy 1.4 to production?',
  actions: [
    { key: 'ship', buttonText: 'Ship it', reply: true, input: { label: 'Why?', required: false, maxLength: 200 } },
    { key: 'hold', buttonText: 'Hold', reply: true },
  ],
};

const press = (id: string, key: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/events/${id}/actions/${key}/trigger`, headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload });
const decision = (id: string, query = '', key = t.key) =>
  t.app.inject({ method: 'GET', url: `/api/v1/events/${encodeURIComponent(id)}/decision${query}`, headers: { authorization: `Bearer ${key}` } });
const audit = async () => (await t.app.inject({ method: 'GET', url: '/api/projects/default/audit', headers: { cookie: t.cookie } })).json<AuditPage>().entries;

describe('reply actions and input at ingest: each mistake a 400 naming the field', () => {
  it('refuses a reply with a url, a link that replies, a reply that repeats, and a webhook action without a url', () => {
    expect(refuse({ name: 'q', actions: [{ buttonText: 'Yes', reply: true, url: 'https://x.example/' }] }).field).toBe('actions[0].url');
    expect(refuse({ name: 'q', actions: [{ buttonText: 'Yes', reply: true, external: true }] }).field).toBe('actions[0].external');
    expect(refuse({ name: 'q', actions: [{ buttonText: 'Yes', reply: true, repeat: true }] }).field).toBe('actions[0].repeat');
    expect(refuse({ name: 'q', actions: [{ buttonText: 'Yes' }] }).field).toBe('actions[0].url');
  });

  it('refuses more options than the action limit, input out of bounds, and a replyUrl with nothing to answer', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ buttonText: `Option ${i}`, reply: true }));
    expect(refuse({ name: 'q', actions: many }).field).toBe('actions');
    expect(refuse({ name: 'q', actions: [{ buttonText: 'Yes', reply: true, input: { label: 'Why', maxLength: 2001 } }] }).field).toBe('actions[0].input.maxLength');
    expect(refuse({ name: 'q', actions: [{ buttonText: 'Yes', reply: true, input: { label: ' ' } }] }).field).toBe('actions[0].input.label');
    expect(refuse({ name: 'q', actions: [{ buttonText: 'Yes', reply: true, input: { label: 'Why', colour: 'red' } }] }).field).toBe('actions[0].input');
    expect(refuse({ name: 'q', replyUrl: 'https://x.example/', actions: [{ buttonText: 'Go', url: 'https://x.example/go' }] }).field).toBe('replyUrl');
    expect(refuse({ name: 'q', replyUrl: 'ftp://x.example/', actions: [{ buttonText: 'Yes', reply: true }] }).field).toBe('replyUrl');
  });

  it('keeps a reply action url-less, its input with defaults, and the replyUrl', async () => {
    const id = await t.send({ ...DEPLOY, replyUrl: 'https://ci.example/answer' });
    const { event } = await t.detail(id);
    expect(event.replyUrl).toBe('https://ci.example/answer');
    expect(event.decision).toBeNull();
    expect(event.actions[0]).toMatchObject({ key: 'ship', reply: true, url: '', input: { label: 'Why?', required: false, maxLength: 200 } });
    expect(event.actions[1]).toMatchObject({ key: 'hold', reply: true, input: null });
  });
});

describe('one question: the first reply decides it', () => {
  it('records the answer with the input and who, refuses the other option 409 decided, and reads it back', async () => {
    const id = await t.send(DEPLOY);
    expect((await decision(id)).json<DecisionDto>()).toMatchObject({ id, status: 'pending', key: null, input: null, decidedBy: null });

    const res = await press(id, 'ship', { input: '  tests green, canary fine  ' });
    expect(res.statusCode).toBe(200);
    const answered = res.json<TriggerResult>();
    expect(answered.action.state).toBe('succeeded');
    expect(answered.attempt).toMatchObject<Partial<AttemptDto>>({ outcome: 'succeeded', status: null, input: 'tests green, canary fine' });

    const other = await press(id, 'hold');
    expect(other.statusCode).toBe(409);
    expect(errorCode(other)).toBe('decided');
    // The chosen one cannot be answered twice either.
    expect(errorCode(await press(id, 'ship'))).toBe('decided');

    const owner = (await t.store.users.byEmail(OWNER_EMAIL))!;
    const read = await decision(id);
    expect(read.statusCode).toBe(200);
    expect(read.json<DecisionDto>()).toEqual({
      id,
      status: 'decided',
      key: 'ship',
      buttonText: 'Ship it',
      input: 'tests green, canary fine',
      decidedBy: { id: owner.id, email: OWNER_EMAIL, name: owner.name },
      decidedAt: new Date(clock).toISOString(),
      expiresAt: expect.any(String),
    });
    const detail = await t.detail(id);
    expect(detail.event.decision).toMatchObject({ key: 'ship', input: 'tests green, canary fine', by: { email: OWNER_EMAIL } });
    expect(detail.attempts.map((a) => [a.actionKey, a.input])).toEqual([['ship', 'tests green, canary fine']]);
    expect((await audit()).find((e) => e.kind === 'action.answered')).toMatchObject({ subject: id, detail: { action: 'ship', buttonText: 'Ship it', input: 'tests green, canary fine' } });
  });

  it('two answers at the same moment: exactly one decides, the other is told 409 decided', async () => {
    const id = await t.send(DEPLOY);
    const [a, b] = await Promise.all([press(id, 'ship'), press(id, 'hold')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(errorCode(loser)).toBe('decided');
    const winner = a.statusCode === 200 ? 'ship' : 'hold';
    expect((await decision(id)).json<DecisionDto>()).toMatchObject({ status: 'decided', key: winner });
  });

  it('a reply whose risk makes it wait decides when it is sent (the same path as a direct press)', async () => {
    const id = await t.send({ name: 'Drop the table?', actions: [{ key: 'drop', buttonText: 'Drop', reply: true, type: 'danger' }, { key: 'keep', buttonText: 'Keep', reply: true }] });
    const waiting = await press(id, 'drop');
    expect(waiting.statusCode).toBe(202);
    expect(waiting.json<TriggerWaiting>().status).toBe('scheduled');
    expect((await decision(id)).json<DecisionDto>().status).toBe('pending');
    clock += 5_000;
    await t.app.pressScheduler.tick();
    expect((await decision(id)).json<DecisionDto>()).toMatchObject({ status: 'decided', key: 'drop' });
    expect(errorCode(await press(id, 'keep'))).toBe('decided');
  });

  it('an answer ends the other options’ presses that still wait: they are never sent', async () => {
    const id = await t.send({ name: 'Drop the table?', actions: [{ key: 'drop', buttonText: 'Drop', reply: true, type: 'danger' }, { key: 'keep', buttonText: 'Keep', reply: true }] });
    expect((await press(id, 'drop')).statusCode).toBe(202);
    expect((await press(id, 'keep')).statusCode).toBe(200);
    const drop = (await t.detail(id)).event.actions[0]!;
    expect(drop.request).toMatchObject({ status: 'cancelled', ended: { reason: 'another answer was chosen: Keep' } });
    clock += 5_000;
    await t.app.pressScheduler.tick();
    expect((await decision(id)).json<DecisionDto>()).toMatchObject({ status: 'decided', key: 'keep' });
    expect((await t.detail(id)).attempts.map((a) => a.actionKey)).toEqual(['keep']);
  });
});

describe('input typed in the confirm step', () => {
  it('is checked on the server: required, at most maxLength, only where asked for', async () => {
    const id = await t.sendAction(receiver.url, { input: { label: 'Refund reason', required: true, maxLength: 20 } });
    const missing = await t.app.inject({ method: 'POST', url: `/api/events/${id}/actions/approve/trigger`, headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload: { input: '   ' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { field: 'input', message: 'input is required: Refund reason' } });
    const long = await press(id, 'approve', { input: 'x'.repeat(21) });
    expect(long.json()).toMatchObject({ error: { field: 'input', message: 'input must be at most 20 characters' } });
    expect((await press(id, 'approve', { input: 7 })).json()).toMatchObject({ error: { field: 'input' } });
    expect((await press(id, 'approve', { input: 'ok', extra: 1 })).json()).toMatchObject({ error: { field: 'extra' } });
    expect(receiver.requests).toHaveLength(0);

    const plain = await t.sendAction(receiver.url);
    expect((await press(plain, 'approve', { input: 'hello' })).json()).toMatchObject({ error: { field: 'input', message: 'input is not asked for by this action (it has no "input")' } });
  });

  it('goes into the webhook body and the attempt history', async () => {
    const id = await t.sendAction(receiver.url, { input: { label: 'Refund reason' } });
    const res = await press(id, 'approve', { input: 'duplicate charge' });
    expect(res.statusCode).toBe(200);
    expect((webhookBody(receiver.requests[0]) as unknown as { input: string }).input).toBe('duplicate charge');
    expect((await t.detail(id)).attempts[0]!.input).toBe('duplicate charge');
    // Without input the body says so (null), not nothing.
    const other = await t.sendAction(receiver.url, { input: { label: 'Note' } });
    await press(other, 'approve');
    expect(JSON.parse(receiver.requests[1]!.rawBody)).toHaveProperty('input', null);
  });
});

describe('GET /api/v1/events/:id/decision', () => {
  it('answers any key of the project (ingest or read scope); another project is 404; an event that asks nothing is 404', async () => {
    const id = await t.send(DEPLOY);
    const read = (await createApiKey(t.store, 1, 'reader', null, Date.now(), 'read')).key;
    expect((await decision(id, '', read)).statusCode).toBe(200);
    const other = (await t.store.projects.create('other', 'Other', Date.now()))!;
    const foreign = (await createApiKey(t.store, other.id, 'foreign', null, Date.now())).key;
    expect((await decision(id, '', foreign)).statusCode).toBe(404);
    expect(errorCode(await decision(id, '', foreign))).toBe('not_found');
    const plain = await t.send({ name: 'just news' });
    expect(errorCode(await decision(plain))).toBe('no_question');
    expect((await decision(id, '', 'sb_nope')).statusCode).toBe(401);
  });

  it('refuses a wait out of range, naming it', async () => {
    const id = await t.send(DEPLOY);
    for (const q of ['?wait=61', '?wait=-1', '?wait=abc', '?wait=1.5']) {
      const res = await decision(id, q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.field, q).toBe('wait');
    }
    expect((await decision(id, '?hurry=1')).json().error.field).toBe('hurry');
  });

  it('a long poll returns the moment the question is decided, with the answer', async () => {
    const id = await t.send(DEPLOY);
    const polled = decision(id, '?wait=60');
    // The wait is registered before the press (no sleeping: the count says so).
    while (t.app.decisionWaiters.count() === 0) await new Promise((r) => setImmediate(r));
    expect((await press(id, 'hold')).statusCode).toBe(200);
    const res = await polled;
    expect(res.json<DecisionDto>()).toMatchObject({ status: 'decided', key: 'hold', buttonText: 'Hold' });
    expect(t.app.decisionWaiters.count()).toBe(0);
  });

  it('a question nobody answered comes back expired once every reply has expired — never an implied answer', async () => {
    const id = await t.send({ name: 'q', actions: [{ key: 'yes', buttonText: 'Yes', reply: true, expireIn: 1 }, { key: 'no', buttonText: 'No', reply: true, expireIn: 2 }] });
    clock += 90_000;
    expect((await decision(id)).json<DecisionDto>().status).toBe('pending');
    clock += 60_000;
    const res = (await decision(id, '?wait=30')).json<DecisionDto>();
    expect(res).toMatchObject({ status: 'expired', key: null, input: null, decidedBy: null });
    expect(errorCode(await press(id, 'no'))).toBe('expired');
  });
});

describe('replyUrl: the decision POSTed, signed, until a 2xx', () => {
  it('sends the decision once it is made, signed like a press, and records the delivery', async () => {
    const id = await t.send({ ...DEPLOY, replyUrl: receiver.url });
    await press(id, 'ship', { input: 'go' });
    expect(await t.app.replySender.tick()).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    const got = receiver.requests[0]!;
    const body = new Webhook(await t.secret()).verify(got.rawBody, flatHeaders(got.headers)) as ReplyBody;
    expect(body).toMatchObject({ type: 'decision', decision: { id, status: 'decided', key: 'ship', input: 'go' }, event: { id, name: DEPLOY.name }, project: { slug: 'default' } });
    expect((await t.detail(id)).replyDelivery).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200, lastReason: null, nextAt: null });
    // Delivered: never again.
    clock += 3_600_000;
    expect(await t.app.replySender.tick()).toBe(0);
    expect(receiver.requests).toHaveLength(1);
  });

  it('tries again with backoff while the receiver fails, with the same webhook-id, and stops after a day', async () => {
    let answers = 0;
    const failing = await startReceiver((res) => res.writeHead(++answers < 3 ? 503 : 204).end());
    const id = await t.send({ ...DEPLOY, replyUrl: failing.url });
    await press(id, 'hold');
    await t.app.replySender.tick();
    expect(failing.requests).toHaveLength(1);
    // Not due again yet: 10 s, then 20 s.
    clock += 9_000;
    expect(await t.app.replySender.tick()).toBe(0);
    clock += 1_000;
    await t.app.replySender.tick();
    clock += 20_000;
    await t.app.replySender.tick();
    expect(failing.requests).toHaveLength(3);
    expect(new Set(failing.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const row = await t.store.replies.bySeq((await t.store.events.byId(id))!.seq);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_status: 204 });

    const dead = await startReceiver((res) => res.writeHead(500).end());
    const gone = await t.send({ ...DEPLOY, replyUrl: dead.url });
    await press(gone, 'hold');
    for (let i = 0; i < 40; i++) {
      await t.app.replySender.tick();
      clock += 3_600_000;
    }
    const given = await t.store.replies.bySeq((await t.store.events.byId(gone))!.seq);
    expect(given?.status).toBe('gave_up');
    expect(dead.requests.length).toBeLessThan(40);
  });

  it('sends `expired` when every reply expired undecided', async () => {
    const id = await t.send({ name: 'q', replyUrl: receiver.url, actions: [{ key: 'yes', buttonText: 'Yes', reply: true, expireIn: 1 }] });
    expect(await t.app.replySender.tick()).toBe(0);
    clock += 61_000;
    expect(await t.app.replySender.tick()).toBe(1);
    expect(JSON.parse(receiver.requests[0]!.rawBody)).toMatchObject({ decision: { id, status: 'expired', key: null } });
  });

  it('an ingest key cannot make the server post to a private address without WEBHOOK_ALLOW_PRIVATE', async () => {
    const strict = await actionsApp({ now: () => clock, env: { WEBHOOK_TIMEOUT_MS: '1000' } });
    try {
      const res = await ingest(strict.app, strict.key, { ...DEPLOY, replyUrl: receiver.url });
      const id = res.json<{ id: string }>().id;
      await strict.app.inject({ method: 'POST', url: `/api/events/${id}/actions/hold/trigger`, headers: { cookie: strict.cookie, origin: OWN_ORIGIN }, payload: {} });
      await strict.app.replySender.tick();
      expect(receiver.requests).toHaveLength(0);
      const row = await strict.store.replies.bySeq((await strict.store.events.byId(id))!.seq);
      expect(row).toMatchObject({ status: 'pending', last_reason: 'blocked_by_policy' });
    } finally {
      await strict.cleanup();
    }
  });
});
