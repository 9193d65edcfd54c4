/** A store written by a newer release is refused with a clear message, on both stores; the server says so and exits. */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaTooNew } from '../server/store/records.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { migratePostgres } from '../server/store/postgres/migrate.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('version');
});
afterAll(async () => {
  await database?.drop();
});

describe('a schema newer than the code', () => {
  it('SQLite: opening refuses, and the server exits with the reason instead of starting', async () => {
    const dir = tempDir();
    try {
      const store = openStore(dir);
      store.db.pragma('user_version = 999');
      store.close();
      expect(() => openStore(dir)).toThrow(SchemaTooNew);
      expect(() => openStore(dir)).toThrow(/written by a newer Switchboard \(schema 999/);
      await expect(spawnServer(dir, 0, { DIST_DIR: '/nonexistent' })).rejects.toThrow(/newer Switchboard/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: migrating refuses and changes nothing', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await migratePostgres(client);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)');
      await expect(migratePostgres(client)).rejects.toThrow(/migrated by a newer Switchboard \(schema 999/);
      const { rows } = await client.query('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0].n).toBeGreaterThan(1);
    } finally {
      await client.end();
    }
  });
});
