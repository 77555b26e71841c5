#!/usr/bin/env bash
# Builds the two SPA bundles with Trunk (release: opt-level z, LTO, wasm-opt):
#   dist/          members and support (index.html)
#   dist/console/  the admin console (console.html, `console` feature)
# Trunk ends a failed build with its own backtrace, which is all the tail of
# a CI log shows. So on failure this repeats the compiler's error lines and
# the machine's free disk and memory last, where the tail shows them. A
# failed bundle is built once more (a real compile error fails again at
# once, its dependencies being built; a killed compiler may not).
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

build() {
  trunk build "$@" 2>&1 | tee -a "$log"
  return "${PIPESTATUS[0]}"
}

report() {
  echo "== SPA build failed ($*). What the compiler said:"
  grep -E '^error|^ +--> |No space left|signal: [0-9]|memory allocation|Killed' "$log" | head -40
  echo "== Disk and memory:"
  df -h . /tmp 2>/dev/null
  free -m 2>/dev/null
}

bundle() {
  build "$@" && return 0
  report "trunk build $*; trying once more"
  : > "$log"
  build "$@" && return 0
  report "trunk build $*, twice"
  return 1
}

started=$SECONDS
echo "spa: building the member/support bundle and the admin console (release + wasm-opt; ~3 min each from a cold target on 2 cores)"
# Brotli and gzip copies beside each file, made here once: the server only
# reads dist/ (it may be shared by several replicas, read-only).
bundle --release && bundle console.html --release --dist dist/console --public-url /console/ \
  && node scripts/precompress.mjs dist \
  && echo "spa: built in $((SECONDS - started)) s"

