#!/usr/bin/env bash
# Serves the production build for the end-to-end tests (Playwright's webServer
# runs this), with the worker beside it. Run `npm run build` first: this script
# never builds, so the tests always exercise exactly what was built.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

# A fresh database for every run, so tests never see another run's rows.
# e2e/support/site.ts reads the same file to check what was stored.
# E2E_SHARED_DATABASE=1 (the NHS brand's server, started after the first by playwright.config.ts):
# the same database as the server started first, as it is, and no worker of its own (the first
# server's worker sends what either queues).
shared_database="${E2E_SHARED_DATABASE:-}"
mkdir -p "$root/.tmp"
export DATABASE_URL="file:$root/.tmp/e2e.db"
if [ -z "$shared_database" ]; then
  rm -f "$root"/.tmp/e2e.db "$root"/.tmp/e2e.db-* "$root"/.tmp/e2e-audit-anchors.jsonl
  "$root/node_modules/.bin/tsx" scripts/db/migrate.ts deploy >/dev/null
fi

export NEXT_TELEMETRY_DISABLED=1
# PUBLIC_URL must be exactly the address the browser uses: form posts are
# refused unless their Origin matches it.
# E2E_* come from playwright.config.ts (e2e/support/site.ts: E2E_PORT_OFFSET moves them all).
app_port="${E2E_APP_PORT:-3100}"
oidc_url="${E2E_OIDC_URL:-http://localhost:3200}"
export PUBLIC_URL="http://localhost:$app_port" HOSTNAME_BIND=localhost PORT="$app_port"
export ONELOGIN_ISSUER="$oidc_url/onelogin" NHSLOGIN_ISSUER="$oidc_url/nhslogin" STAFF_ISSUER="$oidc_url/staff"
export CARE_RECORD_BASE_URL="${E2E_CARE_RECORD_URL:-http://localhost:3400}"
# Where each organisation receives contact-detail changes (the demo receivers beside this server).
export ADDRESS_RECEIVERS="${E2E_ADDRESS_RECEIVERS:-care-record=http://localhost:3500,council=http://localhost:3600}"
# Emails and text messages go to the local GOV.UK Notify stand-in (scripts/notify, started by
# playwright.config.ts), with its made-up key and template ids (lib/notifications/config.ts).
export NOTIFY_BASE_URL="${E2E_NOTIFY_URL:-http://localhost:3800}"
# Production needs a key for each organisation in ADDRESS_RECEIVERS (PARTNER_KEYS): the demo
# receivers accept the development-only keys (lib/platform/config.ts), so this run is given those.
PARTNER_KEYS="$("$root/node_modules/.bin/tsx" -e "require('./scripts/receivers/address-receiver').printDevelopmentPartnerKeys()")"
export PARTNER_KEYS
# Production refuses the demo address lookup (made-up addresses) unless told this is a demo:
# the tests find the demo list's addresses.
export ALLOW_DEMO_ADDRESS_LOOKUP=1
export APP_SECRET=e2e-only-secret-never-used-outside-tests-0123456789
# The audit log's key, and the file its head is anchored in (new each run, like the database).
export AUDIT_HMAC_KEY=e2e-only-audit-key-never-used-outside-tests-0123 AUDIT_ANCHOR_FILE="$root/.tmp/e2e-audit-anchors.jsonl"
# Sign-in: the demo identity providers (started by playwright.config.ts beside this server)
# register the development client key kept in .tmp/dev-keys. The app runs in production
# mode, which requires its client key from the environment, so it is given that one.
export DEV_KEYS_DIR="$root/.tmp/dev-keys"
"$root/node_modules/.bin/tsx" -e "require('./scripts/oidc-provider/dev-keys').ensureDevClientKeys()"
IDENTITY_CLIENT_KEY="$(cat "$DEV_KEYS_DIR/phr-client.es256.private.jwk.json")"
export IDENTITY_CLIENT_KEY
# The care-record client key: made here if missing; the care-record server beside this one
# registers its public half from the same folder.
"$root/node_modules/.bin/tsx" -e "require('./scripts/care-record/client-keys').ensureCareRecordClientKeys()"
CARE_RECORD_CLIENT_KEY="$(cat "$DEV_KEYS_DIR/phr-care-record-client.es256.private.jwk.json")"
export CARE_RECORD_CLIENT_KEY
# Every test signs in from the same address: keep the sign-in rate limit out of their way.
export SIGN_IN_RATE_LIMIT=10000 SIGN_IN_RATE_LIMIT_GLOBAL=100000
# The blood pressure week journeys live days later through their own browser's x-test-clock
# header (lib/platform/clock.ts); the configuration allows it only on this loopback address.
export TEST_CLOCK=1
# The example market app (scripts/market-app, started by playwright.config.ts) is a registered app.
if [ -z "$shared_database" ]; then
  MARKET_APP_URL="${E2E_MARKET_APP_URL:-http://localhost:3700}" "$root/node_modules/.bin/tsx" scripts/register-demo-app.ts >/dev/null
fi
# Refused requests are expected in the tests; only real errors should show.
export LOG_LEVEL="${E2E_LOG_LEVEL:-error}"

# The worker beside the server, with the same settings: it sends what pages queue (the tests
# expect "Received" within a second or two) and anchors the audit log. The two stop together:
# when Playwright stops this script, or as soon as either ends (a worker that cannot start
# fails the run rather than leaving changes unsent).
if [ -n "$shared_database" ]; then
  bash scripts/start.sh &
  server=$!
  trap 'kill "$server" 2>/dev/null || true; wait' EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  wait "$server"
  exit $?
fi
NODE_ENV=production "$root/node_modules/.bin/tsx" scripts/worker.ts &
worker=$!
bash scripts/start.sh &
server=$!
trap 'kill "$worker" "$server" 2>/dev/null || true; wait' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
wait -n "$worker" "$server"
