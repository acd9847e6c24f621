#!/usr/bin/env bash
# Database tests, once on a temporary SQLite file and once on a throwaway PostgreSQL cluster.
# Writes vitest JSON to .tmp/results/db-sqlite.json and db-postgres.json; exits 1 if anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
results=.tmp/results
mkdir -p "$results"
status=0

sqlite_dir=$(mktemp -d)
cleanup() {
  bash scripts/db/pg-test-cluster.sh stop >/dev/null 2>&1
  rm -rf "$sqlite_dir"
}
trap cleanup EXIT

run_tests() {
  local name=$1 url=$2
  echo "== Database tests on $name"
  DATABASE_URL=$url npx vitest run -c vitest.db.config.ts \
    --reporter=default --reporter=json --outputFile="$results/db-$name.json" || status=1
}

npx tsx scripts/db/derive-postgres-schema.ts --check || status=1
npx prisma generate >/dev/null && npx prisma generate --schema prisma/postgres/schema.prisma >/dev/null || {
  echo "prisma generate failed" >&2
  exit 1
}

run_tests sqlite "file:$sqlite_dir/test.db"

if bash scripts/db/pg-test-cluster.sh start; then
  run_tests postgres "$(bash scripts/db/pg-test-cluster.sh url)"
else
  echo "Could not start the PostgreSQL test cluster: the PostgreSQL tests did not run" >&2
  status=1
fi

exit $status
