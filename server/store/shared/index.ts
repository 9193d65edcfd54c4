/**
 * The repositories written once, over either engine (`Sql`). Each engine builds them over its
 * connection (SQLite's one, PostgreSQL's pool or a transaction's client) next to its own few.
 */
import type { Sql } from '../sql/db.ts';
import type { ActiveKey } from '../records.ts';
import type { StoreRepositories } from '../types.ts';
import { apiKeysRepository, idempotencyRepository, passwordResetsRepository, sessionsRepository, settingsRepository, usersRepository } from './accounts.ts';

export type SharedRepositories = Pick<StoreRepositories, 'settings' | 'users' | 'sessions' | 'apiKeys' | 'idempotency' | 'passwordResets'>;

export interface SharedOptions {
  /** Where a store alone with its data remembers active API keys (see apiKeysRepository); none when shared. */
  activeKeys?: Map<string, ActiveKey>;
}

export function sharedRepositories(sql: Sql, options: SharedOptions = {}): SharedRepositories {
  return {
    settings: settingsRepository(sql),
    users: usersRepository(sql),
    sessions: sessionsRepository(sql),
    apiKeys: apiKeysRepository(sql, options.activeKeys),
    idempotency: idempotencyRepository(sql),
    passwordResets: passwordResetsRepository(sql),
  };
}
