#!/usr/bin/env bash
# Builds the browser search module search-index/wasm/dist/tsunagu_search.wasm
# (checked in; the tsunagu binary embeds it) and its .sha256.
#
#   scripts/build-wasm.sh            build, optimise, update dist/
#   scripts/build-wasm.sh --verify   rebuild from scratch in a temporary
#                                    directory and fail unless the bytes
#                                    equal the checked-in module
#
# Installs what it needs when missing: the wasm32-unknown-unknown rustup
# target and, through `npm ci` in search-index/wasm/, the pinned binaryen
# (wasm-opt). The build is reproducible: no debug info, every absolute
# path (repository, CARGO_HOME, target directory) remapped, locked
# dependencies, and the crates built from a staged copy whose workspace
# contains both (see below), so the output depends only on the sources,
# Cargo.lock and the toolchain versions recorded in dist/BUILD-INFO, not
# on where the repository is checked out.
#
# Environment: TSUNAGU_WASM_TARGET_DIR overrides the cargo target
# directory for normal builds (default: search-index/wasm/target).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
WASM_DIR=$ROOT/search-index/wasm
DIST=$WASM_DIR/dist
NAME=tsunagu_search.wasm

mode=build
case "${1:-}" in
  "") ;;
  --verify) mode=verify ;;
  -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
  *) echo "usage: $0 [--verify]" >&2; exit 2 ;;
esac

say() { printf '%s\n' "build-wasm: $*" >&2; }
die() { say "error: $*"; exit 1; }

command -v cargo >/dev/null || die "cargo not found (install Rust with rustup)"
command -v rustup >/dev/null || die "rustup not found (needed to add the wasm32 target)"
command -v npm >/dev/null || die "npm not found (needed for binaryen's wasm-opt)"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

BINARYEN_VERSION=$(sed -n 's/.*"binaryen": *"\([^"]*\)".*/\1/p' "$WASM_DIR/package.json")
[ -n "$BINARYEN_VERSION" ] || die "cannot read the binaryen version from package.json"
WASM_OPT=$WASM_DIR/node_modules/.bin/wasm-opt
if ! "$WASM_OPT" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}\b"; then
  say "installing binaryen $BINARYEN_VERSION (npm ci)"
  (cd "$WASM_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi

RUSTC_RELEASE=$(rustc -vV | sed -n 's/^release: //p')
BUILD_INFO="rustc $RUSTC_RELEASE
binaryen $BINARYEN_VERSION"

if [ "$mode" = verify ]; then
  [ -f "$DIST/$NAME" ] || die "$DIST/$NAME does not exist; run $0 first"
  if [ -f "$DIST/BUILD-INFO" ] && [ "$(cat "$DIST/BUILD-INFO")" != "$BUILD_INFO" ]; then
    die "the checked-in module was built with
$(cat "$DIST/BUILD-INFO")
but this machine has
$BUILD_INFO
The bytes depend on these versions: install the recorded ones (rustup toolchain install <version>) or rebuild and commit dist/."
  fi
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/tsunagu-wasm-verify.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  TARGET=$WORK/target
  OUT_DIR=$WORK/out
else
  TARGET=${TSUNAGU_WASM_TARGET_DIR:-$WASM_DIR/target}
  OUT_DIR=$DIST
fi
mkdir -p "$TARGET" "$OUT_DIR"
TARGET=$(cd "$TARGET" && pwd -P)
CARGO_HOME_DIR=$(cd "${CARGO_HOME:-$HOME/.cargo}" && pwd -P)

# Cargo derives every crate's symbol hashes (`-C metadata`) from its
# package id, and for a path dependency outside the workspace root that id
# holds the absolute path: with search-index/wasm/ as its own workspace,
# the shared crate (search-index/) is outside it, and two checkouts gave
# modules differing in a few bytes (symbols sort differently, and with
# them the string constants). So the build runs on a copy laid out like
# the repository, under a generated root manifest whose workspace holds
# both crates: every path in a package id is then relative to that root.
# The copy keeps modification times, so unchanged crates are not rebuilt.
STAGE=$TARGET/stage
rm -rf "$STAGE"
mkdir -p "$STAGE/search-index/wasm"
cp -Rp "$ROOT/search-index/src" "$STAGE/search-index/"
cp -Rp "$WASM_DIR/src" "$STAGE/search-index/wasm/"
cp -p "$WASM_DIR/Cargo.lock" "$STAGE/Cargo.lock"
# The shared crate without what building it for the module does not use
# (its dev-dependencies would have to be in the lock file; its tests and
# examples are not copied).
awk '/^\[/ { skip = ($0 ~ /^\[(dev-dependencies|\[test\]|\[example\]|\[bench\])\]/) } !skip' \
  "$ROOT/search-index/Cargo.toml" > "$STAGE/search-index/Cargo.toml"
touch -r "$ROOT/search-index/Cargo.toml" "$STAGE/search-index/Cargo.toml"
# The wasm crate without its own [workspace] and [profile.*] tables, which
# go to the root manifest with the root's [workspace.package] values.
section() { awk -v want="$2" '/^\[/ { on = ($0 ~ want) } on' "$1"; }
awk '/^\[/ { skip = ($0 ~ /^\[(workspace|profile\.)/) } !skip' \
  "$WASM_DIR/Cargo.toml" > "$STAGE/search-index/wasm/Cargo.toml"
touch -r "$WASM_DIR/Cargo.toml" "$STAGE/search-index/wasm/Cargo.toml"
{
  printf '# Generated by scripts/build-wasm.sh.\n[workspace]\nmembers = ["search-index/wasm"]\nresolver = "2"\n\n'
  section "$ROOT/Cargo.toml" '^\\[workspace\\.package\\]'
  printf '\n'
  section "$WASM_DIR/Cargo.toml" '^\\[profile\\.'
} > "$STAGE/Cargo.toml"
touch -r "$WASM_DIR/Cargo.toml" "$STAGE/Cargo.toml"

# RUSTFLAGS replace `.cargo/config.toml`'s rustflags, so the getrandom
# backend is repeated here. The later remaps win for nested paths, hence
# the target directory (possibly inside the repository) and the staged
# copy inside it come last; the copy maps to where the repository does,
# so paths in the module read as before.
flags=(
  --cfg 'getrandom_backend="custom"'
  -C debuginfo=0
  "--remap-path-prefix=$CARGO_HOME_DIR=/cargo"
  "--remap-path-prefix=$ROOT=/tsunagu"
  "--remap-path-prefix=$TARGET=/target"
  "--remap-path-prefix=$STAGE=/tsunagu"
)
CARGO_ENCODED_RUSTFLAGS=$(IFS=$'\x1f'; printf '%s' "${flags[*]}")
export CARGO_ENCODED_RUSTFLAGS
unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS

say "cargo build ($mode, target dir $TARGET)"
cargo build --release --locked --target wasm32-unknown-unknown \
  --manifest-path "$STAGE/search-index/wasm/Cargo.toml" --target-dir "$TARGET"
RAW=$TARGET/wasm32-unknown-unknown/release/tsunagu_search_wasm.wasm

# `strip = true` removes the target-features section, so wasm-opt is told
# the post-MVP features rustc's default wasm32 CPU uses (all supported by
# every browser with WebAssembly since 2021).
say "wasm-opt -Oz"
"$WASM_OPT" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals \
  "$RAW" -o "$OUT_DIR/$NAME"
(cd "$OUT_DIR" && sha256sum "$NAME" > "$NAME.sha256")

if [ "$mode" = verify ]; then
  if cmp -s "$OUT_DIR/$NAME" "$DIST/$NAME"; then
    say "OK: rebuilt module is byte-identical to dist/$NAME ($(cut -d' ' -f1 "$OUT_DIR/$NAME.sha256"))"
  else
    die "rebuilt module differs from dist/$NAME
  checked in: $(sha256sum "$DIST/$NAME" | cut -d' ' -f1)
  rebuilt:    $(cut -d' ' -f1 "$OUT_DIR/$NAME.sha256")
Run $0 and commit search-index/wasm/dist/."
  fi
  if ! (cd "$DIST" && sha256sum --check --status "$NAME.sha256"); then
    die "dist/$NAME.sha256 does not match dist/$NAME"
  fi
else
  printf '%s\n' "$BUILD_INFO" > "$DIST/BUILD-INFO"
  say "wrote dist/$NAME ($(wc -c < "$DIST/$NAME") bytes, $(gzip -9 -c "$DIST/$NAME" | wc -c) gzipped)"
  # Provenance for CI (scripts/wasm-source-hash.sh --check).
  "$ROOT/scripts/wasm-source-hash.sh" > "$DIST/SOURCE-HASH"
fi
