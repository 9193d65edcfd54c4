#!/usr/bin/env bash
# The tests start a throwaway PostgreSQL cluster of their own: install Debian's server package when
# it is missing and we can; otherwise say what to do.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "postgresql is missing: installing Debian's postgresql with apt-get…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  # The package may start a cluster of its own; the tests never use it.
  (service postgresql stop >/dev/null 2>&1) || true
  exit 0
fi
echo "The tests need PostgreSQL's server binaries (initdb, pg_ctl) under /usr/lib/postgresql." >&2
echo "Install them (Debian/Ubuntu: sudo apt-get install postgresql), or set TEST_DATABASE_URL to a server to use." >&2
exit 1
