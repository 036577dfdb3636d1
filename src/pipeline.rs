//! The build, stage by stage: load → validate → render → index → write.
//!
//! A [`BuildContext`] carries everything a run needs (paths, options,
//! the instant taken as "now"); no stage reads global state.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceMap};
use crate::output::OutputFile;
use crate::output::{self, OutputTarget};
use crate::render::{self, Theme};
use crate::site::Site;
use crate::validate::{self, ValidateOptions};
use crate::{index, load};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Why rendering-and-writing stopped: a template, or the disk.
#[derive(Debug)]
enum StageError {
    Render(render::RenderError),
    Write(output::WriteError),
}

impl From<render::RenderError> for StageError {
    fn from(e: render::RenderError) -> Self {
        StageError::Render(e)
    }
}

impl From<output::WriteError> for StageError {
    fn from(e: output::WriteError) -> Self {
        StageError::Write(e)
    }
}

/// One run's inputs.
#[derive(Debug, Clone)]
pub struct BuildContext {
    /// The portal folder (with `site.toml` and `content/`).
    pub root: PathBuf,
    /// Where the site goes (default `ROOT/public`). Never the portal,
    /// an input folder, `/` or home; a non-empty folder only when an
    /// earlier build wrote it (see [`crate::output::target`]).
    pub out: PathBuf,
    /// Replace `out` even when it is not empty and no build wrote it
    /// (`--force-out`). Default false.
    pub force_out: bool,
    /// Write the compressed copies `[build] precompress` asks for. False
    /// for `--no-precompress` and for serve's preview (a local browser
    /// needs none). Default true.
    pub precompress: bool,
    /// Minify the theme's CSS and JavaScript and the search glue
    /// ([`crate::output::minify`]). False for `--no-minify`, to read them
    /// in the browser's developer tools. Default true.
    pub minify: bool,
    /// Overrides `base_url` from site.toml (e.g. a preview deployment).
    pub base_url: Option<String>,
    /// Build entries marked `draft: true` too.
    pub drafts: bool,
    /// The instant taken as "now": `SOURCE_DATE_EPOCH` when set, so two
    /// builds of the same input are byte-identical.
    pub now: jiff::Timestamp,
    /// Told of each stage and each page written (a redrawn line on a
    /// terminal, nothing in CI: see [`crate::progress`]);
    /// `crate::progress::silent()` when nobody watches.
    pub progress: crate::progress::ProgressHandle,
}

impl BuildContext {
    /// "Now" for a build: `SOURCE_DATE_EPOCH` (seconds) if set and valid,
    /// else the clock.
    pub fn now_from_env() -> Result<jiff::Timestamp, Diagnostic> {
        match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|s| jiff::Timestamp::from_second(s).ok())
                .ok_or_else(|| {
                    Diagnostic::error(Code::ConfigInvalid, format!("SOURCE_DATE_EPOCH=`{v}` is not a number of seconds"))
                        .help("unset it, or set it to e.g. the last commit's time: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)")
                }),
            Err(_) => Ok(jiff::Timestamp::now()),
        }
    }
}

/// What a finished stage reports back.
#[derive(Debug)]
pub struct Outcome {
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
    /// The validated site (absent when validation failed).
    pub site: Option<Site>,
    /// Files written (build only).
    pub written: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// One output stage besides the pages: the validated site in, output
/// files out. The full build runs every stage of [`DATA_STAGES`] beside
/// the page render; `tsunagu serve` runs the same list in the background
/// after a change ([`data_files`]). A new kind of output file that does
/// not depend on the theme is one more entry here, and both pick it up.
pub struct DataStage {
    /// Its name in `--timings` and messages.
    pub name: &'static str,
    /// The diagnostic code when it fails.
    pub code: Code,
    pub run: fn(&Site) -> Result<Vec<OutputFile>, String>,
}

/// Every data stage, in the order their timings are reported.
pub const DATA_STAGES: &[DataStage] = &[
    DataStage {
        name: "index",
        code: Code::IndexFailed,
        run: |site| index::build_index(site).map_err(|e| e.to_string()),
    },
    DataStage {
        name: "feeds",
        code: Code::RenderFailed,
        run: |site| crate::feeds::render(site).map_err(|e| e.to_string()),
    },
    DataStage {
        name: "open data",
        code: Code::RenderFailed,
        run: |site| crate::export::export(site).map_err(|e| e.to_string()),
    },
];

/// What every data stage makes of `site` (for `tsunagu serve`'s
/// background rebuild).
pub fn data_files(site: &Site) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut files = Vec::new();
    for stage in DATA_STAGES {
        files.extend((stage.run)(site).map_err(|e| Diagnostic::error(stage.code, e))?);
    }
    Ok(files)
}

/// The search module, its glue and the offline worker, versioned by
/// `cached`: every other non-HTML output of the build (what the worker
/// caches cache-first), so the full build and serve derive the same id.
pub fn search_assets(cached: &[OutputFile], minify: bool) -> Vec<OutputFile> {
    crate::search_assets::files(&crate::search_assets::build_id(cached), minify)
}

/// Load and validate only (`tsunagu check`).
pub fn check(ctx: &BuildContext) -> Outcome {
    let mut timings = Vec::new();
    ctx.progress.stage("load", None);
    let t = Instant::now();
    let (loaded, load_diags) = match load::load(&ctx.root) {
        Ok(l) => l,
        Err(d) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(d);
            return Outcome {
                diagnostics,
                sources: SourceMap::default(),
                site: None,
                written: 0,
                timings,
            };
        }
    };
    timings.push(("load", t.elapsed()));
    ctx.progress.stage("validate", None);
    let t = Instant::now();
    let validated = validate::validate(
        &loaded,
        &ValidateOptions {
            drafts: ctx.drafts,
            now: ctx.now,
        },
    );
    timings.push(("validate", t.elapsed()));
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(load_diags);
    diagnostics.extend(validated.diagnostics);
    let mut site = validated.site;
    if let (Some(site), Some(url)) = (site.as_mut(), &ctx.base_url) {
        match crate::model::HttpUrl::parse(url) {
            Ok(u) => site.config.base_url = u,
            Err(e) => diagnostics.push(Diagnostic::error(
                Code::ConfigInvalid,
                format!("--base-url: {e}"),
            )),
        }
    }
    // The theme is checked whenever site.toml parses, so it is reported
    // together with any entry errors.
    if let Ok((config, _, _)) = validate::validate_config(&loaded.site_toml) {
        let name = &config.theme;
        let own = ctx.root.join("themes").join(name).is_dir();
        let builtin = render::builtin_names();
        if !own && !builtin.contains(name) {
            diagnostics.push(validate::unknown_theme(&loaded.site_toml, name, &builtin));
        }
    }
    if diagnostics.has_errors() {
        site = None;
    }
    Outcome {
        diagnostics,
        sources: validated.sources,
        site,
        written: 0,
        timings,
    }
}

/// The whole build. On any error nothing is written and the previous
/// output stays as it was.
pub fn build(ctx: &BuildContext) -> Outcome {
    let mut outcome = check(ctx);
    // The source texts are kept only to show snippets of diagnostics; all
    // of them would take as much memory as the content folder through the
    // rest of the build (the later stages report without snippets), so
    // only the files a diagnostic points into are kept (none without
    // diagnostics; at 10,000 generated entries, 3,118 warnings).
    outcome.sources.keep_referenced(&outcome.diagnostics);
    let Some(site) = outcome.site.as_ref() else {
        return outcome;
    };
    // The loaded texts and the parse trees of validation are gone now.
    crate::memory::release_freed();
    let fail = |outcome: &mut Outcome, code: Code, message: String| {
        outcome.diagnostics.push(Diagnostic::error(code, message));
    };
    // Files go to a staging folder as soon as they are made, so the pages
    // are never held in memory together; the staging folder replaces the
    // output only at the end (dropped on any error).
    let staging = match OutputTarget::check(&ctx.root, &ctx.out, ctx.force_out)
        .and_then(|target| output::Staging::new(&target))
    {
        Ok(mut s) => {
            if ctx.precompress {
                s.precompress(
                    &site.config.build.precompress,
                    &crate::search_assets::prepared_copies(),
                );
            }
            for stuck in s.leftovers() {
                outcome.diagnostics.push(
                    Diagnostic::warning(
                        Code::WriteFailed,
                        format!(
                            "cannot remove {}, left by a build that was stopped",
                            stuck.display()
                        ),
                    )
                    .help("remove the folder by hand; it takes disk space, nothing else"),
                );
            }
            s
        }
        Err(output::WriteError::UnsafeTarget { out, reason }) => {
            outcome.diagnostics.push(
                Diagnostic::error(
                    Code::UnsafeOutput,
                    format!(
                        "refusing to build into {}: {reason}; nothing was touched",
                        out.display()
                    ),
                )
                .help(reason.help()),
            );
            return outcome;
        }
        Err(e) => {
            fail(&mut outcome, Code::WriteFailed, e.to_string());
            return outcome;
        }
    };
    let theme = match Theme::resolve_with(
        &ctx.root,
        &site.config.theme,
        crate::render::AssetOptions { minify: ctx.minify },
    ) {
        Ok(t) => t,
        Err(e) => {
            outcome.diagnostics.push(e.diagnostic());
            return outcome;
        }
    };
    // What the service worker caches cache-first (every file but the
    // HTML) decides the build id. Only the paths are kept: the files
    // themselves (the open data and the search index, tens of MB at
    // 10,000 entries) go to staging as soon as they are made and are read
    // back for the id once the pages are done, so they do not sit in
    // memory while the long list pages render (the build's memory peak).
    let cached: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let keep = |f: &OutputFile| {
        if !f.path.ends_with(".html") {
            cached
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(f.path.clone());
        }
    };
    ctx.progress.stage("render", None);
    let put_one = |f: OutputFile| -> Result<(), StageError> {
        staging.put(&f)?;
        ctx.progress.advance(1);
        keep(&f);
        Ok(())
    };
    let put_all = |files: Vec<OutputFile>| -> Result<usize, output::WriteError> {
        files.par_iter().try_for_each(|f| staging.put(f))?;
        files.iter().for_each(keep);
        Ok(files.len())
    };

    // Render (each page written to staging as soon as it is rendered, on
    // every core) while the data stages (search index, calendars and feed,
    // open data) are built alongside: the index builder is single-threaded,
    // so the stages overlap on 2 cores. Timings are each stage's own wall
    // time; the data stages include writing their files.
    let t = Instant::now();
    let (rendered, data) = rayon::join(
        || {
            let r = render::render_site_each(site, &theme, put_one);
            (r, t.elapsed())
        },
        || {
            DATA_STAGES
                .par_iter()
                .map(|stage| {
                    let t = Instant::now();
                    let built = (stage.run)(site);
                    // tantivy's in-memory segments and the documents are
                    // gone; give their memory back before the long list
                    // pages render.
                    crate::memory::release_freed();
                    let written = match built {
                        Ok(files) => put_all(files).map_err(|e| (Code::WriteFailed, e.to_string())),
                        Err(e) => Err((stage.code, e)),
                    };
                    (stage.name, written, t.elapsed())
                })
                .collect::<Vec<_>>()
        },
    );
    let (rendered, render_time) = rendered;
    let mut written = match rendered {
        Ok(n) => n,
        Err(e) => {
            let (code, message) = match e {
                StageError::Render(e) => (Code::RenderFailed, e.to_string()),
                StageError::Write(e) => (Code::WriteFailed, e.to_string()),
            };
            fail(&mut outcome, code, message);
            return outcome;
        }
    };
    // Render includes writing the pages: the two are one pass now.
    outcome.timings.push(("render", render_time));
    for (stage, result, time) in data {
        match result {
            Ok(n) => written += n,
            Err((code, message)) => {
                fail(&mut outcome, code, message);
                return outcome;
            }
        }
        outcome.timings.push((stage, time));
    }
    crate::memory::release_freed();

    ctx.progress.stage("write", None);
    let t = Instant::now();
    let paths = std::mem::take(&mut *cached.lock().unwrap_or_else(|e| e.into_inner()));
    let result = cached_files(&staging, &paths)
        .and_then(|files| put_all(search_assets(&files, ctx.minify)))
        .and_then(|n| {
            written += n;
            staging.commit()
        });
    if let Err(e) = result {
        fail(&mut outcome, Code::WriteFailed, e.to_string());
        return outcome;
    }
    outcome.timings.push(("write", t.elapsed()));
    outcome.written = written;
    outcome
}

/// The staged files at `paths`, read back (for the build id).
fn cached_files(
    staging: &output::Staging,
    paths: &[String],
) -> Result<Vec<OutputFile>, output::WriteError> {
    paths
        .par_iter()
        .map(|path| {
            Ok(OutputFile {
                path: path.clone(),
                bytes: staging.read(path)?,
            })
        })
        .collect()
}
