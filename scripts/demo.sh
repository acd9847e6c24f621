#!/usr/bin/env bash
# The seeded demo on http://localhost:3000, from a fresh machine: installs,
# builds, creates the embedded database and demo data, starts the local
# identity provider, and runs the service. Stop everything with Ctrl+C.
# BRAND=nhs bash scripts/demo.sh: the same service in the NHS brand (NHS.UK Frontend), run by
# an NHS trust entitled to the NHS logo; the default is the council brand (GOV.UK Frontend).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export NEXT_TELEMETRY_DISABLED=1

export BRAND="${BRAND:-council}"
case "$BRAND" in
  council) brand_text="council (GOV.UK Design System), run by ${ORGANISATION_NAME:-Leeds City Council}" ;;
  nhs)
    # The demo's NHS organisation, unless told another (lib/platform/config.ts).
    if [ -z "${ORGANISATION_NAME:-}" ]; then
      export ORGANISATION_NAME="Leeds Teaching Hospitals NHS Trust" ORGANISATION_URL="https://www.leedsth.nhs.uk"
      export PARTNER_NAMES="${PARTNER_NAMES:-Leeds City Council, Leeds Community Healthcare NHS Trust, Leeds and York Partnership NHS Foundation Trust and GP practices in Leeds}"
      export NHS_LOGO_ENTITLED="${NHS_LOGO_ENTITLED:-1}"
    fi
    brand_text="nhs (NHS.UK frontend), run by $ORGANISATION_NAME, NHS logo: $([ "${NHS_LOGO_ENTITLED:-}" = 1 ] || [ "${NHS_LOGO_ENTITLED:-}" = true ] && echo shown || echo not shown)" ;;
  *) echo "BRAND must be council or nhs, not \"$BRAND\"" >&2; exit 1 ;;
esac
echo "Brand: $brand_text"

bash scripts/setup.sh
npm run --silent build

mkdir -p data
export DATABASE_URL="file:$root/data/phr.db"
# The audit log's key (id "demo", made once per machine, kept out of git) and the file its head
# is anchored in, beside the demo database: set before seeding, so every entry uses them.
[ -f data/demo-audit-key ] || node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))" > data/demo-audit-key
export AUDIT_HMAC_KEY="$(cat data/demo-audit-key)" AUDIT_HMAC_KEY_ID=demo AUDIT_ANCHOR_FILE="$root/data/audit-anchors.jsonl"
npx tsx scripts/db/migrate.ts deploy
npx tsx scripts/seed.ts

# Demo secrets are made once per machine and kept out of git (data/ is ignored).
[ -f data/demo-secret ] || node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))" > data/demo-secret
export DEV_KEYS_DIR="$root/data/dev-keys"
npx tsx -e "require('./scripts/oidc-provider/dev-keys').ensureDevClientKeys()"

for port in 3000 3200 3300 3500 3600 3700 3800; do
  if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use: stop what is using it, then run this again." >&2
    exit 1
  fi
done

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_all EXIT INT TERM

wait_for() {
  for _ in $(seq 1 60); do curl -fs "$1" > /dev/null 2>&1 && return 0; sleep 0.5; done
  echo "Timed out waiting for $1" >&2
  return 1
}

# The local identity provider (GOV.UK One Login, NHS login and staff sign-in shapes): it
# prints its issuers and demo accounts.
OIDC_APP_URL=http://localhost:3000 LOG_LEVEL=silent npx tsx scripts/oidc-provider/server.ts &
pids+=($!)
wait_for http://localhost:3200/health

# The city's shared care record (FHIR R4, synthetic patients), as its own process.
LOG_LEVEL=silent npx tsx scripts/care-record/server.ts &
pids+=($!)
wait_for http://localhost:3300/health

# The two organisations' systems that receive changes of address and contact preferences
# (the care record system and the council's customer record), each its own process.
RECEIVER_NAME="care record system" RECEIVER_PORT=3500 npx tsx scripts/receivers/address-receiver.ts > /dev/null &
pids+=($!)
RECEIVER_NAME="council customer record" RECEIVER_PORT=3600 npx tsx scripts/receivers/address-receiver.ts > /dev/null &
pids+=($!)
wait_for http://localhost:3500/health
wait_for http://localhost:3600/health
export ADDRESS_RECEIVERS=care-record=http://localhost:3500,council=http://localhost:3600

# The local GOV.UK Notify stand-in: the worker sends emails and text messages to it with the
# official client (made-up key and template ids, lib/notifications/config.ts); it lists them.
npx tsx scripts/notify/server.ts > /dev/null &
pids+=($!)
wait_for http://localhost:3800/health
export NOTIFY_BASE_URL=http://localhost:3800
# Changes are signed with a key shared with each organisation: the demo receivers accept the
# development-only keys (lib/platform/config.ts). Production requires PARTNER_KEYS to be set.
PARTNER_KEYS="$(npx tsx -e "require('./scripts/receivers/address-receiver').printDevelopmentPartnerKeys()")"
export PARTNER_KEYS
# The demo's made-up addresses: production refuses this lookup unless told it is a demo.
export ALLOW_DEMO_ADDRESS_LOOKUP=1

export APP_SECRET="$(cat data/demo-secret)" PUBLIC_URL=http://localhost:3000 PORT=3000 HOSTNAME_BIND=localhost
IDENTITY_CLIENT_KEY="$(cat "$DEV_KEYS_DIR/phr-client.es256.private.jwk.json")"
# Made by the care-record server above, which registers its public half.
CARE_RECORD_CLIENT_KEY="$(cat "$DEV_KEYS_DIR/phr-care-record-client.es256.private.jwk.json")"
export IDENTITY_CLIENT_KEY CARE_RECORD_CLIENT_KEY
bash scripts/start.sh &
pids+=($!)
# The worker (npm run worker): sends the changes pages queue to the organisations and the care
# record, and anchors the audit log's head. The web server only queues them.
NODE_ENV=production npx tsx scripts/worker.ts &
pids+=($!)
wait_for http://localhost:3000/health

# The demo letter sender (Leeds Teaching Hospitals' letters system, a partner organisation): it
# signs and posts a few letters for Amelia to the letters API (safe to run again: idempotent).
PHR_URL=http://localhost:3000 npx tsx scripts/letter-sender/send.ts || echo "The demo letters were not delivered" >&2

# The example market app (a blood pressure diary made by "someone else"): a SMART app that
# connects to the record through the FHIR API with the citizen's consent (seeded as bp-diary).
MARKET_APP_URL=http://localhost:3700 PHR_URL=http://localhost:3000 LOG_LEVEL=silent npx tsx scripts/market-app/server.ts > /dev/null &
pids+=($!)
wait_for http://localhost:3700/health

cat <<MSG

  Person Held Record demo: http://localhost:3000
  Brand: $brand_text (BRAND=council or BRAND=nhs bash scripts/demo.sh)
  Database: $DATABASE_URL (SQLite, embedded)
  Worker (sends changes on, anchors the audit log): running beside the service (npm run worker)
  Identity provider (demo): http://localhost:3200
  Care record FHIR server (demo, synthetic patients): http://localhost:3300/metadata
  Receivers of address changes (demo): care record system http://localhost:3500,
    council customer record http://localhost:3600 (they accept only signed requests); what they received:
    npx tsx scripts/receivers/received.ts http://localhost:3600
  Emails and text messages (a local GOV.UK Notify stand-in): what was sent is at http://localhost:3800
  Letters from Leeds Teaching Hospitals (demo sender, signed API): three for Amelia, at /letters;
    what the hospital has been asked to post: npx tsx scripts/letter-sender/send.ts status
  Example app (SMART on FHIR, made by "someone else"): http://localhost:3700
    Connect it, sign in as mo.appleby@example.com / demo-password-1, and say yes.
    The API for apps: http://localhost:3000/fhir/r4/metadata, for app makers: http://localhost:3000/developers

  Sign in: Start now, choose GOV.UK One Login or NHS login, then
    farah.newbury@example.com   / demo-password-1   proven identity, first visit: registration journey
    amelia.testwell@example.com / demo-password-1   with NHS login: a ready-made record (top three things,
                                                      blood pressure week, care record); with One Login: a new account
    ben.sampleton@example.com   / demo-password-1   signed in but identity not proven
    chloe.testwell@example.com  / demo-password-1   proven, aged 14: cannot use the service yet
    dev.nomatch@example.com     / demo-password-1   identity check fails
  Staff sign in at http://localhost:3000/staff/sign-in, for example
    grace.practiceton@staff.example.org / demo-password-1   care professional at Amelia's GP practice
                                                              (find NHS number 999 001 2377)
    priya.connector@staff.example.org   / demo-password-1   engagement coordinator (Open Citizen)
    sam.adminson@staff.example.org      / demo-password-1   programme administrator (active users)

  Stop with Ctrl+C.
MSG
wait -n "${pids[@]}"
