/**
 * The live log on PostgreSQL, for several instances: every instance reads the log from the database,
 * and a NOTIFY carrying only the new sequence number wakes them.
 *
 * Sequence numbers commit out of order under concurrent writers: A takes 41, B takes 42 and commits,
 * a reader reads "after 40", sees 42 and moves on — then A commits 41, and it is never read. Two cures:
 * read only below the oldest transaction still in flight (pg_snapshot_xmin and a txid per row), or
 * serialise the appends. Appends here are serialised with a transaction-scoped advisory lock taken
 * just before the number is drawn: the lock is held to commit, so numbers commit in the order they
 * are drawn, and a reader that has seen N has seen everything below it. Only the append waits (the
 * event's own rows are written before it, in the same transaction), and it is a single insert, so the
 * cost is one short critical section per transaction: `npm run bench -- livelog` measures it. The reader stays a
 * plain `seq > $after` range scan.
 */
import type pg from 'pg';

/** The advisory lock key that serialises live-log appends (any constant unique to this purpose). */
export const LIVE_LOG_LOCK = 0x5b_11_4e_01;
/** The channel that carries new sequence numbers. */
export const LIVE_CHANNEL = 'sb_live';
/** The channel that carries the id of a person whose access changed (their streams close everywhere). */
export const ACCESS_CHANNEL = 'sb_access';
/**
 * The channel that says API keys were revoked or deleted (JSON: the ids, null for any, and the sender's
 * tag): every instance forgets them from its key cache (auth/keyCache.ts).
 */
export const KEYS_CHANNEL = 'sb_keys';

export type Queryable = Pick<pg.ClientBase, 'query'>;

export interface LiveRow {
  seq: number;
  kind: string;
  eventSeq: number;
  test: boolean;
  /** Set on `delete` entries only: the event that is gone, and its project. */
  eventId: string | null;
  projectId: number | null;
}

/**
 * Appends one entry, inside the caller's transaction (`tx` must have run BEGIN): waits for earlier
 * appends to commit, draws the next number, and queues the NOTIFY that PostgreSQL sends at commit.
 */
export async function appendLive(
  tx: Queryable,
  kind: string,
  eventSeq: number,
  test: boolean,
  at: number,
  deleted?: { eventId: string; projectId: number },
): Promise<number> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [LIVE_LOG_LOCK]);
  const { rows } = await tx.query<{ seq: string }>(
    'INSERT INTO live_log (kind, event_seq, test, created_at, event_id, project_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq',
    [kind, eventSeq, test, at, deleted?.eventId ?? null, deleted?.projectId ?? null],
  );
  const seq = Number(rows[0]!.seq);
  await tx.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, String(seq)]);
  return seq;
}

/**
 * The live-log appends of one transaction: the lock is taken once (before the first number is drawn)
 * and held to commit, and one NOTIFY, sent just before COMMIT with the transaction's last number,
 * announces them all (readers read everything after their cursor, so one hint per commit is enough).
 */
export interface LiveAppender {
  /** Takes the append lock if this transaction does not hold it yet. */
  lock(): Promise<void>;
  /** Records a number drawn by a statement of this transaction (after `lock`). */
  drawn(seq: number): void;
  append(kind: string, eventSeq: number, test: boolean, at: number, deleted?: { eventId: string; projectId: number }): Promise<number>;
  /** Sends the NOTIFY, if anything was appended; call right before COMMIT. Returns the last number (null: none). */
  announce(): Promise<number | null>;
}

export function liveAppender(tx: Queryable): LiveAppender {
  let locked = false;
  let last: number | null = null;
  const appender: LiveAppender = {
    async lock() {
      if (locked) return;
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LIVE_LOG_LOCK]);
      locked = true;
    },
    drawn(seq) {
      last = Math.max(last ?? 0, seq);
    },
    async append(kind, eventSeq, test, at, deleted) {
      await appender.lock();
      const { rows } = await tx.query<{ seq: string }>(
        'INSERT INTO live_log (kind, event_seq, test, created_at, event_id, project_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq',
        [kind, eventSeq, test, at, deleted?.eventId ?? null, deleted?.projectId ?? null],
      );
      const seq = Number(rows[0]!.seq);
      appender.drawn(seq);
      return seq;
    },
    async announce() {
      if (last !== null) await tx.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, String(last)]);
      return last;
    },
  };
  return appender;
}

/** Entries after `after`, oldest first, of some projects (null: all) and one mode (test or not; null: both). */
export async function liveAfter(db: Queryable, projectIds: readonly number[] | null, after: number, test: boolean | null, limit: number): Promise<LiveRow[]> {
  const { rows } = await db.query<{ seq: string; kind: string; event_seq: string; test: boolean; event_id: string | null; project_id: string | null }>(
    `SELECT l.seq, l.kind, l.event_seq, l.test, l.event_id, l.project_id FROM live_log l
     WHERE l.seq > $1 AND ($2::boolean IS NULL OR l.test = $2)
       AND ($4::bigint[] IS NULL OR l.project_id = ANY($4) OR EXISTS (SELECT 1 FROM events e WHERE e.seq = l.event_seq AND e.project_id = ANY($4)))
     ORDER BY l.seq LIMIT $3`,
    [after, test, limit, projectIds],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    kind: r.kind,
    eventSeq: Number(r.event_seq),
    test: r.test,
    eventId: r.event_id,
    projectId: r.project_id === null ? null : Number(r.project_id),
  }));
}

/** The newest committed entry's number (0 when the log is empty). */
export async function lastLiveSeq(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ seq: string }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM live_log');
  return Number(rows[0]!.seq);
}

/**
 * Listens for new entries on its own connection: `onSeq` gets each committed number (a hint to read
 * the log, never the data itself). Returns a function that stops listening.
 */
export async function listenLive(client: pg.Client, onSeq: (seq: number) => void): Promise<() => Promise<void>> {
  const handler = (message: pg.Notification) => {
    if (message.channel === LIVE_CHANNEL && message.payload) onSeq(Number(message.payload));
  };
  client.on('notification', handler);
  await client.query(`LISTEN ${LIVE_CHANNEL}`);
  return async () => {
    client.off('notification', handler);
    await client.query(`UNLISTEN ${LIVE_CHANNEL}`);
  };
}
