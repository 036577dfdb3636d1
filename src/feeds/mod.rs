//! Feeds: what calendar apps and feed readers subscribe to.
//!
//! | file | what |
//! |---|---|
//! | `events.ics` | every published event, one subscribable calendar (RFC 5545) |
//! | `events/<slug>/event.ics` | one event, for 「カレンダーに追加」 |
//! | `feed.xml` | Atom 1.0: upcoming events and newly added or re-verified entries |
//!
//! Everything is computed from the validated [`Site`] and its `now` /
//! `today` (never the clock), so the same input gives the same bytes.
//! Drafts never reach a feed, even in a `--drafts` build.

pub mod atom;
pub mod ics;

use crate::model::{Entry, EventTime, Kind};
use crate::output::OutputFile;
use crate::site::Site;
use jiff::Timestamp;

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{file}: event `{slug}`: {message}")]
    EventTime {
        file: String,
        slug: String,
        message: String,
    },
}

/// Every feed file of the site, sorted by path.
pub fn render(site: &Site) -> Result<Vec<OutputFile>, FeedError> {
    let mut files = ics::render(site)?;
    files.push(atom::render(site)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Entries that may be published: everything except drafts.
pub(crate) fn published(site: &Site) -> impl Iterator<Item = &Entry> {
    site.entries.iter().filter(|e| e.fields.draft != Some(true))
}

/// The absolute URL of an entry's page.
pub(crate) fn absolute_url(site: &Site, e: &Entry) -> String {
    format!("{}{}", site.config.base_url(), e.url_path())
}

/// The host of `base_url` (`portal.example.jp`), for calendar UIDs.
pub(crate) fn host(site: &Site) -> String {
    url::Url::parse(site.config.base_url.as_str())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".to_string())
}

/// When an event starts and the instant it is over (the end of the day
/// for a date-only `ends`, the start when there is no `ends`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    pub start: Timestamp,
    pub until: Timestamp,
}

pub(crate) fn event_span(site: &Site, e: &Entry) -> Result<Option<Span>, FeedError> {
    let Some(starts) = e.fields.starts else {
        return Ok(None);
    };
    let err = |m: jiff::Error| FeedError::EventTime {
        file: e.source.to_string_lossy().replace('\\', "/"),
        slug: e.slug.to_string(),
        message: m.to_string(),
    };
    let start = starts.to_zoned(&site.timezone).map_err(err)?;
    let end_of = |t: EventTime| -> Result<Timestamp, FeedError> {
        match t {
            EventTime::AllDay(d) => Ok(d
                .tomorrow()
                .and_then(|n| n.to_zoned(site.timezone.clone()))
                .map_err(err)?
                .timestamp()),
            t => Ok(t.to_zoned(&site.timezone).map_err(err)?.timestamp()),
        }
    };
    let until = match e.fields.ends {
        Some(t) => end_of(t)?,
        None if starts.is_all_day() => end_of(starts)?,
        None => start.timestamp(),
    };
    Ok(Some(Span {
        start: start.timestamp(),
        until,
    }))
}

/// Published events with their spans, by start then slug.
pub(crate) fn events(site: &Site) -> Result<Vec<(&Entry, Span)>, FeedError> {
    let mut out = Vec::new();
    for e in published(site).filter(|e| e.kind == Kind::Event) {
        if let Some(span) = event_span(site, e)? {
            out.push((e, span));
        }
    }
    out.sort_by(|(a, sa), (b, sb)| sa.start.cmp(&sb.start).then(a.slug.cmp(&b.slug)));
    Ok(out)
}

/// The place an event is held: its own venue text, or the name of its
/// `place` entry.
pub(crate) fn event_place<'a>(site: &'a Site, e: &'a Entry) -> Option<&'a Entry> {
    e.fields.place.as_ref().and_then(|p| site.get(p))
}

/// Writes the `:` of every `javascript:` / `vbscript:` (any case) in `s`
/// as `colon`, so no data file carries a script URL that a reader, a
/// calendar app or an HTML page embedding it might follow. Used with an
/// escape that keeps the value (`\u003a` in JSON, `&#58;` in XML) where the
/// format has one.
pub(crate) fn defuse_script_schemes(s: &str, colon: &str) -> String {
    const SCHEMES: [&str; 2] = ["javascript:", "vbscript:"];
    let lower = s.to_ascii_lowercase();
    if !SCHEMES.iter().any(|p| lower.contains(p)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < s.len() {
        if let Some(p) = SCHEMES.iter().find(|p| lower[i..].starts_with(**p)) {
            out.push_str(&s[i..i + p.len() - 1]);
            out.push_str(colon);
            i += p.len();
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_schemes_are_defused() {
        assert_eq!(
            super::defuse_script_schemes("a JaVaScript:x vbscript:y https://z", "&#58;"),
            "a JaVaScript&#58;x vbscript&#58;y https://z"
        );
        assert_eq!(
            super::defuse_script_schemes("ひきこもり", "&#58;"),
            "ひきこもり"
        );
    }
}
