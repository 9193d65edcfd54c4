import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/robust/**', 'test/release/**', 'node_modules/**'],
    environment: 'node',
    // Generous: many tests wait on real processes (servers, PostgreSQL, nginx, Alertmanager, an OIDC
    // provider), and two loaded cores can take twice as long as a quiet run. No test asserts a duration.
    testTimeout: 60_000,
    // Hooks start and stop those processes: a graceful stop alone may take SHUTDOWN_TIMEOUT_MS (8 s).
    hookTimeout: 60_000,
    // Three files at a time on two cores: the slow files wait on child processes and PostgreSQL more
    // than they compute (one worker, the default here, used 57 % of a core; three take 161 s to 90 s).
    maxWorkers: 3,
    // One throwaway PostgreSQL cluster for the run (the PostgreSQL tests make a database each in it).
    globalSetup: ['test/fixtures/postgresGlobalSetup.ts'],
    // The PWA's modules under test speak English, from the catalogs.
    setupFiles: ['test/setup/english.ts'],
  },
});
