#!/usr/bin/env bash
# Builds the two SPA bundles with Trunk (release: opt-level z, LTO, wasm-opt):
#   dist/          members and support (index.html)
#   dist/console/  the admin console (console.html, `console` feature)
# Trunk ends a failed build with its own backtrace, which is all the tail of
# a CI log shows. So on failure this repeats the compiler's error lines and
# the machine's free disk and memory last, where the tail shows them.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

build() {
  trunk build "$@" 2>&1 | tee -a "$log"
  return "${PIPESTATUS[0]}"
}

if build --release && build console.html --release --dist dist/console --public-url /console/; then
  exit 0
fi
echo "== SPA build failed. What the compiler said:"
grep -E '^error|^ +--> |No space left|signal: [0-9]|memory allocation|Killed' "$log" | head -40
echo "== Disk and memory:"
df -h . /tmp 2>/dev/null
free -m 2>/dev/null
exit 1
