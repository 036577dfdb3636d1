//! Calendars (`events.ics`, `events/<slug>/event.ics`) and the Atom feed
//! (`feed.xml`) of a small portal, read back with a real iCalendar parser
//! (the `icalendar` crate) and a real XML parser (`roxmltree`).

use icalendar::parser::{read_calendar, unfold, Component};
use std::path::Path;

mod common;
use common::{assert_ok, build, build_with};

const LONG_NAME: &str =
    "ひきこもりの家族のための勉強会「親が元気なうちに考えておきたい、お金と住まいと相談先のこと」";
const SUMMARY: &str = "参加無料, 予約制; 定員30名。\\マークも,そのまま";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A portal with events of every shape, published under a sub-path.
fn portal(root: &Path) {
    write(
        root,
        "site.toml",
        r#"title = "テスト, ポータル; 試験"
base_url = "https://portal.example.jp/sub/"
description = "A&B <テスト>"
[vocabulary]
categories = ["ひきこもり", "家族会"]
audience = ["家族"]
methods = ["来所"]
areas = ["広島市/中区"]
[[hotlines]]
name = "よりそいホットライン"
phone = "0120-279-338"
"#,
    );
    write(
        root,
        "content/centers/hub.md",
        "---\nname: 中区 相談センター\nkana: なかくそうだんせんたー\naddress: 広島市中区基町1-1\ngeo: {lat: 34.39, lon: 132.45}\nverified: 2026-11-01\n---\n",
    );
    write(
        root,
        "content/centers/older.md",
        "---\nname: \"A&B <相談室>\"\nkana: えーびー\nsummary: \"1 < 2 & \\\"quotes\\\"\"\nverified: 2026-10-01\n---\n",
    );
    write(
        root,
        "content/centers/gone.md",
        "---\nname: 閉じた窓口\nkana: とじたまどぐち\nstatus: closed\nverified: 2026-11-10\n---\n",
    );
    write(
        root,
        "content/organizations/kazokukai.md",
        "---\nname: 中区家族会\nkana: なかくかぞくかい\nphone: 082-555-0100\nverified: 2026-09-01\n---\n",
    );
    write(
        root,
        "content/events/long.md",
        &format!(
            "---\nname: {LONG_NAME}\nkana: べんきょうかい\nsummary: \"{}\"\ncategories: [ひきこもり, 家族会]\nstarts: \"2026-12-05T13:30\"\nends: \"2026-12-05T16:00\"\nplace: hub\nregistration: 電話で\norganizer: kazokukai\nverified: 2026-11-02\n---\n",
            SUMMARY.replace('\\', "\\\\")
        ),
    );
    write(
        root,
        "content/events/exact.md",
        "---\nname: 時差つきの会\nstarts: \"2026-12-06T10:00+09:00\"\nends: \"2026-12-06T12:00+09:00\"\nvenue: \"会議室A, 2階\"\nonline: https://meet.example.jp/x\n---\n",
    );
    write(
        root,
        "content/events/allday.md",
        "---\nname: 二日間の交流会\nstarts: \"2026-12-20\"\nends: \"2026-12-21\"\naddress: 広島市中区大手町\n---\n",
    );
    write(
        root,
        "content/events/cancelled.md",
        "---\nname: 中止になった講演会\nstarts: \"2026-12-10T18:00\"\nstatus: closed\n---\n",
    );
    write(
        root,
        "content/events/past.md",
        "---\nname: 終わった会\nstarts: \"2026-01-10T10:00\"\nends: \"2026-01-10T12:00\"\n---\n",
    );
    write(
        root,
        "content/events/secret.md",
        "---\nname: 下書きの会\nstarts: \"2026-12-11T10:00\"\ndraft: true\n---\n",
    );
}

fn built(extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    let out = dir.path().join("out");
    portal(&root);
    assert_ok(&build_with(&root, &out, extra));
    (dir, out)
}

fn prop<'a>(c: &'a Component, name: &str) -> Option<&'a str> {
    c.properties
        .iter()
        .find(|p| p.name.as_str() == name)
        .map(|p| p.val.as_str())
}

fn param<'a>(c: &'a Component, name: &str, param: &str) -> Option<&'a str> {
    c.properties
        .iter()
        .find(|p| p.name.as_str() == name)?
        .params
        .iter()
        .find(|p| p.key.as_str() == param)?
        .val
        .as_ref()
        .map(|v| v.as_str())
}

/// The raw file obeys RFC 5545's framing: CRLF only, ≤ 75 octets per
/// line, no UTF-8 sequence split by a fold.
fn assert_framing(bytes: &[u8]) {
    assert!(bytes.ends_with(b"\r\n"));
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            assert_eq!(bytes[i - 1], b'\r', "bare LF at byte {i}");
        }
    }
    for line in bytes.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(
            line.len() <= 75,
            "{} octets: {}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        assert!(
            std::str::from_utf8(line).is_ok(),
            "a fold split a UTF-8 sequence: {line:?}"
        );
    }
}

#[test]
fn events_ics_parses_back_with_every_field() {
    let (_dir, out) = built(&[]);
    let bytes = std::fs::read(out.join("events.ics")).unwrap();
    assert_framing(&bytes);
    let text = String::from_utf8(bytes).unwrap();
    // The long Japanese summary really was folded.
    assert!(text.lines().any(|l| l.starts_with(' ')));
    let unfolded = unfold(&text);
    let cal = read_calendar(&unfolded).expect("a valid iCalendar file");
    let head = Component {
        name: "VCALENDAR".into(),
        properties: cal.properties.clone(),
        components: vec![],
    };
    assert_eq!(prop(&head, "VERSION"), Some("2.0"));
    assert_eq!(prop(&head, "CALSCALE"), Some("GREGORIAN"));
    assert!(prop(&head, "PRODID").is_some_and(|p| p.contains("tsunagu")));
    assert_eq!(
        prop(&head, "X-WR-CALNAME"),
        Some("テスト, ポータル; 試験 イベント")
    );

    let events: Vec<&Component> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    let uids: Vec<&str> = events.iter().filter_map(|e| prop(e, "UID")).collect();
    // Sorted by start; the draft is never published.
    assert_eq!(
        uids,
        [
            "past@portal.example.jp",
            "long@portal.example.jp",
            "exact@portal.example.jp",
            "cancelled@portal.example.jp",
            "allday@portal.example.jp",
        ]
    );
    let by_uid = |uid: &str| *events.iter().find(|e| prop(e, "UID") == Some(uid)).unwrap();

    let long = by_uid("long@portal.example.jp");
    assert_eq!(prop(long, "SUMMARY"), Some(LONG_NAME));
    assert!(LONG_NAME.len() > 75);
    assert_eq!(prop(long, "DTSTAMP"), Some("20261121T000000Z"));
    assert_eq!(prop(long, "DTSTART"), Some("20261205T043000Z"));
    assert_eq!(prop(long, "DTEND"), Some("20261205T070000Z"));
    assert_eq!(
        prop(long, "DESCRIPTION"),
        Some(
            format!("{SUMMARY}\n申し込み: 電話で\nhttps://portal.example.jp/sub/events/long/")
                .as_str()
        )
    );
    assert_eq!(
        prop(long, "LOCATION"),
        Some("中区 相談センター, 広島市中区基町1-1")
    );
    assert_eq!(prop(long, "GEO"), Some("34.39;132.45"));
    assert_eq!(
        prop(long, "URL"),
        Some("https://portal.example.jp/sub/events/long/")
    );
    assert_eq!(prop(long, "STATUS"), Some("CONFIRMED"));
    // The escaping is on the wire, not in the value.
    assert!(unfolded.contains("参加無料\\, 予約制\\; 定員30名。\\\\マークも\\,そのまま"));

    let exact = by_uid("exact@portal.example.jp");
    assert_eq!(prop(exact, "DTSTART"), Some("20261206T010000Z"));
    assert_eq!(prop(exact, "LOCATION"), Some("会議室A, 2階"));
    assert!(prop(exact, "DESCRIPTION")
        .unwrap()
        .contains("オンライン参加: https://meet.example.jp/x"));

    let allday = by_uid("allday@portal.example.jp");
    assert_eq!(param(allday, "DTSTART", "VALUE"), Some("DATE"));
    assert_eq!(prop(allday, "DTSTART"), Some("20261220"));
    assert_eq!(param(allday, "DTEND", "VALUE"), Some("DATE"));
    assert_eq!(
        prop(allday, "DTEND"),
        Some("20261222"),
        "a date-only end includes that day"
    );
    assert_eq!(prop(allday, "LOCATION"), Some("広島市中区大手町"));

    let cancelled = by_uid("cancelled@portal.example.jp");
    assert_eq!(prop(cancelled, "STATUS"), Some("CANCELLED"));
    assert_eq!(
        prop(cancelled, "SUMMARY"),
        Some("【中止】中止になった講演会")
    );
    assert_eq!(
        prop(cancelled, "DTEND"),
        None,
        "no end: the event is an instant"
    );

    // The same calendar through the crate's typed API.
    let typed: icalendar::Calendar = text.parse().expect("icalendar::Calendar");
    use icalendar::{Component as _, EventLike as _};
    let first = typed
        .components
        .iter()
        .find_map(|c| {
            c.as_event()
                .filter(|e| e.get_uid() == Some("long@portal.example.jp"))
        })
        .unwrap();
    assert_eq!(first.get_summary(), Some(LONG_NAME));
    assert_eq!(
        first.get_location(),
        Some("中区 相談センター, 広島市中区基町1-1")
    );
}

#[test]
fn each_event_has_its_own_ics() {
    let (_dir, out) = built(&[]);
    for slug in ["long", "exact", "allday", "cancelled", "past"] {
        let bytes = std::fs::read(out.join(format!("events/{slug}/event.ics"))).unwrap();
        assert_framing(&bytes);
        let text = String::from_utf8(bytes).unwrap();
        let unfolded = unfold(&text);
        let cal = read_calendar(&unfolded).unwrap();
        let events: Vec<&Component> = cal
            .components
            .iter()
            .filter(|c| c.name.as_str() == "VEVENT")
            .collect();
        assert_eq!(events.len(), 1, "{slug}");
        assert_eq!(
            prop(events[0], "UID"),
            Some(format!("{slug}@portal.example.jp").as_str())
        );
    }
    assert!(
        !out.join("events/secret/event.ics").exists(),
        "drafts are never published"
    );
    // Not even in a --drafts build.
    let (_dir2, out2) = built(&["--drafts"]);
    assert!(out2.join("events/secret/index.html").exists());
    assert!(!out2.join("events/secret/event.ics").exists());
    assert!(!std::fs::read_to_string(out2.join("events.ics"))
        .unwrap()
        .contains("secret@"));
}

#[test]
fn feeds_are_byte_identical_across_builds() {
    let (_a, out_a) = built(&[]);
    let (_b, out_b) = built(&[]);
    for f in ["events.ics", "feed.xml", "events/long/event.ics"] {
        assert_eq!(
            std::fs::read(out_a.join(f)).unwrap(),
            std::fs::read(out_b.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn atom_feed_parses_and_lists_upcoming_events_then_verified_entries() {
    let (_dir, out) = built(&[]);
    let text = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    assert_eq!(feed.tag_name().name(), "feed");
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children()
            .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(atom))
            .and_then(|c| c.text().map(str::to_string))
    };
    assert_eq!(
        child(feed, "title").as_deref(),
        Some("テスト, ポータル; 試験")
    );
    assert_eq!(child(feed, "subtitle").as_deref(), Some("A&B <テスト>"));
    assert_eq!(
        child(feed, "id").as_deref(),
        Some("https://portal.example.jp/sub/")
    );
    let self_link = feed
        .children()
        .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self"))
        .unwrap();
    assert_eq!(
        self_link.attribute("href"),
        Some("https://portal.example.jp/sub/feed.xml")
    );
    // The newest date in the feed: events without `verified` are dated by
    // the build's today (from SOURCE_DATE_EPOCH, so still reproducible).
    assert_eq!(
        child(feed, "updated").as_deref(),
        Some("2026-11-21T00:00:00+09:00")
    );

    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    let ids: Vec<String> = entries.iter().map(|e| child(*e, "id").unwrap()).collect();
    let base = "https://portal.example.jp/sub/";
    assert_eq!(
        ids,
        [
            // Upcoming events, soonest first (not the past, cancelled or draft ones).
            format!("{base}events/long/"),
            format!("{base}events/exact/"),
            format!("{base}events/allday/"),
            // Verified entries, newest first (not the closed one).
            format!("{base}centers/hub/"),
            format!("{base}centers/older/"),
            format!("{base}organizations/kazokukai/"),
        ]
    );
    let older = entries[4];
    assert_eq!(child(older, "title").as_deref(), Some("A&B <相談室>"));
    assert_eq!(
        child(older, "summary").as_deref(),
        Some("1 < 2 & \"quotes\"")
    );
    assert_eq!(
        child(older, "updated").as_deref(),
        Some("2026-10-01T00:00:00+09:00")
    );
    let long = entries[0];
    assert_eq!(child(long, "title").as_deref(), Some(LONG_NAME));
    assert_eq!(
        child(long, "updated").as_deref(),
        Some("2026-11-02T00:00:00+09:00")
    );
    assert_eq!(
        child(entries[1], "updated").as_deref(),
        Some("2026-11-21T00:00:00+09:00")
    );
    assert_eq!(
        child(entries[3], "updated").as_deref(),
        Some("2026-11-01T00:00:00+09:00")
    );
    let summary = child(long, "summary").unwrap();
    assert!(
        summary.starts_with("2026年12月5日(土) 13:30〜 / 中区 相談センター"),
        "{summary}"
    );
    for e in &entries {
        let link = e
            .children()
            .find(|c| c.tag_name().name() == "link")
            .unwrap();
        assert!(link.attribute("href").unwrap().starts_with(base));
        assert!(child(*e, "updated").is_some());
    }
}

#[test]
fn markup_and_script_urls_never_reach_a_data_file_raw() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    let out = dir.path().join("out");
    portal(&root);
    let payload = "<script>alert(1)</script> JavaScript:alert(1) & vbscript:x";
    write(
        &root,
        "content/events/markup.md",
        &format!(
            "---\nname: \"{payload}\"\nsummary: \"{payload}\"\nstarts: \"2026-12-24T10:00\"\n---\n"
        ),
    );
    assert_ok(&build(&root, &out));
    for f in [
        "events.ics",
        "events/markup/event.ics",
        "feed.xml",
        "data/entries.json",
    ] {
        let raw = std::fs::read_to_string(out.join(f))
            .unwrap()
            .to_ascii_lowercase();
        assert!(
            !raw.contains("<script") && !raw.contains("javascript:") && !raw.contains("vbscript:"),
            "{f}"
        );
    }
    // JSON and XML keep the exact text for their readers…
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/entries.json")).unwrap()).unwrap();
    let e = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "markup")
        .unwrap();
    assert_eq!(e["name"], payload);
    let xml = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let feed = roxmltree::Document::parse(&xml).unwrap();
    assert!(feed
        .descendants()
        .any(|n| n.tag_name().name() == "title" && n.text() == Some(payload)));
    // …iCalendar has no such escape: the markup is shown with harmless characters.
    let ics = std::fs::read_to_string(out.join("events/markup/event.ics")).unwrap();
    let unfolded = unfold(&ics);
    let cal = read_calendar(&unfolded).unwrap();
    let ev = cal
        .components
        .iter()
        .find(|c| c.name.as_str() == "VEVENT")
        .unwrap();
    assert_eq!(
        prop(ev, "SUMMARY"),
        Some("＜script＞alert(1)＜/script＞ JavaScript：alert(1) & vbscript：x")
    );
}
