//! Hostile and broken input never crashes tsunagu, never hangs it, and
//! always ends in either a site or a clear message.
//!
//! Property tests (proptest, bounded: [`CASES`] cases per property and
//! [`BUILD_CASES`] for those that build, a fixed seed unless
//! `PROPTEST_RNG_SEED` is set; `PROPTEST_CASES` / `QUALITY_FUZZ_BUILD_CASES`
//! raise the counts for a longer hunt) write one generated entry into
//! a copy of `tests/fixtures/portals/small` and run the library
//! (`tsunagu::pipeline::check`, and for a subset `pipeline::build`) under
//! `catch_unwind`:
//!
//! - random bytes, random UTF-8, YAML-ish text built from fragments
//!   (every contract key, `---`, indentation, brackets, quotes, anchors,
//!   aliases, tags, merge keys, directives, long lines, deep nesting, BOM,
//!   CR), random hours rules, random Markdown bodies;
//! - no panic; every error names the generated file, a line that exists,
//!   and says something; the rest of the (valid) portal reports no error;
//! - `build` either writes a site or reports errors and writes nothing;
//!   a built Markdown body holds no live markup.
//!
//! Plus fixed cases run through the real binary with a stopwatch: YAML
//! bombs (billion laughs, 10,000-deep nesting) are refused quickly, and a
//! file over 2 MB is refused with `file-too-large`.

mod common;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tsunagu::diagnostics::{Code, Severity};
use tsunagu::model::FIELD_NAMES;
use tsunagu::pipeline::{self, BuildContext, Outcome};

/// Cases per property (override with PROPTEST_CASES).
const CASES: u32 = 256;
/// Cases of the properties that also build (slower: render + index).
const BUILD_CASES: u32 = 24;

fn config(cases: u32) -> Config {
    // PROPTEST_CASES scales the check-only properties; the slower build
    // properties take QUALITY_FUZZ_BUILD_CASES.
    let var = if cases == BUILD_CASES {
        "QUALITY_FUZZ_BUILD_CASES"
    } else {
        "PROPTEST_CASES"
    };
    let cases = std::env::var(var)
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    let mut c = Config {
        cases,
        failure_persistence: None,
        max_shrink_time: 20_000,
        ..Config::default()
    };
    if std::env::var("PROPTEST_RNG_SEED").is_err() {
        c.rng_seed = RngSeed::Fixed(0x7375_6e61_6775);
    }
    c
}

/// A copy of the small fixture portal, and where generated files go.
struct Portal {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    outs: PathBuf,
    counter: std::cell::Cell<usize>,
}

impl Portal {
    fn new() -> Portal {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("portal");
        copy_dir(&repo().join("tests/fixtures/portals/small"), &root);
        let outs = tmp.path().join("outs");
        std::fs::create_dir(&outs).unwrap();
        Portal {
            _tmp: tmp,
            root,
            outs,
            counter: std::cell::Cell::new(0),
        }
    }

    fn ctx(&self, out: PathBuf) -> BuildContext {
        BuildContext {
            root: self.root.clone(),
            out,
            force_out: false,
            precompress: false,
            minify: true,
            base_url: None,
            drafts: false,
            now: jiff::Timestamp::from_second(NOW.parse().unwrap()).unwrap(),
            progress: tsunagu::progress::silent(),
        }
    }

    /// Replaces the generated file with `bytes` at `rel`.
    fn put(&self, rel: &str, bytes: &[u8]) {
        for dir in ["centers", "organizations", "events", "cafeterias", "pages"] {
            for ext in ["md", "yaml", "yml"] {
                let _ = std::fs::remove_file(self.root.join(format!("content/{dir}/fuzz.{ext}")));
            }
        }
        std::fs::write(self.root.join(rel), bytes).unwrap();
    }

    fn fresh_out(&self) -> PathBuf {
        let n = self.counter.get();
        self.counter.set(n + 1);
        self.outs.join(format!("out{n}"))
    }
}

const FOLDERS: &[&str] = &["centers", "organizations", "events", "cafeterias", "pages"];

fn file_name() -> impl Strategy<Value = String> {
    (
        0..FOLDERS.len(),
        prop_oneof![Just("md"), Just("yaml"), Just("yml")],
    )
        .prop_map(|(f, ext)| format!("content/{}/fuzz.{ext}", FOLDERS[f]))
}

/// Runs `f` and turns a panic into a test failure that shows the input.
fn no_panic<T>(what: &str, input: &[u8], f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        TestCaseError::fail(format!(
            "{what} panicked ({msg}) on {:?}",
            String::from_utf8_lossy(input)
        ))
    })
}

/// Every error names the generated file (the rest of the portal is
/// valid), a line inside it, and a message.
fn diagnostics_are_usable(o: &Outcome, rel: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    // Line ends as the loader counts them (CRLF and lone CR are one
    // each; U+0085, U+2028 and U+2029 are not line ends).
    let lines = {
        let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
        let breaks = text.matches(['\n', '\r']).count();
        // A last line without a newline is a line; after one, there is none.
        if text.ends_with(['\n', '\r']) || text.is_empty() {
            breaks.max(1)
        } else {
            breaks + 1
        }
    };
    for d in o.diagnostics.iter() {
        prop_assert!(
            !d.message.trim().is_empty(),
            "empty message: {d:?} for {:?}",
            String::from_utf8_lossy(bytes)
        );
        if d.severity != Severity::Error {
            continue;
        }
        let file = d
            .file
            .as_ref()
            .map(|f| f.to_string_lossy().replace('\\', "/"));
        prop_assert_eq!(
            file.as_deref(),
            Some(rel),
            "error not in the generated file: {:?} for {:?}",
            d,
            String::from_utf8_lossy(bytes)
        );
        if let Some(line) = d.line {
            prop_assert!(
                line >= 1 && line <= lines,
                "line {} outside the file ({} lines): {:?}",
                line,
                lines,
                d
            );
        }
        if let Some(col) = d.column {
            prop_assert!(col >= 1, "column 0: {:?}", d);
        }
    }
    Ok(())
}

fn check_one(p: &Portal, rel: &str, bytes: &[u8]) -> Result<Outcome, TestCaseError> {
    p.put(rel, bytes);
    let ctx = p.ctx(p.fresh_out());
    let o = no_panic("check", bytes, || pipeline::check(&ctx))?;
    diagnostics_are_usable(&o, rel, bytes)?;
    Ok(o)
}

/// `build`: a site, or errors and nothing written.
fn build_one(p: &Portal, rel: &str, bytes: &[u8]) -> Result<Option<PathBuf>, TestCaseError> {
    p.put(rel, bytes);
    let out = p.fresh_out();
    let ctx = p.ctx(out.clone());
    let o = no_panic("build", bytes, || pipeline::build(&ctx))?;
    diagnostics_are_usable(&o, rel, bytes)?;
    if o.failed() {
        prop_assert!(!out.exists(), "a failed build wrote {}", out.display());
        Ok(None)
    } else {
        prop_assert!(
            o.written > 0 && out.join("index.html").is_file(),
            "build succeeded but wrote no site"
        );
        Ok(Some(out))
    }
}

fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(config(cases));
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

// ------------------------------------------------------------ generators

/// Keys inside hours rules and geo, plus near misses of the contract's.
const OTHER_KEYS: &[&str] = &[
    "days",
    "weekday",
    "nth",
    "open",
    "close",
    "note",
    "lat",
    "lon",
    "<<",
    "Name",
    "名前",
    "categorys",
    "",
];

/// Every key of the content contract (the product's own list) and
/// [`OTHER_KEYS`].
fn keys() -> Vec<&'static str> {
    FIELD_NAMES.iter().chain(OTHER_KEYS).copied().collect()
}

/// Pieces of YAML syntax and awkward values.
const FRAGMENTS: &[&str] = &[
    "---",
    "...",
    ":",
    ": ",
    "\n",
    "\n",
    "\n",
    "  ",
    "    ",
    "\t",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "*undefined",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!binary ",
    "!!map ",
    "!!seq ",
    "!!null ",
    "!!bool ",
    "!!timestamp ",
    "!!python/object:os.system ",
    "!<tag:yaml.org,2002:str> ",
    "!local ",
    "? ",
    "|",
    "|-",
    ">",
    ">+",
    "#",
    " # c",
    "%YAML 1.2\n",
    "%TAG ! tag:example.com,2000:\n",
    "<<: *a",
    "\u{feff}",
    "\r",
    "\r\n",
    "~",
    "null",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "1e400",
    "-1",
    "0x1F",
    "0o17",
    "99999999999999999999",
    "-.inf",
    ".nan",
    "2026-10-01",
    "2026-13-45",
    "2026-02-30",
    "2026-12-05T13:30",
    "2026-12-05T25:61+99:00",
    "25:00",
    "09:00",
    "24:00",
    "\"09:00\"",
    "mon",
    "hol",
    "xyz",
    "[mon, fri]",
    "{lat: 1, lon: 2}",
    "082-555-0101",
    "\"#7119\"",
    "https://example.jp/",
    "javascript:alert(1)",
    "a@b.jp",
    "＠",
    "：",
    "　",
    "ひきこもり",
    "広島市/中区",
    "kazokukai",
    "soudan-center",
    "../..",
    "\0",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{fffe}",
    "😀",
    "\\",
    "\\u0000",
    "%",
    "@",
    "`",
    "|",
    "{{ x }}",
    "<script>alert(1)</script>",
];

fn yamlish_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(keys()).prop_map(|k| format!("{k}: ")),
        4 => prop::sample::select(keys()).prop_map(|k| format!("\n{k}:")),
        8 => (0..FRAGMENTS.len()).prop_map(|i| FRAGMENTS[i].to_string()),
        2 => "[ -~あ-んア-ン漢字]{0,12}",
        1 => (1usize..400).prop_map(|n| "[".repeat(n)),
        1 => (1usize..400).prop_map(|n| "- ".repeat(n)),
        1 => (1usize..200).prop_map(|n| "{a: ".repeat(n)),
        1 => (1usize..60).prop_map(|n| "  ".repeat(n)),
        1 => (1usize..6000).prop_map(|n| "あ".repeat(n)),
    ]
}

fn yamlish() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(yamlish_piece(), 0..80),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(pieces, front_matter, name_first)| {
            let mut s = String::new();
            if front_matter {
                s.push_str("---\n");
            }
            if name_first {
                s.push_str("name: ふぁず\ntitle: ふぁず\n");
            }
            s.push_str(&pieces.concat());
            if front_matter {
                s.push_str("\n---\n本文\n");
            }
            s
        })
}

/// An hours value: rules made of random, often wrong, parts.
fn hours_yaml() -> impl Strategy<Value = String> {
    let day = prop_oneof![
        8 => prop::sample::select(vec!["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol"]),
        1 => prop::sample::select(vec!["Mon", "月", "monday", "", "null", "1", "[mon]", "*a"]),
    ];
    let time = prop_oneof![
        6 => (0u32..=24, 0u32..60).prop_map(|(h, m)| format!("\"{h:02}:{m:02}\"")),
        2 => (0u32..30, 0u32..70).prop_map(|(h, m)| format!("\"{h}:{m}\"")),
        1 => prop::sample::select(vec!["9", "\"９：００\"", "\"24:01\"", "\"-1:00\"", "null", "\"\"", "\"9時\"", "[1]", "{h: 9}", "\"23:59:59\""]).prop_map(str::to_string),
    ];
    let nth = prop_oneof![
        (-2i64..=6).prop_map(|n| n.to_string()),
        Just("9223372036854775807".to_string()),
        Just("\"1\"".to_string())
    ];
    let rule = (
        prop::option::of(prop::collection::vec(day.clone(), 0..9)),
        prop::option::of((day, nth)),
        prop::option::of(time.clone()),
        prop::option::of(time),
        prop::option::of("[ -~あ-ん]{0,10}"),
        any::<bool>(),
    )
        .prop_map(|(days, monthly, open, close, note, extra)| {
            let mut parts = Vec::new();
            if let Some(d) = days {
                parts.push(format!("days: [{}]", d.join(", ")));
            }
            if let Some((w, n)) = monthly {
                parts.push(format!("weekday: {w}"));
                parts.push(format!("nth: {n}"));
            }
            if let Some(o) = open {
                parts.push(format!("open: {o}"));
            }
            if let Some(c) = close {
                parts.push(format!("close: {c}"));
            }
            if let Some(n) = note {
                parts.push(format!("note: {}", serde_json::to_string(&n).unwrap()));
            }
            if extra {
                parts.push("extra: 1".into());
            }
            format!("  - {{{}}}", parts.join(", "))
        });
    prop::collection::vec(rule, 0..6).prop_map(|rules| {
        if rules.is_empty() {
            "hours: []\n".to_string()
        } else {
            format!("hours:\n{}\n", rules.join("\n"))
        }
    })
}

/// Well-formed weekly rules: always accepted.
fn good_hours() -> impl Strategy<Value = (Vec<&'static str>, u32, u32)> {
    (
        prop::sample::subsequence(
            vec!["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol"],
            1..=8,
        ),
        0u32..1439,
    )
        .prop_flat_map(|(days, open)| (Just(days), Just(open), (open + 1)..=1440))
}

/// Markdown built from block and inline syntax, raw HTML and odd bytes.
fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            "# ", "## ", "###### ", "####### ", "> ", "- ", "* ", "+ ", "1. ", "99999999999. ", "```", "~~~",
            "    ", "\t", "---", "***", "___", "| a | b |\n|---|---|\n", "|", "[", "]", "(", ")", "![",
            "](", "[^1]", "[^1]: ", "[x]: javascript:alert(1)", "<", ">", "</", "<!--", "-->",
            "<![CDATA[", "]]>", "<div>", "</div>", "<script>", "</script>", "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">", "javascript:alert(1)", "<https://example.jp/>",
            "https://example.jp/", "*", "**", "_", "__", "~", "~~", "`", "``", "\\", "&amp;", "&#0;",
            "&#x110000;", "&nbsp", "\n", "\n\n", "  \n", "\r", "\u{0}", "\u{feff}", "{{ x }}", "{% x %}",
            "ひきこもり", "相談", "😀", "\u{200b}", "\u{202e}",
        ]).prop_map(str::to_string),
        1 => (1usize..300).prop_map(|n| "> ".repeat(n)),
        1 => (1usize..300).prop_map(|n| "- ".repeat(n)),
        1 => (1usize..300).prop_map(|n| "[".repeat(n)),
        1 => (1usize..300).prop_map(|n| "*".repeat(n)),
        1 => (1usize..200).prop_map(|n| "<div>".repeat(n)),
        1 => "[ -~あ-ん]{0,20}",
    ];
    prop::collection::vec(piece, 0..120).prop_map(|p| p.concat())
}

// ------------------------------------------------------------- properties

#[test]
fn random_bytes_never_crash_check() {
    let p = Portal::new();
    run(
        CASES,
        (file_name(), prop::collection::vec(any::<u8>(), 0..2048)),
        |(rel, bytes)| check_one(&p, &rel, &bytes).map(|_| ()),
    );
}

#[test]
fn random_utf8_never_crashes_check() {
    let p = Portal::new();
    run(
        CASES,
        (file_name(), any::<String>(), any::<bool>()),
        |(rel, text, fm)| {
            let text = if fm {
                format!("---\n{text}\n---\n")
            } else {
                text
            };
            check_one(&p, &rel, text.as_bytes()).map(|_| ())
        },
    );
}

#[test]
fn yaml_ish_text_never_crashes_check() {
    let p = Portal::new();
    run(CASES, (file_name(), yamlish()), |(rel, text)| {
        check_one(&p, &rel, text.as_bytes()).map(|_| ())
    });
}

#[test]
fn yaml_ish_text_builds_a_site_or_nothing() {
    let p = Portal::new();
    run(BUILD_CASES, (file_name(), yamlish()), |(rel, text)| {
        build_one(&p, &rel, text.as_bytes()).map(|_| ())
    });
}

#[test]
fn random_hours_never_crash_and_are_reported_as_hours() {
    let p = Portal::new();
    run(CASES, hours_yaml(), |hours| {
        let text = format!("---\nname: ふぁず\nkana: ふぁず\nverified: 2026-10-01\n{hours}---\n");
        let rel = "content/centers/fuzz.md";
        let o = check_one(&p, rel, text.as_bytes())?;
        for d in o.diagnostics.iter().filter(|d| d.is_error()) {
            prop_assert!(
                d.code == Code::InvalidHours
                    || d.code == Code::YamlSyntax
                    || d.code == Code::UnknownField,
                "hours problem reported as {:?}: {:?}\n{}",
                d.code,
                d,
                text
            );
        }
        Ok(())
    });
}

#[test]
fn well_formed_hours_are_always_accepted() {
    let p = Portal::new();
    run(CASES, good_hours(), |(days, open, close)| {
        let t = |m: u32| format!("\"{:02}:{:02}\"", m / 60, m % 60);
        let text = format!(
            "---\nname: ふぁず\nkana: ふぁず\nverified: 2026-10-01\nhours:\n  - {{days: [{}], open: {}, close: {}}}\n---\n",
            days.join(", "),
            t(open),
            t(close)
        );
        let o = check_one(&p, "content/centers/fuzz.md", text.as_bytes())?;
        let errors: Vec<_> = o.diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{:?}\n{}", errors, text);
        Ok(())
    });
}

#[test]
fn random_markdown_builds_and_holds_no_live_markup() {
    let p = Portal::new();
    let script = scraper::Selector::parse(
        "main script, main iframe, main object, main embed, main style, main base",
    )
    .unwrap();
    let all = scraper::Selector::parse("main *").unwrap();
    run(BUILD_CASES, markdown(), |body| {
        let text = format!("---\ntitle: ふぁず\n---\n{body}");
        let rel = "content/pages/fuzz.md";
        let out = build_one(&p, rel, text.as_bytes())?;
        let out = out.ok_or_else(|| {
            TestCaseError::fail(format!("a Markdown body made the build fail: {body:?}"))
        })?;
        let html = std::fs::read_to_string(out.join("pages/fuzz/index.html")).unwrap();
        let doc = scraper::Html::parse_document(&html);
        prop_assert!(
            doc.select(&script).next().is_none(),
            "live element in {html}"
        );
        for el in doc.select(&all) {
            for (a, v) in el.value().attrs() {
                prop_assert!(!a.to_ascii_lowercase().starts_with("on"), "{a}= in {html}");
                prop_assert!(
                    !(matches!(a, "href" | "src") && dangerous_scheme(v)),
                    "{a}={v:?}"
                );
            }
        }
        std::fs::remove_dir_all(&out).unwrap();
        Ok(())
    });
}

#[test]
fn random_markdown_never_crashes_check() {
    let p = Portal::new();
    run(CASES, (markdown(), any::<bool>()), |(body, yaml)| {
        let (rel, text) = if yaml {
            (
                "content/centers/fuzz.yaml",
                format!(
                    "name: ふぁず\nbody: {}\n",
                    serde_json::to_string(&body).unwrap()
                ),
            )
        } else {
            (
                "content/centers/fuzz.md",
                format!("---\nname: ふぁず\n---\n{body}"),
            )
        };
        check_one(&p, rel, text.as_bytes()).map(|_| ())
    });
}

// -------------------------------------------------- bombs and size limits

/// `tsunagu check --format json` on the small portal plus one file;
/// returns the diagnostics for that file and the wall time.
fn check_with(rel: &str, text: &[u8]) -> (Vec<serde_json::Value>, Duration, Option<i32>) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &root);
    std::fs::write(root.join(rel), text).unwrap();
    let t = Instant::now();
    let o = tsunagu(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let took = t.elapsed();
    let diags = String::from_utf8_lossy(&o.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&o.stderr).lines())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|d| d["file"] == rel && d["severity"] == "error")
        .collect();
    (diags, took, o.status.code())
}

fn billion_laughs(md: bool) -> String {
    let mut s = String::new();
    if md {
        s.push_str("---\n");
    }
    s.push_str("name: 笑い\nkana: わらい\n");
    s.push_str("lol0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        s.push_str(&format!("lol{i}: &a{i} [{refs}]\n"));
    }
    s.push_str("keywords: *a9\n");
    if md {
        s.push_str("---\n");
    }
    s
}

fn assert_refused(what: &str, diags: &[serde_json::Value], code: Option<i32>) {
    assert_eq!(
        code,
        Some(1),
        "{what}: check must fail (exit 1), got {code:?}"
    );
    assert!(!diags.is_empty(), "{what}: no error for the file");
    for d in diags {
        assert!(
            d["message"].as_str().is_some_and(|m| !m.trim().is_empty()),
            "{what}: empty message {d}"
        );
    }
}

#[test]
fn billion_laughs_is_refused_quickly() {
    for (rel, md) in [
        ("content/centers/laughs.yaml", false),
        ("content/centers/laughs.md", true),
    ] {
        let (diags, took, code) = check_with(rel, billion_laughs(md).as_bytes());
        assert_refused(rel, &diags, code);
        assert!(took < Duration::from_secs(2), "{rel}: took {took:?}");
        assert_eq!(diags[0]["code"], "yaml-syntax", "{diags:?}");
    }
}

/// 10,000 levels in block style (`- - - … x`): refused by the scan before
/// parsing, at 64 levels.
#[test]
fn a_10000_deep_block_list_is_refused_quickly() {
    let text = format!(
        "name: 深い\nkana: ふかい\nkeywords:\n{}x\n",
        "- ".repeat(10_000)
    );
    let (diags, took, code) = check_with("content/centers/deep.yaml", text.as_bytes());
    assert_refused("block list", &diags, code);
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

/// 10,000 levels in flow style (`[[[…]]]`, `{a: {a: …}}`): refused, not a
/// crash (no stack overflow), with one message that says what is wrong.
#[test]
fn a_10000_deep_flow_nesting_is_refused_without_crashing() {
    for (rel, text) in deep_flow(10_000) {
        let (diags, took, code) = check_with(&rel, text.as_bytes());
        assert_refused(&rel, &diags, code);
        assert!(took < Duration::from_secs(20), "{rel}: took {took:?}");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(
            diags[0]["message"]
                .as_str()
                .unwrap()
                .contains("nested more than 64 levels deep"),
            "{diags:?}"
        );
    }
}

fn deep_flow(depth: usize) -> Vec<(String, String)> {
    vec![
        (
            "content/centers/deep-list.yaml".to_string(),
            format!(
                "name: 深い\nkana: ふかい\nkeywords: {}{}\n",
                "[".repeat(depth),
                "]".repeat(depth)
            ),
        ),
        (
            "content/centers/deep-map.md".to_string(),
            format!(
                "---\nname: 深い\nkana: ふかい\ngeo: {}1{}\n---\n",
                "{a: ".repeat(depth),
                "}".repeat(depth)
            ),
        ),
    ]
}

/// Up to a file just under the 2 MB limit (400,000 levels; it used to
/// take about an hour), refused in under 2 seconds, pointed at the
/// bracket where the nesting crossed 64 levels.
#[test]
fn deep_flow_nesting_is_refused_in_under_2_seconds() {
    for depth in [10_000, 40_000, 400_000] {
        for (rel, text) in deep_flow(depth) {
            assert!(text.len() as u64 <= tsunagu::load::MAX_ENTRY_BYTES);
            let (diags, took, code) = check_with(&rel, text.as_bytes());
            assert_refused(&rel, &diags, code);
            assert!(
                took < Duration::from_secs(2),
                "{rel} at depth {depth}: took {took:?}"
            );
            assert_eq!(diags.len(), 1, "{diags:?}");
            // `keywords: [` — the 64th `[` (the file's first level is the
            // mapping); `geo: {a: ` — the 64th `{`, 4 columns apart.
            let (line, column) = if rel.ends_with(".yaml") {
                (3, 11 + 63)
            } else {
                (4, 6 + 4 * 63)
            };
            assert_eq!(diags[0]["line"], line, "{rel}: {}", diags[0]);
            assert_eq!(diags[0]["column"], column, "{rel}: {}", diags[0]);
        }
    }
}

#[test]
fn yaml_bomb_diagnostics_say_what_to_change() {
    let (laughs, _, _) = check_with(
        "content/centers/laughs.yaml",
        billion_laughs(false).as_bytes(),
    );
    let (deep, _, _) = check_with(
        "content/centers/deep.yaml",
        format!("name: 深い\nkeywords:\n{}x\n", "- ".repeat(1000)).as_bytes(),
    );
    let (laughs_md, _, _) =
        check_with("content/centers/laughs.md", billion_laughs(true).as_bytes());
    // One error each, at the first anchor (`lol0: &a0`, line 3, or 4 in
    // the .md) or where the nesting crossed 64 levels (the 64th `- `).
    for (diags, line, column) in [(&laughs, 3, 7), (&laughs_md, 4, 7), (&deep, 3, 127)] {
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0]["line"], line, "{}", diags[0]);
        assert_eq!(diags[0]["column"], column, "{}", diags[0]);
    }
    assert!(
        laughs[0]["message"].as_str().unwrap().contains("`&a0`"),
        "{}",
        laughs[0]
    );
    assert!(
        laughs[0]["help"]
            .as_str()
            .unwrap()
            .contains("write every value out"),
        "{}",
        laughs[0]
    );
    for d in laughs.iter().chain(&deep) {
        assert!(d["line"].is_number(), "no line: {d}");
        let text = format!("{} {}", d["message"], d["help"]).to_lowercase();
        assert!(!text.contains("unclosed quote"), "misleading help: {d}");
        assert!(
            text.contains("alias")
                || text.contains("nest")
                || text.contains("deep")
                || text.contains('*'),
            "does not say what is wrong: {d}"
        );
    }
}

/// Text pasted from web pages, PDFs or mis-decoded Windows files can hold
/// U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR or U+0085 NEXT LINE.
/// YAML 1.2 treats them as ordinary characters; libyaml (YAML 1.1) as line
/// breaks, so a valid summary becomes a syntax error blamed on the next
/// (correct) line.
#[test]
fn pasted_line_separators_keep_fields_and_line_numbers() {
    for sep in ['\u{2028}', '\u{2029}', '\u{85}'] {
        let text = format!("---\nname: テスト\nsummary: 一行目{sep}二行目{sep}三行目\nkana: てすと\nphone: abc\n---\n");
        let (diags, _, _) = check_with("content/centers/pasted.md", text.as_bytes());
        // The only error is the bad phone number, on line 5.
        assert_eq!(diags.len(), 1, "U+{:04X}: {diags:?}", sep as u32);
        assert_eq!(
            diags[0]["code"], "invalid-phone",
            "U+{:04X}: {diags:?}",
            sep as u32
        );
        assert_eq!(diags[0]["line"], 5, "U+{:04X}: {diags:?}", sep as u32);
    }
    // The same in a .yaml entry, with the separators in a body too: the
    // entry builds, and the page shows the text with spaces.
    let p = Portal::new();
    for sep in ['\u{2028}', '\u{2029}', '\u{85}'] {
        let text = format!(
            "name: テスト\nsummary: 一行目{sep}二行目\nkana: てすと\nverified: 2026-10-01\nbody: \"本文{sep}続き\"\n"
        );
        p.put("content/centers/fuzz.yaml", text.as_bytes());
        let out = p.fresh_out();
        let o = pipeline::build(&p.ctx(out.clone()));
        assert!(
            !o.failed(),
            "U+{:04X}: {:?}",
            sep as u32,
            o.diagnostics.iter().collect::<Vec<_>>()
        );
        let html = std::fs::read_to_string(out.join("centers/fuzz/index.html")).unwrap();
        let text = squash(
            &scraper::Html::parse_document(&html)
                .root_element()
                .text()
                .collect::<String>(),
        );
        assert!(
            text.contains("一行目 二行目"),
            "U+{:04X}: summary not shown as one line",
            sep as u32
        );
        assert!(text.contains("本文 続き"), "U+{:04X}: body", sep as u32);
        assert!(!html.contains(sep), "U+{:04X} reached the page", sep as u32);
        // A later error still names the line the editor sees.
        let bad =
            format!("name: テスト\nsummary: 一{sep}二{sep}三\nkana: てすと\ncategories: [ない]\n");
        p.put("content/centers/fuzz.yaml", bad.as_bytes());
        let o = pipeline::check(&p.ctx(p.fresh_out()));
        let errors: Vec<_> = o
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].code, Code::NotInVocabulary);
        assert_eq!(
            (errors[0].line, errors[0].column),
            (Some(4), Some(14)),
            "{errors:?}"
        );
    }
}

#[test]
fn an_unclosed_bracket_at_the_end_of_the_file_is_pointed_at() {
    let (diags, _, _) = check_with("content/centers/eof.yaml", b"name: x\nkana: {a: ");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["line"], 2, "{diags:?}");
    assert_eq!(diags[0]["column"], 7, "{diags:?}");
}

#[test]
fn files_over_2_mb_are_refused_and_2_mb_is_not() {
    let limit = tsunagu::load::MAX_ENTRY_BYTES as usize;
    assert_eq!(limit, 2 * 1024 * 1024);
    let p = Portal::new();
    let head = "---\nname: 大きい\nkana: おおきい\nverified: 2026-10-01\n---\n";
    // Exactly at the limit: accepted (the body is long but fine).
    let mut at = head.as_bytes().to_vec();
    at.resize(limit - 1, b'a');
    at.push(b'\n');
    assert_eq!(at.len(), limit);
    p.put("content/centers/fuzz.md", &at);
    let o = pipeline::check(&p.ctx(p.fresh_out()));
    assert!(
        !o.diagnostics.iter().any(|d| d.code == Code::FileTooLarge),
        "a file of exactly 2 MB was refused"
    );
    // One byte more: refused with file-too-large, named, no panic.
    let mut over = at.clone();
    over.push(b'\n');
    p.put("content/centers/fuzz.md", &over);
    let o = pipeline::check(&p.ctx(p.fresh_out()));
    let d = o
        .diagnostics
        .iter()
        .find(|d| d.code == Code::FileTooLarge)
        .expect("file-too-large");
    assert_eq!(
        d.file.as_deref(),
        Some(Path::new("content/centers/fuzz.md"))
    );
    assert!(d.message.contains("2 MB"), "{}", d.message);
    assert!(o.failed());
    // And a 20 MB file (a pasted video) is refused without being read whole.
    let big = vec![b'x'; 20 * 1024 * 1024];
    p.put("content/centers/fuzz.md", &big);
    let t = Instant::now();
    let o = pipeline::check(&p.ctx(p.fresh_out()));
    assert!(o.diagnostics.iter().any(|d| d.code == Code::FileTooLarge));
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "took {:?}",
        t.elapsed()
    );
}

/// Editors pick heading sizes by looks (`####` for a small heading). The
/// page must still have an outline without gaps (h1 → h2 → h3), or a
/// screen-reader user navigating by headings loses the structure.
#[test]
fn body_headings_never_skip_a_level_on_the_page() {
    let p = Portal::new();
    let bodies = [
        "#### 小見出し\n\n本文\n\n###### もっと小さい\n\n本文\n",
        "# 大\n\n### 中\n\n###### 小\n\n# 大2\n\n## 中2\n",
        "## a\n\n#### b\n\n### c\n\n##### d\n\n## e\n",
        "###### 一番小さいだけ\n\n本文\n",
        "<div>生のHTML</div>\n\n### 見出し\n\n##### 下\n\n> #### 引用の中\n\n- ###### 箇条書きの中\n",
        "本文だけ\n",
    ];
    for body in bodies {
        for (rel, text, page) in [
            (
                "content/pages/fuzz.md",
                format!("---\ntitle: 見出し\n---\n{body}"),
                "pages/fuzz/index.html",
            ),
            (
                "content/centers/fuzz.md",
                format!("---\nname: 見出し\nkana: みだし\nverified: 2026-10-01\n---\n{body}"),
                "centers/fuzz/index.html",
            ),
        ] {
            p.put(rel, text.as_bytes());
            let out = p.fresh_out();
            let o = pipeline::build(&p.ctx(out.clone()));
            assert!(!o.failed(), "{:?}", o.diagnostics);
            let html = std::fs::read_to_string(out.join(page)).unwrap();
            let doc = scraper::Html::parse_document(&html);
            let sel = scraper::Selector::parse("h1, h2, h3, h4, h5, h6").unwrap();
            let mut prev = 0;
            let mut skips = Vec::new();
            let mut count = 0;
            for h in doc.select(&sel) {
                count += 1;
                let level: usize = h.value().name()[1..].parse().unwrap();
                if level > prev + 1 {
                    skips.push(format!(
                        "h{prev} → <h{level}> {}",
                        h.text().collect::<String>()
                    ));
                }
                prev = level;
            }
            let written = body.lines().filter(|l| l.contains("# ")).count();
            assert!(count > written, "{rel}: headings lost for {body:?}");
            assert!(
                skips.is_empty(),
                "{rel}: heading levels skip for {body:?}: {skips:?}"
            );
        }
    }
}
