//! Writes the search module's compressed copies beside it, at the strongest
//! levels (brotli 11, gzip 9): `search-index/wasm/dist/tsunagu_search.wasm.br`
//! and `.gz`. Run after `scripts/build-wasm.sh` and commit them; builds
//! embed them instead of compressing the module each time (see
//! `tsunagu::search_assets::prepared_copies`).
//!
//!   cargo run --release --example compress-search-module

use std::process::ExitCode;
use tsunagu::output::precompress::{compress_strongest, Encoding};

fn main() -> ExitCode {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("search-index/wasm/dist");
    let wasm = dist.join("tsunagu_search.wasm");
    let bytes = match std::fs::read(&wasm) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: reading {}: {e}", wasm.display());
            return ExitCode::FAILURE;
        }
    };
    for encoding in [Encoding::Brotli, Encoding::Gzip] {
        let target = dist.join(format!("tsunagu_search.wasm{}", encoding.suffix()));
        let written = compress_strongest(&bytes, encoding)
            .and_then(|copy| std::fs::write(&target, &copy).map(|()| copy.len()));
        match written {
            Ok(n) => println!("{}: {} bytes (from {})", target.display(), n, bytes.len()),
            Err(e) => {
                eprintln!("error: writing {}: {e}", target.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
