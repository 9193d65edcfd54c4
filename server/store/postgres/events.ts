/**
 * The events repository on PostgreSQL: the same methods and answers as `../events.ts` (the
 * conformance suite holds them to it), with the row mapping, the thread rule and the inserted DTO
 * shared through `../eventRows.ts`. Search reads the row's `tsvector` (see ./search.ts); the live
 * log is ./liveLog.ts, whose appends commit in sequence order across instances.
 */
import { TOP_LEVEL, UNHANDLED } from '../openRules.ts';
import type { EventDto } from '../../../contract/api.ts';
import type { StoreRepositories } from '../types.ts';
import {
  ACTIONS_ORDER, type ActionRow, continuesThread, type EventRow, type FeedQuery, feedProjectIds, insertedEventDto, type LiveEntry, projectIdsOf,
  newActions, newEventId, opensThread, SELECT_ACTIONS, SELECT_EVENT, searchableText, type ThreadParent, toEventDtos,
} from '../eventRows.ts';
import { appendLive, type LiveAppender, lastLiveSeq, liveAfter, type Queryable } from './liveLog.ts';
import { searchQuery, searchVector } from './search.ts';

type Events = StoreRepositories['events'];

/**
 * A string bound for a JSON parameter: a NUL, or half of a surrogate pair, would be an escape that
 * PostgreSQL's json refuses to turn into text. Both become U+FFFD, as they do in a plain parameter.
 */
const LONE_SURROGATE = /\p{Cs}/gu; // with the u flag, a well-formed pair is one code point: only halves match
const noNul = (v: string | null) => (v === null ? null : v.replaceAll('\0', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD'));

/**
 * `live`: the live-log appender of the transaction these repositories run in; null outside one
 * (then each append is its own locked, announced statement group, as `appendLive` does).
 */
export function postgresEvents(db: Queryable, live: LiveAppender | null): Events {
  const append = (kind: string, seq: number, test: boolean, at: number, deleted?: { eventId: string; projectId: number }) =>
    live ? live.append(kind, seq, test, at, deleted) : appendLive(db, kind, seq, test, at, deleted);

  async function toDtos(rows: EventRow[]): Promise<EventDto[]> {
    if (rows.length === 0) return [];
    const actions = await db.query<ActionRow>(`${SELECT_ACTIONS} WHERE a.event_seq = ANY($1::bigint[]) ${ACTIONS_ORDER}`, [rows.map((r) => r.seq)]);
    return toEventDtos(rows, actions.rows);
  }
  async function dtoBySeq(seq: number): Promise<EventDto | null> {
    const { rows } = await db.query<EventRow>(`${SELECT_EVENT} WHERE e.seq = $1`, [seq]);
    return rows[0] ? (await toDtos(rows))[0]! : null;
  }

  /**
   * The feed's SELECT. One project: its index range, newest first. Several: each one's page read
   * from its own index range (a LATERAL per project) and the pages merged, so no project's events
   * are sorted; search filters on the list (it reads the search index, not a project's range).
   */
  function feedSql(q: FeedQuery, ids: number[], tsquery: string | null): { sql: string; params: unknown[] } {
    const many = ids.length > 1;
    const params: unknown[] = [many ? ids : ids[0], q.test];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const merged = many && tsquery === null;
    const where = [merged ? 'e.project_id = fp.id' : many ? 'e.project_id = ANY($1::bigint[])' : 'e.project_id = $1', 'e.test = $2'];
    if (q.unhandled) where.push(UNHANDLED);
    const user = q.userId ?? null;
    if (q.category === null && tsquery === null && user === null) where.push(TOP_LEVEL);
    if (q.category !== null) where.push(`e.category = ${p(q.category)}`);
    if (user !== null) where.push(`e.user_id = ${p(user)}`);
    if (tsquery !== null) {
      // As SQLite's search: newest arrival first (seq), pages cut on seq.
      where.push(`e.search @@ ${p(tsquery)}::tsquery`);
      if (q.cursor !== null) where.push(`e.seq < ${p(q.cursor.seq)}`);
      return { sql: `${SELECT_EVENT} WHERE ${where.join(' AND ')} ORDER BY e.seq DESC LIMIT ${p(q.limit + 1)}`, params };
    }
    if (q.cursor !== null) where.push(`(e.created_at, e.seq) < (${p(q.cursor.createdAt)}, ${p(q.cursor.seq)})`);
    const page = `${SELECT_EVENT} WHERE ${where.join(' AND ')} ORDER BY e.created_at DESC, e.seq DESC LIMIT ${p(q.limit + 1)}`;
    if (!merged) return { sql: page, params };
    const limit = `$${params.length}`;
    return { sql: `SELECT f.* FROM unnest($1::bigint[]) AS fp(id) CROSS JOIN LATERAL (${page}) f ORDER BY f.created_at DESC, f.seq DESC LIMIT ${limit}`, params };
  }

  const insert: Events['insert'] = async ({ event, projectId, apiKeyId, createdAt }) => {
    let parent: ThreadParent | undefined;
    if (continuesThread(event)) {
      const found = await db.query<ThreadParent>(
        'SELECT seq, id, name, avatar, created_at FROM events WHERE project_id = $1 AND test = $2 AND context_id = $3 AND context_start ORDER BY seq DESC LIMIT 1',
        [projectId, event.test, event.contextId],
      );
      parent = found.rows[0];
    }
    const id = newEventId(createdAt);
    const search = searchVector([event.name ?? '', searchableText(event.content), event.userId ?? '']);
    const actions = newActions(event, createdAt);
    const actionRows = actions.map((a) => ({
      key: noNul(a.input.key), position: a.position, button_text: noNul(a.input.buttonText), url: noNul(a.input.url),
      external: a.input.external, expires_at: a.expiresAt, meta: a.meta, repeat: a.input.repeat, emphasis: a.input.type, role: a.input.role,
    }));
    // One statement writes the event, its actions and, in a transaction, its live-log entry (the
    // append lock is taken first, before the number is drawn).
    const withLive = live !== null;
    if (withLive) await live.lock();
    const { rows } = await db.query<{ seq: number; live_seq: number | null }>(
      `WITH e AS (
         INSERT INTO events (id, api_key_id, name, avatar, type, content, category, notify, test, context_id,
           context_start, user_id, parent_seq, created_at, search, project_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::tsvector, $18) RETURNING seq
       ), a AS (
         INSERT INTO actions (event_seq, key, position, button_text, url, external, expires_at, meta, repeat, emphasis, role)
         SELECT e.seq, v.key, v.position, v.button_text, v.url, v.external, v.expires_at, v.meta, v.repeat, v.emphasis, v.role
         FROM e, json_to_recordset($16::json) AS v(key TEXT, position INTEGER, button_text TEXT, url TEXT, external BOOLEAN,
           expires_at BIGINT, meta TEXT, repeat BOOLEAN, emphasis TEXT, role TEXT)
       ), l AS (
         INSERT INTO live_log (kind, event_seq, test, created_at) SELECT 'event', e.seq, $9, $14 FROM e WHERE $17 RETURNING seq
       )
       SELECT e.seq, (SELECT seq FROM l) AS live_seq FROM e`,
      [
        id, apiKeyId, event.name, event.avatar, event.type, event.content === null ? null : JSON.stringify(event.content),
        event.category, event.notify, event.test, event.contextId, event.contextStart, event.userId, parent?.seq ?? null,
        createdAt, search, JSON.stringify(actionRows), withLive, projectId,
      ],
    );
    const seq = rows[0]!.seq;
    if (withLive) live.drawn(rows[0]!.live_seq!);
    if (parent) await db.query('UPDATE events SET thread_count = thread_count + 1 WHERE seq = $1', [parent.seq]);
    let threadCount = 0;
    if (opensThread(event)) {
      // Events of this thread that came before it move under it (the PWA refetches on seeing it).
      const adopted = await db.query(
        `UPDATE events SET parent_seq = $1
         WHERE project_id = $4 AND test = $2 AND context_id = $3 AND NOT context_start AND parent_seq IS NULL AND seq < $1`,
        [seq, event.test, event.contextId, projectId],
      );
      threadCount = adopted.rowCount ?? 0;
      if (threadCount > 0) await db.query('UPDATE events SET thread_count = thread_count + $1 WHERE seq = $2', [threadCount, seq]);
    }
    const liveSeq = withLive ? rows[0]!.live_seq! : await append('event', seq, event.test, createdAt);
    const dto = insertedEventDto(event, id, createdAt, parent ?? null, threadCount, actions.map((a) => a.dto));
    return { seq, live: { liveSeq, projectId, kind: 'event', event: dto } };
  };

  /**
   * Events that neither open nor continue a thread, in three statements for the whole lot: the
   * events (their serial numbers drawn in arrival order), their actions, and their live-log entries
   * (after the append lock, numbered in the same order).
   */
  async function insertPlain(items: Parameters<Events['insertMany']>[0]): Promise<Awaited<ReturnType<Events['insertMany']>>> {
    const rows = items.map((item, ord) => {
      const { event, createdAt } = item;
      return {
        ord,
        id: newEventId(createdAt),
        project_id: item.projectId,
        api_key_id: noNul(item.apiKeyId),
        name: noNul(event.name),
        avatar: noNul(event.avatar),
        type: event.type,
        content: event.content === null ? null : JSON.stringify(event.content),
        category: noNul(event.category),
        notify: event.notify,
        test: event.test,
        user_id: noNul(event.userId),
        created_at: createdAt,
        search: searchVector([event.name ?? '', searchableText(event.content), event.userId ?? '']),
        actions: newActions(event, createdAt),
      };
    });
    const actionRows = rows.flatMap((r) =>
      r.actions.map((a) => ({
        event_id: r.id, key: noNul(a.input.key), position: a.position, button_text: noNul(a.input.buttonText), url: noNul(a.input.url),
        external: a.input.external, expires_at: a.expiresAt, meta: a.meta, repeat: a.input.repeat, emphasis: a.input.type, role: a.input.role,
      })),
    );
    if (live) await live.lock();
    const { rows: written } = await db.query<{ id: string; seq: number; live_seq: number | null }>(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS v(ord INTEGER, id TEXT, project_id BIGINT, api_key_id TEXT, name TEXT, avatar TEXT,
           type TEXT, content TEXT, category TEXT, notify BOOLEAN, test BOOLEAN, user_id TEXT, created_at BIGINT, search TEXT)
       ), e AS (
         INSERT INTO events (id, project_id, api_key_id, name, avatar, type, content, category, notify, test, context_id, context_start,
           user_id, parent_seq, created_at, search)
         SELECT id, project_id, api_key_id, name, avatar, type, content, category, notify, test, NULL, false, user_id, NULL, created_at,
           search::tsvector
         FROM input ORDER BY ord
         RETURNING seq, id, test, created_at
       ), a AS (
         INSERT INTO actions (event_seq, key, position, button_text, url, external, expires_at, meta, repeat, emphasis, role)
         SELECT e.seq, v.key, v.position, v.button_text, v.url, v.external, v.expires_at, v.meta, v.repeat, v.emphasis, v.role
         FROM json_to_recordset($2::json) AS v(event_id TEXT, key TEXT, position INTEGER, button_text TEXT, url TEXT,
           external BOOLEAN, expires_at BIGINT, meta TEXT, repeat BOOLEAN, emphasis TEXT, role TEXT)
         JOIN e ON e.id = v.event_id
       ), l AS (
         INSERT INTO live_log (kind, event_seq, test, created_at)
         SELECT 'event', e.seq, e.test, e.created_at FROM e WHERE $3 ORDER BY e.seq
         RETURNING seq, event_seq
       )
       SELECT e.id, e.seq, l.seq AS live_seq FROM e LEFT JOIN l ON l.event_seq = e.seq`,
      [JSON.stringify(rows.map(({ actions: _, ...r }) => r)), JSON.stringify(actionRows), live !== null],
    );
    const byId = new Map(written.map((w) => [w.id, w]));
    const out: Awaited<ReturnType<Events['insertMany']>> = [];
    for (const [i, r] of rows.entries()) {
      const w = byId.get(r.id)!;
      const item = items[i]!;
      let liveSeq = w.live_seq;
      if (live && liveSeq !== null) live.drawn(liveSeq);
      else liveSeq = await append('event', w.seq, item.event.test, item.createdAt);
      const dto = insertedEventDto(item.event, r.id, item.createdAt, null, 0, r.actions.map((a) => a.dto));
      out.push({ seq: w.seq, live: { liveSeq, projectId: item.projectId, kind: 'event', event: dto } });
    }
    return out;
  }

  return {
    insert,

    async insertMany(items) {
      // Runs of plain events go in bulk; an event of a thread goes on its own, in its place, so the
      // thread rule sees every event before it.
      const out: Awaited<ReturnType<Events['insertMany']>> = [];
      for (let i = 0; i < items.length; ) {
        const item = items[i]!;
        if (item.event.contextId !== null) {
          out.push(await insert(item));
          i++;
          continue;
        }
        let end = i;
        while (end < items.length && items[end]!.event.contextId === null) end++;
        out.push(...(await insertPlain(items.slice(i, end))));
        i = end;
      }
      return out;
    },

    async feed(q) {
      const ids = feedProjectIds(q);
      const tsquery = q.search === null ? null : searchQuery(q.search);
      if (tsquery === false || ids.length === 0) return { events: [], projectIds: [], next: null };
      const { sql, params } = feedSql(q, ids, tsquery);
      const { rows } = await db.query<EventRow>(sql, params);
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const last = page[page.length - 1];
      return { events: await toDtos(page), projectIds: page.map((r) => r.project_id), next: more && last ? { createdAt: last.created_at, seq: last.seq } : null };
    },

    async byId(id) {
      const { rows } = await db.query<EventRow>(`${SELECT_EVENT} WHERE e.id = $1`, [id]);
      if (!rows[0]) return null;
      return { event: (await toDtos(rows))[0]!, seq: rows[0].seq, projectId: rows[0].project_id, apiKeyId: rows[0].api_key_id };
    },

    bySeq: dtoBySeq,

    async setHandled(seq, by, at) {
      const r = await db.query('UPDATE events SET handled_at = $1, handled_by_email = $2 WHERE seq = $3 AND (handled_at IS NULL) = ($2::text IS NOT NULL)', [
        by === null ? null : at, by, seq,
      ]);
      return (r.rowCount ?? 0) > 0;
    },

    async projectIdOf(id) {
      const { rows } = await db.query<{ project_id: number }>('SELECT project_id FROM events WHERE id = $1', [id]);
      return rows[0]?.project_id ?? null;
    },

    async thread(parentSeq) {
      const { rows } = await db.query<EventRow>(`${SELECT_EVENT} WHERE e.parent_seq = $1 ORDER BY e.created_at ASC, e.seq ASC LIMIT 1000`, [parentSeq]);
      return toDtos(rows);
    },

    async categories(projectId, test) {
      // COLLATE "C": ties in SQLite's byte order, whatever the database's locale.
      const { rows } = await db.query<{ category: string; count: number }>(
        // Kept by triggers (migration 008): no scan of the events.
        `SELECT category, count FROM category_counts WHERE project_id = $1 AND test = $2
         ORDER BY count DESC, category COLLATE "C" LIMIT 200`,
        [projectId, test],
      );
      return rows;
    },

    async pruneLive(before) {
      const { rowCount } = await db.query('DELETE FROM live_log WHERE created_at < $1 AND seq < (SELECT MAX(seq) FROM live_log)', [before]);
      return rowCount ?? 0;
    },

    lastLiveSeq: () => lastLiveSeq(db),

    recordLive: (kind, seq, test, at) => append(kind, seq, test, at),

    async remove(seq) {
      const { rows } = await db.query<{ seq: number; id: string; test: boolean; parent_seq: number | null }>(
        'SELECT seq, id, test, parent_seq FROM events WHERE seq = $1 OR parent_seq = $1 ORDER BY seq DESC',
        [seq],
      );
      const target = rows.find((r) => r.seq === seq);
      if (!target) return null;
      const seqs = rows.map((r) => r.seq);
      await db.query("DELETE FROM live_log WHERE event_seq = ANY($1::bigint[]) AND kind <> 'delete'", [seqs]);
      // The thread's events first: they point at the opener.
      await db.query('DELETE FROM events WHERE parent_seq = $1', [seq]);
      await db.query('DELETE FROM events WHERE seq = $1', [seq]);
      if (target.parent_seq !== null) await db.query('UPDATE events SET thread_count = thread_count - 1 WHERE seq = $1 AND thread_count > 0', [target.parent_seq]);
      return { removed: rows.map((r) => ({ id: r.id, test: r.test })), parentSeq: target.parent_seq };
    },

    // The tsvector's GIN index reclaims deleted entries with (auto)vacuum: nothing to do here.
    async compactSearch() {},

    async expiredThreads(projectId, test, before, limit) {
      const { rows } = await db.query<{ seq: number }>(
        `SELECT e.seq FROM events e
         WHERE e.project_id = $1 AND e.test = $2 AND e.parent_seq IS NULL AND e.created_at < $3
           AND NOT EXISTS (SELECT 1 FROM events c WHERE c.parent_seq = e.seq AND c.created_at >= $3)
         ORDER BY e.created_at, e.seq LIMIT $4`,
        [projectId, test, before, limit],
      );
      return rows.map((r) => r.seq);
    },

    recordDeletion: (ref, seq, projectId, at) => append('delete', seq, ref.test, at, { eventId: ref.id, projectId }),

    async entryFor(liveSeq, kind, seq) {
      const { rows } = await db.query<EventRow>(`${SELECT_EVENT} WHERE e.seq = $1`, [seq]);
      return rows[0] ? { liveSeq, projectId: rows[0].project_id, kind, event: (await toDtos(rows))[0]! } : null;
    },

    async countLiveAfter(projects, after, test, cap) {
      const ids = projectIdsOf(projects);
      if (ids.length === 0) return 0;
      const { rows } = await db.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM (SELECT 1 FROM live_log l LEFT JOIN events e ON e.seq = l.event_seq
         WHERE l.seq > $1 AND l.test = $2 AND COALESCE(l.project_id, e.project_id) = ANY($3::bigint[]) LIMIT $4) t`,
        [after, test, ids, cap],
      );
      return rows[0]!.n;
    },

    async liveAfter(projects, after, test, limit) {
      const ids = projects === null ? null : projectIdsOf(projects);
      if (ids?.length === 0) return [];
      const log = await liveAfter(db, ids, after, test, limit);
      if (log.length === 0) return [];
      const seqs = [...new Set(log.map((r) => r.eventSeq))];
      const { rows } = await db.query<EventRow>(`${SELECT_EVENT} WHERE e.seq = ANY($1::bigint[])`, [seqs]);
      const dtos = await toDtos(rows);
      const bySeq = new Map(rows.map((row, i) => [row.seq, { event: dtos[i]!, projectId: row.project_id }]));
      return log.flatMap((r): LiveEntry[] => {
        if (r.kind === 'delete') return [{ liveSeq: r.seq, projectId: r.projectId!, kind: 'delete', event: { id: r.eventId!, test: r.test } }];
        const found = bySeq.get(r.eventSeq);
        return found ? [{ liveSeq: r.seq, projectId: found.projectId, kind: r.kind as Exclude<LiveEntry['kind'], 'delete'>, event: found.event }] : [];
      });
    },
  };
}
