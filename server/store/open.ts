/**
 * Opens the store the configuration names: PostgreSQL when DATABASE_URL is set (any number of
 * instances), else the SQLite file in DATA_DIR (one server process, which holds the directory's lock).
 */
import type { Config } from '../config.ts';
import { type AppStore, sqliteAppStore } from './appStore.ts';
import { type DataDirLock, lockDataDir } from './sqlite/dataDirLock.ts';
import { openStore } from './sqlite/index.ts';
import { openPostgresStore } from './postgres/index.ts';

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
}

export async function openConfiguredStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>, options: OpenOptions = {}): Promise<OpenedStore> {
  if (config.databaseUrl !== null) {
    const store = await openPostgresStore(config.databaseUrl, options.onPostgresError ? { onError: options.onPostgresError } : {});
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
