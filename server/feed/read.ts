/**
 * Reading a project's events (or several projects' at once): a cursor page with filters and search,
 * one event with its thread and attempts. One implementation for the app's routes (a session) and
 * the read API (a `read` key).
 */
import type { ReplyDeliveryDto } from '../../contract/decisions.ts';
import type { ReplyDeliveryRow } from '../store/types.ts';
import { z } from 'zod';
import { type EventDetail, FEED_PAGE_SIZE, type FeedPage } from '../../contract/api.ts';
import { LIMITS } from '../../contract/limits.ts';
import { EVENT_STATES } from '../../contract/triage.ts';
import { ApiError, badField } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore as Store } from '../store/types.ts';
import { type ProjectScope, projectIdsOf } from '../store/eventRows.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export const modeParam = z.enum(['0', '1', 'true', 'false'], { error: 'must be 0 or 1' }).optional();
export const isTest = (v: string | undefined) => v === '1' || v === 'true';
const optionalText = (max: number) =>
  z.string().max(max, { error: `must be at most ${max} characters` }).optional().transform((v) => (v ? v : null));

export const feedQuery = z.object({
  test: modeParam,
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: `must be from 1 to ${FEED_PAGE_SIZE.max}` })
    .max(FEED_PAGE_SIZE.max, { error: `must be from 1 to ${FEED_PAGE_SIZE.max}` })
    .default(FEED_PAGE_SIZE.default),
  cursor: z.string().max(100, { error: 'is not a valid cursor' }).optional(),
  category: optionalText(64),
  q: optionalText(200),
  user: optionalText(LIMITS.userId),
  unhandled: modeParam,
  state: z.enum(EVENT_STATES, { error: 'must be open, acknowledged or resolved' }).optional(),
  assignee: z.enum(['me'], { error: 'must be "me"' }).optional(),
});

/**
 * A page of the feed of one project, or of several (`label` then names each event's project: its
 * slug, the `project` of cross-project answers).
 */
export async function feedPage(
  store: Store,
  now: () => number,
  projects: ProjectScope,
  query: unknown,
  label: ((projectId: number) => string) | null = null,
  /** The signed-in person (`assignee=me`); null for an API key, which has no "me". */
  viewer: string | null = null,
): Promise<FeedPage> {
  const q = parseOr400(feedQuery, query);
  if (q.assignee === 'me' && viewer === null) throw badField('assignee', 'means the signed-in person: an API key is nobody');
  const cursor = q.cursor ? decodeCursor(q.cursor) : null;
  if (q.cursor && !cursor) throw badField('cursor', 'is not a valid cursor');
  // Read the live position first: anything after it reaches the client over SSE.
  const lastSeq = await store.events.lastLiveSeq();
  const page = await store.events.feed({
    projectIds: projectIdsOf(projects),
    test: isTest(q.test),
    limit: q.limit,
    cursor,
    category: q.category,
    search: q.q,
    unhandled: isTest(q.unhandled),
    userId: q.user,
    state: q.state ?? null,
    assigneeId: q.assignee === 'me' ? viewer : null,
    // Snoozed events leave the default view until their time (a search, a state or a person shows them).
    awakeAt: q.state || q.q || q.user ? null : now(),
  });
  return {
    events: label ? page.events.map((event, i) => ({ ...event, project: label(page.projectIds[i]!) })) : page.events,
    nextCursor: page.next ? encodeCursor(page.next) : null,
    serverTime: new Date(now()).toISOString(),
    lastSeq,
  };
}

export async function eventDetail(store: Store, now: () => number, projectId: number, id: string): Promise<EventDetail> {
  const found = await store.events.byId(id);
  // Another project's event is as absent here as one that never was.
  if (!found || found.projectId !== projectId) throw new ApiError(404, 'not_found', 'no such event');
  return {
    event: found.event,
    sentBy: found.apiKeyId === null ? null : await store.apiKeys.nameOf(found.apiKeyId),
    thread: found.event.contextStart ? await store.events.thread(found.seq) : [],
    attempts: await store.actions.history(found.seq),
    pushedTo: found.event.notify ? await store.push.sentTo(found.seq) : 0,
    activity: await store.triage.activity(found.seq, 200),
    replyDelivery: found.event.replyUrl === null ? null : replyDeliveryDto(await store.replies.bySeq(found.seq)),
    serverTime: new Date(now()).toISOString(),
  };
}

const isoOrNull = (t: number | null) => (t === null ? null : new Date(Number(t)).toISOString());

/** A reply delivery's row as the event's page shows it. */
function replyDeliveryDto(row: ReplyDeliveryRow | null): ReplyDeliveryDto | null {
  if (!row) return null;
  return {
    status: row.status,
    attempts: row.attempts,
    lastAt: isoOrNull(row.last_at),
    lastStatus: row.last_status,
    lastReason: row.last_reason,
    nextAt: row.status === 'pending' ? isoOrNull(row.next_attempt_at) : null,
  };
}
