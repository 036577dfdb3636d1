//! The preview's incremental rebuild.
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
//!    only the files whose bytes changed, through [`crate::output::live`];
//! 4. hands the new site to [`super::background`], which rebuilds the
//!    build's data stages (search index, calendars, feed, open data), so
//!    the page reload does not wait for them.
//!
//! Changes to `site.toml`, templates, static files or the theme (and folder
//! renames) rebuild everything, as `tsunagu build` does.

use super::affected::{render_changes, scan_entry_files, View, MAX_AFFECTED_RENDERS};
use super::background::{copy_site, send, Background, Job};
use super::changes::PathClass;
use super::report::{describe, page_url};
use super::report::{Report, Written};
use super::Notice;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceMap};
use crate::load::SourceFile;
use crate::model::{Entry, Slug};
use crate::output::live::{remove_file, write_if_changed};
use crate::pipeline::{self, BuildContext};
use crate::render::{RenderError, Theme};
use crate::site::Site;
use crate::validate::incremental as one;
use crate::validate::ValidateOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One entry's change as the renderer needs it: the version the site had
/// and the version it has now (`None`: not built, i.e. absent or a draft).
#[derive(Debug, Clone)]
pub struct EntryChange {
    pub old: Option<Entry>,
    pub new: Option<Entry>,
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
    /// Where the preview's threads report (see [`Notice`]).
    notices: Sender<Notice>,
    /// The other end, until the CLI takes it.
    receiver: Option<Receiver<Notice>>,
    /// Every full rebuild keeps `ctx.now` (`SOURCE_DATE_EPOCH` was set)
    /// instead of taking the clock again. Default false.
    fixed_clock: bool,
}

impl Preview {
    pub fn new(ctx: BuildContext) -> Preview {
        let (notices, receiver) = channel();
        Preview {
            background: Background::start(ctx.out.clone(), notices.clone(), ctx.minify),
            ctx,
            good: None,
            pending: BTreeMap::new(),
            needs_full: false,
            full_problem: None,
            notices,
            receiver: Some(receiver),
            fixed_clock: false,
        }
    }

    /// Keeps the context's "now" for every rebuild (for a preview with
    /// `SOURCE_DATE_EPOCH`, like a build's): two runs show the same site.
    pub fn with_fixed_clock(mut self) -> Preview {
        self.fixed_clock = true;
        self
    }

    /// What the preview's background threads report, once (the CLI
    /// prints it; nothing here prints).
    pub fn notices(&mut self) -> Option<Receiver<Notice>> {
        self.receiver.take()
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
        if !self.fixed_clock {
            ctx.now = jiff::Timestamp::now();
        }
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
                let theme = Theme::resolve_with(
                    &ctx.root,
                    &site.config.theme,
                    crate::render::AssetOptions { minify: ctx.minify },
                );
                match theme {
                    Ok(mut theme) => {
                        // The same cards are rendered after every save.
                        theme.remember_cards();
                        self.background
                            .submit(Job::Reset(Box::new(copy_site(&site))));
                        let (site, theme) = (Arc::new(site), Arc::new(theme));
                        warm_up(Arc::clone(&site), Arc::clone(&theme), self.notices.clone());
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
fn warm_up(site: Arc<Site>, theme: Arc<Theme>, notices: Sender<Notice>) {
    let n = notices.clone();
    let spawned = std::thread::Builder::new()
        .name("tsunagu-serve-warm-up".into())
        .spawn(move || {
            if let Some(e) = site.entries.first() {
                if let Err(err) = crate::render::render_entry_page(&site, &theme, &e.slug) {
                    // The next save renders the same page and reports it.
                    send(
                        &n,
                        Notice::Degraded(format!("preparing the preview's cards: {err}")),
                    );
                }
            }
        });
    if let Err(e) = spawned {
        send(
            &notices,
            Notice::Degraded(format!(
                "cannot prepare the cards ahead ({e}); the first save takes longer"
            )),
        );
    }
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}
