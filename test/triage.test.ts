/**
 * Working an event together (CONTRACT §12), on the run's store: acknowledge, resolve, reopen (and the
 * old handled mark, which is resolved), assign, snooze, notes with mentions — each change audited, on
 * the event's timeline and live; members change, viewers read; mistakes are 4xx naming the field.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditPage, EventDetail, EventDto, IngestAccepted } from '../contract/api.ts';
import type { NotesPage } from '../contract/triage.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { type ActionsApp, actionsApp, errorCode, startReceiver, stopReceivers } from './actions-helpers.ts';
import { countRows, getFeed, ingest, OWN_ORIGIN, OWNER_EMAIL, sessionFor } from './helpers.ts';

let t: ActionsApp;
let clock: number;
beforeEach(async () => {
  clock = Date.now();
  t = await actionsApp({ now: () => clock, env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1000' } });
});
afterEach(async () => {
  await t.cleanup();
});

const post = (path: string, payload: object = {}, cookie = t.cookie) => t.app.inject({ method: 'POST', url: `/api/events/${path}`, headers: { cookie, origin: OWN_ORIGIN }, payload });
const detail = async (id: string) => (await t.app.inject({ method: 'GET', url: `/api/events/${id}`, headers: { cookie: t.cookie } })).json<EventDetail>();
const audit = async () => (await t.app.inject({ method: 'GET', url: '/api/projects/default/audit', headers: { cookie: t.cookie } })).json<AuditPage>().entries;

async function person(email: string, role: 'admin' | 'member' | 'viewer', name = '') {
  const user = await t.store.users.create(email, 'x', 'member', clock, name);
  await t.store.members.add(DEFAULT_PROJECT_ID, user.id, role, clock);
  return { id: user.id, email, cookie: await sessionFor(t.store, user.id) };
}

describe('acknowledge, resolve, reopen', () => {
  it('moves open → acknowledged → resolved → open, says who, audits each step and puts it on the timeline', async () => {
    const id = await t.send({ name: 'Payment failed', notify: true });
    expect((await detail(id)).event).toMatchObject<Partial<EventDto>>({ state: 'open', acknowledged: null, handled: null });
    const acked = await post(`${id}/ack`);
    expect(acked.statusCode).toBe(200);
    expect(acked.json<EventDto>()).toMatchObject({ state: 'acknowledged', acknowledged: { by: OWNER_EMAIL } });
    const again = await post(`${id}/ack`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'invalid_transition', field: 'state', message: 'cannot acknowledge this event: it is already acknowledged' } });
    clock += 1000;
    expect((await post(`${id}/resolve`)).json<EventDto>()).toMatchObject({ state: 'resolved', handled: { by: OWNER_EMAIL } });
    expect(errorCode(await post(`${id}/ack`))).toBe('invalid_transition');
    clock += 1000;
    expect((await post(`${id}/reopen`)).json<EventDto>()).toMatchObject({ state: 'open', acknowledged: null, handled: null });
    expect(errorCode(await post(`${id}/reopen`))).toBe('invalid_transition');
    const d = await detail(id);
    expect(d.activity.map((a) => [a.kind, a.by.email])).toEqual([['acknowledged', OWNER_EMAIL], ['resolved', OWNER_EMAIL], ['reopened', OWNER_EMAIL]]);
    expect((await audit()).map((e) => e.kind).filter((k) => k.startsWith('event.'))).toEqual(['event.reopened', 'event.resolved', 'event.acknowledged']);
  });

  it('the old handled mark is resolved, and its filter still works; state= filters the feed', async () => {
    const a = await t.send({ name: 'a' });
    const b = await t.send({ name: 'b' });
    const c = await t.send({ name: 'c' });
    const handled = await t.app.inject({ method: 'PUT', url: `/api/events/${a}/handled`, headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload: { handled: true } });
    expect(handled.json<EventDto>()).toMatchObject({ state: 'resolved', handled: { by: OWNER_EMAIL } });
    await post(`${b}/ack`);
    const names = async (q: string) => (await getFeed(t.app, t.cookie, q)).events.map((e) => e.name);
    expect(await names('?unhandled=1')).toEqual(['c', 'b']);
    expect(await names('?state=resolved')).toEqual(['a']);
    expect(await names('?state=acknowledged')).toEqual(['b']);
    expect(await names('?state=open')).toEqual(['c']);
    void c;
    const bad = await t.app.inject({ method: 'GET', url: '/api/events?state=done', headers: { cookie: t.cookie } });
    expect(bad.json()).toMatchObject({ error: { field: 'state' } });
  });

  it('a later event of a thread is changed through its first event; another project’s event is not found', async () => {
    const opener = await t.send({ name: 'Deploy 9', contextId: 'd9', contextStart: true });
    const later = await t.send({ name: 'Deploy 9 step', contextId: 'd9' });
    expect(errorCode(await post(`${later}/ack`))).toBe('in_thread');
    expect((await post(`${opener}/ack`)).statusCode).toBe(200);
    expect((await post('nope/ack')).statusCode).toBe(404);
  });

  it('members and admins change; viewers read and are refused', async () => {
    const id = await t.send({ name: 'x' });
    const viewer = await person('vic@example.com', 'viewer');
    const member = await person('mia@example.com', 'member');
    expect((await post(`${id}/ack`, {}, viewer.cookie)).statusCode).toBe(403);
    expect((await post(`${id}/notes`, { text: 'hi' }, viewer.cookie)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/events/${id}/notes`, headers: { cookie: viewer.cookie } })).statusCode).toBe(200);
    expect((await post(`${id}/ack`, {}, member.cookie)).json<EventDto>().acknowledged?.by).toBe('mia@example.com');
  });
});

describe('the sidebar’s counts', () => {
  it('counts open (not snoozed) and acknowledged events, and the unresolved ones assigned to the person asking', async () => {
    const counts = async (cookie = t.cookie) => (await t.app.inject({ method: 'GET', url: '/api/projects/default/triage-counts', headers: { cookie } })).json();
    const [a, b, c, d] = [await t.send({ name: 'a' }), await t.send({ name: 'b' }), await t.send({ name: 'c' }), await t.send({ name: 'd' })];
    await t.send({ name: 'in a test', test: true });
    const mia = await person('mia@example.com', 'member');
    await post(`${b}/ack`);
    await post(`${c}/resolve`);
    await post(`${d}/snooze`, { until: new Date(clock + 60_000).toISOString() });
    await post(`${a}/assign`, { userId: mia.id });
    await post(`${c}/assign`, { userId: mia.id });
    expect(await counts()).toEqual({ open: 1, acknowledged: 1, mine: 0 });
    expect(await counts(mia.cookie)).toEqual({ open: 1, acknowledged: 1, mine: 1 });
    const test = await t.app.inject({ method: 'GET', url: '/api/triage-counts?test=1', headers: { cookie: t.cookie } });
    expect(test.json()).toEqual({ open: 1, acknowledged: 0, mine: 0 });
  });
});

describe('assign', () => {
  it('assigns a member (shown with name), filters assignee=me, unassigns with null, and refuses a non-member', async () => {
    const id = await t.send({ name: 'Disk full' });
    const mia = await person('mia@example.com', 'member', 'Mia');
    const res = await post(`${id}/assign`, { userId: mia.id });
    expect(res.json<EventDto>().assignee).toEqual({ id: mia.id, email: 'mia@example.com', name: 'Mia' });
    expect((await getFeed(t.app, mia.cookie, '?assignee=me')).events.map((e) => e.id)).toEqual([id]);
    expect((await getFeed(t.app, t.cookie, '?assignee=me')).events).toEqual([]);
    const stranger = await t.store.users.create('stranger@example.com', 'x', 'member', clock);
    const refused = await post(`${id}/assign`, { userId: stranger.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { field: 'userId', message: 'userId is not a member of this project' } });
    expect((await post(`${id}/assign`, { userId: 42 })).json()).toMatchObject({ error: { field: 'userId' } });
    expect((await post(`${id}/assign`, { userId: null })).json<EventDto>().assignee).toBeNull();
    const d = await detail(id);
    expect(d.activity.map((a) => [a.kind, a.assignee?.email ?? null])).toEqual([['assigned', 'mia@example.com'], ['unassigned', null]]);
  });
});

describe('snooze', () => {
  it('takes the event out of the default view until its time, refuses the past and beyond 30 days, and ends early on DELETE', async () => {
    const id = await t.send({ name: 'Cert expires in 20 days' });
    const until = new Date(clock + 3_600_000).toISOString();
    expect((await post(`${id}/snooze`, { until })).json<EventDto>().snoozedUntil).toBe(until);
    expect((await getFeed(t.app, t.cookie)).events.map((e) => e.id)).not.toContain(id);
    expect((await getFeed(t.app, t.cookie, '?state=open')).events.map((e) => e.id)).toContain(id);
    clock += 3_600_000;
    expect((await getFeed(t.app, t.cookie)).events.map((e) => e.id)).toContain(id);
    for (const [bad, message] of [
      [new Date(clock - 1).toISOString(), 'until must be in the future'],
      [new Date(clock + 31 * 86_400_000).toISOString(), 'until must be at most 30 days from now'],
      ['tomorrow', undefined],
    ] as const) {
      const res = await post(`${id}/snooze`, { until: bad });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.field).toBe('until');
      if (message) expect(res.json().error.message).toBe(message);
    }
    await post(`${id}/snooze`, { until: new Date(clock + 60_000).toISOString() });
    const ended = await t.app.inject({ method: 'DELETE', url: `/api/events/${id}/snooze`, headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload: {} });
    expect(ended.json<EventDto>().snoozedUntil).toBeNull();
    expect((await detail(id)).activity.map((a) => a.kind)).toEqual(['snoozed', 'snoozed', 'unsnoozed']);
  });
});

describe('a snooze that ends', () => {
  it('brings the event back once, pushes it again (a pushed event), and puts it on the timeline', async () => {
    const id = await t.send({ name: 'Backup late', notify: true });
    const quiet = await t.send({ name: 'Quiet one' });
    const queued = await countRows(t, 'push_outbox');
    await post(`${id}/snooze`, { until: new Date(clock + 60_000).toISOString() });
    await post(`${quiet}/snooze`, { until: new Date(clock + 60_000).toISOString() });
    expect(await t.app.triageSweeper.tick()).toBe(0);
    clock += 60_000;
    expect(await t.app.triageSweeper.tick()).toBe(2);
    expect(await t.app.triageSweeper.tick()).toBe(0);
    expect(await countRows(t, 'push_outbox')).toBe(queued + 1);
    const d = await detail(id);
    expect(d.event.snoozedUntil).toBeNull();
    expect(d.activity.map((a) => [a.kind, a.by.email])).toEqual([['snoozed', OWNER_EMAIL], ['unsnoozed', 'switchboard']]);
  });
});

describe('notes', () => {
  it('keeps plain text, pages newest first, mentions members (a push queued for them), refuses empty or oversized', async () => {
    const id = await t.send({ name: 'Refund?' });
    const mia = await person('mia@example.com', 'member', 'Mia Lopez');
    const res = await post(`${id}/notes`, { text: '  <b>not html</b> — @mia please check, cc @nobody  ' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ note: { kind: 'note', text: '<b>not html</b> — @mia please check, cc @nobody', by: { email: OWNER_EMAIL } }, mentioned: [{ id: mia.id }] });
    // The push worker would send it (an outbox row addressed to her, and only her).
    expect(await countRows(t, 'push_outbox')).toBe(1);
    for (let i = 0; i < 3; i++) {
      clock += 1;
      await post(`${id}/notes`, { text: `note ${i}` });
    }
    const first = (await t.app.inject({ method: 'GET', url: `/api/events/${id}/notes?limit=2`, headers: { cookie: t.cookie } })).json<NotesPage>();
    expect(first.notes.map((n) => n.text)).toEqual(['note 2', 'note 1']);
    const second = (await t.app.inject({ method: 'GET', url: `/api/events/${id}/notes?limit=2&before=${first.nextBefore}`, headers: { cookie: t.cookie } })).json<NotesPage>();
    expect(second.notes.map((n) => n.text)).toEqual(['note 0', '<b>not html</b> — @mia please check, cc @nobody']);
    expect(second.nextBefore).toBeNull();
    expect((await post(`${id}/notes`, { text: '   ' })).json()).toMatchObject({ error: { field: 'text' } });
    expect((await post(`${id}/notes`, { text: 'x'.repeat(4001) })).json()).toMatchObject({ error: { field: 'text', message: 'text must be at most 4000 characters' } });
    expect((await t.app.inject({ method: 'GET', url: `/api/events/${id}/notes?before=zzz`, headers: { cookie: t.cookie } })).json()).toMatchObject({ error: { field: 'before' } });
    expect(await countRows(t, 'push_outbox')).toBe(1);
  });
});

describe('deduplication at ingest (dedupKey)', () => {
  const send = (body: Record<string, unknown>) => ingest(t.app, t.key, body);

  it('updates the unresolved event with the same key in place (content, count, lastSeenAt), answers 200 with its id, and is not pushed again', async () => {
    const first = await send({ name: 'Disk full on db-1', content: '91%', dedupKey: 'disk:db-1', notify: true });
    expect(first.statusCode).toBe(201);
    const id = first.json<IngestAccepted>().id;
    const pushes = await countRows(t, 'push_outbox');
    for (let i = 0; i < 9; i++) {
      clock += 1000;
      const again = await send({ name: 'Disk full on db-1', content: `9${i}% now`, dedupKey: 'disk:db-1', notify: true });
      expect(again.statusCode).toBe(200);
      expect(again.json<IngestAccepted>()).toMatchObject({ id, deduplicated: true });
    }
    expect(await countRows(t, 'push_outbox')).toBe(pushes);
    const { event } = await detail(id);
    expect(event).toMatchObject({ count: 10, content: '98% now', lastSeenAt: new Date(clock).toISOString(), dedupKey: 'disk:db-1' });
    expect((await getFeed(t.app, t.cookie)).events.filter((e) => e.dedupKey === 'disk:db-1')).toHaveLength(1);
    // The search finds it by what it says now.
    expect((await getFeed(t.app, t.cookie, '?q=now')).events.map((e) => e.id)).toEqual([id]);
    // Another project's, another mode's or another key's events are their own.
    expect((await send({ name: 'other', dedupKey: 'disk:db-2' })).statusCode).toBe(201);
    expect((await send({ name: 'test one', dedupKey: 'disk:db-1', test: true })).statusCode).toBe(201);
  });

  it('"state": "resolved" with the key resolves it (by the API key); the next one with that key is a new event', async () => {
    const id = (await send({ name: 'Checkout down', dedupKey: 'checkout', notify: true })).json<IngestAccepted>().id;
    const resolved = await send({ name: 'Checkout back', dedupKey: 'checkout', state: 'resolved' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json<IngestAccepted>()).toMatchObject({ id, deduplicated: true });
    const d = await detail(id);
    expect(d.event).toMatchObject({ state: 'resolved', count: 2, handled: { by: 'API key “test”' } });
    expect(d.activity.map((a) => [a.kind, a.by.email])).toEqual([['resolved', 'API key “test”']]);
    const next = await send({ name: 'Checkout down again', dedupKey: 'checkout' });
    expect(next.statusCode).toBe(201);
    expect(next.json<IngestAccepted>().id).not.toBe(id);
    // A resolve with nothing open to resolve is kept, resolved.
    const lone = await send({ name: 'Was down, is back', dedupKey: 'never-open', state: 'resolved' });
    expect(lone.statusCode).toBe(201);
    expect((await detail(lone.json<IngestAccepted>().id)).event.state).toBe('resolved');
  });

  it('refuses a state without a dedupKey, an unknown state, an empty or oversized key, naming the field', async () => {
    for (const [body, field] of [
      [{ name: 'x', state: 'resolved' }, 'state'],
      [{ name: 'x', dedupKey: 'k', state: 'closed' }, 'state'],
      [{ name: 'x', dedupKey: ' ' }, 'dedupKey'],
      [{ name: 'x', dedupKey: 'k'.repeat(256) }, 'dedupKey'],
      [{ name: 'x', urgent: 'yes' }, 'urgent'],
    ] as const) {
      const res = await send(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    expect((await send({ name: 'now', urgent: true })).statusCode).toBe(201);
  });

  it('ten duplicates sent at once make one event with count 10', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => send({ name: 'storm', content: `#${i}`, dedupKey: 'storm' })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json<IngestAccepted>().id)).size).toBe(1);
    expect((await detail(answers[0]!.json<IngestAccepted>().id)).event.count).toBe(10);
  });
});

describe('an action that resolves its event', () => {
  it('resolves the event when it succeeds (not when it fails), on the timeline, by the presser', async () => {
    const receiver = await startReceiver();
    const failing = await startReceiver((res) => res.writeHead(500).end());
    const bad = await t.sendAction(failing.url, { resolves: true });
    expect((await t.press(bad)).statusCode).toBe(200);
    expect((await detail(bad)).event.state).toBe('open');
    const id = await t.sendAction(receiver.url, { resolves: true });
    await post(`${id}/ack`);
    expect((await t.press(id)).statusCode).toBe(200);
    const d = await detail(id);
    expect(d.event).toMatchObject({ state: 'resolved', handled: { by: OWNER_EMAIL } });
    expect(d.event.actions[0]!.resolves).toBe(true);
    expect(d.activity.map((a) => a.kind)).toEqual(['acknowledged', 'resolved']);
    await stopReceivers();
  });
});

describe('escalation', () => {
  const policy = (payload: object) => t.app.inject({ method: 'PUT', url: '/api/projects/default/policy', headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload });

  it('pushes an event nobody acknowledged once more to the admins after afterMinutes, exactly once; acknowledged or old events are left alone', async () => {
    const bad = await policy({ escalation: { afterMinutes: 10, to: 'boss' } });
    expect(bad.json()).toMatchObject({ error: { field: 'escalation.to' } });
    expect((await policy({ escalation: { afterMinutes: 10, to: 'admins' } })).json()).toMatchObject({ escalation: { afterMinutes: 10, to: 'admins' } });
    await person('mia@example.com', 'member');
    const old = await t.send({ name: 'Ancient', notify: true });
    clock += 2 * 3_600_000;
    const id = await t.send({ name: 'Payment failed', notify: true });
    const acked = await t.send({ name: 'Seen to', notify: true });
    const quiet = await t.send({ name: 'Not pushed' });
    await post(`${acked}/ack`);
    const before = await countRows(t, 'push_outbox');
    clock += 9 * 60_000;
    expect(await t.app.triageSweeper.tick()).toBe(0);
    clock += 60_000;
    expect(await t.app.triageSweeper.tick()).toBe(1);
    expect(await t.app.triageSweeper.tick()).toBe(0);
    // One push, to the one admin (the owner); the member is not an admin.
    expect(await countRows(t, 'push_outbox')).toBe(before + 1);
    const d = await detail(id);
    expect(d.activity.map((a) => [a.kind, a.by.email])).toEqual([['escalated', 'switchboard']]);
    for (const other of [old, acked, quiet]) expect((await detail(other)).activity.map((a) => a.kind)).not.toContain('escalated');
    expect((await audit()).map((e) => e.kind)).toContain('event.escalated');
  });
});
