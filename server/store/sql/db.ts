/**
 * One Kysely per engine connection, for the repositories written once (`shared/`). Kysely only builds
 * and compiles the SQL for the engine's dialect; the engine runs it (`SqlRunner`): SQLite on its one
 * connection, PostgreSQL on the pool or on a transaction's client. Transactions are the engine's own
 * (`AppStore.transaction`), so this driver never begins, commits or rolls back anything.
 */
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Schema } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

/** What an engine runs a statement with. */
export interface SqlRunner {
  readonly engine: Engine;
  run(sql: string, params: readonly unknown[]): Promise<{ rows: Record<string, unknown>[]; affected?: number }>;
}

/** The shared repositories' handle on the data: typed queries, and which engine answers them. */
export interface Sql {
  readonly engine: Engine;
  readonly db: Kysely<Schema>;
}

const noTransactions = () => {
  throw new Error('transactions are the engine’s own (AppStore.transaction)');
};

function driver(runner: SqlRunner): Driver {
  const connection: DatabaseConnection = {
    async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
      const { rows, affected } = await runner.run(q.sql, q.parameters);
      return { rows: rows as R[], ...(affected === undefined ? {} : { numAffectedRows: BigInt(affected) }) };
    },
    // biome-ignore lint/correctness/useYield: streaming is not offered; the repositories page instead
    async *streamQuery() {
      throw new Error('streaming is not supported');
    },
  };
  return {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    beginTransaction: noTransactions,
    commitTransaction: noTransactions,
    rollbackTransaction: noTransactions,
    async releaseConnection() {},
    async destroy() {},
  };
}

function dialect(runner: SqlRunner): Dialect {
  const sqlite = runner.engine === 'sqlite';
  return {
    createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
    createDriver: () => driver(runner),
    createIntrospector: (db) => (sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
    createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
  };
}

export function sqlOver(runner: SqlRunner): Sql {
  return { engine: runner.engine, db: new Kysely<Schema>({ dialect: dialect(runner) }) };
}

/** The number of rows an UPDATE or DELETE changed. */
export const changed = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | { numUpdatedRows?: bigint; numDeletedRows?: bigint }[]) => {
  const one = Array.isArray(r) ? r[0] : r;
  return Number(one?.numUpdatedRows ?? one?.numDeletedRows ?? 0);
};
