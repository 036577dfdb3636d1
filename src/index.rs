//! Index: the search bundles written beside the site, built by the same
//! `tsunagu-search` crate the browser's wasm module uses, so indexing and
//! querying can never tokenize differently:
//!
//! * `search-index/index.bin` (tier 1): names, readings, summaries,
//!   categories, keywords, filters and what a result shows; all the
//!   browser needs for the first results;
//! * `search-index/index-body.bin` (tier 2): the body text, which the
//!   search page fetches once the first results are shown.

use crate::model::{Entry, EventTime, PhoneNumber, Registration, Status};
use crate::output::OutputFile;
use crate::render::markdown;
use crate::site::Site;
use rayon::prelude::*;
use std::path::Path;
use tsunagu_search::{Index, SearchDoc, Synonyms};

/// Where tier 1 goes, relative to the output root.
pub const BUNDLE_PATH: &str = "search-index/index.bin";
/// Where tier 2 (the body text) goes, relative to the output root.
pub const BODY_BUNDLE_PATH: &str = "search-index/index-body.bin";

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Search(#[from] tsunagu_search::SearchError),
    #[error("cannot read the search index {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// Builds the bundle for every entry families may find (closed entries
/// are left out; drafts never reach the site).
pub fn build_index(site: &Site) -> Result<Vec<OutputFile>, IndexError> {
    let docs: Vec<SearchDoc> = site
        .entries
        .par_iter()
        .filter(|e| e.status() != Status::Closed)
        .map(|e| search_doc(site, e))
        .collect();
    let synonyms = Synonyms {
        groups: site.config.synonyms.groups.clone(),
    };
    let bundles = tsunagu_search::build_bundles(&docs, &synonyms)?;
    Ok(vec![
        OutputFile {
            path: BUNDLE_PATH.to_string(),
            bytes: bundles.index,
        },
        OutputFile {
            path: BODY_BUNDLE_PATH.to_string(),
            bytes: bundles.body,
        },
    ])
}

/// Opens both tiers of a built site (`out` is the output folder), as
/// `tsunagu search` needs them: every field, the body included.
pub fn open_built(out: &Path) -> Result<Index, IndexError> {
    let read = |rel: &str| {
        let path = out.join(rel);
        std::fs::read(&path).map_err(|source| IndexError::Read {
            path: path.display().to_string(),
            source,
        })
    };
    Ok(Index::open_tiers(
        read(BUNDLE_PATH)?,
        read(BODY_BUNDLE_PATH)?,
    )?)
}

fn unix_seconds(site: &Site, t: Option<EventTime>) -> Option<i64> {
    t.and_then(|t| t.to_zoned(&site.timezone).ok())
        .map(|z| z.timestamp().as_second())
}

/// One entry as the search index sees it: everything a family can read
/// on its page is searchable (the body; access, venue, notes, fees,
/// audience, registration, accessibility, notes, other names and the organisation's name as
/// `details`, with the kind's label; area and address as `places`), and a hit carries the phone
/// and hours the result list shows.
pub fn search_doc(site: &Site, e: &Entry) -> SearchDoc {
    let f = &e.fields;
    // An event held at a place is found by that place's name and address.
    let place = f.place.as_ref().and_then(|slug| site.get(slug));
    let mut places: Vec<String> = f.address.iter().cloned().collect();
    if let Some(place) = place {
        places.extend(place.fields.area.iter().map(|a| a.replace('/', " ")));
        places.extend(place.fields.address.iter().cloned());
    }
    let organisation = [f.operator.as_ref(), f.organizer.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|slug| site.get(slug))
        .map(|org| org.name().to_string());
    let registration = match &f.registration {
        Some(Registration::Text(text)) => Some(text.clone()),
        _ => None,
    };
    let rule_notes = f
        .hours
        .iter()
        .flatten()
        .filter_map(|rule| rule.note().map(str::to_owned));
    let details: Vec<String> = [
        // The kind as the page labels it: 「名張市 食堂」 finds the
        // 食堂・居場所 entries of 名張市 even when 食堂 is not in their names.
        Some(e.kind.label().to_string()),
        f.access.clone(),
        f.venue.clone(),
        place.map(|p| p.name().to_string()),
        place.and_then(|p| p.fields.access.clone()),
        f.hours_note.clone(),
        f.fee.clone(),
        f.accessibility.clone(),
        f.notes.clone(),
        registration,
    ]
    .into_iter()
    .flatten()
    .chain(rule_notes)
    .chain(f.audience.iter().flatten().cloned())
    .chain(f.methods.iter().flatten().cloned())
    .chain(f.languages.iter().flatten().cloned())
    .chain(organisation)
    // Other names the page shows (別名: 名称_通称 from an imported list).
    .chain(f.aliases.iter().flatten().cloned())
    .filter(|text| !text.trim().is_empty())
    .collect();
    let phone = f.phone.as_ref().and_then(|p| p.as_slice().first());
    SearchDoc {
        slug: e.slug.to_string(),
        kind: e.kind.as_str().to_string(),
        name: e.name().to_string(),
        kana: f.kana.clone(),
        summary: f.summary.clone().unwrap_or_default(),
        body: markdown::to_plain_text(&e.body),
        categories: f.categories.clone().unwrap_or_default(),
        keywords: f.keywords.clone().unwrap_or_default(),
        audience: f.audience.clone().unwrap_or_default(),
        methods: f.methods.clone().unwrap_or_default(),
        area: f.area.clone(),
        free: f.free,
        anonymous: f.anonymous,
        url: e.url_path(),
        starts: unix_seconds(site, f.starts),
        ends: unix_seconds(site, f.ends),
        places,
        details,
        phone: phone.map(|p| p.display().to_string()),
        tel: phone.map(PhoneNumber::tel_href),
        // The same attribute the entry page carries (closed days included),
        // so a hit's 受付中 / 次の受付 agrees with the page.
        hours: crate::model::hours::wire::data_hours(
            f.hours.as_deref().unwrap_or(&[]),
            f.closed.as_deref().unwrap_or(&[]),
            e.status(),
            &site.config.timezone,
            &site.config.closures.spans,
            site.today,
        ),
    }
}
