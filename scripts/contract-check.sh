#!/usr/bin/env bash
# Checks the running server against its own OpenAPI document with
# schemathesis (property-based: it sends what the document allows, and what
# it does not, and checks every answer against the document: status codes,
# content types, response schemas, no 5xx). One run per role, each on a
# fresh temporary database, signed in through the API first.
#   scripts/contract-check.sh [ROLE...]     roles: member support admin
# Needs `scripts/setup.sh --with-contract` (it puts schemathesis in
# .venv-tools/) and a debug server build (`cargo build -p patron-server`).
# Not yet part of `make test`: issue 24 item 10 lists what still fails.
set -uo pipefail
cd "$(dirname "$0")/.."
say() { echo "contract: $*"; }
st=.venv-tools/bin/schemathesis
[[ -x $st ]] || { say "no $st; run scripts/setup.sh --with-contract"; exit 2; }
[[ -x target/debug/patron-server ]] || cargo build -q -p patron-server || exit 2

roles=("$@")
[[ ${#roles[@]} -gt 0 ]] || roles=(member support admin)
declare -A password=([member]=patron-member [support]=patron-support [admin]=patron-admin)
status=0

for role in "${roles[@]}"; do
  dir=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  scripts/e2e-server.sh "$port" "$dir" >"$dir/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -fsS "$base/api/v1/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sS -c "$dir/jar" -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"email\":\"$role@patron.test\",\"password\":\"${password[$role]}\"}" \
    "$base/api/v1/auth/login"
  token=$(awk '$6 == "patron_session" { print $7 }' "$dir/jar")
  if [[ -z $token ]]; then
    say "$role: could not sign in"; status=1
  else
    say "$role: schemathesis against $base"
    # Signing out, changing the password or the email would end the run's
    # own session; those three are covered by the Rust tests instead.
    # The token goes where the document's `session` scheme says (the
    # cookie), so schemathesis also tries each operation without it.
    printf '[auth.openapi.session]\napi_key = "%s"\n' "$token" >"$dir/schemathesis.toml"
    "$st" --config-file "$dir/schemathesis.toml" run "$base/api/v1/openapi.json" --url "$base" \
      --checks all --max-examples "${CONTRACT_EXAMPLES:-10}" --generation-deterministic \
      --exclude-path /api/v1/auth/logout --exclude-path /api/v1/me/password --exclude-path /api/v1/me/email \
      --no-color 2>&1 | tee "$dir/contract.log" | tail -60
    [[ ${PIPESTATUS[0]} -eq 0 ]] || { status=1; say "$role: failures (log $dir/contract.log)"; }
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
done
exit $status
