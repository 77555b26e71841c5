#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL cluster (scripts/postgres.sh)
# named in PATRON_TEST_POSTGRES; the server tests then give each test a new
# database on it instead of a SQLite file. The cluster is stopped and
# removed when the command ends, however it ends.
#   scripts/with-postgres.sh cargo test -p patron-server
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/patron-pg.XXXXXX)
trap '"$here/postgres.sh" stop "$dir" || true; rm -rf "$dir"' EXIT
url=$("$here/postgres.sh" start "$dir" | tail -n 1)
echo "with-postgres: $url" >&2
PATRON_TEST_POSTGRES=$url "$@"
