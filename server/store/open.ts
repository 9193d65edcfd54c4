/**
 * Opens the store the configuration names: PostgreSQL when DATABASE_URL is set (any number of
 * instances), else the SQLite file in DATA_DIR (one server process, which holds the directory's lock).
 */
import type { Config } from '../config.ts';
import type { AppStore } from './types.ts';
import { sqliteAppStore } from './sqlite/appStore.ts';
import { type DataDirLock, lockDataDir } from './sqlite/dataDirLock.ts';
import { openStore } from './sqlite/index.ts';
import { openPostgresStore } from './postgres/index.ts';
import { retryWhileUnavailable } from './unavailable.ts';

export interface OpenedStore {
  store: AppStore;
  kind: 'sqlite' | 'postgres';
  /** Things worth a log line once the logger exists. */
  notes: { reindexed: number; fixedPermissions: string[] };
  /** Whether presses still `running` may all be settled at start: only when no other process can be running one. */
  soleProcess: boolean;
  /** Releases what opening took (the data directory's lock); call after closing the store. */
  release(): void;
}

export interface OpenOptions {
  /** A server takes the SQLite data directory's lock (waiting for a previous one to exit); the CLI does not. */
  lock?: { waitMs: number; onWait: () => void };
  onPostgresError?: (err: Error) => void;
  /**
   * PostgreSQL could not be reached (down, restarting, refusing connections): called before each
   * wait; opening tries again after `delayMs`, for as long as it takes. Without it, the error is thrown.
   */
  onPostgresWait?: (err: Error, attempt: number, delayMs: number) => void;
}

/**
 * Opens the store, waiting while the database is unreachable (a server started before its database,
 * or during a restart or failover): 0.5 s between tries, doubling, at most 10 s. Anything else — a
 * wrong password, no such database, a schema newer than this version — is thrown at once: waiting
 * would not mend it.
 */
function openWaiting<T>(open: () => Promise<T>, onWait: OpenOptions['onPostgresWait']): Promise<T> {
  return onWait ? retryWhileUnavailable(open, { firstMs: 500, maxMs: 10_000, onRetry: onWait }) : open();
}

export async function openConfiguredStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>, options: OpenOptions = {}): Promise<OpenedStore> {
  if (config.databaseUrl !== null) {
    const url = config.databaseUrl;
    const store = await openWaiting(() => openPostgresStore(url, options.onPostgresError ? { onError: options.onPostgresError } : {}), options.onPostgresWait);
    return { store, kind: 'postgres', notes: { reindexed: 0, fixedPermissions: [] }, soleProcess: false, release: () => {} };
  }
  let lock: DataDirLock | null = null;
  if (options.lock) lock = await lockDataDir(config.dataDir, options.lock.waitMs, options.lock.onWait);
  try {
    const sqlite = openStore(config.dataDir);
    return {
      store: sqliteAppStore(sqlite),
      kind: 'sqlite',
      notes: { reindexed: sqlite.reindexed, fixedPermissions: sqlite.fixedPermissions },
      soleProcess: lock !== null,
      release: () => lock?.release(),
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
