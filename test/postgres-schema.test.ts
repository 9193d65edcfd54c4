/**
 * The two stores keep one shape: after all migrations, SQLite and PostgreSQL have the same tables with
 * the same columns and the same NOT NULLs (the search index lives in a table of its own in SQLite and
 * in a column of `events` in PostgreSQL; migration bookkeeping differs by design).
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../server/store/sqlite/index.ts';
import { migratePostgres } from '../server/store/postgres/migrate.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { tempDir } from './helpers.ts';

type Shape = Record<string, Record<string, 'null' | 'not null'>>;

let database: TestDatabase;
let dir: string;
beforeAll(async () => {
  database = await createTestDatabase('schema');
  dir = tempDir();
});
afterAll(async () => {
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function sqliteShape(): Shape {
  const store = openStore(dir);
  try {
    const tables = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'events_fts%'")
      .all() as { name: string }[];
    const shape: Shape = {};
    for (const { name } of tables) {
      const columns = store.db.prepare(`PRAGMA table_info(${name})`).all() as { name: string; notnull: number; pk: number }[];
      // An INTEGER PRIMARY KEY is never NULL in SQLite, whatever its declaration says.
      shape[name] = Object.fromEntries(columns.map((c) => [c.name, c.notnull || c.pk ? 'not null' : 'null']));
    }
    return shape;
  } finally {
    store.close();
  }
}

async function postgresShape(): Promise<Shape> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await migratePostgres(client);
    const { rows } = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
      "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'",
    );
    const shape: Shape = {};
    for (const r of rows) {
      shape[r.table_name] ??= {};
      shape[r.table_name]![r.column_name] = r.is_nullable === 'YES' ? 'null' : 'not null';
    }
    return shape;
  } finally {
    await client.end();
  }
}

describe('one shape in both stores', () => {
  it('has the same tables, columns and NOT NULLs', async () => {
    const sqlite = sqliteShape();
    const postgres = await postgresShape();
    delete sqlite.search_rebuild_pending; // SQLite's one-off rebuild marker
    delete postgres.schema_migrations; // PostgreSQL's migration bookkeeping (SQLite uses user_version)
    delete postgres.rate_buckets; // shared rate limits: a SQLite store's one process keeps them in memory
    delete postgres.events?.search; // the search index, a column here and a table in SQLite
    expect(Object.keys(postgres).sort()).toEqual(Object.keys(sqlite).sort());
    for (const table of Object.keys(sqlite)) expect(postgres[table], table).toEqual(sqlite[table]);
  });
});
