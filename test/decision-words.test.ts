/** The answer to an event's question in words and phases (§11): pure functions the PWA shows. */
import { describe, expect, it } from 'vitest';
import type { ActionDto } from '../contract/api.ts';
import { checkInput, decisionOf, notChosen } from '../contract/decisions.ts';
import { actionPhase, counting, pressable } from '../src/features/actions/actionPhase.ts';
import { answerBadge, asCaption, deliveryWords, personName, unansweredWords } from '../src/features/decisions/words.ts';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const reply = (key: string, over: Partial<ActionDto> = {}): ActionDto => ({
  key,
  buttonText: key === 'ship' ? 'Ship it' : 'Hold',
  url: '',
  meta: null,
  external: false,
  expiresAt: '2026-12-07T12:30:00.000Z',
  repeat: false,
  type: null,
  role: null,
  risk: 'low',
  confirmText: null,
  reply: true,
  input: null,
  resolves: false,
  state: 'idle',
  attempts: 0,
  lastAttempt: null,
  request: null,
  ...over,
});
const decision = { key: 'ship', input: 'canary green', by: { id: 'u1', email: 'ana@example.com', name: 'Ana' }, at: '2026-12-07T11:59:00.000Z' };

describe('one question, decided once', () => {
  it('reads pending, decided (with the button text) and expired — never an implied answer', () => {
    const actions = [reply('ship'), reply('hold', { expiresAt: '2026-12-07T12:40:00.000Z' })];
    expect(decisionOf({ id: 'e1', actions, decision: null }, NOW)).toMatchObject({ status: 'pending', key: null, expiresAt: '2026-12-07T12:40:00.000Z' });
    expect(decisionOf({ id: 'e1', actions, decision }, NOW)).toMatchObject({ status: 'decided', key: 'ship', buttonText: 'Ship it', input: 'canary green', decidedBy: decision.by });
    expect(decisionOf({ id: 'e1', actions, decision: null }, Date.parse('2026-12-07T12:35:00.000Z')).status).toBe('pending');
    expect(decisionOf({ id: 'e1', actions, decision: null }, Date.parse('2026-12-07T12:40:00.000Z')).status).toBe('expired');
  });

  it('marks every other reply `not chosen`, which never counts down and cannot be pressed', () => {
    const event = { decision };
    expect(notChosen(event, reply('ship'))).toBe(false);
    expect(notChosen(event, reply('hold'))).toBe(true);
    expect(notChosen({ decision: null }, reply('hold'))).toBe(false);
    expect(notChosen(event, { key: 'hook', reply: false })).toBe(false);
    const phase = actionPhase(reply('hold'), 60_000, false, false, notChosen(event, reply('hold')));
    expect(phase).toBe('not_chosen');
    expect(counting(phase)).toBe(false);
    expect(pressable(phase)).toBe(false);
  });

  it('checks typed text as the server does: required, length, only where asked for', () => {
    const spec = { label: 'Why?', required: true, maxLength: 5 };
    expect(checkInput(spec, '  ')).toEqual({ ok: false, message: 'is required: Why?' });
    expect(checkInput(spec, ' ok ')).toEqual({ ok: true, input: 'ok' });
    expect(checkInput(spec, 'too long')).toEqual({ ok: false, message: 'must be at most 5 characters' });
    expect(checkInput({ ...spec, required: false }, '')).toEqual({ ok: true, input: null });
    expect(checkInput(null, 'x').ok).toBe(false);
    expect(checkInput(null, undefined)).toEqual({ ok: true, input: null });
  });
});

describe('the answer in words', () => {
  it('names who answered, badges the answer, and says how long a question still waits', () => {
    expect(personName({ name: ' ', email: 'ana@example.com' })).toBe('ana@example.com');
    expect(personName({ name: 'Ana', email: 'ana@example.com' })).toBe('Ana');
    expect(asCaption('Why?')).toBe('Why?');
    expect(asCaption('Reason')).toBe('Reason:');
    expect(answerBadge({ status: 'decided', buttonText: 'Ship it', key: 'ship' })).toEqual({ shown: '✓ Ship it', said: 'Answered: Ship it' });
    expect(answerBadge({ status: 'expired', buttonText: null, key: null })?.shown).toBe('Question: expired');
    expect(answerBadge({ status: 'pending', buttonText: null, key: null })).toBeNull();
    expect(unansweredWords('pending', 90_000)).toMatch(/^Waiting for an answer · expires in /);
    expect(unansweredWords('pending', 0)).toBe('Expired unanswered — nobody answered');
  });

  it('says how the POST to the asker went: delivered, still trying, given up', () => {
    const base = { attempts: 1, lastAt: '2026-12-07T11:59:00.000Z', lastStatus: 200, lastReason: null, nextAt: null };
    expect(deliveryWords({ ...base, status: 'delivered' }, NOW)).toEqual({ text: 'Sent to the asker ✓ (HTTP 200)', tone: 'ok' });
    expect(deliveryWords({ ...base, status: 'pending', attempts: 0, lastStatus: null }, NOW).text).toBe('Sending to the asker…');
    const trying = deliveryWords({ ...base, status: 'pending', attempts: 2, lastStatus: 500, lastReason: 'http_500', nextAt: '2026-12-07T12:00:40.000Z' }, NOW);
    expect(trying.tone).toBe('trying');
    expect(trying.text).toMatch(/^Sending to the asker: try 2 failed \(.+\), next at /);
    expect(deliveryWords({ ...base, status: 'gave_up', attempts: 12, lastStatus: 500, lastReason: 'http_500' }, NOW)).toMatchObject({ tone: 'failed', text: expect.stringMatching(/^Gave up sending after a day: 12 tries failed/) });
  });
});
