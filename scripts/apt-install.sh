#!/usr/bin/env bash
# Installs Debian packages the tests need, when we are root with apt-get:
# `apt-install.sh WHAT [--with-recommends] PACKAGE…` (WHAT names them in the message). Exits 1 without
# apt-get or root, so the caller can say what to do.
set -euo pipefail
what="$1"; shift
recommends=--no-install-recommends
if [ "${1:-}" = "--with-recommends" ]; then recommends=; shift; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then exit 1; fi
echo "$what is missing: installing Debian's $* with apt-get…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $recommends "$@" >/dev/null
