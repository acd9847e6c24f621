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
    --reporter=default --reporter=json --outputFile="$results/db-$name.json"
}

npx tsx scripts/db/derive-postgres-schema.ts --check || status=1
npx prisma generate >/dev/null && npx prisma generate --schema prisma/postgres/schema.prisma >/dev/null || {
  echo "prisma generate failed" >&2
  exit 1
}

# The two databases' runs at once, one core each: each run is one file at a time, mostly waiting
# on its database, so together they take little longer than the longer one. Each run's output is
# kept whole and shown after it.
if bash scripts/db/pg-test-cluster.sh start; then
  pg_url=$(bash scripts/db/pg-test-cluster.sh url)
else
  echo "Could not start the PostgreSQL test cluster: the PostgreSQL tests did not run" >&2
  pg_url=
  status=1
fi
run_tests sqlite "file:$sqlite_dir/test.db" > "$sqlite_dir/sqlite.log" 2>&1 &
sqlite_pid=$!
if [ -n "$pg_url" ]; then
  run_tests postgres "$pg_url" > "$sqlite_dir/postgres.log" 2>&1 &
  postgres_pid=$!
fi
wait "$sqlite_pid" || status=1
cat "$sqlite_dir/sqlite.log"
if [ -n "$pg_url" ]; then
  wait "$postgres_pid" || status=1
  cat "$sqlite_dir/postgres.log"
fi

exit $status
