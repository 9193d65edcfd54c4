/**
 * Rate-limit buckets in PostgreSQL: the token arithmetic is the limiter's (`server/http/rateLimiter.ts`); this
 * only makes its read-decide-write atomic per key across instances. The upsert takes the row's lock
 * (creating it when missing), so two instances counting one key at once queue for a few statements.
 * It says it is `shared`: the ingest limiter then leases tokens in batches (one write per lease, not
 * per request); sign-in limits still write each failure.
 */
import type pg from 'pg';
import type { BucketState, BucketStore } from '../types.ts';
import { withTransaction } from './transaction.ts';

/** `tokens` of a row just created by the locking upsert: it stands for "no bucket yet". */
const NEW = -1e9;

export function postgresBuckets(pool: pg.Pool): BucketStore {
  const state = (r: { tokens: number; at: number; full_at: number } | undefined): BucketState | null =>
    r && r.tokens !== NEW ? { tokens: r.tokens, at: r.at, fullAt: r.full_at } : null;
  return {
    shared: true,
    async read(key) {
      const { rows } = await pool.query('SELECT tokens, at, full_at FROM rate_buckets WHERE key = $1', [key]);
      return state(rows[0]);
    },
    change(key, decide) {
      return withTransaction(pool, async (tx) => {
        const { rows } = await tx.query(
          `INSERT INTO rate_buckets (key, tokens, at, full_at) VALUES ($1, $2, 0, 0)
           ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING tokens, at, full_at`,
          [key, NEW],
        );
        const { next, result } = decide(state(rows[0]));
        await tx.query('UPDATE rate_buckets SET tokens = $2, at = $3, full_at = $4 WHERE key = $1', [key, next.tokens, next.at, next.fullAt]);
        return result;
      });
    },
    async forgetFull(now) {
      return (await pool.query('DELETE FROM rate_buckets WHERE full_at <= $1', [now])).rowCount ?? 0;
    },
  };
}
