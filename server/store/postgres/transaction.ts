/**
 * A PostgreSQL transaction on one pooled connection: BEGIN, the caller's work on that connection,
 * COMMIT — or ROLLBACK when it throws. The repositories of the PostgreSQL store are built over any
 * `Queryable`, so inside a transaction they are simply built over its client.
 */
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
