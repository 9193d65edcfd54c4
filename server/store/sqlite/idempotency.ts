/** Idempotency-Key answers, per API key, kept for 24 hours. */
import type { Db } from './db.ts';
import { IDEMPOTENCY_TTL_MS } from '../records.ts';


export function idempotencyRepository(db: Db) {
  const find = db.prepare('SELECT response FROM idempotency WHERE api_key_id = ? AND key = ? AND created_at > ?');
  const save = db.prepare(
    'INSERT OR REPLACE INTO idempotency (api_key_id, key, response, created_at) VALUES (?, ?, ?, ?)',
  );
  const purge = db.prepare('DELETE FROM idempotency WHERE created_at <= ?');
  const hold = db.prepare(`INSERT INTO idempotency (api_key_id, key, response, created_at) VALUES (?, ?, 'null', ?)
    ON CONFLICT (api_key_id, key) DO UPDATE SET response = excluded.response, created_at = excluded.created_at
    WHERE idempotency.created_at <= ?`);
  return {
    find(apiKeyId: string, key: string, now: number): unknown | null {
      const row = find.get(apiKeyId, key, now - IDEMPOTENCY_TTL_MS) as { response: string } | undefined;
      return row ? JSON.parse(row.response) : null;
    },
    save: (apiKeyId: string, key: string, response: unknown, now: number) =>
      void save.run(apiKeyId, key, JSON.stringify(response), now),
    /**
     * The first answer for this key, or null after taking the key for the caller's transaction (which
     * then stores its answer with `save`). Call inside that transaction: SQLite has one writer, so no
     * one else can take it meanwhile.
     */
    claim(apiKeyId: string, key: string, now: number): unknown | null {
      const row = find.get(apiKeyId, key, now - IDEMPOTENCY_TTL_MS) as { response: string } | undefined;
      if (row) return JSON.parse(row.response);
      hold.run(apiKeyId, key, now, now - IDEMPOTENCY_TTL_MS);
      return null;
    },
    purgeExpired: (now: number) => purge.run(now - IDEMPOTENCY_TTL_MS).changes,
  };
}
