/**
 * What is still open in a project, as SQL conditions both engines read alike (SQLite takes TRUE and
 * FALSE as 1 and 0): which events the feed lists at its top level, which are unhandled, and which
 * webhook actions a press may start now. One wording, so the feed, the press and the project counts
 * cannot drift apart.
 */
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { LIMITS } from '../../contract/limits.ts';
import type { EventState } from '../../contract/triage.ts';

/** The feed's top level (alias `e`): an event that opens a thread or stands alone; a thread's later events hang under their opener. */
export const TOP_LEVEL = 'e.parent_seq IS NULL';

/** Nobody has marked the event handled (alias `e`): not resolved (§12). */
export const UNHANDLED = 'e.handled_at IS NULL';

/** An event's state (§12) as a condition on `e`: resolved is the handled mark; acknowledged, the acked mark on an unresolved event. */
export const IN_STATE: Record<EventState, string> = {
  open: 'e.handled_at IS NULL AND e.acked_at IS NULL',
  acknowledged: 'e.handled_at IS NULL AND e.acked_at IS NOT NULL',
  resolved: 'e.handled_at IS NOT NULL',
};

/**
 * A webhook action a press may start at `now` (`a`: the actions table's name or alias, written here,
 * never input): not a link, not expired, and idle or failed — or succeeded and repeatable. Never while
 * running; a reply action (§11) never once its event's question is decided.
 */
export const mayPress = (a: string, now: number | Expression<number>): RawBuilder<SqlBool> => {
  const col = (c: string) => sql.ref(`${a}.${c}`);
  return sql<SqlBool>`(${col('external')} = FALSE AND ${col('expires_at')} > ${now}
    AND (${col('state')} IN ('idle', 'failed') OR (${col('state')} = 'succeeded' AND ${col('repeat')} = TRUE))
    AND (${col('reply')} = FALSE OR NOT EXISTS (SELECT 1 FROM events q WHERE q.seq = ${col('event_seq')} AND q.decision_key IS NOT NULL)))`;
};

/**
 * No action outlives its event by more than the longest `expireIn` (its expiry is the event's time
 * plus that): events older than this before now have no action left to press, and are not read.
 */
export const LONGEST_ACTION_LIFE_MS = LIMITS.expireInMax * 60_000;

/** The project counts stop at this many (the app shows "999+"): a project with a million open events costs the same as one with 1000. */
export const COUNT_CAP = 1000;
