//! Opening the tiers: unpacking the bundles, checking that they belong
//! together, and reading once what every query needs.

use super::*;

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

    pub(super) fn open_unguarded(bundle: Vec<u8>) -> Result<Index, SearchError> {
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
        let event_times = hits.event_times()?;
        let facet_table = FacetTable::open(&searcher, fields.filters, max_doc)?;
        let mut opened = Index {
            reader,
            fields,
            synonyms,
            pair: settings.pair,
            hits,
            facet_table,
            event_times,
            body: None,
        };
        if !body_entries.is_empty() {
            opened.attach_body(body_entries)?;
        }
        Ok(opened)
    }

    pub(super) fn attach_body(
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
}
