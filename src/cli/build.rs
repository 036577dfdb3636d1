//! `tsunagu build`

use super::{report, PortalArgs};
use crate::diagnostics::Format;
use crate::pipeline::{self, BuildContext};
use crate::progress;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub portal: PortalArgs,
    /// Output folder (default: ROOT/public). It is replaced whole, so it
    /// may not be the portal, an input folder (content/, templates/,
    /// static/, themes/), `/` or your home folder, and a folder that is not
    /// empty is replaced only when an earlier build wrote it.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder even though it is not empty and no
    /// tsunagu build wrote it (everything in it is deleted).
    #[arg(long)]
    pub force_out: bool,
    /// Write no compressed copies (.br, .gz) this time, whatever site.toml's
    /// `[build] precompress` says.
    #[arg(long)]
    pub no_precompress: bool,
    /// Copy the theme's CSS and JavaScript as written instead of minified
    /// (to read them in the browser's developer tools).
    #[arg(long)]
    pub no_minify: bool,
    /// Publish under this URL instead of site.toml's base_url.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print how long each stage took (load, validate, render, index, write).
    #[arg(long)]
    pub timings: bool,
    /// Print only problems: no progress line, no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(args: BuildArgs) -> ExitCode {
    let now = match super::now_or_exit(args.portal.format) {
        Ok(n) => n,
        Err(code) => return code,
    };
    // On a terminal a redrawn line shows the stage and count; in CI, in a
    // log, with TERM=dumb or --quiet nothing (see crate::progress).
    let progress = progress::for_stderr(args.quiet);
    let ctx = BuildContext {
        out: args.out.unwrap_or_else(|| args.portal.root.join("public")),
        force_out: args.force_out,
        precompress: !args.no_precompress,
        minify: !args.no_minify,
        root: args.portal.root,
        base_url: args.base_url,
        drafts: args.portal.drafts,
        now,
        progress: progress.clone(),
    };
    let started = std::time::Instant::now();
    let outcome = pipeline::build(&ctx);
    // Wall time: stages overlap (render and index run together), so the
    // sum of --timings is more than the build took.
    let took = started.elapsed();
    // Cleared before anything else is printed on stderr.
    progress.finish();
    report(&outcome.diagnostics, &outcome.sources, args.portal.format);
    if outcome.failed() {
        if args.portal.format == Format::Human {
            eprintln!(
                "build failed: nothing was written; {} is unchanged",
                ctx.out.display()
            );
        }
        return ExitCode::FAILURE;
    }
    if args.portal.format == Format::Human && !args.quiet {
        let entries = outcome.site.as_ref().map(|s| s.entries.len()).unwrap_or(0);
        eprintln!(
            "built {} into {} ({} files) in {:.0} ms",
            super::count(entries, "entry", "entries"),
            ctx.out.display(),
            outcome.written,
            took.as_secs_f64() * 1000.0
        );
    }
    if args.timings {
        for (stage, took) in &outcome.timings {
            eprintln!("  {stage:<9} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    ExitCode::SUCCESS
}
