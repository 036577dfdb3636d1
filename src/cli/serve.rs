//! `tsunagu serve`: build into a preview folder and serve it on loopback.

use super::{report, PortalArgs};
use crate::pipeline::{self, BuildContext};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub portal: PortalArgs,
    /// Address to listen on. Loopback by default: a preview is not a publication.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
}

pub fn run(args: ServeArgs) -> ExitCode {
    let server = match tiny_http::Server::http((args.bind.as_str(), args.port)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "error: cannot listen on {}:{}: {e}\nhelp: choose another port with --port",
                args.bind, args.port
            );
            return ExitCode::FAILURE;
        }
    };
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(args.port);
    let host = if args.bind == "0.0.0.0" {
        "127.0.0.1"
    } else {
        args.bind.as_str()
    };
    let url = format!("http://{host}:{port}/");
    // The preview goes to its own folder so `public/` (what gets
    // published) is never overwritten with a localhost base URL.
    let preview = std::env::temp_dir().join(format!("tsunagu-serve-{}", std::process::id()));
    let now = match BuildContext::now_from_env() {
        Ok(n) => n,
        Err(d) => {
            eprintln!("error: {}", d.message);
            return ExitCode::FAILURE;
        }
    };
    let ctx = BuildContext {
        root: args.portal.root.clone(),
        out: preview.clone(),
        base_url: Some(url.clone()),
        drafts: args.portal.drafts,
        now,
    };
    let outcome = pipeline::build(&ctx);
    report(&outcome.diagnostics, &outcome.sources, args.portal.format);
    if outcome.failed() {
        eprintln!("build failed: fix the errors above and run `tsunagu serve` again");
        return ExitCode::FAILURE;
    }
    eprintln!(
        "serving {} at {url} (Ctrl+C to stop)",
        args.portal.root.display()
    );
    match crate::serve::serve_forever(&server, &preview) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
