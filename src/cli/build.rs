//! `tsunagu build`

use super::{report, PortalArgs};
use crate::diagnostics::{Diagnostics, Format, SourceMap};
use crate::pipeline::{self, BuildContext};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub portal: PortalArgs,
    /// Output folder (default: ROOT/public).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Publish under this URL instead of site.toml's base_url.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print how long each stage took (load, validate, render, index, write).
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: BuildArgs) -> ExitCode {
    let now = match BuildContext::now_from_env() {
        Ok(n) => n,
        Err(d) => {
            let mut diags = Diagnostics::default();
            diags.push(d);
            report(&diags, &SourceMap::default(), args.portal.format);
            return ExitCode::FAILURE;
        }
    };
    let ctx = BuildContext {
        out: args.out.unwrap_or_else(|| args.portal.root.join("public")),
        root: args.portal.root,
        base_url: args.base_url,
        drafts: args.portal.drafts,
        now,
    };
    let outcome = pipeline::build(&ctx);
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
    if args.portal.format == Format::Human {
        let entries = outcome.site.as_ref().map(|s| s.entries.len()).unwrap_or(0);
        let total: f64 = outcome.timings.iter().map(|(_, d)| d.as_secs_f64()).sum();
        eprintln!(
            "built {entries} entries into {} ({} files) in {:.0} ms",
            ctx.out.display(),
            outcome.written,
            total * 1000.0
        );
    }
    if args.timings {
        for (stage, took) in &outcome.timings {
            eprintln!("  {stage:<9} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    ExitCode::SUCCESS
}
