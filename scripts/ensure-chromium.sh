#!/usr/bin/env bash
# The browser tests use Debian's chromium. Install it when missing and we can; otherwise say what to do.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if bash "$(dirname "$0")/apt-install.sh" chromium --with-recommends chromium; then exit 0; fi
echo "The browser tests need Chromium at $CHROMIUM." >&2
echo "Install it (Debian/Ubuntu: sudo apt-get install chromium), or set CHROMIUM_PATH to a Chromium binary." >&2
exit 1
