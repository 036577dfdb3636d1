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

# CI builds once from a clean clone: incremental caches would only take
# disk (about a gigabyte) for a second build that never comes.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
step "disk free before the build"
df -h . | tail -1

step "cargo test (workspace)"
cargo test --workspace --locked 2>&1

if [ "$quick" = 1 ]; then exit 0; fi


# Chromium and Japanese fonts for the browser tests and screenshots;
# poppler-utils (pdftotext) reads back what a printed sheet holds.
apt_install chromium fonts-noto-cjk poppler-utils
# A Java runtime for the W3C Nu Html Checker (npm's vnu-jar), when the
# machine has none.
command -v java >/dev/null 2>&1 || apt_install default-jre-headless

step "search wasm module: the checked-in build matches its sources"
# Provenance first (instant): dist/SOURCE-HASH, written by
# scripts/build-wasm.sh, must be the hash of the current sources.
scripts/wasm-source-hash.sh --check
# Then byte for byte: rebuild from scratch in a temporary directory and
# compare (reproducible across checkout paths since the staged build). The
# bytes depend on the rustc version recorded in dist/BUILD-INFO, so that
# toolchain is installed through rustup when it is not the active one;
# build-wasm.sh adds the wasm32 target and the pinned wasm-opt itself.
# Measured from a fresh clone with a cold target directory (crates already
# downloaded) on 2 busy cores: 4 min 4 s, 2.5 min of CPU (see
# search-index/README.md, "Building and verifying").
wasm_rustc=$(sed -n 's/^rustc //p' search-index/wasm/dist/BUILD-INFO)
# The toolchain and target come from rustup's servers. A machine that
# cannot reach them still runs the provenance check above; it says so
# loudly instead of failing the whole suite on a download. A mismatch in
# the bytes, once the rebuild runs, always fails.
wasm_toolchain=""
if [ "$(rustc -vV | sed -n 's/^release: //p')" = "$wasm_rustc" ]; then
  wasm_toolchain=$(rustup show active-toolchain | cut -d' ' -f1)
elif rustup toolchain list | grep -q "^$wasm_rustc-" ||
  rustup toolchain install --profile minimal "$wasm_rustc"; then
  wasm_toolchain=$wasm_rustc
fi
if [ -n "$wasm_toolchain" ] && {
  rustup +"$wasm_toolchain" target list --installed | grep -qx wasm32-unknown-unknown ||
    rustup +"$wasm_toolchain" target add wasm32-unknown-unknown
}; then
  RUSTUP_TOOLCHAIN=$wasm_toolchain scripts/build-wasm.sh --verify
else
  echo "WARNING: rustc $wasm_rustc with the wasm32-unknown-unknown target could not be installed;" >&2
  echo "WARNING: the byte-for-byte rebuild of the search module was SKIPPED (provenance check passed)." >&2
fi

step "search wasm module under node and in Chromium"
(cd search-index/wasm && npm_ready && node --test test/)

step "browser tests of the built demo portal (headless Chromium)"
(cd tests/browser && npm_ready)
# The debug binary from `cargo test` above is enough: no release build needed.
node --test tests/browser/

step "all tests passed"
