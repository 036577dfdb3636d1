//! The browser side of search, built from `search-index/wasm/` and embedded
//! in the binary so a portal folder anywhere gets search with no extra
//! tools. `scripts/build-wasm.sh --verify` checks the checked-in module
//! against its source.

use crate::output::fingerprint::Fnv1a;
use crate::output::OutputFile;

/// Tera template for the search page body (form, results, noscript).
pub const SEARCH_APP_TEMPLATE: &str = include_str!("../search-index/wasm/dist/search.html");
/// The glue: loads the module and the index on first use, renders results.
pub const SEARCH_JS: &str = include_str!("../search-index/wasm/dist/search.js");
/// tantivy and the shared query code, compiled to wasm32.
pub const SEARCH_WASM: &[u8] = include_bytes!("../search-index/wasm/dist/tsunagu_search.wasm");
/// The module's compressed copies, made once at the strongest levels
/// (`cargo run --example compress-search-module` after
/// `scripts/build-wasm.sh`; the test `prepared_copies_are_of_this_module`
/// fails when they are stale).
pub const SEARCH_WASM_BR: &[u8] =
    include_bytes!("../search-index/wasm/dist/tsunagu_search.wasm.br");
pub const SEARCH_WASM_GZ: &[u8] =
    include_bytes!("../search-index/wasm/dist/tsunagu_search.wasm.gz");
/// Offline support; `__TSUNAGU_BUILD_ID__` is replaced per build.
pub const SERVICE_WORKER: &str = include_str!("../search-index/wasm/dist/sw.js");

/// Where each file goes in the output. The worker sits at the site root so
/// its scope covers every page.
pub const SEARCH_JS_PATH: &str = "search/search.js";
pub const SEARCH_WASM_PATH: &str = "search/tsunagu_search.wasm";
pub const SERVICE_WORKER_PATH: &str = "sw.js";

/// The glue as the build writes it: minified unless `--no-minify`.
fn search_js(minify: bool) -> Vec<u8> {
    prepared(SEARCH_JS_PATH, SEARCH_JS.as_bytes(), minify)
}

/// `bytes`, minified when asked. The embedded files are tested to minify
/// (`embedded_scripts_minify`), so the fallback to the bytes as written
/// never happens in a released binary.
fn prepared(path: &str, bytes: &[u8], minify: bool) -> Vec<u8> {
    match minify.then(|| crate::output::minify::minify(path, bytes)) {
        Some(Ok(Some(min))) => min,
        _ => bytes.to_vec(),
    }
}

/// `search/search.<hash>.js`: the name pages load the glue by (through
/// the templates' `asset()`), so hosts may cache it for a long time.
pub fn search_js_hashed_path(minify: bool) -> String {
    crate::output::fingerprint::hashed_path(SEARCH_JS_PATH, &search_js(minify))
        .unwrap_or_else(|| SEARCH_JS_PATH.to_string())
}

/// The files [`files`] makes: not part of what versions them.
pub fn paths() -> Vec<String> {
    vec![
        SEARCH_JS_PATH.to_string(),
        search_js_hashed_path(false),
        search_js_hashed_path(true),
        SEARCH_WASM_PATH.to_string(),
        SERVICE_WORKER_PATH.to_string(),
    ]
}

/// A short id that changes whenever a file the service worker caches
/// cache-first changes (the index, CSS, scripts, images: everything but
/// HTML, which it fetches network-first), so a new build's worker starts a
/// fresh cache and a cached index never outlives its build. Leaving the
/// HTML out keeps this cheap on large portals. FNV-1a over sorted paths
/// and contents.
pub fn build_id(files: &[OutputFile]) -> String {
    let mut sorted: Vec<&OutputFile> = files
        .iter()
        .filter(|f| !f.path.ends_with(".html"))
        .collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut h = Fnv1a::default();
    for f in sorted {
        h.part(f.path.as_bytes()).part(&f.bytes);
    }
    format!("{:016x}", h.finish())
}

/// The copies of the module the output's staging uses instead of
/// compressing it again on every build.
pub fn prepared_copies() -> [crate::output::precompress::PreparedCopy; 2] {
    use crate::output::precompress::{Encoding, PreparedCopy};
    [
        PreparedCopy {
            original: SEARCH_WASM,
            encoding: Encoding::Brotli,
            bytes: SEARCH_WASM_BR,
        },
        PreparedCopy {
            original: SEARCH_WASM,
            encoding: Encoding::Gzip,
            bytes: SEARCH_WASM_GZ,
        },
    ]
}

/// The search files for one build.
pub fn files(build_id: &str, minify: bool) -> Vec<OutputFile> {
    let glue = search_js(minify);
    let worker = SERVICE_WORKER.replace("__TSUNAGU_BUILD_ID__", build_id);
    vec![
        OutputFile {
            path: SEARCH_JS_PATH.into(),
            bytes: glue.clone(),
        },
        OutputFile {
            path: search_js_hashed_path(minify),
            bytes: glue,
        },
        OutputFile {
            path: SEARCH_WASM_PATH.into(),
            bytes: SEARCH_WASM.to_vec(),
        },
        OutputFile {
            path: SERVICE_WORKER_PATH.into(),
            bytes: prepared(SERVICE_WORKER_PATH, worker.as_bytes(), minify),
        },
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn prepared_copies_are_of_this_module() {
        use std::io::Read;
        let mut br = Vec::new();
        let mut gz = Vec::new();
        let fresh = brotli::Decompressor::new(super::SEARCH_WASM_BR, 4096)
            .read_to_end(&mut br)
            .is_ok()
            && flate2::read::GzDecoder::new(super::SEARCH_WASM_GZ)
                .read_to_end(&mut gz)
                .is_ok()
            && br == super::SEARCH_WASM
            && gz == super::SEARCH_WASM;
        assert!(
            fresh,
            "search-index/wasm/dist/tsunagu_search.wasm.br/.gz are not copies of tsunagu_search.wasm: run `cargo run --release --example compress-search-module`"
        );
    }

    #[test]
    fn embedded_scripts_minify() {
        for (path, text) in [
            (super::SEARCH_JS_PATH, super::SEARCH_JS),
            (super::SERVICE_WORKER_PATH, super::SERVICE_WORKER),
        ] {
            let min = crate::output::minify::minify(path, text.as_bytes())
                .unwrap_or_else(|e| panic!("{path}: {e}"))
                .expect("a script");
            assert!(min.len() < text.len(), "{path}");
        }
        let worker = super::files("0123456789abcdef", true);
        let sw = worker
            .iter()
            .find(|f| f.path == super::SERVICE_WORKER_PATH)
            .unwrap();
        assert!(
            String::from_utf8_lossy(&sw.bytes).contains("'0123456789abcdef'"),
            "the build id survives minifying"
        );
    }
}
