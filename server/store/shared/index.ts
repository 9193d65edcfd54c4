/**
 * The repositories written once, over either engine (`Sql`). Each engine builds them over its
 * connection (SQLite's one, PostgreSQL's pool or a transaction's client) next to its own few.
 * The events repository also takes its engine's own part (`EventsEngine`): each engine adds it.
 */
import type { Sql } from '../sql/db.ts';
import type { StoreRepositories } from '../types.ts';
import { apiKeysRepository, idempotencyRepository, type KeysRevoked, passwordResetsRepository, sessionsRepository, settingsRepository, usersRepository } from './accounts.ts';
import { actionsRepository } from './actions.ts';
import { insightsRepository } from './insights.ts';
import { overviewRepository } from './overview.ts';
import { auditRepository, invitesRepository, membersRepository, projectsRepository } from './projects.ts';
import { policiesRepository } from './policies.ts';
import { passkeysRepository } from './passkeys.ts';
import { pressRequestsRepository } from './pressRequests.ts';
import { pushRepository } from './push.ts';
import { repliesRepository } from './replies.ts';
import { triageRepository } from './triage.ts';
import { quietHoursRepository } from './quietHours.ts';
import { integrationsRepository } from './integrations.ts';
import { oidcRepository } from './oidc.ts';

export interface SharedOptions {
  /**
   * Told after API keys were revoked or deleted through these repositories (the ids; null: any), in
   * the same call: the engine tells every process that may remember them (`AppStore.onKeysRevoked`).
   */
  keysRevoked?: KeysRevoked;
}

export function sharedRepositories(sql: Sql, options: SharedOptions = {}) {
  return {
    settings: settingsRepository(sql),
    users: usersRepository(sql),
    sessions: sessionsRepository(sql),
    apiKeys: apiKeysRepository(sql, options.keysRevoked),
    idempotency: idempotencyRepository(sql),
    passwordResets: passwordResetsRepository(sql),
    projects: projectsRepository(sql, options.keysRevoked),
    members: membersRepository(sql),
    invites: invitesRepository(sql),
    audit: auditRepository(sql),
    overview: overviewRepository(sql),
    actions: actionsRepository(sql),
    push: pushRepository(sql),
    insights: insightsRepository(sql),
    policies: policiesRepository(sql),
    passkeys: passkeysRepository(sql),
    pressRequests: pressRequestsRepository(sql),
    replies: repliesRepository(sql),
    triage: triageRepository(sql),
    quietHours: quietHoursRepository(sql),
    integrations: integrationsRepository(sql),
    oidc: oidcRepository(sql),
  } satisfies Omit<StoreRepositories, 'events'>;
}

export type SharedRepositories = ReturnType<typeof sharedRepositories>;
