import { defineConfig } from 'vitest/config';

/** The release build (scripts/build-release.sh, what the Dockerfile runs) on a clean copy: one slow test. */
export default defineConfig({
  test: {
    include: ['test/release/*.test.ts'],
    environment: 'node',
    testTimeout: 10 * 60_000,
    hookTimeout: 60_000,
  },
});
