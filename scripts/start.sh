#!/usr/bin/env bash
# Runs the production build (next.config.ts: output 'standalone') the way a
# server would: the standalone server needs the static files beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .next/standalone/server.js ] || { echo "No production build: run 'npm run build' first" >&2; exit 1; }
rm -rf .next/standalone/public .next/standalone/.next/static
cp -r public .next/standalone/public
cp -r .next/static .next/standalone/.next/static
# Answers methods other than GET, HEAD and POST with our 405 page (Next.js fails on TRACE).
cp scripts/server/method-guard.cjs .next/standalone/method-guard.cjs
# Gzips answers (pages at level 3, built files at 6) in place of Next.js (next.config.ts: compress: false).
cp scripts/server/compression.cjs scripts/server/gzip-levels.cjs .next/standalone/
cd .next/standalone
export NODE_ENV=production HOSTNAME="${HOSTNAME_BIND:-127.0.0.1}" PORT="${PORT:-3000}"
exec node --require ./method-guard.cjs --require ./compression.cjs server.js
