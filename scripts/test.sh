#!/usr/bin/env bash
# npm test: every test, including the browser ones, against a fresh build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-chromium.sh
bash scripts/ensure-nginx.sh
bash scripts/ensure-alertmanager.sh
[ -n "${TEST_DATABASE_URL:-}" ] || bash scripts/ensure-postgres.sh
echo "== typecheck"; npm run --silent typecheck
echo "== lint"; npm run --silent lint
echo "== unit and integration (vitest; SQLite, and the PostgreSQL store's own tests)"; npx vitest run
echo "== integration on PostgreSQL (the same route tests, TEST_STORE=postgres)"; npx vitest run --config vitest.postgres.config.ts
echo "== robustness (fuzzing, crash durability, access matrix, stalled streams)"; npx vitest run --config vitest.robust.config.ts
echo "== robustness on PostgreSQL (the same, TEST_STORE=postgres)"; TEST_STORE=postgres npx vitest run --config vitest.robust.config.ts
echo "== release build (scripts/build-release.sh, the Dockerfile's steps, on a clean copy; started as an unprivileged user)"; npx vitest run --config vitest.release.config.ts
echo "== build"; npx vite build --logLevel warn && node scripts/compress-dist.mjs
echo "== browser (playwright, chromium)"; npx playwright test
