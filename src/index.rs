//! Index: the search bundle written beside the site
//! (`search-index/index.bin`), built by the same `tsunagu-search` crate the
//! browser's wasm module uses, so indexing and querying can never
//! tokenize differently.

use crate::model::{Entry, EventTime, Status};
use crate::render::{markdown, OutputFile};
use crate::site::Site;
use rayon::prelude::*;
use tsunagu_search::{SearchDoc, Synonyms};

/// Where the bundle goes, relative to the output root.
pub const BUNDLE_PATH: &str = "search-index/index.bin";

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Search(#[from] tsunagu_search::SearchError),
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
    let bytes = tsunagu_search::build_bundle(&docs, &synonyms)?;
    Ok(vec![OutputFile {
        path: BUNDLE_PATH.to_string(),
        bytes,
    }])
}

fn unix_seconds(site: &Site, t: Option<EventTime>) -> Option<i64> {
    t.and_then(|t| t.to_zoned(&site.timezone).ok())
        .map(|z| z.timestamp().as_second())
}

/// One entry as the search index sees it.
pub fn search_doc(site: &Site, e: &Entry) -> SearchDoc {
    let f = &e.fields;
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
    }
}
