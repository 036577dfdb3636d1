//! What templates see of an entry: plain serializable views with every
//! date, hour, URL and label already in its final form, so templates stay
//! simple and the same text appears on every page.

use super::urls::{encode_component, encode_path};
use crate::model::{Entry, EntryFields, EventTime, Kind, Online, Registration, Status};
use crate::site::Site;
use jiff::civil::{Date, Weekday};
use jiff::{Timestamp, Zoned};
use serde::Serialize;

/// A link with its text.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    /// Full href, already prefixed with the base path and percent-encoded.
    pub url: String,
}

/// A vocabulary value on an entry page with the href of its browse page
/// (for a value missing from the vocabulary, which validation prevents,
/// the index of that dimension).
#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    pub name: String,
    pub url: String,
}

/// A phone number: `display` as written (`054-221-1582`), `href` for
/// tap-to-call (`tel:0542211582`).
#[derive(Debug, Clone, Serialize)]
pub struct Phone {
    pub display: String,
    pub href: String,
}

impl Phone {
    pub fn from(p: &crate::model::PhoneNumber) -> Phone {
        Phone {
            display: p.display().to_string(),
            href: p.tel_href(),
        }
    }
}

/// An entry as a line in a list (list pages, browse pages, the top page,
/// related entries).
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    /// `center`, `organization`, `event`, `cafeteria` or `page`.
    pub kind: &'static str,
    /// 相談窓口, 団体, イベント, 食堂・居場所, 記事.
    pub kind_label: &'static str,
    pub slug: String,
    /// Full href of the entry page (`/centers/foo/`).
    pub url: String,
    pub name: String,
    pub kana: Option<String>,
    pub summary: Option<String>,
    /// `open`, `paused` or `closed`.
    pub status: &'static str,
    pub draft: bool,
    /// The area for display, hierarchy joined by a space (「広島市 中区」).
    pub area: Option<String>,
    pub free: Option<bool>,
    /// The first phone number, for calling straight from a list.
    pub phone: Option<Phone>,
    /// Events: date and time in plain Japanese (「2026年12月5日(土) 13:30〜16:30」).
    pub when: Option<String>,
    /// Events: the start date as `YYYY-MM-DD` (for `<time datetime>`).
    pub date: Option<String>,
    /// `YYYY-MM-DD`.
    pub verified: Option<String>,
    /// 「2026年9月12日」.
    pub verified_ja: Option<String>,
    /// The card as HTML, rendered once per build from `partials/card.html`
    /// (empty if the theme has no such partial).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub html: String,
}

/// Computed times of an event.
#[derive(Debug, Clone)]
pub struct EventTimes {
    pub start: Timestamp,
    /// Until when the event counts as upcoming: `ends` (the end of its day
    /// for all-day ends), else `starts` (the end of the day for all-day events).
    pub until: Timestamp,
    pub when: String,
    pub start_date: Date,
    pub starts_iso: String,
    pub ends_iso: Option<String>,
}

const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

fn weekday_ja(w: Weekday) -> &'static str {
    WEEKDAYS[w.to_monday_zero_offset() as usize]
}

/// 「2026年12月5日(土)」.
pub fn date_ja(d: Date) -> String {
    format!(
        "{}年{}月{}日({})",
        d.year(),
        d.month(),
        d.day(),
        weekday_ja(d.weekday())
    )
}

/// 「12月5日(土)」.
fn date_ja_short(d: Date) -> String {
    format!("{}月{}日({})", d.month(), d.day(), weekday_ja(d.weekday()))
}

/// 「2026年9月12日」.
pub fn plain_date_ja(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn time_ja(z: &Zoned) -> String {
    format!("{}:{:02}", z.hour(), z.minute())
}

fn end_of_day(d: Date, tz: &jiff::tz::TimeZone) -> Option<Timestamp> {
    let next = d.tomorrow().ok()?;
    Some(next.to_zoned(tz.clone()).ok()?.timestamp())
}

fn iso(t: EventTime, z: &Zoned) -> String {
    match t {
        EventTime::AllDay(d) => d.to_string(),
        _ => z.strftime("%Y-%m-%dT%H:%M%:z").to_string(),
    }
}

/// The times of an event in the site's timezone, or `None` without a
/// (representable) `starts`.
pub fn event_times(f: &EntryFields, tz: &jiff::tz::TimeZone) -> Option<EventTimes> {
    let starts = f.starts?;
    let s = starts.to_zoned(tz).ok()?;
    let e = f.ends.and_then(|e| e.to_zoned(tz).ok().map(|z| (e, z)));
    let mut when = date_ja(s.date());
    if !starts.is_all_day() {
        when.push(' ');
        when.push_str(&time_ja(&s));
    }
    if let Some((ends, ez)) = &e {
        let same_day = ez.date() == s.date();
        if !(same_day && ends.is_all_day()) {
            when.push('〜');
            if !same_day {
                if ez.year() == s.year() {
                    when.push_str(&date_ja_short(ez.date()));
                } else {
                    when.push_str(&date_ja(ez.date()));
                }
                if !ends.is_all_day() {
                    when.push(' ');
                }
            }
            if !ends.is_all_day() {
                when.push_str(&time_ja(ez));
            }
        }
    } else if !starts.is_all_day() {
        when.push('〜');
    }
    let until = match &e {
        Some((EventTime::AllDay(d), _)) => end_of_day(*d, tz)?,
        Some((_, ez)) => ez.timestamp(),
        None if starts.is_all_day() => end_of_day(s.date(), tz)?,
        None => s.timestamp(),
    };
    Some(EventTimes {
        start: s.timestamp(),
        until,
        when,
        start_date: s.date(),
        starts_iso: iso(starts, &s),
        ends_iso: e.as_ref().map(|(t, z)| iso(*t, z)),
    })
}

pub fn status_str(s: Status) -> &'static str {
    match s {
        Status::Open => "open",
        Status::Paused => "paused",
        Status::Closed => "closed",
    }
}

pub fn area_label(area: &str) -> String {
    area.split('/').collect::<Vec<_>>().join(" ")
}

pub fn card(entry: &Entry, base: &str, times: Option<&EventTimes>) -> Card {
    let f = &entry.fields;
    Card {
        kind: entry.kind.as_str(),
        kind_label: entry.kind.label(),
        slug: entry.slug.to_string(),
        url: format!("{base}{}", entry.url_path()),
        name: entry.name().to_string(),
        kana: f.kana.clone(),
        summary: f.summary.clone(),
        status: status_str(entry.status()),
        draft: f.draft.unwrap_or(false),
        area: f.area.as_deref().map(area_label),
        free: f.free,
        phone: f
            .phone
            .as_ref()
            .and_then(|p| p.as_slice().first())
            .map(Phone::from),
        when: times.map(|t| t.when.clone()),
        date: times.map(|t| t.start_date.to_string()),
        verified: f.verified.map(|d| d.to_string()),
        verified_ja: f.verified.map(|d| plain_date_ja(d.0)),
        html: String::new(),
    }
}

/// One opening-hours rule: `text` is the whole rule in plain Japanese
/// (「月〜金 9:00〜17:00」), also split into `days`, `open`, `close`.
#[derive(Debug, Clone, Serialize)]
pub struct HoursLine {
    pub text: String,
    pub days: String,
    pub open: String,
    pub close: String,
    pub note: Option<String>,
}

/// One closure rule in plain Japanese, with its note.
#[derive(Debug, Clone, Serialize)]
pub struct ClosedLine {
    pub text: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Geo {
    pub lat: f64,
    pub lon: f64,
}

/// Where an event is held when `place` names a center or cafeteria.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceView {
    pub name: String,
    pub url: String,
    pub address: Option<String>,
    pub access: Option<String>,
    pub osm_url: Option<String>,
}

/// `registration`: a sentence, or a link to a form.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationView {
    pub text: Option<String>,
    pub url: Option<String>,
}

/// Everything about one entry, for its own page. The card fields
/// (`name`, `url`, `status` …) are included at the top level.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    #[serde(flatten)]
    pub card: Card,
    /// The Markdown body as sanitized HTML (use `| safe`); its headings start
    /// at `<h2>` for pages and at `<h3>` for other kinds (under 「くわしく」).
    pub body_html: String,
    pub categories: Vec<TermLink>,
    pub audience: Vec<TermLink>,
    pub methods: Vec<TermLink>,
    /// The area as a path of links (広島市 → 中区).
    pub area_links: Vec<TermLink>,
    pub address: Option<String>,
    pub geo: Option<Geo>,
    /// A plain link to OpenStreetMap when `geo` is set.
    pub osm_url: Option<String>,
    pub access: Option<String>,
    pub phones: Vec<Phone>,
    pub email: Option<String>,
    pub mailto: Option<String>,
    pub website: Option<String>,
    pub fee: Option<String>,
    pub anonymous: Option<bool>,
    pub hours: Vec<HoursLine>,
    /// Shown with its line breaks (the theme's CSS keeps them).
    pub hours_note: Option<String>,
    /// Other names (`aliases`), shown under the name so search finds them.
    pub aliases: Vec<String>,
    /// `notes` (備考), shown with its line breaks.
    pub notes: Option<String>,
    /// The `data-hours` JSON `opening.js` reads for 「受付中」 (see
    /// docs/open-data.md); missing without hours.
    pub hours_json: Option<String>,
    /// The closed days in plain Japanese (年末年始(12月29日〜1月3日), 第3火曜,
    /// 2027年1月15日 with its note 臨時休館); past one-off dates are left out.
    pub closed: Vec<ClosedLine>,
    pub accessibility: Option<String>,
    pub languages: Vec<String>,
    pub min_age: Option<u16>,
    pub max_age: Option<u16>,
    /// 「15歳〜39歳」「18歳以上」「39歳まで」.
    pub ages: Option<String>,
    pub operator: Option<Link>,
    pub keywords: Vec<String>,
    /// `verified` is missing or older than `stale_after_days`.
    pub stale: bool,
    /// `mailto:` link for 「情報の誤りを報告」 when `report_email` is set.
    pub report_url: Option<String>,
    /// Absolute URL of the page.
    pub permalink: String,
    // -- events
    pub starts: Option<String>,
    pub ends: Option<String>,
    /// Events: whether it has not ended yet.
    pub upcoming: Option<bool>,
    pub venue: Option<String>,
    pub place: Option<PlaceView>,
    /// `in_person`, `online`, `both`, or missing.
    pub attendance: Option<&'static str>,
    /// 「会場で参加」「オンラインで参加」「会場でもオンラインでも参加できます」.
    pub attendance_label: Option<&'static str>,
    pub online_url: Option<String>,
    pub registration: Option<RegistrationView>,
    pub capacity: Option<u32>,
    pub organizer: Option<Link>,
    /// Events: href of the event's own `.ics` (「カレンダーに追加」),
    /// base-prefixed; missing for drafts, which have no calendar file.
    pub ics_url: Option<String>,
    // -- sharing, print, structured data
    /// A plain link to LINE's share page with this page's address (nothing
    /// from LINE loads until the family taps it).
    pub line_share_url: String,
    /// schema.org JSON-LD for `<script type="application/ld+json">`, already
    /// escaped so it cannot close the element (use `| safe`); see
    /// [`super::jsonld`].
    pub jsonld: Option<String>,
    // -- pages
    pub title: Option<String>,
    pub order: Option<i32>,
    // -- Japanese text
    /// The name with furigana over each kanji run only; missing when the
    /// name has no kanji or the reading cannot be split over them, and the
    /// theme shows `kana` on its own line (see
    /// [`super::japanese::ruby_parts`]).
    /// As HTML (use `| safe`): each phrase of the name in a
    /// `<span class="ruby-phrase">`, `<ruby>` over its kanji runs.
    pub ruby_html: Option<String>,
    // -- events: whom to ask
    /// The phones to ask about an event: its own, else its organizer's
    /// (`contact_from` then names the organizer).
    pub contact_phones: Vec<Phone>,
    pub contact_from: Option<Link>,
}

pub fn osm_url(lat: f64, lon: f64) -> String {
    format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}")
}

pub fn ages(min: Option<u16>, max: Option<u16>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("{a}歳〜{b}歳")),
        (Some(a), None) => Some(format!("{a}歳以上")),
        (None, Some(b)) => Some(format!("{b}歳まで")),
        (None, None) => None,
    }
}

/// Looks up the browse-page href of a vocabulary value.
pub trait TermUrls {
    fn category(&self, v: &str) -> Option<String>;
    fn audience(&self, v: &str) -> Option<String>;
    fn method(&self, v: &str) -> Option<String>;
    fn area(&self, v: &str) -> Option<String>;
}

fn term_links(
    values: &Option<Vec<String>>,
    fallback: String,
    url: impl Fn(&str) -> Option<String>,
) -> Vec<TermLink> {
    values
        .iter()
        .flatten()
        .map(|v| TermLink {
            name: v.clone(),
            url: url(v).unwrap_or_else(|| fallback.clone()),
        })
        .collect()
}

pub fn entry_view(
    site: &Site,
    entry: &Entry,
    base: &str,
    times: Option<&EventTimes>,
    terms: &dyn TermUrls,
) -> EntryView {
    let f = &entry.fields;
    let card = card(entry, base, times);
    let permalink = format!(
        "{}{}",
        site.config.base_url(),
        encode_path(&entry.url_path())
    );
    let link_to = |slug: &crate::model::Slug| {
        site.get(slug).map(|e| Link {
            name: e.name().to_string(),
            url: format!("{base}{}", e.url_path()),
        })
    };
    let phones_of = |e: &Entry| -> Vec<Phone> {
        e.fields
            .phone
            .as_ref()
            .map(|p| p.as_slice().iter().map(Phone::from).collect())
            .unwrap_or_default()
    };
    // An event without a phone of its own: the organizer answers for it.
    let (contact_phones, contact_from) = match phones_of(entry) {
        own if !own.is_empty() || entry.kind != Kind::Event => (own, None),
        _ => match f.organizer.as_ref().and_then(|s| site.get(s)) {
            Some(org) if !phones_of(org).is_empty() => {
                (phones_of(org), f.organizer.as_ref().and_then(link_to))
            }
            _ => (Vec::new(), None),
        },
    };
    let area_links = f
        .area
        .as_deref()
        .map(|a| {
            let mut prefix = String::new();
            a.split('/')
                .map(|part| {
                    if !prefix.is_empty() {
                        prefix.push('/');
                    }
                    prefix.push_str(part);
                    TermLink {
                        name: part.to_string(),
                        url: terms
                            .area(&prefix)
                            .unwrap_or_else(|| format!("{base}areas/")),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let report_url = site.config.report_email.as_ref().map(|email| {
        let subject = format!("情報の誤りの報告: {}", entry.name());
        let body = format!("ページ: {permalink}\n\n誤りの内容:\n");
        format!(
            "mailto:{}?subject={}&body={}",
            email.as_str(),
            encode_component(&subject),
            encode_component(&body)
        )
    });
    let place = f
        .place
        .as_ref()
        .and_then(|slug| site.get(slug))
        .map(|p| PlaceView {
            name: p.name().to_string(),
            url: format!("{base}{}", p.url_path()),
            address: p.fields.address.clone(),
            access: p.fields.access.clone(),
            osm_url: p.fields.geo.map(|g| osm_url(g.lat, g.lon)),
        });
    let (attendance, attendance_label, online_url) = if entry.kind == Kind::Event {
        let in_person = f.venue.is_some() || f.place.is_some() || f.address.is_some();
        let (online, url) = match &f.online {
            Some(Online::Flag(b)) => (*b, None),
            Some(Online::Url(u)) => (true, Some(u.as_str().to_string())),
            None => (false, None),
        };
        let (a, l) = match (in_person, online) {
            (true, true) => (Some("both"), Some("会場でもオンラインでも参加できます")),
            (true, false) => (Some("in_person"), Some("会場で参加")),
            (false, true) => (Some("online"), Some("オンラインで参加")),
            (false, false) => (None, None),
        };
        (a, l, url)
    } else {
        (None, None, None)
    };
    EntryView {
        body_html: if entry.body.trim().is_empty() {
            String::new()
        } else {
            super::markdown::to_html_at(&entry.body, if entry.kind == Kind::Page { 2 } else { 3 })
        },
        categories: term_links(&f.categories, format!("{base}categories/"), |v| {
            terms.category(v)
        }),
        audience: term_links(&f.audience, format!("{base}audience/"), |v| {
            terms.audience(v)
        }),
        methods: term_links(&f.methods, format!("{base}methods/"), |v| terms.method(v)),
        area_links,
        address: f.address.clone(),
        geo: f.geo.map(|g| Geo {
            lat: g.lat,
            lon: g.lon,
        }),
        osm_url: f.geo.map(|g| osm_url(g.lat, g.lon)),
        access: f.access.clone(),
        phones: f
            .phone
            .as_ref()
            .map(|p| p.as_slice().iter().map(Phone::from).collect())
            .unwrap_or_default(),
        email: f.email.as_ref().map(|e| e.as_str().to_string()),
        mailto: f.email.as_ref().map(|e| format!("mailto:{}", e.as_str())),
        website: f.website.as_ref().map(|w| w.as_str().to_string()),
        fee: f.fee.clone(),
        anonymous: f.anonymous,
        hours: f
            .hours
            .iter()
            .flatten()
            .map(|h| HoursLine {
                text: h.japanese(),
                days: h.days_japanese(),
                open: h.open().to_string(),
                close: h.close().to_string(),
                note: h.note().map(str::to_string),
            })
            .collect(),
        hours_note: f.hours_note.clone(),
        aliases: f.aliases.clone().unwrap_or_default(),
        notes: f.notes.clone(),
        hours_json: crate::model::hours::wire::data_hours(
            f.hours.as_deref().unwrap_or(&[]),
            f.closed.as_deref().unwrap_or(&[]),
            entry.status(),
            &site.config.timezone,
            &site.config.closures.spans,
            site.today,
        ),
        closed: f
            .closed
            .iter()
            .flatten()
            .filter(|c| !c.is_past(site.today))
            .map(|c| ClosedLine {
                text: c.japanese(&site.config.closures.spans),
                note: c.note().map(str::to_string),
            })
            .collect(),
        accessibility: f.accessibility.clone(),
        languages: f.languages.clone().unwrap_or_default(),
        min_age: f.min_age,
        max_age: f.max_age,
        ages: ages(f.min_age, f.max_age),
        operator: f.operator.as_ref().and_then(link_to),
        keywords: f.keywords.clone().unwrap_or_default(),
        stale: site.is_stale(entry),
        report_url,
        permalink: permalink.clone(),
        starts: times.map(|t| t.starts_iso.clone()),
        ends: times.and_then(|t| t.ends_iso.clone()),
        upcoming: times.map(|t| t.until >= site.now),
        venue: f.venue.clone(),
        place,
        attendance,
        attendance_label,
        online_url,
        registration: f.registration.as_ref().map(|r| match r {
            Registration::Url(u) => RegistrationView {
                text: None,
                url: Some(u.as_str().to_string()),
            },
            Registration::Text(t) => RegistrationView {
                text: Some(t.clone()),
                url: None,
            },
        }),
        capacity: f.capacity,
        organizer: f.organizer.as_ref().and_then(link_to),
        ics_url: (entry.kind == Kind::Event && times.is_some() && f.draft != Some(true)).then(
            || {
                format!(
                    "{base}{}",
                    encode_path(&crate::output::paths::event_ics(entry.slug.as_str()))
                )
            },
        ),
        line_share_url: format!(
            "https://social-plugins.line.me/lineit/share?url={}",
            encode_component(&permalink)
        ),
        jsonld: super::jsonld::entry_jsonld(site, entry, times, &permalink),
        title: f.title.clone(),
        order: f.order,
        ruby_html: f
            .kana
            .as_deref()
            .and_then(|k| super::japanese::ruby_parts(entry.name(), k))
            .map(|parts| super::japanese::ruby_html(entry.name(), &parts)),
        contact_phones,
        contact_from,
        card,
    }
}

/// 五十音 sort key: the reading (or name) with katakana folded to hiragana.
pub fn kana_key(entry: &Entry) -> String {
    entry
        .sort_key()
        .chars()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// The 行 of a kana key for list headings: (label, anchor id).
pub fn kana_row(key: &str) -> (&'static str, &'static str) {
    const ROWS: [(u32, u32, &str, &str); 10] = [
        (0x3041, 0x304A, "あ", "a"),
        (0x304B, 0x3054, "か", "ka"),
        (0x3055, 0x305E, "さ", "sa"),
        (0x305F, 0x3069, "た", "ta"),
        (0x306A, 0x306E, "な", "na"),
        (0x306F, 0x307D, "は", "ha"),
        (0x307E, 0x3082, "ま", "ma"),
        (0x3083, 0x3088, "や", "ya"),
        (0x3089, 0x308D, "ら", "ra"),
        (0x308E, 0x3096, "わ", "wa"),
    ];
    let c = key.chars().next().map(|c| c as u32).unwrap_or(0);
    ROWS.iter()
        .find(|(lo, hi, _, _)| (*lo..=*hi).contains(&c))
        .map(|(_, _, label, id)| (*label, *id))
        .unwrap_or(("英数・その他", "other"))
}
