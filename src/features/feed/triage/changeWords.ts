/**
 * Changing an event's state (§12) and its timeline in words, pure (unit-tested in
 * test/triage-words.test.ts): what each state offers, the snooze presets, a timeline entry's sentence
 * and a note's text cut into plain text, links and @mentions, who can be assigned.
 */
import type { EventDto } from '../../../../contract/api.ts';
import { type ActivityDto, type EventState, MENTION, mentionName, type PersonDto } from '../../../../contract/triage.ts';
import { type Values, t } from '../../../i18n/i18n.ts';
import type { MessageId } from '../../../i18n/ids.ts';
import { linkify } from '../../../lib/linkify.ts';
import { personLabel, soonTime } from './words.ts';

/** What a person may change from each state: the buttons an event offers (anything else the server refuses). */
export function offeredChanges(state: EventState): { ack: boolean; resolve: boolean; reopen: boolean } {
  return { ack: state === 'open', resolve: state !== 'resolved', reopen: state !== 'open' };
}

export interface SnoozePreset {
  label: string;
  until: number;
}

/**
 * The snooze menu's presets at `now` (local time): in 1 hour, in 4 hours, tomorrow 09:00, next week
 * (Monday 09:00).
 */
export function snoozePresets(now: number): SnoozePreset[] {
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const monday = new Date(now);
  // Days to the next Monday (a Monday's next week is seven days on).
  monday.setDate(monday.getDate() + (((8 - monday.getDay()) % 7) || 7));
  monday.setHours(9, 0, 0, 0);
  return [
    { label: t('feed.snooze.hour'), until: now + 60 * 60_000 },
    { label: t('feed.snooze.hours4'), until: now + 4 * 60 * 60_000 },
    { label: t('feed.snooze.tomorrow'), until: tomorrow.getTime() },
    { label: t('feed.snooze.nextWeek'), until: monday.getTime() },
  ];
}

/** A time as a `datetime-local` input's value (local time, to the minute). */
export function toLocalInput(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` input's value as a time (local); null when it is not one. */
export function fromLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isNaN(d.getTime()) ? null : d.getTime();
}

/**
 * What a timeline entry says, `{who}` standing for who did it: `{who} acknowledged`, `{who} assigned
 * it to Ana`, `{who} snoozed it until Tue 09:00`; a snooze the server ended reads `Snooze ended` (no
 * one did it). A note's text is shown apart. The page puts the person's mark and name in `{who}`.
 */
export function activityMessage(a: Pick<ActivityDto, 'kind' | 'by' | 'assignee' | 'until'>, now: number): { id: MessageId; values: Values } {
  switch (a.kind) {
    case 'acknowledged':
      return { id: 'feed.activity.acknowledged', values: {} };
    case 'resolved':
      return { id: 'feed.activity.resolved', values: {} };
    case 'reopened':
      return { id: 'feed.activity.reopened', values: {} };
    case 'assigned':
      return a.assignee ? { id: 'feed.activity.assignedTo', values: { name: personLabel(a.assignee) } } : { id: 'feed.activity.assigned', values: {} };
    case 'unassigned':
      return { id: 'feed.activity.unassigned', values: {} };
    case 'snoozed':
      return a.until ? { id: 'feed.activity.snoozedUntil', values: { time: soonTime(Date.parse(a.until), now) } } : { id: 'feed.activity.snoozed', values: {} };
    case 'unsnoozed':
      return { id: a.by.id === null ? 'feed.activity.snoozeEnded' : 'feed.activity.unsnoozed', values: {} };
    case 'note':
      return { id: 'feed.activity.note', values: {} };
    case 'escalated':
      return { id: 'feed.activity.escalated', values: {} };
  }
}

/** A timeline entry as plain text, `who` naming who did it. */
export function activityWords(a: Pick<ActivityDto, 'kind' | 'by' | 'assignee' | 'until'>, now: number, who: string): string {
  const { id, values } = activityMessage(a, now);
  return t(id, { ...values, who });
}

/**
 * Who did it, as the timeline names them: a person by name (else email); the server itself
 * (`switchboard`: a snooze that ended) as Switchboard; an API key as the server words it.
 */
export function actorLabel(by: ActivityDto['by']): string {
  if (by.id === null && !by.name.trim()) return by.email === 'switchboard' || by.email === '' ? 'Switchboard' : by.email;
  return personLabel(by);
}

export type NotePart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string } | { kind: 'mention'; text: string };

/**
 * A note's text as parts: plain text, http(s) links (lib/linkify.ts: nothing else becomes a link) and
 * `@mentions` (to be marked, never linked). Plain text always: the parts join back to the text.
 */
export function noteParts(text: string): NotePart[] {
  const parts: NotePart[] = [];
  for (const part of linkify(text)) {
    if (part.kind === 'link') {
      parts.push(part);
      continue;
    }
    let last = 0;
    for (const m of part.text.matchAll(MENTION)) {
      // As the server reads it (contract/triage.ts): without the dots that end a sentence.
      const word = `@${mentionName(m)}`;
      if (word.length < 2) continue;
      const start = m.index + m[1]!.length;
      if (start > last) parts.push({ kind: 'text', text: part.text.slice(last, start) });
      parts.push({ kind: 'mention', text: word });
      last = start + word.length;
    }
    if (last < part.text.length) parts.push({ kind: 'text', text: part.text.slice(last) });
  }
  return parts;
}

/**
 * The people the assign picker offers: everyone of the project when their list is known (admins read
 * it), else those the event knows (its assignee, the people on its timeline) and the person
 * themselves — each once, by id, the current assignee first then by name.
 */
export function assignable(known: readonly PersonDto[], me: PersonDto | null, event: Pick<EventDto, 'assignee'>, activity: readonly ActivityDto[] = []): PersonDto[] {
  const byId = new Map<string, PersonDto>();
  const add = (p: PersonDto | null | undefined) => {
    if (p?.id && !byId.has(p.id)) byId.set(p.id, p);
  };
  add(event.assignee);
  add(me);
  for (const p of known) add(p);
  for (const a of activity) {
    add(a.assignee);
    if (a.by.id !== null) add({ id: a.by.id, email: a.by.email, name: a.by.name });
  }
  const rest = [...byId.values()].filter((p) => p.id !== event.assignee?.id);
  rest.sort((a, b) => personLabel(a).localeCompare(personLabel(b)));
  return event.assignee ? [event.assignee, ...rest] : rest;
}
