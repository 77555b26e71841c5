#!/usr/bin/env bash
# Starts the server for end-to-end tests on a fresh temporary database.
#   scripts/e2e-server.sh PORT [DB_DIR]
# With PATRON_TEST_POSTGRES set (scripts/with-postgres.sh), the server uses
# that (fresh) PostgreSQL database instead of a SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:?port}"
dir="${2:-$(mktemp -d -t patron-e2e-XXXXXX)}"
url="${PATRON_TEST_POSTGRES:-sqlite://${dir}/patron.db}"
exec ./target/debug/patron-server \
  --bind "127.0.0.1:${port}" \
  --database-url "$url" \
  --static-dir dist \
  --members "${PATRON_E2E_MEMBERS:-400}" \
  --feedback "${PATRON_E2E_FEEDBACK:-300}" \
  --insecure-cookies
