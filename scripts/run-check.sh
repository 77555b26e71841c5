#!/usr/bin/env bash
# Proves the README's run command: starts the app exactly as `make run`
# does (on its own port and a temporary database, so a developer's
# data/patron.db is never touched), waits until it answers, signs in as
# each demo user through the API, loads the member app at / and the admin
# console at /admin with the wasm each page names, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "run-check: $*"; }

# Built first, so the wait below is only the server's start.
make --no-print-directory spa server >/dev/null

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
log="$dir/run.log"
setsid make --no-print-directory run BIND="127.0.0.1:$port" DB="sqlite://$dir/patron.db" \
  MEMBERS=500 FEEDBACK=100 >"$log" 2>&1 &
pid=$!
stop() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap stop EXIT
fail() { say "FAILED: $*"; echo "--- make run said:"; tail -40 "$log"; exit 1; }

for _ in $(seq 1 240); do
  curl -fsS "$base/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || fail "make run exited before answering"
  sleep 0.5
done
curl -fsS "$base/api/v1/health" >/dev/null || fail "no answer on $base within 2 minutes"
grep -q "Patron is running at http://127.0.0.1:$port" "$log" || fail "no 'running at' line"
say "make run answers on $base"

# The page at `path` for the cookie jar, and the wasm bundle it names.
page_and_wasm() {
  local jar=$1 path=$2 want=$3
  local html wasm
  html=$(curl -fsS -b "$jar" "$base$path") || fail "GET $path"
  grep -q "<html" <<<"$html" || fail "$path is not a page"
  wasm=$(grep -oE '[^"'"'"' ]+_bg\.wasm' <<<"$html" | head -1)
  [[ -n "$wasm" ]] || fail "$path names no wasm"
  [[ "$wasm" == $want* ]] || fail "$path loads $wasm, expected $want…"
  local type
  type=$(curl -fsS -b "$jar" -o /dev/null -w '%{content_type}' "$base$wasm") || fail "GET $wasm"
  [[ "$type" == application/wasm* ]] || fail "$wasm served as $type"
}

while read -r email password role; do
  jar="$dir/$role.jar"
  code=$(curl -sS -c "$jar" -o "$dir/login.json" -w '%{http_code}' \
    -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/v1/auth/login")
  [[ "$code" == 200 ]] || fail "sign-in as $email: HTTP $code $(cat "$dir/login.json")"
  me=$(curl -fsS -b "$jar" "$base/api/v1/auth/me") || fail "GET /auth/me as $email"
  grep -q "\"role\":\"$role\"" <<<"$me" || fail "$email is not $role: $me"
  page_and_wasm "$jar" / /patron-
  if [[ "$role" == admin ]]; then
    page_and_wasm "$jar" /admin /console/
  fi
  say "signed in as $email ($role); pages load"
done <<'USERS'
member@patron.test patron-member member
admin@patron.test patron-admin admin
support@patron.test patron-support support
USERS
say "ok"
