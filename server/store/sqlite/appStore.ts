/**
 * The SQLite engine as an `AppStore`: the repositories written once (`shared/`, over Kysely) on the
 * one connection of a SQLite file, and this engine's own part of the events (`./events.ts`).
 *
 * SQLite has one connection, so everything takes turns on it: a transaction (BEGIN IMMEDIATE … COMMIT,
 * across awaits) and every call from outside one. A call that waits for its turn cannot slip into a
 * transaction between two of its steps, and a repository's call, which awaits between its statements,
 * cannot have a transaction begin under it. Inside a transaction, `tx` calls run at once.
 */
import { memoryBuckets } from '../memoryBuckets.ts';
import { eventsRepository } from '../shared/events.ts';
import { sharedRepositories } from '../shared/index.ts';
import { sqlOver } from '../sql/db.ts';
import { type AppStore, REPOSITORY_NAMES, type StoreRepositories } from '../types.ts';
import { sqliteEventsEngine } from './events.ts';
import type { SqliteStore } from './index.ts';
import { sqliteRunner } from './runner.ts';

/** One app store per SQLite file: the turns must be shared by everyone using the connection. */
const made = new WeakMap<SqliteStore, AppStore>();

export function sqliteAppStore(sqlite: SqliteStore): AppStore {
  let store = made.get(sqlite);
  if (!store) {
    store = wrapSqlite(sqlite);
    made.set(sqlite, store);
  }
  return store;
}

function wrapSqlite(sqlite: SqliteStore): AppStore {
  /** Who hears that the live log has new committed entries (this process's hub). */
  const liveListeners = new Set<(upTo?: number) => void>();
  /** The newest entry appended in this turn; told once the turn has ended (rolled back: no number). */
  let appended: number | null = null;
  let committed = true;
  const announce = () => {
    if (appended === null) return;
    const upTo = committed ? appended : undefined;
    appended = null;
    committed = true;
    for (const fn of liveListeners) fn(upTo);
  };

  /** The end of the line: each turn starts once the one before it has ended. */
  let last: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => T | Promise<T>): Promise<T> => {
    const mine = last.then(fn).finally(announce);
    last = mine.catch(() => undefined);
    return mine;
  };

  // One process holds a SQLite store: whoever remembers keys is told here, in the revoking call.
  const keyListeners = new Set<(ids: readonly string[] | null) => void>();
  const keysRevoked = async (ids: readonly string[] | null) => {
    for (const fn of keyListeners) fn(ids);
  };
  const sql = sqlOver(sqliteRunner(sqlite.db));
  const engine = sqliteEventsEngine(sqlite.db, (seq) => {
    appended = Math.max(appended ?? 0, seq);
  });
  const repositories: StoreRepositories = { ...sharedRepositories(sql, { keysRevoked }), events: eventsRepository(sql, engine) };

  /** Every call from outside a transaction takes its turn. */
  const outside = Object.fromEntries(
    REPOSITORY_NAMES.map((name) => {
      const repo = repositories[name] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const wrapped = Object.fromEntries(Object.entries(repo).map(([method, fn]) => [method, (...args: unknown[]) => inTurn(() => fn.apply(repo, args))]));
      return [name, wrapped];
    }),
  ) as unknown as StoreRepositories;

  const transaction = <T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> =>
    inTurn(async () => {
      sqlite.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(repositories);
        sqlite.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (sqlite.db.inTransaction) sqlite.db.exec('ROLLBACK');
        committed = false;
        throw err;
      }
    });

  const accessListeners = new Set<(userId: string) => void>();
  /** The push worker's kick: a writer signals after its commit (`wakePush`), the worker listens. */
  const pushWakers = new Set<() => void>();
  return {
    ...outside,
    transaction,
    // One process holds a SQLite store: telling this process is telling them all.
    async announceAccess(userId) {
      for (const fn of accessListeners) fn(userId);
    },
    onAccessChange(fn) {
      accessListeners.add(fn);
      return () => void accessListeners.delete(fn);
    },
    onKeysRevoked(fn) {
      keyListeners.add(fn);
      return () => void keyListeners.delete(fn);
    },
    // One process holds a SQLite store: the appends to hear of are this process's own.
    async listenLive(onChange) {
      liveListeners.add(onChange);
      return async () => void liveListeners.delete(onChange);
    },
    // One process holds a SQLite store (the data directory's lock): no other can be running a job.
    exclusive: (_name, fn) => transaction(fn),
    buckets: memoryBuckets(),
    async healthy() {
      const stamp = String(Date.now());
      await outside.settings.set('healthz', stamp);
      return (await outside.settings.get('healthz')) === stamp;
    },
    // One process holds a SQLite store: the push worker to wake is this process's.
    wakePush() {
      for (const w of pushWakers) w();
    },
    onPushWake(fn) {
      pushWakers.add(fn);
      return () => void pushWakers.delete(fn);
    },
    close: () => inTurn(() => sqlite.close()),
  };
}
