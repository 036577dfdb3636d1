//! Opening a bundle and answering queries (native and wasm).
//!
//! One file per job: `open` (the tiers), `parse` (query text → words →
//! tantivy queries), `rank` (what matches, filters, past events, order),
//! `facets` (counts per filter value), `shape` (what a hit shows,
//! highlighting), `adapters` (tantivy query wrappers). This file holds the
//! [`Index`] and the search itself, which calls them in that order.
//!
//! The index has two tiers (see `schema.rs`): tier 1 is enough to answer
//! queries from the name, reading, summary, categories and keywords; the
//! body tier, once added, is searched through [`BodyQuery`], a query on
//! the body index that plugs into tier 1's query tree. Both indexes hold
//! the same documents in the same order in one segment each, so a body
//! scorer's document ids are tier 1's: words may match in either tier,
//! BM25 scores add up, and filters, counts and sorting work as before.

mod adapters;
mod facets;
mod open;
mod parse;
mod rank;
mod shape;

use adapters::*;
use facets::*;
use parse::*;
use rank::*;

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::PathBuf;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyScorer, EnableScoring, Explanation,
    InvertedIndexRangeQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query as TQuery, Scorer,
    TermQuery, Weight,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocId, DocSet, ReloadPolicy, Score, Searcher, SegmentReader, Term, TERMINATED};

use crate::analysis::{analyze, normalize, JaTokenizer, Mode, Tok, TOKENIZER_NAME};
use crate::bundle::{self, BundleDirectory, BODY_PREFIX, BODY_SETTINGS_ENTRY, SETTINGS_ENTRY};
use crate::hits::{EventTimes, Hits, HITS_ENTRY};
use crate::schema::{self as s, Fields};
use crate::{BodySettings, Facets, Hit, PastEvents, Query, SearchError, SearchResults, Settings};

/// Page size when the query asks for 0.
const DEFAULT_LIMIT: usize = 20;
/// Largest page served; protects the browser from huge result JSON.
const MAX_LIMIT: usize = 200;
/// Deepest page reachable; keeps `offset + limit` far from overflow.
const MAX_OFFSET: usize = 100_000;
/// Query text beyond this many characters is ignored (nobody types more;
/// it bounds the work a pasted document can cause).
const MAX_QUERY_CHARS: usize = 200;
/// At most this many words are searched.
const MAX_WORDS: usize = 12;
/// At most this many synonym spellings are tried per word.
const MAX_ALTERNATIVES: usize = 16;
/// How many terms a trailing one-character prefix may expand to.
const MAX_PREFIX_EXPANSIONS: u32 = 2_000;

/// An opened search index: tier 1 (`index.bin`), and the body tier
/// (`index-body.bin`) once added with [`Index::add_body`].
pub struct Index {
    reader: tantivy::IndexReader,
    fields: Fields,
    /// Normalised synonym groups.
    synonyms: Vec<Vec<String>>,
    /// Identifies the document order (see `writer.rs`, `pair_id`).
    pair: String,
    /// What each result shows, by document id.
    hits: Hits,
    /// The facets of each document, for counting.
    facet_table: FacetTable,
    /// By document id: the start and end of events (browse order of
    /// events, past or not), `None` for other kinds.
    event_times: Vec<Option<EventTimes>>,
    body: Option<Body>,
}

/// The body tier of an opened index.
struct Body {
    reader: tantivy::IndexReader,
    field: Field,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("docs", &self.reader.searcher().num_docs())
            .field("body", &self.body.is_some())
            .finish_non_exhaustive()
    }
}

/// Filters of a query, by facet dimension, so that a dimension's own
/// filter can be left out when counting that dimension.
struct Filter {
    dim: &'static str,
    query: Box<dyn TQuery>,
}

impl Index {
    /// Answers a query: full-text search when `q.text` has words, else
    /// browsing (everything matching the filters, by reading/name; events
    /// by start time when filtering on `kind = "event"`).
    pub fn search(&self, q: &Query) -> Result<SearchResults, SearchError> {
        guarded("searching", || self.search_unguarded(q))
    }

    fn search_unguarded(&self, q: &Query) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let limit = match q.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        };
        let offset = q.offset.min(MAX_OFFSET);
        let filters = self.filters(q);
        let past = self.past_events(q);
        let text: String = q.text.chars().take(MAX_QUERY_CHARS).collect();
        let words = self.plan(&text);

        if words.is_empty() {
            if !normalize(&text).trim().is_empty() {
                // Only punctuation or symbols: nothing to look for.
                return Ok(SearchResults::default());
            }
            // Browsing: document ids are the browse order (by reading);
            // events, when only events are asked for, by start time.
            let mut matches =
                self.matches(&searcher, &AllQuery, &filters, None, past.as_ref(), false)?;
            let events_only = q.kind.as_deref().map(str::trim) == Some("event");
            self.sort_browsed(&mut matches, events_only, q.now);
            let hits = page(&matches, offset, limit)
                .iter()
                .map(|&(doc, _)| self.hit(doc, 0.0, &[], q.now))
                .collect::<Result<_, _>>()?;
            let facets = self.facets(&searcher, &AllQuery, &filters, past.as_ref(), &matches)?;
            return Ok(SearchResults {
                total: matches.len(),
                partial: false,
                hits,
                facets,
            });
        }

        let body = self.body.as_ref().map(|b| (b.reader.searcher(), b.field));
        let body = body.as_ref().map(|(searcher, field)| (searcher, *field));
        let mut partial = false;
        let mut text_query = self.text_query(&words, Occur::Must, body);
        let mut matches =
            self.matches(&searcher, &*text_query, &filters, None, past.as_ref(), true)?;
        if matches.is_empty() && words.len() >= 2 {
            text_query = self.text_query(&words, Occur::Should, body);
            matches = self.matches(&searcher, &*text_query, &filters, None, past.as_ref(), true)?;
            partial = !matches.is_empty();
        }
        self.sort_ranked(&mut matches, offset.saturating_add(limit), q.now);
        let phrases: Vec<&[Tok]> = words
            .iter()
            .flat_map(|w| w.alternatives.iter().map(Vec::as_slice))
            .collect();
        let hits = page(&matches, offset, limit)
            .iter()
            .map(|&(doc, score)| self.hit(doc, score, &phrases, q.now))
            .collect::<Result<_, _>>()?;
        let facets = self.facets(&searcher, &*text_query, &filters, past.as_ref(), &matches)?;
        Ok(SearchResults {
            total: matches.len(),
            partial,
            hits,
            facets,
        })
    }
}

/// Runs `f`, turning a panic into [`SearchError::Corrupt`] where panics
/// unwind (native builds).
///
/// The bundle checksum already rejects damaged downloads before tantivy
/// sees them, but tantivy's decoders assert on inconsistent data, and a
/// bundle with a valid checksum and inconsistent content (made by another
/// tantivy version, or by hand) must not take the CLI down. In the wasm
/// module panics abort: search.js then discards the instance and reports
/// the failure.
fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T, SearchError>) -> Result<T, SearchError> {
    #[cfg(panic = "unwind")]
    {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
            Ok(result) => result,
            Err(payload) => {
                let detail = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(SearchError::Corrupt(format!(
                    "inconsistent index data while {what}: {detail}"
                )))
            }
        }
    }
    #[cfg(not(panic = "unwind"))]
    {
        let _ = what;
        f()
    }
}

/// `offset..offset + limit` of `matches`, clamped.
fn page(matches: &[(DocId, Score)], offset: usize, limit: usize) -> &[(DocId, Score)] {
    let start = offset.min(matches.len());
    let end = start.saturating_add(limit).min(matches.len());
    &matches[start..end]
}
