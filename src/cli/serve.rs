//! `tsunagu serve`: build into a preview folder, serve it on loopback,
//! rebuild what changed when a file changes (see [`crate::serve`])
//! and reload the open tabs.

use super::{report, PortalArgs};
use crate::diagnostics::{self, Format};
use crate::pipeline::BuildContext;
use crate::serve::{classify_path, Notice, PathClass, Preview, Written};
use crate::serve::{Limits, Live, PreviewServer};
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
    /// Serve the theme's CSS and JavaScript as written instead of minified
    /// (to read them in the browser's developer tools).
    #[arg(long)]
    pub no_minify: bool,
}

pub fn run(args: ServeArgs) -> ExitCode {
    let server = match PreviewServer::bind(&args.bind, args.port) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "error: cannot listen on {}:{}: {e}\nhelp: choose another port with --port",
                args.bind, args.port
            );
            return ExitCode::FAILURE;
        }
    };
    let addr = server.local_addr();
    // The address the pages are built for: the one a browser here uses.
    let url = if addr.ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", addr.port())
    } else {
        format!("http://{addr}/")
    };
    if server.reachable_from_network() {
        eprintln!(
            "warning: listening on {addr}: the preview (drafts included) can be opened by anyone on this network, not only on this computer; use the default --bind 127.0.0.1 unless that is what you want"
        );
        if addr.ip().is_unspecified() {
            eprintln!("note: from another device, open http://<this computer's address>:{}/ ; links in the preview point at {url}", addr.port());
        }
    }
    // The preview goes to its own folder so `public/` (what gets
    // published) is never overwritten with a localhost base URL.
    let preview = std::env::temp_dir().join(format!("tsunagu-serve-{}", std::process::id()));
    // On a thread: thousands of old files must not delay the preview.
    let tmp = std::env::temp_dir();
    if let Err(e) = std::thread::Builder::new()
        .name("tsunagu-serve-cleanup".into())
        .spawn(move || remove_stale_previews(&tmp))
    {
        eprintln!("note: old preview folders are not removed this time ({e})");
    }
    // Progress on a terminal for the first build only: `finish` turns the
    // handle off for the rebuilds (see crate::progress).
    let progress = crate::progress::for_stderr(false);
    // SOURCE_DATE_EPOCH fixes "today" for the preview as for a build.
    let now = match super::now_or_exit(args.portal.format) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let ctx = BuildContext {
        root: args.portal.root.clone(),
        out: preview.clone(),
        force_out: false,
        precompress: false,
        minify: !args.no_minify,
        base_url: Some(url.clone()),
        drafts: args.portal.drafts,
        now,
        progress: progress.clone(),
    };
    let mut preview_state = Preview::new(ctx.clone());
    if std::env::var_os("SOURCE_DATE_EPOCH").is_some() {
        preview_state = preview_state.with_fixed_clock();
    }
    if let Some(notices) = preview_state.notices() {
        let spawned = std::thread::Builder::new()
            .name("tsunagu-serve-notices".into())
            .spawn(move || {
                for notice in notices {
                    eprintln!("{}", notice_line(&notice));
                }
            });
        if let Err(e) = spawned {
            eprintln!("note: background messages are not shown ({e})");
        }
    }
    let first = preview_state.full("(起動)");
    progress.finish();
    report(&first.diagnostics, &first.sources, args.portal.format);
    if first.banner.is_some() {
        eprintln!("build failed: fix the errors above and run `tsunagu serve` again");
        return ExitCode::FAILURE;
    }
    eprintln!("built in {} ms", first.elapsed.as_millis());
    let live = Live::default();
    if !args.no_watch {
        if let Err(e) = spawn_watcher(preview_state, args.portal.format, live.clone()) {
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
    match server.serve_forever(&preview, live_ref.cloned(), Limits::default()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The terminal line for what the preview's background threads report.
fn notice_line(notice: &Notice) -> String {
    match notice {
        Notice::DataUpdated { written, elapsed } => format!(
            "検索インデックス・データ更新: {written} ファイル ({} ms)",
            elapsed.as_millis()
        ),
        Notice::DataFailed(e) => {
            format!("検索インデックス: 更新できませんでした (search index not updated): {e}")
        }
        Notice::Degraded(e) => format!("note: {e}"),
    }
}

/// How long the files must stay quiet before a rebuild starts: editors
/// write a file in several steps (truncate + write, or write a temporary
/// file and rename it over the original, with backup files around it),
/// all within a few milliseconds.
const QUIET: Duration = Duration::from_millis(30);
/// A rebuild starts at the latest this long after the first event, even
/// if files keep changing (a `git checkout` of many files).
const MAX_WAIT: Duration = Duration::from_millis(1000);

/// Watches the portal's inputs; on a change (debounced), rebuilds what
/// changed and tells the tabs to reload, or shows the error while
/// keeping the last good site.
fn spawn_watcher(mut preview: Preview, format: Format, live: Live) -> notify::Result<()> {
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    // Events carry absolute paths under what was watched: watch the
    // canonical root so they can be matched against it.
    let root = preview
        .context()
        .root
        .canonicalize()
        .unwrap_or_else(|_| preview.context().root.clone());
    let out = preview
        .context()
        .out
        .canonicalize()
        .unwrap_or_else(|_| preview.context().out.clone());
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
            let mut batch: Vec<PathClass> = Vec::new();
            collect(&first, &root, &out, &mut batch);
            let started = Instant::now();
            loop {
                let left = MAX_WAIT.saturating_sub(started.elapsed());
                if left.is_zero() {
                    break;
                }
                match rx.recv_timeout(QUIET.min(left)) {
                    Ok(event) => collect(&event, &root, &out, &mut batch),
                    Err(_) => break,
                }
            }
            let mut early = false;
            let mut on_written = |w: Written| {
                early = true;
                match &w.banner {
                    Some((diags, sources)) => live.error(&banner_text(diags, sources)),
                    None => live.clear_error(),
                }
                live.reload_pages(&w.pages);
            };
            let Some(result) = preview.apply(&batch, &mut on_written) else {
                continue;
            };
            report(&result.diagnostics, &result.sources, format);
            eprintln!("{}", result.line());
            if std::env::var_os("TSUNAGU_SERVE_TIMINGS").is_some() && !result.timings.is_empty() {
                let parts: Vec<String> = result
                    .timings
                    .iter()
                    .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
                    .collect();
                eprintln!("  timings: {}", parts.join(", "));
            }
            match &result.banner {
                Some((diags, sources)) => {
                    let text = banner_text(diags, sources);
                    if result.full && result.changed {
                        // Reload for the part that did change, and keep
                        // the banner for what is still broken.
                        live.reload_with_error(&text);
                    } else {
                        live.error(&text);
                    }
                }
                // Every page may have changed.
                None if result.full => live.reload(),
                // Pages were reloaded as they were written.
                None if early => {}
                // Nothing changed on disk (the same text saved again, or
                // a fix back to the last good text): clear any banner.
                None if live.has_error() => live.reload(),
                None => {}
            }
        }
    });
    Ok(())
}

/// Removes the preview folders of earlier `tsunagu serve` runs that are no
/// longer running (stopped with Ctrl+C, the folder stays behind): at
/// 10,000 entries each is 200 MB. Where there is no `/proc` to ask whether
/// a process runs, nothing is removed.
fn remove_stale_previews(tmp: &Path) {
    let proc_fs = Path::new("/proc");
    if !proc_fs.join("self").exists() {
        return;
    }
    let Ok(items) = std::fs::read_dir(tmp) else {
        return;
    };
    for item in items.filter_map(Result::ok) {
        let name = item.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("tsunagu-serve-")
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || proc_fs.join(pid.to_string()).exists() {
            continue;
        }
        if let Err(e) = std::fs::remove_dir_all(item.path()) {
            eprintln!(
                "note: could not remove an old preview folder {}: {e}",
                item.path().display()
            );
        }
    }
}

/// The banner's text: the diagnostics as `tsunagu check` prints them.
fn banner_text(
    diags: &crate::diagnostics::Diagnostics,
    sources: &crate::diagnostics::SourceMap,
) -> String {
    let mut text = Vec::new();
    match diagnostics::emit(&mut text, diags, sources, Format::Human, false) {
        Ok(()) => String::from_utf8_lossy(&text).into_owned(),
        Err(e) => format!("build failed ({e})"),
    }
}

/// Adds the paths of one watcher event to the batch. A watcher error
/// (events were lost, e.g. the kernel queue overflowed) rebuilds everything.
fn collect(
    event: &notify::Result<notify::Event>,
    root: &Path,
    out: &Path,
    batch: &mut Vec<PathClass>,
) {
    let event = match event {
        Ok(e) => e,
        Err(e) => {
            eprintln!("note: file watcher: {e}; rebuilding everything");
            batch.push(PathClass::Full(PathBuf::from("(watcher)")));
            return;
        }
    };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return;
    }
    let is_dir = matches!(
        event.kind,
        notify::EventKind::Create(notify::event::CreateKind::Folder)
            | notify::EventKind::Remove(notify::event::RemoveKind::Folder)
    );
    for p in &event.paths {
        let class = classify_path(root, out, p, is_dir);
        if class != PathClass::Ignore && !batch.contains(&class) {
            batch.push(class);
        }
    }
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
