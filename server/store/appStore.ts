/**
 * The store as the server uses it: every repository call returns a promise, and a transaction is an
 * async function given a transaction-bound store. Routes, the press state machine, the push worker
 * and the live channel call only this, so a second implementation (PostgreSQL) can stand behind it.
 *
 * The SQLite implementation wraps the synchronous repositories of `openStore`. SQLite has one
 * connection, so while a transaction is open (BEGIN IMMEDIATE … COMMIT, across awaits) every other
 * call waits for it: nothing from another request can slip into it between two of its steps.
 */
import { type BucketStore, memoryBuckets } from '../http/rateLimiter.ts';
import type { SqliteStore } from './sqlite/index.ts';

type Asyncify<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

const REPOSITORIES = [
  'events', 'actions', 'users', 'sessions', 'apiKeys', 'settings', 'idempotency', 'push', 'projects', 'members', 'invites', 'audit', 'insights', 'passwordResets', 'overview',
] as const;
type Repositories = Pick<SqliteStore, (typeof REPOSITORIES)[number]>;

/** The repositories, each method async. */
export type StoreRepositories = { [K in keyof Repositories]: Asyncify<Repositories[K]> };

export interface AppStore extends StoreRepositories {
  /** Runs `fn` in one transaction; `tx` is the store to use inside it (the outer one would wait for it). */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** A read and a write, for /healthz. */
  healthy(): Promise<boolean>;
  /** Rate-limit buckets (ingest per key, sign-in): in memory for one process, in the database when shared. */
  buckets: BucketStore;
  /**
   * Runs `fn` in a transaction unless another process is running the job `name` right now (then
   * returns null without running it): housekeeping sweeps run on one instance at a time.
   */
  exclusive<T>(name: string, fn: (tx: StoreRepositories) => Promise<T>): Promise<T | null>;
  /** Push delivery wake-ups are in-process signals, not storage: synchronous. */
  wakePush(): void;
  onPushWake(fn: () => void): () => void;
  /**
   * Only on a store several processes share (PostgreSQL): calls `onChange` whenever any of them may
   * have appended to the live log, so this process reads it and tells its open streams. Returns a
   * function that stops listening. Absent on SQLite, whose one process publishes what it writes.
   */
  listenLive?(onChange: () => void): Promise<() => Promise<void>>;
  /**
   * Says on every instance that a person's access changed (removed, re-roled, signed out
   * elsewhere): each one then closes that person's open streams, which reconnect under the new rights.
   */
  announceAccess(userId: string): Promise<void>;
  onAccessChange(fn: (userId: string) => void): () => void;
  close(): Promise<void>;
}

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
    Object.fromEntries(REPOSITORIES.map((k) => [k, wrap(sqlite[k], gated)])) as unknown as StoreRepositories;

  const outside = repositories(true);
  const inside = repositories(false);

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
