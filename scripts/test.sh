#!/usr/bin/env bash
# Runs every test of tsunagu, on a fresh machine too: whatever the tests
# need (the wasm target, Chromium, npm packages) is installed when missing.
#
#   scripts/test.sh            everything
#   scripts/test.sh --quick    Rust tests only
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

step() { printf '\n== %s\n' "$*"; }
need_root() { if [ "$(id -u)" -ne 0 ]; then echo "sudo"; fi; }

apt_install() {
  # Debian packages, installed only when not installed yet.
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]}"
    $(need_root) apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $(need_root) apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# npm packages as locked, installed again whenever the lock file changed.
npm_ready() {
  [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
}

step "cargo test (workspace)"
cargo test --workspace --locked 2>&1

if [ "$quick" = 1 ]; then exit 0; fi


# Chromium and Japanese fonts for the browser tests and screenshots.
apt_install chromium fonts-noto-cjk

step "search wasm module: the checked-in build matches its sources"
# dist/SOURCE-HASH is written by scripts/build-wasm.sh; a byte-for-byte
# rebuild (scripts/build-wasm.sh --verify) is not yet reproducible across
# checkout paths, so CI checks provenance.
scripts/wasm-source-hash.sh --check

step "search wasm module under node and in Chromium"
(cd search-index/wasm && npm_ready && node --test test/)

step "browser tests of the built demo portal (headless Chromium)"
(cd tests/browser && npm_ready)
# The debug binary from `cargo test` above is enough: no release build needed.
node --test tests/browser/

step "all tests passed"
