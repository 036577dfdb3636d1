//! schema.org JSON-LD of entry pages (src/render/jsonld.rs), read back
//! from built portals the way a search engine reads it.
//!
//! The demo portal and a hostile fixture are built with the real binary;
//! every `<script type="application/ld+json">` of every page is parsed and
//! checked:
//!
//! - the top node and every nested node has an `@type` from [`VOCAB`] and
//!   uses only properties [`VOCAB`] lists for that type;
//! - the properties schema.org and Google's structured-data guidelines
//!   require are there (Event: `name`, `startDate`, `location`;
//!   Organization / GovernmentService: `name`; OpeningHoursSpecification:
//!   `dayOfWeek`, `opens`, `closes`; VirtualLocation: `url`; Place of an
//!   event: `address`), with valid values (days are schema.org `DayOfWeek`
//!   members, times are `hh:mm:ss`, dates ISO 8601, the attendance mode
//!   and status are schema.org enumeration members);
//! - centers and cafeterias with hours carry them; events carry the
//!   attendance mode that matches the page.
//!
//! [`VOCAB`] is a small table of the types and properties tsunagu writes,
//! each checked by hand against the schema.org page of the type (cited in
//! the table). That the table itself agrees with the published vocabulary
//! is checked by tests/browser/families.test.mjs against `schema-dts`
//! (Google's machine-readable rendering of schema.org, an npm dev
//! dependency there), which also checks the built pages directly.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;
use common::{assert_ok, build, repo};

/// Types tsunagu writes → the properties it may use on them (own or
/// inherited from Thing / Organization / Place / Service / ContactPoint).
const VOCAB: &[(&str, &str, &[&str])] = &[
    (
        "Organization",
        "https://schema.org/Organization",
        &[
            "name",
            "description",
            "url",
            "sameAs", // Thing
            "telephone",
            "email",
            "address",
            "location",
            "contactPoint",
            "areaServed",
            "parentOrganization",
        ],
    ),
    (
        "GovernmentService",
        "https://schema.org/GovernmentService",
        &[
            "name",
            "description",
            "url", // Thing
            "serviceType",
            "provider",
            "areaServed",
            "audience",
            "hoursAvailable",
            "availableChannel", // Service
        ],
    ),
    (
        "ServiceChannel",
        "https://schema.org/ServiceChannel",
        &[
            "servicePhone",
            "serviceLocation",
            "serviceUrl",
            "availableLanguage",
        ],
    ),
    (
        "ContactPoint",
        "https://schema.org/ContactPoint",
        &[
            "contactType",
            "telephone",
            "email",
            "hoursAvailable",
            "availableLanguage",
        ],
    ),
    (
        "Place",
        "https://schema.org/Place",
        &[
            "name",
            "url",
            "address",
            "geo",
            "openingHoursSpecification",
            "specialOpeningHoursSpecification",
        ],
    ),
    (
        "PostalAddress",
        "https://schema.org/PostalAddress",
        &[
            "streetAddress",
            "addressLocality",
            "addressRegion",
            "addressCountry",
        ],
    ),
    (
        "GeoCoordinates",
        "https://schema.org/GeoCoordinates",
        &["latitude", "longitude"],
    ),
    (
        "OpeningHoursSpecification",
        "https://schema.org/OpeningHoursSpecification",
        &["dayOfWeek", "opens", "closes", "validFrom", "validThrough"],
    ),
    ("Audience", "https://schema.org/Audience", &["audienceType"]),
    (
        "Event",
        "https://schema.org/Event",
        &[
            "name",
            "description",
            "url", // Thing
            "startDate",
            "endDate",
            "eventAttendanceMode",
            "eventStatus",
            "location",
            "organizer",
            "audience",
            "maximumAttendeeCapacity",
            "isAccessibleForFree",
            "offers",
        ],
    ),
    (
        "VirtualLocation",
        "https://schema.org/VirtualLocation",
        &["url", "name"],
    ),
    (
        "Offer",
        "https://schema.org/Offer",
        &["price", "priceCurrency", "url"],
    ),
];

/// Required properties per type (schema.org marks none as required;
/// these are Google's "required" for rich results where Google has a
/// guideline, and what the type means nothing without otherwise).
const REQUIRED: &[(&str, &[&str])] = &[
    ("Organization", &["name"]),
    ("GovernmentService", &["name"]),
    ("Event", &["name", "startDate", "location"]),
    (
        "OpeningHoursSpecification",
        &["dayOfWeek", "opens", "closes"],
    ),
    ("VirtualLocation", &["url"]),
    ("PostalAddress", &["addressCountry"]),
    ("GeoCoordinates", &["latitude", "longitude"]),
    ("Offer", &["price", "priceCurrency"]),
    ("ContactPoint", &["contactType"]),
];

const DAYS: [&str; 8] = [
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
    "https://schema.org/Saturday",
    "https://schema.org/Sunday",
    "https://schema.org/PublicHolidays",
];

const ATTENDANCE: [&str; 3] = [
    "https://schema.org/OfflineEventAttendanceMode",
    "https://schema.org/OnlineEventAttendanceMode",
    "https://schema.org/MixedEventAttendanceMode",
];

const EVENT_STATUS: [&str; 5] = [
    "https://schema.org/EventScheduled",
    "https://schema.org/EventCancelled",
    "https://schema.org/EventPostponed",
    "https://schema.org/EventRescheduled",
    "https://schema.org/EventMovedOnline",
];

/// The demo portal, built once for the tests of this file (in Cargo's
/// temporary folder for integration tests).
fn demo_out() -> &'static Path {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("jsonld-demo");
        if out.exists() {
            std::fs::remove_dir_all(&out).expect("remove the previous demo build");
        }
        assert_ok(&build(&repo(), &out));
        out
    })
}

/// Every page's JSON-LD blocks (raw text between the tags), by page path.
fn blocks(out: &Path) -> BTreeMap<String, Vec<String>> {
    let sel = scraper::Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let mut map = BTreeMap::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let html = std::fs::read_to_string(e.path()).unwrap();
        let doc = scraper::Html::parse_document(&html);
        let found: Vec<String> = doc
            .select(&sel)
            .map(|s| s.text().collect::<String>())
            .collect();
        map.insert(rel, found);
    }
    map
}

fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 8
        && s.split(':').count() == 3
        && s.split(':')
            .all(|p| p.len() == 2 && p.bytes().all(|c| c.is_ascii_digit()))
        && s[..2] < *"24"
        && s[3..5] < *"60"
        && s[6..] < *"60"
}

fn is_date(s: &str) -> bool {
    jiff::civil::Date::strptime("%Y-%m-%d", s).is_ok()
}

/// `2026-12-05T13:30+09:00` or a date.
fn is_datetime(s: &str) -> bool {
    is_date(s) || jiff::Timestamp::strptime("%Y-%m-%dT%H:%M%:z", s).is_ok()
}

/// Checks one node and everything under it; returns the problems.
fn check_node(page: &str, path: &str, v: &Value, bad: &mut Vec<String>, seen: &mut Vec<String>) {
    let Some(obj) = v.as_object() else {
        return;
    };
    let Some(ty) = obj.get("@type").and_then(Value::as_str) else {
        bad.push(format!("{page}: {path}: a node without @type: {v}"));
        return;
    };
    seen.push(ty.to_string());
    let Some((_, _, props)) = VOCAB.iter().find(|(t, _, _)| *t == ty) else {
        bad.push(format!("{page}: {path}: unexpected @type {ty}"));
        return;
    };
    for key in obj.keys() {
        if key == "@type" || (key == "@context" && path.is_empty()) {
            continue;
        }
        if !props.contains(&key.as_str()) {
            bad.push(format!(
                "{page}: {path}: `{key}` is not a property tsunagu may use on {ty}"
            ));
        }
    }
    if let Some((_, req)) = REQUIRED.iter().find(|(t, _)| *t == ty) {
        // A closed-days specification (validFrom/validThrough, opens =
        // closes = 00:00:00, Google's form for special hours) has no days
        // of the week: it applies to those dates whatever the weekday.
        let dated_closure = ty == "OpeningHoursSpecification"
            && obj.contains_key("validFrom")
            && obj.get("opens") == obj.get("closes");
        for r in *req {
            if dated_closure && *r == "dayOfWeek" {
                continue;
            }
            let present = obj.get(*r).is_some_and(|x| match x {
                Value::String(s) => !s.trim().is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Null => false,
                _ => true,
            });
            if !present {
                bad.push(format!("{page}: {path}: {ty} without `{r}`"));
            }
        }
    }
    match ty {
        "OpeningHoursSpecification" => {
            let days: Vec<&Value> = match obj.get("dayOfWeek") {
                Some(Value::Array(a)) => a.iter().collect(),
                Some(x) => vec![x],
                None => vec![],
            };
            for d in days {
                if !d.as_str().is_some_and(|d| DAYS.contains(&d)) {
                    bad.push(format!(
                        "{page}: {path}: dayOfWeek {d} is not a schema.org DayOfWeek"
                    ));
                }
            }
            let (o, c) = (
                obj.get("opens").and_then(Value::as_str).unwrap_or(""),
                obj.get("closes").and_then(Value::as_str).unwrap_or(""),
            );
            // Closed all day: 00:00:00 to 00:00:00 on dated specifications
            // without days, under specialOpeningHoursSpecification or in
            // hoursAvailable beside the regular hours.
            let closed_all_day = o == "00:00:00"
                && c == "00:00:00"
                && obj.contains_key("validFrom")
                && !obj.contains_key("dayOfWeek");
            if !is_time(o) || !is_time(c) || (o >= c && !closed_all_day) {
                bad.push(format!("{page}: {path}: opens {o:?} / closes {c:?}"));
            }
            if path.contains("specialOpeningHoursSpecification") && !closed_all_day {
                bad.push(format!(
                    "{page}: {path}: special hours that are not a closed day"
                ));
            }
            for k in ["validFrom", "validThrough"] {
                if let Some(d) = obj.get(k) {
                    if !d.as_str().is_some_and(is_date) {
                        bad.push(format!("{page}: {path}: {k} {d}"));
                    }
                }
            }
        }
        "Event" => {
            for k in ["startDate", "endDate"] {
                if let Some(d) = obj.get(k) {
                    if !d.as_str().is_some_and(is_datetime) {
                        bad.push(format!("{page}: {path}: {k} {d} is not ISO 8601"));
                    }
                }
            }
            let mode = obj.get("eventAttendanceMode").and_then(Value::as_str);
            if !mode.is_some_and(|m| ATTENDANCE.contains(&m)) {
                bad.push(format!("{page}: {path}: eventAttendanceMode {mode:?}"));
            }
            let status = obj.get("eventStatus").and_then(Value::as_str);
            if !status.is_some_and(|s| EVENT_STATUS.contains(&s)) {
                bad.push(format!("{page}: {path}: eventStatus {status:?}"));
            }
            // Google: a Place location needs an address.
            let locs: Vec<&Value> = match obj.get("location") {
                Some(Value::Array(a)) => a.iter().collect(),
                Some(x) => vec![x],
                None => vec![],
            };
            for l in locs {
                let lt = l.get("@type").and_then(Value::as_str);
                if lt == Some("Place") && l.get("address").is_none() {
                    bad.push(format!("{page}: {path}: event Place without address"));
                }
                if !matches!(lt, Some("Place") | Some("VirtualLocation")) {
                    bad.push(format!("{page}: {path}: event location of type {lt:?}"));
                }
            }
        }
        "GeoCoordinates" => {
            let ok = |k: &str, lim: f64| {
                obj.get(k)
                    .and_then(Value::as_f64)
                    .is_some_and(|x| x.abs() <= lim)
            };
            if !ok("latitude", 90.0) || !ok("longitude", 180.0) {
                bad.push(format!("{page}: {path}: coordinates {v}"));
            }
        }
        "Offer" => {
            if obj.get("priceCurrency").and_then(Value::as_str) != Some("JPY")
                || !obj.get("price").is_some_and(Value::is_number)
            {
                bad.push(format!("{page}: {path}: offer {v}"));
            }
        }
        _ => {}
    }
    for (k, child) in obj {
        let children: Vec<&Value> = match child {
            Value::Array(a) => a.iter().collect(),
            x => vec![x],
        };
        for c in children {
            if c.is_object() {
                check_node(page, &format!("{path}/{k}"), c, bad, seen);
            }
        }
    }
}

#[test]
fn demo_portal_json_ld_is_valid_schema_org() {
    let all = blocks(demo_out());
    let mut bad = Vec::new();
    let mut types_seen = Vec::new();
    let mut entry_pages = 0;
    for (page, list) in &all {
        let kind = page.split('/').next().unwrap_or("");
        let is_entry = page.matches('/').count() == 2
            && ["centers", "cafeterias", "organizations", "events"].contains(&kind);
        if !is_entry {
            if !list.is_empty() {
                bad.push(format!("{page}: JSON-LD on a page that is not an entry"));
            }
            continue;
        }
        entry_pages += 1;
        // A closed place is not described (its hours and phone are void);
        // a closed event is, as cancelled.
        let html = std::fs::read_to_string(demo_out().join(page)).unwrap();
        let closed_place = kind != "events" && html.contains("notice-closed");
        let expected_blocks = if closed_place { 0 } else { 1 };
        if list.len() != expected_blocks {
            bad.push(format!("{page}: {} JSON-LD blocks", list.len()));
            continue;
        }
        if closed_place {
            continue;
        }
        let raw = &list[0];
        assert!(!raw.contains('<'), "{page}: raw < in JSON-LD");
        let v: Value = match serde_json::from_str(raw) {
            Ok(v) => v,
            Err(e) => {
                bad.push(format!("{page}: JSON-LD does not parse: {e}"));
                continue;
            }
        };
        if v.get("@context").and_then(Value::as_str) != Some("https://schema.org") {
            bad.push(format!("{page}: @context {:?}", v.get("@context")));
        }
        let ty = v.get("@type").and_then(Value::as_str).unwrap_or("");
        let expected: &[&str] = match kind {
            "events" => &["Event"],
            "centers" => &["GovernmentService", "Organization"],
            _ => &["Organization"],
        };
        if !expected.contains(&ty) {
            bad.push(format!("{page}: @type {ty}, expected one of {expected:?}"));
        }
        // The page's own address is the node's url.
        let canonical = format!(
            "https://portal.example.jp/{}",
            page.trim_end_matches("index.html")
        );
        if v.get("url").and_then(Value::as_str) != Some(canonical.as_str()) {
            bad.push(format!("{page}: url {:?}", v.get("url")));
        }
        check_node(page, "", &v, &mut bad, &mut types_seen);
    }
    assert!(entry_pages >= 40, "only {entry_pages} entry pages");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    for t in [
        "Event",
        "GovernmentService",
        "Organization",
        "OpeningHoursSpecification",
        "Place",
        "PostalAddress",
        "VirtualLocation",
    ] {
        assert!(types_seen.iter().any(|s| s == t), "the demo never uses {t}");
    }
}

/// The demo's facts come out where a reader of the JSON-LD expects them.
#[test]
fn demo_portal_json_ld_carries_the_facts() {
    let out = demo_out();
    let all = blocks(out);
    let get = |p: &str| -> Value {
        let list = all.get(p).unwrap_or_else(|| panic!("no page {p}"));
        serde_json::from_str(&list[0]).unwrap()
    };
    // A public center: GovernmentService with weekly hours.
    let nabari = get("centers/nabari-houkatsu/index.html");
    assert_eq!(nabari["@type"], "GovernmentService", "{nabari}");
    let hours = nabari["hoursAvailable"].as_array().expect("hours");
    assert!(hours.iter().any(|h| h["dayOfWeek"]
        .as_array()
        .is_some_and(|d| d.contains(&Value::from("https://schema.org/Monday")))));
    // An event with a place and an online link: mixed attendance, both locations.
    let events: Vec<(String, Value)> = all
        .iter()
        .filter(|(p, l)| p.starts_with("events/") && !l.is_empty())
        .map(|(p, l)| (p.clone(), serde_json::from_str(&l[0]).unwrap()))
        .collect();
    assert!(events.len() >= 10, "{}", events.len());
    for (p, e) in &events {
        let html = std::fs::read_to_string(out.join(p)).unwrap();
        let mode = e["eventAttendanceMode"].as_str().unwrap();
        let expect = if html.contains("会場でもオンラインでも参加できます") {
            "https://schema.org/MixedEventAttendanceMode"
        } else if html.contains("オンラインで参加") {
            "https://schema.org/OnlineEventAttendanceMode"
        } else {
            "https://schema.org/OfflineEventAttendanceMode"
        };
        assert_eq!(mode, expect, "{p}");
        let start = e["startDate"].as_str().unwrap();
        assert!(
            html.contains(&format!("datetime=\"{start}\"")),
            "{p}: startDate {start} is not the page's time"
        );
    }
}

/// A name that tries to close the script element comes out as one JSON
/// string inside one block: it parses, and no `</script` is in the raw text.
#[test]
fn hostile_names_cannot_leave_the_json_ld_block() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    let payload = "</script><script>alert(1)</script><!--";
    std::fs::create_dir_all(root.join("content/centers")).unwrap();
    std::fs::create_dir_all(root.join("content/events")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        r#"title = "テスト"
base_url = "https://portal.example.jp/"
[vocabulary]
categories = ["ひきこもり"]
areas = ["名張市"]
[[hotlines]]
name = "よりそいホットライン"
phone = "0120-279-338"
"#,
    )
    .unwrap();
    let q = |s: &str| serde_json::to_string(s).unwrap();
    std::fs::write(
        root.join("content/centers/evil.md"),
        format!(
            "---\nname: {}\nkana: {}\nsummary: {}\naddress: {}\nphone: 0595-63-1111\nhours:\n  - {{days: [mon, hol], open: \"9:00\", close: \"24:00\", note: {}}}\n  - {{weekday: thu, nth: -1, open: \"13:30\", close: \"16:30\"}}\nverified: 2026-11-01\n---\n本文\n",
            q(&format!("名張市{payload}センター")),
            q("なばり"),
            q(payload),
            q(&format!("三重県名張市{payload}")),
            q(payload)
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("content/events/evil-event.md"),
        format!(
            "---\nname: {}\nstarts: \"2026-12-05T13:30\"\nvenue: {}\nonline: true\nplace: evil\nfree: true\n---\n",
            q(payload),
            q(payload)
        ),
    )
    .unwrap();
    let out = tmp.path().join("public");
    assert_ok(&build(&root, &out));
    let all = blocks(&out);
    let mut seen = Vec::new();
    for page in ["centers/evil/index.html", "events/evil-event/index.html"] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let list = &all[page];
        assert_eq!(list.len(), 1, "{page}: {list:?}");
        let raw = &list[0];
        assert!(
            !raw.to_ascii_lowercase().contains("</script") && !raw.contains('<'),
            "{page}: {raw}"
        );
        // The whole block ends where it should: exactly one JSON-LD opening
        // tag, and the element closes right after the JSON.
        assert_eq!(
            html.matches("<script type=\"application/ld+json\">")
                .count(),
            1
        );
        assert!(html.contains(&format!("{raw}</script>")));
        let v: Value = serde_json::from_str(raw).expect("parses");
        assert!(
            v["name"].as_str().unwrap().contains(payload),
            "the payload is kept as text: {v}"
        );
        let mut bad = Vec::new();
        check_node(page, "", &v, &mut bad, &mut seen);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        // No executable script but the theme's own.
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("script").unwrap();
        for s in doc.select(&sel) {
            let ty = s.value().attr("type");
            let src = s.value().attr("src");
            assert!(
                ty == Some("application/ld+json") || src.is_some_and(|s| s.starts_with('/')),
                "{page}: {}",
                s.html()
            );
        }
    }
    let center: Value = serde_json::from_str(&all["centers/evil/index.html"][0]).unwrap();
    assert_eq!(center["@type"], "GovernmentService");
    let hours = center["hoursAvailable"].as_array().unwrap();
    assert_eq!(
        hours[0]["dayOfWeek"],
        serde_json::json!([
            "https://schema.org/Monday",
            "https://schema.org/PublicHolidays"
        ])
    );
    assert_eq!(hours[0]["closes"], "23:59:59");
    // The last Thursday as dated hours after 2026-11-21: 11-26, 12-31, 2027-01-28.
    let dated: Vec<&str> = hours
        .iter()
        .filter_map(|h| h["validFrom"].as_str())
        .collect();
    assert_eq!(dated, ["2026-11-26", "2026-12-31", "2027-01-28"]);
    let event: Value = serde_json::from_str(&all["events/evil-event/index.html"][0]).unwrap();
    assert_eq!(
        event["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );
    assert_eq!(event["isAccessibleForFree"], true);
    assert_eq!(event["offers"]["price"], 0);
}
