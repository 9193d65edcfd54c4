/**
 * The PostgreSQL app store: the same `AppStore` as SQLite's, over a connection pool, for one or many
 * instances sharing one database. Repositories are built over the pool, or over one client inside a
 * transaction. BIGINT (epoch milliseconds, serial numbers, counts) is read as a JavaScript number:
 * every value the store keeps is far below 2^53.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AppStore, StoreRepositories } from '../types.ts';
import { postgresBuckets } from './buckets.ts';
import { postgresEventsEngine } from './events.ts';
import { eventsRepository } from '../shared/events.ts';
import { ACCESS_CHANNEL, KEYS_CHANNEL, LIVE_CHANNEL, type LiveAppender, liveAppender, type Queryable } from './liveLog.ts';
import { migratePostgres } from './migrate.ts';
import { withClient, withTransaction } from './transaction.ts';
import { postgresRunner } from './runner.ts';
import { sharedRepositories } from '../shared/index.ts';
import type { KeysRevoked } from '../shared/accounts.ts';
import { sqlOver } from '../sql/db.ts';

pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** How long a revoking call waits to hear its own NOTIFY back (its listener may be reconnecting). */
const ECHO_WAIT_MS = 1_000;
/** More keys than this in one revocation (a deleted project's) are announced as "any key". */
const NOTICE_MAX_IDS = 100;

/** A revocation's NOTIFY, sent: the keys, and the wait until this instance's own listener hears it. */
interface KeysNotice {
  ids: readonly string[] | null;
  tag: string;
  heard: Promise<void>;
}

/**
 * How many distinct statements each process prepares by name. A named statement is parsed and planned
 * once per connection instead of at every call — the database's CPU, not Node's, bounds ingest on
 * PostgreSQL. The statements are the repositories' fixed texts; past this many (texts built with a
 * varying number of placeholders), statements go unnamed as before, so each connection's prepared
 * statements stay bounded.
 */
const NAMED_MAX = 2000;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known !== undefined || statementNames.size >= NAMED_MAX) return known;
  const name = `sb${statementNames.size}`;
  statementNames.set(text, name);
  return name;
}

/**
 * The repositories' connection: named statements (above), and no U+0000. PostgreSQL's text cannot
 * hold U+0000 (SQLite's can): a NUL in any string parameter — an event's name, an id in a URL, an
 * email typed at sign-in — would make the query fail. It is sent as U+FFFD instead, so a lookup simply
 * finds nothing and a write keeps the rest of the text.
 */
function forRepositories(db: Queryable): Queryable {
  const clean = (v: unknown) => (typeof v === 'string' && v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v);
  return {
    query: ((text: string, params?: unknown[]) => {
      const name = statementName(text);
      const values = params?.map(clean);
      return name === undefined ? db.query(text, values) : db.query({ name, text, values });
    }) as Queryable['query'],
  };
}

export interface PostgresStoreOptions {
  /** Connections in the pool (each instance has its own pool). */
  max?: number;
  /**
   * How long a request waits for a connection (the database unreachable, or every connection busy)
   * before it fails — and is answered 503 — instead of queueing without end.
   */
  connectionTimeoutMs?: number;
  /** The longest a statement may run (server-side `statement_timeout`): a stuck query frees its connection. */
  statementTimeoutMs?: number;
  /** Where connection errors go (a dropped idle connection is replaced; nothing is lost). */
  onError?: (err: Error) => void;
}

/** Opens a pool, migrates the schema (once, whatever the number of instances starting), and returns the store. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<AppStore> {
  const onError = options.onError ?? (() => undefined);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    // A transaction left open by a process that hung gives its locks back.
    idle_in_transaction_session_timeout: 60_000,
  });
  // Idle clients: the pool listens and drops a dead one. Checked-out ones: withClient listens.
  pool.on('error', onError);
  // And in between: a new connection's backend can be terminated in the very read that makes it ready,
  // after the pool stops listening and before withClient starts (an 'error' nobody hears ends the
  // process). Every client listens for its whole life; a query on it then fails, and is answered 503.
  pool.on('connect', (client) => client.on('error', onError));
  /** The readiness probe's one connection, bounded to a second. */
  const healthPool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 1_000, statement_timeout: 1_000, idleTimeoutMillis: 30_000 });
  healthPool.on('error', onError);
  healthPool.on('connect', (client) => client.on('error', onError));
  try {
    await withClient(pool, (client) => migratePostgres(client), onError);
  } catch (err) {
    await Promise.all([pool.end().catch(() => undefined), healthPool.end().catch(() => undefined)]);
    throw err;
  }

  const wakers = new Set<() => void>();
  /** The LISTEN connections open now (one per listenLive; a dead one is replaced, not kept). */
  const listeners = new Set<pg.Client>();
  const accessListeners = new Set<(userId: string) => void>();
  let closing = false;

  /** Who remembers API keys in this process (auth/keyCache.ts): told of revocations here and on every instance. */
  const keyListeners = new Set<(ids: readonly string[] | null) => void>();
  const forgetKeys = (ids: readonly string[] | null) => {
    for (const fn of keyListeners) fn(ids);
  };
  /** This instance's revocation NOTIFYs not yet heard back on its own listener, by tag. */
  const echoes = new Map<string, () => void>();
  const instanceTag = randomUUID();
  let notices = 0;
  /** Sends a revocation's NOTIFY on `db` (in a transaction: PostgreSQL sends it at the commit). */
  const sendKeysNotice = async (db: Queryable, ids: readonly string[] | null): Promise<KeysNotice> => {
    const tag = `${instanceTag}:${++notices}`;
    const heard = new Promise<void>((resolve) => echoes.set(tag, resolve));
    const listed = ids !== null && ids.length <= NOTICE_MAX_IDS ? ids : null;
    try {
      await db.query('SELECT pg_notify($1, $2)', [KEYS_CHANNEL, JSON.stringify({ ids: listed, tag })]);
    } catch (err) {
      echoes.delete(tag);
      throw err;
    }
    return { ids, tag, heard };
  };
  /**
   * After the revocation committed: this process forgets the keys now, then waits (bounded) until its
   * own listener hears the NOTIFY, which every instance's listener got from the same commit, so the
   * revoking request is answered once the others have been told too.
   */
  const keysNoticed = async (notice: KeysNotice) => {
    forgetKeys(notice.ids);
    if (listeners.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([notice.heard, new Promise<void>((resolve) => (timer = setTimeout(resolve, ECHO_WAIT_MS)))]);
      clearTimeout(timer);
    }
    echoes.delete(notice.tag);
  };
  /** A listener heard a revocation (any instance's, this one's too): forget the keys, end the sender's wait. */
  const heardKeysNotice = (payload: string | undefined) => {
    let notice: { ids?: unknown; tag?: unknown } = {};
    try {
      notice = JSON.parse(payload ?? '') as typeof notice;
    } catch {
      // Not one of ours: forget every key.
    }
    forgetKeys(Array.isArray(notice.ids) ? (notice.ids as string[]) : null);
    if (typeof notice.tag === 'string') echoes.get(notice.tag)?.();
  };

  /** `keysRevoked`: how revocations through these repositories are announced (outside a transaction: at once). */
  const repositories = (client: Queryable, live: LiveAppender | null, keysRevoked: KeysRevoked): StoreRepositories => {
    const db = forRepositories(client);
    const sql = sqlOver(postgresRunner(db));
    return {
      ...sharedRepositories(sql, { keysRevoked }),
      events: eventsRepository(sql, postgresEventsEngine(db, live)),
    };
  };
  /** What a transaction leaves to do once it has committed: its newest live entry to tell, its revocations. */
  interface AfterCommit {
    upTo: number | null;
    revoked: KeysNotice[];
  }
  /**
   * A transaction's repositories share its live-log appender, which announces the appends before
   * COMMIT (NOTIFY, to every instance); `after` gets the last number, for this instance's own, and the
   * revocations' NOTIFYs (sent at the commit too).
   */
  const inTransaction = async <T>(tx: Queryable, fn: (repos: StoreRepositories) => Promise<T>, after: AfterCommit): Promise<T> => {
    const live = liveAppender(tx);
    const keysRevoked: KeysRevoked = async (ids) => void after.revoked.push(await sendKeysNotice(tx, ids));
    const result = await fn(repositories(tx, live, keysRevoked));
    after.upTo = await live.announce();
    return result;
  };
  /** This instance's live listeners: told right after a commit here, not one NOTIFY round trip later. */
  const localLive = new Set<(upTo?: number) => void>();
  const announcedLocally = async <T>(run: (after: AfterCommit) => Promise<T>): Promise<T> => {
    const after: AfterCommit = { upTo: null, revoked: [] };
    let result: T;
    try {
      result = await run(after);
    } catch (err) {
      // Rolled back (no NOTIFY comes), or a commit whose outcome is unknown: forgetting is always safe.
      for (const notice of after.revoked) {
        forgetKeys(notice.ids);
        echoes.delete(notice.tag);
      }
      throw err;
    }
    const { upTo } = after;
    if (upTo !== null) for (const fn of localLive) fn(upTo);
    for (const notice of after.revoked) await keysNoticed(notice);
    return result;
  };

  return {
    ...repositories(pool, null, async (ids) => keysNoticed(await sendKeysNotice(pool, ids))),
    transaction: (fn) => announcedLocally((appended) => withTransaction(pool, (tx) => inTransaction(tx, fn, appended), onError)),
    buckets: postgresBuckets(pool),
    exclusive: (name, fn) =>
      announcedLocally((appended) =>
        withTransaction(
          pool,
          async (tx) => {
            // Held to the end of this transaction; another instance's try fails at once and skips the job.
            const { rows } = await tx.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS got', [`switchboard:${name}`]);
            return rows[0]!.got ? inTransaction(tx, fn, appended) : null;
          },
          onError,
        ),
      ),
    async healthy() {
      const stamp = String(Date.now());
      // A connection of its own: a pool busy with requests must not make the probe wait behind them.
      const { rows } = await healthPool.query<{ value: string }>(
        `INSERT INTO settings (key, value) VALUES ('healthz', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING value`,
        [stamp],
      );
      return rows[0]?.value === stamp;
    },
    async announceAccess(userId) {
      // Every instance's listener connection gets it, this one's included.
      await pool.query('SELECT pg_notify($1, $2)', [ACCESS_CHANNEL, userId]);
    },
    onAccessChange(fn) {
      accessListeners.add(fn);
      return () => void accessListeners.delete(fn);
    },
    onKeysRevoked(fn) {
      keyListeners.add(fn);
      return () => void keyListeners.delete(fn);
    },
    wakePush() {
      for (const w of wakers) w();
    },
    onPushWake(fn) {
      wakers.add(fn);
      return () => void wakers.delete(fn);
    },
    async listenLive(onChange) {
      // One connection of its own, kept open; when it drops, a new one listens and `onChange` runs
      // (entries committed meanwhile were not announced: the reader looks).
      let stopped = false;
      let current: pg.Client | null = null;
      const connect = async (): Promise<void> => {
        const listener = new pg.Client({ connectionString: url });
        listener.on('error', (err) => {
          onError(err);
          reconnect(listener);
        });
        listener.on('end', () => reconnect(listener));
        listener.on('notification', (m) => {
          if (m.channel === LIVE_CHANNEL) onChange(m.payload ? Number(m.payload) : undefined);
          if (m.channel === ACCESS_CHANNEL && m.payload) for (const fn of accessListeners) fn(m.payload);
          if (m.channel === KEYS_CHANNEL) heardKeysNotice(m.payload);
        });
        try {
          await listener.connect();
          await listener.query(`LISTEN ${LIVE_CHANNEL}`);
          await listener.query(`LISTEN ${ACCESS_CHANNEL}`);
          await listener.query(`LISTEN ${KEYS_CHANNEL}`);
        } catch (err) {
          // Half open (the database went away meanwhile): closed, and the caller tries a new one.
          void listener.end().catch(() => undefined);
          throw err;
        }
        current = listener;
        listeners.add(listener);
        onChange();
        // Revocations sent while no connection listened were not heard: forget every key.
        forgetKeys(null);
      };
      const reconnect = (dead: pg.Client) => {
        listeners.delete(dead);
        if (stopped || closing || current !== dead) return;
        // Until a new connection listens, revocations elsewhere go unheard: what is remembered now is forgotten.
        forgetKeys(null);
        current = null;
        void dead.end().catch(() => undefined);
        const retry = () => {
          if (stopped || closing) return;
          connect().catch((err: Error) => {
            onError(err);
            setTimeout(retry, 1000).unref();
          });
        };
        setTimeout(retry, 200).unref();
      };
      await connect();
      localLive.add(onChange);
      return async () => {
        stopped = true;
        localLive.delete(onChange);
        await current?.end().catch(() => undefined);
      };
    },
    async close() {
      closing = true;
      await Promise.all([...listeners].map((l) => l.end().catch(() => undefined)));
      await Promise.all([pool.end(), healthPool.end().catch(() => undefined)]);
    },
  };
}
