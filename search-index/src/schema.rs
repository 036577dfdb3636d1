//! The index schema: field names, options and the facet layout.
//!
//! Kept in one place because the writer (native) and the reader (wasm)
//! must agree on it; the reader looks fields up by these names.

use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions, STORED,
};

use crate::analysis::TOKENIZER_NAME;
use crate::SearchError;

pub(crate) const NAME: &str = "name";
pub(crate) const KANA: &str = "kana";
pub(crate) const SUMMARY: &str = "summary";
pub(crate) const CATEGORIES: &str = "categories";
pub(crate) const KEYWORDS: &str = "keywords";
pub(crate) const BODY: &str = "body";
pub(crate) const FACETS: &str = "facets";
/// Browse order by reading/name (u64, fast).
pub(crate) const RANK: &str = "rank";
/// Browse order for events: by start time, then name (u64, fast).
pub(crate) const EVENT_RANK: &str = "event_rank";
pub(crate) const STARTS: &str = "starts";
pub(crate) const ENDS: &str = "ends";
/// For events only: the end time, or the start time when there is no end.
/// Past events are those whose `until` is before `now`.
pub(crate) const UNTIL: &str = "until";
/// The stored hit (JSON of [`crate::StoredHit`]); one stored field keeps
/// the document store compact and the reader simple.
pub(crate) const HIT: &str = "hit";

/// Text fields searched, with their BM25 boosts: the name and its reading
/// matter most, descriptive metadata next, the body least.
pub(crate) const TEXT_FIELDS: [(&str, f32); 6] = [
    (NAME, 4.0),
    (KANA, 4.0),
    (SUMMARY, 2.0),
    (CATEGORIES, 2.0),
    (KEYWORDS, 2.0),
    (BODY, 1.0),
];

/// Facet dimensions, in the order they appear in [`crate::Facets`].
/// Each is the first step of a facet path (`/kind/event`, `/category/…`).
/// Area is hierarchical (`/area/広島市/中区`, so filtering on `/area/広島市`
/// includes its wards).
pub(crate) const DIM_KIND: &str = "kind";
pub(crate) const DIM_CATEGORY: &str = "category";
pub(crate) const DIM_AREA: &str = "area";
pub(crate) const DIM_AUDIENCE: &str = "audience";
pub(crate) const DIM_METHOD: &str = "method";
pub(crate) const DIM_FREE: &str = "free";
pub(crate) const DIM_ANONYMOUS: &str = "anonymous";
/// Flat twin of the area hierarchy used only for counting: every level of
/// a document's area is one child (`/areas/広島市`, `/areas/広島市/中区` where
/// the second is a single step). tantivy's facet collector counts only
/// direct children and refuses to count a facet and its ancestor together,
/// so counts for all levels at once need this flat form.
pub(crate) const DIM_AREA_LEVELS: &str = "areas";

/// Builds the schema.
pub(crate) fn build() -> Schema {
    let mut builder = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    for (name, _) in TEXT_FIELDS {
        builder.add_text_field(name, text.clone());
    }
    builder.add_facet_field(FACETS, FacetOptions::default());
    let fast_u64 = NumericOptions::default().set_fast();
    builder.add_u64_field(RANK, fast_u64.clone());
    builder.add_u64_field(EVENT_RANK, fast_u64);
    let time = NumericOptions::default().set_fast().set_indexed();
    builder.add_i64_field(STARTS, time.clone());
    builder.add_i64_field(ENDS, time.clone());
    builder.add_i64_field(UNTIL, time);
    builder.add_bytes_field(HIT, STORED);
    builder.build()
}

/// Field handles of an opened index, looked up once by name.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub text: [(Field, f32); 6],
    pub facets: Field,
    pub until: Field,
    pub hit: Field,
}

impl Fields {
    pub(crate) fn of(schema: &Schema) -> Result<Fields, SearchError> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| SearchError::Corrupt(format!("the index has no field `{name}`")))
        };
        let mut text = [(Field::from_field_id(0), 0.0); 6];
        for (slot, (name, boost)) in text.iter_mut().zip(TEXT_FIELDS) {
            *slot = (get(name)?, boost);
        }
        Ok(Fields {
            text,
            facets: get(FACETS)?,
            until: get(UNTIL)?,
            hit: get(HIT)?,
        })
    }
}

/// The facet of one value of a dimension: `/dim/value`.
pub(crate) fn facet(dim: &str, value: &str) -> Facet {
    Facet::from_path([dim, value])
}

/// The hierarchical area facet `/area/広島市/中区` for `"広島市/中区"`.
/// Empty steps (`"広島市//中区"`, a trailing slash) are ignored; `None` when
/// nothing is left.
pub(crate) fn area_facet(area: &str) -> Option<Facet> {
    let steps = area_steps(area);
    if steps.is_empty() {
        return None;
    }
    Some(Facet::from_path(
        std::iter::once(DIM_AREA).chain(steps.iter().copied()),
    ))
}

/// The trimmed, non-empty steps of an area path.
pub(crate) fn area_steps(area: &str) -> Vec<&str> {
    area.split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Facet value of a boolean dimension.
pub(crate) fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}
