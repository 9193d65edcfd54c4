import { join } from 'node:path';
import { actionsRepository } from './actions.ts';
import { type Db, openDatabase, securePermissions } from './db.ts';
import { eventsRepository, rebuildSearchIndexIfPending } from './events.ts';
import { insightsRepository } from './insights.ts';
import { overviewRepository } from './overview.ts';
import { auditRepository, invitesRepository, membersRepository, projectsRepository } from './projects.ts';
import { pushRepository } from './push.ts';

export function openStore(dataDir: string) {
  const file = join(dataDir, 'switchboard.db');
  const fixedPermissions = securePermissions(file);
  const db = openDatabase(file);
  const reindexed = rebuildSearchIndexIfPending(db);
  const invites = invitesRepository(db);
  return {
    db,
    /** Paths whose permissions were too open and were tightened on opening (to be logged). */
    fixedPermissions,
    /** Events put in the search index again on opening, after an upgrade changed it (to be logged). */
    reindexed,
    events: eventsRepository(db),
    actions: actionsRepository(db),
    push: pushRepository(db),
    projects: projectsRepository(db),
    members: membersRepository(db),
    invites,
    audit: auditRepository(db),
    insights: insightsRepository(db),
    overview: overviewRepository(db, invites),
    /** Runs `fn` in one SQLite transaction (IMMEDIATE, so concurrent writers queue instead of failing). */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Store = ReturnType<typeof openStore>;
/** The synchronous SQLite store (tests, the CLI, and behind `sqliteAppStore`). */
export type SqliteStore = Store;
export type { Db };
