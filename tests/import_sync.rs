//! `tsunagu import csv` keeps every value of the standard lists (old
//! 推奨データセット headers and the 自治体標準オープンデータセット ones), finds
//! categories and the area, and re-importing is a sync that never erases an
//! editor's work (#12).

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{repo, tsunagu};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import/sync").join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn empty_portal(dir: &Path) -> PathBuf {
    let root = dir.join("portal");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
    root
}

fn import(root: &Path, file: &Path, kind: &str, extra: &[&str]) -> Output {
    let mut args = vec!["import", "csv", s(file), "--kind", kind, "--root", s(root)];
    args.extend_from_slice(extra);
    tsunagu(&args)
}

fn check(root: &Path) -> Output {
    tsunagu(&["check", "--root", s(root)])
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn files_under(root: &Path, folder: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root.join("content").join(folder))
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn the_new_standard_headers_keep_every_value() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let map = fixture("mapping.toml");
    let o = import(
        &root,
        &fixture("facilities-new.csv"),
        "center",
        &["--map", s(&map)],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    // The list's ID with the municipality code is the slug.
    assert_eq!(
        files_under(&root, "centers"),
        [
            "center-341002-0001.md",
            "center-341002-0002.md",
            "center-341002-0003.md"
        ]
    );
    let naka = read(&root, "content/centers/center-341002-0001.md");
    // 方書 joins the address; 名称_通称 is an alias; 備考 the notes with its
    // line break; the area comes from the address, categories from the name.
    assert!(
        naka.contains("address: 広島市中区大手町1-2-3 〇〇ビル１階\n"),
        "{naka}"
    );
    assert!(naka.contains("aliases: [中区相談室]\n"), "{naka}");
    assert!(
        naka.contains("notes: \"駐車場はありません\\n来所の前にお電話ください\"\n"),
        "{naka}"
    );
    assert!(naka.contains("area: 広島市/中区\n"), "{naka}");
    assert!(naka.contains("categories: [ひきこもり]\n"), "{naka}");
    assert!(naka.contains("  key: \"341002-0001\"\n"), "{naka}");
    // 団体名 becomes an organization, created because the portal has none.
    let orgs = files_under(&root, "organizations");
    assert_eq!(orgs.len(), 1, "{orgs:?}");
    let org = read(&root, &format!("content/organizations/{}", orgs[0]));
    assert!(org.contains("name: 広島市ひきこもり家族会"), "{org}");
    let slug = orgs[0].trim_end_matches(".md");
    assert!(naka.contains(&format!("operator: {slug}\n")), "{naka}");
    let jidokan = read(&root, "content/centers/center-341002-0002.md");
    assert!(
        jidokan.contains("categories: [子育て]\n") && jidokan.contains("area: 広島市/東区\n"),
        "{jidokan}"
    );
    assert!(jidokan.contains("kana: ひがしくじどうかん\n"), "{jidokan}");
    // A value with no place is reported by row and column.
    assert!(err.contains("4行目「POIコード」"), "{err}");
    // 集会所 got 居場所 from the mapping; nothing is left uncategorised.
    assert!(!err.contains("rows with no category"), "{err}");
    let c = check(&root);
    assert!(c.status.success(), "{}", stderr(&c));
}

#[test]
fn the_old_recommended_dataset_headers_read_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let o = import(&root, &fixture("facilities-old.csv"), "center", &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(
        files_under(&root, "centers"),
        ["center-342076-101.md", "center-342076-102.md"]
    );
    let f = read(&root, "content/centers/center-342076-101.md");
    assert!(
        f.contains("address: 広島県福山市東桜町3-5 市役所本庁舎３階\n"),
        "{f}"
    );
    assert!(f.contains("aliases: [ふくやま相談]\n"), "{f}");
    assert!(f.contains("notes: 毎月第3水曜は家族教室\n"), "{f}");
    assert!(f.contains("area: 福山市\n"), "{f}");
    assert!(f.contains("accessibility: エレベーターあり\n"), "{f}");
    assert!(
        f.contains(
            "hours:\n  - {days: [mon, tue, wed, thu, fri], open: \"08:30\", close: \"17:15\"}\n"
        ),
        "{f}"
    );
    // No mapping: no category, and the rows are listed.
    assert!(
        err.contains("rows with no category (2 of 2): 2, 3"),
        "{err}"
    );
    // 内線番号 has no field: reported where it is.
    assert!(err.contains("2行目「内線番号」"), "{err}");
    let c = check(&root);
    assert!(c.status.success(), "{}", stderr(&c));
}

#[test]
fn a_mapping_that_would_lose_values_warns() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let map = dir.path().join("mapping.toml");
    std::fs::write(
        &map,
        "[columns]\n\"施設名\" = \"name\"\n\"開館\" = \"hours_open\"\n\"開所\" = \"hours_open\"\n\"定員\" = \"capacity\"\n",
    )
    .unwrap();
    let csv = dir.path().join("list.csv");
    std::fs::write(&csv, "施設名,開館,開所,定員\n北区センター,9:00,10:00,30\n").unwrap();
    let o = import(&root, &csv, "center", &["--map", s(&map), "--dry-run"]);
    let err = stderr(&o);
    assert!(
        err.contains("columns 「開館」「開所」 all map to `hours_open`"),
        "{err}"
    );
    assert!(err.contains("2行目「開所」 (row 2, column 開所): 「10:00」 not imported: another column already gave this field"), "{err}");
    assert!(
        err.contains("「定員」: mapped to `capacity`, which only events have"),
        "{err}"
    );
    assert!(err.contains("2行目「定員」 (row 2, column 定員): 「30」 not imported: `capacity` is only for events"), "{err}");
}

/// The brief's story: import, an editor works on an entry and renames its
/// file, the city publishes a new list with one changed row and one removed
/// row, and the re-import updates only what the list changed.
#[test]
fn re_import_updates_the_list_fields_and_keeps_the_editors() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let map = fixture("mapping.toml");
    let first = import(
        &root,
        &fixture("facilities-new.csv"),
        "center",
        &["--map", s(&map)],
    );
    assert!(first.status.success(), "{}", stderr(&first));

    // The editor: verified date, another category, one hour, a body; then
    // a clearer file name.
    let old_path = root.join("content/centers/center-341002-0001.md");
    let edited = std::fs::read_to_string(&old_path)
        .unwrap()
        .replace(
            "categories: [ひきこもり]",
            "categories: [ひきこもり, 居場所]",
        )
        .replace("close: \"17:00\"", "close: \"18:00\"")
        .replace("source:", "verified: 2026-11-20\nsource:")
        + "\n窓口の紹介(編集者が書いた本文)\n";
    std::fs::remove_file(&old_path).unwrap();
    let new_path = root.join("content/centers/naka-soudan.md");
    std::fs::write(&new_path, &edited).unwrap();

    // The new list: row 0001's phone changed, row 0003 removed.
    let csv = dir.path().join("facilities-2.csv");
    let text = std::fs::read_to_string(fixture("facilities-new.csv")).unwrap();
    let text: String = text
        .replace("082-555-0101", "082-555-0199")
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("341002,0003,"))
        .collect();
    std::fs::write(&csv, text).unwrap();

    // --dry-run shows the diff and writes nothing.
    let dry = import(&root, &csv, "center", &["--map", s(&map), "--dry-run"]);
    let dry_err = stderr(&dry);
    let dry_out = String::from_utf8_lossy(&dry.stdout).into_owned();
    assert!(dry.status.success(), "{dry_err}");
    assert!(
        dry_out.contains("# content/centers/naka-soudan.md (row 2)\n- phone: 082-555-0101\n+ phone: 082-555-0199\n"),
        "{dry_out}"
    );
    assert!(
        dry_out.contains("# gone: content/centers/center-341002-0003.md"),
        "{dry_out}"
    );
    assert!(
        dry_err.contains("追加 0 / 変更 1 / 変更なし 1 / 一覧から消えた 1"),
        "{dry_err}"
    );
    assert_eq!(std::fs::read_to_string(&new_path).unwrap(), edited);

    let o = import(&root, &csv, "center", &["--map", s(&map)]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let now = std::fs::read_to_string(&new_path).unwrap();
    // The list's change is in…
    assert!(now.contains("phone: 082-555-0199\n"), "{now}");
    // …and every editor's change is intact.
    assert!(now.contains("categories: [ひきこもり, 居場所]\n"), "{now}");
    assert!(now.contains("close: \"18:00\""), "{now}");
    assert!(now.contains("verified: 2026-11-20\n"), "{now}");
    assert!(now.ends_with("\n窓口の紹介(編集者が書いた本文)\n"), "{now}");
    // No duplicate after the rename; the removed row is reported, its
    // entry kept for an editor to decide.
    assert_eq!(
        files_under(&root, "centers"),
        [
            "center-341002-0002.md",
            "center-341002-0003.md",
            "naka-soudan.md"
        ]
    );
    assert!(
        err.contains("row 「341002-0003」 is no longer in 公共施設一覧"),
        "{err}"
    );
    let c = check(&root);
    assert!(c.status.success(), "{}", stderr(&c));

    // The same list again: nothing to do.
    let again = import(&root, &csv, "center", &["--map", s(&map)]);
    assert!(
        stderr(&again).contains("変更 0 / 変更なし 2"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&new_path).unwrap(), now);
}

#[test]
fn an_editors_field_changes_only_when_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let list = fixture("facilities-new.csv");
    assert!(import(&root, &list, "center", &[]).status.success());
    let path = root.join("content/centers/center-341002-0002.md");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("phone: 082-555-0102", "phone: 082-555-0177");
    std::fs::write(&path, &edited).unwrap();
    let csv = dir.path().join("list.csv");
    let text = std::fs::read_to_string(&list)
        .unwrap()
        .replace("082-555-0102", "082-555-0122");
    std::fs::write(&csv, text).unwrap();

    let o = import(&root, &csv, "center", &[]);
    let err = stderr(&o);
    assert!(
        err.contains("`phone` was changed by an editor since the last import"),
        "{err}"
    );
    assert!(err.contains("--overwrite phone"), "{err}");
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("phone: 082-555-0177\n"));

    // Back to the editor's value being the last imported one? No: the list
    // moved on; only --overwrite takes the list's value now.
    let text = std::fs::read_to_string(&csv)
        .unwrap()
        .replace("082-555-0122", "082-555-0133");
    std::fs::write(&csv, text).unwrap();
    let o = import(&root, &csv, "center", &["--overwrite", "phone"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("phone: 082-555-0133\n"));
}

#[test]
fn the_event_list_imports_as_events_and_syncs_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let list = fixture("events.csv");
    let o = import(&root, &list, "event", &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(
        files_under(&root, "events"),
        ["event-341002-e01.md", "event-341002-e02.md"]
    );
    let ev = read(&root, "content/events/event-341002-e01.md");
    assert!(
        ev.contains("starts: \"2026-12-10T14:00\"\nends: \"2026-12-10T16:00\"\n"),
        "{ev}"
    );
    assert!(
        ev.contains("address: 広島市中区大手町4-1 ２階会議室\n"),
        "{ev}"
    );
    assert!(
        ev.contains("venue: 中区地域福祉センター\n") && ev.contains("capacity: 20\n"),
        "{ev}"
    );
    assert!(
        ev.contains("free: true\n") && ev.contains("registration: 電話で前日まで\n"),
        "{ev}"
    );
    assert!(ev.contains("  dataset: イベント一覧\n"), "{ev}");

    // An editor adds a body; the city moves the end time.
    let path = root.join("content/events/event-341002-e01.md");
    std::fs::write(&path, format!("{ev}\n持ち物はありません。\n")).unwrap();
    let csv = dir.path().join("events-2.csv");
    let text = std::fs::read_to_string(&list)
        .unwrap()
        .replace(",14:00,16:00,", ",14:00,16:30,");
    std::fs::write(&csv, text).unwrap();
    let o = import(&root, &csv, "event", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let now = std::fs::read_to_string(&path).unwrap();
    assert!(now.contains("ends: \"2026-12-10T16:30\"\n"), "{now}");
    assert!(now.ends_with("\n持ち物はありません。\n"), "{now}");
    let c = check(&root);
    assert!(c.status.success(), "{}", stderr(&c));
}

/// The non-standard list of docs/open-data.md, with its mapping file: the
/// days column and a times-only hours column make one rule, the building
/// joins the address, the operator is created, notes keep their lines.
#[test]
fn the_documented_non_standard_list_imports_with_its_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let map = fixture("mapping-houkago.toml");
    let o = import(
        &root,
        &fixture("houkago-day.csv"),
        "center",
        &["--map", s(&map)],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let f = read(&root, "content/centers/center-3450100011.md");
    assert!(
        f.contains("hours:\n  - {days: [mon, tue, wed, thu, fri, sat], open: \"10:00\", close: \"18:00\"}\n"),
        "{f}"
    );
    assert!(f.contains("address: 広島市東区光町2-1 光ビル２階\n"), "{f}");
    assert!(
        f.contains("categories: [子育て]\n") && f.contains("area: 広島市/東区\n"),
        "{f}"
    );
    assert!(f.contains("notes: \"送迎あり\\n見学は要予約\"\n"), "{f}");
    assert!(
        f.contains("  dataset: 放課後等デイサービス事業所一覧\n"),
        "{f}"
    );
    let docs = std::fs::read_to_string(repo().join("docs/open-data.md")).unwrap();
    let mapping = std::fs::read_to_string(&map).unwrap();
    for line in mapping.lines().filter(|l| l.starts_with('"')) {
        assert!(
            docs.contains(line),
            "docs/open-data.md shows the mapping: {line}"
        );
    }
    let c = check(&root);
    assert!(c.status.success(), "{}", stderr(&c));
}

/// Real lists leave 利用可能曜日・開始時間・終了時間 empty and write the hours
/// in 利用可能日時特記事項: the hours model's text parser turns them into
/// rules and closed days; what it cannot read stays in hours_note and is
/// reported for its row.
#[test]
fn hours_written_as_text_become_structured_hours() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let o = import(&root, &fixture("facilities-text-hours.csv"), "center", &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let lib = read(&root, "content/centers/center-341002-0101.md");
    assert!(
        lib.contains("hours:\n  - {days: [mon, wed, thu, fri, sat, sun, hol], open: \"09:00\", close: \"17:00\"}\n"),
        "{lib}"
    );
    assert!(
        lib.contains("closed:\n  - {holiday_moves: tue}\n  - 年末年始\n"),
        "{lib}"
    );
    assert!(!lib.contains("hours_note"), "{lib}");
    let kids = read(&root, "content/centers/center-341002-0102.md");
    assert!(
        kids.contains("  - {days: [sat], open: \"07:30\", close: \"16:30\"}\n"),
        "{kids}"
    );
    assert!(
        kids.contains("hours_note: \"長期休暇: 07:30〜18:30\"\n"),
        "{kids}"
    );
    let hall = read(&root, "content/centers/center-341002-0103.md");
    assert!(
        hall.contains("open: \"08:30\", close: \"17:15\"}"),
        "{hall}"
    );
    let other = read(&root, "content/centers/center-341002-0104.md");
    assert!(
        other.contains("hours_note: 随時(管理人にお問い合わせください)\n"),
        "{other}"
    );
    assert!(
        err.contains("5行目「利用可能日時特記事項」") && err.contains("not understood"),
        "{err}"
    );
    let c = check(&root);
    assert!(c.status.success(), "{}", stderr(&c));
}
