/**
 * What a press requires (CONTRACT §10), on the run's store: an action's risk and confirmText at
 * ingest; the project's policy (read by everyone in it, changed by admins, audited); the freeze
 * (423 for high and critical presses, audited as a refusal); step-up (401 until the person proves who
 * they are again, by password) — against real receivers, with a second person of fewer rights.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditPage, EventDetail } from '../contract/api.ts';
import type { Policy } from '../contract/policy.ts';
import { type ActionsApp, actionsApp, errorCode, type Receiver, startReceiver, stopReceivers } from './actions-helpers.ts';
import { ingest, OWN_ORIGIN, OWNER_EMAIL, OWNER_PASSWORD, sessionFor } from './helpers.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';

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

const getPolicy = (cookie = t.cookie) => t.app.inject({ method: 'GET', url: '/api/projects/default/policy', headers: { cookie } });
const putPolicy = (payload: unknown, cookie = t.cookie) => t.app.inject({ method: 'PUT', url: '/api/projects/default/policy', headers: { cookie, origin: OWN_ORIGIN }, payload: payload as object });
const stepUp = (password: string, cookie = t.cookie) =>
  t.app.inject({ method: 'POST', url: '/api/auth/step-up', headers: { cookie, origin: OWN_ORIGIN }, payload: { password, project: 'default' } });
const auditKinds = async () => (await t.app.inject({ method: 'GET', url: '/api/projects/default/audit', headers: { cookie: t.cookie } })).json<AuditPage>().entries;

async function personWith(role: 'admin' | 'member' | 'viewer') {
  const user = await t.store.users.create(`${role}@example.com`, 'x', 'member', clock);
  await t.store.members.add(DEFAULT_PROJECT_ID, user.id, role, clock);
  return sessionFor(t.store, user.id);
}

describe('risk and confirmText at ingest', () => {
  it('takes the sender’s risk, makes a danger button high and anything else low, and keeps confirmText', async () => {
    const id = await t.send({
      name: 'Refund',
      actions: [
        { key: 'refund', buttonText: 'Refund', url: receiver.url, risk: 'critical', confirmText: '  Refund 1,249.00 EUR to Northwind ' },
        { key: 'ban', buttonText: 'Ban', url: receiver.url, type: 'danger' },
        { key: 'note', buttonText: 'Note', url: receiver.url },
        { key: 'soft', buttonText: 'Soft', url: receiver.url, type: 'danger', risk: 'low' },
      ],
    });
    const { event } = await t.detail(id);
    expect(event.actions.map((a) => [a.key, a.risk, a.confirmText])).toEqual([
      ['refund', 'critical', 'Refund 1,249.00 EUR to Northwind'],
      ['ban', 'high', null],
      ['note', 'low', null],
      ['soft', 'low', null],
    ]);
  });

  it.each([
    [{ risk: 'medium' }, 'actions[0].risk'],
    [{ risk: 3 }, 'actions[0].risk'],
    [{ confirmText: 'x'.repeat(301) }, 'actions[0].confirmText'],
    [{ confirmText: '   ' }, 'actions[0].confirmText'],
    [{ confirmText: 42 }, 'actions[0].confirmText'],
  ])('refuses %j with a 400 naming %s', async (extra, field) => {
    const res = await ingest(t.app, t.key, { name: 'x', actions: [{ buttonText: 'Go', url: receiver.url, ...extra }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe(field);
  });

  it('sends the risk and (for now nobody’s) approvals in the signed webhook body', async () => {
    const id = await t.sendAction(receiver.url, { risk: 'low' });
    expect((await t.press(id)).statusCode).toBe(200);
    const body = JSON.parse(receiver.requests[0]!.rawBody);
    expect(body.risk).toBe('low');
    expect(body.approvedBy).toEqual([]);
  });
});

describe('the policy', () => {
  it('starts at the contract’s defaults, read by every role in the project; changed only by admins, in parts, audited', async () => {
    const viewer = await personWith('viewer');
    const member = await personWith('member');
    const admin = await personWith('admin');
    for (const cookie of [viewer, member, t.cookie]) {
      const res = await getPolicy(cookie);
      expect(res.statusCode).toBe(200);
      expect(res.json<Policy>()).toMatchObject({
        low: { stepUpMinutes: 0, approvals: 0, delaySeconds: 0 },
        high: { stepUpMinutes: 30, approvals: 0, delaySeconds: 5 },
        critical: { stepUpMinutes: 5, approvals: 1, delaySeconds: 15 },
        freeze: false,
        frozen: null,
        updatedAt: null,
      });
    }
    for (const cookie of [viewer, member]) {
      const res = await putPolicy({ high: { delaySeconds: 0 } }, cookie);
      expect(res.statusCode).toBe(403);
    }
    const changed = await putPolicy({ high: { delaySeconds: 60 }, critical: { approvals: 2 } }, admin);
    expect(changed.statusCode).toBe(200);
    const policy = (await getPolicy(viewer)).json<Policy>();
    // What was left out stays.
    expect(policy.high).toEqual({ stepUpMinutes: 30, approvals: 0, delaySeconds: 60 });
    expect(policy.critical).toEqual({ stepUpMinutes: 5, approvals: 2, delaySeconds: 15 });
    expect(policy.low).toEqual({ stepUpMinutes: 0, approvals: 0, delaySeconds: 0 });
    expect(policy.updatedBy).toBe('admin@example.com');
    const entry = (await auditKinds()).find((e) => e.kind === 'policy.changed');
    expect(entry?.actor.email).toBe('admin@example.com');
    expect(entry?.detail).toMatchObject({ change: { high: { delaySeconds: 60 }, critical: { approvals: 2 } } });
  });

  it.each([
    [{ high: { delaySeconds: 301 } }, 'high.delaySeconds'],
    [{ high: { delaySeconds: -1 } }, 'high.delaySeconds'],
    [{ low: { stepUpMinutes: 1441 } }, 'low.stepUpMinutes'],
    [{ low: { stepUpMinutes: 2.5 } }, 'low.stepUpMinutes'],
    [{ critical: { approvals: 3 } }, 'critical.approvals'],
    [{ critical: { approvals: '1' } }, 'critical.approvals'],
    [{ medium: { approvals: 1 } }, 'medium'],
    [{ high: { wait: 1 } }, 'high.wait'],
    [{ high: 5 }, 'high'],
    [{ freeze: 'yes' }, 'freeze'],
  ])('refuses %j with a 400 naming %s, and changes nothing', async (payload, field) => {
    const res = await putPolicy(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_field', field });
    expect((await getPolicy()).json<Policy>().updatedAt).toBeNull();
  });
});

describe('the freeze', () => {
  it('refuses high and critical presses with 423 naming who froze it and when, lets low ones run, and is audited', async () => {
    const admin = await personWith('admin');
    const frozen = await putPolicy({ freeze: true }, admin);
    expect(frozen.json<Policy>()).toMatchObject({ freeze: true, frozen: { by: { email: 'admin@example.com' }, at: new Date(clock).toISOString() } });

    const high = await t.sendAction(receiver.url, { type: 'danger' });
    const critical = await t.sendAction(receiver.url, { risk: 'critical' });
    for (const id of [high, critical]) {
      const res = await t.press(id);
      expect(res.statusCode).toBe(423);
      expect(errorCode(res)).toBe('frozen');
      expect(res.json().error.message).toContain('admin@example.com');
      expect(res.json().error.message).toContain(new Date(clock).toISOString());
      expect((await t.detail(id)).event.actions[0]!.state).toBe('idle');
    }
    expect(receiver.requests).toHaveLength(0);
    const refusals = (await auditKinds()).filter((e) => e.kind === 'action.refused');
    expect(refusals).toHaveLength(2);
    expect(refusals[0]?.outcome?.result).toBe('refused');

    const low = await t.sendAction(receiver.url);
    expect((await t.press(low)).statusCode).toBe(200);
    expect(receiver.requests).toHaveLength(1);

    // Unfrozen: the high press is taken (it waits for high's delay).
    const thawed = await putPolicy({ freeze: false });
    expect(thawed.json<Policy>()).toMatchObject({ freeze: false, frozen: null });
    expect((await t.press(high)).statusCode).toBe(202);
  });

  it('keeps who froze it first when it is frozen again', async () => {
    const admin = await personWith('admin');
    await putPolicy({ freeze: true }, admin);
    clock += 60_000;
    const again = await putPolicy({ freeze: true });
    expect(again.json<Policy>().frozen?.by.email).toBe('admin@example.com');
  });
});

describe('step-up', () => {
  // Presses that pass run at once here: delays and approvals are test/press-requests.test.ts's.
  beforeEach(async () => {
    expect((await putPolicy({ high: { delaySeconds: 0 }, critical: { approvals: 0, delaySeconds: 0 } })).statusCode).toBe(200);
  });

  it('a session older than the risk’s window cannot press until its person proves who they are; signing in counts', async () => {
    const high = await t.sendAction(receiver.url, { type: 'danger', repeat: true });
    const low = await t.sendAction(receiver.url);
    // Signed in just now: the high press runs.
    expect((await t.press(high)).statusCode).toBe(200);

    clock += 31 * 60_000; // past high's 30 minutes
    const refused = await t.press(high);
    expect(refused.statusCode).toBe(401);
    expect(errorCode(refused)).toBe('step_up_required');
    expect(receiver.requests).toHaveLength(1);
    // The session stands: it still reads, and a low press needs no proof.
    expect((await t.detail(high)).event.id).toBe(high);
    expect((await t.press(low)).statusCode).toBe(200);

    const wrong = await stepUp('not my password');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error).toMatchObject({ code: 'wrong_password', field: 'password' });
    expect((await t.press(high)).statusCode).toBe(401);

    const proved = await stepUp(OWNER_PASSWORD);
    expect(proved.statusCode).toBe(200);
    expect(proved.json().provenAt).toBe(new Date(clock).toISOString());
    expect((await t.press(high)).statusCode).toBe(200);
    expect(receiver.requests).toHaveLength(3);
    const entry = (await auditKinds()).find((e) => e.kind === 'auth.step_up');
    expect(entry?.actor.email).toBe(OWNER_EMAIL);

    // A critical action's window is 5 minutes.
    clock += 6 * 60_000;
    const critical = await t.sendAction(receiver.url, { risk: 'critical' });
    expect(errorCode(await t.press(critical))).toBe('step_up_required');
    // And a window of 0 turns it off.
    expect((await putPolicy({ critical: { stepUpMinutes: 0 } })).statusCode).toBe(200);
    expect((await t.press(critical)).statusCode).toBe(200);
  });

  it('proving it in one session does not prove it in another (a stolen cookie stays refused)', async () => {
    const other = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { origin: OWN_ORIGIN }, payload: { email: OWNER_EMAIL, password: OWNER_PASSWORD } });
    const stolen = String(other.headers['set-cookie']).split(';')[0]!;
    const high = await t.sendAction(receiver.url, { type: 'danger', repeat: true });
    clock += 40 * 60_000;
    expect((await stepUp(OWNER_PASSWORD)).statusCode).toBe(200);
    expect((await t.press(high)).statusCode).toBe(200);
    const res = await t.press(high, 'approve', { cookie: stolen, origin: OWN_ORIGIN });
    expect(errorCode(res)).toBe('step_up_required');
    expect(receiver.requests).toHaveLength(1);
  });

  it('wrong passwords run into the sign-in limit (429), so a stolen session cannot guess its way through', async () => {
    let last = 0;
    for (let i = 0; i < 30 && last !== 429; i++) last = (await stepUp(`guess ${i}`)).statusCode;
    expect(last).toBe(429);
    // Still refused with the right password until the limit's window passes; the session stands.
    expect((await stepUp(OWNER_PASSWORD)).statusCode).toBe(429);
    const detail: EventDetail = await t.detail(await t.sendAction(receiver.url));
    expect(detail.event.actions).toHaveLength(1);
  });
});
