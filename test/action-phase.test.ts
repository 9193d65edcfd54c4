/** What an action's row shows (pure): phase, countdown, shared expiry, the confirm step's meta view, thread offsets. */
import { describe, expect, it } from 'vitest';
import type { ActionDto } from '../contract/api.ts';
import { actionPhase, confirmBlocked, counting, pressable, pressErrorSentence, pressRefusal, sharedExpiry } from '../src/features/actions/actionPhase.ts';
import { sentence } from '../src/lib/words.ts';
import { teammateNote } from '../src/features/actions/teammate.ts';
import { metaSummary } from '../src/features/actions/metaSummary.ts';
import { sinceStart } from '../src/lib/time.ts';
import type { PressRequestDto } from '../contract/requests.ts';
import { endedRecently, endedWords, sendingIn, waitingWords } from '../src/features/requests/words.ts';

const base: ActionDto = {
  key: 'ban',
  buttonText: 'Ban user',
  url: 'https://hooks.example.com/ban',
  meta: null,
  external: false,
  expiresAt: '2026-12-03T12:00:00.000Z',
  repeat: false,
  type: 'danger',
  role: null,
  risk: 'high',
  confirmText: null,
  reply: false,
  input: null,
  resolves: false,
  state: 'idle',
  attempts: 0,
  lastAttempt: null,
  request: null,
};
const attempt = (outcome: 'succeeded' | 'failed') => ({
  id: 'a1',
  actionKey: 'ban',
  number: 1,
  pressedBy: 'ana@example.com',
  startedAt: '2026-12-03T11:00:00.000Z',
  finishedAt: '2026-12-03T11:00:01.000Z',
  durationMs: 1000,
  outcome,
  status: outcome === 'succeeded' ? 200 : 500,
  reason: outcome === 'succeeded' ? null : 'http_500',
});

describe('actionPhase', () => {
  it('walks ready → running → done, and done stops the countdown even before expiry', () => {
    expect(actionPhase(base, 60_000, false, false)).toBe('ready');
    expect(actionPhase(base, 60_000, false, true)).toBe('running');
    expect(actionPhase({ ...base, state: 'running' }, 60_000, false, false)).toBe('running');
    const done = { ...base, state: 'succeeded' as const, lastAttempt: attempt('succeeded') };
    expect(actionPhase(done, 60_000, false, false)).toBe('done');
    expect(counting('done')).toBe(false);
    expect(pressable('done')).toBe(false);
  });

  it('a repeatable action that succeeded stays ready; a failed one can be pressed again until it expires', () => {
    expect(actionPhase({ ...base, repeat: true, state: 'succeeded', lastAttempt: attempt('succeeded') }, 60_000, false, false)).toBe('ready');
    const failed = { ...base, state: 'failed' as const, lastAttempt: attempt('failed') };
    expect(actionPhase(failed, 60_000, false, false)).toBe('failed');
    expect(pressable('failed')).toBe(true);
    expect(counting('failed')).toBe(true);
    expect(actionPhase(failed, 0, false, false)).toBe('expired');
  });

  it('expired wins over offline; offline pauses a live action without hiding its countdown', () => {
    expect(actionPhase(base, -1, true, false)).toBe('expired');
    expect(actionPhase(base, 5_000, true, false)).toBe('offline');
    expect(pressable('offline')).toBe(false);
    expect(counting('offline')).toBe(true);
    expect(counting('expired')).toBe(false);
  });
});

describe('sharedExpiry', () => {
  it('is the common expiry of two or more webhook actions, ignoring links', () => {
    const other = { ...base, key: 'refund', buttonText: 'Refund' };
    expect(sharedExpiry([base, other])).toBe(base.expiresAt);
    expect(sharedExpiry([base])).toBeNull();
    expect(sharedExpiry([base, { ...other, expiresAt: '2026-12-03T13:00:00.000Z' }])).toBeNull();
    expect(sharedExpiry([base, { ...other, external: true, expiresAt: '2030-01-01T00:00:00.000Z' }])).toBeNull();
  });
});

describe('metaSummary', () => {
  it('shows a few key/value lines, values cut short, and says how many more there are', () => {
    expect(metaSummary(null)).toEqual([]);
    expect(metaSummary({ user: 77, plan: 'pro' })).toEqual([
      ['user', '77'],
      ['plan', 'pro'],
    ]);
    expect(metaSummary('just a string')).toEqual([['meta', 'just a string']]);
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, i]));
    const lines = metaSummary(many);
    expect(lines).toHaveLength(7);
    expect(lines[6]).toEqual(['…', '3 more']);
    const [[, long]] = metaSummary({ note: 'x'.repeat(500) }) as [[string, string]];
    expect(long.length).toBe(60);
    expect(long.endsWith('…')).toBe(true);
    expect(metaSummary({ nested: { a: [1, 2] } })).toEqual([['nested', '{"a":[1,2]}']]);
  });
});

describe('sinceStart', () => {
  it('says how long after the thread began, to the second in the first hour', () => {
    const t = Date.UTC(2026, 11, 3, 10, 0, 0);
    expect(sinceStart(t, t)).toBe('+0s');
    expect(sinceStart(t + 42_000, t)).toBe('+42s');
    expect(sinceStart(t + 130_000, t)).toBe('+2m 10s');
    expect(sinceStart(t + 120_000, t)).toBe('+2m');
    expect(sinceStart(t + 3 * 3_600_000 + 5 * 60_000, t)).toBe('+3h 5m');
    expect(sinceStart(t + 52 * 3_600_000, t)).toBe('+2d 4h');
    expect(sinceStart(t - 5000, t)).toBe('+0s');
  });
});

describe('highlight', () => {
  it('marks the search words where a word starts, case-insensitively, longest first', async () => {
    const { highlight, searchWords } = await import('../src/lib/highlight.ts');
    const marked = (text: string, q: string) =>
      highlight(text, searchWords(q))
        .map((p) => (p.match ? `[${p.text}]` : p.text))
        .join('');
    expect(marked('Refund requested for order 4471', 'refund 44')).toBe('[Refund] requested for order [44]71');
    expect(marked('prefund is not refund', 'refund')).toBe('prefund is not [refund]');
    expect(marked('Ré-essai réussi', 'ré')).toBe('[Ré]-essai [ré]ussi');
    // Characters that mean something in a regular expression are taken as they are.
    expect(marked('a (b) [c]', '(b) [c')).toBe('a [(b)] [[c]]');
    expect(marked('nothing here', '')).toBe('nothing here');
    expect(marked('u_77 and u_78', 'u_77')).toBe('[u_77] and u_78');
  });
});

describe('who may press (the server refuses the same)', () => {
  it('viewers never; an admin-only action only admins; anyone else may; unknown role: no refusal shown yet', () => {
    const adminOnly = { ...base, role: 'admin' as const };
    expect(pressRefusal('viewer', base)).toBe('view_only');
    expect(pressRefusal('viewer', adminOnly)).toBe('view_only');
    expect(pressRefusal('member', adminOnly)).toBe('admins_only');
    expect(pressRefusal('admin', adminOnly)).toBeNull();
    expect(pressRefusal('member', base)).toBeNull();
    expect(pressRefusal(undefined, adminOnly)).toBeNull();
  });
});

describe('a notification button that arrives too late', () => {
  it('opens the confirm step only when the action can still run; otherwise says why', () => {
    expect(confirmBlocked('Suspend', 'ready', null)).toBeNull();
    expect(confirmBlocked('Suspend', 'failed', null)).toBeNull();
    expect(confirmBlocked('Suspend', 'expired', null)).toBe('“Suspend” has expired. Nothing was sent.');
    expect(confirmBlocked('Suspend', 'done', null)).toBe('“Suspend” already ran: it is done.');
    expect(confirmBlocked('Suspend', 'running', null)).toBe('“Suspend” is running now.');
    expect(confirmBlocked('Suspend', 'ready', 'admins_only')).toBe('“Suspend”: admins only. Nothing was sent.');
  });
});

describe('what teammates did while the confirm dialog is open (CONTRACT §15)', () => {
  const attempt = { id: 'a', actionKey: 'refund', number: 1, pressedBy: 'maria@example.com', startedAt: '', finishedAt: null, durationMs: null, outcome: null, status: null, reason: null };
  it('says who is pressing or has done it, and blocks the confirm; says nothing about one\'s own press', () => {
    expect(teammateNote({ state: 'running', repeat: false, lastAttempt: attempt }, 60_000, false)).toEqual({ text: 'maria@example.com is pressing this now.', blocks: true });
    expect(teammateNote({ state: 'succeeded', repeat: false, lastAttempt: attempt }, 60_000, false)).toEqual({ text: 'Already done by maria@example.com.', blocks: true });
    expect(teammateNote({ state: 'succeeded', repeat: true, lastAttempt: attempt }, 60_000, false)).toBeNull();
    expect(teammateNote({ state: 'idle', repeat: false, lastAttempt: null }, 0, false)).toEqual({ text: 'This action has expired.', blocks: true });
    expect(teammateNote({ state: 'running', repeat: false, lastAttempt: attempt }, 60_000, true)).toBeNull();
    expect(teammateNote({ state: 'idle', repeat: false, lastAttempt: null }, 60_000, false)).toBeNull();
  });
  it('puts a refusal in a sentence, never a raw code', () => {
    expect(pressErrorSentence({ code: 'already_done', message: 'this action already succeeded' }, { lastAttempt: attempt })).toBe('Already done by maria@example.com. Nothing was sent.');
    expect(pressErrorSentence({ code: 'already_running', message: 'this action is running now' }, { lastAttempt: null })).toBe('Someone else is pressing this now. Nothing was sent.');
    expect(pressErrorSentence({ code: 'expired', message: 'this action has expired' }, { lastAttempt: null })).toBe('This action has expired. Nothing was sent.');
    expect(pressErrorSentence({ code: 'forbidden', message: 'only admins of this project may press this action (role: admin)' }, { lastAttempt: null })).toBe(
      'Only admins of this project may press this action (role: admin).',
    );
    expect(sentence('  ')).toBe('');
    expect(sentence('Done!')).toBe('Done!');
  });
});

describe('a press that waits, in words', () => {
  const request = (over: Partial<PressRequestDto> = {}): PressRequestDto => ({
    id: 'req_1',
    status: 'awaiting_approval',
    risk: 'critical',
    needed: 2,
    approvedBy: [],
    requestedBy: { id: 'u1', email: 'ana@example.com' },
    requestedAt: '2026-12-03T11:00:00.000Z',
    expiresAt: '2026-12-03T12:00:00.000Z',
    delaySeconds: 15,
    runsAt: null,
    ended: null,
    ...over,
  });

  it('counts down to the send by whole seconds, then says it is sending', () => {
    expect(sendingIn(15_000)).toBe('Sending in 15 s');
    expect(sendingIn(14_001)).toBe('Sending in 15 s');
    expect(sendingIn(1)).toBe('Sending in 1 s');
    expect(sendingIn(0)).toBe('Sending…');
  });

  it('says how many approvals are still needed', () => {
    expect(waitingWords(request())).toBe('Waiting for approval · 2 more needed');
    expect(waitingWords(request({ approvedBy: [{ id: 'u2', email: 'ben@example.com', at: '2026-12-03T11:01:00.000Z' }] }))).toBe('Waiting for approval · 1 more needed');
  });

  it('says how it ended unsent, with who and why, and nothing while it waits or once sent', () => {
    const ended = (status: PressRequestDto['status'], reason: string | null = null) =>
      endedWords(request({ status, ended: { by: { id: 'u2', email: 'ben@example.com' }, at: '2026-12-03T11:05:00.000Z', reason } }));
    expect(ended('denied', 'already refunded')).toBe('Denied by ben@example.com: “already refunded”. Nothing was sent.');
    expect(ended('denied')).toBe('Denied by ben@example.com. Nothing was sent.');
    expect(ended('cancelled')).toBe('Cancelled by ben@example.com. Nothing was sent.');
    expect(endedWords(request({ status: 'approval_expired', ended: { by: null, at: '2026-12-03T12:00:00.000Z', reason: null } }))).toBe('Nobody approved it in time. Nothing was sent.');
    expect(endedWords(request())).toBeNull();
    expect(endedWords(request({ status: 'sent' }))).toBeNull();
  });

  it('shows an ended request only until the action is pressed again', () => {
    const cancelled = request({ status: 'cancelled', ended: { by: null, at: '2026-12-03T11:05:00.000Z', reason: null } });
    expect(endedRecently({ request: cancelled, lastAttempt: null })).toBe(true);
    expect(endedRecently({ request: cancelled, lastAttempt: { ...attempt('succeeded'), startedAt: '2026-12-03T11:00:00.000Z' } })).toBe(true);
    expect(endedRecently({ request: cancelled, lastAttempt: { ...attempt('succeeded'), startedAt: '2026-12-03T11:06:00.000Z' } })).toBe(false);
  });

  it('a held action is neither pressable nor offered by a push; a notification’s button says why', () => {
    expect(actionPhase({ ...base, state: 'scheduled' }, 60_000, false, false)).toBe('scheduled');
    expect(actionPhase({ ...base, state: 'awaiting_approval' }, 60_000, false, false)).toBe('awaiting');
    expect(pressable('scheduled')).toBe(false);
    expect(pressable('awaiting')).toBe(false);
    expect(confirmBlocked('Ban user', 'awaiting', null)).toBe('“Ban user” is waiting for approval.');
    expect(pressErrorSentence({ code: 'already_scheduled', message: 'x' }, base)).toBe('It is already scheduled to be sent. Nothing more was sent.');
  });
});
