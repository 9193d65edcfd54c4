#!/usr/bin/env bash
# test/alertmanager.test.ts fires and resolves a real alert through Debian's Prometheus Alertmanager
# (its own config, data dir and ports, started by the test). Install it when missing and we can;
# otherwise say what to do.
set -euo pipefail
AM="${ALERTMANAGER_PATH:-/usr/bin/prometheus-alertmanager}"
if [ -x "$AM" ]; then exit 0; fi
if bash "$(dirname "$0")/apt-install.sh" prometheus-alertmanager prometheus-alertmanager; then
  # The package starts a service of its own (port 9093); the test never uses it.
  (service prometheus-alertmanager stop >/dev/null 2>&1) || true
  exit 0
fi
echo "The Alertmanager test needs Prometheus Alertmanager at $AM." >&2
echo "Install it (Debian/Ubuntu: sudo apt-get install prometheus-alertmanager), or set ALERTMANAGER_PATH to an alertmanager binary." >&2
exit 1
