//! schema.org JSON-LD for entry pages, so search engines and municipal
//! aggregators can read a center's hours or an event's date and place
//! without scraping the page.
//!
//! | kind | `@type` |
//! |---|---|
//! | center run by a public body (see [`is_public_body`]) | `GovernmentService` with `hoursAvailable` |
//! | other centers, cafeterias, organizations | `Organization` with a `location` (`Place` with `openingHoursSpecification`) and a `contactPoint` (`ContactPoint` with `hoursAvailable`) |
//! | event | `Event` with `eventAttendanceMode`, `eventStatus`, `location` (`Place` and/or `VirtualLocation`), `organizer`, `offers` |
//! | page | none (articles are not services or events) |
//!
//! The JSON is built with serde_json (never by string concatenation) and
//! then made safe to sit inside `<script type="application/ld+json">`:
//! every `<`, `>` and `&` is written as a `\u003c`-style escape, which JSON
//! parsers read back as the same character, so no content can ever close
//! the script element or open a comment. The template inserts the result
//! with `| safe`.
//!
//! Opening hours: a weekly rule maps one-to-one to an
//! `OpeningHoursSpecification` (`dayOfWeek`, `opens`, `closes`; `hol` is
//! schema.org's `PublicHolidays`). schema.org has no "n-th weekday of the
//! month" (第3木曜), so a monthly rule is written as its concrete dates in
//! the [`MONTHLY_HORIZON_DAYS`] days after the build's today, each an
//! `OpeningHoursSpecification` valid on that one day (`validFrom` =
//! `validThrough`), the form schema.org and Google use for dated hours.
//! A portal rebuilt regularly (every commit, or a scheduled CI run) keeps
//! these dates current; the page's own text keeps saying 「毎月第3木曜」.
//!
//! Closed days (`closed:`, see `model::hours::closure`) in the same
//! horizon become one `OpeningHoursSpecification` per run of days with
//! `opens` = `closes` = `00:00:00` and `validFrom`/`validThrough` (Google's
//! form for "closed on these dates"): under the `Place`'s
//! `specialOpeningHoursSpecification`, or after the regular hours in
//! `hoursAvailable` (ContactPoint, GovernmentService), which has no
//! separate list. Monthly dates that fall on a closed day are left out.

use super::view::EventTimes;
use crate::model::{Day, Entry, HoursRule, Kind, Online, Registration, Status, Weekday};
use crate::site::Site;
use serde_json::{json, Map, Value};

/// How far ahead monthly rules are written out as dated hours.
pub const MONTHLY_HORIZON_DAYS: i32 = 92;

const CONTEXT: &str = "https://schema.org";

/// The JSON-LD of an entry page, ready to put between
/// `<script type="application/ld+json">` and `</script>`; `None` for pages,
/// for closed centers, cafeterias and organizations, and for events with
/// no place, address, area or online flag (schema.org events need a
/// `location`, and there is nothing true to put there).
pub fn entry_jsonld(
    site: &Site,
    entry: &Entry,
    times: Option<&EventTimes>,
    permalink: &str,
) -> Option<String> {
    let value = match entry.kind {
        Kind::Page => return None,
        // A closed place has no hours or phone anyone should act on;
        // schema.org would need a closing date the content does not have.
        // (A closed event is still described: as EventCancelled.)
        _ if entry.status() == Status::Closed && entry.kind != Kind::Event => return None,
        Kind::Event => event(site, entry, times?, permalink)?,
        Kind::Center if is_public_body(site, entry) => government_service(site, entry, permalink),
        Kind::Center | Kind::Cafeteria | Kind::Organization => organization(site, entry, permalink),
    };
    Some(script_safe(&value))
}

/// Serializes `value` so that it can sit inside a `<script>` element:
/// `<`, `>` and `&` become JSON `\u` escapes.
pub fn script_safe(value: &Value) -> String {
    // serde_json never fails on a `Value` (all keys are strings).
    let s = value.to_string();
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 16);
    // Byte by byte, copying the runs between escapes (it went char by
    // char, 1.4% of a build's instructions): the five characters are
    // ASCII or the UTF-8 sequences E2 80 A8 / E2 80 A9, and E2 only ever
    // starts a character, so every cut is on a char boundary.
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let (escaped, len) = match bytes[i] {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            // Line separators are valid in JSON but were not in older
            // JavaScript string literals; escaping them costs nothing.
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => {
                ("\\u2028", 3)
            }
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => {
                ("\\u2029", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        out.push_str(escaped);
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
    out
}

/// Whether a center counts as run by a public body, so it is described
/// as a `GovernmentService`: the content model has no "public" flag, so
/// the rule is the one Japanese names follow — the center's name, or its
/// operator's, begins with the municipality or prefecture
/// (名張市地域包括支援センター, 世田谷区ひきこもり相談窓口, 静岡市こころの
/// 健康センター). Names of corporations and associations (法人, NPO,
/// 社会福祉協議会, …会) are not public bodies even when they start with a
/// place name. Anything else is an `Organization`, which is never wrong.
pub fn is_public_body(site: &Site, entry: &Entry) -> bool {
    let operator = entry
        .fields
        .operator
        .as_ref()
        .and_then(|s| site.get(s))
        .map(|o| o.name());
    std::iter::once(entry.name())
        .chain(operator)
        .any(starts_with_municipality)
}

fn starts_with_municipality(name: &str) -> bool {
    const NOT_PUBLIC: [&str; 6] = ["法人", "NPO", "ＮＰＯ", "協議会", "会社", "の会"];
    if NOT_PUBLIC.iter().any(|w| name.contains(w)) {
        return false;
    }
    // The place name: 1 to 5 characters before 都/道/府/県/市/区/町/村,
    // none of them a bracket, a space, ASCII or the particle の.
    name.chars()
        .take(6)
        .enumerate()
        .find(|(_, c)| matches!(c, '都' | '道' | '府' | '県' | '市' | '区' | '町' | '村'))
        .is_some_and(|(i, _)| {
            i >= 1
                && name.chars().take(i).all(|c| {
                    !c.is_whitespace() && !matches!(c, '「' | '(' | '（' | 'の') && !c.is_ascii()
                })
        })
}

fn day_url(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "https://schema.org/Monday",
        Weekday::Tue => "https://schema.org/Tuesday",
        Weekday::Wed => "https://schema.org/Wednesday",
        Weekday::Thu => "https://schema.org/Thursday",
        Weekday::Fri => "https://schema.org/Friday",
        Weekday::Sat => "https://schema.org/Saturday",
        Weekday::Sun => "https://schema.org/Sunday",
    }
}

/// schema.org `Time` (`hh:mm:ss`); 24:00 is written 23:59:59, the end of
/// the day as Google's guidelines write "open until midnight".
fn time(t: crate::model::TimeOfDay) -> String {
    let m = t.minutes();
    if m >= 24 * 60 {
        "23:59:59".to_string()
    } else {
        format!("{:02}:{:02}:00", m / 60, m % 60)
    }
}

/// The hours of an entry in JSON-LD: the regular
/// `OpeningHoursSpecification`s, and the closed days in the horizon as
/// special ones (see the module docs).
struct Hours {
    regular: Vec<Value>,
    special: Vec<Value>,
}

impl Hours {
    fn of(site: &Site, entry: &Entry) -> Hours {
        let f = &entry.fields;
        let closures = f.closed.as_deref().unwrap_or(&[]);
        let has_hours = f.hours.as_ref().is_some_and(|h| !h.is_empty());
        Hours {
            regular: opening_hours(site, f.hours.as_deref().unwrap_or(&[]), closures),
            // Closed days mean nothing without hours to be closed from.
            special: if has_hours {
                special_hours(site, closures)
            } else {
                Vec::new()
            },
        }
    }

    /// Both, for `hoursAvailable`, which has no separate special list.
    fn all(&self) -> Vec<Value> {
        self.regular.iter().chain(&self.special).cloned().collect()
    }
}

/// The closed days from the build's today to [`MONTHLY_HORIZON_DAYS`]
/// after it, one `OpeningHoursSpecification` per run of days, with
/// `opens` = `closes` = `00:00:00` and `validFrom`/`validThrough`: the form
/// Google documents for "closed on these dates".
pub fn special_hours(site: &Site, closures: &[crate::model::Closure]) -> Vec<Value> {
    if closures.is_empty() {
        return Vec::new();
    }
    let Ok(end) = site
        .today
        .checked_add(jiff::Span::new().days(MONTHLY_HORIZON_DAYS))
    else {
        return Vec::new();
    };
    crate::model::hours::closure::closed_runs(
        closures,
        &site.config.closures.spans,
        site.today,
        end,
    )
    .into_iter()
    .map(|(from, to)| {
        json!({
            "@type": "OpeningHoursSpecification",
            "opens": "00:00:00",
            "closes": "00:00:00",
            "validFrom": from.to_string(),
            "validThrough": to.to_string(),
        })
    })
    .collect()
}

/// `OpeningHoursSpecification`s of an entry's hours (see the module docs);
/// monthly dates that fall on a closed day are left out.
pub fn opening_hours(
    site: &Site,
    rules: &[HoursRule],
    closures: &[crate::model::Closure],
) -> Vec<Value> {
    let spans = &site.config.closures.spans;
    let mut out = Vec::new();
    for rule in rules {
        match rule {
            HoursRule::Weekly {
                days, open, close, ..
            } => {
                let mut urls: Vec<&str> = Vec::new();
                for d in days {
                    let url = match d.weekday() {
                        Some(w) => day_url(w),
                        None => {
                            debug_assert_eq!(*d, Day::Hol);
                            "https://schema.org/PublicHolidays"
                        }
                    };
                    if !urls.contains(&url) {
                        urls.push(url);
                    }
                }
                out.push(json!({
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": urls,
                    "opens": time(*open),
                    "closes": time(*close),
                }));
            }
            HoursRule::Monthly {
                weekday,
                nth,
                open,
                close,
                ..
            } => {
                for date in monthly_dates(site.today, *weekday, *nth) {
                    if crate::model::hours::closure::closing(closures, spans, date).is_some() {
                        continue;
                    }
                    let d = date.to_string();
                    out.push(json!({
                        "@type": "OpeningHoursSpecification",
                        "dayOfWeek": day_url(*weekday),
                        "opens": time(*open),
                        "closes": time(*close),
                        "validFrom": d,
                        "validThrough": d,
                    }));
                }
            }
        }
    }
    out
}

/// The dates of 第`nth` `weekday` (`nth` -1: the last) from `today` to
/// `today` + [`MONTHLY_HORIZON_DAYS`], in order.
pub fn monthly_dates(
    today: jiff::civil::Date,
    weekday: Weekday,
    nth: i8,
) -> Vec<jiff::civil::Date> {
    use jiff::civil::Weekday as JW;
    let jw = match weekday {
        Weekday::Mon => JW::Monday,
        Weekday::Tue => JW::Tuesday,
        Weekday::Wed => JW::Wednesday,
        Weekday::Thu => JW::Thursday,
        Weekday::Fri => JW::Friday,
        Weekday::Sat => JW::Saturday,
        Weekday::Sun => JW::Sunday,
    };
    let Ok(end) = today.checked_add(jiff::Span::new().days(MONTHLY_HORIZON_DAYS)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut first = today.first_of_month();
    while first <= end {
        // jiff's nth_weekday_of_month takes 1..=5 or -1..=-5 and fails
        // when the month has no such day (a 5th Thursday).
        if let Ok(d) = first.nth_weekday_of_month(nth, jw) {
            if d >= today && d <= end {
                out.push(d);
            }
        }
        first = match first.checked_add(jiff::Span::new().months(1)) {
            Ok(d) => d,
            Err(_) => break,
        };
    }
    out
}

/// `+81-82-555-0101` from `082-555-0101`: the international form Google
/// asks for; numbers not starting with 0 are kept as written.
fn international(display: &str) -> String {
    match display.strip_prefix('0') {
        Some(rest) => format!("+81-{rest}"),
        None => display.to_string(),
    }
}

/// A `PostalAddress` from a Japanese address in one line: the prefecture
/// (…都/道/府/県 within the first four characters) as `addressRegion`,
/// the city (up to the first 市, else the first 区/町/村) as
/// `addressLocality`, the rest as `streetAddress`.
pub fn postal_address(address: &str) -> Value {
    let mut rest = address.trim();
    let mut m = Map::new();
    m.insert("@type".into(), "PostalAddress".into());
    let region_end = rest
        .char_indices()
        .take(4)
        .find(|(_, c)| matches!(c, '都' | '道' | '府' | '県'))
        .map(|(i, c)| i + c.len_utf8());
    if let Some(end) = region_end {
        m.insert("addressRegion".into(), rest[..end].into());
        rest = &rest[end..];
    }
    let city_end = rest
        .char_indices()
        .find(|(_, c)| *c == '市')
        .or_else(|| {
            rest.char_indices()
                .find(|(_, c)| matches!(c, '区' | '町' | '村'))
        })
        .map(|(i, c)| i + c.len_utf8());
    if let Some(end) = city_end {
        if end < rest.len() {
            m.insert("addressLocality".into(), rest[..end].into());
            rest = &rest[end..];
        }
    }
    if !rest.is_empty() {
        m.insert("streetAddress".into(), rest.into());
    }
    m.insert("addressCountry".into(), "JP".into());
    Value::Object(m)
}

fn geo(g: crate::model::Geo) -> Value {
    json!({ "@type": "GeoCoordinates", "latitude": g.lat, "longitude": g.lon })
}

fn audience(entry: &Entry) -> Option<Value> {
    let a = entry.fields.audience.as_ref().filter(|a| !a.is_empty())?;
    Some(json!({ "@type": "Audience", "audienceType": a.join("、") }))
}

fn area_text(entry: &Entry) -> Option<String> {
    entry.fields.area.as_deref().map(super::view::area_label)
}

fn insert_opt(m: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(key.to_string(), v);
    }
}

/// Name, description and URL, common to every node.
fn base(ty: &str, entry: &Entry, permalink: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("@context".into(), CONTEXT.into());
    m.insert("@type".into(), ty.into());
    m.insert("name".into(), entry.name().into());
    insert_opt(
        &mut m,
        "description",
        entry.fields.summary.clone().map(Value::from),
    );
    m.insert("url".into(), permalink.into());
    m
}

fn phones(entry: &Entry) -> Vec<String> {
    entry
        .fields
        .phone
        .as_ref()
        .map(|p| {
            p.as_slice()
                .iter()
                .map(|n| international(n.display()))
                .collect()
        })
        .unwrap_or_default()
}

fn place(entry: &Entry, hours: &[Value], special: &[Value]) -> Option<Value> {
    let f = &entry.fields;
    if f.address.is_none() && f.geo.is_none() {
        return None;
    }
    let mut m = Map::new();
    m.insert("@type".into(), "Place".into());
    m.insert("name".into(), entry.name().into());
    insert_opt(&mut m, "address", f.address.as_deref().map(postal_address));
    insert_opt(&mut m, "geo", f.geo.map(geo));
    if !hours.is_empty() {
        m.insert("openingHoursSpecification".into(), hours.to_vec().into());
    }
    if !special.is_empty() {
        m.insert(
            "specialOpeningHoursSpecification".into(),
            special.to_vec().into(),
        );
    }
    Some(Value::Object(m))
}

fn contact_point(entry: &Entry, hours: &[Value]) -> Option<Value> {
    let f = &entry.fields;
    let phones = phones(entry);
    if phones.is_empty() && f.email.is_none() {
        return None;
    }
    let mut m = Map::new();
    m.insert("@type".into(), "ContactPoint".into());
    m.insert("contactType".into(), "相談".into());
    if let Some(first) = phones.first() {
        m.insert("telephone".into(), first.clone().into());
    }
    insert_opt(&mut m, "email", f.email.as_ref().map(|e| e.as_str().into()));
    if !hours.is_empty() {
        m.insert("hoursAvailable".into(), hours.to_vec().into());
    }
    if let Some(l) = f.languages.as_ref().filter(|l| !l.is_empty()) {
        m.insert("availableLanguage".into(), l.clone().into());
    }
    Some(Value::Object(m))
}

fn operator(site: &Site, entry: &Entry) -> Option<Value> {
    let op = entry.fields.operator.as_ref().and_then(|s| site.get(s))?;
    Some(json!({
        "@type": "Organization",
        "name": op.name(),
        "url": format!("{}{}", site.config.base_url(), super::urls::encode_path(&op.url_path())),
    }))
}

fn organization(site: &Site, entry: &Entry, permalink: &str) -> Value {
    let f = &entry.fields;
    let hours = Hours::of(site, entry);
    let mut m = base("Organization", entry, permalink);
    if let Some(w) = &f.website {
        m.insert("sameAs".into(), w.as_str().into());
    }
    let phones = phones(entry);
    match phones.len() {
        0 => {}
        1 => {
            m.insert("telephone".into(), phones[0].clone().into());
        }
        _ => {
            m.insert("telephone".into(), phones.clone().into());
        }
    }
    insert_opt(&mut m, "email", f.email.as_ref().map(|e| e.as_str().into()));
    insert_opt(&mut m, "address", f.address.as_deref().map(postal_address));
    // The hours once: on the place where people go when there is one,
    // else on the contact point (a phone line, an online group).
    let at_place = place(entry, &hours.regular, &hours.special);
    let cp_hours: Vec<Value> = if at_place.is_some() {
        Vec::new()
    } else {
        hours.all()
    };
    insert_opt(&mut m, "location", at_place);
    insert_opt(&mut m, "contactPoint", contact_point(entry, &cp_hours));
    insert_opt(&mut m, "areaServed", area_text(entry).map(Value::from));
    insert_opt(&mut m, "parentOrganization", operator(site, entry));
    Value::Object(m)
}

fn government_service(site: &Site, entry: &Entry, permalink: &str) -> Value {
    let f = &entry.fields;
    let hours = Hours::of(site, entry).all();
    let mut m = base("GovernmentService", entry, permalink);
    if let Some(c) = f.categories.as_ref().filter(|c| !c.is_empty()) {
        m.insert("serviceType".into(), c.join("、").into());
    }
    insert_opt(&mut m, "provider", operator(site, entry));
    insert_opt(&mut m, "areaServed", area_text(entry).map(Value::from));
    insert_opt(&mut m, "audience", audience(entry));
    if !hours.is_empty() {
        m.insert("hoursAvailable".into(), hours.clone().into());
    }
    let mut channel = Map::new();
    channel.insert("@type".into(), "ServiceChannel".into());
    insert_opt(&mut channel, "servicePhone", contact_point(entry, &[]));
    insert_opt(&mut channel, "serviceLocation", place(entry, &[], &[]));
    insert_opt(
        &mut channel,
        "serviceUrl",
        f.website.as_ref().map(|w| w.as_str().into()),
    );
    if let Some(l) = f.languages.as_ref().filter(|l| !l.is_empty()) {
        channel.insert("availableLanguage".into(), l.clone().into());
    }
    if channel.len() > 1 {
        m.insert("availableChannel".into(), Value::Object(channel));
    }
    Value::Object(m)
}

/// A price in yen when `fee` is a plain amount (「500円」「300円(資料代)」).
fn yen(fee: &str) -> Option<u64> {
    let digits: String = fee
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    let after = fee
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ',');
    if digits.is_empty() || !after.starts_with('円') {
        return None;
    }
    digits.parse().ok()
}

fn event(site: &Site, entry: &Entry, times: &EventTimes, permalink: &str) -> Option<Value> {
    let f = &entry.fields;
    let place_entry = f.place.as_ref().and_then(|s| site.get(s));
    let in_person = f.venue.is_some() || place_entry.is_some() || f.address.is_some();
    let (online, online_url) = match &f.online {
        Some(Online::Flag(b)) => (*b, None),
        Some(Online::Url(u)) => (true, Some(u.as_str().to_string())),
        None => (false, None),
    };
    let mut locations = Vec::new();
    if in_person {
        let mut p = Map::new();
        p.insert("@type".into(), "Place".into());
        let name = f
            .venue
            .clone()
            .or_else(|| place_entry.map(|p| p.name().to_string()));
        insert_opt(&mut p, "name", name.map(Value::from));
        let address = f
            .address
            .as_deref()
            .or_else(|| place_entry.and_then(|p| p.fields.address.as_deref()));
        // Google asks for an address on every Place of an event; the area
        // is the best we know when the editor gave no street address.
        let address = address.map(postal_address).or_else(|| {
            area_text(entry).map(|a| {
                json!({ "@type": "PostalAddress", "addressLocality": a, "addressCountry": "JP" })
            })
        });
        insert_opt(&mut p, "address", address);
        let g = f.geo.or_else(|| place_entry.and_then(|p| p.fields.geo));
        insert_opt(&mut p, "geo", g.map(geo));
        if let Some(pe) = place_entry {
            p.insert(
                "url".into(),
                format!(
                    "{}{}",
                    site.config.base_url(),
                    super::urls::encode_path(&pe.url_path())
                )
                .into(),
            );
        }
        locations.push(Value::Object(p));
    }
    if online {
        locations.push(json!({
            "@type": "VirtualLocation",
            // Without a meeting link, the event page says how to join.
            "url": online_url.clone().unwrap_or_else(|| permalink.to_string()),
        }));
    }
    let mode = match (in_person, online) {
        (true, true) => "https://schema.org/MixedEventAttendanceMode",
        (false, true) => "https://schema.org/OnlineEventAttendanceMode",
        (true, false) => "https://schema.org/OfflineEventAttendanceMode",
        (false, false) => {
            // Neither a place nor online: the area is all we know.
            let area = area_text(entry)?;
            locations.push(json!({
                "@type": "Place",
                "name": area,
                "address": { "@type": "PostalAddress", "addressLocality": area, "addressCountry": "JP" },
            }));
            "https://schema.org/OfflineEventAttendanceMode"
        }
    };
    let mut m = base("Event", entry, permalink);
    m.insert("startDate".into(), times.starts_iso.clone().into());
    insert_opt(&mut m, "endDate", times.ends_iso.clone().map(Value::from));
    m.insert("eventAttendanceMode".into(), mode.into());
    let status = match entry.status() {
        Status::Open => "https://schema.org/EventScheduled",
        // 「開催を見合わせています」: put off, no new date yet.
        Status::Paused => "https://schema.org/EventPostponed",
        Status::Closed => "https://schema.org/EventCancelled",
    };
    m.insert("eventStatus".into(), status.into());
    m.insert(
        "location".into(),
        if locations.len() == 1 {
            locations.remove(0)
        } else {
            Value::Array(locations)
        },
    );
    if let Some(org) = f.organizer.as_ref().and_then(|s| site.get(s)) {
        m.insert(
            "organizer".into(),
            json!({
                "@type": "Organization",
                "name": org.name(),
                "url": format!("{}{}", site.config.base_url(), super::urls::encode_path(&org.url_path())),
            }),
        );
    }
    insert_opt(&mut m, "audience", audience(entry));
    if let Some(c) = f.capacity {
        m.insert("maximumAttendeeCapacity".into(), c.into());
    }
    if let Some(free) = f.free {
        m.insert("isAccessibleForFree".into(), free.into());
    }
    let price = if f.free == Some(true) {
        Some(0)
    } else {
        f.fee.as_deref().and_then(yen)
    };
    if let Some(price) = price {
        let url = match &f.registration {
            Some(Registration::Url(u)) => u.as_str().to_string(),
            _ => permalink.to_string(),
        };
        m.insert(
            "offers".into(),
            json!({ "@type": "Offer", "price": price, "priceCurrency": "JPY", "url": url }),
        );
    }
    Some(Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_never_closes_the_element() {
        let v = json!({ "name": "</script><script>alert(1)</script><!-- & \u{2028}" });
        let s = script_safe(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        assert!(!s.contains('\u{2028}') && s.contains("\\u2028"), "{s}");
    }

    #[test]
    fn script_safe_escapes_exactly_what_it_did_char_by_char() {
        let v = json!({"a": "相談<b>&\u{2028}x\u{2029}\u{2027}\u{202A}ー", "b": ["<", "&&", "\u{2028}"]});
        let by_char: String = v
            .to_string()
            .chars()
            .map(|c| match c {
                '<' => "\\u003c".to_string(),
                '>' => "\\u003e".to_string(),
                '&' => "\\u0026".to_string(),
                '\u{2028}' => "\\u2028".to_string(),
                '\u{2029}' => "\\u2029".to_string(),
                c => c.to_string(),
            })
            .collect();
        assert_eq!(script_safe(&v), by_char);
    }

    #[test]
    fn addresses_split_into_region_city_street() {
        assert_eq!(
            postal_address("広島県広島市中区八丁堀1-1"),
            json!({"@type": "PostalAddress", "addressRegion": "広島県", "addressLocality": "広島市",
                   "streetAddress": "中区八丁堀1-1", "addressCountry": "JP"})
        );
        assert_eq!(
            postal_address("東京都世田谷区三軒茶屋2-1")["addressLocality"],
            "世田谷区"
        );
        assert_eq!(
            postal_address("安芸郡海田町堀川町1-1")["addressLocality"],
            "安芸郡海田町"
        );
        assert_eq!(
            postal_address("北海道札幌市中央区")["addressRegion"],
            "北海道"
        );
    }

    #[test]
    fn public_body_names() {
        assert!(starts_with_municipality("名張市地域包括支援センター"));
        assert!(starts_with_municipality(
            "世田谷区ひきこもり相談窓口「リンク」"
        ));
        assert!(starts_with_municipality("静岡市こころの健康センター"));
        assert!(!starts_with_municipality("名張市社会福祉協議会"));
        assert!(!starts_with_municipality("NPO法人 こもれび静岡"));
        assert!(!starts_with_municipality("まちの保健室 桔梗が丘"));
        assert!(!starts_with_municipality("広島ひきこもり相談支援センター"));
        assert!(!starts_with_municipality("ほりかわ子ども食堂"));
    }

    #[test]
    fn monthly_rules_become_dated_hours() {
        let today = jiff::civil::date(2026, 11, 21);
        // 第2土曜: 2026-12-12, 2027-01-09, 2027-02-13 (11-14 is past).
        assert_eq!(
            monthly_dates(today, Weekday::Sat, 2),
            vec![
                jiff::civil::date(2026, 12, 12),
                jiff::civil::date(2027, 1, 9),
                jiff::civil::date(2027, 2, 13)
            ]
        );
        // The last Friday, including this month's (11-27).
        assert_eq!(
            monthly_dates(today, Weekday::Fri, -1)[0],
            jiff::civil::date(2026, 11, 27)
        );
        // A 5th Thursday only where the month has one.
        for d in monthly_dates(today, Weekday::Thu, 5) {
            assert!(d.day() >= 29, "{d}");
        }
    }

    #[test]
    fn times_and_prices() {
        assert_eq!(
            time(crate::model::TimeOfDay::parse("9:00").unwrap()),
            "09:00:00"
        );
        assert_eq!(
            time(crate::model::TimeOfDay::parse("24:00").unwrap()),
            "23:59:59"
        );
        assert_eq!(yen("500円(資料代)"), Some(500));
        assert_eq!(yen("1,000円"), Some(1000));
        assert_eq!(yen("子ども無料・大人300円"), None);
        assert_eq!(international("082-555-0101"), "+81-82-555-0101");
    }
}
