/** Working an event together (§12) in the PWA's words, pure: badges, counts, snooze presets, the timeline, notes, lists. */
import { describe, expect, it } from 'vitest';
import type { EventDto } from '../contract/api.ts';
import type { ActivityDto } from '../contract/triage.ts';
import { belongsByTriage, type ListFilters } from '../src/features/feed/triage/belongs.ts';
import { activityWords, actorLabel, assignable, fromLocalInput, noteParts, offeredChanges, snoozePresets, toLocalInput } from '../src/features/feed/triage/changeWords.ts';
import { initials, repeatCount, snoozed, stateBadge } from '../src/features/feed/triage/words.ts';
import { sentence } from '../src/lib/words.ts';

const ANA = { id: 'u_ana', email: 'ana@example.com', name: 'Ana' };
const BEN = { id: 'u_ben', email: 'ben@example.com', name: 'Ben Ortiz' };
const ME = { id: 'u_me', email: 'owner@example.com', name: '' };

const event = (over: Partial<EventDto> = {}): EventDto =>
  ({
    id: 'e1',
    createdAt: '2026-12-07T10:00:00.000Z',
    parentId: null,
    test: false,
    category: null,
    userId: null,
    state: 'open',
    acknowledged: null,
    handled: null,
    assignee: null,
    snoozedUntil: null,
    urgent: false,
    dedupKey: null,
    count: 1,
    lastSeenAt: '2026-12-07T10:00:00.000Z',
    ...over,
  }) as EventDto;

const activity = (over: Partial<ActivityDto>): ActivityDto => ({
  id: 'act_1',
  kind: 'acknowledged',
  by: { id: ANA.id, email: ANA.email, name: ANA.name },
  at: '2026-12-07T10:05:00.000Z',
  text: null,
  assignee: null,
  until: null,
  ...over,
});

describe('the state at a glance', () => {
  const nameOf = (email: string) => (email === ANA.email ? 'Ana' : email);
  it('says nothing while open, who is on it (the name where known, else the email’s name part; the email in full for a screen reader), and that it is resolved', () => {
    expect(stateBadge(event(), nameOf)).toBeNull();
    expect(stateBadge(event({ state: 'acknowledged', acknowledged: { by: ANA.email, at: '' } }), nameOf)).toEqual({
      shown: 'Acknowledged · Ana',
      said: 'Acknowledged by ana@example.com',
      tone: 'acknowledged',
    });
    expect(stateBadge(event({ state: 'acknowledged', acknowledged: { by: 'ben@example.com', at: '' } }), nameOf)).toMatchObject({ shown: 'Acknowledged · ben', said: 'Acknowledged by ben@example.com' });
    expect(stateBadge(event({ state: 'resolved', handled: { by: 'ben@example.com', at: '' } }), nameOf)).toEqual({ shown: 'Resolved', said: 'Resolved by ben@example.com', tone: 'resolved' });
    // Resolved by an API key's "state": "resolved" with nobody named: still resolved.
    expect(stateBadge(event({ state: 'resolved' }), nameOf)).toMatchObject({ shown: 'Resolved', said: 'Resolved' });
  });

  it('counts repeats from two on, and offers the changes the server allows from each state', () => {
    expect(repeatCount(1)).toBeNull();
    expect(repeatCount(10)).toEqual({ shown: '×10', said: 'came 10 times' });
    expect(repeatCount(1204)?.shown).toBe('×1,204');
    expect(offeredChanges('open')).toEqual({ ack: true, resolve: true, reopen: false });
    expect(offeredChanges('acknowledged')).toEqual({ ack: false, resolve: true, reopen: true });
    expect(offeredChanges('resolved')).toEqual({ ack: false, resolve: false, reopen: true });
  });

  it('makes initials and sentences', () => {
    expect(initials(ANA)).toBe('A');
    expect(initials(BEN)).toBe('BO');
    expect(initials(ME)).toBe('O');
    expect(sentence('cannot acknowledge this event: it is resolved: reopen it first')).toBe('Cannot acknowledge this event: it is resolved: reopen it first.');
    expect(sentence('Done.')).toBe('Done.');
  });
});

describe('snooze', () => {
  // Wednesday 2 December 2026, 15:30 local time.
  const now = new Date(2026, 11, 2, 15, 30).getTime();
  it('offers 1 hour, 4 hours, tomorrow 09:00 and next Monday 09:00, in local time', () => {
    const presets = snoozePresets(now);
    expect(presets.map((p) => p.label)).toEqual(['1 hour', '4 hours', 'Tomorrow 09:00', 'Next week']);
    expect(presets[0]!.until - now).toBe(3_600_000);
    expect(presets[1]!.until - now).toBe(4 * 3_600_000);
    expect(new Date(presets[2]!.until)).toEqual(new Date(2026, 11, 3, 9, 0));
    expect(new Date(presets[3]!.until)).toEqual(new Date(2026, 11, 7, 9, 0));
    // On a Monday, next week is the Monday after.
    expect(new Date(snoozePresets(new Date(2026, 11, 7, 8, 0).getTime())[3]!.until)).toEqual(new Date(2026, 11, 14, 9, 0));
  });

  it('reads and writes a datetime-local value, and knows when an event is snoozed', () => {
    expect(toLocalInput(new Date(2026, 0, 5, 7, 3).getTime())).toBe('2026-01-05T07:03');
    expect(fromLocalInput('2026-01-05T07:03')).toBe(new Date(2026, 0, 5, 7, 3).getTime());
    expect(fromLocalInput('tomorrow')).toBeNull();
    expect(fromLocalInput('')).toBeNull();
    expect(snoozed(event({ snoozedUntil: new Date(now + 1000).toISOString() }), now)).toBe(true);
    expect(snoozed(event({ snoozedUntil: new Date(now - 1000).toISOString() }), now)).toBe(false);
    expect(snoozed(event(), now)).toBe(false);
  });
});

describe('the timeline', () => {
  const now = Date.parse('2026-12-07T12:00:00.000Z');
  it('says what each entry did; a snooze the server ended names nobody', () => {
    expect(activityWords(activity({ kind: 'acknowledged' }), now, 'Ana')).toBe('Ana acknowledged');
    expect(activityWords(activity({ kind: 'assigned', assignee: BEN }), now, 'Ana')).toBe('Ana assigned it to Ben Ortiz');
    expect(activityWords(activity({ kind: 'assigned', assignee: ME }), now, 'Ana')).toBe('Ana assigned it to owner@example.com');
    expect(activityWords(activity({ kind: 'unassigned' }), now, 'Ana')).toBe('Ana unassigned it');
    expect(activityWords(activity({ kind: 'snoozed', until: '2026-12-07T13:00:00.000Z' }), now, 'Ana')).toMatch(/^Ana snoozed it until \d/);
    expect(activityWords(activity({ kind: 'unsnoozed', by: { id: null, email: 'switchboard', name: '' } }), now, 'Switchboard')).toBe('Snooze ended');
    expect(activityWords(activity({ kind: 'unsnoozed' }), now, 'Ana')).toBe('Ana ended the snooze');
    expect(actorLabel({ id: null, email: 'switchboard', name: '' })).toBe('Switchboard');
    expect(actorLabel({ id: null, email: 'API key “ci”', name: '' })).toBe('API key “ci”');
    expect(actorLabel({ id: ME.id, email: ME.email, name: ' ' })).toBe('owner@example.com');
  });

  it('cuts a note into text, safe links and mentions, and nothing is lost', () => {
    const text = 'on it @owner, see https://status.example.com/x. cc @ben@example.com and mail@example.com <b>hi</b> javascript:alert(1) thanks @ana.';
    const parts = noteParts(text);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.filter((p) => p.kind === 'mention').map((p) => p.text)).toEqual(['@owner', '@ben@example.com', '@ana']);
    expect(parts.filter((p) => p.kind === 'link')).toEqual([{ kind: 'link', text: 'https://status.example.com/x', href: 'https://status.example.com/x' }]);
    // An email address is not a mention; markup stays text.
    expect(parts.some((p) => p.text.includes('<b>hi</b>') && p.kind === 'text')).toBe(true);
    expect(noteParts('@')).toEqual([{ kind: 'text', text: '@' }]);
  });
});

describe('the assign picker', () => {
  it('lists the assignee first, then everyone known by name, each once', () => {
    const e = event({ assignee: BEN });
    const people = assignable([ANA, BEN, ME], ME, e);
    expect(people.map((p) => p.id)).toEqual([BEN.id, ANA.id, ME.id]);
  });
  it('without the member list, offers oneself and the people on the timeline', () => {
    const people = assignable([], ME, event(), [activity({ kind: 'note', text: 'x' }), activity({ kind: 'assigned', by: { id: null, email: 'switchboard', name: '' }, assignee: BEN })]);
    expect(people.map((p) => p.id).sort()).toEqual([ANA.id, BEN.id, ME.id].sort());
  });
});

describe('lists after a change (live)', () => {
  const f = (over: Partial<ListFilters> = {}): ListFilters => ({ test: false, category: null, q: null, unhandled: false, user: null, state: null, assignee: null, ...over });
  const now = Date.parse('2026-12-07T12:00:00.000Z');
  it('moves an event in and out of state, "mine" and "not resolved" lists', () => {
    const acked = event({ state: 'acknowledged', assignee: ANA });
    expect(belongsByTriage(f({ state: 'acknowledged' }), acked, ANA.id, now)).toBe(true);
    expect(belongsByTriage(f({ state: 'open' }), acked, ANA.id, now)).toBe(false);
    expect(belongsByTriage(f({ assignee: 'me' }), acked, ANA.id, now)).toBe(true);
    expect(belongsByTriage(f({ assignee: 'me' }), acked, BEN.id, now)).toBe(false);
    expect(belongsByTriage(f({ unhandled: true }), event({ state: 'resolved' }), null, now)).toBe(false);
    expect(belongsByTriage(f(), acked, null, now)).toBe(true);
  });
  it('takes a snoozed event out of the default view only; a search or a later event of a thread is the server’s to say', () => {
    const dozing = event({ snoozedUntil: '2026-12-07T13:00:00.000Z' });
    expect(belongsByTriage(f(), dozing, null, now)).toBe(false);
    expect(belongsByTriage(f({ state: 'open' }), dozing, null, now)).toBe(true);
    expect(belongsByTriage(f({ user: 'u1' }), event({ userId: 'u1', snoozedUntil: dozing.snoozedUntil }), null, now)).toBe(true);
    expect(belongsByTriage(f(), event({ snoozedUntil: '2026-12-07T11:00:00.000Z' }), null, now)).toBe(true);
    expect(belongsByTriage(f({ q: 'disk' }), dozing, null, now)).toBeNull();
    expect(belongsByTriage(f({ q: 'disk', state: 'resolved' }), dozing, null, now)).toBe(false);
    expect(belongsByTriage(f(), event({ parentId: 'e0' }), null, now)).toBeNull();
    expect(belongsByTriage(f({ category: 'db' }), event({ category: 'web' }), null, now)).toBe(false);
    expect(belongsByTriage(f({ test: true }), event(), null, now)).toBe(false);
  });
});
