#!/usr/bin/env bash
# The search module's provenance: a SHA-256 over every file that goes into
# search-index/wasm/dist/tsunagu_search.wasm (the shared crate's sources and
# manifest, the wasm crate's sources, manifest, lock file and cargo config,
# and the build script).
#
#   scripts/wasm-source-hash.sh           print the hash of the tree
#   scripts/wasm-source-hash.sh --check   fail unless it equals dist/SOURCE-HASH
#
# scripts/build-wasm.sh writes dist/SOURCE-HASH with every build, so
# `--check` fails when the sources changed and the module was not rebuilt.
# It is instant; the byte-for-byte rebuild (`scripts/build-wasm.sh
# --verify`, which scripts/test.sh runs after it) is stricter and takes
# minutes.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
hash=$(
  {
    find search-index/src search-index/wasm/src -type f -name '*.rs'
    printf '%s\n' search-index/Cargo.toml search-index/wasm/Cargo.toml search-index/wasm/Cargo.lock \
      search-index/wasm/.cargo/config.toml scripts/build-wasm.sh
  } | LC_ALL=C sort | while read -r f; do
    printf '%s\n' "$f"
    sha256sum < "$f"
  done | sha256sum | cut -d' ' -f1
)
case "${1:-}" in
  "") echo "$hash" ;;
  --check)
    recorded=$(cat search-index/wasm/dist/SOURCE-HASH 2>/dev/null || echo none)
    if [ "$hash" != "$recorded" ]; then
      echo "search module is out of date: sources hash to $hash, dist/SOURCE-HASH says $recorded" >&2
      echo "run scripts/build-wasm.sh and commit search-index/wasm/dist/" >&2
      exit 1
    fi
    echo "search module matches its sources ($hash)"
    ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
