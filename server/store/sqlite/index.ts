import { join } from 'node:path';
import { actionsRepository } from './actions.ts';
import { apiKeysRepository } from './apiKeys.ts';
import { type Db, openDatabase, securePermissions } from './db.ts';
import { eventsRepository, rebuildSearchIndexIfPending } from './events.ts';
import { idempotencyRepository } from './idempotency.ts';
import { insightsRepository } from './insights.ts';
import { overviewRepository } from './overview.ts';
import { auditRepository, invitesRepository, membersRepository, passwordResetsRepository, projectsRepository } from './projects.ts';
import { pushRepository } from './push.ts';
import { settingsRepository } from './settings.ts';
import { sessionsRepository, usersRepository } from './users.ts';

export function openStore(dataDir: string) {
  const file = join(dataDir, 'switchboard.db');
  const fixedPermissions = securePermissions(file);
  const db = openDatabase(file);
  const reindexed = rebuildSearchIndexIfPending(db);
  const settings = settingsRepository(db);
  const invites = invitesRepository(db);
  return {
    db,
    /** Paths whose permissions were too open and were tightened on opening (to be logged). */
    fixedPermissions,
    /** Events put in the search index again on opening, after an upgrade changed it (to be logged). */
    reindexed,
    events: eventsRepository(db),
    actions: actionsRepository(db),
    users: usersRepository(db),
    sessions: sessionsRepository(db),
    apiKeys: apiKeysRepository(db),
    settings,
    idempotency: idempotencyRepository(db),
    push: pushRepository(db),
    projects: projectsRepository(db),
    members: membersRepository(db),
    invites,
    audit: auditRepository(db),
    passwordResets: passwordResetsRepository(db),
    insights: insightsRepository(db),
    overview: overviewRepository(db, invites),
    /** Runs `fn` in one SQLite transaction (IMMEDIATE, so concurrent writers queue instead of failing). */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    /** A read and a write, for /healthz. */
    healthy(): boolean {
      const stamp = String(Date.now());
      settings.set('healthz', stamp);
      return settings.get('healthz') === stamp;
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
