#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what the tests need, builds
# the service as production would run it, then runs every suite:
#   unit and integration tests, database tests on SQLite and on a throwaway
#   PostgreSQL, two instances and two workers of the build on one PostgreSQL,
#   and Playwright end to end with JavaScript on and off (axe on every page).
#   Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
results=.tmp/results
rm -rf "$results" && mkdir -p "$results"
status=0

step() { printf '\n== %s\n' "$*"; }
run() {
  # A stage that fails without writing its results still counts as a failure.
  local name=$1; shift
  if ! "$@"; then
    status=1
    echo "$name" >> "$results/failed-stages.txt"
  fi
}

step "Installing what the tests need"
bash scripts/setup.sh --for-tests || { echo "0 passed, 1 failed"; exit 1; }

step "Building the service (production build)"
if ! npm run --silent build; then
  echo "setup" >> "$results/failed-stages.txt"
  node scripts/test-summary.mjs "$results"
  exit 1
fi

step "Type check"
run typecheck npm run --silent typecheck

step "Lint (capability boundaries, no development code in lib/) and formatting (Prettier)"
run lint npm run --silent lint
run format npm run --silent format:check

step "Unit and integration tests"
run unit npx vitest run --reporter=default --reporter=json --outputFile="$results/unit.json"

step "Database tests on SQLite and PostgreSQL"
run database bash scripts/db/test-both.sh

step "Identity provider tests (the local OpenID provider process)"
run oidc npx vitest run -c vitest.oidc.config.ts --reporter=default --reporter=json --outputFile="$results/oidc.json"

step "Care record server tests (the local FHIR server process)"
run care-record npx vitest run -c vitest.care-record.config.ts --reporter=default --reporter=json --outputFile="$results/care-record.json"

step "Several instances and two workers on one PostgreSQL (the production build)"
run instances npx vitest run -c vitest.instances.config.ts --reporter=default --reporter=json --outputFile="$results/instances.json"

step "End-to-end tests in Chromium, JavaScript on and off"
run e2e npx playwright test

step "Summary"
node scripts/test-summary.mjs "$results" || status=1
exit $status
