//! `init`, `new` and `schema` as an editor meets them.

use std::path::Path;
use std::process::{Command, Output};

fn tsunagu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795219200")
        .env("NO_COLOR", "1")
        .output()
        .expect("run tsunagu")
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn init_makes_a_portal_that_checks_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("portal");
    ok(&tsunagu(&["init", dir.to_str().unwrap()]));
    let check = tsunagu(&["check", "--format", "json", "--root", dir.to_str().unwrap()]);
    ok(&check);
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        "",
        "a new portal has no warnings"
    );
    ok(&tsunagu(&["build", "--root", dir.to_str().unwrap()]));
    assert!(dir.join("public/index.html").is_file());
    assert!(dir
        .join("public/events/kazoku-kataru-kai/index.html")
        .is_file());
    // A second init refuses to touch the portal.
    let again = tsunagu(&["init", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has a site.toml"));
}

#[test]
fn new_entries_of_every_kind_pass_check_and_are_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("portal");
    ok(&tsunagu(&["init", dir.to_str().unwrap()]));
    for kind in ["center", "organization", "event", "cafeteria", "page"] {
        ok(&tsunagu(&[
            "new",
            kind,
            &format!("new-{kind}"),
            "--name",
            "新しい項目",
            "--root",
            dir.to_str().unwrap(),
        ]));
    }
    let text = std::fs::read_to_string(dir.join("content/events/new-event.md")).unwrap();
    for field in [
        "name:",
        "# kana:",
        "# hours:",
        "starts:",
        "# organizer:",
        "# verified:",
        "yaml-language-server: $schema=",
    ] {
        assert!(text.contains(field), "new event lacks {field}:\n{text}");
    }
    let check = tsunagu(&["check", "--format", "json", "--root", dir.to_str().unwrap()]);
    ok(&check);
    for line in String::from_utf8_lossy(&check.stdout).lines() {
        assert!(
            line.contains("\"severity\":\"warning\""),
            "only warnings expected: {line}"
        );
    }
    let path = dir.join("content/centers/new-center.md");
    std::fs::write(&path, "edited by hand").unwrap();
    let again = tsunagu(&[
        "new",
        "center",
        "new-center",
        "--root",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited by hand");
    let clash = tsunagu(&[
        "new",
        "event",
        "new-center",
        "--root",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(clash.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&clash.stderr).contains("unique across all kinds"));
    let bad = tsunagu(&["new", "center", "Bad_Slug", "--root", dir.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
}

/// The YAML of an entry file as JSON (front matter of .md, or the whole .yaml).
fn entry_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let yaml = if path.extension().is_some_and(|e| e == "md") {
        text.splitn(3, "---\n").nth(1).unwrap().to_string()
    } else {
        text
    };
    let value: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
    serde_json::to_value(value).unwrap()
}

#[test]
fn the_schema_accepts_every_demo_entry_and_rejects_broken_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = tsunagu(&["schema", "--root", root.to_str().unwrap()]);
    ok(&o);
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let mut checked = 0;
    for e in walkdir::WalkDir::new(root.join("content")) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let instance = entry_json(e.path());
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|err| err.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", e.path().display());
        checked += 1;
    }
    assert!(checked > 0);
    let broken = [
        serde_json::json!({"name": "x", "categorys": ["ひきこもり"]}),
        serde_json::json!({"name": "x", "categories": ["存在しない分野"]}),
        serde_json::json!({"name": "x", "website": "javascript:alert(1)"}),
        serde_json::json!({"name": "x", "hours": [{"days": ["funday"], "open": "9:00", "close": "17:00"}]}),
        serde_json::json!({"name": "x", "verified": "2026/01/01"}),
    ];
    for b in broken {
        assert!(!validator.is_valid(&b), "should be rejected: {b}");
    }
}
