/**
 * What is done to a store as a whole, beside the `AppStore` (the command line's backup and copy, and
 * the error a second server meets at a locked data directory): the engine-specific operations behind
 * one door, so nothing outside `server/store/` imports an engine.
 */
import pg from 'pg';
import { type CopyProgress, copySqliteToPostgres } from './postgres/copy.ts';
import { openStore } from './sqlite/index.ts';

export { TargetNotEmpty } from './postgres/copy.ts';
export { BackupRefused, backupSqlite } from './sqlite/backup.ts';
export { DataDirLocked } from './sqlite/dataDirLock.ts';

/** Copies the SQLite installation in `dataDir` into the empty PostgreSQL database at `url`; returns the rows copied per table. */
export async function copyDataDirToPostgres(dataDir: string, url: string, onProgress: (p: CopyProgress) => void): Promise<Record<string, number>> {
  const sqlite = openStore(dataDir);
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return await copySqliteToPostgres(sqlite.db, client, onProgress);
  } finally {
    await client.end().catch(() => undefined);
    sqlite.close();
  }
}
