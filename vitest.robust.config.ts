import { defineConfig } from 'vitest/config';

/** The robustness suite: fuzzing, crash durability and the access matrix against real server processes. */
export default defineConfig({
  test: {
    include: ['test/robust/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // A throwaway PostgreSQL cluster: with TEST_STORE=postgres every server runs on a database in it.
    globalSetup: ['test/fixtures/postgresGlobalSetup.ts'],
  },
});
