//! Counts per filter value (disjunctive facet counts).

use super::*;

impl Index {
    /// Counts per filter value: those of the main search (`main`), except
    /// that a dimension with an active filter is counted on the search
    /// without that filter.
    pub(super) fn facets(
        &self,
        searcher: &Searcher,
        text_query: &dyn TQuery,
        filters: &[Filter],
        past: Option<&PastClause>,
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
pub(super) struct FacetTable {
    /// Per value id: its dimension (index in [`s::DIMS`]) and value.
    values: Vec<(usize, String)>,
    /// `ids[starts[doc]..starts[doc + 1]]` are the value ids of `doc`.
    starts: Vec<usize>,
    ids: Vec<u32>,
}

impl FacetTable {
    pub(super) fn open(
        searcher: &Searcher,
        field: Field,
        max_doc: DocId,
    ) -> Result<FacetTable, SearchError> {
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
    pub(super) fn count(&self, docs: impl Iterator<Item = DocId>) -> [BTreeMap<String, u64>; 7] {
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
pub(super) fn facet_query(field: Field, facet: &Facet) -> Box<dyn TQuery> {
    quiet_term(TermQuery::new(
        Term::from_facet(field, facet),
        IndexRecordOption::Basic,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts from the facet terms' postings are tantivy's facet
    /// counts: `FacetCollector` (on the facet field's column) gives the
    /// same numbers, at every area level, for everything and for a
    /// filtered search.
    #[cfg(feature = "writer")]
    #[test]
    fn facet_table_counts_equal_facet_collector_counts() {
        use tantivy::collector::FacetCollector;

        let mut docs: Vec<crate::SearchDoc> =
            serde_json::from_str(include_str!("../../tests/fixtures/docs.json")).expect("docs");
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
}
