//! Save-to-reload benchmark for `tsunagu serve`: how long after an editor
//! saves one entry the open tab gets the reload event, and how long until
//! the reloaded page shows the new text. See docs/benchmarks.md.
//!
//! Uses the synthetic portal of the build benchmark (examples/bench.rs
//! generates it into /tmp/tsunagu-bench/portal-N-g1), copied to a scratch
//! folder so the cached portal is never edited.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const HELP: &str = "\
Save-to-reload benchmark for `tsunagu serve`.

USAGE:
    scripts/bench-serve.sh [OPTIONS]
    cargo run --release --example serve_bench -- [OPTIONS]

OPTIONS:
    --entries N        portal size (default 10000); the portal is
                       WORK/portal-N-g1 from the build benchmark
    --runs N           timed saves (default 20), after 2 untimed ones
    --work DIR         where the build benchmark keeps its portals
                       (default /tmp/tsunagu-bench)
    --bin FILE         the tsunagu binary (default target/release/tsunagu)
    --kind FOLDER      which entries to edit: centers (default), events,
                       organizations, cafeterias, pages
    --markdown FILE    write the results between <!-- serve-bench:start -->
                       and <!-- serve-bench:end --> in FILE
    --in-process       no server: time the incremental rebuild itself
                       (tsunagu::serve::Preview) and render_affected
                       alone, to see where the time goes
    -h, --help         this text
";

struct Options {
    entries: usize,
    runs: usize,
    work: PathBuf,
    bin: PathBuf,
    kind: String,
    markdown: Option<PathBuf>,
    in_process: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        entries: 10_000,
        runs: 20,
        work: PathBuf::from("/tmp/tsunagu-bench"),
        bin: PathBuf::from("target/release/tsunagu"),
        kind: "centers".into(),
        markdown: None,
        in_process: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--entries" => o.entries = value()?.parse().map_err(|e| format!("--entries: {e}"))?,
            "--runs" => o.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--work" => o.work = value()?.into(),
            "--bin" => o.bin = value()?.into(),
            "--kind" => o.kind = value()?,
            "--markdown" => o.markdown = Some(value()?.into()),
            "--in-process" => o.in_process = true,
            "-h" | "--help" => {
                print!("{HELP}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option {other}\n\n{HELP}")),
        }
    }
    if o.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(o)
}

fn main() -> ExitCode {
    match parse_args().and_then(|o| run(&o)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The server under test; killed when dropped.
struct Server {
    child: Child,
    addr: String,
    log: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Err(e) = self.child.kill() {
            eprintln!("note: stopping the server: {e}");
        }
        if let Err(e) = self.child.wait() {
            eprintln!("note: waiting for the server: {e}");
        }
    }
}

struct Sample {
    /// Save → the `reload` event naming the entry's page.
    reload: Duration,
    /// Save → its page served with the new text.
    page: Duration,
    /// Save → the list of its kind served with the new text.
    list: Duration,
    /// The server's own line, e.g. `更新: … → 27 ページ (41 ms)`.
    line: String,
}

fn run(o: &Options) -> Result<(), String> {
    let portal = o.work.join(format!("portal-{}-g1", o.entries));
    if !portal.join("site.toml").is_file() {
        return Err(format!(
            "no portal at {}; generate it with the build benchmark first:\n  scripts/bench.sh --sizes {} --runs 1 --no-competitors",
            portal.display(),
            o.entries
        ));
    }
    if !o.bin.is_file() {
        return Err(format!(
            "no binary at {}; run `cargo build --release --bin tsunagu`",
            o.bin.display()
        ));
    }
    let scratch = o.work.join(format!("serve-bench-{}", std::process::id()));
    let copy = scratch.join("portal");
    eprint!("copying the {}-entry portal … ", o.entries);
    copy_dir(&portal, &copy).map_err(|e| format!("copying {}: {e}", portal.display()))?;
    eprintln!("done");
    if o.in_process {
        let result = in_process(o, &scratch, &copy);
        if let Err(e) = std::fs::remove_dir_all(&scratch) {
            eprintln!("note: could not remove {}: {e}", scratch.display());
        }
        return result;
    }
    let result = measure(o, &scratch, &copy);
    if let Err(e) = std::fs::remove_dir_all(&scratch) {
        eprintln!("note: could not remove {}: {e}", scratch.display());
    }
    let (samples, startup, load_before, load_after, background, first) = result?;
    let text = report(
        o,
        &samples,
        startup,
        &load_before,
        &load_after,
        &background,
        first,
    );
    print!("{text}");
    if let Some(path) = &o.markdown {
        write_section(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote the results into {}", path.display());
    }
    Ok(())
}

/// The incremental rebuild without the server, watcher and HTTP: each
/// stage's time, and `render_affected` on its own.
fn in_process(o: &Options, scratch: &Path, portal: &Path) -> Result<(), String> {
    use tsunagu::serve::{PathClass, Preview};
    let entry = pick_entry(portal, &o.kind)?;
    let rel = entry
        .strip_prefix(portal)
        .map_err(|e| e.to_string())?
        .to_path_buf();
    let original =
        std::fs::read_to_string(&entry).map_err(|e| format!("{}: {e}", entry.display()))?;
    let ctx = tsunagu::pipeline::BuildContext {
        root: portal.to_path_buf(),
        out: scratch.join("out"),
        force_out: false,
        precompress: false,
        minify: true,
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
        now: jiff::Timestamp::now(),
        progress: tsunagu::progress::silent(),
    };
    let mut preview = Preview::new(ctx);
    let t = Instant::now();
    let first = preview.full("(start)");
    eprintln!(
        "full build: {} ms, {} files",
        t.elapsed().as_millis(),
        first.written
    );
    let mut stages: std::collections::BTreeMap<&str, Vec<u128>> = Default::default();
    for i in 0..o.runs + 2 {
        let text = with_marker(&original, &format!("計測{i:03}"))?;
        std::fs::write(&entry, &text).map_err(|e| format!("{}: {e}", entry.display()))?;
        let t = Instant::now();
        let mut steps: Vec<u128> = Vec::new();
        let report = preview
            .apply(&[PathClass::Entry(rel.clone())], &mut |_| {
                steps.push(t.elapsed().as_millis())
            })
            .ok_or("no report")?;
        let total = t.elapsed().as_millis();
        if i < 2 {
            continue;
        }
        stages.entry("total").or_default().push(total);
        for (name, ms) in ["entry page in place", "all pages in place"]
            .iter()
            .zip(&steps)
        {
            stages.entry(name).or_default().push(*ms);
        }
        for (name, d) in &report.timings {
            stages.entry(name).or_default().push(d.as_millis());
        }
        // Only render_affected, on the same site and theme.
        let site = preview.site().ok_or("no site")?;
        let theme = tsunagu::render::Theme::resolve(portal, &site.config.theme)
            .map_err(|e| e.to_string())?;
        let e = site
            .entries
            .iter()
            .find(|e| e.source == rel)
            .ok_or("entry not in the site")?;
        let t = Instant::now();
        let affected = tsunagu::render::render_affected(&site, &theme, Some(e), Some(e))
            .map_err(|e| e.to_string())?;
        stages
            .entry("render_affected alone")
            .or_default()
            .push(t.elapsed().as_millis());
        stages
            .entry("pages")
            .or_default()
            .push(affected.files.len() as u128);
        // Let the background index run finish so runs do not overlap.
        std::thread::sleep(Duration::from_millis(200));
        while preview.background_busy() {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    // For a profiler: `render_affected` alone, over and over.
    if let Some(n) = std::env::var("SERVE_BENCH_RENDER_LOOP")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let site = preview.site().ok_or("no site")?;
        let theme = tsunagu::render::Theme::resolve(portal, &site.config.theme)
            .map_err(|e| e.to_string())?;
        let e = site
            .entries
            .iter()
            .find(|e| e.source == rel)
            .ok_or("entry not in the site")?;
        eprintln!("render loop starts");
        let entry_only = std::env::var_os("SERVE_BENCH_LOOP_ENTRY_PAGE").is_some();
        for _ in 0..n {
            if entry_only {
                tsunagu::render::render_entry_page(&site, &theme, &e.slug)
                    .map_err(|e| e.to_string())?;
            } else {
                tsunagu::render::render_affected(&site, &theme, Some(e), Some(e))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    std::fs::write(&entry, &original).map_err(|e| format!("{}: {e}", entry.display()))?;
    println!(
        "in-process, {} entries, {} runs, load average {}:",
        o.entries,
        o.runs,
        loadavg()
    );
    for (name, mut v) in stages {
        v.sort_unstable();
        println!(
            "  {name:24} median {:5}  p95 {:5}  (ms, or count)",
            percentile(&v, 50.0),
            percentile(&v, 95.0)
        );
    }
    Ok(())
}

/// Samples, the first build's time, load before and after, background
/// times, and the first save after the start (page, list).
type Measured = (
    Vec<Sample>,
    Duration,
    String,
    String,
    Vec<u128>,
    Option<(u128, u128)>,
);

fn measure(o: &Options, scratch: &Path, portal: &Path) -> Result<Measured, String> {
    let entry = pick_entry(portal, &o.kind)?;
    let original =
        std::fs::read_to_string(&entry).map_err(|e| format!("{}: {e}", entry.display()))?;
    let url_path = format!(
        "/{}/{}/",
        o.kind,
        entry
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    let list_path = format!("/{}/", o.kind);
    let load_before = loadavg();
    let started = Instant::now();
    let server = start(&o.bin, portal, scratch)?;
    let startup = started.elapsed();
    eprintln!(
        "server up at {} after {} ms (full build); editing {}",
        server.addr,
        startup.as_millis(),
        entry.display()
    );
    // The first full build's search index is written; let the machine settle.
    std::thread::sleep(Duration::from_millis(500));
    let events = subscribe(&server.addr)?;
    wait_line(&events, ": connected", Duration::from_secs(10))?;

    let mut samples = Vec::new();
    let mut background = Vec::new();
    let mut first = None;
    let warmups = 2;
    for i in 0..warmups + o.runs {
        let marker = format!("計測{i:03}");
        let text = with_marker(&original, &marker)?;
        // Drop anything older than this save.
        while events.try_recv().is_ok() {}
        while server.log.try_recv().is_ok() {}
        let t0 = Instant::now();
        std::fs::write(&entry, &text).map_err(|e| format!("{}: {e}", entry.display()))?;
        wait_reload(&events, &url_path, Duration::from_secs(60))?;
        let reload = t0.elapsed();
        // What the reloading tab does next: fetch the page.
        let page = fetch_until(&server.addr, &url_path, &marker, t0)?;
        // A tab showing the list of the entry's kind reloads next.
        wait_reload(&events, &list_path, Duration::from_secs(60))?;
        let list = fetch_until(&server.addr, &list_path, &marker, t0)?;
        let line = wait_log(&server.log, "更新:", Duration::from_secs(30))?;
        // Let the background search-index update finish, as it would
        // between two saves of a person, and note how long it took.
        let bg = wait_log(&server.log, "検索インデックス", Duration::from_secs(120))?;
        if let Some(ms) = bg
            .rsplit('(')
            .next()
            .and_then(|s| s.trim_end_matches(" ms)").trim().parse::<u128>().ok())
        {
            background.push(ms);
        }
        if i == 0 {
            first = Some((page.as_millis(), list.as_millis()));
        }
        if i >= warmups {
            eprintln!(
                "run {:2}: reload event {:4} ms, page {:4} ms, list {:4} ms  [{line}]",
                i - warmups + 1,
                reload.as_millis(),
                page.as_millis(),
                list.as_millis()
            );
            samples.push(Sample {
                reload,
                page,
                list,
                line,
            });
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    std::fs::write(&entry, &original).map_err(|e| format!("{}: {e}", entry.display()))?;
    let load_after = loadavg();
    drop(server);
    Ok((samples, startup, load_before, load_after, background, first))
}

/// A mid-list entry of the kind (not the first, whose neighbours are few).
fn pick_entry(portal: &Path, kind: &str) -> Result<PathBuf, String> {
    let dir = portal.join("content").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
        .get(files.len() / 2)
        .cloned()
        .ok_or_else(|| format!("no .md entries in {}", dir.display()))
}

/// The entry with `marker` appended to its `name:` (or `title:`).
fn with_marker(text: &str, marker: &str) -> Result<String, String> {
    let mut done = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if !done && (l.starts_with("name: ") || l.starts_with("title: ")) {
                done = true;
                format!("{l} {marker}")
            } else {
                l.to_string()
            }
        })
        .collect();
    if !done {
        return Err("the entry has no `name:` line".into());
    }
    Ok(out.join("\n") + "\n")
}

fn start(bin: &Path, portal: &Path, tmp: &Path) -> Result<Server, String> {
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(portal)
        .env("NO_COLOR", "1")
        .env("TMPDIR", tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting {}: {e}", bin.display()))?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .map_err(|_| "the server did not start within 5 minutes".to_string())?;
        if let Some(rest) = line.split("at http://").nth(1) {
            let addr = rest.split('/').next().unwrap_or_default().to_string();
            return Ok(Server {
                child,
                addr,
                log: rx,
            });
        }
        if line.contains("build failed") {
            return Err(format!("the first build failed: {line}"));
        }
    }
}

/// The event stream, line by line, read on a thread.
fn subscribe(addr: &str) -> Result<Receiver<String>, String> {
    let mut s = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
    write!(s, "GET /__tsunagu/events HTTP/1.1\r\nHost: {addr}\r\n\r\n")
        .map_err(|e| format!("subscribe: {e}"))?;
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Ok(rx)
}

fn wait_line(rx: &Receiver<String>, needle: &str, limit: Duration) -> Result<String, String> {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return Ok(line),
            Ok(_) => {}
            Err(_) => return Err(format!("no `{needle}` within {} s", limit.as_secs())),
        }
    }
}

/// Waits for a `reload` event that reloads a tab showing `page`.
fn wait_reload(rx: &Receiver<String>, page: &str, limit: Duration) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    let quoted = format!("\"{page}\"");
    let mut after_reload = false;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if after_reload && (line == "data: ok" || line.contains(&quoted)) {
                    return Ok(());
                }
                after_reload = line == "event: reload";
            }
            Err(_) => return Err(format!("no reload of {page} within {} s", limit.as_secs())),
        }
    }
}

/// GETs `path` until the body contains `marker`; the time since `t0`.
fn fetch_until(addr: &str, path: &str, marker: &str, t0: Instant) -> Result<Duration, String> {
    loop {
        let body = get(addr, path)?;
        if body.contains(marker) {
            return Ok(t0.elapsed());
        }
        if t0.elapsed() > Duration::from_secs(60) {
            return Err(format!("{path} never showed {marker}"));
        }
    }
}

fn wait_log(rx: &Receiver<String>, prefix: &str, limit: Duration) -> Result<String, String> {
    let deadline = Instant::now() + limit;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.starts_with(prefix) => return Ok(line),
            Ok(line) => seen.push(line),
            Err(_) => {
                return Err(format!(
                    "the server printed no `{prefix}` line within {} s; it printed {seen:?}",
                    limit.as_secs()
                ))
            }
        }
    }
}

/// One GET with a fresh connection, as a reloading tab does; the body.
fn get(addr: &str, path: &str) -> Result<String, String> {
    let mut s = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("GET {path}: {e}"))?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)
        .map_err(|e| format!("GET {path}: {e}"))?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    for item in walkdir::WalkDir::new(from) {
        let item = item.map_err(std::io::Error::other)?;
        let rel = item
            .path()
            .strip_prefix(from)
            .map_err(std::io::Error::other)?;
        let target = to.join(rel);
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if item.file_type().is_file() {
            std::fs::copy(item.path(), &target)?;
        }
    }
    Ok(())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

fn machine() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| format!("{:.1} GB RAM", kb * 1024.0 / 1e9))
        .unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem}, Linux {kernel}")
}

fn percentile(sorted_ms: &[u128], p: f64) -> u128 {
    if sorted_ms.is_empty() {
        return 0;
    }
    // Nearest rank.
    let rank = ((p / 100.0) * sorted_ms.len() as f64).ceil() as usize;
    sorted_ms[rank.clamp(1, sorted_ms.len()) - 1]
}

fn report(
    o: &Options,
    samples: &[Sample],
    startup: Duration,
    load_before: &str,
    load_after: &str,
    background: &[u128],
    first: Option<(u128, u128)>,
) -> String {
    let mut reload: Vec<u128> = samples.iter().map(|s| s.reload.as_millis()).collect();
    let mut page: Vec<u128> = samples.iter().map(|s| s.page.as_millis()).collect();
    let mut list: Vec<u128> = samples.iter().map(|s| s.list.as_millis()).collect();
    list.sort_unstable();
    reload.sort_unstable();
    page.sort_unstable();
    let mut bg = background.to_vec();
    bg.sort_unstable();
    let pages: Vec<usize> = samples
        .iter()
        .filter_map(|s| {
            s.line
                .split('→')
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .and_then(|n| n.parse().ok())
        })
        .collect();
    let server_ms: Vec<u128> = {
        let mut v: Vec<u128> = samples
            .iter()
            .filter_map(|s| {
                s.line
                    .rsplit('(')
                    .next()
                    .and_then(|r| r.trim_end_matches(" ms)").trim().parse().ok())
            })
            .collect();
        v.sort_unstable();
        v
    };
    let verdict = |ms: u128| if ms < 200 { "met" } else { "missed" };
    let target = format!(
        "median {}, p95 {}",
        verdict(percentile(&page, 50.0)),
        verdict(percentile(&page, 95.0))
    );
    let when = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let mut t = String::new();
    t.push_str("## Save to reload in `tsunagu serve`\n\n");
    t.push_str("_This section is written by `scripts/bench-serve.sh`; rerun it instead of editing by hand._\n\n");
    t.push_str("**Target:** at 10,000 entries, under 200 ms from saving one entry to the reloaded page showing the change.\n\n");
    t.push_str(&format!(
        "**Command:** `scripts/bench-serve.sh --entries {} --runs {}{}`\n\n",
        o.entries,
        o.runs,
        o.markdown
            .as_ref()
            .map(|p| format!(" --markdown {}", p.display()))
            .unwrap_or_default()
    ));
    t.push_str(&format!(
        "**Measured:** {when} on {}; load average (1, 5, 15 min) {load_before} before, {load_after} after. Release build ({}; checkout at {}).\n\n",
        machine(),
        o.bin.display(),
        checkout()
    ));
    t.push_str(&format!(
        "**What:** the build benchmark's synthetic {}-entry portal (copied to a scratch folder), served by `tsunagu serve --port 0`; one client holds the live-reload event stream open. Each run rewrites one entry of `content/{}/` with a new marker in its `name:` and measures from just before the write to (a) the `reload` event naming the entry's page arriving on the stream, (b) a fresh GET of the entry's page returning the marker, as the reloading tab does, and (c) the same for the list page of its kind. {} runs after 2 untimed ones, each after the previous run's background search-index update finished.\n\n",
        o.entries, o.kind, o.runs
    ));
    t.push_str("| entries | save → reload event for the entry's page (median / p95) | save → its page served with the change (median / p95 / max) | save → list of its kind served with the change (median / p95) | server's own time (median) | files written (median) | background search index + data (median) | target (page < 200 ms) |\n");
    t.push_str("|---:|---:|---:|---:|---:|---:|---:|---|\n");
    let mut sorted_pages = pages.clone();
    sorted_pages.sort_unstable();
    t.push_str(&format!(
        "| {} | {} / {} ms | **{} ms** / {} / {} ms | {} / {} ms | {} ms | {} | {} ms | {} |\n\n",
        thousands(o.entries),
        percentile(&reload, 50.0),
        percentile(&reload, 95.0),
        percentile(&page, 50.0),
        percentile(&page, 95.0),
        page.last().copied().unwrap_or(0),
        percentile(&list, 50.0),
        percentile(&list, 95.0),
        percentile(&server_ms, 50.0),
        sorted_pages
            .get(sorted_pages.len() / 2)
            .copied()
            .unwrap_or(0),
        percentile(&bg, 50.0),
        target
    ));
    t.push_str(&format!(
        "How it works: the server writes the edited entry's own page first and sends a `reload` event naming it (so the tab showing it reloads), then renders and writes the other pages that show the entry (the list of its kind, the top page, its term pages, related entries' pages, the sitemap) and sends a second event naming those; tabs showing other pages do not reload. The list column is the time until the second step's list page (2 MB at 10,000 entries) is served with the change. \"Server's own time\" is the time on the server's terminal line (`更新: … → N ページ (T ms)`, both steps); the file watcher's notice and the 30 ms the server waits for an editor's save to settle come on top. The search index, calendars, feed and open-data files are rebuilt after that, in the background (second-to-last column), so search catches up a moment later. Between saves the server keeps the site, the theme and every card's HTML (render/memo.rs), so only the edited entry's card is rendered again (right after a full build a thread renders every card once, so the first save is quick too). The full build when the server starts took {} ms (not part of the figures). The machine is shared: other builds and tests may run at the same time, as the load average shows.\n\n",
        startup.as_millis()
    ));
    if let Some((page, list)) = first {
        t.push_str(&format!(
            "The first save after the server started (untimed above): page {page} ms, list {list} ms.\n\n"
        ));
    }
    t.push_str("Every run, in order (reload event / page / list, ms): ");
    let runs: Vec<String> = samples
        .iter()
        .map(|s| {
            format!(
                "{}/{}/{}",
                s.reload.as_millis(),
                s.page.as_millis(),
                s.list.as_millis()
            )
        })
        .collect();
    t.push_str(&runs.join(", "));
    t.push('\n');
    t
}

/// The commit measured, and whether the tree had changes.
fn checkout() -> String {
    let run = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match run(&["rev-parse", "--short", "HEAD"]) {
        Some(hash) => {
            let dirty = run(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{hash} + uncommitted changes")
            } else {
                hash
            }
        }
        None => "unknown".into(),
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Replaces the text between the serve-bench markers (each on its own
/// line), or appends a marked section at the end of the file.
fn write_section(path: &Path, body: &str) -> std::io::Result<()> {
    const START: &str = "<!-- serve-bench:start -->";
    const END: &str = "<!-- serve-bench:end -->";
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.trim() == START);
    let end = lines.iter().position(|l| l.trim() == END);
    let section = format!("{START}\n{body}{END}");
    let new = match (start, end) {
        (Some(s), Some(e)) if s < e => {
            let mut out: Vec<String> = lines[..s].iter().map(|l| l.to_string()).collect();
            out.push(section);
            out.extend(lines[e + 1..].iter().map(|l| l.to_string()));
            out.join("\n") + "\n"
        }
        _ => format!("{}\n\n{section}\n", text.trim_end()),
    };
    std::fs::write(path, new)
}
