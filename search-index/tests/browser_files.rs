//! Checks on the browser files in `wasm/dist/` that can be made without a
//! browser: the template renders with tera (as the theme includes it) and
//! escapes what it is given; the scripts keep their contracts with the CLI.

use std::path::Path;

use tera::{Context, Tera};

fn dist(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("wasm/dist")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn render(base: &str) -> String {
    let mut tera = Tera::default();
    tera.add_raw_template("search.html", &dist("search.html"))
        .expect("template parses");
    // As the theme registers it: the content-hashed name of a static file.
    tera.register_function(
        "asset",
        |args: &std::collections::HashMap<String, tera::Value>| {
            let path = args
                .get("path")
                .and_then(|v| v.as_str())
                .ok_or_else(|| tera::Error::msg("asset() needs path"))?;
            Ok(tera::Value::String(path.replacen(
                ".js",
                ".0123456789.js",
                1,
            )))
        },
    );
    let mut context = Context::new();
    context.insert("base", base);
    context.insert(
        "vocabulary",
        &serde_json::json!({
            "kinds": [{"value": "center", "label": "相談窓口"}, {"value": "event", "label": "イベント"}],
            "categories": ["ひきこもり", "<b>家族会</b>"],
            "areas": ["広島市", "広島市/中区"],
            "audience": ["本人", "家族"],
            "methods": ["電話", "\"来所\""],
        }),
    );
    tera.render("search.html", &context)
        .expect("template renders")
}

#[test]
fn template_renders_form_results_status_and_noscript() {
    // tera escapes `/` as `&#x2F;`, which attributes decode back.
    let html = render("/sub/path/").replace("&#x2F;", "/");
    for needle in [
        r#"<form class="ts-search-form" method="get" action="/sub/path/search/""#,
        r#"<input type="search" id="ts-q" name="q""#,
        r#"<select id="ts-kind" name="kind">"#,
        r#"<option value="center">相談窓口</option>"#,
        r#"<select id="ts-category" name="category">"#,
        r#"<option value="ひきこもり">ひきこもり</option>"#,
        r#"<select id="ts-area" name="area">"#,
        r#"<option value="広島市/中区">広島市/中区</option>"#,
        r#"<select id="ts-audience" name="audience">"#,
        r#"<select id="ts-method" name="method">"#,
        r#"<input type="checkbox" name="free" value="1">"#,
        r#"<input type="checkbox" name="anonymous" value="1">"#,
        r#"<ol id="ts-results""#,
        r#"data-opening="/sub/path/opening.0123456789.js""#,
        r#"<p id="ts-status" class="ts-status" role="status" aria-live="polite">"#,
        "<noscript>",
        r#"<a href="/sub/path/centers/">"#,
        r#"<a href="/sub/path/categories/">"#,
        r#"<a href="/sub/path/areas/">"#,
    ] {
        assert!(html.contains(needle), "missing {needle}\n{html}");
    }
}

#[test]
fn template_leaves_script_loading_to_the_theme() {
    // The theme loads search/search.js in its head; a second tag here
    // would load it twice (or from a wrong path).
    assert!(!render("/").contains("<script"));
}

#[test]
fn template_escapes_vocabulary() {
    let html = render("/");
    assert!(!html.contains("<b>家族会</b>"));
    assert!(html.contains("&lt;b&gt;家族会&lt;&#x2F;b&gt;"));
    assert!(html.contains("&quot;来所&quot;"));
}

#[test]
fn service_worker_has_the_build_id_placeholder() {
    let sw = dist("sw.js");
    assert!(sw.contains("'__TSUNAGU_BUILD_ID__'"));
    assert!(sw.contains("tsunagu_search.wasm") && sw.contains("index.bin"));
}

#[test]
fn search_script_uses_inner_html_only_for_the_highlighted_summary() {
    let js = dist("search.js");
    let uses: Vec<&str> = js
        .lines()
        .filter(|line| line.contains("innerHTML"))
        .collect();
    assert_eq!(uses, ["      summary.innerHTML = hit.summary_highlighted;"]);
    assert!(!js.contains("eval(") && !js.contains("document.write"));
}

#[test]
fn wasm_hash_file_matches_the_module() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("wasm/dist/tsunagu_search.wasm");
    let bytes = std::fs::read(&path).expect("module is checked in");
    assert_eq!(&bytes[..4], b"\0asm");
    let recorded = dist("tsunagu_search.wasm.sha256");
    let hash = recorded.split_whitespace().next().unwrap_or("");
    assert_eq!(
        hash,
        sha256_hex(&bytes),
        "dist/tsunagu_search.wasm.sha256 is stale"
    );
    assert!(recorded.trim_end().ends_with("  tsunagu_search.wasm"));
}

/// FIPS 180-4 SHA-256 (a test-only dependency would be heavier than this).
fn sha256_hex(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (slot, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *slot = slot.wrapping_add(value);
        }
    }
    h.iter().map(|v| format!("{v:08x}")).collect()
}

#[test]
fn sha256_known_answer() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}
