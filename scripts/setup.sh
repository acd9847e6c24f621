#!/usr/bin/env bash
# Installs what the service needs on a fresh machine of this kind: npm packages,
# the generated Prisma clients and the built CSS/JS. With --for-tests, also
# Debian's Chromium (Playwright cannot download browsers here) and PostgreSQL
# (the database tests run on a throwaway cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages"
  # Not `npm ci`: npm 11 writes lockfiles without other platforms' optional
  # packages (npm/cli#4828) and then its own `ci` refuses them. `install`
  # still installs the locked versions.
  npm install --no-audit --no-fund
fi

if [ "${1:-}" = "--for-tests" ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing from Debian: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
  fi
fi

npm run --silent db:generate
bash scripts/build-assets.sh
