/**
 * What only PostgreSQL does for the events (the rest is `shared/events.ts`): writing a batch of
 * events, their actions and live entries in one statement, the search index (a tsvector in the row,
 * see ./search.ts), and the live log's append, serialised across instances (./liveLog.ts).
 */
import { sql } from 'kysely';
import { searchableText } from '../eventRows.ts';
import type { EventsEngine } from '../shared/events.ts';
import { appendLive, type LiveAppender, type Queryable } from './liveLog.ts';
import { searchQuery, searchVector } from './search.ts';

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
export function postgresEventsEngine(db: Queryable, live: LiveAppender | null): EventsEngine {
  const append: EventsEngine['append'] = async (kind, seq, test, at, deleted) =>
    live ? live.append(kind, seq, test, at, deleted) : appendLive(db, kind, seq, test, at, deleted);

  return {
    /**
     * The events (their serial numbers drawn in arrival order), their actions and, in a transaction,
     * their live-log entries (after the append lock, numbered in the same order): one statement.
     */
    async write(events) {
      const rows = events.map(({ item: { event, projectId, apiKeyId, createdAt }, id, parentSeq }, ord) => ({
        ord,
        id,
        project_id: projectId,
        api_key_id: noNul(apiKeyId),
        name: noNul(event.name),
        avatar: noNul(event.avatar),
        type: event.type,
        content: event.content === null ? null : JSON.stringify(event.content),
        category: noNul(event.category),
        notify: event.notify,
        test: event.test,
        context_id: noNul(event.contextId),
        context_start: event.contextStart,
        user_id: noNul(event.userId),
        reply_url: noNul(event.replyUrl),
        dedup_key: noNul(event.dedupKey),
        urgent: event.urgent,
        parent_seq: parentSeq,
        created_at: createdAt,
        search: searchVector([event.name ?? '', searchableText(event.content), event.userId ?? '']),
      }));
      const actionRows = events.flatMap((e) =>
        e.actions.map((a) => ({
          event_id: e.id, key: noNul(a.input.key), position: a.position, button_text: noNul(a.input.buttonText), url: noNul(a.input.url),
          external: a.input.external, expires_at: a.expiresAt, meta: a.meta, repeat: a.input.repeat, emphasis: a.input.type, role: a.input.role,
          risk: a.input.risk, confirm_text: a.input.confirmText, reply: a.input.reply, input: noNul(a.inputSpec), resolves: a.input.resolves,
        })),
      );
      if (live) await live.lock();
      const { rows: written } = await db.query<{ id: string; seq: number; live_seq: number | null }>(
        `WITH input AS (
           SELECT * FROM json_to_recordset($1::json) AS v(ord INTEGER, id TEXT, project_id BIGINT, api_key_id TEXT, name TEXT, avatar TEXT,
             type TEXT, content TEXT, category TEXT, notify BOOLEAN, test BOOLEAN, context_id TEXT, context_start BOOLEAN, user_id TEXT,
             reply_url TEXT, dedup_key TEXT, urgent BOOLEAN, parent_seq BIGINT, created_at BIGINT, search TEXT)
         ), e AS (
           INSERT INTO events (id, project_id, api_key_id, name, avatar, type, content, category, notify, test, context_id, context_start,
             user_id, reply_url, dedup_key, urgent, parent_seq, created_at, search)
           SELECT id, project_id, api_key_id, name, avatar, type, content, category, notify, test, context_id, context_start, user_id,
             reply_url, dedup_key, urgent, parent_seq, created_at, search::tsvector
           FROM input ORDER BY ord
           RETURNING seq, id, test, created_at
         ), a AS (
           INSERT INTO actions (event_seq, key, position, button_text, url, external, expires_at, meta, repeat, emphasis, role, risk, confirm_text, reply, input, resolves)
           SELECT e.seq, v.key, v.position, v.button_text, v.url, v.external, v.expires_at, v.meta, v.repeat, v.emphasis, v.role, v.risk, v.confirm_text,
             v.reply, v.input, v.resolves
           FROM json_to_recordset($2::json) AS v(event_id TEXT, key TEXT, position INTEGER, button_text TEXT, url TEXT,
             external BOOLEAN, expires_at BIGINT, meta TEXT, repeat BOOLEAN, emphasis TEXT, role TEXT, risk TEXT, confirm_text TEXT,
             reply BOOLEAN, input TEXT, resolves BOOLEAN)
           JOIN e ON e.id = v.event_id
         ), l AS (
           INSERT INTO live_log (kind, event_seq, test, created_at)
           SELECT 'event', e.seq, e.test, e.created_at FROM e WHERE $3 ORDER BY e.seq
           RETURNING seq, event_seq
         )
         SELECT e.id, e.seq, l.seq AS live_seq FROM e LEFT JOIN l ON l.event_seq = e.seq`,
        [JSON.stringify(rows), JSON.stringify(actionRows), live !== null],
      );
      const byId = new Map(written.map((w) => [w.id, w]));
      const out: { seq: number; liveSeq: number }[] = [];
      for (const e of events) {
        const w = byId.get(e.id)!;
        let liveSeq = w.live_seq;
        if (live && liveSeq !== null) live.drawn(liveSeq);
        else liveSeq = await append('event', w.seq, e.item.event.test, e.item.createdAt);
        out.push({ seq: w.seq, liveSeq });
      }
      return out;
    },

    append,

    search(words) {
      const tsquery = searchQuery(words);
      if (tsquery === null) return null;
      if (tsquery === false) return 'nothing';
      // As SQLite's search: newest arrival first (seq), pages cut on seq.
      return {
        join: null,
        match: sql<boolean>`e.search @@ ${tsquery}::tsquery`,
        order: sql`e.seq DESC`,
        before: (seq) => sql<boolean>`e.seq < ${seq}`,
      };
    },

    // The search entry is a column of the event's row: it goes with the row.
    async unindex() {},
    async reindex(before, content) {
      const body = searchableText(content === null ? null : (JSON.parse(content) as Parameters<typeof searchableText>[0]));
      await db.query('UPDATE events SET search = $1::tsvector WHERE seq = $2', [searchVector([before.name ?? '', body, before.user_id ?? '']), before.seq]);
    },
    // The tsvector's GIN index reclaims deleted entries with (auto)vacuum: nothing to do here.
    async compactSearch() {},
  };
}
