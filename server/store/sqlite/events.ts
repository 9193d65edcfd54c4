/**
 * What only SQLite does for the events (the rest is `shared/events.ts`): writing them with prepared
 * statements (cheap here: one process, one connection), the FTS5 search index, the insights counts of
 * new events, and the live log's append (one writer: numbers commit in order by themselves).
 */
import { sql } from 'kysely';
import type { NormalizedEvent } from '../../../contract/ingest.ts';
import { searchableText } from '../eventRows.ts';
import type { EventsEngine } from '../shared/events.ts';
import type { Db } from './db.ts';

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

/** `onAppend`: told the number of every live-log append (the store announces them once the turn has ended). */
export function sqliteEventsEngine(db: Db, onAppend: (seq: number) => void = () => {}): EventsEngine {
  const insertEvent = db.prepare(`INSERT INTO events
    (id, project_id, api_key_id, name, avatar, type, content, category, notify, test, context_id, context_start, user_id, reply_url, dedup_key, urgent, parent_seq, created_at)
    VALUES (@id, @projectId, @apiKeyId, @name, @avatar, @type, @content, @category, @notify, @test, @contextId, @contextStart, @userId, @replyUrl, @dedupKey, @urgent, @parentSeq, @createdAt)`);
  const insertAction = db.prepare(`INSERT INTO actions
    (event_seq, key, position, button_text, url, external, expires_at, meta, repeat, emphasis, role, risk, confirm_text, reply, input, resolves)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertFts = db.prepare('INSERT INTO events_fts (rowid, name, body, user_id) VALUES (?, ?, ?, ?)');
  const insertLive = db.prepare(
    'INSERT INTO live_log (kind, event_seq, test, created_at, event_id, project_id) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const ftsDelete = db.prepare("INSERT INTO events_fts (events_fts, rowid, name, body, user_id) VALUES ('delete', ?, ?, ?, ?)");
  const compact = db.prepare("INSERT INTO events_fts (events_fts, rank) VALUES ('merge', -16)");
  // The insights counts (migration 008) of new events, added here a write at a time, one statement per
  // distinct bucket. A trigger on events did it per row until migration 022: any INSERT trigger makes
  // SQLite journal each insert statement's pages (so the statement can be undone alone), which cost
  // more than the rest of the event's insert. Deletions are still counted by the events_uncounted trigger.
  const countHour = db.prepare(`INSERT INTO event_counts (project_id, test, hour, category, count) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (project_id, test, hour, category) DO UPDATE SET count = count + excluded.count`);
  const countName = db.prepare(`INSERT INTO event_name_counts (project_id, test, day, name, count) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (project_id, test, day, name) DO UPDATE SET count = count + excluded.count`);
  const countCategory = db.prepare(`INSERT INTO category_counts (project_id, test, category, count) VALUES (?, ?, ?, ?)
    ON CONFLICT (project_id, test, category) DO UPDATE SET count = count + excluded.count`);
  /** Adds the written events to the counts, as the trigger did (created_at / 3600000 is SQLite's integer division). */
  const count = (rows: { projectId: number; test: number; createdAt: number; name: string | null; category: string | null }[]) => {
    const buckets = new Map<string, { run: (n: number) => void; n: number }>();
    const add = (key: string, run: (n: number) => void) => {
      const bucket = buckets.get(key);
      if (bucket) bucket.n++;
      else buckets.set(key, { run, n: 1 });
    };
    for (const { projectId, test, createdAt, name, category } of rows) {
      const hour = Math.trunc(createdAt / 3_600_000);
      const day = Math.trunc(createdAt / 86_400_000);
      add(`h\0${projectId}\0${test}\0${hour}\0${category ?? ''}`, (n) => countHour.run(projectId, test, hour, category ?? '', n));
      add(`n\0${projectId}\0${test}\0${day}\0${name ?? ''}`, (n) => countName.run(projectId, test, day, name ?? '', n));
      if (category !== null) add(`c\0${projectId}\0${test}\0${category}`, (n) => countCategory.run(projectId, test, category, n));
    }
    for (const { run, n } of buckets.values()) run(n);
  };
  const append = (kind: string, seq: number, test: boolean, at: number, deleted?: { eventId: string; projectId: number }) => {
    const liveSeq = Number(insertLive.run(kind, seq, test ? 1 : 0, at, deleted?.eventId ?? null, deleted?.projectId ?? null).lastInsertRowid);
    onAppend(liveSeq);
    return liveSeq;
  };

  return {
    async write(events) {
      const written = events.map(({ item: { event, projectId, apiKeyId, createdAt }, id, parentSeq, actions }) => {
        const test = event.test ? 1 : 0;
        const seq = Number(
          insertEvent.run({
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
            replyUrl: event.replyUrl,
            dedupKey: event.dedupKey,
            urgent: event.urgent ? 1 : 0,
            parentSeq,
            createdAt,
          }).lastInsertRowid,
        );
        for (const a of actions) {
          const x = a.input;
          insertAction.run(seq, x.key, a.position, x.buttonText, x.url, x.external ? 1 : 0, a.expiresAt, a.meta, x.repeat ? 1 : 0, x.type, x.role, x.risk, x.confirmText, x.reply ? 1 : 0, a.inputSpec, x.resolves ? 1 : 0);
        }
        insertFts.run(seq, event.name ?? '', searchableText(event.content), event.userId ?? '');
        return { seq, liveSeq: append('event', seq, event.test, createdAt) };
      });
      count(events.map(({ item: { event, projectId, createdAt } }) => ({ projectId, test: event.test ? 1 : 0, createdAt, name: event.name, category: event.category })));
      return written;
    },
    async append(kind, seq, test, at, deleted) {
      return append(kind, seq, test, at, deleted);
    },
    search(words) {
      const fts = toFtsQuery(words);
      if (fts === null) return null;
      return {
        join: sql`JOIN events_fts f ON f.rowid = e.seq`,
        match: sql<boolean>`events_fts MATCH ${fts}`,
        order: sql`f.rowid DESC`,
        before: (seq) => sql<boolean>`f.rowid < ${seq}`,
      };
    },
    async unindex(events) {
      // The contentless index forgets an entry given the values it went in with.
      for (const r of events) {
        const content = r.content === null ? null : (JSON.parse(r.content) as NormalizedEvent['content']);
        ftsDelete.run(r.seq, r.name ?? '', searchableText(content), r.user_id ?? '');
      }
    },
    async reindex(before, content) {
      const old = before.content === null ? null : (JSON.parse(before.content) as NormalizedEvent['content']);
      const fresh = content === null ? null : (JSON.parse(content) as NormalizedEvent['content']);
      ftsDelete.run(before.seq, before.name ?? '', searchableText(old), before.user_id ?? '');
      insertFts.run(before.seq, before.name ?? '', searchableText(fresh), before.user_id ?? '');
    },
    /**
     * After deletions: FTS5 keeps a deleted row's entries as tombstones until their segments merge, so
     * an index under steady deletion grows without end (measured: +8% a day with retention on). A merge
     * with a negative budget merges segments of any level, a few pages' work (~2 ms at 200,000
     * events), and keeps the index flat.
     */
    async compactSearch() {
      compact.run();
    },
  };
}
