/**
 * Accounts and small state, written once for both engines: settings, users, sessions, API keys,
 * Idempotency-Key answers and password-reset links.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { changed, fixedQuery, type Sql } from '../sql/db.ts';
import { bytewise, emailMatches } from '../sql/dialect.ts';
import { type ActiveKey, type ApiKeyRow, IDEMPOTENCY_TTL_MS, LAST_USED_GRANULARITY_MS, type PasswordResetRow } from '../records.ts';
import type { ApiKeysRepository, IdempotencyRepository, PasswordResetsRepository, SessionsRepository, SettingsRepository, UsersRepository } from '../types.ts';

export function settingsRepository({ db }: Sql): SettingsRepository {
  const get = async (key: string) => (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
  return {
    get,
    async set(key, value) {
      await db.insertInto('settings').values({ key, value }).onConflict((c) => c.column('key').doUpdateSet({ value })).execute();
    },
    async remove(key) {
      return changed(await db.deleteFrom('settings').where('key', '=', key).executeTakeFirst()) > 0;
    },
    async setIfAbsent(key, value) {
      // The insert waits for a concurrent insert of the key to commit; the read then sees the winner.
      await db.insertInto('settings').values({ key, value }).onConflict((c) => c.column('key').doNothing()).execute();
      return (await get(key)) as string;
    },
  };
}

// Read for every push and every signed-in request; written with every ingest batch: compiled once.
const userById = fixedQuery((db, p: { id: string }) => db.selectFrom('users').selectAll().where('id', '=', p.id));
const markKeyUsed = fixedQuery((db, p: { id: string; now: number; before: number }) =>
  db
    .updateTable('api_keys')
    .set({ last_used_at: p.now })
    .where('id', '=', p.id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', p.before)])),
);

export function usersRepository(sqlh: Sql): UsersRepository {
  const { db, engine } = sqlh;
  const count = async (role?: 'owner') => {
    let q = db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'));
    if (role) q = q.where('role', '=', role);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  return {
    async create(email, passwordHash, role, now, name = '') {
      return db
        .insertInto('users')
        .values({ id: randomUUID(), email, password_hash: passwordHash, role, created_at: now, name })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    async setPassword(id, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    },
    async setName(id, name) {
      await db.updateTable('users').set({ name }).where('id', '=', id).execute();
    },
    async setLocale(id, locale) {
      await db.updateTable('users').set({ locale }).where('id', '=', id).execute();
    },
    async setRole(id, role) {
      return changed(await db.updateTable('users').set({ role }).where('id', '=', id).executeTakeFirst()) > 0;
    },
    ownerCount: () => count('owner'),
    async setEmail(id, email) {
      // The unique index settles a race; a taken email is a no, not an error.
      const r = await db
        .updateTable('users')
        .set({ email })
        .where('id', '=', id)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('users as other').select('other.id').where(emailMatches(engine, 'other.email', email)).where('other.id', '<>', id))),
        )
        .executeTakeFirst();
      return changed(r) > 0;
    },
    byEmail: (email) => db.selectFrom('users').selectAll().where(emailMatches(engine, 'email', email)).executeTakeFirst(),
    byId: async (id) => (await userById(sqlh, { id })).rows[0],
    count: () => count(),
    async lockOwners() {
      // PostgreSQL: two instances demoting the last two owners at once — the second waits here for
      // the first to commit, then counts what it left. SQLite: a transaction runs alone already.
      if (engine === 'postgres') await db.executeQuery(sqlLock('switchboard:owners', db));
    },
  };
}

/** A transaction-scoped advisory lock on PostgreSQL. */
export const sqlLock = (name: string, db: Sql['db']) => db.selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.fn('hashtext', [eb.val(name)])]).as('locked')).compile();

export function sessionsRepository({ db, engine }: Sql): SessionsRepository {
  return {
    async create(tokenHash, userId, now, expiresAt) {
      await db.insertInto('sessions').values({ token_hash: tokenHash, user_id: userId, created_at: now, expires_at: expiresAt, last_seen_at: now, proven_at: now }).execute();
    },
    find: (tokenHash, now) =>
      db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select(['s.token_hash', 's.expires_at', 's.last_seen_at', 's.created_at', 's.proven_at', 'u.id as user_id', 'u.email', 'u.name', 'u.role', 'u.locale'])
        .where('s.token_hash', '=', tokenHash)
        .where('s.expires_at', '>', now)
        .executeTakeFirst()
        .then((r) => {
          if (!r) return undefined;
          const { created_at, proven_at, ...session } = r;
          return { ...session, proven_at: Number(proven_at ?? created_at) };
        }),
    async prove(tokenHash, at) {
      await db.updateTable('sessions').set({ proven_at: at }).where('token_hash', '=', tokenHash).execute();
    },
    async touch(tokenHash, now, expiresAt) {
      await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
    },
    async remove(tokenHash) {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    },
    async purgeExpired(now) {
      return changed(await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst());
    },
    async removeOthers(userId, keep) {
      return changed(await db.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '<>', keep ?? '').executeTakeFirst());
    },
    async trim(userId, newest, keep) {
      const r = await db
        .deleteFrom('sessions')
        .where('user_id', '=', userId)
        .where('token_hash', '<>', newest)
        .where('token_hash', 'not in', (eb) =>
          eb
            .selectFrom('sessions')
            .select('token_hash')
            .where('user_id', '=', userId)
            .where('token_hash', '<>', newest)
            .orderBy('created_at', 'desc')
            .orderBy(bytewise(engine, 'token_hash'))
            .limit(Math.max(0, keep - 1)),
        )
        .executeTakeFirst();
      return changed(r);
    },
  };
}

/**
 * Told after keys were revoked or deleted (their ids; null: any key may have changed), on the same
 * connection, so a transaction's NOTIFY goes out with its commit: processes that remember active keys
 * (auth/keyCache.ts) forget them.
 */
export type KeysRevoked = (ids: readonly string[] | null) => Promise<void>;

/** Not an integration's key (§13): those are counted and listed with their integrations. */
const notIntegration = (keyId: 'k.id' | 'api_keys.id') => sql<boolean>`NOT EXISTS (SELECT 1 FROM integrations i WHERE i.api_key_id = ${sql.ref(keyId)})`;

/**
 * Every revocation goes through this repository and says so (`keysRevoked`) in the same call: a key
 * remembered anywhere (auth/keyCache.ts) stops working once its revocation has committed.
 */
export function apiKeysRepository(sqlh: Sql, keysRevoked: KeysRevoked = async () => {}): ApiKeysRepository {
  const { db } = sqlh;
  const rows = () =>
    db
      .selectFrom('api_keys as k')
      .leftJoin('users as u', 'u.id', 'k.created_by')
      .select(['k.id', 'k.project_id', 'k.name', 'k.prefix', 'k.scope', 'k.created_at', 'k.last_used_at', 'k.revoked_at', 'k.created_by', 'u.email as created_by_email']);
  /** Revokes a project's active keys (narrowed by the caller). */
  const revoking = (projectId: number, now: number) =>
    db.updateTable('api_keys').set({ revoked_at: now }).where('project_id', '=', projectId).where('revoked_at', 'is', null);
  return {
    async create(row) {
      await db
        .insertInto('api_keys')
        .values({ id: row.id, name: row.name, prefix: row.prefix, key_hash: row.keyHash, created_by: row.createdBy, created_at: row.now, project_id: row.projectId, scope: row.scope })
        .execute();
      return (await rows().where('k.id', '=', row.id).executeTakeFirstOrThrow()) as ApiKeyRow;
    },
    async activeByHash(hash) {
      const row = await db.selectFrom('api_keys').select(['id', 'project_id', 'scope']).where('key_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
      if (!row) return null;
      return { id: row.id, projectId: Number(row.project_id), scope: row.scope === 'read' ? 'read' : 'ingest' } satisfies ActiveKey;
    },
    async list(projectId) {
      // An integration's key is listed with its integration (§13), not here.
      const listed = rows().where('k.project_id', '=', projectId).where('k.revoked_at', 'is', null);
      return (await listed.where(notIntegration('k.id')).orderBy('k.created_at', 'desc').execute()) as ApiKeyRow[];
    },
    async revoke(projectId, id, now) {
      const r = await revoking(projectId, now).where('id', '=', id).returning('name').executeTakeFirst();
      if (r) await keysRevoked([id]);
      return r?.name ?? null;
    },
    async revokeProject(projectId, now) {
      const revoked = await revoking(projectId, now).returning('id').execute();
      if (revoked.length > 0) await keysRevoked(revoked.map((r) => r.id));
      return revoked.length;
    },
    async revokeMadeBy(projectId, userId, now) {
      const revoked = await revoking(projectId, now).where('created_by', '=', userId).returning(['id', 'name']).execute();
      if (revoked.length > 0) await keysRevoked(revoked.map((r) => r.id));
      return revoked.map((r) => r.name);
    },
    async activeCount(projectId) {
      const r = await db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('project_id', '=', projectId)
        .where('revoked_at', 'is', null)
        .where(notIntegration('api_keys.id'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async nameOf(id) {
      const r = await db.selectFrom('api_keys').select(['name', 'revoked_at']).where('id', '=', id).executeTakeFirst();
      return r ? { name: r.name, revoked: r.revoked_at !== null } : null;
    },
    async markUsed(id, now) {
      await markKeyUsed(sqlh, { id, now, before: now - LAST_USED_GRANULARITY_MS });
    },
  };
}

export function idempotencyRepository({ db }: Sql): IdempotencyRepository {
  const answer = (r: { response: string } | undefined) => (r ? (JSON.parse(r.response) as unknown) : null);
  return {
    async find(apiKeyId, key, now) {
      return answer(
        await db
          .selectFrom('idempotency')
          .select('response')
          .where('api_key_id', '=', apiKeyId)
          .where('key', '=', key)
          .where('created_at', '>', now - IDEMPOTENCY_TTL_MS)
          .executeTakeFirst(),
      );
    },
    async save(apiKeyId, key, response, now) {
      // The newest answer wins.
      const row = { api_key_id: apiKeyId, key, response: JSON.stringify(response), created_at: now };
      await db
        .insertInto('idempotency')
        .values(row)
        .onConflict((c) => c.columns(['api_key_id', 'key']).doUpdateSet({ response: row.response, created_at: now }))
        .execute();
    },
    async claim(apiKeyId, key, now) {
      // Not find-then-insert, which races under PostgreSQL's READ COMMITTED: the insert takes the key
      // (or an expired answer's place) or, when a concurrent transaction holds it, waits for that one
      // to commit and then finds its answer.
      const taken = await db
        .insertInto('idempotency')
        .values({ api_key_id: apiKeyId, key, response: 'null', created_at: now })
        .onConflict((c) =>
          c
            .columns(['api_key_id', 'key'])
            .doUpdateSet({ response: 'null', created_at: now })
            .where('idempotency.created_at', '<=', now - IDEMPOTENCY_TTL_MS),
        )
        .returning('key')
        .executeTakeFirst();
      if (taken) return null;
      return answer(await db.selectFrom('idempotency').select('response').where('api_key_id', '=', apiKeyId).where('key', '=', key).executeTakeFirst());
    },
    async purgeExpired(now) {
      return changed(await db.deleteFrom('idempotency').where('created_at', '<=', now - IDEMPOTENCY_TTL_MS).executeTakeFirst());
    },
  };
}

export function passwordResetsRepository({ db }: Sql): PasswordResetsRepository {
  return {
    async replace(row) {
      // One open link per account: the new one takes the place of any other (the UNIQUE user_id).
      const { user_id: _, ...rest } = row;
      await db
        .insertInto('password_resets')
        .values(row)
        .onConflict((c) => c.column('user_id').doUpdateSet(rest))
        .execute();
    },
    async take(tokenHash) {
      return ((await db.deleteFrom('password_resets').where('token_hash', '=', tokenHash).returningAll().executeTakeFirst()) as PasswordResetRow | undefined) ?? null;
    },
    async removeForUser(userId) {
      return changed(await db.deleteFrom('password_resets').where('user_id', '=', userId).executeTakeFirst());
    },
    async removeMadeBy(userId, projectId) {
      let q = db.deleteFrom('password_resets').where('created_by', '=', userId);
      if (projectId !== null) q = q.where('project_id', '=', projectId);
      return changed(await q.executeTakeFirst());
    },
  };
}
