//! tantivy query adapters: queries that never format themselves (to keep
//! the wasm module small) and the body tier's query inside tier 1.

use super::*;

/// Boxes a tantivy query behind [`Quiet`].
pub(super) fn quiet<Q: TQuery + Clone>(query: Q) -> Box<dyn TQuery> {
    Box::new(Quiet(query))
}

/// Boxes a term query behind [`QuietTerm`].
pub(super) fn quiet_term(query: TermQuery) -> Box<dyn TQuery> {
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
pub(super) struct Quiet<Q>(Q);

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
pub(super) struct QuietTerm(TermQuery);

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
pub(super) struct QuietWeight<W>(W);

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
pub(super) struct BodyQuery {
    pub(super) searcher: Searcher,
    pub(super) query: Box<dyn TQuery>,
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

pub(super) struct BodyWeight {
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
