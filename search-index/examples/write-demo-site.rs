//! Writes a minimal site around the browser files, for the browser test
//! (`wasm/test/browser.mjs`) and for trying the search page by hand:
//!
//! ```text
//! cargo run -p tsunagu-search --example write-demo-site -- OUT_DIR [BASE]
//! ```
//!
//! `OUT_DIR` receives the files where the tsunagu CLI puts them:
//! `search-index/index.bin` and `search-index/index-body.bin` (the
//! fixture), `search/tsunagu_search.wasm`,
//! `search/search.js`, `sw.js` (with a build id), `style.css`, and
//! `search/index.html`: the `wasm/dist/search.html` fragment rendered with
//! tera inside a bare page that loads search.js from its head, as the
//! theme does. `BASE` is the URL path the directory will be served under
//! (default `/`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tera::{Context, Tera};
use tsunagu_search::{build_bundles, SearchDoc, Synonyms};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("write-demo-site: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .map(PathBuf::from)
        .ok_or("usage: write-demo-site OUT_DIR [BASE]")?;
    let base = args.next().unwrap_or_else(|| "/".to_owned());
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dist = crate_dir.join("wasm/dist");
    let read =
        |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()));
    let write = |name: &str, bytes: &[u8]| {
        let path = out.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    };

    let docs: Vec<SearchDoc> =
        serde_json::from_str(&read(&crate_dir.join("tests/fixtures/docs.json"))?)
            .map_err(|e| format!("docs.json: {e}"))?;
    let synonyms: Synonyms =
        serde_json::from_str(&read(&crate_dir.join("tests/fixtures/synonyms.json"))?)
            .map_err(|e| format!("synonyms.json: {e}"))?;
    let bundles = build_bundles(&docs, &synonyms).map_err(|e| e.to_string())?;
    write("search-index/index.bin", &bundles.index)?;
    write("search-index/index-body.bin", &bundles.body)?;
    let bundle = [bundles.index.as_slice(), bundles.body.as_slice()].concat();

    let wasm = dist.join("tsunagu_search.wasm");
    write(
        "search/tsunagu_search.wasm",
        &std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?,
    )?;
    write(
        "search/search.js",
        read(&dist.join("search.js"))?.as_bytes(),
    )?;
    let build_id = format!("demo-{:08x}", crc32(&bundle));
    write(
        "sw.js",
        read(&dist.join("sw.js"))?
            .replace("__TSUNAGU_BUILD_ID__", &build_id)
            .as_bytes(),
    )?;
    write("style.css", b"mark { background: #ffe680; }\n")?;

    let mut vocabulary = serde_json::json!({
        "kinds": [
            {"value": "center", "label": "相談窓口"},
            {"value": "organization", "label": "団体"},
            {"value": "event", "label": "イベント"},
            {"value": "cafeteria", "label": "食堂・居場所"},
            {"value": "page", "label": "記事"}
        ],
    });
    let collect = |f: fn(&SearchDoc) -> Vec<String>| {
        let mut values: Vec<String> = docs.iter().flat_map(f).collect();
        values.sort();
        values.dedup();
        values
    };
    vocabulary["categories"] = collect(|d| d.categories.clone()).into();
    vocabulary["audience"] = collect(|d| d.audience.clone()).into();
    vocabulary["methods"] = collect(|d| d.methods.clone()).into();
    vocabulary["areas"] = collect(|d| {
        let steps: Vec<&str> = d.area.as_deref().unwrap_or("").split('/').collect();
        (1..=steps.len())
            .map(|n| steps[..n].join("/"))
            .filter(|a| !a.is_empty())
            .collect()
    })
    .into();

    let mut tera = Tera::default();
    tera.add_raw_template("search.html", &read(&dist.join("search.html"))?)
        .map_err(|e| format!("search.html: {e}"))?;
    // The theme's asset(): this test site writes its files under their
    // plain names, so the name is the path itself.
    tera.register_function(
        "asset",
        |args: &std::collections::HashMap<String, tera::Value>| {
            args.get("path")
                .filter(|v| v.is_string())
                .cloned()
                .ok_or_else(|| tera::Error::msg("asset() needs path"))
        },
    );
    let mut context = Context::new();
    context.insert("base", &base);
    context.insert("vocabulary", &vocabulary);
    let body = tera
        .render("search.html", &context)
        .map_err(|e| format!("search.html: {e:?}"))?;
    let page = format!(
        "<!doctype html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n{CSP}\n\
         <meta name=\"tsunagu-base\" content=\"{base}\">\n<title>検索</title>\n\
         <link rel=\"stylesheet\" href=\"{base}style.css\">\n\
         <script src=\"{base}search/search.js\" defer></script>\n</head>\n<body>\n<main>\n\
         <h1>サイト内検索</h1>\n{body}\n</main>\n</body>\n</html>\n"
    );
    write("search/index.html", page.as_bytes())?;
    println!("demo site ({} documents) → {}", docs.len(), out.display());
    Ok(())
}

/// The Content-Security-Policy of tsunagu's pages, so the browser test
/// proves search works under it (WebAssembly needs 'wasm-unsafe-eval').
const CSP: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
    worker-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'\">";

/// Build id for sw.js: changes when the index does.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}
