import { defineConfig } from 'vitest/config';

/**
 * The integration tests (those built on makeApp) again, on PostgreSQL: TEST_STORE=postgres makes
 * test/helpers.ts give each app a fresh database in the run's throwaway cluster instead of SQLite.
 * Tests that check SQLite's own files or rows skip themselves here.
 */
export default defineConfig({
  test: {
    include: [
      'test/account-language.test.ts',
      'test/auth.test.ts',
      'test/feed-pagination.test.ts',
      'test/ingest-route.test.ts',
      'test/ingest-batch.test.ts',
      'test/integrations.test.ts',
      'test/live-stream.test.ts',
      'test/live-stream-limits.test.ts',
      'test/maintenance.test.ts',
      'test/push-delivery.test.ts',
      'test/push-routes.test.ts',
      'test/search-user-id.test.ts',
      'test/actions-trigger.test.ts',
      'test/press-requests.test.ts',
      'test/decisions.test.ts',
      'test/triage.test.ts',
      'test/actions-concurrency.test.ts',
      'test/actions-access-live.test.ts',
      'test/actions-webhook-body.test.ts',
      'test/framework-errors.test.ts',
      'test/sign-in-limits.test.ts',
      'test/projects.test.ts',
      'test/roles.test.ts',
      'test/insights.test.ts',
      'test/read-api.test.ts',
      'test/retention.test.ts',
      'test/metrics.test.ts',
      'test/people-lookalike.test.ts',
      'test/security-resets-invites.test.ts',
      'test/activity-presses.test.ts',
      'test/all-projects-feed.test.ts',
      'test/project-counts.test.ts',
      'test/member-activity.test.ts',
      'test/policy.test.ts',
      'test/passkeys.test.ts',
      'test/oidc.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
    // Hooks start and stop those processes: a graceful stop alone may take SHUTDOWN_TIMEOUT_MS (8 s).
    hookTimeout: 60_000,
    // Three files at a time on two cores: the slow files wait on child processes and PostgreSQL more
    // than they compute (one worker, the default here, used 57 % of a core; three take 161 s to 90 s).
    maxWorkers: 3,
    env: { TEST_STORE: 'postgres' },
    // One throwaway PostgreSQL cluster for the run (every app gets a database of its own in it).
    globalSetup: ['test/fixtures/postgresGlobalSetup.ts'],
  },
});
