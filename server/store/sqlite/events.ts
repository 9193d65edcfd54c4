/** The events repository: every SQL statement that touches events, their actions and the live log. */
import { TOP_LEVEL, UNHANDLED } from '../openRules.ts';
import type { CategoryCount, DeletedEventRef, EventDto, LiveKind } from '../../../contract/api.ts';
import type { NormalizedEvent } from '../../../contract/ingest.ts';
import type { Db } from './db.ts';
import {
  ACTIONS_ORDER, type ActionRow, continuesThread, type EventRow, type FeedCursor, type FeedQuery, type InsertedEvent,
  insertedEventDto, type EventLiveEntry, type LiveEntry, newActions, newEventId, type NewEvent, type RemovedEvents, opensThread, SELECT_ACTIONS, SELECT_EVENT, searchableText, type ThreadParent,
  feedProjectIds, type ProjectScope, projectIdsOf, toEventDtos,
} from '../eventRows.ts';

/** Words of the search box → an FTS5 query of quoted prefix terms (no operator can leak in). */
export function toFtsQuery(search: string): string | null {
  const terms = search
    .split(/[\s\0]+/) // a NUL would end FTS5's query string early: a syntax error, not a search
    .map((t) => t.replace(/"/g, '""'))
    .filter((t) => t !== '');
  return terms.length === 0 ? null : terms.map((t) => `"${t}"*`).join(' ');
}

/**
 * Fills the search index from the events when a migration asked for it (search_rebuild_pending);
 * returns how many events were indexed (0 when nothing was pending). One transaction.
 */
export function rebuildSearchIndexIfPending(db: Db): number {
  const pending = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_rebuild_pending'").get();
  if (!pending) return 0;
  let count = 0;
  db.transaction(() => {
    db.exec("INSERT INTO events_fts (events_fts) VALUES ('delete-all')");
    const insert = db.prepare('INSERT INTO events_fts (rowid, name, body, user_id) VALUES (?, ?, ?, ?)');
    const batch = db.prepare('SELECT seq, name, content, user_id FROM events WHERE seq > ? ORDER BY seq LIMIT 1000');
    type Row = { seq: number; name: string | null; content: string | null; user_id: string | null };
    for (let after = 0, rows = batch.all(after) as Row[]; rows.length > 0; rows = batch.all(after) as Row[]) {
      for (const r of rows) {
        const content = r.content === null ? null : (JSON.parse(r.content) as NormalizedEvent['content']);
        insert.run(r.seq, r.name ?? '', searchableText(content), r.user_id ?? '');
        count++;
      }
      after = rows[rows.length - 1]!.seq;
    }
    db.exec('DROP TABLE search_rebuild_pending');
  })();
  return count;
}

/**
 * Up to this many projects, a cross-project page is each project's page merged (UNION ALL of one
 * index range each); past it (or with search) one query filters on the project list.
 */
export const MERGED_PROJECTS = 100;

/**
 * The feed's SELECT for a query (its parameters: @project, @test, @category, @user, @fts, @cAt, @cSeq,
 * @limit). Several projects (`projects` > 1): @project0, @project1… name them for a merge of each
 * one's page read from its own index range, or @projects (a JSON list) for search or a long list.
 */
export function feedSql(q: Pick<FeedQuery, 'category' | 'cursor' | 'unhandled' | 'userId'>, fts: string | null, projects = 1): string {
  if (projects > 1 && fts === null && projects <= MERGED_PROJECTS) {
    const pages = Array.from({ length: projects }, (_, i) => `SELECT * FROM (${projectFeedSql(q, null, `e.project_id = @project${i}`)})`);
    return `SELECT * FROM (${pages.join(' UNION ALL ')}) ORDER BY created_at DESC, seq DESC LIMIT @limit`;
  }
  return projectFeedSql(q, fts, projects === 1 ? 'e.project_id = @project' : 'e.project_id IN (SELECT value FROM json_each(@projects))');
}

/** The feed's SELECT with `inProjects` choosing the projects. */
function projectFeedSql(q: Pick<FeedQuery, 'category' | 'cursor' | 'unhandled' | 'userId'>, fts: string | null, inProjects: string): string {
  const where = [inProjects, 'e.test = @test'];
  const user = q.userId ?? null;
  if (q.unhandled) where.push(UNHANDLED);
  if (q.category === null && fts === null && user === null) where.push(TOP_LEVEL);
  if (q.category !== null) where.push('e.category = @category');
  if (user !== null) where.push('e.user_id = @user');
  if (fts !== null) {
    // Search walks the full-text index newest first (rowid = seq, the order events arrived in) and
    // stops at the page size, instead of fetching and sorting every match: a common word among a
    // million events costs the same as a rare one. Its pages are therefore in arrival order.
    where.push('events_fts MATCH @fts');
    if (q.cursor !== null) where.push('f.rowid < @cSeq');
    return `${SELECT_EVENT} JOIN events_fts f ON f.rowid = e.seq WHERE ${where.join(' AND ')} ORDER BY f.rowid DESC LIMIT @limit`;
  }
  if (q.cursor !== null) where.push('(e.created_at < @cAt OR (e.created_at = @cAt AND e.seq < @cSeq))');
  return `${SELECT_EVENT} WHERE ${where.join(' AND ')} ORDER BY e.created_at DESC, e.seq DESC LIMIT @limit`;
}

export function eventsRepository(db: Db) {
  const insertEvent = db.prepare(`INSERT INTO events
    (id, project_id, api_key_id, name, avatar, type, content, category, notify, test, context_id, context_start, user_id, parent_seq, created_at)
    VALUES (@id, @projectId, @apiKeyId, @name, @avatar, @type, @content, @category, @notify, @test, @contextId, @contextStart, @userId, @parentSeq, @createdAt)`);
  const insertAction = db.prepare(`INSERT INTO actions
    (event_seq, key, position, button_text, url, external, expires_at, meta, repeat, emphasis, role)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertFts = db.prepare('INSERT INTO events_fts (rowid, name, body, user_id) VALUES (?, ?, ?, ?)');
  const insertLive = db.prepare('INSERT INTO live_log (kind, event_seq, test, created_at) VALUES (?, ?, ?, ?)');
  const findThreadStart = db.prepare(
    'SELECT seq, id, name, avatar, created_at FROM events WHERE project_id = ? AND test = ? AND context_id = ? AND context_start = 1 ORDER BY seq DESC LIMIT 1',
  );
  const bumpThread = db.prepare('UPDATE events SET thread_count = thread_count + 1 WHERE seq = ?');
  const adoptOrphans = db.prepare(`UPDATE events SET parent_seq = ?
    WHERE project_id = ? AND test = ? AND context_id = ? AND context_start = 0 AND parent_seq IS NULL AND seq < ?`);
  const setThreadCount = db.prepare('UPDATE events SET thread_count = thread_count + ? WHERE seq = ?');
  const byId = db.prepare(`${SELECT_EVENT} WHERE e.id = ?`);
  const bySeq = db.prepare(`${SELECT_EVENT} WHERE e.seq = ?`);
  const projectIdOf = db.prepare('SELECT project_id FROM events WHERE id = ?');
  const setHandled = db.prepare('UPDATE events SET handled_at = ?, handled_by_email = ? WHERE seq = ? AND (handled_at IS NULL) = (? IS NOT NULL)');
  const bySeqs = db.prepare(`${SELECT_EVENT} WHERE e.seq IN (SELECT value FROM json_each(?))`);
  const thread = db.prepare(`${SELECT_EVENT} WHERE e.parent_seq = ? ORDER BY e.created_at ASC, e.seq ASC LIMIT 1000`);
  const actionsFor = db.prepare(`${SELECT_ACTIONS} WHERE a.event_seq IN (SELECT value FROM json_each(?)) ${ACTIONS_ORDER}`);
  // Kept by triggers (migration 008): no scan of the events.
  const categories = db.prepare(`SELECT category, count FROM category_counts
    WHERE project_id = ? AND test = ? ORDER BY count DESC, category LIMIT 200`);
  const lastLive = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM live_log');
  const pruneLive = db.prepare('DELETE FROM live_log WHERE created_at < ? AND seq < (SELECT MAX(seq) FROM live_log)');
  // A `delete` entry names its project itself (its event is gone); the others through their event.
  // One project's statements, and several projects' (a JSON list, @projects).
  const liveAfterSql = (one: string) =>
    `SELECT l.seq, l.kind, l.event_seq, l.event_id, l.project_id, l.test FROM live_log l
     WHERE l.seq > @after AND (@test IS NULL OR l.test = @test)
       AND (@project IS NULL OR l.project_id ${one}
         OR EXISTS (SELECT 1 FROM events e WHERE e.seq = l.event_seq AND e.project_id ${one}))
     ORDER BY l.seq LIMIT @limit`;
  const liveAfter = db.prepare(liveAfterSql('= @project'));
  const liveAfterMany = db.prepare(liveAfterSql('IN (SELECT value FROM json_each(@project))'));
  const countLiveAfterSql = (one: string) =>
    `SELECT COUNT(*) AS n FROM (SELECT 1 FROM live_log l LEFT JOIN events e ON e.seq = l.event_seq
     WHERE l.seq > ? AND l.test = ? AND COALESCE(l.project_id, e.project_id) ${one} LIMIT ?)`;
  const countLiveAfter = db.prepare(countLiveAfterSql('= ?'));
  const countLiveAfterMany = db.prepare(countLiveAfterSql('IN (SELECT value FROM json_each(?))'));
  const insertDeletion = db.prepare(
    "INSERT INTO live_log (kind, event_seq, test, created_at, event_id, project_id) VALUES ('delete', ?, ?, ?, ?, ?)",
  );
  const doomed = db.prepare('SELECT seq, id, name, content, user_id, test, parent_seq FROM events WHERE seq = ? OR parent_seq = ? ORDER BY seq DESC');
  const ftsDelete = db.prepare("INSERT INTO events_fts (events_fts, rowid, name, body, user_id) VALUES ('delete', ?, ?, ?, ?)");
  const forgetLive = db.prepare("DELETE FROM live_log WHERE event_seq = ? AND kind <> 'delete'");
  const deleteEvent = db.prepare('DELETE FROM events WHERE seq = ?');
  const dropThreadCount = db.prepare('UPDATE events SET thread_count = thread_count - 1 WHERE seq = ? AND thread_count > 0');
  // Retention's unit is a thread: an opener (or a lone event) whose newest event is older than `before`.
  const expired = db.prepare(`SELECT e.seq FROM events e
    WHERE e.project_id = ? AND e.test = ? AND e.parent_seq IS NULL AND e.created_at < ?
      AND NOT EXISTS (SELECT 1 FROM events c WHERE c.parent_seq = e.seq AND c.created_at >= ?)
    ORDER BY e.created_at, e.seq LIMIT ?`);
  const feedStatements = new Map<string, ReturnType<Db['prepare']>>();

  function toDtos(rows: EventRow[]): EventDto[] {
    if (rows.length === 0) return [];
    return toEventDtos(rows, actionsFor.all(JSON.stringify(rows.map((r) => r.seq))) as ActionRow[]);
  }

  function dtoBySeq(seq: number): EventDto | null {
    const row = bySeq.get(seq) as EventRow | undefined;
    return row ? toDtos([row])[0]! : null;
  }

  function feedStatement(q: FeedQuery, fts: string | null, projects: number) {
    const sql = feedSql(q, fts, projects);
    let stmt = feedStatements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      feedStatements.set(sql, stmt);
    }
    return stmt;
  }

  function insert({ event, projectId, apiKeyId, createdAt }: NewEvent): InsertedEvent {
    const test = event.test ? 1 : 0;
    let parent: ThreadParent | undefined;
    if (continuesThread(event)) {
      parent = findThreadStart.get(projectId, test, event.contextId) as ThreadParent | undefined;
    }
    const id = newEventId(createdAt);
    const info = insertEvent.run({
      id,
      projectId,
      apiKeyId,
      name: event.name,
      avatar: event.avatar,
      type: event.type,
      content: event.content === null ? null : JSON.stringify(event.content),
      category: event.category,
      notify: event.notify ? 1 : 0,
      test,
      contextId: event.contextId,
      contextStart: event.contextStart ? 1 : 0,
      userId: event.userId,
      parentSeq: parent?.seq ?? null,
      createdAt,
    });
    const seq = Number(info.lastInsertRowid);
    const actions = newActions(event, createdAt);
    for (const a of actions) {
      const x = a.input;
      insertAction.run(seq, x.key, a.position, x.buttonText, x.url, x.external ? 1 : 0, a.expiresAt, a.meta, x.repeat ? 1 : 0, x.type, x.role);
    }
    insertFts.run(seq, event.name ?? '', searchableText(event.content), event.userId ?? '');
    if (parent) bumpThread.run(parent.seq);
    let threadCount = 0;
    if (opensThread(event)) {
      // Events of this thread that came before it move under it (the PWA refetches on seeing it).
      threadCount = adoptOrphans.run(seq, projectId, test, event.contextId, seq).changes;
      if (threadCount > 0) setThreadCount.run(threadCount, seq);
    }
    const liveSeq = Number(insertLive.run('event', seq, test, createdAt).lastInsertRowid);
    const dto = insertedEventDto(event, id, createdAt, parent ?? null, threadCount, actions.map((a) => a.dto));
    return { seq, live: { liveSeq, projectId, kind: 'event', event: dto } };
  }

  return {
    /** Writes the event, its actions, its search entry and its live-log row. Call inside a transaction. */
    insert,

    /** Several events in arrival order, as `insert` one after another (SQLite's statements are cheap). */
    insertMany: (items: NewEvent[]): InsertedEvent[] => items.map(insert),

    /** A page of the feed, newest first; `projectIds[i]` is the project of `events[i]`. */
    feed(q: FeedQuery): { events: EventDto[]; projectIds: number[]; next: FeedCursor | null } {
      const ids = feedProjectIds(q);
      if (ids.length === 0) return { events: [], projectIds: [], next: null };
      const fts = q.search === null ? null : toFtsQuery(q.search);
      const rows = feedStatement(q, fts, ids.length).all({
        project: ids[0],
        ...Object.fromEntries(ids.length > 1 ? ids.map((id, i) => [`project${i}`, id]) : []),
        projects: JSON.stringify(ids),
        test: q.test ? 1 : 0,
        category: q.category,
        user: q.userId ?? null,
        fts,
        cAt: q.cursor?.createdAt,
        cSeq: q.cursor?.seq,
        limit: q.limit + 1,
      }) as EventRow[];
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const last = page[page.length - 1];
      return { events: toDtos(page), projectIds: page.map((r) => r.project_id), next: more && last ? { createdAt: last.created_at, seq: last.seq } : null };
    },

    byId(id: string): { event: EventDto; seq: number; projectId: number; apiKeyId: string | null } | null {
      const row = byId.get(id) as EventRow | undefined;
      if (!row) return null;
      return { event: toDtos([row])[0]!, seq: row.seq, projectId: row.project_id, apiKeyId: row.api_key_id };
    },

    bySeq: dtoBySeq,

    /** Marks an event handled by someone (`by` null: not handled any more); false when it already was so. */
    setHandled: (seq: number, by: string | null, at: number) => setHandled.run(by === null ? null : at, by, seq, by).changes > 0,

    /** The project an event belongs to (null: no such event). */
    projectIdOf: (id: string) => (projectIdOf.get(id) as { project_id: number } | undefined)?.project_id ?? null,

    thread(parentSeq: number): EventDto[] {
      return toDtos(thread.all(parentSeq) as EventRow[]);
    },

    categories(projectId: number, test: boolean): CategoryCount[] {
      return categories.all(projectId, test ? 1 : 0) as CategoryCount[];
    },

    /** Forgets live-log entries older than `before` (a client that far behind reloads its pages). */
    pruneLive: (before: number) => pruneLive.run(before).changes,

    lastLiveSeq(): number {
      return (lastLive.get() as { seq: number }).seq;
    },

    /** Appends to the live log (call inside the transaction that made the change). */
    recordLive(kind: Exclude<LiveKind, 'delete'>, seq: number, test: boolean, at: number): number {
      return Number(insertLive.run(kind, seq, test ? 1 : 0, at).lastInsertRowid);
    },

    /**
     * Deletes an event and the events of the thread it opens (their actions, attempts, pushes and
     * search entries with them); an event inside a thread leaves its opener's count one lower. Its
     * older live-log entries go too (a replay could not show them). Call inside a transaction.
     */
    remove(seq: number): RemovedEvents | null {
      type Doomed = { seq: number; id: string; name: string | null; content: string | null; user_id: string | null; test: number; parent_seq: number | null };
      const rows = doomed.all(seq, seq) as Doomed[];
      const target = rows.find((r) => r.seq === seq);
      if (!target) return null;
      // The children first (they point at the opener); each leaves the contentless index with the values it went in with.
      for (const r of rows) {
        const content = r.content === null ? null : (JSON.parse(r.content) as NormalizedEvent['content']);
        ftsDelete.run(r.seq, r.name ?? '', searchableText(content), r.user_id ?? '');
        forgetLive.run(r.seq);
        deleteEvent.run(r.seq);
      }
      if (target.parent_seq !== null) dropThreadCount.run(target.parent_seq);
      return { removed: rows.map((r) => ({ id: r.id, test: Boolean(r.test) })), parentSeq: target.parent_seq };
    },

    /**
     * After deletions: FTS5 keeps a deleted row's entries as tombstones until their segments merge, so
     * an index under steady deletion grows without end (measured: +8% a day with retention on). A merge
     * with a negative budget merges segments of any level, a few pages' work (~2 ms at 200,000
     * events), and keeps the index flat.
     */
    compactSearch(): void {
      db.prepare("INSERT INTO events_fts (events_fts, rank) VALUES ('merge', -16)").run();
    },

    /** Up to `limit` threads (top-level events, lone ones included) of a project and mode whose newest event is older than `before`. */
    expiredThreads(projectId: number, test: boolean, before: number, limit: number): number[] {
      return expired.pluck().all(projectId, test ? 1 : 0, before, before, limit) as number[];
    },

    /** Appends the live-log entry that tells every open app an event is gone (in the deleting transaction). */
    recordDeletion(ref: DeletedEventRef, seq: number, projectId: number, at: number): number {
      return Number(insertDeletion.run(seq, ref.test ? 1 : 0, at, ref.id, projectId).lastInsertRowid);
    },

    /** The live-log entry for a change just recorded, with the event as it now stands. */
    entryFor(liveSeq: number, kind: Exclude<LiveKind, 'delete'>, seq: number): EventLiveEntry | null {
      const row = bySeq.get(seq) as EventRow | undefined;
      return row ? { liveSeq, projectId: row.project_id, kind, event: toDtos([row])[0]! } : null;
    },

    /** How many live-log entries of a project (or several) follow `after` in one mode, counting no further than `cap`. */
    countLiveAfter(projects: ProjectScope, after: number, test: boolean, cap: number): number {
      const ids = projectIdsOf(projects);
      if (ids.length === 0) return 0;
      const [statement, project] = ids.length === 1 ? [countLiveAfter, ids[0]] : [countLiveAfterMany, JSON.stringify(ids)];
      return (statement.get(after, test ? 1 : 0, project, cap) as { n: number }).n;
    },

    /**
     * Live-log entries after `after` of one project or several (null: all) in one mode (null: both),
     * oldest first, with their events.
     */
    liveAfter(projects: ProjectScope | null, after: number, test: boolean | null, limit: number): LiveEntry[] {
      const ids = projects === null ? null : projectIdsOf(projects);
      if (ids?.length === 0) return [];
      const [statement, project] = ids === null || ids.length === 1 ? [liveAfter, ids?.[0] ?? null] : [liveAfterMany, JSON.stringify(ids)];
      const rows = statement.all({ project, after, test: test === null ? null : test ? 1 : 0, limit }) as {
        seq: number;
        kind: LiveKind;
        event_seq: number;
        event_id: string | null;
        project_id: number | null;
        test: number;
      }[];
      // The events of a replay in two queries (rows, then their actions), not two per entry.
      const seqs = [...new Set(rows.map((r) => r.event_seq))];
      const eventRows = bySeqs.all(JSON.stringify(seqs)) as EventRow[];
      const dtos = toDtos(eventRows);
      const bySeqDto = new Map(eventRows.map((row, i) => [row.seq, { event: dtos[i]!, projectId: row.project_id }]));
      return rows.flatMap((r): LiveEntry[] => {
        if (r.kind === 'delete') {
          return [{ liveSeq: r.seq, projectId: r.project_id!, kind: 'delete', event: { id: r.event_id!, test: Boolean(r.test) } }];
        }
        const found = bySeqDto.get(r.event_seq);
        return found ? [{ liveSeq: r.seq, projectId: found.projectId, kind: r.kind, event: found.event }] : [];
      });
    },
  };
}

export type EventsRepository = ReturnType<typeof eventsRepository>;
