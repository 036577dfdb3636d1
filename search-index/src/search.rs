//! Opening a bundle and answering queries (native and wasm).
//!
//! The index has two tiers (see `schema.rs`): tier 1 is enough to answer
//! queries from the name, reading, summary, categories and keywords; the
//! body tier, once added, is searched through [`BodyQuery`], a query on
//! the body index that plugs into tier 1's query tree. Both indexes hold
//! the same documents in the same order in one segment each, so a body
//! scorer's document ids are tier 1's: words may match in either tier,
//! BM25 scores add up, and filters, counts and sorting work as before.

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
use crate::hits::{Hits, HITS_ENTRY};
use crate::schema::{self as s, Fields};
use crate::{BodySettings, Facets, Hit, Query, SearchError, SearchResults, Settings};

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
    /// By document id: the start time of events (browse order of events),
    /// `None` for other kinds.
    event_starts: Vec<Option<i64>>,
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

/// One query word: its spellings (the word itself and synonym variants),
/// each analysed into query tokens.
struct Word {
    alternatives: Vec<Vec<Tok>>,
}

/// Filters of a query, by facet dimension, so that a dimension's own
/// filter can be left out when counting that dimension.
struct Filter {
    dim: &'static str,
    query: Box<dyn TQuery>,
}

impl Index {
    /// Opens `index.bin` (tier 1, from [`crate::build_bundles`]), or a
    /// bundle with both tiers (from [`crate::build_bundle`]). Damaged or
    /// foreign bytes give an error, never a panic.
    ///
    /// Until the body tier is added ([`Index::add_body`]), queries search
    /// every field but the body.
    pub fn open(bundle: Vec<u8>) -> Result<Index, SearchError> {
        guarded("opening the index", || Self::open_unguarded(bundle))
    }

    /// Opens both tiers at once (what `tsunagu search` does).
    pub fn open_tiers(index: Vec<u8>, body: Vec<u8>) -> Result<Index, SearchError> {
        let mut opened = Index::open(index)?;
        opened.add_body(body)?;
        Ok(opened)
    }

    /// Adds the body tier (`index-body.bin` of the same build). Fails if
    /// the bytes are not a body tier or belong to another build; the index
    /// then keeps working without the body.
    pub fn add_body(&mut self, bundle: Vec<u8>) -> Result<(), SearchError> {
        guarded("opening the body index", || {
            let entries = bundle::unpack(bundle)?;
            if entries.is_empty() || entries.keys().any(|name| !name.starts_with(BODY_PREFIX)) {
                return Err(SearchError::Corrupt(
                    "not a body index (index-body.bin)".into(),
                ));
            }
            self.attach_body(entries)
        })
    }

    /// Whether the body tier is searched.
    pub fn has_body(&self) -> bool {
        self.body.is_some()
    }

    fn open_unguarded(bundle: Vec<u8>) -> Result<Index, SearchError> {
        let mut entries = bundle::unpack(bundle)?;
        let body_entries: BTreeMap<String, _> = {
            let names: Vec<String> = entries
                .keys()
                .filter(|name| name.starts_with(BODY_PREFIX))
                .cloned()
                .collect();
            names
                .into_iter()
                .filter_map(|name| entries.remove(&name).map(|bytes| (name, bytes)))
                .collect()
        };
        let settings = entries.remove(SETTINGS_ENTRY).ok_or_else(|| {
            if entries.is_empty() && !body_entries.is_empty() {
                SearchError::Corrupt(
                    "this is the body index (index-body.bin), not index.bin".into(),
                )
            } else {
                SearchError::Corrupt(format!("missing {SETTINGS_ENTRY}"))
            }
        })?;
        let settings: Settings = serde_json::from_slice(settings.as_slice())
            .map_err(|e| SearchError::Corrupt(format!("{SETTINGS_ENTRY}: {e}")))?;
        let hits = entries
            .remove(HITS_ENTRY)
            .ok_or_else(|| SearchError::Corrupt(format!("missing {HITS_ENTRY}")))?;
        let files = entries
            .into_iter()
            .map(|(name, bytes)| (PathBuf::from(name), bytes))
            .collect();
        let index = tantivy::Index::open(BundleDirectory::new(files))
            .map_err(|e| SearchError::Corrupt(e.to_string()))?;
        let expected = s::build();
        if index.schema() != expected {
            return Err(SearchError::Corrupt(
                "the index schema differs from this version's".into(),
            ));
        }
        index.tokenizers().register(TOKENIZER_NAME, JaTokenizer);
        let fields = Fields::of(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| SearchError::Corrupt(e.to_string()))?;
        let synonyms = settings
            .synonyms
            .iter()
            .map(|group| {
                let mut members: Vec<String> = group
                    .iter()
                    .map(|w| collapse_spaces(&normalize(w)))
                    .filter(|w| !w.is_empty())
                    .collect();
                members.dedup();
                members
            })
            .filter(|group| group.len() > 1)
            .collect();
        let searcher = reader.searcher();
        if searcher.segment_readers().len() > 1 {
            return Err(SearchError::Corrupt(
                "the index has more than one segment".into(),
            ));
        }
        let max_doc = searcher
            .segment_readers()
            .first()
            .map_or(0, SegmentReader::max_doc);
        let hits = Hits::open(hits, max_doc as usize)?;
        let event_starts = hits.event_starts()?;
        let facet_table = FacetTable::open(&searcher, fields.filters, max_doc)?;
        let mut opened = Index {
            reader,
            fields,
            synonyms,
            pair: settings.pair,
            hits,
            facet_table,
            event_starts,
            body: None,
        };
        if !body_entries.is_empty() {
            opened.attach_body(body_entries)?;
        }
        Ok(opened)
    }

    fn attach_body(
        &mut self,
        mut entries: BTreeMap<String, tantivy::directory::OwnedBytes>,
    ) -> Result<(), SearchError> {
        let settings_name = format!("{BODY_PREFIX}{BODY_SETTINGS_ENTRY}");
        let settings = entries
            .remove(&settings_name)
            .ok_or_else(|| SearchError::Corrupt(format!("missing {settings_name}")))?;
        let settings: BodySettings = serde_json::from_slice(settings.as_slice())
            .map_err(|e| SearchError::Corrupt(format!("{settings_name}: {e}")))?;
        if settings.pair != self.pair {
            return Err(SearchError::Corrupt(
                "index-body.bin belongs to another build of the site than index.bin".into(),
            ));
        }
        let files = entries
            .into_iter()
            .filter_map(|(name, bytes)| {
                name.strip_prefix(BODY_PREFIX)
                    .map(|rest| (PathBuf::from(rest), bytes))
            })
            .collect();
        let index = tantivy::Index::open(BundleDirectory::new(files))
            .map_err(|e| SearchError::Corrupt(e.to_string()))?;
        if index.schema() != s::build_body() {
            return Err(SearchError::Corrupt(
                "the body index schema differs from this version's".into(),
            ));
        }
        let field = index
            .schema()
            .get_field(s::BODY)
            .map_err(|_| SearchError::Corrupt("the body index has no body field".into()))?;
        let reader: tantivy::IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| SearchError::Corrupt(e.to_string()))?;
        // Document ids must mean the same entries in both tiers.
        let main = self.reader.searcher();
        let body = reader.searcher();
        let max_docs = |searcher: &Searcher| -> Vec<DocId> {
            searcher
                .segment_readers()
                .iter()
                .map(SegmentReader::max_doc)
                .collect()
        };
        if main.segment_readers().len() > 1 || max_docs(&main) != max_docs(&body) {
            return Err(SearchError::Corrupt(
                "the body index does not match index.bin".into(),
            ));
        }
        self.body = Some(Body { reader, field });
        Ok(())
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

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
                self.matches(&searcher, &AllQuery, &filters, None, past.as_deref(), false)?;
            if q.kind.as_deref().map(str::trim) == Some("event") {
                let start = |doc: DocId| {
                    self.event_starts
                        .get(doc as usize)
                        .copied()
                        .flatten()
                        .unwrap_or(i64::MAX)
                };
                matches.sort_by_key(|&(doc, _)| (start(doc), doc));
            }
            let hits = page(&matches, offset, limit)
                .iter()
                .map(|&(doc, _)| self.hit(doc, 0.0, &[]))
                .collect::<Result<_, _>>()?;
            let facets = self.facets(&searcher, &AllQuery, &filters, past.as_deref(), &matches)?;
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
        let mut matches = self.matches(
            &searcher,
            &*text_query,
            &filters,
            None,
            past.as_deref(),
            true,
        )?;
        if matches.is_empty() && words.len() >= 2 {
            text_query = self.text_query(&words, Occur::Should, body);
            matches = self.matches(
                &searcher,
                &*text_query,
                &filters,
                None,
                past.as_deref(),
                true,
            )?;
            partial = !matches.is_empty();
        }
        // Best first; equal scores in browse order.
        let by_score =
            |a: &(DocId, Score), b: &(DocId, Score)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let wanted = offset.saturating_add(limit);
        if wanted < matches.len() {
            matches.select_nth_unstable_by(wanted, by_score);
            matches[..wanted].sort_unstable_by(by_score);
        } else {
            matches.sort_unstable_by(by_score);
        }
        let phrases: Vec<&[Tok]> = words
            .iter()
            .flat_map(|w| w.alternatives.iter().map(Vec::as_slice))
            .collect();
        let hits = page(&matches, offset, limit)
            .iter()
            .map(|&(doc, score)| self.hit(doc, score, &phrases))
            .collect::<Result<_, _>>()?;
        let facets = self.facets(&searcher, &*text_query, &filters, past.as_deref(), &matches)?;
        Ok(SearchResults {
            total: matches.len(),
            partial,
            hits,
            facets,
        })
    }

    /// Every document matching `text AND filters (but skip's) AND NOT
    /// past`, with its score when `scoring`, in document-id order.
    fn matches(
        &self,
        searcher: &Searcher,
        text_query: &dyn TQuery,
        filters: &[Filter],
        skip: Option<&str>,
        past: Option<&dyn TQuery>,
        scoring: bool,
    ) -> Result<Vec<(DocId, Score)>, SearchError> {
        let query = compose(text_query.box_clone(), filters, skip, past);
        Ok(searcher.search(&query, &Matches { scoring })?)
    }

    /// Splits the query into words and expands synonyms.
    fn plan(&self, text: &str) -> Vec<Word> {
        let normalized = normalize(text);
        let mut words: Vec<String> = normalized
            .split_whitespace()
            .take(MAX_WORDS)
            .map(str::to_owned)
            .collect();
        // A synonym that itself contains a space ("子ども 食堂") can only be
        // recognised on the whole query.
        let whole = words.join(" ");
        if words.len() > 1 && self.synonyms.iter().flatten().any(|m| *m == whole) {
            words = vec![whole];
        }
        words
            .iter()
            .filter_map(|word| {
                let alternatives: Vec<Vec<Tok>> = self
                    .spellings(word)
                    .iter()
                    .map(|spelling| analyze(spelling, Mode::Query))
                    .filter(|toks| !toks.is_empty())
                    .collect();
                (!alternatives.is_empty()).then_some(Word { alternatives })
            })
            .collect()
    }

    /// The word and its synonym variants: wherever a word contains a
    /// member of a group, each other member is substituted for it.
    fn spellings(&self, word: &str) -> Vec<String> {
        let mut out = vec![word.to_owned()];
        for group in &self.synonyms {
            let mut added = Vec::new();
            for spelling in &out {
                // Longest member first, so "引き籠もり" wins over a shorter
                // member that is part of it.
                let found = group
                    .iter()
                    .filter(|m| spelling.contains(String::as_str(m)))
                    .max_by_key(|m| m.chars().count());
                if let Some(member) = found {
                    for other in group {
                        let variant = spelling.replace(String::as_str(member), other);
                        if !out.contains(&variant) && !added.contains(&variant) {
                            added.push(variant);
                        }
                    }
                }
            }
            out.extend(added);
            if out.len() >= MAX_ALTERNATIVES {
                out.truncate(MAX_ALTERNATIVES);
                break;
            }
        }
        out
    }

    /// The full-text part of a query: words combined with `occur` (Must =
    /// all words, Should = any), each word matching any of its spellings in
    /// any text field (the body too when `body` is given), with the field
    /// boosts.
    fn text_query(
        &self,
        words: &[Word],
        occur: Occur,
        body: Option<(&Searcher, Field)>,
    ) -> Box<dyn TQuery> {
        let clauses = words
            .iter()
            .map(|word| {
                let mut per_word: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
                for toks in &word.alternatives {
                    for (field, options) in self.fields.text {
                        let q = if options.positions {
                            phrase_query(field, toks)
                        } else {
                            all_terms_query(field, toks)
                        };
                        if let Some(q) = q {
                            per_word
                                .push((Occur::Should, Box::new(BoostQuery::new(q, options.boost))));
                        }
                    }
                    if let Some((searcher, field)) = body {
                        if let Some(q) = all_terms_query(field, toks) {
                            let q = Box::new(BodyQuery {
                                searcher: searcher.clone(),
                                query: q,
                            });
                            per_word.push((
                                Occur::Should,
                                Box::new(BoostQuery::new(q, s::BODY_FIELD.boost)),
                            ));
                        }
                    }
                }
                (
                    occur,
                    Box::new(BooleanQuery::new(per_word)) as Box<dyn TQuery>,
                )
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    fn filters(&self, q: &Query) -> Vec<Filter> {
        let field = self.fields.filters;
        let mut out: Vec<Filter> = Vec::new();
        let value = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let bool_value = |b: Option<bool>| b.map(|b| s::bool_str(b).to_owned());
        for (dim, value) in [
            (s::DIM_KIND, value(&q.kind)),
            (s::DIM_CATEGORY, value(&q.category)),
            (s::DIM_AUDIENCE, value(&q.audience)),
            (s::DIM_METHOD, value(&q.method)),
            (s::DIM_FREE, bool_value(q.free)),
            (s::DIM_ANONYMOUS, bool_value(q.anonymous)),
        ] {
            if let Some(value) = value {
                out.push(Filter {
                    dim,
                    query: facet_query(field, &s::facet(dim, &value)),
                });
            }
        }
        // A city includes its wards: the facet term of `/area/広島市` is
        // in every document under it (tantivy's facet tokenizer).
        if let Some(area) = value(&q.area).as_deref().and_then(s::area_facet) {
            out.push(Filter {
                dim: s::DIM_AREA,
                query: facet_query(field, &area),
            });
        }
        out
    }

    /// Events that are over, to be excluded: `until < now`. Only events
    /// have an `until` value, so other kinds are never excluded.
    fn past_events(&self, q: &Query) -> Option<Box<dyn TQuery>> {
        let now = q.now?;
        if q.include_past_events {
            return None;
        }
        Some(quiet(InvertedIndexRangeQuery::new(
            Bound::Unbounded,
            Bound::Excluded(Term::from_field_i64(self.fields.until, now)),
        )))
    }

    /// Counts per filter value: those of the main search (`main`), except
    /// that a dimension with an active filter is counted on the search
    /// without that filter.
    fn facets(
        &self,
        searcher: &Searcher,
        text_query: &dyn TQuery,
        filters: &[Filter],
        past: Option<&dyn TQuery>,
        main: &[(DocId, Score)],
    ) -> Result<Facets, SearchError> {
        let mut counts = self.facet_table.count(main.iter().map(|&(doc, _)| doc));
        for (dim_index, dim) in s::DIMS.iter().enumerate() {
            if filters.iter().any(|f| f.dim == *dim) {
                let without =
                    self.matches(searcher, text_query, filters, Some(dim), past, false)?;
                let mut recount = self.facet_table.count(without.iter().map(|&(doc, _)| doc));
                counts[dim_index] = std::mem::take(&mut recount[dim_index]);
            }
        }
        let [kind, category, area, audience, method, free, anonymous] = counts;
        Ok(Facets {
            kind,
            category,
            area,
            audience,
            method,
            free,
            anonymous,
        })
    }

    fn hit(&self, doc: DocId, score: f32, phrases: &[&[Tok]]) -> Result<Hit, SearchError> {
        let stored = self.hits.get(doc as usize)?;
        Ok(Hit {
            summary_highlighted: highlight(&stored.summary, phrases),
            name_highlighted: highlight(&stored.name, phrases),
            slug: stored.slug,
            kind: stored.kind,
            name: stored.name,
            kana: stored.kana,
            url: stored.url,
            area: stored.area,
            summary: stored.summary,
            score: if score.is_finite() { score } else { 0.0 },
            starts: stored.starts,
            ends: stored.ends,
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

/// Collects every match (document id and score) of the only segment.
struct Matches {
    scoring: bool,
}

struct SegmentMatches(Vec<(DocId, Score)>);

impl Collector for Matches {
    type Fruit = Vec<(DocId, Score)>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        _segment: u32,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches(Vec::new()))
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(DocId, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<(DocId, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.0.push((doc, score));
    }

    fn harvest(self) -> Self::Fruit {
        self.0
    }
}

/// The facet counts' source: which facets each document has, read once
/// from the facet field's terms and their postings when the index is
/// opened. Counting the facets of a result set is then one pass over its
/// documents.
///
/// The terms are the facets *and every ancestor* (tantivy's facet
/// tokenizer), so a document in `/area/広島市/中区` is in the postings of
/// `/area/広島市` too, and a city's count is the number of documents in it
/// or in any of its wards, in the same pass. This is what tantivy's
/// `FacetCollector` computes, without it: the collector reads the facet
/// field's fast-field column, and its code (the columnar reader) made the
/// wasm module 47 KB gzip larger and the median query at 10,000 entries
/// about twice as slow (search-index/README.md, "Filters and counts").
/// A unit test checks that both give the same counts.
struct FacetTable {
    /// Per value id: its dimension (index in [`s::DIMS`]) and value.
    values: Vec<(usize, String)>,
    /// `ids[starts[doc]..starts[doc + 1]]` are the value ids of `doc`.
    starts: Vec<usize>,
    ids: Vec<u32>,
}

impl FacetTable {
    fn open(searcher: &Searcher, field: Field, max_doc: DocId) -> Result<FacetTable, SearchError> {
        let mut values = Vec::new();
        let mut pairs: Vec<(DocId, u32)> = Vec::new();
        if let Some(segment) = searcher.segment_readers().first() {
            let inverted = segment.inverted_index(field)?;
            let io = |e: std::io::Error| SearchError::Corrupt(format!("filter facets: {e}"));
            let mut terms = inverted.terms().stream().map_err(io)?;
            while terms.advance() {
                let facet = Facet::from_encoded(terms.key().to_vec())
                    .map_err(|_| SearchError::Corrupt("a filter facet is not UTF-8".into()))?;
                // `/dim/value…`; the root and the bare dimensions (`/kind`)
                // have no value to count.
                let path = facet.to_path();
                let Some((dim, value)) = path.split_first() else {
                    continue;
                };
                let Some(dim) = s::DIMS.iter().position(|d| d == dim) else {
                    continue;
                };
                if value.is_empty() {
                    continue;
                }
                let id = values.len() as u32;
                values.push((dim, value.join("/")));
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(io)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if doc < max_doc {
                        pairs.push((doc, id));
                    }
                    doc = postings.advance();
                }
            }
        }
        // Group by document (a counting sort: pairs come term by term).
        let mut starts = vec![0usize; max_doc as usize + 1];
        for &(doc, _) in &pairs {
            starts[doc as usize + 1] += 1;
        }
        for doc in 0..max_doc as usize {
            starts[doc + 1] += starts[doc];
        }
        let mut fill = starts.clone();
        let mut ids = vec![0u32; pairs.len()];
        for (doc, id) in pairs {
            let slot = &mut fill[doc as usize];
            ids[*slot] = id;
            *slot += 1;
        }
        Ok(FacetTable {
            values,
            starts,
            ids,
        })
    }

    /// Counts per value of `docs`, by dimension (values with no document
    /// left out).
    fn count(&self, docs: impl Iterator<Item = DocId>) -> [BTreeMap<String, u64>; 7] {
        let mut counts = vec![0u64; self.values.len()];
        for doc in docs {
            let doc = doc as usize;
            if let (Some(&start), Some(&end)) = (self.starts.get(doc), self.starts.get(doc + 1)) {
                for &id in &self.ids[start..end] {
                    counts[id as usize] += 1;
                }
            }
        }
        let mut out: [BTreeMap<String, u64>; 7] = Default::default();
        for ((dim, value), count) in self.values.iter().zip(counts) {
            if count > 0 {
                out[*dim].insert(value.clone(), count);
            }
        }
        out
    }
}

/// A term query on a facet (the facet and everything under it).
fn facet_query(field: Field, facet: &Facet) -> Box<dyn TQuery> {
    quiet_term(TermQuery::new(
        Term::from_facet(field, facet),
        IndexRecordOption::Basic,
    ))
}

/// `text AND every filter (but `skip`'s) AND NOT past events`.
fn compose(
    text: Box<dyn TQuery>,
    filters: &[Filter],
    skip: Option<&str>,
    past: Option<&dyn TQuery>,
) -> BooleanQuery {
    let mut clauses = vec![(Occur::Must, text)];
    for filter in filters {
        if Some(filter.dim) != skip {
            clauses.push((Occur::Must, filter.query.box_clone()));
        }
    }
    if let Some(past) = past {
        clauses.push((Occur::MustNot, past.box_clone()));
    }
    BooleanQuery::new(clauses)
}

/// The query for one spelling of a word in one field.
///
/// * one token of one character: a prefix query (a single typed character
///   matches every bigram starting with it, and the end-of-run unigram);
/// * one token: a term query;
/// * several: a phrase of the tokens at their positions, whose last token
///   is a prefix if it is a lone character (typing "ABC子" should find
///   "ABC子ども").
fn phrase_query(field: Field, toks: &[Tok]) -> Option<Box<dyn TQuery>> {
    let term = |t: &Tok| Term::from_field_text(field, &t.text);
    match toks {
        [] => None,
        [only] if only.single_char => Some(prefix_query(field, &only.text)),
        [only] => Some(quiet_term(TermQuery::new(
            term(only),
            IndexRecordOption::WithFreqs,
        ))),
        [first, .., last] => {
            let terms: Vec<(usize, Term)> = toks
                .iter()
                .map(|t| (t.position - first.position, term(t)))
                .collect();
            if last.single_char {
                let mut q = PhrasePrefixQuery::new_with_offset(terms);
                q.set_max_expansions(MAX_PREFIX_EXPANSIONS);
                Some(quiet(q))
            } else {
                Some(quiet(PhraseQuery::new_with_offset(terms)))
            }
        }
    }
}

/// The query for one spelling of a word in a field without positions:
/// every token must occur somewhere in the field (a trailing lone
/// character as a prefix, as in [`phrase_query`]).
fn all_terms_query(field: Field, toks: &[Tok]) -> Option<Box<dyn TQuery>> {
    let term = |t: &Tok| -> Box<dyn TQuery> {
        quiet_term(TermQuery::new(
            Term::from_field_text(field, &t.text),
            IndexRecordOption::WithFreqs,
        ))
    };
    match toks {
        [] => None,
        [only] if only.single_char => Some(prefix_query(field, &only.text)),
        [only] => Some(term(only)),
        [.., last] => {
            let mut seen: Vec<&str> = Vec::with_capacity(toks.len());
            let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::with_capacity(toks.len());
            for t in toks {
                if seen.contains(&t.text.as_str()) {
                    continue;
                }
                seen.push(&t.text);
                let q = if t.single_char && std::ptr::eq(t, last) {
                    prefix_query(field, &t.text)
                } else {
                    term(t)
                };
                clauses.push((Occur::Must, q));
            }
            Some(Box::new(BooleanQuery::new(clauses)))
        }
    }
}

/// Boxes a tantivy query behind [`Quiet`].
fn quiet<Q: TQuery + Clone>(query: Q) -> Box<dyn TQuery> {
    Box::new(Quiet(query))
}

/// Boxes a term query behind [`QuietTerm`].
fn quiet_term(query: TermQuery) -> Box<dyn TQuery> {
    Box::new(QuietTerm(query))
}

/// A tantivy query that is never formatted.
///
/// Every type used as a `dyn Query` brings its `Debug` implementation into
/// the wasm module (it is in the vtable, whether called or not). tantivy's
/// term-based queries print their terms, and a term's `Debug` can print a
/// facet, whose `Display` escapes slashes with a regular expression: that
/// alone pulled the whole `regex` engine and its Unicode tables (about
/// 450 KB) into the module. Wrapped, the tantivy queries are only called
/// directly, and nothing prints a term.
#[derive(Clone)]
struct Quiet<Q>(Q);

impl<Q> std::fmt::Debug for Quiet<Q> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Quiet")
    }
}

impl<Q: TQuery + Clone> TQuery for Quiet<Q> {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        self.0.weight(scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

/// A [`TermQuery`] that is never formatted (see [`Quiet`]), and always on
/// the inverted index: `TermQuery::weight` would fall back to a fast-field
/// range query for fields that are not indexed (none here), code that
/// formats terms in its errors.
#[derive(Clone)]
struct QuietTerm(TermQuery);

impl std::fmt::Debug for QuietTerm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QuietTerm")
    }
}

impl TQuery for QuietTerm {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(QuietWeight(self.0.specialized_weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

/// A term weight that does not explain itself: `TermWeight::explain`
/// prints the term (see [`Quiet`]), and explanations are never asked for.
/// Everything else is the term weight's own, fast paths included.
struct QuietWeight<W>(W);

impl<W: Weight> Weight for QuietWeight<W> {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, _reader: &SegmentReader, _doc: DocId) -> tantivy::Result<Explanation> {
        Err(tantivy::TantivyError::InvalidArgument(
            "explanations are not supported".into(),
        ))
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.0.count(reader)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        self.0.for_each(reader, callback)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.0.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        self.0.for_each_pruning(threshold, reader, callback)
    }
}

/// A query on the body index used inside a query on tier 1.
///
/// Its weight is built with the body index's searcher (so BM25 uses the
/// body's statistics) and its scorers run on the body index's single
/// segment whatever segment tier 1 asks for: the tiers share document ids
/// (checked when the body is added), so the matches are tier 1's
/// documents and combine with tier-1 clauses, filters and collectors.
struct BodyQuery {
    searcher: Searcher,
    query: Box<dyn TQuery>,
}

impl Clone for BodyQuery {
    fn clone(&self) -> Self {
        BodyQuery {
            searcher: self.searcher.clone(),
            query: self.query.box_clone(),
        }
    }
}

impl std::fmt::Debug for BodyQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyQuery")
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

impl TQuery for BodyQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let scoring = if scoring.is_scoring_enabled() {
            EnableScoring::enabled_from_searcher(&self.searcher)
        } else {
            EnableScoring::disabled_from_searcher(&self.searcher)
        };
        Ok(Box::new(BodyWeight {
            weight: self.query.weight(scoring)?,
            segment: self.searcher.segment_readers().first().cloned(),
        }))
    }
}

struct BodyWeight {
    weight: Box<dyn Weight>,
    /// The body index's only segment (none when the site is empty).
    segment: Option<SegmentReader>,
}

impl Weight for BodyWeight {
    fn scorer(&self, _tier1: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        match &self.segment {
            Some(segment) => self.weight.scorer(segment, boost),
            None => Ok(Box::new(EmptyScorer)),
        }
    }

    fn explain(&self, _tier1: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        match &self.segment {
            Some(segment) => self.weight.explain(segment, doc),
            None => Err(tantivy::TantivyError::InvalidArgument(
                "the body index is empty".into(),
            )),
        }
    }
}

/// All terms starting with `prefix`, as a constant-score range query over
/// the term dictionary: `[prefix, successor(prefix))`. Terms sort by UTF-8
/// bytes, i.e. by code point, so the range is exactly the prefixed terms.
fn prefix_query(field: Field, prefix: &str) -> Box<dyn TQuery> {
    let lower = Bound::Included(Term::from_field_text(field, prefix));
    let upper = match successor(prefix) {
        Some(next) => Bound::Excluded(Term::from_field_text(field, &next)),
        None => Bound::Unbounded,
    };
    quiet(InvertedIndexRangeQuery::new(lower, upper))
}

/// The smallest string greater than every string starting with `prefix`.
fn successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut code = last as u32 + 1;
        if (0xD800..=0xDFFF).contains(&code) {
            code = 0xE000;
        }
        if let Some(next) = char::from_u32(code) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// HTML-escapes `text` and wraps in `<mark>` every place where one of the
/// query phrases matches, with the same token logic as the search itself
/// (so highlighting never claims a match the search would not make).
pub(crate) fn highlight(text: &str, phrases: &[&[Tok]]) -> String {
    let toks = analyze(text, Mode::Index);
    let by_position: BTreeMap<usize, &Tok> = toks.iter().map(|t| (t.position, t)).collect();
    let mut marks: Vec<std::ops::Range<usize>> = Vec::new();
    for phrase in phrases {
        let Some(first) = phrase.first() else {
            continue;
        };
        let last_index = phrase.len() - 1;
        for start in &toks {
            let mut ranges = Vec::with_capacity(phrase.len());
            let matched = phrase.iter().enumerate().all(|(i, q)| {
                let at = start.position + (q.position - first.position);
                let Some(t) = by_position.get(&at) else {
                    return false;
                };
                let prefix = q.single_char && (i == last_index);
                if t.text == q.text {
                    ranges.push(t.src.clone());
                    true
                } else if prefix && t.text.starts_with(&q.text) {
                    ranges.push(t.head.clone());
                    true
                } else {
                    false
                }
            });
            if matched {
                marks.extend(ranges);
            }
        }
    }
    marks.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in marks {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut out = String::with_capacity(text.len() + merged.len() * 13);
    let mut pos = 0;
    for r in merged {
        if r.start < pos || r.end > text.len() {
            continue;
        }
        escape_into(&mut out, text.get(pos..r.start).unwrap_or(""));
        out.push_str("<mark>");
        escape_into(&mut out, text.get(r.start..r.end).unwrap_or(""));
        out.push_str("</mark>");
        pos = r.end;
    }
    escape_into(&mut out, text.get(pos..).unwrap_or(""));
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str) -> Vec<Tok> {
        analyze(text, Mode::Query)
    }

    #[test]
    fn highlights_phrases_and_escapes() {
        let p = phrase("相談");
        assert_eq!(
            highlight("<b>相談</b>は無料", &[&p]),
            "&lt;b&gt;<mark>相談</mark>&lt;/b&gt;は無料"
        );
    }

    #[test]
    fn highlights_across_width_and_kana_folding() {
        let p = phrase("かたかな");
        assert_eq!(highlight("ｶﾀｶﾅです", &[&p]), "<mark>ｶﾀｶﾅ</mark>です");
        let p = phrase("npo");
        assert_eq!(highlight("ＮＰＯ法人", &[&p]), "<mark>ＮＰＯ</mark>法人");
    }

    #[test]
    fn single_character_highlights_only_that_character() {
        let p = phrase("所");
        assert_eq!(
            highlight("相談所長の所", &[&p]),
            "相談<mark>所</mark>長の<mark>所</mark>"
        );
    }

    #[test]
    fn partial_phrase_is_not_highlighted() {
        let p = phrase("子ども食堂");
        assert_eq!(highlight("食堂と子ども", &[&p]), "食堂と子ども");
        assert_eq!(
            highlight("子ども食堂です", &[&p]),
            "<mark>子ども食堂</mark>です"
        );
    }

    /// The counts from the facet terms' postings are tantivy's facet
    /// counts: `FacetCollector` (on the facet field's column) gives the
    /// same numbers, at every area level, for everything and for a
    /// filtered search.
    #[cfg(feature = "writer")]
    #[test]
    fn facet_table_counts_equal_facet_collector_counts() {
        use tantivy::collector::FacetCollector;

        let mut docs: Vec<crate::SearchDoc> =
            serde_json::from_str(include_str!("../tests/fixtures/docs.json")).expect("docs");
        for (i, area) in ["広島県/広島市/中区", "広島県/広島市/南区", "広島県/呉市"]
            .iter()
            .enumerate()
        {
            docs.push(crate::SearchDoc {
                slug: format!("deep-{i}"),
                kind: "center".into(),
                name: format!("窓口{i}"),
                url: format!("centers/deep-{i}/"),
                area: Some((*area).into()),
                categories: vec!["就労/学び".into()],
                free: Some(i % 2 == 0),
                ..crate::SearchDoc::default()
            });
        }
        let index =
            Index::open(crate::build_bundle(&docs, &crate::Synonyms::default()).expect("build"))
                .expect("open");
        let searcher = index.reader.searcher();
        // Every facet whose children are counted: the dimensions and
        // every area (one collector each: a collector refuses a facet
        // and its ancestor together).
        let mut parents: Vec<Facet> = s::DIMS.iter().map(|d| Facet::from_path([*d])).collect();
        for (dim, value) in &index.facet_table.values {
            if s::DIMS[*dim] == s::DIM_AREA {
                parents.push(Facet::from_path(
                    std::iter::once(s::DIM_AREA).chain(value.split('/')),
                ));
            }
        }
        let kind_center = facet_query(index.fields.filters, &s::facet(s::DIM_KIND, "center"));
        let queries = [Box::new(AllQuery) as Box<dyn TQuery>, kind_center];
        for (i, query) in queries.iter().enumerate() {
            let mut expected: [BTreeMap<String, u64>; 7] = Default::default();
            for parent in &parents {
                let mut collector = FacetCollector::for_field(s::FILTERS);
                collector.add_facet(parent.clone());
                let counts = searcher
                    .search(query.as_ref(), &collector)
                    .expect("facet counts");
                for (facet, count) in counts.get(parent.clone()) {
                    let path = facet.to_path();
                    let dim = s::DIMS
                        .iter()
                        .position(|d| *d == path[0])
                        .expect("dimension");
                    expected[dim].insert(path[1..].join("/"), count);
                }
            }
            let matches = searcher
                .search(query.as_ref(), &Matches { scoring: false })
                .expect("matches");
            let got = index.facet_table.count(matches.iter().map(|&(doc, _)| doc));
            assert_eq!(got, expected);
            // Not vacuous: three levels of areas are counted.
            assert_eq!(got[2].get("広島県"), Some(&3));
            assert_eq!(got[2].get("広島県/広島市"), Some(&2));
            assert_eq!(got[2].get("広島県/広島市/中区"), Some(&1));
            assert_eq!(got[1].get("就労/学び"), Some(&3));
            if i == 1 {
                assert_eq!(got[0].len(), 1, "{:?}", got[0]);
            }
        }
    }

    #[test]
    fn successor_skips_surrogates() {
        assert_eq!(successor("a").as_deref(), Some("b"));
        assert_eq!(successor("\u{D7FF}").as_deref(), Some("\u{E000}"));
        assert_eq!(successor("\u{10FFFF}"), None);
    }
}
