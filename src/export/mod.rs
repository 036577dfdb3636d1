//! The open-data output stage: what the build publishes for other systems.
//! It produces [`OutputFile`]s and never writes to disk (only `output` does).
//!
//! | file | what |
//! |---|---|
//! | `data/entries.json` | every entry (closed ones too, with their status; never drafts), close to Open Referral HSDS |
//! | `data/public-facilities.csv` | centers and cafeterias in the columns of 自治体標準オープンデータセット「公共施設一覧」 |
//! | `data/events.csv` | events in the columns of 「イベント一覧」 |
//! | `data/holidays.json` | the national holidays of this year and the next two (for `opening.js`) |
//!
//! Deterministic: entries in (kind, slug) order, dates from the content
//! and from the build's `today`. The shapes are documented field by field
//! in `docs/open-data.md`.

use crate::feeds::{self, absolute_url, published, FeedError};
use crate::model::{Day, Entry, EventTime, HoursRule, Kind, Online, Registration, Status, Weekday};
use crate::opendata::schedule::{self, hhmm};
use crate::opendata::{csv, kana, EVENT_COLUMNS, FACILITY_COLUMNS};
use crate::output::OutputFile;
use crate::site::Site;
use serde::Serialize;

/// Where the files go, relative to the output root.
pub const ENTRIES_JSON: &str = "data/entries.json";
pub const FACILITIES_CSV: &str = "data/public-facilities.csv";
pub const EVENTS_CSV: &str = "data/events.csv";
pub const HOLIDAYS_JSON: &str = "data/holidays.json";

/// Every open-data file, sorted by path.
pub fn export(site: &Site) -> Result<Vec<OutputFile>, FeedError> {
    let year = site.today.year();
    let mut files = vec![
        OutputFile {
            path: ENTRIES_JSON.to_string(),
            bytes: entries_json(site)?,
        },
        OutputFile {
            path: FACILITIES_CSV.to_string(),
            bytes: facilities_csv(site),
        },
        OutputFile {
            path: EVENTS_CSV.to_string(),
            bytes: events_csv(site)?,
        },
        OutputFile {
            path: HOLIDAYS_JSON.to_string(),
            bytes: crate::holidays::to_json(year..=year.saturating_add(2)).into_bytes(),
        },
    ];
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

// ---------------------------------------------------------------- JSON

#[derive(Serialize)]
struct Document<'a> {
    /// Name and version of this shape.
    format: &'static str,
    site: SiteInfo<'a>,
    /// The build's "today" in the site's timezone.
    today: String,
    entries: Vec<JsonEntry<'a>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    url: String,
    language: &'a str,
    timezone: &'a str,
}

#[derive(Serialize)]
struct JsonEntry<'a> {
    id: &'a str,
    kind: &'static str,
    name: &'a str,
    alternate_name: Option<&'a str>,
    description: Option<&'a str>,
    url: Option<&'a str>,
    page_url: String,
    email: Option<&'a str>,
    phones: Vec<Phone<'a>>,
    organization: Option<&'a str>,
    location: Option<Location<'a>>,
    schedules: Vec<Schedule<'a>>,
    /// Closed days, as `data-hours` writes them (named spans resolved to
    /// dates) plus `text` in plain Japanese; past one-off dates left out.
    closed: Vec<serde_json::Value>,
    hours_note: Option<&'a str>,
    categories: &'a [String],
    audience: &'a [String],
    methods: &'a [String],
    area: Option<&'a str>,
    keywords: &'a [String],
    fee: Option<&'a str>,
    free: Option<bool>,
    anonymous: Option<bool>,
    languages: &'a [String],
    min_age: Option<u16>,
    max_age: Option<u16>,
    status: &'static str,
    verified: Option<String>,
    event: Option<EventInfo<'a>>,
}

#[derive(Serialize)]
struct Phone<'a> {
    number: &'a str,
    tel: String,
}

#[derive(Serialize)]
struct Location<'a> {
    name: Option<&'a str>,
    address: Option<&'a str>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    transportation: Option<&'a str>,
    accessibility: Option<&'a str>,
}

#[derive(Serialize)]
struct Schedule<'a> {
    freq: &'static str,
    byday: String,
    public_holidays: bool,
    opens_at: String,
    closes_at: String,
    description: Option<&'a str>,
    text: String,
}

#[derive(Serialize)]
struct EventInfo<'a> {
    starts: String,
    ends: Option<String>,
    all_day: bool,
    venue: Option<&'a str>,
    place: Option<&'a str>,
    online: bool,
    online_url: Option<&'a str>,
    registration: Option<&'a str>,
    registration_url: Option<&'a str>,
    capacity: Option<u32>,
    organizer: Option<&'a str>,
}

const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

fn byday(w: Weekday) -> &'static str {
    BYDAY[w.index()]
}

fn schedule(rule: &HoursRule) -> Schedule<'_> {
    let (freq, byday, hol) = match rule {
        HoursRule::Weekly { days, .. } => (
            "WEEKLY",
            days.iter()
                .filter_map(|d| d.weekday())
                .map(byday)
                .collect::<Vec<_>>()
                .join(","),
            days.contains(&Day::Hol),
        ),
        HoursRule::Monthly { weekday, nth, .. } => {
            ("MONTHLY", format!("{nth}{}", byday(*weekday)), false)
        }
    };
    Schedule {
        freq,
        byday,
        public_holidays: hol,
        opens_at: hhmm(rule.open()),
        closes_at: hhmm(rule.close()),
        description: rule.note(),
        text: rule.japanese(),
    }
}

fn event_time(site: &Site, t: EventTime) -> String {
    match t {
        EventTime::AllDay(d) => d.to_string(),
        t => t
            .to_zoned(&site.timezone)
            .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
            .unwrap_or_default(),
    }
}

fn slice(v: &Option<Vec<String>>) -> &[String] {
    v.as_deref().unwrap_or(&[])
}

fn json_entry<'a>(site: &Site, e: &'a Entry) -> JsonEntry<'a> {
    let f = &e.fields;
    let location = Location {
        name: f.venue.as_deref(),
        address: f.address.as_deref(),
        latitude: f.geo.map(|g| g.lat),
        longitude: f.geo.map(|g| g.lon),
        transportation: f.access.as_deref(),
        accessibility: f.accessibility.as_deref(),
    };
    let has_location = location.name.is_some()
        || location.address.is_some()
        || location.latitude.is_some()
        || location.transportation.is_some()
        || location.accessibility.is_some();
    let event = (e.kind == Kind::Event).then(|| EventInfo {
        starts: f.starts.map(|t| event_time(site, t)).unwrap_or_default(),
        ends: f.ends.map(|t| event_time(site, t)),
        all_day: f.starts.is_some_and(EventTime::is_all_day),
        venue: f.venue.as_deref(),
        place: f.place.as_ref().map(|s| s.as_str()),
        online: matches!(f.online, Some(Online::Url(_) | Online::Flag(true))),
        online_url: match &f.online {
            Some(Online::Url(u)) => Some(u.as_str()),
            _ => None,
        },
        registration: match &f.registration {
            Some(Registration::Text(t)) => Some(t.as_str()),
            _ => None,
        },
        registration_url: match &f.registration {
            Some(Registration::Url(u)) => Some(u.as_str()),
            _ => None,
        },
        capacity: f.capacity,
        organizer: f.organizer.as_ref().map(|s| s.as_str()),
    });
    JsonEntry {
        id: e.slug.as_str(),
        kind: e.kind.as_str(),
        name: e.name(),
        alternate_name: f.kana.as_deref(),
        description: f.summary.as_deref(),
        url: f.website.as_ref().map(|u| u.as_str()),
        page_url: absolute_url(site, e),
        email: f.email.as_ref().map(|m| m.as_str()),
        phones: f
            .phone
            .iter()
            .flat_map(|p| p.as_slice())
            .map(|p| Phone {
                number: p.display(),
                tel: p.tel_href(),
            })
            .collect(),
        organization: f.operator.as_ref().map(|s| s.as_str()),
        location: has_location.then_some(location),
        schedules: f.hours.iter().flatten().map(schedule).collect(),
        closed: f
            .closed
            .iter()
            .flatten()
            .filter(|c| !c.is_past(site.today))
            .map(|c| {
                let spans = &site.config.closures.spans;
                let mut v = c.to_json(spans);
                v["text"] = c.japanese(spans).into();
                if let Some(n) = c.note() {
                    v["note"] = n.into();
                }
                v
            })
            .collect(),
        hours_note: f.hours_note.as_deref(),
        categories: slice(&f.categories),
        audience: slice(&f.audience),
        methods: slice(&f.methods),
        area: f.area.as_deref(),
        keywords: slice(&f.keywords),
        fee: f.fee.as_deref(),
        free: f.free,
        anonymous: f.anonymous,
        languages: slice(&f.languages),
        min_age: f.min_age,
        max_age: f.max_age,
        status: match e.status() {
            Status::Open => "open",
            Status::Paused => "paused",
            Status::Closed => "closed",
        },
        verified: f.verified.map(|d| d.to_string()),
        event,
    }
}

fn entries_json(site: &Site) -> Result<Vec<u8>, FeedError> {
    let doc = Document {
        format: "tsunagu-open-data/1",
        site: SiteInfo {
            title: &site.config.title,
            url: site.config.base_url(),
            language: &site.config.language,
            timezone: &site.config.timezone,
        },
        today: site.today.to_string(),
        entries: published(site).map(|e| json_entry(site, e)).collect(),
    };
    // About 2,070 bytes per entry in the generated portals: room enough
    // that the 20 MB (200 MB at 100,000) buffer is not copied to grow;
    // capacity never written to is never paged in.
    Ok(html_safe_json_file(&doc, site.entries.len() * 2560))
}

/// `value` as pretty JSON made [HTML-safe](html_safe_json), with a final
/// newline: the bytes `html_safe_json(&serde_json::to_string_pretty(value))`
/// and `"\n"` would give, written in one pass into one buffer (at 10,000
/// entries `entries.json` is 20 MB, and every intermediate copy of it cost
/// fresh memory). `capacity` is a first guess of the size.
fn html_safe_json_file<T: Serialize>(value: &T, capacity: usize) -> Vec<u8> {
    let mut out = HtmlSafe(Vec::with_capacity(capacity));
    if serde_json::to_writer_pretty(&mut out, value).is_err() {
        out.0.clear();
    }
    let mut bytes = out.0;
    if has_script_scheme(&bytes) {
        // Rare (a `javascript:` in some value): the general path.
        let text = String::from_utf8_lossy(&bytes);
        bytes = crate::feeds::defuse_script_schemes(&text, "\\u003a").into_bytes();
    }
    bytes.push(b'\n');
    bytes
}

/// Whether `bytes` contain `javascript:` or `vbscript:` in any case (what
/// [`crate::feeds::defuse_script_schemes`] rewrites), without a lower-case
/// copy.
fn has_script_scheme(bytes: &[u8]) -> bool {
    bytes.windows(7).enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case(b"script:")
            && ((i >= 4 && bytes[i - 4..i].eq_ignore_ascii_case(b"java"))
                || (i >= 2 && bytes[i - 2..i].eq_ignore_ascii_case(b"vb")))
    })
}

/// Writes what it is given with `<`, `>` and `&` as `\u003c` `\u003e`
/// `\u0026`: serde_json's output, in which they only occur inside strings,
/// made HTML-safe on the way (byte for byte what [`html_safe_json`] does
/// to the finished text).
struct HtmlSafe(Vec<u8>);

impl std::io::Write for HtmlSafe {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut start = 0;
        for (i, &b) in buf.iter().enumerate() {
            let escaped: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            self.0.extend_from_slice(&buf[start..i]);
            self.0.extend_from_slice(escaped);
            start = i + 1;
        }
        self.0.extend_from_slice(&buf[start..]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// ---------------------------------------------------------------- CSV

fn phones(e: &Entry) -> String {
    e.fields
        .phone
        .iter()
        .flat_map(|p| p.as_slice())
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(";")
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn name_of(site: &Site, slug: Option<&crate::model::Slug>) -> String {
    slug.and_then(|s| site.get(s))
        .map(|e| e.name().to_string())
        .unwrap_or_default()
}

/// `data/public-facilities.csv`: open and paused centers and cafeterias.
/// Closed ones are left out (they are no longer facilities anyone can use).
fn facilities_csv(site: &Site) -> Vec<u8> {
    let rows: Vec<Vec<String>> = published(site)
        .filter(|e| matches!(e.kind, Kind::Center | Kind::Cafeteria))
        .filter(|e| e.status() != Status::Closed)
        .map(|e| {
            let f = &e.fields;
            let hours = schedule::to_cells(f.hours.as_deref().unwrap_or(&[]));
            let mut special: Vec<String> = f.hours_note.iter().cloned().collect();
            // Closed days as municipal lists write them (and as
            // model::hours::text::parse reads them back).
            let closed: Vec<String> = f
                .closed
                .iter()
                .flatten()
                .filter(|c| !c.is_past(site.today))
                .map(|c| {
                    let text = c.japanese(&site.config.closures.spans);
                    match c.note() {
                        Some(n) => format!("{text}({n})"),
                        None => text,
                    }
                })
                .collect();
            if !closed.is_empty() {
                special.push(format!("【休館日】{}", closed.join("、")));
            }
            // The rule notes last: the import puts 「【rule】note」 lines back
            // on their rules and keeps the lines before them as they are.
            special.extend(hours.notes);
            let row: Vec<(&str, String)> = vec![
                ("ID", e.slug.to_string()),
                ("名称", e.name().to_string()),
                (
                    "名称_カナ",
                    f.kana.as_deref().map(kana::to_katakana).unwrap_or_default(),
                ),
                ("住所", opt(&f.address)),
                ("緯度", f.geo.map(|g| g.lat.to_string()).unwrap_or_default()),
                ("経度", f.geo.map(|g| g.lon.to_string()).unwrap_or_default()),
                ("電話番号", phones(e)),
                ("団体名", name_of(site, f.operator.as_ref())),
                ("利用可能曜日", hours.days),
                ("開始時間", hours.open),
                ("終了時間", hours.close),
                ("利用可能日時特記事項", special.join("\n")),
                ("説明", opt(&f.summary)),
                ("バリアフリー情報", opt(&f.accessibility)),
                (
                    "URL",
                    f.website
                        .as_ref()
                        .map(|u| u.as_str().to_string())
                        .unwrap_or_default(),
                ),
                (
                    "備考",
                    (e.status() == Status::Paused)
                        .then(|| "休止中".to_string())
                        .into_iter()
                        .chain(f.notes.iter().cloned())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                ("種別", e.kind.label().to_string()),
            ];
            in_columns(FACILITY_COLUMNS, row)
        })
        .collect();
    csv::write(FACILITY_COLUMNS, &rows)
}

/// `data/events.csv`: every published event; a cancelled one says 中止
/// in 備考.
fn events_csv(site: &Site) -> Result<Vec<u8>, FeedError> {
    let mut rows = Vec::new();
    for (e, _) in feeds::events(site)? {
        let f = &e.fields;
        let place = feeds::event_place(site, e);
        let pf = place.map(|p| &p.fields);
        let organizer = f
            .organizer
            .as_ref()
            .or(f.operator.as_ref())
            .and_then(|s| site.get(s));
        let Some(starts) = f.starts else { continue };
        let Ok(sz) = starts.to_zoned(&site.timezone) else {
            continue;
        };
        let ez = f.ends.and_then(|t| t.to_zoned(&site.timezone).ok());
        let time = |t: EventTime, z: &jiff::Zoned| {
            if t.is_all_day() {
                String::new()
            } else {
                format!("{:02}:{:02}", z.hour(), z.minute())
            }
        };
        let geo = f.geo.or(pf.and_then(|p| p.geo));
        let mut notes: Vec<String> = Vec::new();
        if e.status() == Status::Closed {
            notes.push("中止".into());
        }
        match &f.online {
            Some(Online::Url(u)) => notes.push(format!("オンライン: {}", u.as_str())),
            Some(Online::Flag(true)) => notes.push("オンライン参加あり".into()),
            _ => {}
        }
        notes.extend(f.notes.iter().cloned());
        let phone = if f.phone.is_some() {
            phones(e)
        } else {
            organizer.map(phones).unwrap_or_default()
        };
        let row: Vec<(&str, String)> = vec![
            ("ID", e.slug.to_string()),
            ("イベント名", e.name().to_string()),
            (
                "イベント名_カナ",
                f.kana.as_deref().map(kana::to_katakana).unwrap_or_default(),
            ),
            ("開始日", sz.date().to_string()),
            (
                "終了日",
                ez.as_ref()
                    .map(|z| z.date())
                    .unwrap_or(sz.date())
                    .to_string(),
            ),
            ("開始時間", time(starts, &sz)),
            (
                "終了時間",
                match (f.ends, &ez) {
                    (Some(t), Some(z)) => time(t, z),
                    _ => String::new(),
                },
            ),
            ("説明", opt(&f.summary)),
            (
                "料金（基本）",
                if f.free == Some(true) {
                    "0".into()
                } else {
                    String::new()
                },
            ),
            ("料金（詳細）", opt(&f.fee)),
            (
                "連絡先名称",
                organizer.map(|o| o.name().to_string()).unwrap_or_default(),
            ),
            ("連絡先電話番号", phone),
            ("主催者", name_of(site, f.organizer.as_ref())),
            (
                "場所名称",
                f.venue
                    .clone()
                    .or(place.map(|p| p.name().to_string()))
                    .unwrap_or_default(),
            ),
            (
                "住所",
                f.address
                    .clone()
                    .or(pf.and_then(|p| p.address.clone()))
                    .unwrap_or_default(),
            ),
            ("緯度", geo.map(|g| g.lat.to_string()).unwrap_or_default()),
            ("経度", geo.map(|g| g.lon.to_string()).unwrap_or_default()),
            (
                "アクセス方法",
                f.access
                    .clone()
                    .or(pf.and_then(|p| p.access.clone()))
                    .unwrap_or_default(),
            ),
            (
                "定員",
                f.capacity.map(|c| c.to_string()).unwrap_or_default(),
            ),
            (
                "参加申込方法",
                match &f.registration {
                    Some(Registration::Text(t)) => t.clone(),
                    Some(Registration::Url(u)) => u.as_str().to_string(),
                    None => String::new(),
                },
            ),
            (
                "URL",
                f.website
                    .as_ref()
                    .map(|u| u.as_str().to_string())
                    .unwrap_or_else(|| absolute_url(site, e)),
            ),
            ("備考", notes.join("\n")),
        ];
        rows.push(in_columns(EVENT_COLUMNS, row));
    }
    Ok(csv::write(EVENT_COLUMNS, &rows))
}

/// The row in the order of `columns`; columns without a value are empty.
fn in_columns(columns: &[&str], values: Vec<(&str, String)>) -> Vec<String> {
    columns
        .iter()
        .map(|c| {
            values
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// JSON that is safe to embed or serve next to HTML: `<`, `>` and `&` as
/// `\u003c` `\u003e` `\u0026`, and the colon of `javascript:` as
/// `\u003a`. The values are unchanged for every JSON reader. (These
/// characters only ever occur inside strings, so replacing them in the
/// serialized text is exact.)
pub fn html_safe_json(json: &str) -> String {
    let s = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    crate::feeds::defuse_script_schemes(&s, "\\u003a")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_pass_json_is_the_escaped_text() {
        let values = [
            serde_json::json!({"a": "<b>&</b>", "url": "JavaScript:alert(1)", "x": [1, "vbscript:y"]}),
            serde_json::json!({"name": "ひきこもり相談 <センター> & 家族会", "n": 3}),
            serde_json::json!({"s": "javascrip", "t": "script:", "u": "java script:"}),
            serde_json::json!([]),
        ];
        for v in values {
            let old = format!(
                "{}\n",
                html_safe_json(&serde_json::to_string_pretty(&v).unwrap())
            );
            assert_eq!(String::from_utf8(html_safe_json_file(&v, 0)).unwrap(), old);
        }
    }
}
