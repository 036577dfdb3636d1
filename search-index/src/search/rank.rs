//! Ranking and filters: which documents match (text, filters, past
//! events) and in what order.

use super::*;

impl Index {
    /// Every document matching `text AND filters (but skip's) AND NOT
    /// past`, with its score when `scoring`, in document-id order.
    pub(super) fn matches(
        &self,
        searcher: &Searcher,
        text_query: &dyn TQuery,
        filters: &[Filter],
        skip: Option<&str>,
        past: Option<&PastClause>,
        scoring: bool,
    ) -> Result<Vec<(DocId, Score)>, SearchError> {
        let query = compose(text_query.box_clone(), filters, skip, past);
        Ok(searcher.search(&query, &Matches { scoring })?)
    }

    pub(super) fn filters(&self, q: &Query) -> Vec<Filter> {
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

    /// The clause on past events (`until < now`) a query needs: none by
    /// default (they are ranked last instead, see [`Index::sort_ranked`]),
    /// required for [`PastEvents::Only`], excluded for
    /// [`PastEvents::Exclude`]. Only events have an `until` value, so
    /// other kinds are never past. Without `now` nothing is past.
    pub(super) fn past_events(&self, q: &Query) -> Option<PastClause> {
        let now = q.now?;
        let occur = match q.past_events {
            PastEvents::Last => return None,
            PastEvents::Only => Occur::Must,
            PastEvents::Exclude => Occur::MustNot,
        };
        Some(PastClause {
            occur,
            query: quiet(InvertedIndexRangeQuery::new(
                Bound::Unbounded,
                Bound::Excluded(Term::from_field_i64(self.fields.until, now)),
            )),
        })
    }

    /// Whether `doc` is an event that is over at `now` (the same rule as
    /// the `until` range query of [`Index::past_events`]).
    pub(super) fn is_past(&self, doc: DocId, now: Option<i64>) -> bool {
        let Some(now) = now else { return false };
        self.event_times
            .get(doc as usize)
            .copied()
            .flatten()
            .and_then(|t| t.until)
            .is_some_and(|until| until < now)
    }

    /// Orders text matches for display, at least the first `wanted`:
    /// upcoming and ongoing events and places before past events; then
    /// best score first; equal scores in browse order (document id).
    pub(super) fn sort_ranked(
        &self,
        matches: &mut [(DocId, Score)],
        wanted: usize,
        now: Option<i64>,
    ) {
        let by_rank = |a: &(DocId, Score), b: &(DocId, Score)| {
            self.is_past(a.0, now)
                .cmp(&self.is_past(b.0, now))
                .then(b.1.total_cmp(&a.1))
                .then(a.0.cmp(&b.0))
        };
        if wanted < matches.len() {
            matches.select_nth_unstable_by(wanted, by_rank);
            matches[..wanted].sort_unstable_by(by_rank);
        } else {
            matches.sort_unstable_by(by_rank);
        }
    }

    /// Orders browsed documents (no text): past events last; within each
    /// part by browse order (document id), or, when only events are
    /// asked for, by start time.
    pub(super) fn sort_browsed(
        &self,
        matches: &mut [(DocId, Score)],
        events_only: bool,
        now: Option<i64>,
    ) {
        let start = |doc: DocId| {
            if !events_only {
                return 0;
            }
            self.event_times
                .get(doc as usize)
                .copied()
                .flatten()
                .map_or(i64::MAX, |t| t.start)
        };
        matches.sort_by_key(|&(doc, _)| (self.is_past(doc, now), start(doc), doc));
    }
}

/// Collects every match (document id and score) of the only segment.
pub(super) struct Matches {
    pub(super) scoring: bool,
}

pub(super) struct SegmentMatches(Vec<(DocId, Score)>);

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

/// A condition on past events: required or excluded.
pub(super) struct PastClause {
    occur: Occur,
    query: Box<dyn TQuery>,
}

/// `text AND every filter (but `skip`'s)`, and the past-events clause.
pub(super) fn compose(
    text: Box<dyn TQuery>,
    filters: &[Filter],
    skip: Option<&str>,
    past: Option<&PastClause>,
) -> BooleanQuery {
    let mut clauses = vec![(Occur::Must, text)];
    for filter in filters {
        if Some(filter.dim) != skip {
            clauses.push((Occur::Must, filter.query.box_clone()));
        }
    }
    if let Some(past) = past {
        clauses.push((past.occur, past.query.box_clone()));
    }
    BooleanQuery::new(clauses)
}
