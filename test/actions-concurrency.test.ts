/**
 * The trigger API's guarded state machine (CONTRACT.md §2): concurrent presses make exactly one
 * request, expiry is decided by the server's clock, and a restart fails what was left running.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TriggerResult } from '../contract/api.ts';
import { type ActionsApp, actionsApp, errorCode, RECEIVER_ENV, startReceiver, stopReceivers, webhookBody } from './actions-helpers.ts';
import { PRESS_LEASE_MARGIN_MS, settleInterruptedPresses } from '../server/actions/press.ts';
import { liveHub } from '../server/feed/liveHub.ts';
import type { EventLiveEntry as LiveEntry } from '../server/store/eventRows.ts';
import { OWNER_EMAIL, TEST_STORE } from './helpers.ts';

let t: ActionsApp | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
  await stopReceivers();
});

const presses = (app: ActionsApp, id: string, n: number, key = 'approve') => Promise.all(Array.from({ length: n }, () => app.press(id, key)));

function expectOneWinner(answers: LightMyRequestResponse[]) {
  const ok = answers.filter((a) => a.statusCode === 200);
  const refused = answers.filter((a) => a.statusCode !== 200);
  expect(ok).toHaveLength(1);
  expect(refused).toHaveLength(answers.length - 1);
  for (const a of refused) {
    expect(a.statusCode).toBe(409);
    expect(['already_running', 'already_done']).toContain(errorCode(a));
  }
  return ok[0]!.json<TriggerResult>();
}

describe('concurrent presses', () => {
  it('20 simultaneous presses of one action make exactly one request; the other 19 get 409', async () => {
    t = await actionsApp();
    const r = await startReceiver((res) => setTimeout(() => res.writeHead(200).end('done'), 150));
    const id = await t.sendAction(r.url);

    const winner = expectOneWinner(await presses(t, id, 20));
    expect(winner.action.state).toBe('succeeded');
    expect(r.requests).toHaveLength(1);
    const detail = await t.detail(id);
    expect(detail.attempts).toHaveLength(1);
    expect(detail.event.actions[0]).toMatchObject({ state: 'succeeded', attempts: 1 });
  });

  it('20 simultaneous presses of a repeatable action still make one request, the rest are already_running', async () => {
    t = await actionsApp();
    let held: ServerResponse | null = null;
    const r = await startReceiver((res) => {
      held = res;
    });
    const id = await t.sendAction(r.url, { repeat: true });

    const settled: LightMyRequestResponse[] = [];
    const all = Promise.all(
      Array.from({ length: 20 }, () =>
        t!.press(id).then((res) => {
          settled.push(res);
          return res;
        }),
      ),
    );
    // The receiver answers only once the 19 refusals are in, so none of them can come after the run.
    await vi.waitFor(() => expect(settled).toHaveLength(19), { timeout: 5_000 });
    expect(settled.map((a) => [a.statusCode, errorCode(a)])).toEqual(Array.from({ length: 19 }, () => [409, 'already_running']));
    // The winner's request may still be on its way (the refusals can all be back first).
    await vi.waitFor(() => expect(r.requests).toHaveLength(1), { timeout: 5_000 });
    (held as ServerResponse | null)?.writeHead(200).end('ok');

    const winner = expectOneWinner(await all);
    expect(winner.attempt).toMatchObject({ number: 1, outcome: 'succeeded' });
    expect(r.requests).toHaveLength(1);
  });

  it('simultaneous presses of two different actions of one event each make their own single request', async () => {
    t = await actionsApp();
    const a = await startReceiver((res) => setTimeout(() => res.writeHead(200).end(), 100));
    const b = await startReceiver((res) => setTimeout(() => res.writeHead(201).end(), 100));
    const id = await t.send({
      name: 'two buttons',
      actions: [
        { key: 'one', buttonText: 'One', url: a.url },
        { key: 'two', buttonText: 'Two', url: b.url },
      ],
    });
    const [ones, twos] = await Promise.all([presses(t, id, 10, 'one'), presses(t, id, 10, 'two')]);
    expectOneWinner(ones);
    expectOneWinner(twos);
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
    expect((await t.detail(id)).event.actions.map((x) => x.state)).toEqual(['succeeded', 'succeeded']);
  });
});

describe('expiry by the server clock', () => {
  const MINUTE = 60_000;
  let clock = 0;

  async function clockApp() {
    clock = Date.UTC(2030, 0, 1, 12, 0, 0);
    t = await actionsApp({ now: () => clock, env: RECEIVER_ENV });
    return t;
  }

  it('an action with expireIn 1 is refused with 410 expired 61 s after the event, and nothing is called', async () => {
    const app = await clockApp();
    const r = await startReceiver();
    const id = await app.sendAction(r.url, { expireIn: 1 });
    expect((await app.detail(id)).event.actions[0]?.expiresAt).toBe(new Date(clock + MINUTE).toISOString());

    clock += 61_000;
    const res = await app.press(id);
    expect(res.statusCode).toBe(410);
    expect(errorCode(res)).toBe('expired');
    expect(r.requests).toHaveLength(0);
    const detail = await app.detail(id);
    expect(detail.attempts).toEqual([]);
    expect(detail.event.actions[0]).toMatchObject({ state: 'idle', attempts: 0 });
  });

  it('the same action still works 59 s after the event', async () => {
    const app = await clockApp();
    const r = await startReceiver();
    const id = await app.sendAction(r.url, { expireIn: 1 });

    clock += 59_000;
    const res = await app.press(id);
    expect(res.statusCode).toBe(200);
    expect(res.json<TriggerResult>().action.state).toBe('succeeded');
    expect(r.requests).toHaveLength(1);
    expect(webhookBody(r.requests[0]).pressedAt).toBe(new Date(clock).toISOString());
  });

  it('a failed action can be pressed again until it expires, then it is refused with 410', async () => {
    const app = await clockApp();
    const r = await startReceiver((res) => res.writeHead(503).end('down'));
    const id = await app.sendAction(r.url, { expireIn: 1 });

    clock += 10_000;
    expect((await app.press(id)).json<TriggerResult>().attempt).toMatchObject({ number: 1, reason: 'http_503' });
    clock += 40_000;
    expect((await app.press(id)).json<TriggerResult>().attempt).toMatchObject({ number: 2, reason: 'http_503' });
    clock += 11_000;
    const late = await app.press(id);
    expect(late.statusCode).toBe(410);
    expect(errorCode(late)).toBe('expired');
    expect(r.requests.map((q) => webhookBody(q).action.attempt)).toEqual([1, 2]);
    expect((await app.detail(id)).event.actions[0]).toMatchObject({ state: 'failed', attempts: 2 });
  });

  it('expiry counts from the event, not from the last press: a repeatable action expires too', async () => {
    const app = await clockApp();
    const r = await startReceiver();
    const id = await app.sendAction(r.url, { expireIn: 2, repeat: true });
    clock += 90_000;
    expect((await app.press(id)).statusCode).toBe(200);
    clock += 31_000;
    const res = await app.press(id);
    expect(res.statusCode).toBe(410);
    expect(errorCode(res)).toBe('expired');
    expect(r.requests).toHaveLength(1);
  });
});

describe('restart recovery', () => {
  it('an attempt left running is failed as interrupted, and the action can be pressed again', async () => {
    t = await actionsApp();
    const r = await startReceiver((res) => res.writeHead(200).end('back'));
    const id = await t.sendAction(r.url);
    const { seq } = (await t.store.events.byId(id))!;
    const user = (await t.store.users.byEmail(OWNER_EMAIL))!;

    // What a process that died mid-request leaves behind.
    const started = await t.store.transaction(async (tx) => {
      // Its lease ran out a moment ago.
      const s = await tx.actions.start(seq, 'approve', Date.now() - 60_000, Date.now() - 1);
      if (s.kind !== 'started') throw new Error(`not started: ${s.why}`);
      await tx.actions.recordAttempt({ id: 'msg_interrupted', eventSeq: seq, key: 'approve', number: s.number, userId: user.id, email: user.email, startedAt: Date.now() });
      return s;
    });
    expect(started.number).toBe(1);
    expect((await t.detail(id)).event.actions[0]?.state).toBe('running');
    const whileRunning = await t.press(id);
    expect(whileRunning.statusCode).toBe(409);
    expect(errorCode(whileRunning)).toBe('already_running');

    expect(await t.store.transaction((tx) => tx.actions.recoverInterrupted(Date.now()))).toHaveLength(1);
    const recovered = await t.detail(id);
    expect(recovered.event.actions[0]).toMatchObject({ state: 'failed', attempts: 1, lastAttempt: { id: 'msg_interrupted', outcome: 'failed', reason: 'interrupted' } });
    expect(recovered.attempts).toHaveLength(1);
    expect(recovered.attempts[0]).toMatchObject({ id: 'msg_interrupted', outcome: 'failed', reason: 'interrupted', pressedBy: OWNER_EMAIL });
    expect(recovered.attempts[0]?.finishedAt).not.toBeNull();
    expect(r.requests).toHaveLength(0);

    const again = await t.press(id);
    expect(again.statusCode).toBe(200);
    expect(again.json<TriggerResult>()).toMatchObject({ action: { state: 'succeeded', attempts: 2 }, attempt: { number: 2, outcome: 'succeeded' } });
    expect(r.requests).toHaveLength(1);
    expect(webhookBody(r.requests[0]).action.attempt).toBe(2);
    expect((await t.detail(id)).attempts.map((a) => a.reason)).toEqual(['interrupted', null]);
  });

  it('recovery leaves finished attempts and idle actions alone', async () => {
    t = await actionsApp();
    const r = await startReceiver();
    const done = await t.sendAction(r.url);
    const idle = await t.sendAction(r.url);
    expect((await t.press(done)).statusCode).toBe(200);

    expect(await t.store.transaction((tx) => tx.actions.recoverInterrupted(Date.now(), true))).toEqual([]);
    const detail = await t.detail(done);
    expect(detail.event.actions[0]?.state).toBe('succeeded');
    expect(detail.attempts[0]).toMatchObject({ outcome: 'succeeded', reason: null });
    expect((await t.detail(idle)).event.actions[0]).toMatchObject({ state: 'idle', attempts: 0 });
  });

  it('a press whose lease is still valid belongs to a live process: it is left alone; once the lease runs out it is settled, and open apps are told', async () => {
    t = await actionsApp();
    const r = await startReceiver();
    const id = await t.sendAction(r.url);
    const { seq } = (await t.store.events.byId(id))!;
    const user = (await t.store.users.byEmail(OWNER_EMAIL))!;
    const t0 = Date.now();
    await t.store.transaction(async (tx) => {
      const s = await tx.actions.start(seq, 'approve', t0, t0 + 40_000);
      if (s.kind !== 'started') throw new Error('not started');
      await tx.actions.recordAttempt({ id: 'msg_elsewhere', eventSeq: seq, key: 'approve', number: s.number, userId: user.id, email: user.email, startedAt: t0 });
    });
    // An open app's view: the hub as the server wires it, reading the log when the store announces a commit.
    const store = t.store;
    const live = liveHub({ after: (after, limit) => store.events.liveAfter(null, after, null, limit), last: () => store.events.lastLiveSeq() });
    await live.start();
    const stop = await store.listenLive(() => live.wake());
    const heard: LiveEntry[] = [];
    live.subscribe((e) => heard.push(e as LiveEntry), () => undefined);
    let clock = t0 + 39_000;
    const deps = { store: t.store, now: () => clock };
    expect(await settleInterruptedPresses(deps)).toBe(0);
    expect((await t.detail(id)).event.actions[0]?.state).toBe('running');
    expect(heard).toEqual([]);
    clock = t0 + 40_000;
    expect(await settleInterruptedPresses(deps)).toBe(1);
    expect((await t.detail(id)).event.actions[0]).toMatchObject({ state: 'failed', lastAttempt: { id: 'msg_elsewhere', reason: 'interrupted' } });
    await expect.poll(() => heard.map((e) => [e.kind, e.event.id, e.event.actions[0]?.state])).toEqual([['action', id, 'failed']]);
    expect(await settleInterruptedPresses(deps)).toBe(0);
    await stop();
    live.closeAll();
  });

  // Reads the lease column with raw SQL: SQLite only.
  it.skipIf(TEST_STORE === 'postgres')('a real press takes a lease of its timeout plus the margin, and gives it back when it settles', async () => {
    t = await actionsApp();
    const r = await startReceiver((res) => setTimeout(() => res.writeHead(200).end('ok'), 300));
    const id = await t.sendAction(r.url);
    const { seq } = (await t.store.events.byId(id))!;
    const lease = () => (t!.sqlite!.db.prepare('SELECT lease_until FROM actions WHERE event_seq = ?').get(seq) as { lease_until: number | null }).lease_until;
    const before = Date.now();
    const pressing = t.press(id);
    await expect.poll(lease).not.toBeNull();
    expect(lease()!).toBeGreaterThanOrEqual(before + 1000 + PRESS_LEASE_MARGIN_MS);
    expect((await pressing).statusCode).toBe(200);
    expect(lease()).toBeNull();
  });
});
