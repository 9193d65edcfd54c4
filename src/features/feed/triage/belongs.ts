/** Which cached feed lists an event belongs in after §12 changed it (pure: unit-tested). */
import type { EventDto } from '../../../../contract/api.ts';
import type { EventState } from '../../../../contract/triage.ts';

/** What of a feed's filters (../api.ts `FeedFilters`) decides whether an event is in it. */
export interface ListFilters {
  test: boolean;
  category: string | null;
  q: string | null;
  unhandled: boolean;
  user: string | null;
  state: EventState | null;
  assignee: 'me' | null;
}

/**
 * Whether a thread's opener (or a lone event) belongs in a list, after a change of what §12 changes —
 * its state, its assignee, its snooze — so that it moves in or out; null: only the server can say (a
 * search; a thread's later event). `me`: the signed-in person's id.
 */
export function belongsByTriage(f: ListFilters, e: EventDto, me: string | null, now: number): boolean | null {
  if (e.parentId !== null) return null;
  if (f.test !== e.test) return false;
  if (f.state !== null && e.state !== f.state) return false;
  if (f.assignee === 'me' && (me === null || e.assignee?.id !== me)) return false;
  if (f.unhandled && e.state === 'resolved') return false;
  // Snoozed events are out of the default view (a search, a state or a person shows them).
  const snoozed = e.snoozedUntil !== null && Date.parse(e.snoozedUntil) > now;
  if (snoozed && f.state === null && f.q === null && f.user === null) return false;
  if (f.category !== null && f.category !== e.category) return false;
  if (f.user !== null && f.user !== e.userId) return false;
  return f.q === null ? true : null;
}
