//! Results, and the Markdown section written into docs/benchmarks.md.

use crate::gen::{self, Counts};
use crate::measure::{dir_stats, median, Sample};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const START: &str = "<!-- build-bench:start -->";
pub const END: &str = "<!-- build-bench:end -->";

/// The 10,000-entry target.
pub const TARGET_ENTRIES: usize = 10_000;
pub const TARGET_MS: f64 = 1000.0;
pub const TARGET_MB: f64 = 250.0;

#[derive(Debug, Clone)]
pub struct Target {
    /// "memory" or "disk".
    pub label: &'static str,
    pub dir: PathBuf,
    /// File system type (`tmpfs`, `ext2/ext3`, `overlayfs`…).
    pub fs: String,
    /// A new output folder per run, removed only after all measurements
    /// (on a disk mounted with online discard, removing 100,000 files
    /// takes many minutes); otherwise one folder, emptied before each run.
    pub fresh_dirs: bool,
}

/// Per-run output folders on disk live in `WORK/runs-PID/`.
pub const RUNS_PREFIX: &str = "runs-";

impl Target {
    /// An empty output folder for run `run` of `name`.
    pub fn output_dir(&self, name: &str, run: usize) -> Result<PathBuf, String> {
        let dir = if self.fresh_dirs {
            self.dir
                .join(format!("{RUNS_PREFIX}{}", std::process::id()))
                .join(format!("{name}-run{}", run + 1))
        } else {
            self.dir.join(name)
        };
        crate::measure::remove_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(dir)
    }

    pub fn describe(&self) -> String {
        format!("{} ({})", self.label, self.fs)
    }
}

#[derive(Debug, Clone)]
pub struct Stat {
    /// How many runs there were (fewer than `--runs` when over budget).
    pub runs: usize,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    /// The largest peak RSS over the runs.
    pub rss_kib: Option<u64>,
    /// Median user + system CPU time, when known.
    pub cpu_median_ms: Option<f64>,
}

impl Stat {
    pub fn of(samples: &[Sample]) -> Stat {
        let ms: Vec<f64> = samples
            .iter()
            .map(|s| s.wall.as_secs_f64() * 1000.0)
            .collect();
        Stat {
            runs: samples.len(),
            median_ms: median(ms.clone()),
            min_ms: ms.iter().copied().fold(f64::INFINITY, f64::min),
            max_ms: ms.iter().copied().fold(0.0, f64::max),
            rss_kib: samples.iter().filter_map(|s| s.rss_kib).max(),
            cpu_median_ms: {
                let cpu: Vec<f64> = samples
                    .iter()
                    .filter_map(|s| s.cpu_s)
                    .map(|c| c * 1000.0)
                    .collect();
                (cpu.len() == samples.len()).then(|| median(cpu))
            },
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct OutputStats {
    pub bytes: u64,
    pub files: u64,
    /// The search index folder inside the output, when present.
    pub index: Option<(u64, u64)>,
}

impl OutputStats {
    pub fn of(out: &Path, index_dir: &str) -> OutputStats {
        let (bytes, files) = dir_stats(out);
        let idx = out.join(index_dir);
        OutputStats {
            bytes,
            files,
            index: idx.is_dir().then(|| dir_stats(&idx)),
        }
    }
}

pub struct TsunaguRun {
    pub target: Target,
    pub stat: Stat,
    pub output: OutputStats,
    pub built_entries: Option<u64>,
    pub stages: Vec<(String, f64)>,
    pub stderr_sample: String,
}

pub struct HugoRun {
    pub target: Target,
    pub hugo: Stat,
    pub pagefind: Option<Stat>,
    /// Median over runs of hugo + pagefind.
    pub combined_median_ms: f64,
    pub output: OutputStats,
}

impl HugoRun {
    pub fn peak_rss(&self) -> Option<u64> {
        let h = self.hugo.rss_kib;
        let p = self.pagefind.as_ref().and_then(|p| p.rss_kib);
        h.max(p)
    }
}

pub struct SizeResult {
    pub n: usize,
    pub counts: Counts,
    pub input_bytes: u64,
    pub input_files: u64,
    pub generation_s: Option<f64>,
    /// 1-minute load average when this size's measurements began.
    pub load_at_start: f64,
    pub check: Stat,
    pub check_summary: String,
    pub tsunagu: Vec<TsunaguRun>,
    /// The same build without the `.br`/`.gz` copies, and into the
    /// previous output (copies reused), on the first target.
    pub precompress: Option<PrecompressCost>,
    pub hugo: Vec<HugoRun>,
}

pub struct PrecompressCost {
    pub without: Stat,
    pub reused: Stat,
}

pub struct Machine {
    pub cores: usize,
    pub cpu: String,
    pub mem_gb: f64,
    pub kernel: String,
    pub date: String,
    pub load_avg: f64,
    pub commit: String,
}

impl Machine {
    pub fn probe(repo: &Path) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown CPU".into());
        let mem_gb = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                m.lines()
                    .find(|l| l.starts_with("MemTotal:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
            .map(|kb| kb * 1024.0 / 1e9)
            .unwrap_or(0.0);
        let load_avg = std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
            .unwrap_or(0.0);
        let out = |cmd: &mut Command| {
            cmd.output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_default()
        };
        let head = out(Command::new("git")
            .args(["rev-parse", "--short", "HEAD"])
            .current_dir(repo));
        let dirty = !out(Command::new("git")
            .args([
                "status",
                "--porcelain",
                "--",
                "src",
                "search-index",
                "themes",
                "Cargo.toml",
                "Cargo.lock",
            ])
            .current_dir(repo))
        .is_empty();
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
            mem_gb,
            kernel: out(Command::new("uname").args(["-sr"])),
            date: out(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])),
            load_avg,
            commit: if head.is_empty() {
                "unknown commit".into()
            } else if dirty {
                format!("{head} + uncommitted changes")
            } else {
                head
            },
        }
    }

    pub fn summary(&self) -> String {
        format!(
            "{} cores ({}), {:.1} GB RAM, {}, load average {:.2}",
            self.cores, self.cpu, self.mem_gb, self.kernel, self.load_avg
        )
    }
}

pub struct ReportContext {
    pub command: String,
    /// Which binary was measured.
    pub binary: String,
    pub runs: usize,
    pub machine: Machine,
    pub tsunagu_version: String,
    pub timings_flag: bool,
    pub hugo_version: Option<String>,
    pub pagefind_version: Option<String>,
    pub hugo_installed: bool,
    pub pagefind_installed: bool,
    pub competitors_requested: bool,
    pub rss_method: String,
}

pub fn fmt_rss(kib: Option<u64>) -> String {
    kib.map_or("?".into(), |k| format!("{:.1} MB", k as f64 * 1024.0 / 1e6))
}

fn mb(bytes: u64) -> String {
    let v = bytes as f64 / 1e6;
    if v >= 100.0 {
        format!("{v:.0} MB")
    } else if v >= 1.0 {
        format!("{v:.1} MB")
    } else {
        format!("{v:.2} MB")
    }
}

fn ms(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.1} s", v / 1000.0)
    } else {
        format!("{v:.0} ms")
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "123 ms", with "(1 run)" when the time budget cut the runs short.
fn with_runs(value: String, runs: usize, wanted: usize) -> String {
    if runs < wanted {
        format!("{value} ({runs} run{})", if runs == 1 { "" } else { "s" })
    } else {
        value
    }
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 && a.is_finite() {
        format!("{:.1}×", a / b)
    } else {
        "–".into()
    }
}

pub fn render_markdown(ctx: &ReportContext, results: &[SizeResult]) -> String {
    let mut s = String::new();
    let m = &ctx.machine;
    s.push_str(START);
    s.push_str("\n## Build benchmark\n\n");
    s.push_str("_This section is written by `examples/bench.rs`; rerun the command below instead of editing it by hand._\n\n");
    let _ = writeln!(
        s,
        "**Targets:** {} entries built (pages and search index) in under {:.0} s on 2 cores with peak memory under {:.0} MB, and time and memory growing linearly up to 100,000 entries.\n",
        thousands(TARGET_ENTRIES as u64),
        TARGET_MS / 1000.0,
        TARGET_MB
    );
    let _ = writeln!(s, "**Command:** `{}`\n", ctx.command);
    let _ = writeln!(
        s,
        "**Measured:** {} on {} cores ({}), {:.1} GB RAM, {}; load average {:.2} at the start. {} ({}; checkout at {}).\n",
        m.date, m.cores, m.cpu, m.mem_gb, m.kernel, m.load_avg, ctx.tsunagu_version, ctx.binary, m.commit
    );
    let _ = writeln!(
        s,
        "**Input:** synthetic portals from the benchmark's generator (v{}, fixed seed): every kind and every field of the content contract, Japanese names with matching readings, Markdown bodies with headings and lists, 15% of the files `.yaml`; `tsunagu check` passes with no errors. Builds run with `SOURCE_DATE_EPOCH={}` (2026-12-01 JST).\n",
        gen::GEN_VERSION,
        gen::now_epoch()
    );

    // ---- main table
    let _ = writeln!(s, "### `tsunagu build`\n");
    let _ = writeln!(
        s,
        "Wall time is the median of {} runs (fewer when the runs of one row took longer than the `--budget`, then the count is shown; each run into an empty output folder, after `sync`); CPU time is the median of user + system time, which other load on the machine inflates less than wall time; peak RSS is the largest over the runs. MB = 10⁶ bytes.\n",
        ctx.runs
    );
    s.push_str("| entries | built | output on | build time (median) | min – max | per 1,000 entries | CPU time (user + sys) | peak RSS | output | files | search index | 10k target |\n");
    s.push_str("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for r in results {
        for t in &r.tsunagu {
            let index = match t.output.index {
                Some((b, f)) => format!(
                    "{} ({} file{})",
                    mb(b),
                    thousands(f),
                    if f == 1 { "" } else { "s" }
                ),
                None => "none".into(),
            };
            let target = if r.n == TARGET_ENTRIES {
                let rss_mb = t.stat.rss_kib.map(|k| k as f64 * 1024.0 / 1e6);
                let time_ok = t.stat.median_ms < TARGET_MS;
                let mem_ok = rss_mb.is_some_and(|v| v < TARGET_MB);
                let has_index = t.output.index.is_some_and(|(_, f)| f > 0);
                match (time_ok, mem_ok) {
                    _ if t.output.files == 0 => "not yet (no output)".to_string(),
                    (true, true) if has_index => "met".to_string(),
                    (true, true) => "met, but no search index yet".to_string(),
                    (false, true) => "time missed".to_string(),
                    (true, false) => "memory missed".to_string(),
                    (false, false) => "time and memory missed".to_string(),
                }
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | **{}** | {} – {} | {} | {} | {} | {} | {} | {} | {} |",
                thousands(r.n as u64),
                t.built_entries.map_or("?".into(), thousands),
                t.target.describe(),
                with_runs(ms(t.stat.median_ms), t.stat.runs, ctx.runs),
                ms(t.stat.min_ms),
                ms(t.stat.max_ms),
                ms(t.stat.median_ms * 1000.0 / r.n as f64),
                t.stat.cpu_median_ms.map_or("?".into(), ms),
                fmt_rss(t.stat.rss_kib),
                mb(t.output.bytes),
                thousands(t.output.files),
                index,
                target
            );
        }
    }
    s.push('\n');
    let _ = writeln!(s, "Input sizes:\n");
    s.push_str("| entries | centers | organizations | events | cafeterias | pages | content files | content size | generated in | load average before measuring |\n");
    s.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in results {
        let c = &r.counts;
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} |",
            thousands(r.n as u64),
            thousands(c.center as u64),
            thousands(c.organization as u64),
            thousands(c.event as u64),
            thousands(c.cafeteria as u64),
            thousands(c.page as u64),
            thousands(r.input_files),
            mb(r.input_bytes),
            r.generation_s
                .map_or("cached".into(), |g| format!("{g:.1} s")),
            r.load_at_start
        );
    }
    s.push('\n');

    // ---- precompressed copies
    if results.iter().any(|r| r.precompress.is_some()) {
        let _ = writeln!(
            s,
            "### What the precompressed copies cost
"
        );
        s.push_str("The default build writes `.br` and `.gz` copies of the assets, the search module and the index (`[build] precompress`); `--no-precompress` writes none. A build into the previous output reuses each copy whose file did not change (the usual CI or editor rebuild). Output on the first target above; medians.

");
        s.push_str("| entries | default build | `--no-precompress` | cost of the copies | into the previous output (copies reused) |
");
        s.push_str(
            "|---:|---:|---:|---:|---:|
",
        );
        for r in results {
            let (Some(p), Some(t)) = (&r.precompress, r.tsunagu.first()) else {
                continue;
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                thousands(r.n as u64),
                ms(t.stat.median_ms),
                with_runs(ms(p.without.median_ms), p.without.runs, ctx.runs),
                ms(t.stat.median_ms - p.without.median_ms),
                with_runs(ms(p.reused.median_ms), p.reused.runs, ctx.runs),
            );
        }
        s.push('\n');
    }

    // ---- validate vs the rest
    let _ = writeln!(s, "### Where the time goes: `check` vs. `build`\n");
    s.push_str("`tsunagu check` runs load + validate only; the difference to `build` (output on the memory disk) is render + search index + write.\n\n");
    s.push_str("| entries | `check` (load + validate) | check CPU | check peak RSS | `build` | build CPU | render + index + write | validate share of build |\n");
    s.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in results {
        let Some(b) = r.tsunagu.first() else { continue };
        let rest = (b.stat.median_ms - r.check.median_ms).max(0.0);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {:.0}% |",
            thousands(r.n as u64),
            ms(r.check.median_ms),
            r.check.cpu_median_ms.map_or("?".into(), ms),
            fmt_rss(r.check.rss_kib),
            ms(b.stat.median_ms),
            b.stat.cpu_median_ms.map_or("?".into(), ms),
            ms(rest),
            100.0 * r.check.median_ms / b.stat.median_ms.max(1e-9)
        );
    }
    s.push('\n');

    // ---- stages
    let _ = writeln!(s, "### Stages\n");
    let any_stages = results
        .iter()
        .any(|r| r.tsunagu.iter().any(|t| !t.stages.is_empty()));
    if any_stages {
        let _ = writeln!(
            s,
            "As printed by `tsunagu build{}` (medians over the runs). Render, index and data run at the same time, so their times overlap and do not add up; render includes writing the pages:\n",
            if ctx.timings_flag { " --timings" } else { "" }
        );
        // One column per stage, in the order the build prints them.
        let mut labels: Vec<&str> = Vec::new();
        for t in results.iter().flat_map(|r| &r.tsunagu) {
            for (label, _) in &t.stages {
                if !labels.contains(&label.as_str()) {
                    labels.push(label);
                }
            }
        }
        let _ = writeln!(
            s,
            "| entries | output on | {} | slowest |",
            labels.join(" | ")
        );
        let _ = writeln!(s, "|---:|---|{}---|", "---:|".repeat(labels.len()));
        for r in results {
            for t in &r.tsunagu {
                let cells: Vec<String> = labels
                    .iter()
                    .map(|l| {
                        t.stages
                            .iter()
                            .find(|(x, _)| x == l)
                            .map_or("–".into(), |(_, v)| {
                                if *v < 10.0 {
                                    format!("{v:.1} ms")
                                } else {
                                    ms(*v)
                                }
                            })
                    })
                    .collect();
                let slowest = t
                    .stages
                    .iter()
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map_or(String::new(), |(l, _)| l.clone());
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} |",
                    thousands(r.n as u64),
                    t.target.label,
                    cells.join(" | "),
                    slowest
                );
            }
        }
        s.push('\n');
    } else {
        s.push_str("`tsunagu build` does not print per-stage timings yet (the harness passes `--timings` as soon as `tsunagu build --help` lists it, and picks up any `<stage> <n> ms` lines); see the `check` vs. `build` split above.\n\n");
    }

    // ---- competitors
    let _ = writeln!(s, "### Hugo + Pagefind on the same entries\n");
    if !ctx.competitors_requested {
        s.push_str("Skipped (`--no-competitors`).\n\n");
    } else if !ctx.hugo_installed {
        s.push_str("**Not measured: Hugo is not installed** (no `hugo` on PATH). Run with `--install-competitors` (apt-get install hugo, `npm install pagefind` in the work dir) to fill this table.\n\n");
    } else {
        let _ = writeln!(
            s,
            "The same entries as a minimal Hugo site (front matter + Markdown body, `categories` and `areas` taxonomies, one trivial layout for list and single pages), built with `hugo --quiet`{}. {}; {}.\n",
            if ctx.pagefind_installed {
                ", then indexed with `pagefind --site` (entry pages only, via `data-pagefind-body`)"
            } else {
                ""
            },
            ctx.hugo_version.as_deref().unwrap_or("hugo ?"),
            match (&ctx.pagefind_installed, &ctx.pagefind_version) {
                (true, Some(v)) => v.clone(),
                (true, None) => "pagefind (version unknown)".into(),
                (false, _) => "**Pagefind is not installed**: Hugo alone is timed".into(),
            }
        );
        s.push_str("| entries | output on | hugo | pagefind | hugo + pagefind | ÷ tsunagu time | CPU (user + sys) | ÷ tsunagu CPU | peak RSS | ÷ tsunagu RSS | output | files | pagefind index |\n");
        s.push_str("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for r in results {
            for h in &r.hugo {
                let ts = r.tsunagu.iter().find(|t| t.target.label == h.target.label);
                let t_ms = ts.map_or(f64::NAN, |t| t.stat.median_ms);
                let t_cpu = ts.and_then(|t| t.stat.cpu_median_ms).unwrap_or(f64::NAN);
                let h_cpu = h.hugo.cpu_median_ms.map(|c| {
                    c + h
                        .pagefind
                        .as_ref()
                        .and_then(|p| p.cpu_median_ms)
                        .unwrap_or(0.0)
                });
                let t_rss = ts
                    .and_then(|t| t.stat.rss_kib)
                    .map_or(f64::NAN, |k| k as f64);
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | **{}** | {} | {} | {} | {} | {} | {} | {} | {} |",
                    thousands(r.n as u64),
                    h.target.describe(),
                    ms(h.hugo.median_ms),
                    h.pagefind.as_ref().map_or("–".into(), |p| ms(p.median_ms)),
                    with_runs(ms(h.combined_median_ms), h.hugo.runs, ctx.runs),
                    ratio(h.combined_median_ms, t_ms),
                    h_cpu.map_or("?".into(), ms),
                    ratio(h_cpu.unwrap_or(f64::NAN), t_cpu),
                    fmt_rss(h.peak_rss()),
                    ratio(h.peak_rss().map_or(f64::NAN, |k| k as f64), t_rss),
                    mb(h.output.bytes),
                    thousands(h.output.files),
                    h.output.index.map_or("–".into(), |(b, _)| mb(b)),
                );
            }
        }
        let skipped: Vec<String> = results
            .iter()
            .filter(|r| r.hugo.is_empty())
            .map(|r| thousands(r.n as u64))
            .collect();
        if !skipped.is_empty() {
            let _ = writeln!(
                s,
                "\nNot run for {} entries (`--competitors-up-to`).",
                skipped.join(", ")
            );
        }
        s.push_str("\n\"÷ tsunagu\" is Hugo (+ Pagefind) divided by `tsunagu build` on the same disk: above 1× means tsunagu is faster / smaller. Peak RSS of Hugo + Pagefind is the larger of the two (they run one after the other).\n\n");
    }

    // ---- notes
    s.push_str("### Notes\n\n");
    let _ = writeln!(s, "- Peak memory: {}.", ctx.rss_method);
    s.push_str("- The input is in the page cache (the `check` runs read it first); every timed run writes a complete new site into an empty output folder (on the memory disk the folder is emptied before each run; on the normal disk each run gets a new folder and they are removed after all measurements, since removing 100,000 files on a disk mounted with online discard takes many minutes), and `sync` runs before each run. Writeback to the real disk happens after the build returns, as it would for a user.\n");
    s.push_str("- Others may be compiling on the same machine while this runs; the load average above says how busy it was. Compare medians, and rerun before drawing conclusions from small differences.\n");
    s.push_str("- Generated portals are cached in the work dir per size and generator version; `--regenerate` rebuilds them.\n");
    for r in results {
        if let Some(t) = r.tsunagu.first() {
            let last = t
                .stderr_sample
                .lines()
                .rev()
                .find(|l| l.trim_start().starts_with("built "))
                .unwrap_or("")
                .trim();
            if !last.is_empty() {
                let _ = writeln!(
                    s,
                    "- {} entries, `tsunagu build` said: `{}`; `check` said: `{}`",
                    thousands(r.n as u64),
                    redact_paths(last),
                    r.check_summary.trim()
                );
            }
        }
    }
    s.push('\n');
    s.push_str(END);
    s.push('\n');
    s
}

/// Drops the absolute output path from a summary line.
fn redact_paths(line: &str) -> String {
    line.split_whitespace()
        .map(|w| if w.starts_with('/') { "OUT" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces the section between the markers in `path` (or appends it, or
/// creates the file), leaving the rest of the file as it was. Only
/// markers on lines of their own count, so prose that mentions them in
/// backticks is left alone.
pub fn write_section(path: &Path, section: &str) -> Result<(), String> {
    let old = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let new = replace_section(&old, section);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, new).map_err(|e| format!("{}: {e}", path.display()))
}

/// The byte offset of the first line that is exactly `marker` (ignoring
/// surrounding whitespace), at or after `from`.
fn marker_line(text: &str, marker: &str, from: usize) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset >= from && line.trim() == marker {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

fn replace_section(old: &str, section: &str) -> String {
    let section = section.trim_end_matches('\n');
    let start = marker_line(old, START, 0);
    let end = start.and_then(|a| marker_line(old, END, a));
    match (start, end) {
        (Some(a), Some(b)) => {
            let after = &old[b..];
            let after = &after[after.find('\n').map_or(after.len(), |i| i + 1)..];
            format!("{}{}\n{}", &old[..a], section, after)
        }
        _ if old.trim().is_empty() => format!("# Benchmarks\n\n{section}\n"),
        _ => format!("{}\n\n{section}\n", old.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_marked_lines() {
        let old = format!("# B\n\nUse `{START}` and `{END}`.\n\n{START}\nold\n{END}\n\n## Other\n");
        let new = replace_section(&old, &format!("{START}\nnew\n{END}\n"));
        assert_eq!(
            new,
            format!("# B\n\nUse `{START}` and `{END}`.\n\n{START}\nnew\n{END}\n\n## Other\n")
        );
        // Again: idempotent.
        assert_eq!(
            replace_section(&new, &format!("{START}\nnew\n{END}\n")),
            new
        );
        // No markers: appended.
        assert_eq!(
            replace_section("# B\n", &format!("{START}\nx\n{END}\n")),
            format!("# B\n\n{START}\nx\n{END}\n")
        );
    }
}
