#!/bin/sh
# Save-to-reload benchmark of `tsunagu serve`: builds tsunagu in release
# mode, then runs examples/serve_bench.rs with the given options, e.g.
#   scripts/bench-serve.sh --entries 10000 --runs 20 --markdown docs/benchmarks.md
# The portal comes from the build benchmark's cache (generate it with
# `scripts/bench.sh --sizes 10000 --runs 1 --no-competitors`).
# See `scripts/bench-serve.sh --help` and docs/benchmarks.md.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --bin tsunagu
exec cargo run --release --example serve_bench -- "$@"
