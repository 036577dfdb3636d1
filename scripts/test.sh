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

step "cargo test (workspace)"
cargo test --workspace --locked 2>&1

if [ "$quick" = 1 ]; then exit 0; fi

if [ -x scripts/build-wasm.sh ]; then
  step "search wasm module: rebuild and compare with the checked-in build"
  scripts/build-wasm.sh --verify
fi

if [ -d search-index/wasm/test ]; then
  step "search wasm module under node"
  node --test search-index/wasm/test/
fi

if [ -f tests/browser/package.json ]; then
  # Japanese fonts so screenshots show text, not boxes.
  apt_install chromium fonts-noto-cjk
  step "browser tests (headless Chromium)"
  (cd tests/browser && { [ -d node_modules ] || npm ci --no-audit --no-fund; })
  cargo build --release --locked
  node --test tests/browser/
fi

step "all tests passed"
