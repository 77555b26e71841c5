#!/usr/bin/env bash
# Installs what Patron needs on a fresh machine of this kind, skipping what
# is already there at the right version. Safe to run again and again.
#   scripts/setup.sh                 toolchain for building and running
#   scripts/setup.sh --with-browser  also Debian's Chromium + ChromeDriver (tests)
#   scripts/setup.sh --with-smtp     also aiosmtpd (PyPI) in .venv-tools: the
#                                    real SMTP server the tests deliver to
#   scripts/setup.sh --with-contract also schemathesis (PyPI) in .venv-tools
set -euo pipefail
cd "$(dirname "$0")/.."
# Tools installed before stay on PATH (~/.cargo/bin) when CARGO_HOME points
# elsewhere (CI uses an empty one); new installs go to $CARGO_HOME/bin.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
# Tools are installed under ~/.cargo whatever CARGO_HOME is, so they outlive
# a throw-away cache.
tools_root="$HOME/.cargo"

with_browser=0
with_contract=0
with_smtp=0
for arg in "$@"; do
  case $arg in
    --with-smtp) with_smtp=1 ;;
    --with-browser) with_browser=1 ;;
    --with-contract) with_contract=1 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done
say() { echo "setup: $*"; }

apt_updated=0
apt_install() {
  if [[ $apt_updated == 0 ]]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# Rust: the wasm target and the lint/format tools.
rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || { say "adding wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

# Trunk 0.21.14 (0.22 needs a newer rustc); building it takes ~12 minutes,
# so only when missing.
trunk_version=0.21.14
if ! trunk --version 2>/dev/null | grep -q " ${trunk_version}$"; then
  say "installing trunk ${trunk_version} (once; ~12 min on 2 cores)"
  cargo install --root "$tools_root" trunk --version "${trunk_version}" --locked --no-default-features --features rustls
fi

# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, or Trunk tries
# to download one. (No --locked: its own lockfile pins a yanked crate.)
wb_version=$(awk '$0=="name = \"wasm-bindgen\"" {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${wb_version}$"; then
  say "installing wasm-bindgen-cli ${wb_version} (once; ~3 min)"
  cargo install --root "$tools_root" wasm-bindgen-cli --version "=${wb_version}"
fi

# Node tooling from npm: wasm-opt (binaryen 132; Debian's 108 breaks the
# externref table), Playwright (drives Debian's Chromium, never downloads
# one) and Redocly CLI (lints the OpenAPI contract).
command -v npm >/dev/null || { say "installing nodejs + npm"; apt_install nodejs npm; }
if [[ ! -x node_modules/.bin/wasm-opt || ! -x node_modules/.bin/playwright || ! -x node_modules/.bin/redocly \
      || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm packages"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

# Every crate any build needs, for every target in the lockfile (server,
# SPA and console wasm, tests). Trunk builds with cargo --offline, so a crate
# missing here fails the SPA build; on an empty cache this takes ~1-3 min.
say "fetching crates (cargo fetch --locked)"
started=$SECONDS
cargo fetch --locked --quiet
say "crates ready ($((SECONDS - started)) s)"

# PostgreSQL 15 for the second backend's tests (scripts/postgres.sh runs a
# throw-away cluster from it; nothing is started here).
if [[ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
  say "installing Debian's postgresql"
  apt_install postgresql
fi

if [[ $with_browser == 1 ]]; then
  if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
    say "installing Debian's chromium + chromium-driver"
    apt_install chromium chromium-driver
  fi
fi
# schemathesis (PyPI) for the contract check, in a venv of the project's.
if [[ $with_contract == 1 ]] && ! .venv-tools/bin/schemathesis --version 2>/dev/null | grep -q "4.32.5"; then
  say "installing schemathesis 4.32.5 into .venv-tools (once; ~1 min)"
  python3 -m venv .venv-tools
  .venv-tools/bin/pip install --quiet --disable-pip-version-check schemathesis==4.32.5
fi
# aiosmtpd (PyPI): the SMTP server tests start on a free port (tests/smtp_sink.py).
if [[ $with_smtp == 1 ]] && ! .venv-tools/bin/python -c "import aiosmtpd" 2>/dev/null; then
  say "installing aiosmtpd 1.4.6 into .venv-tools (once)"
  [[ -x .venv-tools/bin/python ]] || python3 -m venv .venv-tools
  .venv-tools/bin/pip install --quiet --disable-pip-version-check aiosmtpd==1.4.6
fi
say "ready"
