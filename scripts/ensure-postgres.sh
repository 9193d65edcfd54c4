#!/usr/bin/env bash
# The tests start a throwaway PostgreSQL cluster of their own: install Debian's server package when
# it is missing and we can; otherwise say what to do.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi
if bash "$(dirname "$0")/apt-install.sh" postgresql postgresql; then
  # The package may start a cluster of its own; the tests never use it.
  (service postgresql stop >/dev/null 2>&1) || true
  exit 0
fi
echo "The tests need PostgreSQL's server binaries (initdb, pg_ctl) under /usr/lib/postgresql." >&2
echo "Install them (Debian/Ubuntu: sudo apt-get install postgresql), or set TEST_DATABASE_URL to a server to use." >&2
exit 1
