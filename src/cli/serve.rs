//! `tsunagu serve`: build into a preview folder, serve it on loopback,
//! rebuild when a file changes and reload the open tabs.

use super::{report, PortalArgs};
use crate::diagnostics::{self, Format};
use crate::pipeline::{self, BuildContext, Outcome};
use crate::serve::Live;
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub portal: PortalArgs,
    /// Address to listen on. Loopback by default: a preview is not a publication.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Port (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Serve once without watching for changes.
    #[arg(long)]
    pub no_watch: bool,
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
    let ctx = BuildContext {
        root: args.portal.root.clone(),
        out: preview.clone(),
        base_url: Some(url.clone()),
        drafts: args.portal.drafts,
        now: jiff::Timestamp::now(),
        progress: crate::progress::silent(),
    };
    let outcome = rebuild(&ctx, args.portal.format);
    if outcome.failed() {
        eprintln!("build failed: fix the errors above and run `tsunagu serve` again");
        return ExitCode::FAILURE;
    }
    let live = Live::default();
    if !args.no_watch {
        if let Err(e) = spawn_watcher(ctx.clone(), args.portal.format, live.clone()) {
            eprintln!(
                "warning: cannot watch {} for changes ({e}); serving without live reload",
                ctx.root.display()
            );
        }
    }
    eprintln!(
        "serving {} at {url} (Ctrl+C to stop)",
        args.portal.root.display()
    );
    if args.open {
        open_browser(&url);
    }
    let live_ref = (!args.no_watch).then_some(&live);
    match crate::serve::serve_forever(&server, &preview, live_ref) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn rebuild(ctx: &BuildContext, format: Format) -> Outcome {
    let mut ctx = ctx.clone();
    ctx.now = jiff::Timestamp::now();
    let started = Instant::now();
    let outcome = pipeline::build(&ctx);
    report(&outcome.diagnostics, &outcome.sources, format);
    if !outcome.failed() {
        eprintln!("rebuilt in {} ms", started.elapsed().as_millis());
    }
    outcome
}

/// Watches the portal's inputs; on a change (debounced), rebuilds and
/// tells the tabs to reload, or shows the error while keeping the last
/// good site.
fn spawn_watcher(ctx: BuildContext, format: Format, live: Live) -> notify::Result<()> {
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    let root = &ctx.root;
    watcher.watch(&root.join("site.toml"), RecursiveMode::NonRecursive)?;
    for dir in ["content", "templates", "static", "themes"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    std::thread::spawn(move || {
        // Keep the watcher alive as long as this thread runs.
        let _watcher = watcher;
        while let Ok(first) = rx.recv() {
            if !relevant(&first, &ctx.out) {
                continue;
            }
            // Editors save several files (and swap files) at once: wait
            // for a quiet moment before rebuilding.
            while rx.recv_timeout(Duration::from_millis(80)).is_ok() {}
            let outcome = rebuild(&ctx, format);
            if outcome.failed() {
                let mut text = Vec::new();
                let shown = diagnostics::emit(
                    &mut text,
                    &outcome.diagnostics,
                    &outcome.sources,
                    Format::Human,
                    false,
                );
                let text = match shown {
                    Ok(()) => String::from_utf8_lossy(&text).into_owned(),
                    Err(e) => format!("build failed ({e})"),
                };
                live.error(&text);
            } else {
                live.reload();
            }
        }
    });
    Ok(())
}

/// Ignores events for the output folder and editor temp files.
fn relevant(event: &notify::Result<notify::Event>, out: &Path) -> bool {
    let Ok(event) = event else { return true };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p: &PathBuf| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        !p.starts_with(out)
            && !name.starts_with('.')
            && !name.ends_with('~')
            && !name.ends_with(".swp")
    })
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("note: could not open a browser ({e}); open {url} yourself");
    }
}
