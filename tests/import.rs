//! `tsunagu import csv`: the standard-dataset columns, Shift_JIS as Excel
//! writes it, mapping.toml, checked values, no overwrite without --force,
//! --dry-run, and a lossless round trip export → import → export on the
//! demo portal.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{copy_dir, repo, tsunagu};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import").join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An empty portal with the demo's site.toml.
fn empty_portal(dir: &Path) -> PathBuf {
    let root = dir.join("portal");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
    root
}

fn build(root: &Path, out: &Path) {
    let o = tsunagu(&["build", "--root", s(root), "--out", s(out)]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
}

fn check_clean(root: &Path) {
    let o = tsunagu(&["check", "--root", s(root)]);
    assert!(o.status.success(), "tsunagu check failed:\n{}", stderr(&o));
}

fn import(root: &Path, file: &Path, kind: &str, extra: &[&str]) -> Output {
    let mut args = vec!["import", "csv", s(file), "--kind", kind, "--root", s(root)];
    args.extend_from_slice(extra);
    tsunagu(&args)
}

/// An entry's text without the `source:` block the import adds (tested in
/// tests/import_sync.rs), so the fields can be compared exactly.
fn without_source(text: &str) -> String {
    match text.find("source:\n") {
        Some(i) => {
            let end = text[i..]
                .find("\n---\n")
                .map(|j| i + j + 1)
                .unwrap_or(text.len());
            format!("{}{}", &text[..i], &text[end..])
        }
        None => text.to_string(),
    }
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn entry_files(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

/// Rows of one of our CSVs as header → value maps, `skip` columns removed.
fn csv_rows(path: &Path, skip: &[&str]) -> Vec<Vec<(String, String)>> {
    let bytes = std::fs::read(path).unwrap();
    let mut r = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .zip(rec.unwrap().iter())
                .filter(|(h, _)| !skip.contains(&h.as_str()))
                .map(|(h, v)| (h.clone(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn round_trip_export_import_export_is_lossless_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    // The demo portal, copied so nothing can touch the repository.
    let demo = dir.path().join("demo");
    std::fs::create_dir_all(&demo).unwrap();
    std::fs::copy(repo().join("site.toml"), demo.join("site.toml")).unwrap();
    copy_dir(&repo().join("content"), &demo.join("content"));
    let out1 = dir.path().join("out1");
    build(&demo, &out1);
    let csv1 = out1.join("data/public-facilities.csv");

    // Into an empty portal with the same site.toml.
    let empty = empty_portal(dir.path());
    let o = import(&empty, &csv1, "center", &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "import failed:\n{err}");
    assert!(err.contains("UTF-8 (BOM付き"), "{err}");
    // Centers and cafeterias land in their own folders (the 種別 column).
    let files = entry_files(&empty);
    let listed: Vec<&String> = files
        .iter()
        .filter(|f| !f.starts_with("content/organizations/"))
        .collect();
    assert_eq!(listed.len(), 24, "{files:?}");
    assert!(files.contains(&"content/centers/hiroshima-hikikomori-center-tobu.md".to_string()));
    assert!(files.contains(&"content/cafeterias/setagaya-sancha-kodomo-shokudo.md".to_string()));
    // 団体名 without the organizations: each one is created (once) and
    // linked, and the report says so.
    assert!(
        err.contains("「特定非営利活動法人 FOOT&WORK」 is not in content/organizations/"),
        "{err}"
    );
    let created = files
        .iter()
        .filter(|f| f.starts_with("content/organizations/"))
        .count();
    let distinct: std::collections::BTreeSet<String> = csv_rows(&csv1, &[])
        .into_iter()
        .flat_map(|r| {
            r.into_iter()
                .filter(|(h, v)| h == "団体名" && !v.is_empty())
        })
        .map(|(_, v)| v)
        .collect();
    assert_eq!(created, distinct.len(), "{files:?}");
    check_clean(&empty);
    let out2 = dir.path().join("out2");
    build(&empty, &out2);
    let csv2 = out2.join("data/public-facilities.csv");
    let a = csv_rows(&csv1, &[]);
    let b = csv_rows(&csv2, &[]);
    assert_eq!(a.len(), 24);
    for (ra, rb) in a.iter().zip(&b) {
        assert_eq!(ra, rb);
    }
    assert_eq!(a, b);

    // With the organizations in the portal, 団体名 links back too: the
    // whole file is identical.
    let dir2 = tempfile::tempdir().unwrap();
    let with_orgs = empty_portal(dir2.path());
    copy_dir(
        &repo().join("content/organizations"),
        &with_orgs.join("content/organizations"),
    );
    let o = import(&with_orgs, &csv1, "center", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("「団体名」"), "{}", stderr(&o));
    check_clean(&with_orgs);
    let out3 = dir2.path().join("out3");
    build(&with_orgs, &out3);
    assert_eq!(
        std::fs::read(&csv1).unwrap(),
        std::fs::read(out3.join("data/public-facilities.csv")).unwrap()
    );
    let tobu = read(
        &with_orgs,
        "content/centers/foot-and-work-jiritsu-kunren.md",
    );
    assert!(tobu.contains("operator: foot-and-work\n"), "{tobu}");
}

/// The fixture as text. `～` is U+FF5E (FULLWIDTH TILDE, what a Japanese IME
/// types), which Excel saves as 0x8160.
const SJIS_SOURCE: &str = "ID,名称,名称_カナ,住所,緯度,経度,電話番号,利用可能曜日,開始時間,終了時間,利用可能日時特記事項,説明,バリアフリー情報,URL,担当課\r\n\
,中区ひきこもり相談室,ﾅｶｸﾋｷｺﾓﾘｿｳﾀﾞﾝｼﾂ,広島市中区国泰寺町1-6-34,34.3915,132.4596,082-555-2000,月～金,8:30,17:15,祝日・年末年始は休み,ひきこもりの相談をお受けします。,車いす可;多目的トイレ,https://www.city.example.jp/soudan/,健康推進課\r\n\
A-02,安芸区こども食堂「ひだまり」,アキクコドモショクドウヒダマリ,広島市安芸区船越南3-2-16,,,082-555-3000（代表）,第2・第4土曜日,11時30分,14時,雨天決行,\"毎月2回, 子どもは無料です。\",,javascript:alert(1),地域福祉課\r\n\
3,南区 居場所カフェ,ミナミクイバショカフェ,広島市南区皆実町1-4-46,34.38,,0120-555-000;082-555-4000,随時,,,要予約,,,http://minami.example.jp,\r\n";

#[test]
fn the_sjis_fixture_is_real_shift_jis() {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(SJIS_SOURCE);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    assert_eq!(
        bytes.as_ref(),
        std::fs::read(fixture("sjis.csv")).unwrap().as_slice()
    );
}

fn sjis_import(file: &Path) -> (tempfile::TempDir, PathBuf, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let o = import(&root, file, "center", &[]);
    let err = stderr(&o);
    (dir, root, err, o.status.success())
}

#[test]
fn shift_jis_from_excel_is_read_converted_and_checked() {
    // Made here with encoding_rs, and the committed fixture: the same bytes.
    let tmp = tempfile::tempdir().unwrap();
    let made = tmp.path().join("made.csv");
    std::fs::write(&made, encoding_rs::SHIFT_JIS.encode(SJIS_SOURCE).0).unwrap();
    for file in [made, fixture("sjis.csv")] {
        let (_dir, root, err, ok) = sjis_import(&file);
        // Bad values were left out and reported: exit status 1.
        assert!(!ok, "{err}");
        assert!(err.contains("Shift_JIS"), "{err}");
        assert!(err.contains("(3 rows)"), "{err}");
        // Every value it could not map, with its row and column.
        assert!(
            err.contains("2行目「担当課」 (row 2, column 担当課): 「健康推進課」 not imported"),
            "{err}"
        );
        assert!(
            err.contains("3行目「担当課」 (row 3, column 担当課): 「地域福祉課」 not imported"),
            "{err}"
        );
        // Bad values: reported with row and column, left out.
        assert!(err.contains("3行目「電話番号」"), "{err}");
        assert!(err.contains("082-555-3000（代表）"), "{err}");
        assert!(
            err.contains("3行目「URL」") && err.contains("javascript"),
            "{err}"
        );
        assert!(
            err.contains("4行目「緯度」") && err.contains("both"),
            "{err}"
        );
        assert!(
            err.contains("4行目「利用可能曜日」") && err.contains("随時"),
            "{err}"
        );
        assert!(
            err.contains("「A-02」 is not a valid slug; used `a-02`"),
            "{err}"
        );

        let files = entry_files(&root);
        assert_eq!(files.len(), 3, "{files:?}");
        let generated: Vec<&String> = files
            .iter()
            .filter(|f| {
                f.starts_with("content/centers/center-")
                    && f.len() == "content/centers/center-".len() + 8 + 3
            })
            .collect();
        assert_eq!(
            generated.len(),
            1,
            "a generated slug for the row without ID: {files:?}"
        );
        let naka = read(&root, generated[0]);
        assert_eq!(
            without_source(&naka),
            "---\nname: 中区ひきこもり相談室\nkana: なかくひきこもりそうだんしつ\nsummary: ひきこもりの相談をお受けします。\narea: 広島市/中区\naddress: 広島市中区国泰寺町1-6-34\ngeo: {lat: 34.3915, lon: 132.4596}\nphone: 082-555-2000\nwebsite: https://www.city.example.jp/soudan/\nhours:\n  - {days: [mon, tue, wed, thu, fri], open: \"08:30\", close: \"17:15\"}\nhours_note: 祝日・年末年始は休み\naccessibility: 車いす可;多目的トイレ\n---\n"
        );
        let aki = read(&root, "content/centers/a-02.md");
        assert!(
            aki.contains("kana: あきくこどもしょくどうひだまり\n"),
            "{aki}"
        );
        assert!(
            aki.contains("summary: \"毎月2回, 子どもは無料です。\"\n"),
            "{aki}"
        );
        assert!(aki.contains("  - {weekday: sat, nth: 2, open: \"11:30\", close: \"14:00\"}\n  - {weekday: sat, nth: 4, open: \"11:30\", close: \"14:00\"}\n"), "{aki}");
        assert!(aki.contains("hours_note: 雨天決行\n"), "{aki}");
        assert!(
            !aki.contains("phone") && !aki.contains("website"),
            "bad values left out: {aki}"
        );
        let minami = read(&root, "content/centers/center-3.md");
        assert!(
            minami.contains("phone: [0120-555-000, 082-555-4000]\n"),
            "{minami}"
        );
        assert!(
            minami.contains("hours_note: \"要予約\\n随時\"\n"),
            "{minami}"
        );
        assert!(
            minami.contains("website: http://minami.example.jp/\n"),
            "{minami}"
        );
        assert!(!minami.contains("geo"), "{minami}");
        // What was written passes the check.
        check_clean(&root);
    }
}

#[test]
fn mapping_toml_maps_other_column_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let map = fixture("mapping.toml");
    let o = import(&root, &fixture("custom.csv"), "center", &["--map", s(&map)]);
    let err = stderr(&o);
    assert!(err.contains("UTF-8 ("), "{err}");
    // 「存在しない分野」 is not in the vocabulary: reported, left out.
    assert!(!o.status.success());
    assert!(
        err.contains("2行目「分野」") && err.contains("「存在しない分野」 left out"),
        "{err}"
    );
    assert!(
        !err.contains("内部メモ"),
        "ignored columns are not reported: {err}"
    );
    let kita = read(&root, "content/centers/kita-soudan.md");
    assert_eq!(
        without_source(&kita),
        "---\nname: 北区 相談窓口\nkana: きたくそうだんまどぐち\ncategories: [ひきこもり]\naudience: [家族]\naddress: 広島市北区1-1\nphone: 082-555-1111\nfree: true\nhours:\n  - {days: [mon, tue, wed, thu, fri], open: \"09:00\", close: \"17:00\"}\n  - {weekday: sat, nth: 3, open: \"10:00\", close: \"12:00\"}\n---\n"
    );
    let files = entry_files(&root);
    assert_eq!(files.len(), 2, "{files:?}");
    let other = files
        .iter()
        .find(|f| !f.ends_with("kita-soudan.md"))
        .unwrap();
    let shokudo = read(&root, other);
    assert!(shokudo.contains("audience: [子ども, 家族]\n"), "{shokudo}");
    assert!(
        shokudo.contains("  - {weekday: fri, nth: -1, open: \"17:00\", close: \"19:00\"}\n"),
        "{shokudo}"
    );
    check_clean(&root);

    // An unknown field in mapping.toml is refused with the list of fields.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[columns]\n\"施設名\" = \"title\"\n").unwrap();
    let o = import(
        &root,
        &fixture("custom.csv"),
        "center",
        &["--map", s(&bad), "--dry-run"],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("`title`, which is not a field"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn dry_run_writes_nothing_and_existing_entries_need_force() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let map = fixture("mapping.toml");
    let csv = fixture("custom.csv");
    let args = ["--map", s(&map)];

    let o = import(&root, &csv, "center", &[&args[..], &["--dry-run"]].concat());
    assert!(entry_files(&root).is_empty(), "a dry run writes nothing");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("# content/centers/kita-soudan.md\n---\nname: 北区 相談窓口\n"),
        "{stdout}"
    );
    assert!(stderr(&o).contains("would write: content/centers/kita-soudan.md"));

    import(&root, &csv, "center", &args);
    let path = root.join("content/centers/kita-soudan.md");
    std::fs::write(&path, "---\nname: 手で直した名前\n---\n").unwrap();

    // The same import again: the edited entry is left alone, and the row
    // without an ID gets the same generated slug, so it is not duplicated.
    let o = import(&root, &csv, "center", &args);
    assert!(
        stderr(&o).contains("already exists; not overwritten (use --force"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\nname: 手で直した名前\n---\n"
    );
    assert_eq!(entry_files(&root).len(), 2);

    // --force replaces it; an entry of the same slug in another format goes.
    std::fs::remove_file(&path).unwrap();
    std::fs::write(
        root.join("content/centers/kita-soudan.yaml"),
        "name: 古いYAML\n",
    )
    .unwrap();
    let o = import(&root, &csv, "center", &[&args[..], &["--force"]].concat());
    assert!(
        stderr(&o).contains(
            "replaced: content/centers/kita-soudan.md (removing content/centers/kita-soudan.yaml)"
        ),
        "{}",
        stderr(&o)
    );
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("name: 北区 相談窓口"));
    assert!(!root.join("content/centers/kita-soudan.yaml").exists());
    assert_eq!(entry_files(&root).len(), 2);
    check_clean(&root);

    // A slug another kind already uses is refused even with --force.
    std::fs::create_dir_all(root.join("content/events")).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::write(
        root.join("content/events/kita-soudan.md"),
        "---\nname: 同じ名前のイベント\nstarts: \"2026-12-01\"\n---\n",
    )
    .unwrap();
    let o = import(&root, &csv, "center", &[&args[..], &["--force"]].concat());
    assert!(
        stderr(&o).contains("slug `kita-soudan` is already used by content/events/kita-soudan.md"),
        "{}",
        stderr(&o)
    );
    assert!(!path.exists());
    check_clean(&root);
}

#[test]
fn events_csv_imports_as_events() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&repo(), &out);
    let root = empty_portal(dir.path());
    let o = import(&root, &out.join("data/events.csv"), "event", &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let events = entry_files(&root)
        .into_iter()
        .filter(|f| f.starts_with("content/events/"))
        .count();
    assert_eq!(events, 13);
    let forum = read(&root, "content/events/hiroshima-hikikomori-forum-2027.md");
    assert!(
        forum.contains("starts: \"2027-02-11T13:00\"\nends: \"2027-02-11T16:30\"\n"),
        "{forum}"
    );
    assert!(
        forum.contains("online: https://live.footandwork.example.jp/forum-2027\n"),
        "{forum}"
    );
    assert!(
        forum.contains("registration: https://footandwork.example.jp/forum-2027/\n"),
        "{forum}"
    );
    let stay = read(&root, "content/events/nabari-stayhome-diary-2027.md");
    assert!(
        stay.contains("free: true\n") && stay.contains("capacity: 20\n"),
        "{stay}"
    );
    check_clean(&root);
}

#[test]
fn pages_and_unknown_kinds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_portal(dir.path());
    let o = import(&root, &fixture("custom.csv"), "page", &[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("pages cannot be imported"),
        "{}",
        stderr(&o)
    );
    let o = import(&root, &fixture("custom.csv"), "shop", &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is not a kind"), "{}", stderr(&o));
}
