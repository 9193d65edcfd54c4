/**
 * The SQLite engine as an `AppStore`: the synchronous repositories of `openStore`, each call a promise.
 * SQLite has one connection, so while a transaction is open (BEGIN IMMEDIATE … COMMIT, across awaits)
 * every other call waits for it: nothing from another request can slip into it between two of its steps.
 */
import { memoryBuckets } from '../memoryBuckets.ts';
import { type AppStore, REPOSITORY_NAMES, type StoreRepositories } from '../types.ts';
import type { SqliteStore } from './index.ts';

type Asyncify<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

type Repositories = Pick<SqliteStore, (typeof REPOSITORY_NAMES)[number]>;
/** The synchronous repositories made async: checked against the interface below, where they are used. */
type AsyncRepositories = { [K in keyof Repositories]: Asyncify<Repositories[K]> };

/** One app store per SQLite store: the transaction gate must be shared by everyone using the connection. */
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
  let open: Promise<unknown> | null = null;
  /** Waits while a transaction is open (looping: another may start as soon as one ends). */
  const gate = async () => {
    while (open) await open.catch(() => undefined);
  };

  const wrap = <R extends object>(repo: R, gated: boolean): Asyncify<R> => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(repo)) {
      out[name] =
        typeof value === 'function'
          ? async (...args: unknown[]) => {
              if (gated) await gate();
              return (value as (...a: unknown[]) => unknown).apply(repo, args);
            }
          : value;
    }
    return out as Asyncify<R>;
  };
  const repositories = (gated: boolean) =>
    Object.fromEntries(REPOSITORY_NAMES.map((k) => [k, wrap(sqlite[k], gated)])) as unknown as AsyncRepositories;

  // Assigned to the interface: the compiler holds each synchronous repository to it.
  const outside: StoreRepositories = repositories(true);
  const inside: StoreRepositories = repositories(false);

  // Transactions take turns: each starts once the one before it has ended (two that merely waited
  // for "no transaction open" would both wake when it ends, and the second BEGIN would fail).
  let turns: Promise<unknown> = Promise.resolve();
  const transaction = <T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> => {
    const mine = turns.then(async () => {
      await gate();
      // BEGIN and `open` in one synchronous step: a call from outside either ran before it or waits.
      const run = (async () => {
        sqlite.db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(inside);
          sqlite.db.exec('COMMIT');
          return result;
        } catch (err) {
          if (sqlite.db.inTransaction) sqlite.db.exec('ROLLBACK');
          throw err;
        }
      })();
      open = run;
      try {
        return await run;
      } finally {
        if (open === run) open = null;
      }
    });
    turns = mine.catch(() => undefined);
    return mine;
  };

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
      await gate();
      return sqlite.healthy();
    },
    wakePush: () => sqlite.push.wake(),
    onPushWake: (fn) => sqlite.push.onWake(fn),
    async close() {
      await gate();
      sqlite.close();
    },
  };
}
