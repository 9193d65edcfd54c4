/** API keys: stored as SHA-256 hashes of high-entropy secrets, shown once at creation. */
import type { Db } from './db.ts';
import { type ApiKeyRow, LAST_USED_GRANULARITY_MS } from '../records.ts';


export function apiKeysRepository(db: Db) {
  const insert = db.prepare(
    'INSERT INTO api_keys (id, name, prefix, key_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare('SELECT id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL');
  const list = db.prepare(
    'SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at DESC',
  );
  const byId = db.prepare('SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE id = ?');
  const revoke = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const used = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)');
  // Every ingest resolves its key: active keys are remembered here. Every revocation goes through
  // this repository and forgets the key in the same call, so a revoked key stops working at once.
  const active = new Map<string, string>();
  return {
    create(row: { id: string; name: string; prefix: string; keyHash: string; createdBy: string | null; now: number }) {
      insert.run(row.id, row.name, row.prefix, row.keyHash, row.createdBy, row.now);
      return byId.get(row.id) as ApiKeyRow;
    },
    activeIdByHash(hash: string): string | null {
      const cached = active.get(hash);
      if (cached !== undefined) return cached;
      const id = (byHash.get(hash) as { id: string } | undefined)?.id ?? null;
      if (id !== null) active.set(hash, id);
      return id;
    },
    list: () => list.all() as ApiKeyRow[],
    revoke(id: string, now: number): boolean {
      for (const [hash, keyId] of active) if (keyId === id) active.delete(hash);
      return revoke.run(now, id).changes > 0;
    },
    markUsed: (id: string, now: number) => void used.run(now, id, now - LAST_USED_GRANULARITY_MS),
  };
}
