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

/// `tsunagu new --name` writes the name as a quoted YAML scalar, so a name
/// with YAML's own characters comes back exactly (it used to be written
/// raw: `家族会 #2` lost `#2`, `A: B` and `*注意` made files `check`
/// refused, a line break injected fields).
#[test]
fn names_with_yaml_characters_come_back_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("portal");
    ok(&tsunagu(&["init", dir.to_str().unwrap()]));
    let names = [
        "家族会 #2",
        "A: B",
        "\"引用\"から",
        "*注意",
        "&アンド",
        "'single' と \\ バックスラッシュ",
        "- リスト風",
        "{括弧} [角括弧]",
        "? 質問",
        "% 記号 @ ` |",
        " 前後に空白 ",
    ];
    for (i, name) in names.iter().enumerate() {
        let flag = format!("--name={name}");
        ok(&tsunagu(&[
            "new",
            "center",
            &format!("n{i}"),
            &flag,
            "--root",
            dir.to_str().unwrap(),
        ]));
        let json = entry_json(&dir.join(format!("content/centers/n{i}.md")));
        assert_eq!(json["name"].as_str(), Some(*name), "{name}");
    }
    let check = tsunagu(&["check", "--format", "json", "--root", dir.to_str().unwrap()]);
    ok(&check);
}

#[test]
fn a_name_check_would_refuse_is_refused_before_a_file_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("portal");
    ok(&tsunagu(&["init", dir.to_str().unwrap()]));
    for (name, message) in [
        (
            "一行目\nsummary: 注入",
            "error: --name: a name is one line: remove the line break\n",
        ),
        (
            "名前\u{202E}逆",
            "error: --name: the name holds the invisible character U+202E: retype it without\n",
        ),
        (
            "名前\u{1}",
            "error: --name: the name holds the invisible character U+0001: retype it without\n",
        ),
        ("   ", "error: --name: the name is empty\n"),
    ] {
        let o = tsunagu(&[
            "new",
            "center",
            "bad",
            "--name",
            name,
            "--root",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{name:?}");
        assert_eq!(String::from_utf8_lossy(&o.stderr), message, "{name:?}");
        assert!(!dir.join("content/centers/bad.md").exists());
    }
}

mod round_trip {
    use proptest::prelude::*;
    use std::path::Path;
    use tsunagu::pipeline::{self, BuildContext};

    fn ctx(root: &Path) -> BuildContext {
        BuildContext {
            root: root.to_path_buf(),
            out: root.join("public"),
            force_out: false,
            precompress: false,
            minify: true,
            base_url: None,
            drafts: false,
            now: jiff::Timestamp::from_second(1_795_219_200).unwrap(),
            progress: tsunagu::progress::silent(),
        }
    }

    /// Names as editors type them: any printable text, with YAML's
    /// indicators and quotes mixed in; not blank, one line, no control
    /// or bidirectional characters (refused by `new` and `check`, above).
    fn name() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "\\PC{1,12}",
            Just("#".to_string()),
            Just(": ".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("\\".to_string()),
            Just("*".to_string()),
            Just("&".to_string()),
            Just("- ".to_string()),
            Just("{[".to_string()),
            Just("〜～".to_string()),
        ];
        proptest::collection::vec(piece, 1..5)
            .prop_map(|parts| parts.concat())
            .prop_filter("a name `new` accepts", |n| {
                !n.trim().is_empty()
                    && !n.chars().any(|c| {
                        c == '\n'
                            || tsunagu::validate::text::is_refused_control(c)
                            || tsunagu::validate::text::is_bidi_control(c)
                    })
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn new_then_check_keeps_any_name_and_the_page_shows_it(name in name()) {
            let tmp = tempfile::tempdir().unwrap();
            let root = tmp.path();
            let today = jiff::civil::date(2026, 11, 21);
            tsunagu::scaffold::init_portal(root, today).unwrap();
            tsunagu::scaffold::new_entry(root, "center", "round-trip", Some(&name), None, today).unwrap();
            let outcome = pipeline::check(&ctx(root));
            let errors: Vec<_> = outcome.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
            prop_assert!(errors.is_empty(), "{errors:?}");
            let site = outcome.site.unwrap();
            let slug = tsunagu::model::Slug::parse("round-trip").unwrap();
            prop_assert_eq!(site.get(&slug).unwrap().fields.name.as_deref(), Some(name.as_str()));
            let theme = tsunagu::render::Theme::resolve(root, "hiroshima").unwrap();
            let page = tsunagu::render::render_entry_page(&site, &theme, &slug).unwrap().unwrap();
            let html = scraper::Html::parse_document(std::str::from_utf8(&page.bytes).unwrap());
            let h1 = scraper::Selector::parse("h1").unwrap();
            let text: String = html.select(&h1).next().unwrap().text().collect();
            prop_assert_eq!(text, name);
        }
    }
}
