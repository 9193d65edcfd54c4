/**
 * POST /api/events/:id/actions/:key/trigger against real receivers (CONTRACT.md §2): what counts as
 * success, how failures are named, what the attempt history records, retries, repeat, refusals, threads.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TriggerResult } from '../contract/api.ts';
import {
  type ActionsApp,
  actionsApp,
  closedPortUrl,
  errorCode,
  LONG_ANSWER,
  LONG_ANSWER_EXCERPT,
  type Receiver,
  startReceiver,
  stopReceivers,
  webhookBody,
} from './actions-helpers.ts';
import { OWNER_EMAIL } from './helpers.ts';

let t: ActionsApp;
beforeEach(async () => {
  t = await actionsApp();
});
afterEach(async () => {
  await t.cleanup();
  await stopReceivers();
});

/** Presses `approve` on a fresh event pointing at `url`; returns the answer and the event id. */
async function pressOnce(url: string) {
  const id = await t.sendAction(url);
  const res = await t.press(id);
  expect(res.statusCode).toBe(200);
  return { id, result: res.json<TriggerResult>() };
}

/** The event's history must hold exactly this one finished attempt, matching the trigger answer. */
async function expectHistory(id: string, result: TriggerResult, expected: { outcome: string; status: number | null; reason: string | null; response: string }) {
  const detail = await t.detail(id);
  const action = detail.event.actions.find((a) => a.key === 'approve');
  expect(action?.state).toBe(expected.outcome);
  expect(action?.attempts).toBe(1);
  expect(action?.lastAttempt).toMatchObject({ id: result.attempt.id, outcome: expected.outcome, status: expected.status, reason: expected.reason });
  expect(detail.attempts).toHaveLength(1);
  const [attempt] = detail.attempts;
  expect(attempt).toMatchObject({
    id: result.attempt.id,
    actionKey: 'approve',
    number: 1,
    pressedBy: OWNER_EMAIL,
    outcome: expected.outcome,
    status: expected.status,
    reason: expected.reason,
    response: expected.response,
  });
  expect(typeof attempt?.durationMs).toBe('number');
  expect(attempt?.finishedAt).not.toBeNull();
}

describe('trigger: what the receiver answers decides the outcome', () => {
  it.each([200, 201])('HTTP %i succeeds and records status, presser and the first 1 KiB of the answer', async (code) => {
    const r = await startReceiver((res) => res.writeHead(code, { 'content-type': 'text/plain' }).end(LONG_ANSWER));
    const { id, result } = await pressOnce(r.url);
    expect(r.requests).toHaveLength(1);
    expect(result.action.state).toBe('succeeded');
    expect(result.attempt).toMatchObject({ outcome: 'succeeded', status: code, reason: null, response: LONG_ANSWER_EXCERPT, pressedBy: OWNER_EMAIL });
    expect(typeof result.attempt.durationMs).toBe('number');
    expect(Number.isNaN(Date.parse(result.serverTime))).toBe(false);
    await expectHistory(id, result, { outcome: 'succeeded', status: code, reason: null, response: LONG_ANSWER_EXCERPT });
  });

  it.each([202, 500])('HTTP %i fails with reason http_<status>, keeping the first 1 KiB of the answer', async (code) => {
    const r = await startReceiver((res) => res.writeHead(code).end(LONG_ANSWER));
    const { id, result } = await pressOnce(r.url);
    expect(r.requests).toHaveLength(1);
    expect(result.action.state).toBe('failed');
    expect(result.attempt).toMatchObject({ outcome: 'failed', status: code, reason: `http_${code}`, response: LONG_ANSWER_EXCERPT });
    await expectHistory(id, result, { outcome: 'failed', status: code, reason: `http_${code}`, response: LONG_ANSWER_EXCERPT });
  });

  it('HTTP 204 fails with reason http_204 and an empty response', async () => {
    const r = await startReceiver((res) => res.writeHead(204).end());
    const { id, result } = await pressOnce(r.url);
    expect(r.requests).toHaveLength(1);
    expect(result.attempt).toMatchObject({ outcome: 'failed', status: 204, reason: 'http_204', response: '' });
    await expectHistory(id, result, { outcome: 'failed', status: 204, reason: 'http_204', response: '' });
  });

  it('HTTP 302 fails with reason http_302 and the redirect is not followed', async () => {
    const elsewhere = await startReceiver();
    const r = await startReceiver((res) => res.writeHead(302, { location: elsewhere.url }).end(LONG_ANSWER));
    const { id, result } = await pressOnce(r.url);
    expect(r.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
    expect(result.action.state).toBe('failed');
    expect(result.attempt).toMatchObject({ outcome: 'failed', status: 302, reason: 'http_302' });
    await expectHistory(id, result, { outcome: 'failed', status: 302, reason: 'http_302', response: LONG_ANSWER_EXCERPT });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a receiver that never answers fails with reason timeout and no status', async () => {
    const r = await startReceiver(() => {
      // Holds the request open until the test's cleanup closes the connection.
    });
    const { id, result } = await pressOnce(r.url);
    expect(r.requests).toHaveLength(1);
    expect(result.action.state).toBe('failed');
    expect(result.attempt).toMatchObject({ outcome: 'failed', status: null, reason: 'timeout', response: '' });
    await expectHistory(id, result, { outcome: 'failed', status: null, reason: 'timeout', response: '' });
  });

  it('a closed port fails with reason connection_refused', async () => {
    const { id, result } = await pressOnce(await closedPortUrl());
    expect(result.action.state).toBe('failed');
    expect(result.attempt).toMatchObject({ outcome: 'failed', status: null, reason: 'connection_refused', response: '' });
    await expectHistory(id, result, { outcome: 'failed', status: null, reason: 'connection_refused', response: '' });
  });
});

describe('trigger: pressing again', () => {
  it('a failed action can be pressed again, and the receiver sees attempt 2', async () => {
    let answers = 0;
    const r = await startReceiver((res) => res.writeHead(++answers === 1 ? 500 : 200).end(`answer ${answers}`));
    const id = await t.sendAction(r.url);

    const first = await t.press(id);
    expect(first.json<TriggerResult>().action.state).toBe('failed');
    const second = await t.press(id);
    expect(second.statusCode).toBe(200);
    const result = second.json<TriggerResult>();
    expect(result.action).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(result.attempt).toMatchObject({ number: 2, outcome: 'succeeded', status: 200, response: 'answer 2' });

    expect(r.requests.map((q) => webhookBody(q).action.attempt)).toEqual([1, 2]);
    const detail = await t.detail(id);
    expect(detail.attempts.map((a) => [a.number, a.outcome, a.reason])).toEqual([
      [1, 'failed', 'http_500'],
      [2, 'succeeded', null],
    ]);
    expect(new Set(detail.attempts.map((a) => a.id)).size).toBe(2);
  });

  it('a succeeded action without repeat is refused with 409 already_done and no request', async () => {
    const r = await startReceiver();
    const id = await t.sendAction(r.url);
    expect((await t.press(id)).statusCode).toBe(200);
    const again = await t.press(id);
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('already_done');
    expect(r.requests).toHaveLength(1);
    expect((await t.detail(id)).attempts).toHaveLength(1);
  });

  it('a succeeded action with repeat: true can be pressed again', async () => {
    const r = await startReceiver();
    const id = await t.sendAction(r.url, { repeat: true });
    for (const n of [1, 2, 3]) {
      const res = await t.press(id);
      expect(res.statusCode).toBe(200);
      expect(res.json<TriggerResult>()).toMatchObject({ action: { state: 'succeeded', attempts: n, repeat: true }, attempt: { number: n } });
    }
    expect(r.requests.map((q) => webhookBody(q).action.attempt)).toEqual([1, 2, 3]);
  });
});

describe('trigger: refusals', () => {
  let r: Receiver;
  beforeEach(async () => {
    r = await startReceiver();
  });

  it('refuses an external action with 409 external_action and never calls its URL', async () => {
    const id = await t.sendAction(r.url, { external: true });
    const res = await t.press(id);
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('external_action');
    expect(r.requests).toHaveLength(0);
    expect((await t.detail(id)).event.actions[0]).toMatchObject({ state: 'idle', attempts: 0, external: true });
  });

  it('answers an unknown action key with 404 and calls nothing', async () => {
    const id = await t.sendAction(r.url);
    const res = await t.press(id, 'no_such_key');
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('not_found');
    expect(r.requests).toHaveLength(0);
  });

  it('answers an unknown event with 404 and calls nothing', async () => {
    await t.sendAction(r.url);
    const res = await t.press('0000000000nosuchevent', 'approve');
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('not_found');
    expect(r.requests).toHaveLength(0);
  });

  it('presses the right one of several actions, by key, including a key that needs URL escaping', async () => {
    const other = await startReceiver();
    const id = await t.send({
      name: 'two buttons',
      actions: [
        { key: 'reject', buttonText: 'Reject', url: other.url },
        { key: 'ship it/prod ✓', buttonText: 'Ship', url: r.url },
      ],
    });
    const res = await t.press(id, 'ship it/prod ✓');
    expect(res.statusCode).toBe(200);
    expect(res.json<TriggerResult>().action).toMatchObject({ key: 'ship it/prod ✓', state: 'succeeded' });
    expect(r.requests).toHaveLength(1);
    expect(webhookBody(r.requests[0]).action.key).toBe('ship it/prod ✓');
    expect(other.requests).toHaveLength(0);
    expect((await t.detail(id)).event.actions.map((a) => a.state)).toEqual(['idle', 'succeeded']);
  });
});

describe('trigger: threads', () => {
  it('an action on a later event of a thread can be pressed and shows succeeded in the parent thread', async () => {
    const r = await startReceiver();
    const parentId = await t.send({ name: 'release 1.2 started', contextId: 'release-1.2', contextStart: true });
    const childId = await t.sendAction(r.url, {}, { name: 'release 1.2 needs approval', contextId: 'release-1.2' });

    const res = await t.press(childId);
    expect(res.statusCode).toBe(200);
    expect(res.json<TriggerResult>().action.state).toBe('succeeded');
    expect(webhookBody(r.requests[0]).event).toMatchObject({ id: childId, contextId: 'release-1.2' });

    const parent = await t.detail(parentId);
    expect(parent.thread.map((e) => e.id)).toEqual([childId]);
    expect(parent.thread[0]?.parentId).toBe(parentId);
    expect(parent.thread[0]?.actions[0]).toMatchObject({ key: 'approve', state: 'succeeded', attempts: 1 });
    // The attempts belong to the child event, not the thread's opener.
    expect(parent.attempts).toEqual([]);
    expect((await t.detail(childId)).attempts).toHaveLength(1);
  });
});

describe('trigger: answers of private destinations', () => {
  it('with WEBHOOK_ALLOW_PRIVATE alone, an internal host\'s answer is not stored (every user reads attempts); WEBHOOK_KEEP_PRIVATE_RESPONSES keeps it', async () => {
    const receiver = await startReceiver((res) => res.writeHead(500).end('internal stack trace: db password=hunter2'));
    for (const [keep, expected] of [['false', ''], ['true', 'internal stack trace: db password=hunter2']] as const) {
      const app = await actionsApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_KEEP_PRIVATE_RESPONSES: keep, WEBHOOK_TIMEOUT_MS: '1000' } });
      try {
        const id = await app.sendAction(receiver.url);
        const res = await app.press(id);
        expect(res.statusCode).toBe(200);
        const result = res.json<TriggerResult>();
        expect(result.attempt).toMatchObject({ outcome: 'failed', status: 500, reason: 'http_500', response: expected });
        expect((await app.detail(id)).attempts[0]?.response).toBe(expected);
      } finally {
        await app.cleanup();
      }
    }
    expect(receiver.requests).toHaveLength(2);
  });
});
