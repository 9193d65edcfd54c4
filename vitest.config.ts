import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/robust/**', 'test/release/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
    // One throwaway PostgreSQL cluster for the run (the PostgreSQL tests make a database each in it).
    globalSetup: ['test/fixtures/postgresGlobalSetup.ts'],
  },
});
