/** PostgreSQL migrations: three instances starting at once on an empty database apply each migration once. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, migrationFiles } from '../server/store/postgres/migrate.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('migrate');
});
afterAll(async () => {
  await database?.drop();
});

describe('PostgreSQL migrations', () => {
  it('three migrators at once: one applies everything, the others wait and find nothing to do', async () => {
    const clients = await Promise.all(
      [1, 2, 3].map(async () => {
        const c = new pg.Client({ connectionString: database.url });
        await c.connect();
        return c;
      }),
    );
    try {
      const results = await Promise.all(clients.map((c) => migratePostgres(c)));
      const all = migrationFiles().map((m) => m.version);
      expect(all.length).toBeGreaterThanOrEqual(2);
      expect(results.filter((r) => r.length > 0)).toEqual([all]);
      expect(results.filter((r) => r.length === 0)).toHaveLength(2);
      const { rows } = await clients[0]!.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(all);
      // Again later: nothing.
      expect(await migratePostgres(clients[1]!)).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
