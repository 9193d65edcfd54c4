/**
 * PostgreSQL migrations, numbered like SQLite's but their own (`postgres/migrations/NNN_name.sql`).
 * Several instances may start at once: each migrates inside one transaction that first takes an
 * advisory lock, so one applies what is missing while the others wait and then find nothing to do.
 * DDL is transactional in PostgreSQL, so a migration that fails leaves nothing half-applied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { SchemaTooNew } from '../records.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** The advisory lock key that lets one instance migrate at a time. */
export const MIGRATE_LOCK = 0x5b_11_4e_00;

export function migrationFiles(): { version: number; file: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()
    .map((file) => ({ version: Number.parseInt(file, 10), file }));
}

/**
 * Applies the migrations this database lacks; returns the versions it applied (none when up to date).
 * `upTo`: only that far (how tests make a database as an earlier release left it).
 */
export async function migratePostgres(client: pg.ClientBase, upTo = Number.POSITIVE_INFINITY): Promise<number[]> {
  const applied: number[] = [];
  await client.query('BEGIN');
  try {
    // A migration may rebuild an index on a large table: not bound by the pool's statement_timeout.
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const files = migrationFiles();
    const known = Math.max(0, ...files.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known) {
      throw new SchemaTooNew(
        `this database was migrated by a newer Switchboard (schema ${newest}; this version knows up to ${known}): run the newer version`,
      );
    }
    for (const { version, file } of files) {
      if (done.has(version) || version > upTo) continue;
      await client.query(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, Date.now()]);
      applied.push(version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
