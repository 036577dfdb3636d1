//! Incremental rebuilds for `tsunagu serve`.
//!
//! A full build of 10,000 entries takes seconds; an editor who saves one
//! entry wants to see it at once. So the preview keeps the last good
//! [`Site`] (and the resolved theme) in memory, and when entry files
//! change it:
//!
//! 1. re-reads and re-validates only those files
//!    ([`crate::validate::incremental`]), and re-runs the cross-entry
//!    checks that involve them (duplicate slugs; `operator` / `organizer` /
//!    `place` references from the changed entry, and to it from others
//!    when it went away or changed kind);
//! 2. swaps the new version into the site (or leaves the site as it was and
//!    reports the problem: the last good site stays up);
//! 3. renders the pages that show the entry (its own page, the list of its
//!    kind, the top page, the term pages and term indexes of its old and
//!    new categories / areas / audience / methods, the pages of the entries
//!    it points at and of those that point at it, the sitemap) and writes
//!    only the files whose bytes changed, each atomically (temp file +
//!    rename), so an open tab never reads half a page and unrelated pages
//!    keep their inode and mtime;
//! 4. hands the new site to a background worker that rebuilds the search
//!    index, calendars, feed and open-data files, so the page reload does
//!    not wait for them. A newer change or a full rebuild makes an older
//!    background run's result obsolete: it is dropped, never written.
//!
//! Changes to `site.toml`, templates, static files or the theme (and folder
//! renames) rebuild everything, as `tsunagu build` does.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceMap};
use crate::load::SourceFile;
use crate::model::{Entry, Kind, Slug};
use crate::output::live::{remove_file, write_if_changed};
use crate::output::OutputFile;
use crate::pipeline::{self, BuildContext};
use crate::render::{RenderError, Theme};
use crate::site::Site;
use crate::validate::incremental::{self as one, Targets};
use crate::validate::ValidateOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a changed path means for the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathClass {
    /// Not an input (editor backup and swap files, files `load` ignores).
    Ignore,
    /// An entry file, relative to the portal root.
    Entry(PathBuf),
    /// Anything else that feeds the build: rebuild everything.
    Full(PathBuf),
    /// A path under `content/` without an extension that is gone: an
    /// editor's temporary file (sed's `sedXXXXXX`), or a folder of entries
    /// moved away. Which one only the list of entry files can tell.
    Vanished(PathBuf),
}

/// Names editors use for swap, backup and temporary files while saving
/// (vim's `4913` probe and `~` backups, `.swp`, JetBrains' `___jb_tmp___`,
/// atomic-save `*.tmp`): never inputs, so never a reason to rebuild.
fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
}

/// Classifies a path reported by the file watcher. `root` and `path` are
/// absolute (the watcher reports absolute paths under the canonical root);
/// `out` is the preview folder, whose own writes are ignored. `is_dir`
/// says the event was about a folder (created, removed or renamed).
pub fn classify_path(root: &Path, out: &Path, path: &Path, is_dir: bool) -> PathClass {
    if path.starts_with(out) {
        return PathClass::Ignore;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return PathClass::Ignore;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.is_empty() || is_editor_temp(&name) {
        return PathClass::Ignore;
    }
    let top = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    match top.as_str() {
        "site.toml" if rel.components().count() == 1 => PathClass::Full(rel.to_path_buf()),
        "templates" | "static" | "themes" => PathClass::Full(rel.to_path_buf()),
        "content" => {
            let dir = is_dir || path.is_dir();
            if !dir && crate::load::classify(rel).is_some() {
                PathClass::Entry(rel.to_path_buf())
            } else if dir {
                // A folder appeared, went or was renamed: its entries
                // changed in ways single-file events do not tell.
                PathClass::Full(rel.to_path_buf())
            } else if rel.extension().is_none() && !path.exists() {
                PathClass::Vanished(rel.to_path_buf())
            } else {
                // `load` ignores it too (with a warning in `check`).
                PathClass::Ignore
            }
        }
        _ => PathClass::Ignore,
    }
}

/// One entry's change as the renderer needs it: the version the site had
/// and the version it has now (`None`: not built, i.e. absent or a draft).
#[derive(Debug, Clone)]
pub struct EntryChange {
    pub old: Option<Entry>,
    pub new: Option<Entry>,
}

/// The result of one rebuild, for the terminal line and the browser.
#[derive(Debug)]
pub struct Report {
    /// What changed, e.g. `content/centers/x.yaml`, or `site.toml` for a full rebuild.
    pub what: String,
    /// Whether everything was rebuilt.
    pub full: bool,
    /// Files written (pages, and for a full rebuild every output file).
    pub written: usize,
    pub elapsed: Duration,
    /// This run's diagnostics (errors and warnings), for the terminal.
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
    /// The errors still standing (this run's and earlier unfixed ones);
    /// empty when the preview shows the current files.
    pub banner: Option<(Diagnostics, SourceMap)>,
    /// Whether the served files changed (the tabs should reload).
    pub changed: bool,
    /// Where the time went (`check`, `render`, `write`), for developers.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Report {
    /// The terminal line: `更新: content/centers/x.yaml → 12 ページ (34 ms)`.
    pub fn line(&self) -> String {
        let ms = self.elapsed.as_millis();
        if self.banner.is_some() && !self.changed {
            return format!(
                "エラー: {} → 前回の正常な版を表示中 (ブラウザにも表示) ({ms} ms)",
                self.what
            );
        }
        let head = if self.full {
            "全体を再ビルド"
        } else {
            "更新"
        };
        let still = if self.banner.is_some() {
            " (ほかのファイルのエラーが残っています)"
        } else {
            ""
        };
        format!(
            "{head}: {} → {} ページ ({ms} ms){still}",
            self.what, self.written
        )
    }
}

/// Files an incremental rebuild has just put in place, handed to the
/// caller as soon as they are on disk (the edited entry's own page first,
/// then the lists and other pages), so the tabs showing them can reload.
#[derive(Debug)]
pub struct Written {
    /// Site-relative URL paths of the pages written or removed, raw UTF-8
    /// (`/centers/x/`, `/categories/食/`, `/404.html`).
    pub pages: Vec<String>,
    /// The errors still standing (see [`Report::banner`]).
    pub banner: Option<(Diagnostics, SourceMap)>,
}

/// The URL path of an output file: `centers/x/index.html` → `/centers/x/`.
fn page_url(file: &str) -> String {
    format!("/{}", file.strip_suffix("index.html").unwrap_or(file))
}

/// An unfixed problem with one entry file: its diagnostics and the text
/// of the files they point into.
#[derive(Debug, Clone)]
struct Problem {
    diagnostics: Vec<Diagnostic>,
    sources: Vec<(PathBuf, String)>,
}

/// The last good state of the preview.
struct Good {
    site: Arc<Site>,
    theme: Arc<Theme>,
    /// Every entry file on disk by slug (file stem), built or not: for
    /// duplicate slugs and for "points at a draft".
    files: BTreeMap<String, BTreeSet<PathBuf>>,
}

/// The preview: the output folder, what it was built from, and the
/// background worker that keeps the search index up to date.
pub struct Preview {
    ctx: BuildContext,
    good: Option<Good>,
    /// Entry files whose current text cannot be used yet.
    pending: BTreeMap<PathBuf, Problem>,
    /// The last full rebuild failed (site.toml, a template…): every change
    /// rebuilds everything until one succeeds.
    needs_full: bool,
    /// The errors of that failed full rebuild.
    full_problem: Option<(Diagnostics, SourceMap)>,
    background: Background,
}

impl Preview {
    pub fn new(ctx: BuildContext) -> Preview {
        Preview {
            background: Background::start(ctx.out.clone()),
            ctx,
            good: None,
            pending: BTreeMap::new(),
            needs_full: false,
            full_problem: None,
        }
    }

    /// The build's inputs: the portal, the preview folder, the options.
    pub fn context(&self) -> &BuildContext {
        &self.ctx
    }

    /// Whether the background worker still has a search index to build.
    pub fn background_busy(&self) -> bool {
        self.background.queued.load(Ordering::SeqCst) > 0
    }

    /// The last good site, if any build succeeded.
    pub fn site(&self) -> Option<Arc<Site>> {
        self.good.as_ref().map(|g| Arc::clone(&g.site))
    }

    /// A full build into the preview folder, as `tsunagu build` does.
    pub fn full(&mut self, what: &str) -> Report {
        let started = Instant::now();
        let mut ctx = self.ctx.clone();
        ctx.now = jiff::Timestamp::now();
        // Anything the background worker is doing is for an older site.
        let _guard = self.background.lock_and_supersede();
        let outcome = pipeline::build(&ctx);
        drop(_guard);
        let mut report = Report {
            what: what.to_string(),
            full: true,
            written: outcome.written,
            elapsed: Duration::ZERO,
            diagnostics: Diagnostics::default(),
            sources: outcome.sources.clone(),
            banner: None,
            changed: false,
            timings: Vec::new(),
        };
        match (outcome.failed(), outcome.site) {
            (false, Some(site)) => {
                let theme = Theme::resolve(&ctx.root, &site.config.theme);
                match theme {
                    Ok(mut theme) => {
                        // The same cards are rendered after every save.
                        theme.remember_cards();
                        self.background
                            .submit(Job::Reset(Box::new(copy_site(&site))));
                        let (site, theme) = (Arc::new(site), Arc::new(theme));
                        warm_up(Arc::clone(&site), Arc::clone(&theme));
                        self.good = Some(Good {
                            site,
                            theme,
                            files: scan_entry_files(&ctx.root),
                        });
                        self.pending.clear();
                        self.needs_full = false;
                        self.full_problem = None;
                        report.changed = true;
                    }
                    Err(e) => {
                        // The build just resolved the same theme; if it
                        // cannot now, the files changed under us: retry
                        // everything on the next change.
                        let mut d = Diagnostics::default();
                        d.push(e.diagnostic());
                        self.needs_full = true;
                        self.full_problem = Some((d, SourceMap::default()));
                        report.changed = true;
                    }
                }
            }
            _ => {
                self.needs_full = true;
                self.full_problem = Some((outcome.diagnostics.clone(), outcome.sources.clone()));
            }
        }
        report.diagnostics = outcome.diagnostics;
        report.banner = self.banner();
        report.elapsed = started.elapsed();
        report
    }

    /// Handles one debounced batch of changed paths (already classified).
    /// `on_written` is called each time pages are in place (an
    /// incremental rebuild calls it up to twice; a full rebuild never:
    /// every page may have changed).
    pub fn apply(
        &mut self,
        paths: &[PathClass],
        on_written: &mut dyn FnMut(Written),
    ) -> Option<Report> {
        let held_entries = |dir: &Path| {
            self.good.as_ref().is_some_and(|g| {
                g.files
                    .values()
                    .flatten()
                    .any(|f| f.starts_with(dir) && f != dir)
            })
        };
        let full: Vec<&PathBuf> = paths
            .iter()
            .filter_map(|p| match p {
                PathClass::Full(p) => Some(p),
                // A folder that held entries, moved away.
                PathClass::Vanished(p) if held_entries(p) => Some(p),
                _ => None,
            })
            .collect();
        let entries: BTreeSet<PathBuf> = paths
            .iter()
            .filter_map(|p| match p {
                PathClass::Entry(p) => Some(p.clone()),
                _ => None,
            })
            .collect();
        if full.is_empty() && entries.is_empty() {
            return None;
        }
        if !full.is_empty() || self.needs_full || self.good.is_none() {
            let mut names: Vec<String> = full.iter().map(|p| slash(p)).collect();
            names.extend(entries.iter().map(|p| slash(p)));
            return Some(self.full(&describe(&names)));
        }
        Some(self.entries(entries, on_written))
    }

    /// Rebuilds after entry files changed.
    fn entries(&mut self, paths: BTreeSet<PathBuf>, on_written: &mut dyn FnMut(Written)) -> Report {
        let started = Instant::now();
        let what = describe(&paths.iter().map(|p| slash(p)).collect::<Vec<_>>());
        let mut diagnostics = Diagnostics::default();
        let mut sources = SourceMap::default();
        let mut changes: Vec<EntryChange> = Vec::new();
        let several = paths.len() > 1;
        let mut across = false;
        let mut queue: Vec<PathBuf> = paths.into_iter().collect();
        // Files that failed before are tried again after any change went
        // in: the change may be what they were waiting for (a renamed
        // duplicate, a reference target that now exists).
        let mut retried = false;
        loop {
            let mut progress = false;
            for rel in std::mem::take(&mut queue) {
                let fresh = !retried;
                match self.apply_one(&rel) {
                    Ok((change, warnings, texts)) => {
                        self.pending.remove(&rel);
                        if fresh {
                            diagnostics.extend(warnings);
                            for (p, t) in texts {
                                sources.insert(p, t);
                            }
                        }
                        if change.old.is_some() || change.new.is_some() {
                            changes.push(change);
                        }
                        progress = true;
                    }
                    Err(problem) => {
                        across |= problem.diagnostics.iter().any(|d| {
                            matches!(
                                d.code,
                                Code::DuplicateSlug
                                    | Code::DanglingReference
                                    | Code::WrongReferenceKind
                            )
                        });
                        if fresh {
                            diagnostics.extend(problem.diagnostics.iter().cloned());
                            for (p, t) in &problem.sources {
                                sources.insert(p.clone(), t.clone());
                            }
                        }
                        self.pending.insert(rel, problem);
                    }
                }
            }
            if several && across {
                // Several files changed together and they clash (an entry
                // renamed or moved to another kind's folder arrives as a
                // removal and an addition, in either order): one full
                // build sees them all at once and decides.
                return self.full(&what);
            }
            if !progress || self.pending.is_empty() || retried {
                break;
            }
            retried = true;
            queue = self.pending.keys().cloned().collect();
        }

        let mut report = Report {
            what,
            full: false,
            written: 0,
            elapsed: Duration::ZERO,
            diagnostics,
            sources,
            banner: None,
            changed: false,
            timings: Vec::new(),
        };
        report.timings.push(("check", started.elapsed()));
        if !changes.is_empty() {
            match self.write_changes(&changes, &mut report.timings, on_written) {
                Ok(n) => {
                    report.written = n;
                    report.changed = true;
                }
                Err(d) => {
                    // Rendering or writing failed: something outside the
                    // entry (a template) is wrong; rebuild fully next time.
                    self.needs_full = true;
                    let mut ds = Diagnostics::default();
                    ds.push(d.clone());
                    self.full_problem = Some((ds, SourceMap::default()));
                    report.diagnostics.push(d);
                }
            }
        }
        report.banner = self.banner();
        report.elapsed = started.elapsed();
        report
    }

    /// All errors still standing, for the banner.
    fn banner(&self) -> Option<(Diagnostics, SourceMap)> {
        let mut d = Diagnostics::default();
        let mut s = SourceMap::default();
        if let Some((fd, fs)) = &self.full_problem {
            d.extend(fd.iter().filter(|x| x.is_error()).cloned());
            s = fs.clone();
        }
        for problem in self.pending.values() {
            d.extend(problem.diagnostics.iter().filter(|x| x.is_error()).cloned());
            for (p, t) in &problem.sources {
                s.insert(p.clone(), t.clone());
            }
        }
        d.has_errors().then_some((d, s))
    }

    /// Re-reads one entry file, checks it and swaps it into the site.
    /// Returns the change, its warnings and the texts they point into; or
    /// the problem, leaving the site as it was.
    #[allow(clippy::type_complexity)]
    fn apply_one(
        &mut self,
        rel: &Path,
    ) -> Result<(EntryChange, Vec<Diagnostic>, Vec<(PathBuf, String)>), Problem> {
        let drafts = self.ctx.drafts;
        let root = self.ctx.root.clone();
        let Some(good) = self.good.as_mut() else {
            return Err(Problem {
                diagnostics: vec![Diagnostic::error(
                    Code::ConfigInvalid,
                    "no successful build yet",
                )],
                sources: vec![],
            });
        };
        let read = crate::load::read_entry_file(&root, rel);

        // The table of files follows the disk, whatever the content.
        let stem = rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let exists = root.join(rel).is_file();
        let slot = good.files.entry(stem.clone()).or_default();
        if exists {
            slot.insert(rel.to_path_buf());
        } else {
            slot.remove(rel);
            if slot.is_empty() {
                good.files.remove(&stem);
            }
        }

        let site = &good.site;
        let old_index = site.entries.iter().position(|e| e.source == rel);
        let file: Option<SourceFile> = match read {
            Ok(f) => f,
            Err(d) => {
                return Err(Problem {
                    diagnostics: vec![d],
                    sources: vec![],
                })
            }
        };
        let mut texts: Vec<(PathBuf, String)> = Vec::new();
        let mut warnings = Vec::new();
        let new_entry: Option<Entry> = match &file {
            None => None,
            Some(file) => {
                texts.push((file.path.clone(), file.text.clone()));
                let options = ValidateOptions {
                    drafts,
                    now: site.now,
                };
                let check = one::check_file(file, &site.config, &site.timezone, &options);
                let mut errors: Vec<Diagnostic> = Vec::new();
                // Another file with this slug on disk, or (not yet
                // removed) in the site: the site never holds two.
                let in_site = Slug::parse(&file.stem)
                    .ok()
                    .and_then(|s| site.get(&s))
                    .filter(|e| e.source != rel)
                    .map(|e| e.source.clone());
                let other = good
                    .files
                    .get(&file.stem)
                    .and_then(|s| s.iter().find(|p| p.as_path() != rel).cloned())
                    .or(in_site);
                if let Some(other) = other {
                    errors.push(one::duplicate_slug(file, &other));
                }
                let failed = check.failed();
                let (errs, warns): (Vec<Diagnostic>, Vec<Diagnostic>) = check
                    .diagnostics
                    .into_iter()
                    .partition(Diagnostic::is_error);
                errors.extend(errs);
                warnings = warns;
                if failed || !errors.is_empty() {
                    errors.extend(warnings);
                    return Err(Problem {
                        diagnostics: errors,
                        sources: texts,
                    });
                }
                check
                    .entry
                    .filter(|e| drafts || e.fields.draft != Some(true))
            }
        };
        let old_entry = old_index.map(|i| site.entries[i].clone());

        // Cross-entry checks against the site as it would be.
        let view = View {
            site,
            files: &good.files,
            removed: old_entry.as_ref().map(|e| &e.slug),
            added: new_entry.as_ref(),
        };
        let mut errors = Vec::new();
        if let (Some(entry), Some(file)) = (&new_entry, &file) {
            errors.extend(one::check_references(file, entry, &view));
        }
        if let Some(old) = &old_entry {
            let same = new_entry
                .as_ref()
                .is_some_and(|n| n.slug == old.slug && n.kind == old.kind);
            if !same {
                for other in site.entries.iter().filter(|e| e.source != old.source) {
                    let f = &other.fields;
                    let points = [&f.operator, &f.organizer, &f.place]
                        .into_iter()
                        .any(|t| t.as_ref() == Some(&old.slug));
                    if !points {
                        continue;
                    }
                    let text = std::fs::read(root.join(&other.source))
                        .ok()
                        .and_then(|b| crate::load::decode(&b).ok())
                        .unwrap_or_default();
                    let source = SourceFile {
                        kind: other.kind,
                        path: other.source.clone(),
                        stem: other.slug.as_str().to_string(),
                        format: if other.source.extension().is_some_and(|e| e == "md") {
                            crate::load::FileFormat::Markdown
                        } else {
                            crate::load::FileFormat::Yaml
                        },
                        text,
                    };
                    let found = one::check_references(&source, other, &view);
                    if !found.is_empty() {
                        texts.push((source.path.clone(), source.text.clone()));
                        errors.extend(found);
                    }
                }
            }
        }
        if !errors.is_empty() {
            errors.extend(warnings);
            return Err(Problem {
                diagnostics: errors,
                sources: texts,
            });
        }

        // Swap the new version in. The background worker may still hold
        // the previous site; then it is copied.
        let placeholder = Site::new(
            site.config.clone(),
            site.timezone.clone(),
            Vec::new(),
            site.now,
        );
        let arc = std::mem::replace(&mut good.site, Arc::new(placeholder));
        let owned = Arc::try_unwrap(arc).unwrap_or_else(|shared| {
            Site::new(
                shared.config.clone(),
                shared.timezone.clone(),
                shared.entries.clone(),
                shared.now,
            )
        });
        let now = owned.now;
        let Site {
            config,
            timezone,
            mut entries,
            ..
        } = owned;
        if let Some(i) = old_index {
            entries.remove(i);
        }
        if let Some(e) = &new_entry {
            entries.push(e.clone());
        }
        good.site = Arc::new(Site::new(config, timezone, entries, now));
        Ok((
            EntryChange {
                old: old_entry,
                new: new_entry,
            },
            warnings,
            texts,
        ))
    }

    /// Renders the pages the changes touch, writes those that differ,
    /// removes pages of entries that went away, and queues the search
    /// index. Returns how many files were written or removed.
    fn write_changes(
        &mut self,
        changes: &[EntryChange],
        timings: &mut Vec<(&'static str, Duration)>,
        on_written: &mut dyn FnMut(Written),
    ) -> Result<usize, Diagnostic> {
        let Some(good) = self.good.as_ref() else {
            return Ok(0);
        };
        let site = Arc::clone(&good.site);
        let theme = Arc::clone(&good.theme);
        let out = self.ctx.out.clone();
        let render_failed = |e: RenderError| Diagnostic::error(Code::RenderFailed, e.to_string());
        let mut written = 0usize;

        // First the edited entries' own pages: the page an editor looks
        // at while writing. The long lists that contain them follow.
        let t = Instant::now();
        let mut first = Vec::new();
        if changes.len() <= MAX_AFFECTED_RENDERS {
            for c in changes {
                if let Some(new) = &c.new {
                    if let Some(f) = crate::render::render_entry_page(&site, &theme, &new.slug)
                        .map_err(render_failed)?
                    {
                        first.push(f);
                    }
                }
            }
        }
        timings.push(("render entry page", t.elapsed()));
        if !first.is_empty() {
            let t = Instant::now();
            let guard = self.background.lock_and_supersede();
            let mut pages = Vec::new();
            for f in &first {
                if write_if_changed(&out, f)
                    .map_err(|e| Diagnostic::error(Code::WriteFailed, e.to_string()))?
                {
                    written += 1;
                    pages.push(page_url(&f.path));
                }
            }
            drop(guard);
            timings.push(("write entry page", t.elapsed()));
            if !pages.is_empty() {
                on_written(Written {
                    pages,
                    banner: self.banner(),
                });
            }
        }

        let t = Instant::now();
        let (files, removed) = render_changes(&site, &theme, changes).map_err(render_failed)?;
        timings.push(("render", t.elapsed()));
        let t = Instant::now();
        let guard = self.background.lock_and_supersede();
        let mut pages = Vec::new();
        for f in &files {
            if write_if_changed(&out, f)
                .map_err(|e| Diagnostic::error(Code::WriteFailed, e.to_string()))?
            {
                written += 1;
                pages.push(page_url(&f.path));
            }
        }
        // Pages of entries that are no longer built (or moved).
        let live: BTreeSet<String> = site
            .entries
            .iter()
            .map(|e| format!("{}index.html", e.url_path()))
            .collect();
        for path in removed.iter().filter(|p| !live.contains(*p)) {
            if remove_file(&out, path) {
                written += 1;
                pages.push(page_url(path));
            }
        }
        drop(guard);
        timings.push(("write", t.elapsed()));
        if !pages.is_empty() {
            on_written(Written {
                pages,
                banner: self.banner(),
            });
        }
        drop(site);
        self.background.submit(Job::Apply(changes.to_vec()));
        Ok(written)
    }
}

/// Renders one entry page on a thread of its own right after a full
/// build, which renders every card into the theme's memo: the first save
/// is then as quick as the later ones. (A save while it runs still works:
/// the site is copied instead of changed in place.)
fn warm_up(site: Arc<Site>, theme: Arc<Theme>) {
    let spawned = std::thread::Builder::new()
        .name("tsunagu-serve-warm-up".into())
        .spawn(move || {
            if let Some(e) = site.entries.first() {
                if let Err(err) = crate::render::render_entry_page(&site, &theme, &e.slug) {
                    // The next save renders the same page and reports it.
                    eprintln!("note: preparing the preview's cards: {err}");
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("note: cannot prepare the cards ahead ({e}); the first save takes longer");
    }
}

/// Beyond this many changed entries in one batch (a `git checkout`, a
/// search-and-replace over many files), one full render is cheaper than
/// one affected-pages render per entry.
const MAX_AFFECTED_RENDERS: usize = 8;

/// The pages the changes touch, rendered from `site` (after the changes),
/// and the output files of entry pages that went away.
fn render_changes(
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
struct View<'a> {
    site: &'a Site,
    files: &'a BTreeMap<String, BTreeSet<PathBuf>>,
    removed: Option<&'a Slug>,
    added: Option<&'a Entry>,
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
fn scan_entry_files(root: &Path) -> BTreeMap<String, BTreeSet<PathBuf>> {
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

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// `a`, or `a ほか2件` for several.
fn describe(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} ほか{}件", rest.len()),
    }
}

/// What the background worker is told.
enum Job {
    /// After a full rebuild: its own copy of the new site.
    Reset(Box<Site>),
    /// After an incremental rebuild: the same changes, to apply to its copy.
    Apply(Vec<EntryChange>),
}

/// The worker that rebuilds the search index and the data files after an
/// incremental change, off the path of the page reload. It keeps its own
/// copy of the site and applies the same changes to it, so the site the
/// next save changes is never shared with a run still indexing (which
/// would mean copying 10,000 entries while the editor waits).
struct Background {
    /// Bumped by every change; a run writes only if it is still the latest.
    generation: Arc<AtomicU64>,
    /// Held while files are written into the output (by either side).
    write_lock: Arc<Mutex<()>>,
    tx: Option<Sender<(u64, Job)>>,
    /// Jobs submitted and not yet finished.
    queued: Arc<AtomicU64>,
}

impl Background {
    fn start(out: PathBuf) -> Background {
        let generation = Arc::new(AtomicU64::new(0));
        let write_lock = Arc::new(Mutex::new(()));
        let (tx, rx) = channel::<(u64, Job)>();
        let queued = Arc::new(AtomicU64::new(0));
        let (g, l, q) = (
            Arc::clone(&generation),
            Arc::clone(&write_lock),
            Arc::clone(&queued),
        );
        let spawned = std::thread::Builder::new()
            .name("tsunagu-serve-index".into())
            .spawn(move || background_loop(rx, out, g, l, q));
        let tx = match spawned {
            Ok(_) => Some(tx),
            Err(e) => {
                eprintln!("warning: cannot start the search index worker ({e}); search in the preview stays at the last full build");
                None
            }
        };
        Background {
            generation,
            write_lock,
            tx,
            queued,
        }
    }

    /// Takes the output for writing and makes any background run obsolete.
    fn lock_and_supersede(&self) -> std::sync::MutexGuard<'_, ()> {
        self.generation.fetch_add(1, Ordering::SeqCst);
        // A poisoned lock only means a writer panicked; the files are
        // still written atomically one by one.
        self.write_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn submit(&self, job: Job) {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some(tx) = &self.tx {
            self.queued.fetch_add(1, Ordering::SeqCst);
            if tx.send((generation, job)).is_err() {
                self.queued.fetch_sub(1, Ordering::SeqCst);
                eprintln!("warning: the search index worker stopped; search in the preview is not updated");
            }
        }
    }
}

/// A copy of `site` (for the worker, once per full rebuild).
fn copy_site(site: &Site) -> Site {
    Site::new(
        site.config.clone(),
        site.timezone.clone(),
        site.entries.clone(),
        site.now,
    )
}

/// `site` with `changes` applied in order, as [`Preview`] applied them.
fn apply_changes(site: Site, changes: &[EntryChange]) -> Site {
    let now = site.now;
    let Site {
        config,
        timezone,
        mut entries,
        ..
    } = site;
    for c in changes {
        if let Some(old) = &c.old {
            entries.retain(|e| e.source != old.source);
        }
        if let Some(new) = &c.new {
            entries.push(new.clone());
        }
    }
    Site::new(config, timezone, entries, now)
}

fn background_loop(
    rx: Receiver<(u64, Job)>,
    out: PathBuf,
    generation: Arc<AtomicU64>,
    write_lock: Arc<Mutex<()>>,
    queued: Arc<AtomicU64>,
) {
    let mut site: Option<Site> = None;
    while let Ok(first) = rx.recv() {
        // Apply everything that is waiting, in order; index once.
        let mut batch = vec![first];
        while let Ok(next) = rx.try_recv() {
            batch.push(next);
        }
        let count = batch.len() as u64;
        let mut wanted = 0;
        let mut build = false;
        for (g, job) in batch {
            wanted = g;
            match job {
                Job::Reset(s) => {
                    // A full build wrote its own index.
                    site = Some(*s);
                    build = false;
                }
                Job::Apply(changes) => {
                    site = site.take().map(|s| apply_changes(s, &changes));
                    build = site.is_some();
                }
            }
        }
        if let (true, Some(s)) = (build, &site) {
            background_job(s, wanted, &out, &generation, &write_lock);
        }
        queued.fetch_sub(count, Ordering::SeqCst);
    }
}

/// One background run: builds the files for `site` and writes them unless
/// a newer change came first.
fn background_job(
    site: &Site,
    wanted: u64,
    out: &Path,
    generation: &AtomicU64,
    write_lock: &Mutex<()>,
) {
    if generation.load(Ordering::SeqCst) != wanted {
        return;
    }
    let started = Instant::now();
    let files = match data_files(site) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("検索インデックス: 更新できませんでした (search index not updated): {e}");
            return;
        }
    };
    let _guard = write_lock
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if generation.load(Ordering::SeqCst) != wanted {
        return; // a newer change or a full rebuild came first
    }
    let mut written = 0usize;
    for f in &files {
        match write_if_changed(out, f) {
            Ok(true) => written += 1,
            Ok(false) => {}
            Err(e) => eprintln!("検索インデックス: {e}"),
        }
    }
    eprintln!(
        "検索インデックス・データ更新: {written} ファイル ({} ms)",
        started.elapsed().as_millis()
    );
}

/// The search index, calendars, feed, open-data files and the search
/// assets (whose service worker is versioned by them), as a full build
/// writes them.
fn data_files(site: &Site) -> Result<Vec<OutputFile>, String> {
    let mut files = crate::index::build_index(site).map_err(|e| e.to_string())?;
    files.extend(crate::feeds::render(site).map_err(|e| e.to_string())?);
    files.extend(crate::opendata::export(site).map_err(|e| e.to_string())?);
    let id = crate::search_assets::build_id(&files);
    files.extend(crate::search_assets::files(&id));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_watched_paths() {
        let root = Path::new("/p");
        let out = Path::new("/tmp/out");
        let c = |p: &str| classify_path(root, out, Path::new(p), false);
        assert_eq!(
            c("/p/content/centers/a.md"),
            PathClass::Entry("content/centers/a.md".into())
        );
        assert_eq!(c("/p/site.toml"), PathClass::Full("site.toml".into()));
        assert_eq!(
            c("/p/templates/entry.html"),
            PathClass::Full("templates/entry.html".into())
        );
        assert_eq!(
            c("/p/themes/t/static/a.css"),
            PathClass::Full("themes/t/static/a.css".into())
        );
        for ignored in [
            "/p/content/centers/.a.md.swp",
            "/p/content/centers/a.md~",
            "/p/content/centers/4913",
            "/p/content/centers/a.md.tmp",
            "/p/content/centers/notes.txt",
            "/p/templates/.entry.html.swp",
            "/p/README.md",
            "/tmp/out/centers/a/index.html",
            "/elsewhere/x.md",
        ] {
            assert_eq!(c(ignored), PathClass::Ignore, "{ignored}");
        }
        assert_eq!(
            classify_path(root, out, Path::new("/p/content/centers/sub"), true),
            PathClass::Full("content/centers/sub".into())
        );
        // sed -i's temporary file, already renamed over the entry.
        assert_eq!(
            c("/p/content/centers/sedAJeMwO"),
            PathClass::Vanished("content/centers/sedAJeMwO".into())
        );
    }

    #[test]
    fn describes_batches() {
        assert_eq!(describe(&["a".into()]), "a");
        assert_eq!(describe(&["a".into(), "b".into(), "c".into()]), "a ほか2件");
    }
}
