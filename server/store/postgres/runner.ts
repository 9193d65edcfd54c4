/** Runs the shared repositories' statements on PostgreSQL: on the pool, or on a transaction's client. */
import type { SqlRunner } from '../sql/db.ts';
import type { Queryable } from './liveLog.ts';

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

export function postgresRunner(db: Queryable): SqlRunner {
  return {
    engine: 'postgres',
    async run(sql, params) {
      const r = await db.query(sql, params as unknown[]);
      return { rows: r.rows, ...(WRITES.has(r.command) ? { affected: r.rowCount ?? 0 } : {}) };
    },
  };
}
