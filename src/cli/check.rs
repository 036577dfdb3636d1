//! `tsunagu check`

use super::{report, PortalArgs};
use crate::diagnostics::Format;
use crate::pipeline::{self, BuildContext};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub portal: PortalArgs,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let now = match super::now_or_exit(args.portal.format) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let ctx = BuildContext {
        out: args.portal.root.join("public"),
        force_out: false,
        precompress: false,
        minify: true,
        root: args.portal.root,
        base_url: None,
        drafts: args.portal.drafts,
        now,
        progress: crate::progress::silent(),
    };
    let outcome = pipeline::check(&ctx);
    report(&outcome.diagnostics, &outcome.sources, args.portal.format);
    if outcome.failed() {
        return ExitCode::FAILURE;
    }
    if args.portal.format == Format::Human {
        let entries = outcome.site.as_ref().map(|s| s.entries.len()).unwrap_or(0);
        eprintln!(
            "ok: {}, {} warning(s)",
            super::count(entries, "entry", "entries"),
            outcome.diagnostics.warning_count()
        );
    }
    ExitCode::SUCCESS
}
