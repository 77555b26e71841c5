#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster in a directory of your choosing, for
# tests and local runs of Patron on PostgreSQL (issue 17). No containers: it
# runs Debian's postgresql-15 (scripts/setup.sh installs it) on a unix socket
# in DIR, no TCP port, trust authentication, superuser `patron`.
#   scripts/postgres.sh start DIR   create (first time) and start; prints the URL last
#   scripts/postgres.sh stop DIR    stop it (the files stay; rm -rf DIR to forget it)
#   scripts/postgres.sh url DIR     print the URL
# As root the server runs as the `postgres` user (PostgreSQL refuses root);
# otherwise as the current user. The cluster is UTF-8 with C collation, so
# text sorts and compares byte-wise as in SQLite, and C.UTF-8 character
# classes, so lower() and full-text search fold every script's case.
set -euo pipefail

usage() { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }
[[ $# == 2 ]] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
# A unix socket path must fit in 107 bytes: DIR/.s.PGSQL.5432.
if (( ${#dir} > 90 )); then echo "postgres.sh: $dir is too long for a socket path" >&2; exit 2; fi
if [[ $dir == *"'"* ]]; then echo "postgres.sh: $dir has a quote in it" >&2; exit 2; fi

bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x $bin/pg_ctl ]]; then
  echo "postgres.sh: no PostgreSQL 15 in $bin (scripts/setup.sh installs Debian's postgresql)" >&2
  exit 1
fi

# Runs a PostgreSQL program as the user that owns the cluster.
as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The socket directory as a query parameter (sqlx and libpq both read it;
# `postgres://patron@/…` with an empty host is refused by sqlx's URL parser).
url() {
  local enc="" c i
  for (( i = 0; i < ${#dir}; i++ )); do
    c=${dir:i:1}
    if [[ $c == [A-Za-z0-9/._-] ]]; then enc+=$c; else enc+=$(printf '%%%02X' "'$c"); fi
  done
  echo "postgres:///postgres?host=$enc&user=patron"
}

running() { [[ -f $dir/data/postmaster.pid ]] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

case $cmd in
  start)
    if running; then url; exit 0; fi
    [[ $(id -u) == 0 ]] && chown postgres "$dir"
    if [[ ! -f $dir/data/PG_VERSION ]]; then
      ctype=C.UTF-8
      locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' || ctype=C
      as_owner "$bin/initdb" -D "$dir/data" -A trust -U patron -E UTF8 --locale=C --lc-ctype=$ctype \
        >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # fsync off: the cluster is thrown away, and tests run faster.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-k '$dir' -c listen_addresses='' -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null \
      || { echo "postgres.sh: the server did not start; its log:" >&2; tail -n 20 "$dir/log" >&2; exit 1; }
    url
    ;;
  stop)
    if running; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; fi
    ;;
  url)
    url
    ;;
  *)
    usage
    ;;
esac
