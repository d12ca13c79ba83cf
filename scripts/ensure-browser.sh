#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (Playwright downloads nothing here).
# Runs before `npm test`; installs with apt-get when it can (root on a Debian machine), else says what to do.
set -euo pipefail
browser="${MICROCRED_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (one time)..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium at $browser. Install it (sudo apt-get install -y chromium)" >&2
echo "or point MICROCRED_CHROMIUM at a Chromium binary." >&2
exit 1
