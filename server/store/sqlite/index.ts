import { join } from 'node:path';
import { type Db, openDatabase, securePermissions } from './db.ts';
import { rebuildSearchIndexIfPending } from './events.ts';

export function openStore(dataDir: string) {
  const file = join(dataDir, 'switchboard.db');
  const fixedPermissions = securePermissions(file);
  const db = openDatabase(file);
  const reindexed = rebuildSearchIndexIfPending(db);
  return {
    db,
    /** Paths whose permissions were too open and were tightened on opening (to be logged). */
    fixedPermissions,
    /** Events put in the search index again on opening, after an upgrade changed it (to be logged). */
    reindexed,
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Store = ReturnType<typeof openStore>;
/** An opened SQLite file (its connection and what opening it did); `sqliteAppStore` makes it an `AppStore`. */
export type SqliteStore = Store;
export type { Db };
