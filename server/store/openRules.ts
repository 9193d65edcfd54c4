/**
 * What is still open in a project, as SQL conditions both stores read alike (SQLite takes TRUE and
 * FALSE as 1 and 0): which events the feed lists at its top level, which are unhandled, and which
 * webhook actions a press may start now. One wording, so the feed, the press and the project counts
 * cannot drift apart.
 */
import { LIMITS } from '../../contract/limits.ts';

/** The feed's top level (alias `e`): an event that opens a thread or stands alone; a thread's later events hang under their opener. */
export const TOP_LEVEL = 'e.parent_seq IS NULL';

/** Nobody has marked the event handled (alias `e`). */
export const UNHANDLED = 'e.handled_at IS NULL';

/**
 * A webhook action a press may start at `now` (an SQL placeholder; `a`: the actions table's name or
 * alias): not a link, not expired, and idle or failed — or succeeded and repeatable. Never while running.
 */
export const mayPress = (a: string, now: string) =>
  `${a}.external = FALSE AND ${a}.expires_at > ${now} AND (${a}.state IN ('idle', 'failed') OR (${a}.state = 'succeeded' AND ${a}.repeat = TRUE))`;

/**
 * No action outlives its event by more than the longest `expireIn` (its expiry is the event's time
 * plus that): events older than this before now have no action left to press, and are not read.
 */
export const LONGEST_ACTION_LIFE_MS = LIMITS.expireInMax * 60_000;

/** The project counts stop at this many (the app shows "999+"): a project with a million open events costs the same as one with 1000. */
export const COUNT_CAP = 1000;
