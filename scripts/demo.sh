#!/usr/bin/env bash
# The seeded demo on http://localhost:3000, from a fresh machine: installs,
# builds, creates the embedded database and demo data, and runs the service.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/setup.sh
npm run --silent build

mkdir -p data
export DATABASE_URL="file:$PWD/data/phr.db"
npx tsx scripts/db/migrate.ts deploy
npx tsx scripts/seed.ts

# A demo secret made once per machine and kept out of git (data/ is ignored).
[ -f data/demo-secret ] || node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))" > data/demo-secret
export APP_SECRET="$(cat data/demo-secret)" PUBLIC_URL=http://localhost:3000 PORT=3000 HOSTNAME_BIND=localhost

cat <<MSG

  Person Held Record demo: http://localhost:3000
  Database: $DATABASE_URL (SQLite, embedded)
  Stop with Ctrl+C.

MSG
exec bash scripts/start.sh
