/**
 * A PostgreSQL transaction on one pooled connection: BEGIN, the caller's work on that connection,
 * COMMIT — or ROLLBACK when it throws. The repositories of the PostgreSQL store are built over any
 * `Queryable`, so inside a transaction they are simply built over its client.
 *
 * A checked-out client has no listener of the pool's: if its backend dies between two statements
 * (a restart, `pg_terminate_backend`, a proxy or TCP reset), node-postgres emits `error` on it, and an
 * `error` event nobody listens to ends the process. So every checkout listens while it holds the
 * client, and a client that failed is released with its error: the pool destroys it instead of
 * handing a broken connection to the next request.
 */
import type pg from 'pg';
import { isStoreUnavailable } from '../unavailable.ts';

/**
 * Checks a client out for `fn`, listening for its errors meanwhile; a broken one is never reused.
 * `fn` may call `broken(err)` when it knows the connection is unusable (a failed ROLLBACK).
 */
export async function withClient<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient, broken: (err: Error) => void) => Promise<T>,
  onError: (err: Error) => void = () => undefined,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const listener = (err: Error) => {
    broken = err;
    onError(err);
  };
  client.on('error', listener);
  try {
    return await fn(client, (err) => {
      broken ??= err;
    });
  } catch (err) {
    // A lost connection: never back into the pool. (A refused statement leaves it usable.)
    if (isStoreUnavailable(err)) broken ??= err as Error;
    throw err;
  } finally {
    client.off('error', listener);
    // Released with an error, the pool ends the connection (a failed query may have left it mid-protocol).
    client.release(broken);
  }
}

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, onError?: (err: Error) => void): Promise<T> {
  return withClient(
    pool,
    async (client, broken) => {
      await client.query('BEGIN');
      try {
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(broken);
        throw err;
      }
    },
    onError,
  );
}
