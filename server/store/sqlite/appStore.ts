/**
 * The SQLite engine as an `AppStore`: the repositories written once (`shared/`, over Kysely) and the
 * engine's own synchronous ones (`openStore`), each call a promise.
 *
 * SQLite has one connection, so everything takes turns on it: a transaction (BEGIN IMMEDIATE … COMMIT,
 * across awaits) and every call from outside one. A call that waits for its turn cannot slip into a
 * transaction between two of its steps, and a shared repository's call, which awaits between its
 * statements, cannot have a transaction begin under it. Inside a transaction, `tx` calls run at once.
 */
import { memoryBuckets } from '../memoryBuckets.ts';
import type { ActiveKey } from '../records.ts';
import { sharedRepositories } from '../shared/index.ts';
import { sqlOver } from '../sql/db.ts';
import { type AppStore, REPOSITORY_NAMES, type StoreRepositories } from '../types.ts';
import type { SqliteStore } from './index.ts';
import { sqliteRunner } from './runner.ts';

type Asyncify<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/** One app store per SQLite store: the turns must be shared by everyone using the connection. */
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
  /** The end of the line: each turn starts once the one before it has ended. */
  let last: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => T | Promise<T>): Promise<T> => {
    const mine = last.then(fn);
    last = mine.catch(() => undefined);
    return mine;
  };

  // Kept for the store's life: one process holds a SQLite store, so it may remember active keys.
  const activeKeys = new Map<string, ActiveKey>();
  const shared = sharedRepositories(sqlOver(sqliteRunner(sqlite.db)), { activeKeys });
  const own = {
    events: sqlite.events,
    actions: sqlite.actions,
    push: sqlite.push,
    projects: sqlite.projects,
    members: sqlite.members,
    invites: sqlite.invites,
    audit: sqlite.audit,
    insights: sqlite.insights,
    overview: sqlite.overview,
  };
  const all = { ...shared, ...own } as unknown as Record<string, Record<string, unknown>>;

  const wrap = (repo: Record<string, unknown>, turns: boolean) => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(repo)) {
      if (typeof value !== 'function') continue;
      const call = (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(repo, args);
      out[name] = turns ? (...args: unknown[]) => inTurn(() => call(...args)) : async (...args: unknown[]) => call(...args);
    }
    return out;
  };
  const repositories = (turns: boolean) =>
    Object.fromEntries(REPOSITORY_NAMES.map((k) => [k, wrap(all[k]!, turns)])) as unknown as { [K in keyof typeof own]: Asyncify<(typeof own)[K]> } & typeof shared;
  // Assigned to the interface: the compiler holds each engine repository to it.
  const outside: StoreRepositories = repositories(true);
  const inside: StoreRepositories = repositories(false);

  const transaction = <T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> =>
    inTurn(async () => {
      sqlite.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(inside);
        sqlite.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (sqlite.db.inTransaction) sqlite.db.exec('ROLLBACK');
        throw err;
      }
    });

  const accessListeners = new Set<(userId: string) => void>();
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
    // One process holds a SQLite store (the data directory's lock): no other can be running a job.
    exclusive: (_name, fn) => transaction(fn),
    buckets: memoryBuckets(),
    async healthy() {
      const stamp = String(Date.now());
      await outside.settings.set('healthz', stamp);
      return (await outside.settings.get('healthz')) === stamp;
    },
    wakePush: () => sqlite.push.wake(),
    onPushWake: (fn) => sqlite.push.onWake(fn),
    close: () => inTurn(() => sqlite.close()),
  };
}
