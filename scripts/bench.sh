#!/bin/sh
# Build benchmark: builds tsunagu in release mode, then runs the harness
# (examples/bench.rs) with the given options, e.g.
#   scripts/bench.sh --sizes 1000,10000,100000 --markdown docs/benchmarks.md
# See `scripts/bench.sh --help` and docs/benchmarks.md.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --bin tsunagu
exec cargo run --release --example bench -- "$@"
