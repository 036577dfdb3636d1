//! The index schemas: field names, options and the facet layout.
//!
//! Kept in one place because the writer (native) and the reader (wasm)
//! must agree on them; the reader looks fields up by these names.
//!
//! The index ships in two tiers with the same documents in the same order
//! (so document ids agree):
//!
//! * **tier 1**, `index.bin`: everything the first results need: name,
//!   reading, summary, categories, keywords, the filter facets, the end
//!   of events, and (beside the index, `hits.bin`) what each result shows;
//! * **tier 2**, `index-body.bin`: the body text alone, fetched after the
//!   first results are shown.

use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions,
};

use crate::analysis::TOKENIZER_NAME;
use crate::SearchError;

pub(crate) const NAME: &str = "name";
pub(crate) const KANA: &str = "kana";
pub(crate) const SUMMARY: &str = "summary";
pub(crate) const CATEGORIES: &str = "categories";
pub(crate) const KEYWORDS: &str = "keywords";
pub(crate) const PLACES: &str = "places";
pub(crate) const DETAILS: &str = "details";
pub(crate) const BODY: &str = "body";
/// The facet field holding every filter value of a document, one facet
/// per value under its dimension: `/kind/center`, `/free/true`,
/// `/area/広島市/中区` (see [`facet`], [`area_facet`]). tantivy's facet
/// tokenizer indexes every ancestor of a facet too (`/area/広島市`,
/// `/area`), so a term query on `/area/広島市` matches the city's wards.
pub(crate) const FILTERS: &str = "filters";
/// For events only: the end time, or the start time when there is no end.
/// Past events are those whose `until` is before `now`.
pub(crate) const UNTIL: &str = "until";

/// A searched text field: its name, BM25 boost, and whether it keeps
/// positions (phrase queries). Without positions a query word must match
/// as all of its bigrams anywhere in the field, which for short values
/// (categories, keywords) and for the body is nearly the same and much
/// smaller to ship.
#[derive(Clone, Copy)]
pub(crate) struct TextField {
    pub name: &'static str,
    pub boost: f32,
    pub positions: bool,
}

/// Tier-1 text fields: the name and its reading matter most, descriptive
/// metadata and place names next, the other texts of the entry page
/// (access, venue, fees, …) like the body.
pub(crate) const TEXT_FIELDS: [TextField; 7] = [
    TextField {
        name: NAME,
        boost: 4.0,
        positions: true,
    },
    TextField {
        name: KANA,
        boost: 4.0,
        positions: true,
    },
    TextField {
        name: SUMMARY,
        boost: 2.0,
        positions: true,
    },
    TextField {
        name: CATEGORIES,
        boost: 2.0,
        positions: false,
    },
    TextField {
        name: KEYWORDS,
        boost: 2.0,
        positions: false,
    },
    // Positions, so that a place name is a phrase: 安芸区 must not match
    // 安芸 and 区 in different parts of an address.
    TextField {
        name: PLACES,
        boost: 2.0,
        positions: true,
    },
    TextField {
        name: DETAILS,
        boost: 1.0,
        positions: false,
    },
];

/// The tier-2 field: the body matters least.
pub(crate) const BODY_FIELD: TextField = TextField {
    name: BODY,
    boost: 1.0,
    positions: false,
};

fn text_options(field: TextField) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(if field.positions {
                IndexRecordOption::WithFreqsAndPositions
            } else {
                IndexRecordOption::WithFreqs
            }),
    )
}

/// Filter dimensions, in the order they appear in [`crate::Facets`]: the
/// first step of each facet of the [`FILTERS`] field.
pub(crate) const DIM_KIND: &str = "kind";
pub(crate) const DIM_CATEGORY: &str = "category";
pub(crate) const DIM_AREA: &str = "area";
pub(crate) const DIM_AUDIENCE: &str = "audience";
pub(crate) const DIM_METHOD: &str = "method";
pub(crate) const DIM_FREE: &str = "free";
pub(crate) const DIM_ANONYMOUS: &str = "anonymous";
/// All dimensions, in [`crate::Facets`] order.
pub(crate) const DIMS: [&str; 7] = [
    DIM_KIND,
    DIM_CATEGORY,
    DIM_AREA,
    DIM_AUDIENCE,
    DIM_METHOD,
    DIM_FREE,
    DIM_ANONYMOUS,
];

/// Builds the tier-1 schema.
///
/// Nothing is stored: what a result shows is in `hits.bin` (see
/// `hits.rs`), start times (event order) included; documents are indexed
/// in browse order, so the document id is the rank. The filters are a
/// tantivy facet field; tantivy always writes a facet field's ordinals as
/// a fast-field column too, which is what `FacetCollector` counts from
/// (see `search.rs`). `until` is indexed for a range query on the term
/// dictionary, not as a fast field.
pub(crate) fn build() -> Schema {
    let mut builder = Schema::builder();
    for field in TEXT_FIELDS {
        builder.add_text_field(field.name, text_options(field));
    }
    builder.add_facet_field(FILTERS, FacetOptions::default());
    builder.add_i64_field(UNTIL, NumericOptions::default().set_indexed());
    builder.build()
}

/// Builds the tier-2 schema: the body alone.
pub(crate) fn build_body() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field(BODY_FIELD.name, text_options(BODY_FIELD));
    builder.build()
}

/// Field handles of an opened index, looked up once by name.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub text: [(Field, TextField); TEXT_FIELDS.len()],
    pub filters: Field,
    pub until: Field,
}

impl Fields {
    pub(crate) fn of(schema: &Schema) -> Result<Fields, SearchError> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| SearchError::Corrupt(format!("the index has no field `{name}`")))
        };
        let mut text = TEXT_FIELDS.map(|f| (Field::from_field_id(0), f));
        for (slot, field) in text.iter_mut().zip(TEXT_FIELDS) {
            slot.0 = get(field.name)?;
        }
        Ok(Fields {
            text,
            filters: get(FILTERS)?,
            until: get(UNTIL)?,
        })
    }
}

/// The facet of one value of a dimension: `/dim/value`. The value is one
/// step even if it contains a `/` (a category such as `就労/学び`): only
/// areas are hierarchical, see [`area_facet`].
pub(crate) fn facet(dim: &str, value: &str) -> Facet {
    Facet::from_path([dim, value])
}

/// The facet of an area path: `/area/広島市/中区` for `"広島市/中区"`, one
/// step per level, so that tantivy's facet hierarchy makes a city include
/// its wards. `None` when the path has no step.
pub(crate) fn area_facet(area: &str) -> Option<Facet> {
    let steps = area_steps(area);
    (!steps.is_empty()).then(|| Facet::from_path(std::iter::once(DIM_AREA).chain(steps)))
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

#[cfg(test)]
mod tests {
    use tantivy::schema::FieldType;

    use super::*;

    #[test]
    fn filters_are_a_facet_field_with_one_step_per_area_level() {
        let schema = build();
        let field = schema.get_field(FILTERS).expect("filter field");
        assert!(matches!(
            schema.get_field_entry(field).field_type(),
            FieldType::Facet(_)
        ));
        assert_eq!(
            area_facet(" 広島市 // 中区/").map(|f| f.to_path_string()),
            Some("/area/広島市/中区".to_owned())
        );
        assert_eq!(area_facet(" / "), None);
        assert_eq!(facet(DIM_FREE, "true").to_path(), ["free", "true"]);
        assert_eq!(
            facet(DIM_CATEGORY, "就労/学び").to_path(),
            ["category", "就労/学び"]
        );
    }
}
