//! What a static host gets: compressed copies beside the assets it serves
//! most (docs/publishing.md), byte-stable, reused from the previous
//! output, and none when turned off.

mod common;

use common::*;
use std::io::Read;

fn decompress(path: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    if path.ends_with(".br") {
        brotli_decompress(bytes, &mut out);
    } else {
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
    }
    out
}

fn brotli_decompress(bytes: &[u8], out: &mut Vec<u8>) {
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(out)
        .unwrap();
}

#[test]
fn assets_and_the_index_get_stable_compressed_copies() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert_ok(&build(&repo(), &out));
    let files = tree(&out);
    let copies: Vec<&String> = files
        .keys()
        .filter(|p| p.ends_with(".br") || p.ends_with(".gz"))
        .collect();
    for wanted in [
        "style.css",
        "search/tsunagu_search.wasm",
        "search/search.js",
    ] {
        for ext in [".br", ".gz"] {
            assert!(
                files.contains_key(&format!("{wanted}{ext}")),
                "no {wanted}{ext}"
            );
        }
    }
    assert!(
        copies.iter().any(|p| p.starts_with("search-index/")),
        "the index has copies"
    );
    for copy in &copies {
        let original = &copy[..copy.len() - 3];
        let bytes = files
            .get(original)
            .unwrap_or_else(|| panic!("{copy} has no original"));
        assert_eq!(&decompress(copy, &files[*copy]), bytes, "{copy}");
        assert!(files[*copy].len() < bytes.len(), "{copy} is smaller");
        assert!(
            !original.ends_with(".html"),
            "HTML is left to the host: {copy}"
        );
    }

    // A second build into the same folder reuses the copies; a fresh one
    // makes them anew: both byte-identical.
    assert_ok(&build(&repo(), &out));
    let fresh = tmp.path().join("fresh");
    assert_ok(&build(&repo(), &fresh));
    assert_eq!(tree(&out), files);
    assert_eq!(tree(&fresh), files);
}

#[test]
fn no_copies_when_turned_off() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert_ok(&build_with(&repo(), &out, &["--no-precompress"]));
    assert!(!tree(&out)
        .keys()
        .any(|p| p.ends_with(".br") || p.ends_with(".gz")));

    let root = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &root);
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("{toml}\n[build]\nprecompress = []\n"),
    )
    .unwrap();
    let out = tmp.path().join("small");
    assert_ok(&build(&root, &out));
    assert!(!tree(&out)
        .keys()
        .any(|p| p.ends_with(".br") || p.ends_with(".gz")));
    std::fs::write(
        root.join("site.toml"),
        format!("{toml}\n[build]\nprecompress = [\"gzip\"]\n"),
    )
    .unwrap();
    assert_ok(&build(&root, &out));
    let files = tree(&out);
    assert!(files.contains_key("style.css.gz") && !files.contains_key("style.css.br"));
}

#[test]
fn css_and_js_are_minified_unless_asked_not_to() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &root);
    // The portal's own stylesheet override is minified like the theme's.
    std::fs::create_dir_all(root.join("static")).unwrap();
    let css = "/* 注意: 色 */\nbody {\n  color : #222 ;\n}\n";
    std::fs::write(root.join("static/extra.css"), css).unwrap();
    let out = tmp.path().join("min");
    assert_ok(&build(&root, &out));
    let min = tree(&out);
    assert_eq!(min["extra.css"], b"body{color:#222;}");
    let theme_js = std::fs::read(repo().join("themes/hiroshima/static/site.js")).unwrap();
    assert!(
        min["site.js"].len() < theme_js.len() * 3 / 4,
        "site.js is minified"
    );
    assert!(
        !String::from_utf8_lossy(&min["style.css"]).contains("/*"),
        "no comments left"
    );

    let out = tmp.path().join("plain");
    assert_ok(&build_with(&root, &out, &["--no-minify"]));
    let plain = tree(&out);
    assert_eq!(plain["extra.css"], css.as_bytes());
    assert_eq!(plain["site.js"], theme_js);
    // The names follow the bytes.
    let hashed = |files: &std::collections::BTreeMap<String, Vec<u8>>, p: &str| {
        tsunagu::output::fingerprint::hashed_path(p, &files[p]).unwrap()
    };
    assert_ne!(hashed(&min, "style.css"), hashed(&plain, "style.css"));
    let top = String::from_utf8_lossy(&plain["index.html"]).to_string();
    assert!(
        top.contains(&hashed(&plain, "style.css")),
        "the page names the unminified copy"
    );
}
