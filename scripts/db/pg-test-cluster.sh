#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for the database tests.
#   pg-test-cluster.sh start   initdb (if needed), start, create phr_test; idempotent
#   pg-test-cluster.sh stop    stop and delete the data directory
#   pg-test-cluster.sh url     print the DATABASE_URL of the test database
# Env: PG_TEST_PORT (default 55432), PG_BIN (default /usr/lib/postgresql/15/bin),
#      PG_TEST_DIR (default .tmp/pg-test-cluster: a second cluster needs its own, and its own port),
#      PG_TEST_OPTIONS (more server settings, for example "-c shared_buffers=1GB" for the scale benchmark).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${PG_TEST_PORT:-55432}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DIR="${PG_TEST_DIR:-$ROOT/.tmp/pg-test-cluster}"
DATA="$DIR/data"
DB=phr_test
# initdb and postgres refuse to run as root, so the cluster belongs to this OS user.
PG_USER=postgres

url() { echo "postgresql://postgres@127.0.0.1:$PORT/$DB"; }

# Runs a PostgreSQL binary as the cluster's owner (directly when we already are that user).
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

check_binaries() {
  if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
    echo "PostgreSQL 15 binaries not found in $PG_BIN." >&2
    echo "Install them with: apt-get update && apt-get install -y postgresql" >&2
    echo "(or set PG_BIN to the directory holding initdb and pg_ctl)" >&2
    exit 1
  fi
  if [ "$(id -u)" = 0 ] && ! id "$PG_USER" >/dev/null 2>&1; then
    echo "OS user '$PG_USER' missing (the postgresql package creates it)." >&2
    exit 1
  fi
}

running() { [ -f "$DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

start() {
  check_binaries
  mkdir -p "$DIR"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown -R "$PG_USER" "$DIR"
    # Trust on loopback only: a throwaway cluster that never listens beyond 127.0.0.1.
    as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
  fi
  if ! running; then
    # fsync=off: throwaway data, and the tests should not wait on the disk.
    # Socket in the data dir: /var/run/postgresql may not exist or be writable.
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off ${PG_TEST_OPTIONS:-}" start >/dev/null \
      || { tail -20 "$DIR/server.log" >&2; exit 1; }
  fi
  for _ in $(seq 1 120); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
    sleep 0.5
  done
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" || { echo "PostgreSQL did not become ready on port $PORT" >&2; exit 1; }
  if [ -z "$("$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
  fi
  echo "PostgreSQL test cluster ready: $(url)"
}

stop() {
  if [ -d "$DATA" ] && running; then
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
  rm -rf "$DIR"
  echo "PostgreSQL test cluster stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
