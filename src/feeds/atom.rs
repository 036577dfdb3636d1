//! `feed.xml`: an Atom 1.0 feed (RFC 4287) for feed readers and for the
//! municipal sites that show "new on the portal".
//!
//! Entries, in this order:
//! 1. upcoming events (not over at the build's `now`), soonest first;
//! 2. centers, organizations and cafeterias by `verified`, newest first,
//!    at most [`MAX_VERIFIED`] — a newly added or re-checked entry comes
//!    back to the top.
//!
//! Closed entries and drafts are never in the feed. Every `updated` comes
//! from a date in the content (`verified`; for an event without one, the
//! build's `today`), at midnight in the site's timezone, so the feed is the
//! same for the same input. URLs are absolute, from `base_url`.

use super::{absolute_url, events, published, FeedError, Span};
use crate::model::{Entry, Kind, Status};
use crate::output::OutputFile;
use crate::site::Site;
use jiff::civil::Date;

use crate::output::paths::FEED as PATH;

/// How many verified entries the feed lists.
pub const MAX_VERIFIED: usize = 50;

struct Item<'a> {
    entry: &'a Entry,
    updated: Date,
    span: Option<Span>,
}

pub fn render(site: &Site) -> Result<OutputFile, FeedError> {
    let mut items: Vec<Item> = Vec::new();
    for (e, span) in events(site)? {
        if e.status() == Status::Closed || span.until <= site.now {
            continue;
        }
        items.push(Item {
            entry: e,
            updated: e.fields.verified.map(|d| d.0).unwrap_or(site.today),
            span: Some(span),
        });
    }
    let mut verified: Vec<(&Entry, Date)> = published(site)
        .filter(|e| matches!(e.kind, Kind::Center | Kind::Organization | Kind::Cafeteria))
        .filter(|e| e.status() != Status::Closed)
        .filter_map(|e| e.fields.verified.map(|d| (e, d.0)))
        .collect();
    verified.sort_by(|(a, da), (b, db)| db.cmp(da).then(a.slug.cmp(&b.slug)));
    items.extend(verified.into_iter().take(MAX_VERIFIED).map(|(e, d)| Item {
        entry: e,
        updated: d,
        span: None,
    }));

    let base = site.config.base_url();
    let feed_updated = items.iter().map(|i| i.updated).max().unwrap_or(site.today);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        esc(&site.config.language)
    ));
    x.push_str(&format!("  <title>{}</title>\n", esc(&site.config.title)));
    if let Some(d) = &site.config.description {
        x.push_str(&format!("  <subtitle>{}</subtitle>\n", esc(d)));
    }
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        esc(&format!("{base}{PATH}"))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&base)
    ));
    x.push_str(&format!("  <id>{}</id>\n", esc(&base)));
    x.push_str(&format!(
        "  <updated>{}</updated>\n",
        rfc3339(site, feed_updated)
    ));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        esc(&site.config.title)
    ));
    x.push_str("  <generator>tsunagu</generator>\n");
    for item in &items {
        entry_xml(&mut x, site, item);
    }
    x.push_str("</feed>\n");
    Ok(OutputFile {
        path: PATH.to_string(),
        bytes: x.into_bytes(),
    })
}

fn entry_xml(x: &mut String, site: &Site, item: &Item) {
    let e = item.entry;
    let url = absolute_url(site, e);
    x.push_str("  <entry>\n");
    x.push_str(&format!("    <title>{}</title>\n", esc(e.name())));
    x.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&url)
    ));
    x.push_str(&format!("    <id>{}</id>\n", esc(&url)));
    x.push_str(&format!(
        "    <updated>{}</updated>\n",
        rfc3339(site, item.updated)
    ));
    x.push_str(&format!(
        "    <category term=\"{}\" label=\"{}\"/>\n",
        e.kind.as_str(),
        esc(e.kind.label())
    ));
    for c in e.fields.categories.iter().flatten() {
        x.push_str(&format!("    <category term=\"{}\"/>\n", esc(c)));
    }
    let mut summary = String::new();
    if let Some(span) = item.span {
        summary.push_str(&when_ja(site, span, e));
        if let Some(place) = super::ics::location(site, e) {
            summary.push_str(" / ");
            summary.push_str(&place);
        }
    }
    if let Some(s) = e.fields.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        if !summary.is_empty() {
            summary.push('\n');
        }
        summary.push_str(s.trim());
    }
    if e.status() == Status::Paused {
        summary.insert_str(0, "【休止中】");
    }
    if !summary.is_empty() {
        x.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            esc(&summary)
        ));
    }
    x.push_str("  </entry>\n");
}

/// 「2026年12月5日(土) 13:30」 (the start, in the site's timezone).
fn when_ja(site: &Site, span: Span, e: &Entry) -> String {
    const WD: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    let z = span.start.to_zoned(site.timezone.clone());
    let mut s = format!(
        "{}年{}月{}日({})",
        z.year(),
        z.month(),
        z.day(),
        WD[z.weekday().to_monday_zero_offset() as usize]
    );
    if !e.fields.starts.is_some_and(|t| t.is_all_day()) {
        s.push_str(&format!(" {}:{:02}〜", z.hour(), z.minute()));
    }
    s
}

/// Midnight of `d` in the site's timezone, RFC 3339.
fn rfc3339(site: &Site, d: Date) -> String {
    d.to_zoned(site.timezone.clone())
        .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_else(|_| format!("{d}T00:00:00Z"))
}

/// XML text and attribute escaping; characters XML 1.0 forbids are dropped,
/// and the colon of `javascript:` is written `&#58;` (the same text for an
/// XML reader, but no script URL for anything that scans the bytes).
pub fn esc(s: &str) -> String {
    super::defuse_script_schemes(&esc_xml(s), "&#58;")
}

fn esc_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
