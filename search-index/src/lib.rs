//! Offline full-text search for tsunagu sites.
//!
//! One implementation serves both sides: the `tsunagu` CLI builds the
//! index natively with [`build_bundle`] (feature `writer`, on by default)
//! and can query it with [`Index`]; the same [`Index`] compiled to
//! `wasm32-unknown-unknown` (crate `tsunagu-search-wasm`) answers queries
//! in the browser, so the two can never disagree about analysis, ranking
//! or filtering.
//!
//! * [`analysis`](normalize): NFKC, katakana → hiragana, lower case, CJK
//!   bigrams, whole Latin words.
//! * Queries: every word must match (as a phrase of its bigrams) in any
//!   text field; if that finds nothing, any word may match and the result
//!   is marked [`SearchResults::partial`]. Synonym groups expand words.
//! * Ranking: BM25 with field boosts (name and reading 4, summary,
//!   categories and keywords 2, body 1).
//! * Filters and counts: a tantivy facet field (`/kind/center`,
//!   `/area/広島市/中区`: a city includes its wards), counts per dimension
//!   computed as if that dimension were not filtered, so the UI can show
//!   how many results each choice would give.
//! * The index ships as two deterministic files, `index.bin` (what the
//!   first results need) and `index-body.bin` (the body text).

mod analysis;
mod bundle;
mod hits;
mod schema;
mod search;
#[cfg(feature = "writer")]
mod writer;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use analysis::{normalize, JaTokenizer, TOKENIZER_NAME};
pub use search::Index;

#[cfg(feature = "writer")]
pub use writer::{build_bundle, build_bundles, Bundles};

/// One searchable entry of the site, as the CLI hands it over.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchDoc {
    /// Unique identifier; duplicates are refused by [`build_bundle`].
    pub slug: String,
    /// `"center"`, `"organization"`, `"event"`, `"cafeteria"` or `"page"`.
    pub kind: String,
    /// Display name; for pages the title.
    pub name: String,
    /// Hiragana reading of the name, so typing a reading finds a kanji name.
    pub kana: Option<String>,
    /// Short description; may be empty.
    pub summary: String,
    /// Plain text (Markdown already stripped).
    pub body: String,
    pub categories: Vec<String>,
    pub keywords: Vec<String>,
    pub audience: Vec<String>,
    pub methods: Vec<String>,
    /// Area path with `/` between levels, e.g. `"広島市/中区"`.
    pub area: Option<String>,
    pub free: Option<bool>,
    pub anonymous: Option<bool>,
    /// Site-relative path without a leading slash (e.g. `"centers/foo/"`)
    /// so that links work under a sub-path base URL.
    pub url: String,
    /// Events: start, unix seconds.
    pub starts: Option<i64>,
    /// Events: end, unix seconds.
    pub ends: Option<i64>,
    /// Place names: the area's levels and the address (and, for an event
    /// held at a place, that place's). Searched as phrases, so a short form
    /// finds the full name: 東京 finds 東京都, 広島 finds 広島県 and 広島市.
    pub places: Vec<String>,
    /// Every other text a family can read on the entry page: access
    /// directions, venue, hours notes, fees, target audience, how to
    /// register, accessibility, the operating or organising
    /// organisation's name.
    pub details: Vec<String>,
    /// The first phone number as the page shows it (「082-555-0101」).
    pub phone: Option<String>,
    /// Its `tel:` link target (「tel:+81825550101」).
    pub tel: Option<String>,
    /// The opening hours as the entry page's `data-hours` attribute holds
    /// them (JSON for the theme's opening.js), so a hit can say whether
    /// the place is open now.
    pub hours: Option<String>,
}

/// Groups of words that mean the same thing, e.g.
/// `[["ひきこもり","引きこもり","引き籠もり"],["子ども食堂","こども食堂","子供食堂"]]`.
/// A query word containing one member also searches for the others.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Synonyms {
    pub groups: Vec<Vec<String>>,
}

/// A search request. Every field is optional in JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    /// Words separated by spaces (ASCII or full-width). Empty = browse.
    pub text: String,
    pub kind: Option<String>,
    pub category: Option<String>,
    /// An area at any level; `"広島市"` includes `"広島市/中区"`.
    pub area: Option<String>,
    pub audience: Option<String>,
    pub method: Option<String>,
    pub free: Option<bool>,
    pub anonymous: Option<bool>,
    /// Current time, unix seconds: what makes an event past (its end, or
    /// its start without an end, is before `now`). The caller passes it
    /// because a static site has no server clock. Without it no event is
    /// past.
    pub now: Option<i64>,
    /// What to do with past events (default: return them, after
    /// everything else).
    pub past_events: PastEvents,
    /// Page size; 0 means 20. Capped at 200.
    pub limit: usize,
    pub offset: usize,
}

/// Past events in a [`Query`]'s results.
///
/// A leaflet or a friend may name last year's event: search finds it,
/// clearly marked ([`Hit::past`]), but never above what a family can still
/// go to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PastEvents {
    /// Returned, ranked after every upcoming or ongoing event and every
    /// place (by score among themselves). Counts include them.
    #[default]
    Last,
    /// Only past events (`tsunagu search --past`).
    Only,
    /// Left out, and not counted.
    Exclude,
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchResults {
    /// Number of matching entries (all pages).
    pub total: usize,
    /// True when not every word matched together and the results are
    /// those matching some of the words: the UI then says
    /// 「完全に一致する結果がありません。一部の言葉に一致した結果を表示しています」.
    pub partial: bool,
    pub hits: Vec<Hit>,
    /// Counts per filter value for the current query.
    pub facets: Facets,
}

/// One result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub slug: String,
    pub kind: String,
    pub name: String,
    pub kana: Option<String>,
    pub url: String,
    pub area: Option<String>,
    /// The summary, or when it is empty the beginning of the body.
    pub summary: String,
    /// `summary`, HTML-escaped, with `<mark>…</mark>` around matches.
    pub summary_highlighted: String,
    /// `name`, HTML-escaped, with `<mark>…</mark>` around matches.
    pub name_highlighted: String,
    /// BM25 score (0 when browsing).
    pub score: f32,
    pub starts: Option<i64>,
    pub ends: Option<i64>,
    /// An event that is over (see [`Query::now`]): the UI labels it 終了
    /// with its date.
    pub past: bool,
    /// See [`SearchDoc::phone`].
    pub phone: Option<String>,
    /// See [`SearchDoc::tel`].
    pub tel: Option<String>,
    /// See [`SearchDoc::hours`].
    pub hours: Option<String>,
}

/// Number of matching entries per value, for each filter dimension.
///
/// The counts of a dimension are computed with the query and every other
/// filter applied, but not that dimension's own filter: they say how many
/// results choosing that value would give ("disjunctive" facets), so the
/// other choices of a select do not all drop to zero once one is chosen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    pub kind: BTreeMap<String, u64>,
    pub category: BTreeMap<String, u64>,
    /// Every level: `"広島市"` and `"広島市/中区"` both appear.
    pub area: BTreeMap<String, u64>,
    pub audience: BTreeMap<String, u64>,
    pub method: BTreeMap<String, u64>,
    /// Keys `"true"` / `"false"`.
    pub free: BTreeMap<String, u64>,
    /// Keys `"true"` / `"false"`.
    pub anonymous: BTreeMap<String, u64>,
}

/// Everything that can go wrong. No input, however malformed, panics.
#[derive(thiserror::Error, Debug)]
pub enum SearchError {
    #[error("not a tsunagu search index (wrong magic bytes)")]
    NotABundle,
    #[error(
        "search index format {found} is not supported by this version (expects {expected}); rebuild the site"
    )]
    UnsupportedVersion { found: u32, expected: u32 },
    #[error("the search index is damaged: {0}")]
    Corrupt(String),
    #[error("search document `{slug}` is invalid: {reason}")]
    InvalidDoc { slug: String, reason: String },
    #[error("building the search index failed: {0}")]
    Build(String),
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("search engine error: {0}")]
    Engine(#[from] tantivy::TantivyError),
}

/// Query-time settings stored in the bundle next to the index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Settings {
    pub synonyms: Vec<Vec<String>>,
    /// Identifies the document order; the body tier carries the same id.
    pub pair: String,
}

/// Settings of the body tier.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct BodySettings {
    /// [`Settings::pair`] of the index this body belongs to.
    pub pair: String,
}

/// What the index stores per document to render a hit (see `hits.rs`).
#[derive(Debug, Clone, Default)]
#[cfg_attr(test, derive(Serialize))]
pub(crate) struct StoredHit {
    pub slug: String,
    pub kind: String,
    pub name: String,
    pub kana: Option<String>,
    pub url: String,
    pub area: Option<String>,
    pub summary: String,
    pub starts: Option<i64>,
    pub ends: Option<i64>,
    pub phone: Option<String>,
    pub tel: Option<String>,
    pub hours: Option<String>,
}
