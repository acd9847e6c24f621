#!/usr/bin/env bash
# Installs the browser the e2e tests drive: Debian's chromium. Playwright's own
# browser download cannot be reached from here, so the tests point at /usr/bin/chromium.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null | tail -n 1)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null | tail -n 1)"
