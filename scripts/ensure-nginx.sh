#!/usr/bin/env bash
# test/proxy-nginx.test.ts runs the shipped deploy/nginx.conf in a real nginx (its own -c config and -p
# prefix, so nothing under /etc/nginx is read). Install Debian's nginx when missing and we can;
# otherwise say what to do.
set -euo pipefail
NGINX="${NGINX_PATH:-nginx}"
if command -v "$NGINX" >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if bash "$(dirname "$0")/apt-install.sh" nginx nginx; then
  # The package may start a server of its own (Debian's default site on port 80); the tests never
  # use it, and it would hold port 80 for nothing.
  (service nginx stop >/dev/null 2>&1) || true
  exit 0
fi
echo "The proxy test needs nginx (on PATH or /usr/sbin/nginx)." >&2
echo "Install it (Debian/Ubuntu: sudo apt-get install nginx), or set NGINX_PATH to an nginx binary." >&2
exit 1
