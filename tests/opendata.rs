//! The open-data files of the demo portal: `data/entries.json`, the two
//! CSVs in the 自治体標準オープンデータセット columns (read back with the `csv`
//! crate, as another system would), `data/holidays.json`, and the holiday
//! rules themselves.

use jiff::civil::date;
use std::path::PathBuf;
use tsunagu::holidays::{holiday_name, holidays};
use tsunagu::opendata::{EVENT_COLUMNS, FACILITY_COLUMNS};

mod common;
use common::{assert_ok, build, repo};

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_ok(&build(&repo(), &out));
    (dir, out)
}

/// Reads one of our CSVs the way a spreadsheet or another program would.
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<csv::StringRecord>) {
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with BOM, for Excel"
    );
    let body = &bytes[3..];
    // Every record ends in CRLF (bare LF only inside quoted cells).
    assert!(body.ends_with(b"\r\n"));
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|x| x.unwrap()).collect();
    (header, rows)
}

fn col<'a>(header: &[String], row: &'a csv::StringRecord, name: &str) -> &'a str {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    &row[i]
}

#[test]
fn holidays_by_rule() {
    assert_eq!(holiday_name(date(2025, 1, 13)), Some("成人の日"));
    assert_eq!(holiday_name(date(2026, 9, 21)), Some("敬老の日"));
    assert_eq!(holiday_name(date(2026, 9, 22)), Some("国民の休日"));
    assert_eq!(holiday_name(date(2026, 9, 23)), Some("秋分の日"));
    assert_eq!(holiday_name(date(2026, 5, 6)), Some("振替休日"));
    assert_eq!(holiday_name(date(2027, 3, 21)), Some("春分の日"));
    assert_eq!(holiday_name(date(2024, 8, 12)), Some("振替休日"));
    assert_eq!(holiday_name(date(2026, 8, 11)), Some("山の日"));
    assert_eq!(holiday_name(date(2026, 2, 23)), Some("天皇誕生日"));
    assert_eq!(holiday_name(date(2026, 12, 23)), None);
    // 2025: 16 国民の祝日 + 振替休日 on 2/24, 5/6 and 11/24.
    assert_eq!(holidays(2025).len(), 19, "{:?}", holidays(2025));
}

#[test]
fn holidays_json_covers_this_year_and_the_next_two() {
    let (_dir, out) = demo();
    let text = std::fs::read_to_string(out.join("data/holidays.json")).unwrap();
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(map["2026-01-01"], "元日");
    assert_eq!(map["2026-09-22"], "国民の休日");
    assert!(map
        .keys()
        .all(|k| k.starts_with("2026") || k.starts_with("2027") || k.starts_with("2028")));
    assert!(map.contains_key("2028-01-10"), "成人の日 2028");
    let keys: Vec<&String> = map.keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn entries_json_has_every_published_entry_in_the_documented_shape() {
    let (_dir, out) = demo();
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/entries.json")).unwrap()).unwrap();
    assert_eq!(doc["format"], "tsunagu-open-data/1");
    assert_eq!(doc["site"]["url"], "https://portal.example.jp/");
    assert_eq!(doc["site"]["timezone"], "Asia/Tokyo");
    assert_eq!(doc["today"], "2026-11-21");
    let entries = doc["entries"].as_array().unwrap();
    let files = walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    // Every entry file but the one draft.
    assert_eq!(entries.len(), files - 1);
    let ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert!(
        !ids.contains(&"okayama-senoo-shokunoba"),
        "drafts are never published"
    );
    let get = |id: &str| entries.iter().find(|e| e["id"] == id).unwrap();
    assert_eq!(
        get("funakoshi-fureai-cafe")["status"],
        "closed",
        "closed entries stay, with their status"
    );
    assert_eq!(get("okayama-hama-chiiki-shokudo")["status"], "paused");

    let keys = [
        "id",
        "kind",
        "name",
        "alternate_name",
        "description",
        "url",
        "page_url",
        "email",
        "phones",
        "organization",
        "location",
        "schedules",
        "closed",
        "hours_note",
        "categories",
        "audience",
        "methods",
        "area",
        "keywords",
        "fee",
        "free",
        "anonymous",
        "languages",
        "min_age",
        "max_age",
        "status",
        "verified",
        "event",
    ];
    for e in entries {
        let obj = e.as_object().unwrap();
        let have: Vec<&str> = obj.keys().map(String::as_str).collect();
        let mut want = keys.to_vec();
        want.sort();
        let mut have_sorted = have.clone();
        have_sorted.sort();
        assert_eq!(have_sorted, want, "{}", e["id"]);
        assert!(e["page_url"]
            .as_str()
            .unwrap()
            .starts_with("https://portal.example.jp/"));
        assert_eq!(e["event"].is_null(), e["kind"] != "event", "{}", e["id"]);
    }

    let tobu = get("hiroshima-hikikomori-center-tobu");
    assert_eq!(tobu["kind"], "center");
    assert_eq!(
        tobu["alternate_name"],
        "ひろしまひきこもりそうだんしえんせんたーとうぶせんたー"
    );
    assert_eq!(tobu["phones"][0]["number"], "084-955-0382");
    assert_eq!(tobu["phones"][0]["tel"], "tel:0849550382");
    assert_eq!(tobu["location"]["latitude"], 34.4937);
    assert_eq!(
        tobu["schedules"],
        serde_json::json!([
            {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "public_holidays": false, "opens_at": "09:00", "closes_at": "17:00", "description": null, "text": "月〜金 9:00〜17:00"},
            {"freq": "MONTHLY", "byday": "2TH", "public_holidays": false, "opens_at": "14:00", "closes_at": "16:00", "description": "家族教室(予約制)", "text": "毎月第2木曜 14:00〜16:00"}
        ])
    );
    let gohan = get("nabari-minna-no-gohankai");
    assert_eq!(gohan["schedules"][0]["byday"], "-1FR");

    let forum = get("hiroshima-hikikomori-forum-2027");
    let ev = &forum["event"];
    assert_eq!(ev["starts"], "2027-02-11T13:00:00+09:00");
    assert_eq!(ev["all_day"], false);
    assert_eq!(ev["online"], true);
    assert_eq!(
        ev["online_url"],
        "https://live.footandwork.example.jp/forum-2027"
    );
    assert_eq!(
        ev["registration_url"],
        "https://footandwork.example.jp/forum-2027/"
    );
    assert_eq!(ev["registration"], serde_json::Value::Null);
}

#[test]
fn public_facilities_csv_is_the_standard_dataset() {
    let (_dir, out) = demo();
    let bytes = std::fs::read(out.join("data/public-facilities.csv")).unwrap();
    let (header, rows) = read_csv(&bytes);
    assert_eq!(header, FACILITY_COLUMNS);
    assert_eq!(
        &header[..5],
        [
            "全国地方公共団体コード",
            "ID",
            "地方公共団体名",
            "名称",
            "名称_カナ"
        ]
    );
    // Open and paused centers and cafeterias; not closed, not drafts.
    let ids: Vec<&str> = rows.iter().map(|r| col(&header, r, "ID")).collect();
    assert_eq!(rows.len(), 24, "{ids:?}");
    assert!(!ids.contains(&"funakoshi-fureai-cafe"));
    assert!(!ids.contains(&"okayama-senoo-shokunoba"));
    let row = |id: &str| rows.iter().find(|r| col(&header, r, "ID") == id).unwrap();

    let tobu = row("hiroshima-hikikomori-center-tobu");
    assert_eq!(
        col(&header, tobu, "名称"),
        "広島ひきこもり相談支援センター 東部センター"
    );
    assert_eq!(
        col(&header, tobu, "名称_カナ"),
        "ヒロシマヒキコモリソウダンシエンセンタートウブセンター"
    );
    assert_eq!(col(&header, tobu, "緯度"), "34.4937");
    assert_eq!(col(&header, tobu, "経度"), "133.366");
    assert_eq!(col(&header, tobu, "電話番号"), "084-955-0382");
    assert_eq!(
        col(&header, tobu, "利用可能曜日"),
        "月,火,水,木,金\n第2木曜"
    );
    assert_eq!(col(&header, tobu, "開始時間"), "09:00\n14:00");
    assert_eq!(col(&header, tobu, "終了時間"), "17:00\n16:00");
    assert_eq!(
        col(&header, tobu, "利用可能日時特記事項"),
        "土日祝は休み\n【休館日】年末年始(12月29日〜1月3日)\n【毎月第2木曜 14:00〜16:00】家族教室(予約制)"
    );
    assert_eq!(col(&header, tobu, "種別"), "相談窓口");

    let fw = row("foot-and-work-jiritsu-kunren");
    assert_eq!(col(&header, fw, "団体名"), "特定非営利活動法人 FOOT&WORK");
    let paused = row("okayama-hama-chiiki-shokudo");
    assert_eq!(col(&header, paused, "備考"), "休止中");
    assert_eq!(col(&header, paused, "種別"), "食堂・居場所");
    let gohan = row("nabari-minna-no-gohankai");
    assert_eq!(col(&header, gohan, "利用可能曜日"), "最終金曜");
    // Every cell a katakana column has is katakana (no hiragana left).
    for r in &rows {
        let k = col(&header, r, "名称_カナ");
        assert!(
            !k.chars().any(|c| ('\u{3041}'..='\u{3096}').contains(&c)),
            "{k}"
        );
    }
}

#[test]
fn events_csv_is_the_standard_dataset() {
    let (_dir, out) = demo();
    let bytes = std::fs::read(out.join("data/events.csv")).unwrap();
    let (header, rows) = read_csv(&bytes);
    assert_eq!(header, EVENT_COLUMNS);
    assert_eq!(rows.len(), 13);
    let row = |id: &str| rows.iter().find(|r| col(&header, r, "ID") == id).unwrap();
    let stay = row("nabari-stayhome-diary-2027");
    assert_eq!(
        col(&header, stay, "イベント名_カナ"),
        "コウカンニッキステイホームダイアリーサンカセツメイカイ"
    );
    assert_eq!(col(&header, stay, "開始日"), "2026-12-12");
    assert_eq!(col(&header, stay, "終了日"), "2026-12-12");
    assert_eq!(col(&header, stay, "開始時間"), "10:00");
    assert_eq!(col(&header, stay, "終了時間"), "11:30");
    assert_eq!(col(&header, stay, "料金（基本）"), "0");
    assert_eq!(col(&header, stay, "定員"), "20");
    // The place entry gives the venue name and address.
    assert!(!col(&header, stay, "場所名称").is_empty());
    assert!(!col(&header, stay, "住所").is_empty());
    assert_eq!(
        col(&header, stay, "URL"),
        "https://portal.example.jp/events/nabari-stayhome-diary-2027/"
    );
    let forum = row("hiroshima-hikikomori-forum-2027");
    assert_eq!(
        col(&header, forum, "備考"),
        "オンライン: https://live.footandwork.example.jp/forum-2027"
    );
    assert_eq!(
        col(&header, forum, "参加申込方法"),
        "https://footandwork.example.jp/forum-2027/"
    );
}

#[test]
fn a_formula_is_never_a_formula_in_a_spreadsheet() {
    // A cell starting with = + - @ gets a leading ' (and the import removes it).
    assert_eq!(
        tsunagu::opendata::csv::cell("=HYPERLINK(\"x\")"),
        "\"'=HYPERLINK(\"\"x\"\")\""
    );
    assert_eq!(
        tsunagu::opendata::csv::cell("+81-82-555-0100"),
        "'+81-82-555-0100"
    );
    assert_eq!(
        tsunagu::opendata::csv::unguard("'+81-82-555-0100"),
        "+81-82-555-0100"
    );
    assert_eq!(tsunagu::opendata::csv::unguard("'quoted"), "'quoted");
}
