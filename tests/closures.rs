//! Closed days (issue #13) at fixed clocks, read back from a built
//! portal: the hours text and `data-hours` on the page, and the JSON-LD
//! special opening hours, for builds "today" = 12/28, 12/29, 1/3, 1/4 and
//! a 臨時休館 day. The badge itself (opening.js) at those clocks is tested
//! in tests/js/opening.test.mjs and, on this portal in Chromium, in
//! tests/browser/closures.test.mjs.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

mod common;
use common::{assert_ok, repo};

/// Builds the closures fixture with the build's today at `date` 10:00 JST
/// and returns the center's page.
fn page_at(date: &str) -> String {
    std::fs::read_to_string(build_at(date, "page").join("centers/madoguchi/index.html")).unwrap()
}

/// Builds the closures fixture with the build's today at `date` 10:00 JST
/// (into a folder of its own per `tag`: the tests run in parallel).
fn build_at(date: &str, tag: &str) -> PathBuf {
    let day: jiff::civil::Date = date.parse().unwrap();
    let epoch = day
        .at(10, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Asia/Tokyo").unwrap())
        .unwrap()
        .timestamp()
        .as_second();
    let root = repo().join("tests/fixtures/portals/closures");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("closures-{tag}-{date}"));
    let o = Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--force-out",
            "--quiet",
        ])
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_ok(&o);
    out
}

fn jsonld(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// The hours specifications: on a `Place` (`Organization`) or, for a
/// `GovernmentService` like this center, in `hoursAvailable`.
fn specs(v: &Value) -> Vec<Value> {
    let place = &v["location"];
    let mut all: Vec<Value> = Vec::new();
    for list in [
        &place["openingHoursSpecification"],
        &place["specialOpeningHoursSpecification"],
        &v["hoursAvailable"],
    ] {
        all.extend(list.as_array().cloned().unwrap_or_default());
    }
    all
}

/// `[(validFrom, validThrough)]` of the closed days the JSON-LD lists.
fn closed_days(html: &str) -> Vec<(String, String)> {
    specs(&jsonld(html))
        .iter()
        .filter(|s| s.get("dayOfWeek").is_none())
        .map(|s| {
            assert_eq!(
                (s["opens"].as_str(), s["closes"].as_str()),
                (Some("00:00:00"), Some("00:00:00")),
                "{s}"
            );
            (
                s["validFrom"].as_str().unwrap().to_string(),
                s["validThrough"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn data_hours(html: &str) -> Value {
    let start = html.find("data-hours=\"").expect("data-hours") + 12;
    let end = start + html[start..].find('"').unwrap();
    serde_json::from_str(&html[start..end].replace("&quot;", "\"")).unwrap()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn the_new_year_and_a_one_off_closure_at_fixed_clocks() {
    // 12/28: the whole New Year span ahead, then the 臨時休館 day.
    let p = page_at("2026-12-28");
    assert!(
        p.contains("<p class=\"hours-closed\">休み: 年末年始(12月29日〜1月3日)、2027年1月15日(臨時休館)</p>"),
        "the hours text names the closed days"
    );
    assert_eq!(
        closed_days(&p),
        [
            pair("2026-12-29", "2027-01-03"),
            pair("2027-01-15", "2027-01-15")
        ]
    );
    assert_eq!(
        data_hours(&p)["closed"],
        serde_json::json!([
            {"yearly": "12-29", "to": "01-03", "label": "年末年始"},
            {"date": "2027-01-15", "to": "2027-01-15", "label": "臨時休館"}
        ])
    );
    // 12/29 and 1/3: closed today, until 1/3.
    assert_eq!(
        closed_days(&page_at("2026-12-29"))[0],
        pair("2026-12-29", "2027-01-03")
    );
    assert_eq!(
        closed_days(&page_at("2027-01-03"))[0],
        pair("2027-01-03", "2027-01-03")
    );
    // 1/4: open again; the next closed day is the 臨時休館.
    assert_eq!(
        closed_days(&page_at("2027-01-04"))[0],
        pair("2027-01-15", "2027-01-15")
    );
    // On the 臨時休館 day itself, and after it: the date is gone from the
    // page and the data once it has passed.
    assert_eq!(
        closed_days(&page_at("2027-01-15"))[0],
        pair("2027-01-15", "2027-01-15")
    );
    let after = page_at("2027-01-16");
    assert!(
        !after.contains("2027年1月15日"),
        "a past 臨時休館 is not shown"
    );
    assert!(!after.contains("2027-01-15"), "nor in the data or JSON-LD");
    // The weekly hours stay as they are.
    let regular = specs(&jsonld(&after));
    assert_eq!(regular.len(), 1, "{regular:?}");
    assert_eq!(regular[0]["opens"], "09:00:00");
}

#[test]
fn the_open_data_carries_the_closed_days() {
    let out = build_at("2026-12-28", "data");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("data/entries.json")).unwrap())
            .unwrap();
    let entry = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "madoguchi")
        .expect("the center in entries.json");
    assert_eq!(
        entry["closed"],
        serde_json::json!([
            {"yearly": "12-29", "to": "01-03", "label": "年末年始", "text": "年末年始(12月29日〜1月3日)"},
            {"date": "2027-01-15", "to": "2027-01-15", "label": "臨時休館", "text": "2027年1月15日", "note": "臨時休館"}
        ])
    );
    let csv = std::fs::read_to_string(out.join("data/public-facilities.csv")).unwrap();
    assert!(
        csv.contains("【休館日】年末年始(12月29日〜1月3日)、2027年1月15日(臨時休館)"),
        "the 利用可能日時特記事項 cell names the closed days: {csv}"
    );
}
