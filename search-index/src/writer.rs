//! Building `index.bin` and `index-body.bin` (native only: tantivy's
//! `IndexWriter` uses threads).
//!
//! The output must be byte-identical for identical input, so that a site
//! rebuild does not invalidate every visitor's cached index and so that
//! builds can be compared. tantivy is deterministic except for segment
//! ids (random UUIDs), so the build:
//!
//! 1. sorts the documents (by reading/name, then slug) before adding them,
//!    which also makes the output independent of the input order;
//! 2. indexes each tier with one thread and no background merges, then
//!    merges whatever segments were produced into one;
//! 3. packs `meta.json` and that segment's files, renaming the segment to
//!    an id derived from a hash of the files' contents.
//!
//! Both tiers index every document in the same order, so a document id
//! means the same entry in both (see `search.rs`, `BodyQuery`).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use tantivy::directory::RamDirectory;
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::Schema;
use tantivy::store::Compressor;
use tantivy::{Directory, IndexSettings, IndexWriter, TantivyDocument};

use crate::analysis::{normalize, JaTokenizer, TOKENIZER_NAME};
use crate::bundle::{self, BODY_PREFIX, BODY_SETTINGS_ENTRY, SETTINGS_ENTRY};
use crate::hits::{self, HITS_ENTRY};
use crate::schema::{self as s, area_steps};
use crate::{BodySettings, SearchDoc, SearchError, Settings, StoredHit, Synonyms};

/// Indexing memory budget. Far more than a regional portal needs, so the
/// single thread normally produces a single segment and the merge step
/// has nothing to do.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// Length of the summary stand-in taken from the body when a document has
/// no summary, in characters.
const EXCERPT_CHARS: usize = 120;

/// The two files of a built index (see [`crate::Index`]): `index` is
/// `index.bin` (tier 1, needed for the first results), `body` is
/// `index-body.bin` (tier 2, the body text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundles {
    pub index: Vec<u8>,
    pub body: Vec<u8>,
}

/// Builds the two bundles for `docs`.
///
/// Deterministic: the same documents and synonyms, in any order, give the
/// same bytes. Fails on an empty or duplicate slug.
pub fn build_bundles(docs: &[SearchDoc], synonyms: &Synonyms) -> Result<Bundles, SearchError> {
    let (main, body) = build_entries(docs, synonyms)?;
    Ok(Bundles {
        index: bundle::pack(&main)?,
        body: bundle::pack(&body)?,
    })
}

/// Builds both tiers packed into one bundle, which [`crate::Index::open`]
/// opens complete. For tools and tests; a site ships [`build_bundles`].
pub fn build_bundle(docs: &[SearchDoc], synonyms: &Synonyms) -> Result<Vec<u8>, SearchError> {
    let (mut main, body) = build_entries(docs, synonyms)?;
    main.extend(body);
    bundle::pack(&main)
}

type Entries = BTreeMap<String, Vec<u8>>;

fn build_entries(
    docs: &[SearchDoc],
    synonyms: &Synonyms,
) -> Result<(Entries, Entries), SearchError> {
    validate(docs)?;
    let mut order: Vec<&SearchDoc> = docs.iter().collect();
    order.sort_by_cached_key(|d| (browse_key(d), d.slug.clone()));
    let pair = pair_id(&order);

    let schema = s::build();
    let mut tantivy_docs = Vec::with_capacity(order.len());
    for doc in &order {
        tantivy_docs.push(to_tantivy(&schema, doc)?);
    }
    let mut main = write_segment(schema, tantivy_docs, "")?;
    let stored: Vec<StoredHit> = order.iter().map(|doc| stored_hit(doc)).collect();
    main.insert(HITS_ENTRY.to_owned(), hits::encode(&stored));
    let settings = Settings {
        synonyms: synonyms
            .groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|w| w.trim().to_owned())
                    .filter(|w| !w.is_empty())
                    .collect()
            })
            .filter(|g: &Vec<String>| g.len() > 1)
            .collect(),
        pair: pair.clone(),
    };
    main.insert(SETTINGS_ENTRY.to_owned(), serde_json::to_vec(&settings)?);

    // Tier 2: every document, in the same order, so document ids agree.
    let schema = s::build_body();
    let body_field = schema
        .get_field(s::BODY)
        .map_err(|e| SearchError::Build(format!("schema: {e}")))?;
    let tantivy_docs = order
        .iter()
        .map(|doc| {
            let mut out = TantivyDocument::new();
            out.add_text(body_field, &doc.body);
            out
        })
        .collect();
    let mut body = write_segment(schema, tantivy_docs, BODY_PREFIX)?;
    let body_settings = BodySettings { pair };
    body.insert(
        format!("{BODY_PREFIX}{BODY_SETTINGS_ENTRY}"),
        serde_json::to_vec(&body_settings)?,
    );
    Ok((main, body))
}

/// Indexes `docs` (in this order) into one segment and returns
/// `meta.json` and the segment files, named with `prefix` and a segment
/// id derived from their content.
fn write_segment(
    schema: Schema,
    docs: Vec<TantivyDocument>,
    prefix: &str,
) -> Result<Entries, SearchError> {
    // Files are read back from this RAM directory itself rather than
    // through the index's managed view, which strips the footers.
    let ram = RamDirectory::create();
    let settings = IndexSettings {
        // Nothing is stored (what results show is in hits.bin); the store
        // of empty documents is smallest, and compresses best over HTTP,
        // without compression blocks of its own.
        docstore_compression: Compressor::None,
        docstore_compress_dedicated_thread: false,
        ..IndexSettings::default()
    };
    let index = tantivy::Index::create(ram.clone(), schema, settings)?;
    index.tokenizers().register(TOKENIZER_NAME, JaTokenizer);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for doc in docs {
        writer.add_document(doc)?;
    }
    writer.commit()?;
    let segment_ids = index.searchable_segment_ids()?;
    if segment_ids.len() > 1 {
        writer.merge(&segment_ids).wait()?;
    }
    writer.wait_merging_threads()?;

    let mut entries = BTreeMap::new();
    let metas = index.searchable_segment_metas()?;
    let directory = index.directory();
    let mut meta_json = String::from_utf8(
        directory
            .atomic_read(Path::new("meta.json"))
            .map_err(|e| SearchError::Build(format!("cannot read meta.json: {e}")))?,
    )
    .map_err(|_| SearchError::Build("meta.json is not UTF-8".into()))?;
    match metas.as_slice() {
        [] => {}
        [segment] => {
            let old_id = segment.id().uuid_string();
            let managed: HashSet<_> = directory.list_managed_files();
            let mut files = BTreeMap::new();
            for path in managed {
                let Some(name) = path.to_str() else { continue };
                let Some(ext) = name.strip_prefix(&old_id) else {
                    continue;
                };
                let bytes = ram
                    .atomic_read(&path)
                    .map_err(|e| SearchError::Build(format!("cannot read {name}: {e}")))?;
                files.insert(ext.to_owned(), bytes);
            }
            let new_id = content_id(&files);
            meta_json = meta_json.replace(&old_id, &new_id);
            meta_json = meta_json.replace(&hyphenated(&old_id), &hyphenated(&new_id));
            if meta_json.contains(&old_id) || meta_json.contains(&hyphenated(&old_id)) {
                return Err(SearchError::Build("could not rename the segment".into()));
            }
            for (ext, data) in files {
                entries.insert(format!("{prefix}{new_id}{ext}"), data);
            }
        }
        more => {
            return Err(SearchError::Build(format!(
                "expected one segment after merging, found {}",
                more.len()
            )))
        }
    }
    entries.insert(format!("{prefix}meta.json"), meta_json.into_bytes());
    Ok(entries)
}

/// Identifies the document order shared by both tiers: a hash of the
/// slugs in index order. A body tier is attached only to an index with
/// the same id, so document ids always mean the same entries.
fn pair_id(order: &[&SearchDoc]) -> String {
    let mut files = BTreeMap::new();
    let slugs: Vec<u8> = order
        .iter()
        .flat_map(|d| d.slug.bytes().chain(std::iter::once(0)))
        .collect();
    files.insert(String::new(), slugs);
    content_id(&files)
}

fn validate(docs: &[SearchDoc]) -> Result<(), SearchError> {
    let mut seen = HashSet::new();
    for doc in docs {
        let invalid = |reason: &str| SearchError::InvalidDoc {
            slug: doc.slug.clone(),
            reason: reason.to_owned(),
        };
        if doc.slug.trim().is_empty() {
            return Err(invalid("the slug is empty"));
        }
        if doc.kind.trim().is_empty() {
            return Err(invalid("the kind is empty"));
        }
        if !seen.insert(doc.slug.as_str()) {
            return Err(invalid("the slug is used by more than one document"));
        }
    }
    Ok(())
}

/// Browse order: by reading when there is one (kana sorts in gojūon
/// order), else by the normalised name.
fn browse_key(doc: &SearchDoc) -> String {
    match doc.kana.as_deref().map(str::trim) {
        Some(kana) if !kana.is_empty() => normalize(kana),
        _ => normalize(&doc.name),
    }
}

/// A fixed-format 32-hex segment id from a 128-bit FNV-1a hash of the
/// segment files (names and contents). Not cryptographic; it only has to
/// be stable and to differ when the content differs.
fn content_id(files: &BTreeMap<String, Vec<u8>>) -> String {
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut hash: u128 = 0x6c62272e07bb014262b821756295c58d;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u128::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    for (name, data) in files {
        feed(&(name.len() as u64).to_le_bytes());
        feed(name.as_bytes());
        feed(&(data.len() as u64).to_le_bytes());
        feed(data);
    }
    format!("{hash:032x}")
}

/// The 8-4-4-4-12 spelling of a 32-hex id (how `meta.json` may write it).
fn hyphenated(id: &str) -> String {
    if id.len() != 32 || !id.is_ascii() {
        return id.to_owned();
    }
    format!(
        "{}-{}-{}-{}-{}",
        &id[0..8],
        &id[8..12],
        &id[12..16],
        &id[16..20],
        &id[20..32]
    )
}

/// The tier-1 document. Its id is its rank in browse order (documents are
/// added in that order).
fn to_tantivy(schema: &Schema, doc: &SearchDoc) -> Result<TantivyDocument, SearchError> {
    let field = |name: &str| {
        schema
            .get_field(name)
            .map_err(|e| SearchError::Build(format!("schema: {e}")))
    };
    let mut out = TantivyDocument::new();
    out.add_text(field(s::NAME)?, &doc.name);
    if let Some(kana) = &doc.kana {
        out.add_text(field(s::KANA)?, kana);
    }
    out.add_text(field(s::SUMMARY)?, &doc.summary);
    for category in &doc.categories {
        out.add_text(field(s::CATEGORIES)?, category);
    }
    for keyword in &doc.keywords {
        out.add_text(field(s::KEYWORDS)?, keyword);
    }
    // The area's levels as words too (広島市/安芸区 → 広島市 安芸区), so
    // a place name typed in the box finds the entries there.
    if let Some(area) = &doc.area {
        out.add_text(field(s::PLACES)?, area_steps(area).join(" "));
    }
    for place in &doc.places {
        out.add_text(field(s::PLACES)?, place);
    }
    for detail in &doc.details {
        out.add_text(field(s::DETAILS)?, detail);
    }

    // The filter values as facets. An area is added once, at its deepest
    // level: tantivy's facet tokenizer indexes its ancestors.
    let filters = field(s::FILTERS)?;
    let mut add_facet = |dim: &str, value: &str| {
        let value = value.trim();
        if !value.is_empty() {
            out.add_facet(filters, s::facet(dim, value));
        }
    };
    add_facet(s::DIM_KIND, &doc.kind);
    for c in &doc.categories {
        add_facet(s::DIM_CATEGORY, c);
    }
    for a in &doc.audience {
        add_facet(s::DIM_AUDIENCE, a);
    }
    for m in &doc.methods {
        add_facet(s::DIM_METHOD, m);
    }
    if let Some(free) = doc.free {
        add_facet(s::DIM_FREE, s::bool_str(free));
    }
    if let Some(anonymous) = doc.anonymous {
        add_facet(s::DIM_ANONYMOUS, s::bool_str(anonymous));
    }
    if let Some(area) = doc.area.as_deref().and_then(s::area_facet) {
        out.add_facet(filters, area);
    }

    if doc.kind == "event" {
        if let Some(until) = doc.ends.or(doc.starts) {
            out.add_i64(field(s::UNTIL)?, until);
        }
    }

    Ok(out)
}

/// What a result shows for `doc`.
fn stored_hit(doc: &SearchDoc) -> StoredHit {
    StoredHit {
        slug: doc.slug.clone(),
        kind: doc.kind.trim().to_owned(),
        name: doc.name.clone(),
        kana: doc.kana.clone().filter(|k| !k.trim().is_empty()),
        url: doc.url.clone(),
        area: doc
            .area
            .as_deref()
            .map(|a| area_steps(a).join("/"))
            .filter(|a| !a.is_empty()),
        summary: display_summary(doc),
        starts: doc.starts,
        ends: doc.ends,
        phone: doc.phone.clone().filter(|p| !p.trim().is_empty()),
        tel: doc.tel.clone().filter(|t| !t.trim().is_empty()),
        hours: doc.hours.clone().filter(|h| !h.trim().is_empty()),
    }
}

/// The summary, or for documents without one (pages often) the start of
/// the body, so every hit has something to show under its name.
fn display_summary(doc: &SearchDoc) -> String {
    let summary = doc.summary.trim();
    if !summary.is_empty() {
        return summary.to_owned();
    }
    let body: String = doc.body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = body.chars();
    let excerpt: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        format!("{excerpt}…")
    } else {
        excerpt
    }
}
