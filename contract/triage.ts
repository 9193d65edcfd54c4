/**
 * Working an event together (CONTRACT.md §12): a thread's opening event (or a lone event) is `open`,
 * `acknowledged` ("I'm on it") or `resolved`; it may have an assignee and be snoozed; people leave
 * notes. The rules and the wire format, read by the server (routes, store) and the PWA alike.
 */

export const EVENT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type EventState = (typeof EVENT_STATES)[number];

/** What a person may do to an event's state, and from which states (anything else is 409 `invalid_transition`). */
export const STATE_CHANGES = {
  ack: { from: ['open'], to: 'acknowledged' },
  resolve: { from: ['open', 'acknowledged'], to: 'resolved' },
  reopen: { from: ['acknowledged', 'resolved'], to: 'open' },
} as const satisfies Record<string, { from: readonly EventState[]; to: EventState }>;
export type StateChange = keyof typeof STATE_CHANGES;

/** Why `change` cannot be made to an event in `state` (null: it can). */
export function transitionRefusal(state: EventState, change: StateChange): string | null {
  if ((STATE_CHANGES[change].from as readonly EventState[]).includes(state)) return null;
  if (change === 'ack') return state === 'acknowledged' ? 'it is already acknowledged' : 'it is resolved: reopen it first';
  if (change === 'resolve') return 'it is already resolved';
  return 'it is already open';
}

/** The event's state from what its row keeps: resolved while resolved (the "handled" mark), else acknowledged while acknowledged. */
export const stateOf = (e: { handled: unknown; acknowledged: unknown }): EventState => (e.handled ? 'resolved' : e.acknowledged ? 'acknowledged' : 'open');

/** GET …/triage-counts: what the desktop sidebar counts (each at most 1000: 1000 means "1000 or more"). */
export interface TriageCounts {
  open: number;
  acknowledged: number;
  /** Unresolved events assigned to the signed-in person. */
  mine: number;
}

/** A snooze lasts at most this long. */
export const SNOOZE_MAX_MS = 30 * 24 * 60 * 60_000;
/** A note's text: 1 to this many characters, plain text. */
export const NOTE_MAX = 4000;
/** Notes (and the timeline) per page. */
export const NOTES_PAGE = 50;

export interface PersonDto {
  id: string;
  email: string;
  name: string;
}

export const ACTIVITY_KINDS = ['acknowledged', 'resolved', 'reopened', 'assigned', 'unassigned', 'snoozed', 'unsnoozed', 'note', 'escalated'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** One entry of an event's timeline: a change of its state, assignee or snooze, or a note. */
export interface ActivityDto {
  id: string;
  kind: ActivityKind;
  /** Who (the server itself, e.g. an action with `resolves` or an integration: id null). */
  by: { id: string | null; email: string; name: string };
  at: string;
  /** A note's text (plain, never HTML). */
  text: string | null;
  /** `assigned`: to whom. */
  assignee: PersonDto | null;
  /** `snoozed`: until when. */
  until: string | null;
}

/** GET …/events/:id/notes: a page of notes, newest first. */
export interface NotesPage {
  notes: ActivityDto[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: string | null;
}

/** Why `until` is not a time to snooze to at `now` (null: it is): in the future, at most 30 days away. */
export function snoozeRefusal(until: number, now: number): string | null {
  if (until <= now) return 'must be in the future';
  if (until - now > SNOOZE_MAX_MS) return 'must be at most 30 days from now';
  return null;
}

/**
 * A mention in a note: `@` after the start or a character that is not a word's or an @ (an email is
 * not a mention), then a name, an email's local part, or an email. Group 1: what comes before the @;
 * group 2: the name. Read by the server (who to push) and the PWA (what to mark) alike.
 */
export const MENTION = /(^|[^\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)/g;

/** A mention's name, without the dots that end the sentence it is in ("thanks @ana."). */
export const mentionName = (m: RegExpMatchArray): string => m[2]!.replace(/\.+$/, '');

/**
 * The people a note mentions: `@name` where name is a teammate's name without spaces, their email, or
 * the part of their email before the @ (case-insensitive). Each person once.
 */
export function mentioned<P extends PersonDto>(text: string, people: readonly P[]): P[] {
  const words = new Set([...text.matchAll(MENTION)].map((m) => mentionName(m).toLowerCase()));
  if (words.size === 0) return [];
  return people.filter((p) => {
    const email = p.email.toLowerCase();
    const names = [email, email.split('@')[0]!, p.name.trim().toLowerCase().replace(/\s+/g, '')].filter((n) => n !== '');
    return names.some((n) => words.has(n));
  });
}
