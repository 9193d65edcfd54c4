/**
 * PostgreSQL repositories for accounts and small state: settings, users, sessions, API keys,
 * Idempotency-Key answers — the same methods and answers as their SQLite twins (the conformance suite
 * runs one list of behaviours against both). Times are BIGINT epoch milliseconds, read back as numbers.
 * Nothing is cached in the process: with several instances a revoked key or session must stop working
 * on every one of them at once.
 */
import { randomUUID } from 'node:crypto';
import type { KeyScope } from '../../../contract/api.ts';
import type { StoreRepositories } from '../types.ts';
import { type ApiKeyRow, LAST_USED_GRANULARITY_MS } from '../records.ts';
import { IDEMPOTENCY_TTL_MS } from '../records.ts';
import type { UserRow } from '../records.ts';
import type { Queryable } from './liveLog.ts';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function user(r: Record<string, unknown>): UserRow {
  return {
    id: String(r.id),
    email: String(r.email),
    password_hash: String(r.password_hash),
    name: String(r.name),
    role: r.role as UserRow['role'],
    created_at: Number(r.created_at),
  };
}

/** A stored scope as the type has it (the column's CHECK allows only these two). */
const scopeOf = (v: unknown): KeyScope => (v === 'read' ? 'read' : 'ingest');

function apiKey(r: Record<string, unknown>): ApiKeyRow {
  return {
    id: String(r.id),
    project_id: Number(r.project_id),
    name: String(r.name),
    prefix: String(r.prefix),
    scope: scopeOf(r.scope),
    created_at: Number(r.created_at),
    last_used_at: num(r.last_used_at),
    revoked_at: num(r.revoked_at),
    created_by: (r.created_by as string | null) ?? null,
    created_by_email: (r.created_by_email as string | null) ?? null,
  };
}

export function postgresSettings(db: Queryable): StoreRepositories['settings'] {
  return {
    async get(key) {
      const { rows } = await db.query('SELECT value FROM settings WHERE key = $1', [key]);
      return rows[0] ? String(rows[0].value) : null;
    },
    async set(key, value) {
      await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
    async remove(key) {
      return ((await db.query('DELETE FROM settings WHERE key = $1', [key])).rowCount ?? 0) > 0;
    },
    async setIfAbsent(key, value) {
      // ON CONFLICT waits for a concurrent insert of the key to commit; the SELECT then sees the winner.
      await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
      const { rows } = await db.query('SELECT value FROM settings WHERE key = $1', [key]);
      return String(rows[0].value);
    },
  };
}

export function postgresUsers(db: Queryable): StoreRepositories['users'] {
  return {
    async create(email, passwordHash, role, now, name = '') {
      const { rows } = await db.query(
        'INSERT INTO users (id, email, password_hash, role, created_at, name) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
        [randomUUID(), email, passwordHash, role, now, name],
      );
      return user(rows[0]);
    },
    async setPassword(id, passwordHash) {
      await db.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, id]);
    },
    async setRole(id, role) {
      return ((await db.query('UPDATE users SET role = $1 WHERE id = $2', [role, id])).rowCount ?? 0) > 0;
    },
    async ownerCount() {
      return Number((await db.query("SELECT COUNT(*) AS n FROM users WHERE role = 'owner'")).rows[0].n);
    },
    async setName(id, name) {
      await db.query('UPDATE users SET name = $1 WHERE id = $2', [name, id]);
    },
    async setEmail(id, email) {
      // The unique index on lower(email) settles a race; a taken email is a no, not an error.
      const r = await db.query(
        'UPDATE users SET email = $1 WHERE id = $2 AND NOT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $2)',
        [email, id],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async byEmail(email) {
      const { rows } = await db.query('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
      return rows[0] ? user(rows[0]) : undefined;
    },
    async byId(id) {
      const { rows } = await db.query('SELECT * FROM users WHERE id = $1', [id]);
      return rows[0] ? user(rows[0]) : undefined;
    },
    async count() {
      return Number((await db.query('SELECT COUNT(*) AS n FROM users')).rows[0].n);
    },
    async lockOwners() {
      // Two instances demoting the last two owners at once: the second waits here for the first to
      // commit, then counts what it left.
      await db.query("SELECT pg_advisory_xact_lock(hashtext('switchboard:owners'))");
    },
  };
}

export function postgresSessions(db: Queryable): StoreRepositories['sessions'] {
  return {
    async create(tokenHash, userId, now, expiresAt) {
      await db.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)', [tokenHash, userId, now, expiresAt]);
    },
    async find(tokenHash, now) {
      const { rows } = await db.query(
        `SELECT s.token_hash, s.expires_at, s.last_seen_at, u.id AS user_id, u.email, u.name, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2`,
        [tokenHash, now],
      );
      const r = rows[0];
      if (!r) return undefined;
      return { token_hash: r.token_hash, expires_at: Number(r.expires_at), last_seen_at: Number(r.last_seen_at), user_id: r.user_id, email: r.email, name: r.name, role: r.role };
    },
    async touch(tokenHash, now, expiresAt) {
      await db.query('UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3', [now, expiresAt, tokenHash]);
    },
    async remove(tokenHash) {
      await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },
    async purgeExpired(now) {
      return (await db.query('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
    },
    async removeOthers(userId, keep) {
      return (await db.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [userId, keep ?? ''])).rowCount ?? 0;
    },
    async trim(userId, newest, keep) {
      const r = await db.query(
        `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 AND token_hash NOT IN
           (SELECT token_hash FROM sessions WHERE user_id = $1 AND token_hash <> $2 ORDER BY created_at DESC, token_hash COLLATE "C" LIMIT $3 - 1)`,
        [userId, newest, keep],
      );
      return r.rowCount ?? 0;
    },
  };
}

export function postgresApiKeys(db: Queryable): StoreRepositories['apiKeys'] {
  const columns = `k.id, k.project_id, k.name, k.prefix, k.scope, k.created_at, k.last_used_at, k.revoked_at, k.created_by, u.email AS created_by_email
    FROM api_keys k LEFT JOIN users u ON u.id = k.created_by`;
  return {
    async create(row) {
      await db.query(
        'INSERT INTO api_keys (id, name, prefix, key_hash, created_by, created_at, project_id, scope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [row.id, row.name, row.prefix, row.keyHash, row.createdBy, row.now, row.projectId, row.scope],
      );
      return apiKey((await db.query(`SELECT ${columns} WHERE k.id = $1`, [row.id])).rows[0]);
    },
    async activeByHash(hash) {
      const { rows } = await db.query('SELECT id, project_id, scope FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
      return rows[0] ? { id: String(rows[0].id), projectId: Number(rows[0].project_id), scope: scopeOf(rows[0].scope) } : null;
    },
    async list(projectId) {
      const { rows } = await db.query(`SELECT ${columns} WHERE k.project_id = $1 AND k.revoked_at IS NULL ORDER BY k.created_at DESC`, [projectId]);
      return rows.map(apiKey);
    },
    async revoke(projectId, id, now) {
      const { rows } = await db.query('UPDATE api_keys SET revoked_at = $1 WHERE project_id = $2 AND id = $3 AND revoked_at IS NULL RETURNING name', [now, projectId, id]);
      return rows[0] ? String(rows[0].name) : null;
    },
    async revokeProject(projectId, now) {
      return (await db.query('UPDATE api_keys SET revoked_at = $1 WHERE project_id = $2 AND revoked_at IS NULL', [now, projectId])).rowCount ?? 0;
    },
    async revokeMadeBy(projectId, userId, now) {
      const { rows } = await db.query(
        'UPDATE api_keys SET revoked_at = $1 WHERE project_id = $2 AND created_by = $3 AND revoked_at IS NULL RETURNING name',
        [now, projectId, userId],
      );
      return rows.map((r) => String(r.name));
    },
    async activeCount(projectId) {
      return Number((await db.query('SELECT COUNT(*) AS n FROM api_keys WHERE project_id = $1 AND revoked_at IS NULL', [projectId])).rows[0].n);
    },
    async nameOf(id) {
      const { rows } = await db.query('SELECT name, revoked_at FROM api_keys WHERE id = $1', [id]);
      return rows[0] ? { name: String(rows[0].name), revoked: rows[0].revoked_at !== null } : null;
    },
    async markUsed(id, now) {
      await db.query('UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)', [now, id, now - LAST_USED_GRANULARITY_MS]);
    },
  };
}

export function postgresIdempotency(db: Queryable): StoreRepositories['idempotency'] {
  return {
    async find(apiKeyId, key, now) {
      const { rows } = await db.query('SELECT response FROM idempotency WHERE api_key_id = $1 AND key = $2 AND created_at > $3', [apiKeyId, key, now - IDEMPOTENCY_TTL_MS]);
      return rows[0] ? (JSON.parse(String(rows[0].response)) as unknown) : null;
    },
    async save(apiKeyId, key, response, now) {
      // As SQLite's INSERT OR REPLACE: the newest answer wins.
      await db.query(
        `INSERT INTO idempotency (api_key_id, key, response, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (api_key_id, key) DO UPDATE SET response = excluded.response, created_at = excluded.created_at`,
        [apiKeyId, key, JSON.stringify(response), now],
      );
    },
    async claim(apiKeyId, key, now) {
      // Not find-then-insert, which races under READ COMMITTED: the insert takes the key or, when a
      // concurrent transaction holds it, waits for that one to commit and then finds its answer.
      const taken = await db.query(
        `INSERT INTO idempotency (api_key_id, key, response, created_at) VALUES ($1, $2, 'null', $3)
         ON CONFLICT (api_key_id, key) DO UPDATE SET response = excluded.response, created_at = excluded.created_at
         WHERE idempotency.created_at <= $4 RETURNING 1`,
        [apiKeyId, key, now, now - IDEMPOTENCY_TTL_MS],
      );
      if ((taken.rowCount ?? 0) > 0) return null;
      const { rows } = await db.query('SELECT response FROM idempotency WHERE api_key_id = $1 AND key = $2', [apiKeyId, key]);
      return rows[0] ? (JSON.parse(String(rows[0].response)) as unknown) : null;
    },
    async purgeExpired(now) {
      return (await db.query('DELETE FROM idempotency WHERE created_at <= $1', [now - IDEMPOTENCY_TTL_MS])).rowCount ?? 0;
    },
  };
}

/** The five repositories over one pool or one transaction's client. */
export function postgresAccounts(db: Queryable): Pick<StoreRepositories, 'settings' | 'users' | 'sessions' | 'apiKeys' | 'idempotency'> {
  return { settings: postgresSettings(db), users: postgresUsers(db), sessions: postgresSessions(db), apiKeys: postgresApiKeys(db), idempotency: postgresIdempotency(db) };
}
