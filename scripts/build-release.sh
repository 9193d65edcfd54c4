#!/usr/bin/env bash
# Builds what ships: from a clean source tree SRC, into OUT: install from the lock file, build the PWA,
# drop the development dependencies, keep only what the server runs. The Dockerfile runs exactly this,
# and the test suite runs it on a clean copy of the repository (test/release/release-build.test.ts),
# so the image cannot drift from what is tested.
#   usage: scripts/build-release.sh SRC OUT
set -euo pipefail
SRC=$(cd "${1:?usage: build-release.sh SRC OUT}" && pwd)
OUT=${2:?usage: build-release.sh SRC OUT}
if [ -e "$OUT" ] && [ -n "$(ls -A "$OUT" 2>/dev/null)" ]; then
  echo "build-release: $OUT is not empty" >&2
  exit 2
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

cd "$SRC"
echo "== install (npm ci, from package-lock.json, development dependencies included: they build the PWA)"
NODE_ENV=development npm ci --no-audit --no-fund --loglevel=error
echo "== build the PWA (production React, the service worker's production build)"
NODE_ENV=production npx vite build --logLevel warn
node scripts/compress-dist.mjs
echo "== drop development dependencies"
npm prune --omit=dev --no-audit --no-fund --loglevel=error

echo "== assemble $OUT"
# What the server reads at run time: its code, the wire format, the built PWA, the migrations (inside
# server/), the package manifest (version) and the production dependencies (the PWA's libraries and
# the build tools are development dependencies: they are in dist/ already).
cp -R server contract dist node_modules package.json package-lock.json "$OUT"/
# And the texts the server itself says (pushes, its own pages, error codes), read from the catalogs.
mkdir -p "$OUT/src/locales"
cp -R src/locales/push src/locales/server src/locales/errors "$OUT/src/locales/"
# Nothing else of the tests, the PWA's sources or the benchmarks ships.
du -sh "$OUT" | sed 's/^/size: /'
