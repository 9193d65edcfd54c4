/**
 * Events, written once for both engines: the thread rule, the feed's filters and paging, what a
 * delete takes with it, retention's unit, categories and the live log's replay. What only one engine
 * can do well stays with it, behind `EventsEngine`: writing the rows (SQLite's cheap prepared
 * statements; PostgreSQL's one statement per batch), the search index (FTS5; a tsvector in the row),
 * and the live log's append (PostgreSQL serialises appends across instances and announces them).
 */
import { type RawBuilder, sql } from 'kysely';
import type { CategoryCount, EventDto, LiveKind } from '../../../contract/api.ts';
import {
  ACTIONS_ORDER, type ActionRow, continuesThread, type EventRow, feedProjectIds, type FeedQuery, insertedEventDto, type LiveEntry, newActions,
  newEventId, type NewEvent, opensThread, projectIdsOf, SELECT_ACTIONS, SELECT_EVENT, type ThreadParent, toEventDtos,
} from '../eventRows.ts';
import { IN_STATE, TOP_LEVEL, UNHANDLED } from '../openRules.ts';
import { changed, type Engine, type Sql } from '../sql/db.ts';
import { anyOf, bytewise } from '../sql/dialect.ts';
import type { EventsRepository } from '../types.ts';

/** An event about to be written: the input, its id, its thread's opener (if it continues one), its actions. */
export interface EventToWrite {
  item: NewEvent;
  id: string;
  parentSeq: number | null;
  actions: ReturnType<typeof newActions>;
}

/** An event on its way out, with what its search entry was made of (FTS5 removes an entry by its values). */
export interface DoomedEvent {
  seq: number;
  id: string;
  name: string | null;
  content: string | null;
  user_id: string | null;
  test: boolean | number;
  parent_seq: number | null;
}

/** How an engine's search index reads the feed: a condition on `e`, and the arrival order it pages in. */
export interface SearchPlan {
  /** Joined after `FROM events e …` (FTS5's table), or none. */
  join: RawBuilder<unknown> | null;
  match: RawBuilder<boolean>;
  /** The arrival order the index is read in (newest first), and the condition for a page after `seq`. */
  order: RawBuilder<unknown>;
  before(seq: number): RawBuilder<boolean>;
}

/** What only the engine does (see the top of this file). */
export interface EventsEngine {
  /** Writes the events, their actions, search entries and `event` live entries, in order; returns their numbers. */
  write(events: EventToWrite[]): Promise<{ seq: number; liveSeq: number }[]>;
  /** Appends a live-log entry (in the caller's transaction when there is one). */
  append(kind: LiveKind, seq: number, test: boolean, at: number, deleted?: { eventId: string; projectId: number }): Promise<number>;
  /** The search box's words as the index reads them (null: no words; 'nothing': no word can match). */
  search(words: string): SearchPlan | null | 'nothing';
  /** Takes deleted events out of the search index (before their rows go). */
  unindex(events: DoomedEvent[]): Promise<void>;
  /** An event's searchable text changed (a duplicate updated its content in place): its entry follows. */
  reindex(before: DoomedEvent, content: string | null): Promise<void>;
  compactSearch(): Promise<void>;
}

/**
 * Up to this many projects, a cross-project page is each project's page merged (one index range each,
 * UNION ALL); past it (or with search) one query filters on the project list.
 */
export const MERGED_PROJECTS = 100;

/** The feed's conditions on `e` for one query (its projects aside). */
function filters(q: FeedQuery, search: SearchPlan | null): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [sql`e.test = ${q.test}`];
  const user = q.userId ?? null;
  if (q.unhandled) where.push(sql.raw(UNHANDLED));
  if (q.state) where.push(sql.raw(IN_STATE[q.state]));
  if (q.assigneeId) where.push(sql`e.assignee_id = ${q.assigneeId}`);
  if (q.awakeAt != null) where.push(sql`(e.snoozed_until IS NULL OR e.snoozed_until <= ${q.awakeAt})`);
  if (q.category === null && search === null && user === null) where.push(sql.raw(TOP_LEVEL));
  if (q.category !== null) where.push(sql`e.category = ${q.category}`);
  if (user !== null) where.push(sql`e.user_id = ${user}`);
  if (search) {
    // Search walks its index newest arrival first and stops at the page size, instead of fetching
    // and sorting every match: a common word costs the same as a rare one. Its pages are in arrival order.
    where.push(search.match);
    if (q.cursor !== null) where.push(search.before(q.cursor.seq));
  } else if (q.cursor !== null) {
    // A row value: both engines read it as one range of the (…, created_at, seq) index (with two
    // separate parameters for the time, SQLite could not tell they are equal, and scanned the project).
    where.push(sql`(e.created_at, e.seq) < (${q.cursor.createdAt}, ${q.cursor.seq})`);
  }
  return where;
}

/** The feed's SELECT for a query over `ids` (one or more projects), as the engine's search index reads it. */
export function feedQuery(dialect: Engine, q: FeedQuery, ids: number[], search: SearchPlan | null): RawBuilder<EventRow> {
  const limit = q.limit + 1;
  const page = (projects: RawBuilder<unknown>) => {
    const where = sql.join([projects, ...filters(q, search)], sql` AND `);
    if (search) return sql<EventRow>`${sql.raw(SELECT_EVENT)} ${search.join ?? sql``} WHERE ${where} ORDER BY ${search.order} LIMIT ${limit}`;
    return sql<EventRow>`${sql.raw(SELECT_EVENT)} WHERE ${where} ORDER BY e.created_at DESC, e.seq DESC LIMIT ${limit}`;
  };
  if (ids.length === 1) return page(sql`e.project_id = ${ids[0]}`);
  if (search || ids.length > MERGED_PROJECTS) return page(anyOf(dialect, 'e.project_id', ids));
  // Each project's page read from its own index range, the pages merged: no project's events are sorted.
  const pages = ids.map((id, i) => sql`SELECT * FROM (${page(sql`e.project_id = ${id}`)}) ${sql.id(`p${i}`)}`);
  return sql<EventRow>`SELECT * FROM (${sql.join(pages, sql` UNION ALL `)}) f ORDER BY f.created_at DESC, f.seq DESC LIMIT ${limit}`;
}


export function eventsRepository({ db, engine: dialect }: Sql, engine: EventsEngine): EventsRepository {
  const rows = async <R>(q: RawBuilder<R>) => (await q.execute(db)).rows;
  const selectEvents = (where: RawBuilder<unknown>) => sql<EventRow>`${sql.raw(SELECT_EVENT)} WHERE ${where}`;
  /** §12: the unresolved event of a project (and mode) with this dedupKey (one at most: a unique index says so). */
  const unresolvedWithKey = (projectId: number, test: boolean, dedupKey: string) =>
    db.selectFrom('events').where('project_id', '=', projectId).where('test', '=', test).where('dedup_key', '=', dedupKey).where('handled_at', 'is', null);

  async function toDtos(events: EventRow[]): Promise<EventDto[]> {
    if (events.length === 0) return [];
    const seqs = events.map((r) => Number(r.seq));
    const actions = await rows(sql<ActionRow>`${sql.raw(SELECT_ACTIONS)} WHERE ${anyOf(dialect, 'a.event_seq', seqs)} ${sql.raw(ACTIONS_ORDER)}`);
    return toEventDtos(events, actions);
  }
  const dtoBySeq = async (seq: number) => {
    const found = await rows(selectEvents(sql`e.seq = ${seq}`));
    return found[0] ? (await toDtos(found))[0]! : null;
  };

  /** The thread rule, before the write: an event that continues a thread hangs under its newest opener of the same mode. */
  async function openerOf({ event, projectId }: NewEvent): Promise<ThreadParent | undefined> {
    if (!continuesThread(event)) return undefined;
    const found = await rows(
      sql<ThreadParent>`SELECT seq, id, name, avatar, created_at FROM events
        WHERE project_id = ${projectId} AND test = ${event.test} AND context_id = ${event.contextId} AND context_start = ${true}
        ORDER BY seq DESC LIMIT 1`,
    );
    return found[0];
  }

  /** The thread rule, after the write: the opener counts one more; an opener adopts its thread's earlier events. Returns its count. */
  async function settleThread(seq: number, { event, projectId }: NewEvent, parent: ThreadParent | undefined): Promise<number> {
    if (parent) await sql`UPDATE events SET thread_count = thread_count + 1 WHERE seq = ${parent.seq}`.execute(db);
    if (!opensThread(event)) return 0;
    // Events of this thread that came before it move under it (the PWA refetches on seeing it).
    const adopted = Number(
      (
        await sql`UPDATE events SET parent_seq = ${seq}
          WHERE project_id = ${projectId} AND test = ${event.test} AND context_id = ${event.contextId} AND context_start = ${false}
            AND parent_seq IS NULL AND seq < ${seq}`.execute(db)
      ).numAffectedRows ?? 0,
    );
    if (adopted > 0) await sql`UPDATE events SET thread_count = thread_count + ${adopted} WHERE seq = ${seq}`.execute(db);
    return adopted;
  }

  const toWrite = (item: NewEvent, parent?: ThreadParent): EventToWrite => ({
    item,
    id: newEventId(item.createdAt),
    parentSeq: parent?.seq ?? null,
    actions: newActions(item.event, item.createdAt),
  });

  const inserted = (w: EventToWrite, written: { seq: number; liveSeq: number }, parent: ThreadParent | null, threadCount: number) => ({
    seq: written.seq,
    live: {
      liveSeq: written.liveSeq,
      projectId: w.item.projectId,
      kind: 'event' as const,
      event: insertedEventDto(w.item.event, w.id, w.item.createdAt, parent, threadCount, w.actions.map((a) => a.dto)),
    },
  });

  const insert: EventsRepository['insert'] = async (item) => {
    const parent = await openerOf(item);
    const w = toWrite(item, parent);
    const [written] = await engine.write([w]);
    const threadCount = await settleThread(written!.seq, item, parent);
    return inserted(w, written!, parent ?? null, threadCount);
  };

  /** The entries' events in two queries (rows, then their actions), not two per entry. */
  async function withEvents(log: { seq: number; kind: LiveKind; event_seq: number; event_id: string | null; project_id: number | null; test: boolean | number }[]) {
    const seqs = [...new Set(log.map((r) => Number(r.event_seq)))];
    const events = seqs.length === 0 ? [] : await rows(selectEvents(anyOf(dialect, 'e.seq', seqs)));
    const dtos = await toDtos(events);
    const bySeq = new Map(events.map((row, i) => [Number(row.seq), { event: dtos[i]!, projectId: Number(row.project_id) }]));
    return log.flatMap((r): LiveEntry[] => {
      const liveSeq = Number(r.seq);
      if (r.kind === 'delete') return [{ liveSeq, projectId: Number(r.project_id), kind: 'delete', event: { id: r.event_id!, test: Boolean(r.test) } }];
      const found = bySeq.get(Number(r.event_seq));
      return found ? [{ liveSeq, projectId: found.projectId, kind: r.kind, event: found.event }] : [];
    });
  }

  return {
    insert,

    async unresolvedByDedupKey(projectId, test, dedupKey) {
      const found = await unresolvedWithKey(projectId, test, dedupKey).select(['seq', 'id', 'name', 'created_at']).executeTakeFirst();
      return found ? { seq: Number(found.seq), id: found.id, name: found.name, createdAt: Number(found.created_at) } : null;
    },

    async dedup(item) {
      const { event, projectId, createdAt } = item;
      if (event.dedupKey === null) return null;
      const found = (await unresolvedWithKey(projectId, event.test, event.dedupKey)
        .select(['seq', 'id', 'name', 'content', 'user_id', 'test', 'parent_seq', 'created_at'])
        .executeTakeFirst()) as (DoomedEvent & { created_at: number }) | undefined;
      if (!found) return null;
      const content = event.content === null ? null : JSON.stringify(event.content);
      // Guarded: an event resolved meanwhile is not updated (the caller then makes a new one).
      const updated = await db
        .updateTable('events')
        .set((eb) => ({ seen_count: eb('seen_count', '+', 1), last_seen_at: createdAt, content, type: event.type }))
        .where('seq', '=', found.seq)
        .where('handled_at', 'is', null)
        .executeTakeFirst();
      if (changed(updated) === 0) return null;
      if (content !== found.content) await engine.reindex(found, content);
      const seq = Number(found.seq);
      await engine.append('update', seq, Boolean(found.test), createdAt);
      return { seq, id: found.id, createdAt: Number(found.created_at) };
    },

    async insertMany(items) {
      // Runs of plain events go in one write; an event of a thread goes on its own, in its place, so
      // the thread rule sees every event before it.
      const out: Awaited<ReturnType<EventsRepository['insertMany']>> = [];
      for (let i = 0; i < items.length; ) {
        if (items[i]!.event.contextId !== null) {
          out.push(await insert(items[i]!));
          i++;
          continue;
        }
        let end = i;
        while (end < items.length && items[end]!.event.contextId === null) end++;
        const batch = items.slice(i, end).map((item) => toWrite(item));
        const written = await engine.write(batch);
        for (const [k, w] of batch.entries()) out.push(inserted(w, written[k]!, null, 0));
        i = end;
      }
      return out;
    },

    async feed(q) {
      const ids = feedProjectIds(q);
      const search = q.search === null ? null : engine.search(q.search);
      if (search === 'nothing' || ids.length === 0) return { events: [], projectIds: [], next: null };
      const found = await rows(feedQuery(dialect, q, ids, search));
      const more = found.length > q.limit;
      const page = more ? found.slice(0, q.limit) : found;
      const last = page[page.length - 1];
      return {
        events: await toDtos(page),
        projectIds: page.map((r) => Number(r.project_id)),
        next: more && last ? { createdAt: Number(last.created_at), seq: Number(last.seq) } : null,
      };
    },

    async byId(id) {
      const found = await rows(selectEvents(sql`e.id = ${id}`));
      const row = found[0];
      return row ? { event: (await toDtos(found))[0]!, seq: Number(row.seq), projectId: Number(row.project_id), apiKeyId: row.api_key_id } : null;
    },

    bySeq: dtoBySeq,

    async decide(seq, answer) {
      // Guarded: of two answers made at once (two instances), exactly one is kept.
      const done = await db
        .updateTable('events')
        .set({
          decision_key: answer.key,
          decision_input: answer.input,
          decided_by: answer.by.id,
          decided_email: answer.by.email,
          decided_name: answer.by.name,
          decided_at: answer.at,
        })
        .where('seq', '=', seq)
        .where('decision_key', 'is', null)
        .executeTakeFirst();
      return changed(done) > 0;
    },

    async projectIdOf(id) {
      const row = await db.selectFrom('events').select('project_id').where('id', '=', id).executeTakeFirst();
      return row ? Number(row.project_id) : null;
    },

    async thread(parentSeq) {
      return toDtos(await rows(sql<EventRow>`${selectEvents(sql`e.parent_seq = ${parentSeq}`)} ORDER BY e.created_at ASC, e.seq ASC LIMIT 1000`));
    },

    async categories(projectId, test): Promise<CategoryCount[]> {
      // Kept by triggers (migration 008): no scan of the events. Ties in byte order on both engines.
      const found = await db
        .selectFrom('category_counts')
        .select(['category', 'count'])
        .where('project_id', '=', projectId)
        .where('test', '=', test)
        .orderBy('count', 'desc')
        .orderBy(bytewise(dialect, 'category'))
        .limit(200)
        .execute();
      return found.map((r) => ({ category: r.category, count: Number(r.count) }));
    },

    async pruneLive(before) {
      // The newest entry stays, whatever its age: the next number must not start over.
      return Number((await sql`DELETE FROM live_log WHERE created_at < ${before} AND seq < (SELECT MAX(seq) FROM live_log)`.execute(db)).numAffectedRows ?? 0);
    },

    async lastLiveSeq() {
      const [row] = await rows(sql<{ seq: number }>`SELECT COALESCE(MAX(seq), 0) AS seq FROM live_log`);
      return Number(row!.seq);
    },

    recordLive: (kind, seq, test, at) => engine.append(kind, seq, test, at),

    async remove(seq) {
      const doomed = await rows(
        sql<DoomedEvent>`SELECT seq, id, name, content, user_id, test, parent_seq FROM events WHERE seq = ${seq} OR parent_seq = ${seq} ORDER BY seq DESC`,
      );
      const target = doomed.find((r) => Number(r.seq) === seq);
      if (!target) return null;
      await engine.unindex(doomed);
      // Its live entries go too (a replay could not show them); the `delete` entries stay.
      await sql`DELETE FROM live_log WHERE ${anyOf(dialect, 'event_seq', doomed.map((r) => Number(r.seq)))} AND kind <> 'delete'`.execute(db);
      // The thread's events first (they point at the opener); actions, attempts and pushes go with
      // their event (ON DELETE CASCADE).
      await db.deleteFrom('events').where('parent_seq', '=', seq).execute();
      await db.deleteFrom('events').where('seq', '=', seq).execute();
      // An event inside a thread leaves its opener's count one lower.
      const parentSeq = target.parent_seq === null ? null : Number(target.parent_seq);
      if (parentSeq !== null) await sql`UPDATE events SET thread_count = thread_count - 1 WHERE seq = ${parentSeq} AND thread_count > 0`.execute(db);
      return { removed: doomed.map((r) => ({ id: r.id, test: Boolean(r.test) })), parentSeq };
    },

    compactSearch: () => engine.compactSearch(),

    async expiredThreads(projectId, test, before, limit) {
      // Retention's unit is a thread: an opener (or a lone event) whose newest event is older than `before`.
      const found = await rows(
        sql<{ seq: number }>`SELECT e.seq FROM events e
          WHERE e.project_id = ${projectId} AND e.test = ${test} AND e.parent_seq IS NULL AND e.created_at < ${before}
            AND NOT EXISTS (SELECT 1 FROM events c WHERE c.parent_seq = e.seq AND c.created_at >= ${before})
          ORDER BY e.created_at, e.seq LIMIT ${limit}`,
      );
      return found.map((r) => Number(r.seq));
    },

    recordDeletion: (ref, seq, projectId, at) => engine.append('delete', seq, ref.test, at, { eventId: ref.id, projectId }),

    async countLiveAfter(projects, after, test, cap) {
      const ids = projectIdsOf(projects);
      if (ids.length === 0) return 0;
      // A `delete` entry names its project itself (its event is gone); the others through their event.
      const [row] = await rows(
        sql<{ n: number }>`SELECT COUNT(*) AS n FROM (SELECT 1 FROM live_log l LEFT JOIN events e ON e.seq = l.event_seq
          WHERE l.seq > ${after} AND l.test = ${test} AND ${anyOf(dialect, 'COALESCE(l.project_id, e.project_id)', ids)} LIMIT ${cap}) t`,
      );
      return Number(row!.n);
    },

    async liveAfter(projects, after, test, limit) {
      const ids = projects === null ? null : projectIdsOf(projects);
      if (ids?.length === 0) return [];
      const where: RawBuilder<unknown>[] = [sql`l.seq > ${after}`];
      if (test !== null) where.push(sql`l.test = ${test}`);
      if (ids !== null) {
        where.push(
          sql`(${anyOf(dialect, 'l.project_id', ids)} OR EXISTS (SELECT 1 FROM events e WHERE e.seq = l.event_seq AND ${anyOf(dialect, 'e.project_id', ids)}))`,
        );
      }
      const log = await rows(
        sql<{ seq: number; kind: LiveKind; event_seq: number; event_id: string | null; project_id: number | null; test: boolean | number }>`
          SELECT l.seq, l.kind, l.event_seq, l.event_id, l.project_id, l.test FROM live_log l
          WHERE ${sql.join(where, sql` AND `)} ORDER BY l.seq LIMIT ${limit}`,
      );
      return log.length === 0 ? [] : withEvents(log);
    },
  };
}
