//! iCalendar (RFC 5545): `events.ics` with every published event, and
//! `events/<slug>/event.ics` with one.
//!
//! - Timed events are written in UTC (`DTSTART:20261205T043000Z`), which
//!   every calendar converts to its user's zone; no VTIMEZONE is needed.
//!   All-day events are `VALUE=DATE` with the exclusive end RFC 5545 asks
//!   for (a date-only `ends` includes that whole day, as on the site).
//! - `UID` is `<slug>@<host of base_url>`, stable across builds, so a
//!   subscribed calendar updates an event instead of duplicating it.
//! - `DTSTAMP` is the build's `now` (`SOURCE_DATE_EPOCH`), never the clock.
//! - Text is escaped (`\\`, `;`, `,`, newlines) and lines are folded at 75
//!   octets without splitting a UTF-8 sequence; lines end in CRLF.
//! - A cancelled event (`status: closed`) stays in the calendar with
//!   `STATUS:CANCELLED`, so subscribers see it was called off.

use super::{absolute_url, event_place, events, host, FeedError, Span};
use crate::model::{Entry, EventTime, Online, Registration, Status};
use crate::output::OutputFile;
use crate::site::Site;
use jiff::civil::Date;
use jiff::Timestamp;

use crate::output::paths::{event_ics as event_path, EVENTS_ICS as ALL_EVENTS_PATH};

pub fn render(site: &Site) -> Result<Vec<OutputFile>, FeedError> {
    let events = events(site)?;
    let mut files = Vec::with_capacity(events.len() + 1);
    let mut all = Writer::calendar(site, &format!("{} イベント", site.config.title));
    for (e, span) in &events {
        all.event(site, e, *span);
        let mut one = Writer::calendar(site, &site.config.title);
        one.event(site, e, *span);
        files.push(OutputFile {
            path: event_path(e.slug.as_str()),
            bytes: one.finish(),
        });
    }
    files.push(OutputFile {
        path: ALL_EVENTS_PATH.to_string(),
        bytes: all.finish(),
    });
    Ok(files)
}

/// Builds one VCALENDAR line by line.
struct Writer {
    out: String,
}

impl Writer {
    fn calendar(site: &Site, name: &str) -> Writer {
        let mut w = Writer { out: String::new() };
        w.line("BEGIN:VCALENDAR");
        w.line("VERSION:2.0");
        w.line("PRODID:-//tsunagu//tsunagu static site generator//JA");
        w.line("CALSCALE:GREGORIAN");
        w.line("METHOD:PUBLISH");
        w.text("X-WR-CALNAME", name);
        w.text("X-WR-TIMEZONE", &site.config.timezone);
        w.line("REFRESH-INTERVAL;VALUE=DURATION:P1D");
        w.line("X-PUBLISHED-TTL:P1D");
        w
    }

    fn event(&mut self, site: &Site, e: &Entry, span: Span) {
        let f = &e.fields;
        let url = absolute_url(site, e);
        let cancelled = e.status() == Status::Closed;
        self.line("BEGIN:VEVENT");
        self.line(&format!("UID:{}@{}", e.slug, host(site)));
        self.line(&format!("DTSTAMP:{}", utc(site.now)));
        let starts = f.starts.expect("events() yields events with starts");
        if let EventTime::AllDay(first) = starts {
            // An all-day start: the whole calendar days, end exclusive.
            let last = match f.ends {
                Some(t) => t
                    .to_zoned(&site.timezone)
                    .map(|z| z.date())
                    .unwrap_or(first),
                None => first,
            };
            self.line(&format!("DTSTART;VALUE=DATE:{}", ymd(first)));
            let end = last.tomorrow().unwrap_or(last);
            self.line(&format!("DTEND;VALUE=DATE:{}", ymd(end)));
        } else {
            self.line(&format!("DTSTART:{}", utc(span.start)));
            if f.ends.is_some() {
                self.line(&format!("DTEND:{}", utc(span.until)));
            }
        }
        let summary = if cancelled {
            format!("【中止】{}", e.name())
        } else {
            e.name().to_string()
        };
        self.text("SUMMARY", &summary);
        self.text("DESCRIPTION", &description(e, &url));
        if let Some(location) = location(site, e) {
            self.text("LOCATION", &location);
        }
        let geo = f
            .geo
            .or_else(|| event_place(site, e).and_then(|p| p.fields.geo));
        if let Some(g) = geo {
            self.line(&format!("GEO:{};{}", g.lat, g.lon));
        }
        if let Some(cats) = f.categories.as_ref().filter(|c| !c.is_empty()) {
            let joined: Vec<String> = cats.iter().map(|c| escape_text(c)).collect();
            self.line(&format!("CATEGORIES:{}", joined.join(",")));
        }
        self.line(&format!("URL:{url}"));
        self.line(if cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        });
        self.line("END:VEVENT");
    }

    /// A property whose value is TEXT: escaped, then folded.
    fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }

    /// One content line, folded at 75 octets, ending in CRLF.
    fn line(&mut self, line: &str) {
        fold_into(&mut self.out, line);
    }

    fn finish(mut self) -> Vec<u8> {
        self.line("END:VCALENDAR");
        self.out.into_bytes()
    }
}

/// The DESCRIPTION: the summary, how to join, and the page URL.
fn description(e: &Entry, url: &str) -> String {
    let f = &e.fields;
    let mut parts: Vec<String> = Vec::new();
    if let Some(s) = f.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(s.trim().to_string());
    }
    match &f.online {
        Some(Online::Url(u)) => parts.push(format!("オンライン参加: {}", u.as_str())),
        Some(Online::Flag(true)) => parts.push("オンライン参加あり".to_string()),
        _ => {}
    }
    match &f.registration {
        Some(Registration::Text(t)) => parts.push(format!("申し込み: {t}")),
        Some(Registration::Url(u)) => parts.push(format!("申し込み: {}", u.as_str())),
        None => {}
    }
    parts.push(url.to_string());
    parts.join("\n")
}

/// The LOCATION: the venue (or the place entry's name) and the address
/// (the event's own, or the place's).
pub(crate) fn location(site: &Site, e: &Entry) -> Option<String> {
    let f = &e.fields;
    let place = event_place(site, e);
    let name = f
        .venue
        .clone()
        .or_else(|| place.map(|p| p.name().to_string()));
    let address = f
        .address
        .clone()
        .or_else(|| place.and_then(|p| p.fields.address.clone()));
    match (name, address) {
        (Some(n), Some(a)) if n.contains(&a) => Some(n),
        (Some(n), Some(a)) => Some(format!("{n}, {a}")),
        (Some(n), None) => Some(n),
        (None, Some(a)) => Some(a),
        (None, None) => match f.online {
            Some(Online::Url(_) | Online::Flag(true)) => Some("オンライン".to_string()),
            _ => None,
        },
    }
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn ymd(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// RFC 5545 §3.3.11 TEXT escaping: backslash, semicolon, comma, newline.
///
/// iCalendar has no escape for markup, and some calendar apps show
/// DESCRIPTION as HTML or turn URLs into links; so `<` and `>` become the
/// full-width `＜` `＞` and the colon of `javascript:` / `vbscript:` becomes
/// `：`. Ordinary text never has them; an entry that does is shown the same
/// way, with harmless characters.
pub fn escape_text(s: &str) -> String {
    let s = super::defuse_script_schemes(s, "：")
        .replace('<', "＜")
        .replace('>', "＞");
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (RFC 5545 §3.1): continuation lines
/// start with one space, and no UTF-8 sequence is split.
pub fn fold_into(out: &mut String, line: &str) {
    let mut limit = 75;
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > limit {
            out.push_str("\r\n ");
            used = 1;
            limit = 75;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_utf8_whole_and_lines_short() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "ひきこもり家族会".repeat(10));
        fold_into(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }
}
