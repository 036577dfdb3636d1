//! Error fixtures: one small portal per kind of defect.
//!
//! Every folder under `tests/fixtures/errors/` is a complete portal
//! (`site.toml` + `content/`) with exactly one kind of defect, and an
//! `expected.jsonl`: the exact lines `tsunagu check --format json` prints
//! for it (file, line, column, severity, code, field, message, help).
//! Folders named `accepted-*` and `docs-examples` prove what must be
//! accepted: their `expected.jsonl` holds no error. `odd-inputs` collects
//! hostile or unusual input (deep nesting, NUL bytes, CR-only line ends,
//! YAML anchors, huge numbers) that must be reported, never crash.
//!
//! The binary runs with `SOURCE_DATE_EPOCH=1795219200` (2026-11-21) so
//! stale warnings do not change with the calendar, from inside
//! `tests/fixtures/errors/` with `--root <folder>` so messages that name
//! the portal folder are the same on every machine.
//!
//! `file-too-large` is the one fixture not run in place: the test copies
//! it to a temporary folder and writes `content/pages/huge.md` (2 MiB + 1
//! byte) there, so no multi-megabyte file is committed.
//!
//! BLESSING. After an intended change to a message, regenerate the
//! expected output with
//!
//! ```sh
//! TSUNAGU_BLESS=1 cargo test --test errors
//! ```
//!
//! which writes the actual output to every `expected.jsonl` instead of
//! comparing. Then READ `git diff tests/fixtures/errors`: each line must
//! still name the right file, line, column and field and say how to fix
//! the problem. A wrong position or an unhelpful message is a validator
//! bug to fix in `src/`, not something to bless.

mod common;

use common::copy_dir;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 2026-11-21T00:00:00Z: "today" for every fixture.
const EPOCH: &str = "1795219200";

/// Codes no fixture portal can trigger with `tsunagu check`: they need a
/// failing disk or a failing render/index stage.
/// `unsafe-output` is a build's refusal of its output folder: tested in
/// tests/quality_safety.rs.
const UNTRIGGERABLE: &[&str] = &[
    "write-failed",
    "render-failed",
    "index-failed",
    "unsafe-output",
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors")
}

/// Every fixture folder, sorted by name.
fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/errors exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no fixtures found");
    names
}

/// A fixture ready to run: the folder to run in and the `--root` to pass.
struct Prepared {
    /// Keeps a temporary copy alive while the binary runs.
    _tmp: Option<tempfile::TempDir>,
    cwd: PathBuf,
    root: String,
}

fn prepare(name: &str) -> Prepared {
    if name == "file-too-large" {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join(name);
        copy_dir(&fixtures_dir().join(name), &root);
        // One byte over the 2 MiB limit: a page whose body is a pasted blob.
        let mut text = String::from("---\ntitle: 大きすぎる記事\n---\n");
        let limit = 2 * 1024 * 1024 + 1;
        while text.len() < limit {
            text.push_str("ひきこもり相談の記録を貼り付けました。\n");
        }
        let mut bytes = text.into_bytes();
        bytes.truncate(limit);
        let pages = root.join("content/pages");
        std::fs::create_dir_all(&pages).unwrap();
        std::fs::write(pages.join("huge.md"), bytes).unwrap();
        return Prepared {
            cwd: tmp.path().to_path_buf(),
            _tmp: Some(tmp),
            root: name.to_string(),
        };
    }
    if name == "links-and-special-files" {
        // Links and a FIFO cannot be committed portably: made here (see
        // the fixture's README.md).
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join(name);
        copy_dir(&fixtures_dir().join(name), &root);
        std::fs::create_dir(tmp.path().join("outside")).unwrap();
        std::fs::write(
            tmp.path().join("outside/secret.md"),
            "---\nname: 外のファイル\n---\n",
        )
        .unwrap();
        let centers = root.join("content/centers");
        std::os::unix::fs::symlink("../../../outside/secret.md", centers.join("secret.md"))
            .unwrap();
        std::os::unix::fs::symlink("missing.md", centers.join("gone.md")).unwrap();
        let fifo = std::ffi::CString::new(centers.join("pipe.md").to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0, "mkfifo");
        return Prepared {
            cwd: tmp.path().to_path_buf(),
            _tmp: Some(tmp),
            root: name.to_string(),
        };
    }
    Prepared {
        _tmp: None,
        cwd: fixtures_dir(),
        root: name.to_string(),
    }
}

fn check(prepared: &Prepared, format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .current_dir(&prepared.cwd)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .args(["check", "--format", format, "--root", &prepared.root])
        .output()
        .expect("run tsunagu")
}

fn bless() -> bool {
    std::env::var_os("TSUNAGU_BLESS").is_some_and(|v| v == "1")
}

#[test]
fn every_fixture_prints_exactly_its_expected_jsonl() {
    let mut failures = Vec::new();
    for name in fixtures() {
        let prepared = prepare(&name);
        let out = check(&prepared, "json");
        let stdout = String::from_utf8(out.stdout).expect("JSON output is UTF-8");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let expected_path = fixtures_dir().join(&name).join("expected.jsonl");

        // Every line is a JSON object with the documented fields.
        for line in stdout.lines() {
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {line}"));
            for key in [
                "file", "line", "column", "severity", "code", "field", "message", "help",
            ] {
                assert!(v.get(key).is_some(), "{name}: `{key}` missing in {line}");
            }
        }

        if bless() {
            // Write then rename, so tests reading expected.jsonl in
            // parallel never see a half-written file.
            let tmp = expected_path.with_extension("jsonl.new");
            std::fs::write(&tmp, &stdout).unwrap();
            std::fs::rename(&tmp, &expected_path).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|_| panic!("{name}: no expected.jsonl"));
            if stdout != expected {
                failures.push(format!(
                    "── {name}: output differs from expected.jsonl\n   expected:\n{expected}\n   actual:\n{stdout}\n   stderr:\n{stderr}"
                ));
                continue;
            }
        }

        let has_error = stdout.lines().any(|l| l.contains(r#""severity":"error""#));
        let want = if has_error { 1 } else { 0 };
        if out.status.code() != Some(want) {
            failures.push(format!(
                "── {name}: exit code {:?}, expected {want}\n   stderr:\n{stderr}",
                out.status.code()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed (run with TSUNAGU_BLESS=1 to rewrite, then review the diff):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn accepted_fixtures_have_no_errors() {
    for name in fixtures()
        .into_iter()
        .filter(|n| n.starts_with("accepted-") || n == "docs-examples")
    {
        let expected =
            std::fs::read_to_string(fixtures_dir().join(&name).join("expected.jsonl")).unwrap();
        assert!(
            !expected.contains(r#""severity":"error""#),
            "{name} must be accepted, but its expected.jsonl has an error:\n{expected}"
        );
        let out = check(&prepare(&name), "json");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name} must pass `tsunagu check`"
        );
    }
}

/// The codes `Code::as_str` can return, read from the source.
fn all_codes() -> BTreeSet<String> {
    let src = include_str!("../src/diagnostics.rs");
    let start = src.find("pub fn as_str").expect("Code::as_str");
    let body = &src[start..];
    let end = body.find("\n    }\n").unwrap_or(body.len());
    body[..end]
        .lines()
        .filter_map(|l| l.split_once("=> \""))
        .filter_map(|(_, rest)| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_code_has_a_fixture() {
    let codes = all_codes();
    assert!(codes.len() > 30, "could not read the codes: {codes:?}");
    let mut seen = BTreeSet::new();
    for name in fixtures() {
        let expected =
            std::fs::read_to_string(fixtures_dir().join(&name).join("expected.jsonl")).unwrap();
        for line in expected.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            seen.insert(v["code"].as_str().unwrap().to_string());
        }
    }
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !seen.contains(*c) && !UNTRIGGERABLE.contains(&c.as_str()))
        .collect();
    assert!(missing.is_empty(), "codes no fixture shows: {missing:?}");
}

#[test]
fn every_code_is_documented() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .expect("docs/diagnostics.md");
    let missing: Vec<String> = all_codes()
        .into_iter()
        .filter(|c| !docs.contains(&format!("### `{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a `### `code`` section in docs/diagnostics.md: {missing:?}"
    );
}

#[test]
fn human_format_shows_the_source_line_and_a_caret() {
    let out = check(&prepare("unknown-field"), "human");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("error[unknown-field]"), "{stderr}");
    assert!(
        stderr.contains("content/centers/typo-categorys.md:4:1"),
        "{stderr}"
    );
    // The offending line itself, then a caret line under it.
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("categorys: [ひきこもり]"))
        .unwrap_or_else(|| panic!("source line not shown:\n{stderr}"));
    assert!(
        lines.get(at + 1).is_some_and(|l| l.contains('^')),
        "no caret under the source line:\n{stderr}"
    );
    assert!(stderr.contains("did you mean `categories`?"), "{stderr}");
    assert!(stderr.contains("2 error(s), 0 warning(s)"), "{stderr}");
}

#[test]
fn github_format_prints_annotations() {
    let out = check(&prepare("invalid-phone"), "github");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("::error file="), "{stderr}");
    assert!(
        stderr.starts_with("::error file=content/centers/crlf-short-phone.md,line=6,col=8,title=tsunagu invalid-phone::"),
        "{stderr}"
    );
    // Warnings are annotations too.
    let out = check(&prepare("stale"), "github");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("::warning file=content/centers/old-center.md,line=6,"),
        "{stderr}"
    );
}

#[test]
fn no_fixture_makes_the_binary_panic() {
    for name in fixtures() {
        let prepared = prepare(&name);
        for format in ["json", "human", "github"] {
            let out = check(&prepared, format);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{name} --format {format}: exit code {:?}\n{stderr}",
                out.status.code()
            );
            assert!(
                !stderr.contains("panicked"),
                "{name} --format {format} panicked:\n{stderr}"
            );
        }
    }
}

/// Every `<!-- example: PATH -->` code block in docs/content.md is, byte
/// for byte, the file PATH in the `docs-examples` fixture, which the
/// suite checks passes with no diagnostic at all.
#[test]
fn content_md_examples_are_the_docs_examples_fixture() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(manifest.join("docs/content.md")).expect("docs/content.md");
    let fixture = fixtures_dir().join("docs-examples");
    let mut found = Vec::new();
    let mut rest = docs.as_str();
    while let Some(at) = rest.find("<!-- example: ") {
        rest = &rest[at + "<!-- example: ".len()..];
        let (path, after) = rest.split_once(" -->").expect("closed marker");
        let after = after.trim_start_matches('\n');
        let fence_end = after.find('\n').expect("code fence");
        let body = &after[fence_end + 1..];
        let close = body.find("\n```\n").expect("closed code block");
        let block = &body[..close + 1];
        let file = std::fs::read_to_string(fixture.join(path)).unwrap_or_else(|_| {
            panic!("docs/content.md shows {path}, which is not in the docs-examples fixture")
        });
        assert_eq!(
            block, file,
            "docs/content.md and docs-examples/{path} differ"
        );
        found.push(path.to_string());
        rest = &body[close..];
    }
    for kind in [
        "centers/",
        "organizations/",
        "events/",
        "cafeterias/",
        "pages/",
    ] {
        assert!(
            found.iter().any(|p| p.contains(kind)),
            "docs/content.md has no complete example in content/{kind}"
        );
    }
    let expected = std::fs::read_to_string(fixture.join("expected.jsonl")).unwrap();
    assert_eq!(
        expected, "",
        "the docs examples must pass without errors or warnings"
    );
}

/// The outputs quoted in docs/diagnostics.md are the fixtures' real
/// output: re-blessing a fixture without updating the docs fails here.
#[test]
fn diagnostics_md_quotes_real_output() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs =
        std::fs::read_to_string(manifest.join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    let mut all = BTreeSet::new();
    for name in fixtures() {
        let expected =
            std::fs::read_to_string(fixtures_dir().join(&name).join("expected.jsonl")).unwrap();
        all.extend(expected.lines().map(str::to_string));
    }
    let mut quoted = 0;
    for line in docs.lines().filter(|l| l.starts_with("{\"file\":")) {
        let v: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("docs/diagnostics.md: not JSON ({e}): {line}"));
        let code = v["code"].as_str().unwrap();
        // Build-only codes cannot come from a `check` fixture.
        if ["write-failed", "render-failed", "index-failed"].contains(&code) {
            continue;
        }
        assert!(
            all.contains(line),
            "docs/diagnostics.md quotes output no fixture prints any more (update the docs):\n{line}"
        );
        quoted += 1;
    }
    assert!(quoted > 30, "only {quoted} outputs quoted");
}
