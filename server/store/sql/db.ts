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

/** A fixed-shape query's compiled form, and which parameter takes which argument. */
interface Compiled {
  query: CompiledQuery;
  slots: (string | undefined)[];
}

/**
 * A query whose shape never changes, built and compiled once per engine instead of at every call
 * (Kysely's building and compiling cost a hot path — the push worker's nine statements per device,
 * ingest's per event — more than SQLite's prepared statement costs to run). `p.name` in the builder
 * marks where the argument `name` goes; everything else in the query is fixed.
 */
export function fixedQuery<A extends Record<string, unknown>, R>(build: (db: Kysely<Schema>, p: A) => { compile(): CompiledQuery<R> }) {
  const byEngine = new Map<Engine, Compiled>();
  const compiledFor = (sqlh: Sql): Compiled => {
    let c = byEngine.get(sqlh.engine);
    if (!c) {
      const names = new Map<object, string>();
      const p = new Proxy({} as A, {
        get: (_, name) => {
          const slot = { slot: String(name) };
          names.set(slot, String(name));
          return slot;
        },
      });
      const query = build(sqlh.db, p).compile();
      c = { query, slots: query.parameters.map((v) => (typeof v === 'object' && v !== null ? names.get(v) : undefined)) };
      byEngine.set(sqlh.engine, c);
    }
    return c;
  };
  return async (sqlh: Sql, args: A): Promise<QueryResult<R>> => {
    const { query, slots } = compiledFor(sqlh);
    const parameters = query.parameters.map((v, i) => (slots[i] === undefined ? v : args[slots[i]]));
    return sqlh.db.executeQuery<R>({ ...query, parameters });
  };
}
