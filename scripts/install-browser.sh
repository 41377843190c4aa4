#!/usr/bin/env bash
# The browser for the end-to-end tests: Debian's Chromium (Playwright's own download cannot work
# here). Installs it when missing; prints its path.
set -euo pipefail
browser=${OFFBOARD_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$browser" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "Chromium is missing at $browser: run as root, or install the Debian package chromium" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; }
fi
echo "$browser"
