/** API keys: stored as SHA-256 hashes of high-entropy secrets, shown once at creation. */
import type { Db } from './db.ts';
import { type ActiveKey, type ApiKeyRow, LAST_USED_GRANULARITY_MS, type NewApiKey } from '../records.ts';


export function apiKeysRepository(db: Db) {
  const insert = db.prepare(
    'INSERT INTO api_keys (id, name, prefix, key_hash, created_by, created_at, project_id, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare('SELECT id, project_id, scope FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL');
  const columns = `k.id, k.project_id, k.name, k.prefix, k.scope, k.created_at, k.last_used_at, k.revoked_at, k.created_by, u.email AS created_by_email
    FROM api_keys k LEFT JOIN users u ON u.id = k.created_by`;
  const list = db.prepare(`SELECT ${columns} WHERE k.project_id = ? AND k.revoked_at IS NULL ORDER BY k.created_at DESC`);
  const byId = db.prepare(`SELECT ${columns} WHERE k.id = ?`);
  const activeCount = db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE project_id = ? AND revoked_at IS NULL');
  const revokeBy = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE project_id = ? AND created_by = ? AND revoked_at IS NULL RETURNING id, name');
  const revoke = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE project_id = ? AND id = ? AND revoked_at IS NULL RETURNING name');
  const revokeProject = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE project_id = ? AND revoked_at IS NULL');
  const used = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)');
  // Every ingest resolves its key: active keys are remembered here. Every revocation goes through
  // this repository and forgets the key in the same call, so a revoked key stops working at once.
  const active = new Map<string, ActiveKey>();
  return {
    create(row: NewApiKey) {
      insert.run(row.id, row.name, row.prefix, row.keyHash, row.createdBy, row.now, row.projectId, row.scope);
      return byId.get(row.id) as ApiKeyRow;
    },
    /** The key with this hash, unless revoked: its id, the project it writes into, its scope. */
    activeByHash(hash: string): ActiveKey | null {
      const cached = active.get(hash);
      if (cached !== undefined) return cached;
      const row = byHash.get(hash) as { id: string; project_id: number; scope: ActiveKey['scope'] } | undefined;
      if (!row) return null;
      const key = { id: row.id, projectId: row.project_id, scope: row.scope };
      active.set(hash, key);
      return key;
    },
    list: (projectId: number) => list.all(projectId) as ApiKeyRow[],
    /** Revokes a key of this project; returns its name (null: no such active key here). */
    revoke(projectId: number, id: string, now: number): string | null {
      for (const [hash, key] of active) if (key.id === id) active.delete(hash);
      return (revoke.get(now, projectId, id) as { name: string } | undefined)?.name ?? null;
    },
    /** Revokes every key of a project (it is being deleted). */
    revokeProject(projectId: number, now: number): number {
      for (const [hash, key] of active) if (key.projectId === projectId) active.delete(hash);
      return revokeProject.run(now, projectId).changes;
    },
    /** Revokes the active keys of a project that one person made; returns their names. */
    revokeMadeBy(projectId: number, userId: string, now: number): string[] {
      const rows = revokeBy.all(now, projectId, userId) as { id: string; name: string }[];
      const ids = new Set(rows.map((r) => r.id));
      for (const [hash, key] of active) if (ids.has(key.id)) active.delete(hash);
      return rows.map((r) => r.name);
    },
    /** How many keys of a project are active (for the cap). */
    activeCount: (projectId: number) => (activeCount.get(projectId) as { n: number }).n,
    /** A key's name, revoked or not: the event page says which key sent an event. */
    nameOf(id: string): { name: string; revoked: boolean } | null {
      const row = byId.get(id) as ApiKeyRow | undefined;
      return row ? { name: row.name, revoked: row.revoked_at !== null } : null;
    },
    markUsed: (id: string, now: number) => void used.run(now, id, now - LAST_USED_GRANULARITY_MS),
  };
}
