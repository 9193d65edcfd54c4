/**
 * Presses that wait (CONTRACT §10), on the run's store: a delay that anyone who may press can cancel,
 * approvals by other people (m-of-n, never the requester, with step-up), denial with a reason, and
 * silence that expires — against a real receiver, driven by the test's clock and the scheduler's tick.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionDto, AuditPage, TriggerResult, TriggerWaiting } from '../contract/api.ts';
import type { PressRequestDto } from '../contract/requests.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { type ActionsApp, actionsApp, errorCode, type Receiver, startReceiver, stopReceivers, webhookBody } from './actions-helpers.ts';
import { OWN_ORIGIN, OWNER_EMAIL, sessionFor } from './helpers.ts';

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

const post = (url: string, cookie: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: { cookie, origin: OWN_ORIGIN }, payload });
const approve = (id: string, cookie: string, payload: object = {}) => post(`/api/approvals/${id}/approve`, cookie, payload);
const deny = (id: string, cookie: string, payload: object = {}) => post(`/api/approvals/${id}/deny`, cookie, payload);
const cancel = (eventId: string, cookie: string, key = 'approve') => post(`/api/events/${eventId}/actions/${key}/cancel`, cookie);
const putPolicy = (payload: object) => t.app.inject({ method: 'PUT', url: '/api/projects/default/policy', headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload });
const actionOf = async (id: string): Promise<ActionDto> => (await t.detail(id)).event.actions[0]!;
const audit = async () => (await t.app.inject({ method: 'GET', url: '/api/projects/default/audit', headers: { cookie: t.cookie } })).json<AuditPage>().entries;

async function person(email: string, role: 'admin' | 'member' | 'viewer') {
  const user = await t.store.users.create(email, 'x', 'member', clock);
  await t.store.members.add(DEFAULT_PROJECT_ID, user.id, role, clock);
  return { id: user.id, email, cookie: await sessionFor(t.store, user.id) };
}

/** Everything due by the test's clock is handled, and the presses sent have their outcomes. */
const tick = () => t.app.pressScheduler.tick();

describe('a delay that can be cancelled', () => {
  it('answers 202 scheduled, holds the action, and sends it once at runsAt with the id made when it was pressed', async () => {
    const id = await t.sendAction(receiver.url, { type: 'danger' });
    const res = await t.press(id);
    expect(res.statusCode).toBe(202);
    const waiting = res.json<TriggerWaiting>();
    expect(waiting).toMatchObject({ status: 'scheduled', runsAt: new Date(clock + 5_000).toISOString(), request: { needed: 0 } });

    const held = await actionOf(id);
    expect(held.state).toBe('scheduled');
    expect(held.request).toMatchObject<Partial<PressRequestDto>>({ id: waiting.request.id, status: 'scheduled', risk: 'high', delaySeconds: 5, requestedBy: { id: expect.any(String), email: OWNER_EMAIL } });

    // Another press while it waits is refused, and so is the push's button (the action is not pressable).
    const again = await t.press(id);
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('already_scheduled');

    clock += 4_000;
    expect(await tick()).toBe(0);
    expect(receiver.requests).toHaveLength(0);

    clock += 1_000;
    expect(await tick()).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    // Only once, however often the scheduler looks.
    clock += 10_000;
    expect(await tick()).toBe(0);
    expect(receiver.requests).toHaveLength(1);

    const got = receiver.requests[0]!;
    const body = webhookBody(got) as ReturnType<typeof webhookBody> & { risk: string; approvedBy: unknown[] };
    expect(body.risk).toBe('high');
    expect(body.approvedBy).toEqual([]);
    expect(body.pressedBy.email).toBe(OWNER_EMAIL);
    const sent = await actionOf(id);
    expect(sent.state).toBe('succeeded');
    expect(sent.request?.status).toBe('sent');
    expect(sent.lastAttempt).toMatchObject({ id: got.headers['webhook-id'], pressedBy: OWNER_EMAIL, outcome: 'succeeded' });
    const kinds = (await audit()).map((e) => e.kind);
    expect(kinds).toContain('action.requested');
    expect(kinds).toContain('action.pressed');
  });

  it('is cancelled by anyone who may press the action, sends nothing, and says who; a viewer may not, nor a second time', async () => {
    const ben = await person('ben@example.com', 'member');
    const vera = await person('vera@example.com', 'viewer');
    const id = await t.sendAction(receiver.url, { type: 'danger' });
    expect((await t.press(id)).statusCode).toBe(202);

    expect((await cancel(id, vera.cookie)).statusCode).toBe(403);
    const res = await cancel(id, ben.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ request: PressRequestDto }>().request).toMatchObject({ status: 'cancelled', ended: { by: { email: 'ben@example.com' } } });
    const after = await actionOf(id);
    expect(after.state).toBe('idle');

    clock += 60_000;
    await tick();
    expect(receiver.requests).toHaveLength(0);

    const twice = await cancel(id, ben.cookie);
    expect(twice.statusCode).toBe(409);
    expect(errorCode(twice)).toBe('nothing_to_cancel');
    expect((await audit()).find((e) => e.kind === 'action.cancelled')?.actor.email).toBe('ben@example.com');

    // It may be pressed again: a new request.
    expect((await t.press(id)).statusCode).toBe(202);
    expect((await actionOf(id)).request?.status).toBe('scheduled');
  });

  it('cannot cancel a press that has already been sent (409), and an action that expired while it waited is not sent', async () => {
    const id = await t.sendAction(receiver.url, { type: 'danger' });
    await t.press(id);
    clock += 5_000;
    await tick();
    expect(receiver.requests).toHaveLength(1);
    const late = await cancel(id, t.cookie);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/already been sent/);

    // expireIn: 1 minute; the delay (5 min here) ends after it.
    expect((await putPolicy({ high: { delaySeconds: 300 } })).statusCode).toBe(200);
    const short = await t.sendAction(receiver.url, { type: 'danger', expireIn: 1 });
    expect((await t.press(short)).statusCode).toBe(202);
    clock += 300_000;
    await tick();
    expect(receiver.requests).toHaveLength(1);
    expect((await actionOf(short)).request?.status).toBe('expired');
  });
});

describe('a freeze', () => {
  it('stops a press that waits for its delay: it ends cancelled by whoever froze the presses, and nothing is sent', async () => {
    const id = await t.sendAction(receiver.url, { type: 'danger' });
    expect((await t.press(id)).statusCode).toBe(202);
    const cleo = await person('cleo@example.com', 'admin');
    const frozen = await t.app.inject({ method: 'PUT', url: '/api/projects/default/policy', headers: { cookie: cleo.cookie, origin: OWN_ORIGIN }, payload: { freeze: true } });
    expect(frozen.statusCode).toBe(200);
    clock += 5_000;
    await tick();
    expect(receiver.requests).toHaveLength(0);
    const action = await actionOf(id);
    expect(action.state).toBe('idle');
    expect(action.request).toMatchObject({ status: 'cancelled', ended: { by: { email: 'cleo@example.com' }, reason: 'presses are frozen in this project' } });
    expect((await audit()).find((e) => e.kind === 'action.cancelled')?.detail).toMatchObject({ why: 'presses are frozen (by cleo@example.com)' });
  });
});

describe('approvals', () => {
  it('waits for someone else’s yes (never the requester’s), then its delay, then sends one POST naming both', async () => {
    const ana = await person('ana@example.com', 'member');
    const ben = await person('ben@example.com', 'member');
    const vera = await person('vera@example.com', 'viewer');
    const outsider = await t.store.users.create('out@example.com', 'x', 'member', clock);
    const id = await t.sendAction(receiver.url, { risk: 'critical', buttonText: 'Refund €42' });

    const res = await t.press(id, 'approve', { cookie: ana.cookie, origin: OWN_ORIGIN });
    expect(res.statusCode).toBe(202);
    const waiting = res.json<TriggerWaiting>();
    expect(waiting).toMatchObject({ status: 'awaiting_approval', request: { needed: 1, expiresAt: new Date(clock + 3600_000).toISOString() } });
    const requestId = waiting.request.id;
    expect((await actionOf(id)).state).toBe('awaiting_approval');
    // Those who may approve are asked by push: the owner and Ben — not Ana, not the viewer.
    expect((await t.store.push.pending()).outbox).toBe(2);

    const again = await t.press(id, 'approve', { cookie: ben.cookie, origin: OWN_ORIGIN });
    expect(errorCode(again)).toBe('awaiting_approval');

    const own = await approve(requestId, ana.cookie);
    expect(own.statusCode).toBe(403);
    expect(errorCode(own)).toBe('own_request');
    expect((await approve(requestId, vera.cookie)).statusCode).toBe(403);
    expect((await approve(requestId, await sessionFor(t.store, outsider.id))).statusCode).toBe(404);
    expect((await approve('req_nope', ben.cookie)).statusCode).toBe(404);

    const yes = await approve(requestId, ben.cookie);
    expect(yes.statusCode).toBe(200);
    expect(yes.json<{ request: PressRequestDto }>().request).toMatchObject({
      status: 'scheduled',
      runsAt: new Date(clock + 15_000).toISOString(),
      approvedBy: [{ email: 'ben@example.com', at: new Date(clock).toISOString() }],
    });
    const twice = await approve(requestId, ben.cookie);
    expect(errorCode(twice)).toBe('request_closed');
    expect(receiver.requests).toHaveLength(0);

    clock += 15_000;
    await tick();
    expect(receiver.requests).toHaveLength(1);
    const body = webhookBody(receiver.requests[0]) as ReturnType<typeof webhookBody> & { risk: string; approvedBy: { id: string; email: string }[] };
    expect(body.pressedBy.email).toBe('ana@example.com');
    expect(body.approvedBy).toEqual([{ id: ben.id, email: 'ben@example.com' }]);
    expect(body.risk).toBe('critical');
    const kinds = (await audit()).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['action.requested', 'action.approved', 'action.pressed']));
  });

  it('counts two different approvers when the policy asks for two', async () => {
    expect((await putPolicy({ critical: { approvals: 2, delaySeconds: 0 } })).statusCode).toBe(200);
    const ben = await person('ben@example.com', 'member');
    const cleo = await person('cleo@example.com', 'admin');
    const id = await t.sendAction(receiver.url, { risk: 'critical' });
    const requestId = (await t.press(id)).json<TriggerWaiting>().request.id;
    const first = await approve(requestId, ben.cookie);
    expect(first.json<{ request: PressRequestDto }>().request).toMatchObject({ status: 'awaiting_approval', needed: 2 });
    expect(errorCode(await approve(requestId, ben.cookie))).toBe('already_approved');
    const second = await approve(requestId, cleo.cookie);
    expect(second.json<{ request: PressRequestDto }>().request.status).toBe('scheduled');
    // No delay: due at once.
    await tick();
    expect(receiver.requests).toHaveLength(1);
    expect((webhookBody(receiver.requests[0]) as unknown as { approvedBy: { email: string }[] }).approvedBy.map((a) => a.email).sort()).toEqual(['ben@example.com', 'cleo@example.com']);
  });

  it('a deny ends it with who and why; the action may be pressed again', async () => {
    // The hours this test's clock moves are not a step-up test.
    expect((await putPolicy({ critical: { stepUpMinutes: 0 } })).statusCode).toBe(200);
    const ben = await person('ben@example.com', 'member');
    const id = await t.sendAction(receiver.url, { risk: 'critical' });
    const requestId = (await t.press(id)).json<TriggerWaiting>().request.id;
    const tooLong = await deny(requestId, ben.cookie, { reason: 'x'.repeat(301) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.field).toBe('reason');
    const no = await deny(requestId, ben.cookie, { reason: 'customer already refunded' });
    expect(no.statusCode).toBe(200);
    expect(no.json<{ request: PressRequestDto }>().request).toMatchObject({ status: 'denied', ended: { by: { email: 'ben@example.com' }, reason: 'customer already refunded' } });
    expect((await actionOf(id)).state).toBe('idle');
    expect(errorCode(await approve(requestId, ben.cookie))).toBe('request_closed');
    expect((await audit()).find((e) => e.kind === 'action.denied')?.detail).toMatchObject({ reason: 'customer already refunded' });
    clock += 3600_000;
    await tick();
    expect(receiver.requests).toHaveLength(0);
    expect((await t.press(id)).statusCode).toBe(202);
  });

  it('silence is never a yes: unanswered, it expires (with the action, or after an hour)', async () => {
    // The hours this test's clock moves are not a step-up test.
    expect((await putPolicy({ critical: { stepUpMinutes: 0 } })).statusCode).toBe(200);
    const ben = await person('ben@example.com', 'member');
    const id = await t.sendAction(receiver.url, { risk: 'critical' });
    const requestId = (await t.press(id)).json<TriggerWaiting>().request.id;
    clock += 3600_000;
    // Answered after its time, before the scheduler saw it: refused, and it ends.
    const late = await approve(requestId, ben.cookie);
    expect(late.statusCode).toBe(409);
    expect(errorCode(late)).toBe('approval_expired');
    const action = await actionOf(id);
    expect(action.state).toBe('idle');
    expect(action.request?.status).toBe('approval_expired');

    // The scheduler ends the next one on its own; an action that expires sooner ends it sooner.
    const soon = await t.sendAction(receiver.url, { risk: 'critical', expireIn: 10 });
    const r2 = (await t.press(soon)).json<TriggerWaiting>();
    expect(r2.request.expiresAt).toBe(new Date(clock + 10 * 60_000).toISOString());
    clock += 10 * 60_000;
    expect(await tick()).toBe(1);
    expect((await actionOf(soon)).request?.status).toBe('approval_expired');
    expect((await audit()).filter((e) => e.kind === 'action.request_expired')).toHaveLength(2);
    expect(receiver.requests).toHaveLength(0);
  });

  it('an approver meets the same step-up rule as a presser, and a frozen project takes no approvals', async () => {
    const ben = await person('ben@example.com', 'member');
    const id = await t.sendAction(receiver.url, { risk: 'critical' });
    const requestId = (await t.press(id)).json<TriggerWaiting>().request.id;
    clock += 6 * 60_000; // past critical's 5 minutes for Ben's session
    const res = await approve(requestId, ben.cookie);
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('step_up_required');
    expect((await actionOf(id)).request?.approvedBy).toEqual([]);

    expect((await putPolicy({ freeze: true })).statusCode).toBe(200);
    const fresh = await sessionFor(t.store, ben.id);
    const frozen = await approve(requestId, fresh);
    expect(frozen.statusCode).toBe(423);
  });

  it('refuses a body it does not know (400 naming the field)', async () => {
    const ben = await person('ben@example.com', 'member');
    const id = await t.sendAction(receiver.url, { risk: 'critical' });
    const requestId = (await t.press(id)).json<TriggerWaiting>().request.id;
    const res = await approve(requestId, ben.cookie, { reasn: 'typo' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('reasn');
  });
});

describe('a low action', () => {
  it('still runs at once (200 with its attempt)', async () => {
    const id = await t.sendAction(receiver.url);
    const res = await t.press(id);
    expect(res.statusCode).toBe(200);
    expect(res.json<TriggerResult>().attempt.outcome).toBe('succeeded');
    expect((await actionOf(id)).request).toBeNull();
  });
});
