//! What an entry change touches: the site as the reference checks see it
//! after the change, the pages to render again, and the entry files on
//! disk by name.

use super::preview::EntryChange;
use crate::model::{Entry, Kind, Slug};
use crate::output::OutputFile;
use crate::render::{RenderError, Theme};
use crate::site::Site;
use crate::validate::incremental::Targets;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Beyond this many changed entries in one batch (a `git checkout`, a
/// search-and-replace over many files), one full render is cheaper than
/// one affected-pages render per entry.
pub(super) const MAX_AFFECTED_RENDERS: usize = 8;

/// The pages the changes touch, rendered from `site` (after the changes),
/// and the output files of entry pages that went away.
pub(super) fn render_changes(
    site: &Site,
    theme: &Theme,
    changes: &[EntryChange],
) -> Result<(Vec<OutputFile>, BTreeSet<String>), RenderError> {
    if changes.len() > MAX_AFFECTED_RENDERS {
        // Everything, of which only what differs is written.
        return Ok((crate::render::render_site(site, theme)?, BTreeSet::new()));
    }
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut removed = BTreeSet::new();
    for c in changes {
        let affected = crate::render::render_affected(site, theme, c.old.as_ref(), c.new.as_ref())?;
        removed.extend(affected.removed);
        for f in affected.files {
            files.insert(f.path, f.bytes);
        }
    }
    // A page one change removed and another brought back stays.
    removed.retain(|p| !files.contains_key(p));
    let files = files
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect();
    Ok((files, removed))
}

/// The site as it would be after the change, for the reference checks.
pub(super) struct View<'a> {
    pub(super) site: &'a Site,
    pub(super) files: &'a BTreeMap<String, BTreeSet<PathBuf>>,
    pub(super) removed: Option<&'a Slug>,
    pub(super) added: Option<&'a Entry>,
}

impl Targets for View<'_> {
    fn built_kind(&self, slug: &str) -> Option<Kind> {
        if let Some(e) = self.added.filter(|e| e.slug.as_str() == slug) {
            return Some(e.kind);
        }
        if self.removed.is_some_and(|r| r.as_str() == slug) {
            return None;
        }
        let slug = Slug::parse(slug).ok()?;
        self.site.get(&slug).map(|e| e.kind)
    }

    fn has_file(&self, slug: &str) -> bool {
        self.files.get(slug).is_some_and(|s| !s.is_empty())
    }

    fn slugs_of(&self, kinds: &[Kind]) -> Vec<String> {
        self.files
            .iter()
            .filter(|(_, paths)| {
                paths
                    .iter()
                    .any(|p| crate::load::classify(p).is_some_and(|(k, _)| kinds.contains(&k)))
            })
            .map(|(s, _)| s.clone())
            .collect()
    }
}

/// Every entry file under `root/content`, by stem: what [`crate::load`]
/// would read (the same walk and input rule).
pub(super) fn scan_entry_files(root: &Path) -> BTreeMap<String, BTreeSet<PathBuf>> {
    let mut files: BTreeMap<String, BTreeSet<PathBuf>> = BTreeMap::new();
    let portal = crate::load::inputs::PortalFolder::new(root);
    for item in portal.walk(&root.join("content")).into_iter().flatten() {
        let rel = item.relative;
        if crate::load::classify(&rel).is_none() {
            continue;
        }
        let stem = rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.entry(stem).or_default().insert(rel);
    }
    files
}
