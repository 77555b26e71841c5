#!/usr/bin/env bash
# Starts the server for end-to-end tests on a fresh temporary database.
#   scripts/e2e-server.sh PORT [DB_DIR]
# With PATRON_TEST_POSTGRES set (scripts/with-postgres.sh), the server uses
# a PostgreSQL database named after DB_DIR on that cluster instead of a
# SQLite file in it: new for a new DB_DIR, the same one when a test
# restarts its server on the same DB_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:?port}"
dir="${2:-$(mktemp -d -t patron-e2e-XXXXXX)}"
url="sqlite://${dir}/patron.db"
if [[ -n ${PATRON_TEST_POSTGRES:-} ]]; then
  name=$(basename "$dir" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '_')
  name="e2e_${name}"
  /usr/lib/postgresql/15/bin/psql "$PATRON_TEST_POSTGRES" -qAt -c \
    "SELECT 1 FROM pg_database WHERE datname = '${name}'" | grep -q 1 \
    || /usr/lib/postgresql/15/bin/psql "$PATRON_TEST_POSTGRES" -q -c "CREATE DATABASE ${name}"
  url="${PATRON_TEST_POSTGRES/\/postgres\?//${name}?}"
fi
exec ./target/debug/patron-server \
  --bind "127.0.0.1:${port}" \
  --database-url "$url" \
  --static-dir dist \
  --members "${PATRON_E2E_MEMBERS:-400}" \
  --feedback "${PATRON_E2E_FEEDBACK:-300}" \
  --insecure-cookies
