/**
 * Events as both stores keep them: the feed's query and cursor, live-log entries, event ids, the
 * searchable text of an event, and rows → the wire format: one mapping from the events and actions tables (as their
 * SELECTs return them) to `EventDto`, and the DTO of an event just inserted, built from what was
 * written. SQLite returns flags as 0/1 and PostgreSQL as booleans; both are read with Boolean().
 */
import { randomBytes } from 'node:crypto';
import type { ActionDto, ActionState, DeletedEventRef, EventDto, EventSummary, LiveKind } from '../../contract/api.ts';
import type { JsonValue, NormalizedEvent, Row } from '../../contract/ingest.ts';
import type { ActionEmphasis, EventType } from '../../contract/limits.ts';
import type { Risk } from '../../contract/policy.ts';
import type { EventState } from '../../contract/triage.ts';
import type { ActionInputSpec } from '../../contract/decisions.ts';
import { REQUEST_COLUMNS, type RequestColumns, requestDto } from './requestRows.ts';

type Flag = number | boolean;

export interface EventRow {
  seq: number;
  project_id: number;
  id: string;
  name: string | null;
  avatar: string | null;
  type: EventType;
  content: string | null;
  category: string | null;
  notify: Flag;
  test: Flag;
  context_id: string | null;
  context_start: Flag;
  user_id: string | null;
  parent_id: string | null;
  parent_name: string | null;
  parent_avatar: string | null;
  parent_created_at: number | null;
  api_key_id: string | null;
  thread_count: number;
  latest_id: string | null;
  latest_name: string | null;
  latest_avatar: string | null;
  latest_created_at: number | null;
  created_at: number;
  handled_at: number | null;
  handled_by_email: string | null;
  reply_url: string | null;
  decision_key: string | null;
  decision_input: string | null;
  decided_by: string | null;
  decided_email: string | null;
  decided_name: string | null;
  decided_at: number | null;
  acked_at: number | null;
  acked_by_email: string | null;
  assignee_id: string | null;
  assignee_email: string | null;
  assignee_name: string | null;
  snoozed_until: number | null;
  urgent: Flag;
  dedup_key: string | null;
  seen_count: number;
  last_seen_at: number | null;
}

interface ActionOnlyRow {
  event_seq: number;
  key: string;
  button_text: string;
  url: string;
  meta: string | null;
  external: Flag;
  expires_at: number;
  repeat: Flag;
  emphasis: ActionEmphasis | null;
  role: 'admin' | null;
  risk: Risk;
  confirm_text: string | null;
  reply: Flag;
  input: string | null;
  resolves: Flag;
  state: ActionState;
  attempts: number;
  // The latest attempt, when there is one (LEFT JOIN).
  attempt_id: string | null;
  pressed_by_email: string | null;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
  outcome: 'succeeded' | 'failed' | null;
  status_code: number | null;
  reason: string | null;
}

/** An action row with its newest press request (LEFT JOIN press_requests r: all null when none). */
export type ActionRow = ActionOnlyRow & RequestColumns;

/**
 * The columns of an event row, with its thread's opener (`p`) and, for an opener, its thread's newest
 * event (`l`, one probe of the thread index, only when the thread has events).
 */
export const EVENT_COLUMNS = `e.seq, e.project_id, e.id, e.name, e.avatar, e.type, e.content, e.category, e.notify, e.test,
  e.context_id, e.context_start, e.user_id, e.api_key_id, e.thread_count, e.created_at, e.handled_at, e.handled_by_email,
  e.reply_url, e.decision_key, e.decision_input, e.decided_by, e.decided_email, e.decided_name, e.decided_at,
  e.acked_at, e.acked_by_email, e.assignee_id, au.email AS assignee_email, au.name AS assignee_name, e.snoozed_until, e.urgent,
  e.dedup_key, e.seen_count, e.last_seen_at,
  p.id AS parent_id, p.name AS parent_name, p.avatar AS parent_avatar, p.created_at AS parent_created_at,
  l.id AS latest_id, l.name AS latest_name, l.avatar AS latest_avatar, l.created_at AS latest_created_at`;
export const SELECT_EVENT = `SELECT ${EVENT_COLUMNS} FROM events e LEFT JOIN events p ON p.seq = e.parent_seq
  LEFT JOIN users au ON au.id = e.assignee_id
  LEFT JOIN events l ON e.thread_count > 0
    AND l.seq = (SELECT c.seq FROM events c WHERE c.parent_seq = e.seq ORDER BY c.created_at DESC, c.seq DESC LIMIT 1)`;

const summary = (id: string | null, name: string | null, avatar: string | null, at: number | null): EventSummary | null =>
  id === null || at === null ? null : { id, name, avatar, createdAt: iso(Number(at)) };

/** The thread-opener an inserted event hangs under, as the insert's lookup reads it. */
export interface ThreadParent {
  seq: number;
  id: string;
  name: string | null;
  avatar: string | null;
  created_at: number;
}

/** The actions of some events with each one's latest attempt; the caller adds `WHERE a.event_seq IN …`. */
export const SELECT_ACTIONS = `SELECT a.event_seq, a.key, a.button_text, a.url, a.meta, a.external, a.expires_at, a.repeat,
    a.emphasis, a.role, a.risk, a.confirm_text, a.reply, a.input, a.resolves, a.state, a.attempts, t.id AS attempt_id, t.pressed_by_email, t.started_at, t.finished_at,
    t.duration_ms, t.outcome, t.status_code, t.reason, ${REQUEST_COLUMNS}
  FROM actions a LEFT JOIN action_attempts t
    ON t.event_seq = a.event_seq AND t.action_key = a.key AND t.number = a.attempts
  LEFT JOIN press_requests r ON r.id = a.request_id`;
export const ACTIONS_ORDER = 'ORDER BY a.event_seq, a.position';

/** The thread rule: an event that continues a thread hangs under its newest opener of the same mode. */
export const continuesThread = (event: NormalizedEvent) => event.contextId !== null && !event.contextStart;
/** An opener adopts the events of its thread that arrived before it. */
export const opensThread = (event: NormalizedEvent) => event.contextId !== null && event.contextStart;

const iso = (t: number) => new Date(t).toISOString();

function actionDto(row: ActionRow): ActionDto {
  return {
    key: row.key,
    buttonText: row.button_text,
    url: row.url,
    meta: row.meta === null ? null : (JSON.parse(row.meta) as JsonValue),
    external: Boolean(row.external),
    expiresAt: iso(row.expires_at),
    repeat: Boolean(row.repeat),
    type: row.emphasis,
    role: row.role,
    risk: row.risk,
    confirmText: row.confirm_text,
    reply: Boolean(row.reply),
    input: row.input === null ? null : (JSON.parse(row.input) as ActionInputSpec),
    resolves: Boolean(row.resolves),
    state: row.state,
    attempts: row.attempts,
    request: requestDto(row),
    lastAttempt:
      row.attempt_id === null
        ? null
        : {
            id: row.attempt_id,
            actionKey: row.key,
            number: row.attempts,
            pressedBy: row.pressed_by_email ?? '',
            startedAt: iso(row.started_at ?? 0),
            finishedAt: row.finished_at === null ? null : iso(row.finished_at),
            durationMs: row.duration_ms,
            outcome: row.outcome,
            status: row.status_code,
            reason: row.reason,
          },
  };
}

/** Event rows and the action rows of those events (any order within an event's position order) → DTOs. */
export function toEventDtos(rows: EventRow[], actionRows: ActionRow[]): EventDto[] {
  const bySeq = new Map<number, ActionDto[]>();
  for (const a of actionRows) {
    const seq = Number(a.event_seq);
    const list = bySeq.get(seq) ?? [];
    list.push(actionDto(a));
    bySeq.set(seq, list);
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    avatar: r.avatar,
    type: r.type,
    content: r.content === null ? null : (JSON.parse(r.content) as JsonValue | Row[]),
    category: r.category,
    notify: Boolean(r.notify),
    test: Boolean(r.test),
    contextId: r.context_id,
    contextStart: Boolean(r.context_start),
    userId: r.user_id,
    createdAt: iso(r.created_at),
    parentId: r.parent_id,
    opener: summary(r.parent_id, r.parent_name, r.parent_avatar, r.parent_created_at),
    threadCount: r.thread_count,
    latest: summary(r.latest_id, r.latest_name, r.latest_avatar, r.latest_created_at),
    actions: bySeq.get(Number(r.seq)) ?? [],
    handled: r.handled_at === null ? null : { by: r.handled_by_email ?? '', at: iso(Number(r.handled_at)) },
    replyUrl: r.reply_url,
    decision:
      r.decision_key === null
        ? null
        : {
            key: r.decision_key,
            input: r.decision_input,
            by: { id: r.decided_by ?? '', email: r.decided_email ?? '', name: r.decided_name ?? '' },
            at: iso(Number(r.decided_at)),
          },
    state: r.handled_at !== null ? 'resolved' : r.acked_at !== null ? 'acknowledged' : 'open',
    acknowledged: r.acked_at === null ? null : { by: r.acked_by_email ?? '', at: iso(Number(r.acked_at)) },
    assignee: r.assignee_id === null ? null : { id: r.assignee_id, email: r.assignee_email ?? '', name: r.assignee_name ?? '' },
    snoozedUntil: r.snoozed_until === null ? null : iso(Number(r.snoozed_until)),
    urgent: Boolean(r.urgent),
    dedupKey: r.dedup_key,
    count: Number(r.seen_count),
    lastSeenAt: iso(Number(r.last_seen_at ?? r.created_at)),
  }));
}

/** An action as it is written: its row values (position order) and its DTO. */
export function newActions(event: NormalizedEvent, createdAt: number) {
  return event.actions.map((a, position) => {
    const expiresAt = createdAt + a.expireIn * 60_000;
    const dto: ActionDto = {
      key: a.key,
      buttonText: a.buttonText,
      url: a.url,
      meta: a.meta,
      external: a.external,
      expiresAt: iso(expiresAt),
      repeat: a.repeat,
      type: a.type,
      role: a.role,
      risk: a.risk,
      confirmText: a.confirmText,
      reply: a.reply,
      input: a.input,
      resolves: a.resolves,
      state: 'idle',
      attempts: 0,
      lastAttempt: null,
      request: null,
    };
    return { position, expiresAt, meta: a.meta === null ? null : JSON.stringify(a.meta), inputSpec: a.input === null ? null : JSON.stringify(a.input), dto, input: a };
  });
}

/** The DTO of an event just inserted, from what was written (no read back). */
export function insertedEventDto(
  event: NormalizedEvent,
  id: string,
  createdAt: number,
  parent: ThreadParent | null,
  threadCount: number,
  actions: ActionDto[],
): EventDto {
  return {
    id,
    name: event.name,
    avatar: event.avatar,
    type: event.type,
    content: event.content,
    category: event.category,
    notify: event.notify,
    test: event.test,
    contextId: event.contextId,
    contextStart: event.contextStart,
    userId: event.userId,
    createdAt: iso(createdAt),
    parentId: parent?.id ?? null,
    opener: parent ? summary(parent.id, parent.name, parent.avatar, parent.created_at) : null,
    threadCount,
    // An opener that adopted earlier events: the PWA reads its lists again (it cannot know their newest).
    latest: null,
    actions,
    handled: null,
    replyUrl: event.replyUrl,
    decision: null,
    state: 'open',
    acknowledged: null,
    assignee: null,
    snoozedUntil: null,
    urgent: event.urgent,
    dedupKey: event.dedupKey,
    count: 1,
    lastSeenAt: iso(createdAt),
  };
}

export interface FeedCursor {
  createdAt: number;
  seq: number;
}

/** The projects a read covers: one project's id, or several (the cross-project feed and stream). */
export type ProjectScope = number | readonly number[];

/** A scope's project ids as a list (one id: a list of one). */
export const projectIdsOf = (scope: ProjectScope): number[] => (typeof scope === 'number' ? [scope] : [...new Set(scope)]);

/** A feed query's projects: `projectId` (one) or `projectIds` (several; none reads nothing). */
export type FeedQuery = FeedFilters & ({ projectId: number; projectIds?: never } | { projectIds: readonly number[]; projectId?: never });

/** A feed query's projects as a list. */
export const feedProjectIds = (q: FeedQuery): number[] => projectIdsOf(q.projectIds ?? q.projectId!);

export interface FeedFilters {
  test: boolean;
  limit: number;
  cursor: FeedCursor | null;
  category: string | null;
  /** Free text; turned into a safe FTS5 prefix query here. */
  search: string | null;
  /** Leave out events someone marked handled. */
  unhandled?: boolean;
  /** §12: only events in this state (a thread's opener or a lone event). */
  state?: EventState | null;
  /** Only events assigned to this person. */
  assigneeId?: string | null;
  /** Leave out events snoozed past this time (the default view); null: show snoozed ones too. */
  awakeAt?: number | null;
  /** Only the events about this user (their `userId`), thread events included. */
  userId?: string | null;
}

/** An event to write, with where it came from. */
export interface NewEvent {
  event: NormalizedEvent;
  projectId: number;
  apiKeyId: string | null;
  createdAt: number;
}

export interface InsertedEvent {
  seq: number;
  /** The live-log entry for this insert, built from what was written (no read back). */
  live: EventLiveEntry;
}

/** A live-log entry about an event that exists: new, an action changed, or the event changed. */
export interface EventLiveEntry {
  liveSeq: number;
  /** The event's project (the stream of each project sends only its own; not sent to clients). */
  projectId: number;
  kind: Exclude<LiveKind, 'delete'>;
  event: EventDto;
}

/** A live-log entry saying an event was deleted: its id and mode are all that is left of it. */
export interface DeletionLiveEntry {
  liveSeq: number;
  projectId: number;
  kind: 'delete';
  event: DeletedEventRef;
}

export type LiveEntry = EventLiveEntry | DeletionLiveEntry;

/** What deleting an event removed: it and the events of the thread it opens. */
export interface RemovedEvents {
  /** Ids and modes of every removed event, the thread's events first. */
  removed: DeletedEventRef[];
  /** The thread-opener whose count went down (when the event was in a thread). */
  parentSeq: number | null;
}

/**
 * Event ids: the creation time in base 36 (so ids sort by time and index inserts land on the last
 * page instead of a random one) and 48 random bits from a pooled buffer (one getrandom per 512 ids).
 */
const RANDOM_BYTES = 6;
let randomPool = Buffer.alloc(0);
let poolOffset = 0;
export function newEventId(createdAt: number): string {
  if (poolOffset + RANDOM_BYTES > randomPool.length) {
    randomPool = randomBytes(RANDOM_BYTES * 512);
    poolOffset = 0;
  }
  const random = randomPool.subarray(poolOffset, poolOffset + RANDOM_BYTES).toString('base64url');
  poolOffset += RANDOM_BYTES;
  return `${createdAt.toString(36).padStart(9, '0')}${random}`;
}

/** The searchable text of an event's content: text, JSON leaf values, row labels and contents. */
export function searchableText(content: NormalizedEvent['content']): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(content);
  return out.join(' ');
}
