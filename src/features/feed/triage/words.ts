/**
 * An event's state in words, pure (unit-tested in test/triage-words.test.ts): the state badge of a
 * card or a desk row, the repeat count, who and when. Changing it and its timeline: ./changeWords.ts.
 */
import type { EventDto } from '../../../../contract/api.ts';
import type { EventState } from '../../../../contract/triage.ts';
import { t } from '../../../i18n/i18n.ts';
import { dateFormat } from '../../../lib/intl.ts';

/** An event's state in a word: Open, Acknowledged, Resolved. */
export function stateWord(state: EventState): string {
  switch (state) {
    case 'open':
      return t('feed.state.open');
    case 'acknowledged':
      return t('feed.state.acknowledged');
    case 'resolved':
      return t('feed.state.resolved');
  }
}

/** A person as people read them: their name, else their email (accounts made before names have none). */
export const personLabel = (p: { name: string; email: string }): string => p.name.trim() || p.email;

/** One or two letters for a person's chip: "Ana Ruiz" → "AR", "ana@example.com" → "A". */
export function initials(p: { name: string; email: string }): string {
  const words = p.name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return (p.email.trim()[0] ?? '?').toUpperCase();
  const first = [...words[0]!][0] ?? '';
  const last = words.length > 1 ? ([...words[words.length - 1]!][0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** A name for a one-line badge: an email (someone without a name) by the part before its @. */
export const shortName = (name: string): string => (name.includes('@') ? name.slice(0, name.indexOf('@')) || name : name);

/**
 * The state at a glance: null while open (nothing to say); `Acknowledged · Ana` (who is on it) or
 * `Resolved` shown, and the whole sentence with the email for a screen reader and the tooltip.
 * `nameOf`: a person's name from their email where it is known (the state carries the email).
 */
export function stateBadge(
  e: Pick<EventDto, 'state' | 'acknowledged' | 'handled'>,
  nameOf: (email: string) => string = (email) => email,
): { shown: string; said: string; tone: 'acknowledged' | 'resolved' } | null {
  if (e.state === 'resolved') {
    const word = stateWord('resolved');
    return { shown: word, said: e.handled ? t('feed.state.resolvedBy', { by: e.handled.by }) : word, tone: 'resolved' };
  }
  if (e.state === 'acknowledged') {
    const word = stateWord('acknowledged');
    const by = e.acknowledged ? shortName(nameOf(e.acknowledged.by)) : null;
    return {
      shown: by ? t('feed.state.acknowledgedShort', { by }) : word,
      said: by ? t('feed.state.acknowledgedBy', { by: e.acknowledged!.by }) : word,
      tone: 'acknowledged',
    };
  }
  return null;
}

/** `×10` for an event that came ten times (deduplicated), null for one that came once. */
export function repeatCount(count: number): { shown: string; said: string } | null {
  if (!(count > 1)) return null;
  return { shown: t('feed.repeat.shown', { count }), said: t('feed.repeat.said', { count }) };
}

/** Whether the event is snoozed at `now` (out of the default feed). */
export const snoozed = (e: Pick<EventDto, 'snoozedUntil'>, now: number): boolean => e.snoozedUntil !== null && Date.parse(e.snoozedUntil) > now;

/** A time soon after `now`, briefly: `15:42` today, `Tue 09:00` this week, else with its date. */
export function soonTime(at: number, now: number): string {
  const d = new Date(at);
  const time = dateFormat({ hour: 'numeric', minute: '2-digit' }).format(d);
  if (d.toDateString() === new Date(now).toDateString()) return time;
  if (at - now < 6 * 24 * 60 * 60_000 && at > now) return `${dateFormat({ weekday: 'short' }).format(d)} ${time}`;
  return `${dateFormat({ day: 'numeric', month: 'short' }).format(d)} ${time}`;
}
