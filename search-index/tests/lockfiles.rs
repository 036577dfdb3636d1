//! The index is written by the native build (root `Cargo.lock`) and read
//! by the wasm module (its own `wasm/Cargo.lock`). Every crate that shapes
//! the index bytes or the text analysis must resolve to the same version
//! in both, or the browser could misread the index or normalise queries
//! differently from the indexer.

use std::collections::BTreeMap;
use std::path::Path;

/// Crates whose versions must agree: the tantivy family (file formats,
/// scoring), the codecs it uses, and the Unicode tables of the analyser.
const MUST_AGREE: &[&str] = &[
    "tantivy",
    "tantivy-bitpacker",
    "tantivy-columnar",
    "tantivy-common",
    "tantivy-fst",
    "tantivy-sstable",
    "tantivy-stacker",
    "tantivy-tokenizer-api",
    "ownedbytes",
    "bitpacking",
    "lz4_flex",
    "unicode-normalization",
];

/// `name → versions` from a Cargo.lock (a name may resolve to several).
fn versions(lock: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_owned());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
            out.entry(n)
                .or_default()
                .push(v.trim_matches('"').to_owned());
        }
    }
    out
}

#[test]
fn native_and_wasm_lock_files_agree_on_format_crates() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read =
        |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let native = versions(&read(&here.join("../Cargo.lock")));
    let wasm = versions(&read(&here.join("wasm/Cargo.lock")));
    for name in MUST_AGREE {
        let (Some(n), Some(w)) = (native.get(*name), wasm.get(*name)) else {
            panic!("{name} is missing from a lock file");
        };
        assert_eq!(
            n, w,
            "{name}: native {n:?} vs wasm {w:?}; align the lock files (cargo update -p {name} --precise …) and rebuild the wasm module"
        );
    }
}
