//! Build benchmark: generates synthetic portals of N entries and times the
//! real `tsunagu build` on them (and Hugo + Pagefind on the same entries,
//! when installed).
//!
//! ```text
//! cargo run --release --example bench -- [--sizes 1000,10000,100000] [--work DIR]
//!     [--runs 3] [--markdown docs/benchmarks.md] [--install-competitors]
//! ```
//!
//! `--help` lists every option. See docs/benchmarks.md for what is measured.

#[path = "bench/gen.rs"]
mod gen;
#[path = "bench/hugo.rs"]
mod hugo;
#[path = "bench/measure.rs"]
mod measure;
#[path = "bench/report.rs"]
mod report;
#[path = "bench/rng.rs"]
mod rng;
#[path = "bench/words.rs"]
mod words;

use measure::{dir_stats, median, remove_dir, sync, Runner, Sample};
use report::*;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Instant, SystemTime};

const HELP: &str = "\
Build benchmark for tsunagu.

USAGE:
    cargo run --release --example bench -- [OPTIONS]

OPTIONS:
    --sizes N,N,...          portal sizes in entries (default 1000,10000)
    --runs N                 timed runs per size and output disk (default 3)
    --work DIR               generated portals, disk outputs, scratch (default /tmp/tsunagu-bench)
    --shm DIR                memory-disk outputs (default /dev/shm/tsunagu-bench)
    --markdown FILE          write the results table into FILE between
                             <!-- build-bench:start --> and <!-- build-bench:end -->
    --bin FILE               the tsunagu binary (default target/release/tsunagu)
    --no-rebuild             do not run `cargo build --release` when the binary is
                             missing or older than the sources
    --regenerate             regenerate portals even if cached
    --keep-output            keep the built sites (default: removed after measuring)
    --budget SECONDS         stop repeating a measurement once its runs took this
                             long (default 120; at least one run always happens)
    --max-load X             before each size, wait (up to 10 minutes) until the
                             1-minute load average is below X
    --no-competitors         skip Hugo and Pagefind even if installed
    --competitors-up-to N    run Hugo and Pagefind only for sizes up to N entries
    --install-competitors    apt-get install hugo and `npm install pagefind` in the
                             work dir before measuring (needs root and network)
    --generate-only          write the portals for --sizes into --work (cached),
                             print each one's folder on stdout, and stop: the
                             browser tests print the longest generated entries
    -h, --help               this text
";

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    work: PathBuf,
    shm: PathBuf,
    markdown: Option<PathBuf>,
    bin: Option<PathBuf>,
    rebuild: bool,
    regenerate: bool,
    keep_output: bool,
    competitors: bool,
    install_competitors: bool,
    max_load: Option<f64>,
    budget: std::time::Duration,
    competitors_up_to: usize,
    generate_only: bool,
    command_line: String,
}

fn parse_args() -> Result<Options, String> {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let mut o = Options {
        sizes: vec![1000, 10_000],
        runs: 3,
        work: PathBuf::from("/tmp/tsunagu-bench"),
        shm: PathBuf::from("/dev/shm/tsunagu-bench"),
        markdown: None,
        bin: None,
        rebuild: true,
        regenerate: false,
        keep_output: false,
        competitors: true,
        install_competitors: false,
        max_load: None,
        budget: std::time::Duration::from_secs(120),
        competitors_up_to: usize::MAX,
        generate_only: false,
        command_line: String::new(),
    };
    let mut it = raw.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag {
            "--sizes" => {
                o.sizes = value(flag)?
                    .split(',')
                    .map(|s| s.trim().replace('_', ""))
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.parse::<usize>()
                            .map_err(|_| format!("--sizes: `{s}` is not a number"))
                    })
                    .collect::<Result<_, _>>()?;
                if o.sizes.iter().any(|&n| n < 10) {
                    return Err("--sizes: use at least 10 entries".into());
                }
            }
            "--runs" => {
                o.runs = value(flag)?
                    .parse()
                    .map_err(|_| "--runs needs a number".to_string())?;
                o.runs = o.runs.max(1);
            }
            "--work" => o.work = PathBuf::from(value(flag)?),
            "--shm" => o.shm = PathBuf::from(value(flag)?),
            "--markdown" => o.markdown = Some(PathBuf::from(value(flag)?)),
            "--bin" => o.bin = Some(PathBuf::from(value(flag)?)),
            "--no-rebuild" => o.rebuild = false,
            "--regenerate" => o.regenerate = true,
            "--keep-output" => o.keep_output = true,
            "--no-competitors" => o.competitors = false,
            "--competitors-up-to" => {
                o.competitors_up_to = value(flag)?
                    .replace('_', "")
                    .parse()
                    .map_err(|_| "--competitors-up-to needs a number".to_string())?
            }
            "--budget" => {
                o.budget = std::time::Duration::from_secs_f64(
                    value(flag)?
                        .parse()
                        .map_err(|_| "--budget needs a number of seconds".to_string())?,
                )
            }
            "--max-load" => {
                o.max_load = Some(
                    value(flag)?
                        .parse()
                        .map_err(|_| "--max-load needs a number".to_string())?,
                )
            }
            "--install-competitors" => o.install_competitors = true,
            "--generate-only" => o.generate_only = true,
            "-h" | "--help" => {
                print!("{HELP}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option `{other}` (see --help)")),
        }
    }
    let quoted: Vec<String> = raw
        .iter()
        .map(|a| {
            if a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_=,./:".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect();
    o.command_line = format!(
        "cargo run --release --example bench --{}{}",
        if quoted.is_empty() { "" } else { " " },
        quoted.join(" ")
    );
    Ok(o)
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

type Res<T> = Result<T, String>;

fn io(what: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> String {
    move |e| format!("{what}: {e}")
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(opts: &Options) -> Res<()> {
    std::fs::create_dir_all(&opts.work).map_err(io(opts.work.display()))?;
    if opts.generate_only {
        for &n in &opts.sizes {
            let (portal, _, _) = ensure_inputs(opts, n, false)?;
            println!("{}", portal.display());
        }
        return Ok(());
    }
    let runner = Runner::new(&opts.work.join("scratch")).map_err(io("scratch dir"))?;
    let built_bin = ensure_binary(opts)?;
    // Others may rebuild target/release/tsunagu while we measure: every run
    // uses one copy taken now.
    let bin = opts.work.join("tsunagu-under-test");
    std::fs::copy(&built_bin, &bin).map_err(io(format!("copying {}", built_bin.display())))?;
    let tsunagu_version = capture(&bin, &["--version"]).unwrap_or_else(|| "?".into());
    let build_help = capture(&bin, &["build", "--help"]);
    let timings_flag = build_help
        .as_deref()
        .is_some_and(|h| h.contains("--timings"));
    let precompress_flag = build_help
        .as_deref()
        .is_some_and(|h| h.contains("--no-precompress"));

    if opts.install_competitors {
        install_competitors(&opts.work);
    }
    let hugo = if opts.competitors { find_hugo() } else { None };
    let pagefind = if opts.competitors {
        find_pagefind(&opts.work)
    } else {
        None
    };
    let hugo_version = hugo.as_ref().and_then(|h| capture(h, &["version"]));
    let pagefind_version = pagefind.as_ref().and_then(|p| capture(p, &["--version"]));
    match (&hugo, &pagefind) {
        (None, _) if opts.competitors => eprintln!(
            "note: Hugo is not installed (no `hugo` on PATH): the comparison is skipped. \
             --install-competitors installs it (apt-get) and Pagefind (npm)."
        ),
        (Some(_), None) => eprintln!(
            "note: Pagefind is not installed (no node_modules/.bin/pagefind in the work dir, no `pagefind` on PATH): Hugo is timed alone."
        ),
        _ => {}
    }

    let shm_ok =
        opts.shm.parent().is_some_and(|p| p.is_dir()) && std::fs::create_dir_all(&opts.shm).is_ok();
    if !shm_ok {
        eprintln!(
            "note: {} is not usable: only the normal disk is measured",
            opts.shm.display()
        );
    }
    let mut targets: Vec<Target> = Vec::new();
    if shm_ok {
        targets.push(Target {
            label: "memory",
            dir: opts.shm.clone(),
            fs: fs_type(&opts.shm),
            fresh_dirs: false,
        });
    }
    targets.push(Target {
        label: "disk",
        dir: opts.work.clone(),
        fs: fs_type(&opts.work),
        fresh_dirs: true,
    });

    let env = vec![
        ("SOURCE_DATE_EPOCH", gen::now_epoch().to_string()),
        ("NO_COLOR", "1".to_string()),
    ];
    let machine = Machine::probe(&repo_root());
    eprintln!("machine: {}", machine.summary());
    if machine.load_avg > 0.5 {
        eprintln!(
            "note: load average is {:.2}: other work on this machine will slow the numbers down",
            machine.load_avg
        );
    }

    let mut results = Vec::new();
    for &n in &opts.sizes {
        let want_hugo = hugo.is_some() && n <= opts.competitors_up_to;
        let (portal, hugo_site, generation) = ensure_inputs(opts, n, want_hugo)?;
        let (input_bytes, input_files) = dir_stats(&portal.join("content"));
        eprintln!(
            "== {n} entries: {} files, {:.1} MB of content in {}",
            input_files,
            input_bytes as f64 / 1e6,
            portal.display()
        );

        if let Some(max) = opts.max_load {
            wait_for_idle(max);
        }
        let load_at_start = load_avg();

        // Validate (and warm the page cache with the input).
        let mut check_samples = Vec::new();
        let started = Instant::now();
        for r in 0..opts.runs {
            if r > 0 && started.elapsed() > opts.budget {
                break;
            }
            let args = os_args(&["check", "--root"], &[&portal]);
            let s = runner
                .run(&bin, &args, &env, None)
                .map_err(io("tsunagu check"))?;
            if !s.success {
                return Err(format!(
                    "the generated portal of {n} entries does not pass `tsunagu check` (exit {:?}); \
                     the generator (examples/bench/gen.rs) or the content contract changed:\n{}",
                    s.code,
                    tail(&s.stderr, 120)
                ));
            }
            if r == 0 {
                let last = s.stderr.lines().last().unwrap_or("").to_string();
                eprintln!("   check: {last}");
                if !s.stderr.contains(" 0 warning") && s.stderr.lines().count() > 1 {
                    eprintln!("   check printed warnings:\n{}", tail(&s.stderr, 30));
                }
            }
            check_samples.push(s);
        }
        let check = Stat::of(&check_samples);
        let check_summary = check_samples[0]
            .stderr
            .lines()
            .last()
            .unwrap_or("")
            .to_string();

        let mut tsunagu_runs = Vec::new();
        for t in &targets {
            let mut out = PathBuf::new();
            let mut samples = Vec::new();
            let started = Instant::now();
            for r in 0..opts.runs {
                if r > 0 && started.elapsed() > opts.budget {
                    break;
                }
                out = t.output_dir(&format!("out-{n}"), r)?;
                sync();
                let mut args = os_args(&["build", "--root"], &[&portal]);
                args.push("--out".into());
                args.push(out.clone().into());
                if timings_flag {
                    args.push("--timings".into());
                }
                let s = runner
                    .run(&bin, &args, &env, None)
                    .map_err(io("tsunagu build"))?;
                if !s.success {
                    return Err(format!(
                        "`tsunagu build` failed on {n} entries (output on {}):\n{}",
                        t.label,
                        tail(&s.stderr, 120)
                    ));
                }
                samples.push(s);
            }
            let output = OutputStats::of(&out, "search-index");
            let summary = parse_built_line(&samples.last().unwrap().stderr);
            let stages = stage_medians(&samples);
            let stat = Stat::of(&samples);
            eprintln!(
                "   tsunagu build, output on {} ({}): median {:.0} ms, peak RSS {}, {} files, {:.1} MB",
                t.label,
                t.fs,
                stat.median_ms,
                fmt_rss(stat.rss_kib),
                output.files,
                output.bytes as f64 / 1e6
            );
            if !opts.keep_output && !t.fresh_dirs {
                remove_dir(&out).map_err(io(out.display()))?;
            }
            tsunagu_runs.push(TsunaguRun {
                target: t.clone(),
                stat,
                output,
                built_entries: summary.0,
                stages,
                stderr_sample: samples.last().unwrap().stderr.clone(),
            });
        }

        // What the precompressed copies cost: the same build with
        // --no-precompress, and a build into the previous output (whose
        // copies are reused when the bytes did not change), on the first
        // target only.
        let precompress = match (targets.first(), precompress_flag) {
            (Some(t), true) => {
                let series = |extra: &[&str], into_previous: bool| -> Result<Stat, String> {
                    let mut samples = Vec::new();
                    let started = Instant::now();
                    let previous = t.output_dir(&format!("out-{n}-previous"), 0)?;
                    for r in 0..opts.runs {
                        if r > 0 && started.elapsed() > opts.budget {
                            break;
                        }
                        let out = if into_previous {
                            previous.clone()
                        } else {
                            t.output_dir(&format!("out-{n}-plain"), r)?
                        };
                        if into_previous && r == 0 {
                            let mut args = os_args(&["build", "--quiet", "--root"], &[&portal]);
                            args.push("--out".into());
                            args.push(out.clone().into());
                            let first = runner
                                .run(&bin, &args, &env, None)
                                .map_err(io("tsunagu build"))?;
                            if !first.success {
                                return Err(format!(
                                    "`tsunagu build` failed:\n{}",
                                    tail(&first.stderr, 60)
                                ));
                            }
                        }
                        sync();
                        let mut args = os_args(&["build", "--root"], &[&portal]);
                        args.push("--out".into());
                        args.push(out.clone().into());
                        args.extend(extra.iter().map(OsString::from));
                        let s = runner
                            .run(&bin, &args, &env, None)
                            .map_err(io("tsunagu build"))?;
                        if !s.success {
                            return Err(format!(
                                "`tsunagu build {}` failed:\n{}",
                                extra.join(" "),
                                tail(&s.stderr, 60)
                            ));
                        }
                        samples.push(s);
                        if !into_previous && !opts.keep_output && !t.fresh_dirs {
                            remove_dir(&out).map_err(io(out.display()))?;
                        }
                    }
                    if !opts.keep_output && !t.fresh_dirs {
                        remove_dir(&previous).map_err(io(previous.display()))?;
                    }
                    Ok(Stat::of(&samples))
                };
                let without = series(&["--no-precompress"], false)?;
                let reused = series(&[], true)?;
                eprintln!(
                    "   without precompressed copies: median {:.0} ms; into the previous output (copies reused): median {:.0} ms",
                    without.median_ms, reused.median_ms
                );
                Some(PrecompressCost { without, reused })
            }
            _ => None,
        };

        let mut hugo_runs = Vec::new();
        if let (Some(hugo_bin), Some(site)) = (&hugo, &hugo_site) {
            for t in &targets {
                let mut out = PathBuf::new();
                let mut hs = Vec::new();
                let mut ps = Vec::new();
                let mut sums = Vec::new();
                let started = Instant::now();
                for r in 0..opts.runs {
                    if r > 0 && started.elapsed() > opts.budget {
                        break;
                    }
                    out = t.output_dir(&format!("hugo-out-{n}"), r)?;
                    sync();
                    let args = os_args(&["--quiet", "--source"], &[site])
                        .into_iter()
                        .chain(os_args(&["--destination"], &[&out]))
                        .collect::<Vec<_>>();
                    let h = runner.run(hugo_bin, &args, &[], None).map_err(io("hugo"))?;
                    if !h.success {
                        return Err(format!(
                            "hugo failed on {n} entries:\n{}",
                            tail(&h.stderr, 60)
                        ));
                    }
                    let mut sum = h.wall.as_secs_f64() * 1000.0;
                    if let Some(pf) = &pagefind {
                        let args = os_args(&["--site"], &[&out]);
                        let p = runner.run(pf, &args, &[], None).map_err(io("pagefind"))?;
                        if !p.success {
                            return Err(format!(
                                "pagefind failed on {n} entries:\n{}{}",
                                tail(&p.stdout, 30),
                                tail(&p.stderr, 30)
                            ));
                        }
                        sum += p.wall.as_secs_f64() * 1000.0;
                        ps.push(p);
                    }
                    sums.push(sum);
                    hs.push(h);
                }
                let output = OutputStats::of(&out, "pagefind");
                let run = HugoRun {
                    target: t.clone(),
                    hugo: Stat::of(&hs),
                    pagefind: (!ps.is_empty()).then(|| Stat::of(&ps)),
                    combined_median_ms: median(sums),
                    output,
                };
                eprintln!(
                    "   hugo{} , output on {}: median {:.0} ms, peak RSS {}",
                    if pagefind.is_some() {
                        " + pagefind"
                    } else {
                        ""
                    },
                    t.label,
                    run.combined_median_ms,
                    fmt_rss(run.peak_rss())
                );
                if !opts.keep_output && !t.fresh_dirs {
                    remove_dir(&out).map_err(io(out.display()))?;
                }
                hugo_runs.push(run);
            }
        }

        results.push(SizeResult {
            n,
            counts: gen::Counts::for_total(n),
            input_bytes,
            input_files,
            generation_s: generation,
            load_at_start,
            check,
            check_summary,
            tsunagu: tsunagu_runs,
            precompress,
            hugo: hugo_runs,
        });
    }

    let ctx = ReportContext {
        command: opts.command_line.clone(),
        binary: if opts.bin.is_some() {
            format!("binary {}", built_bin.display())
        } else {
            "target/release/tsunagu".to_string()
        },
        runs: opts.runs,
        machine,
        tsunagu_version,
        timings_flag,
        hugo_version: hugo_version.map(|v| first_line(&v)),
        pagefind_version: pagefind_version.map(|v| first_line(&v)),
        hugo_installed: hugo.is_some(),
        pagefind_installed: pagefind.is_some(),
        competitors_requested: opts.competitors,
        rss_method: runner.describe().to_string(),
    };
    let section = render_markdown(&ctx, &results);
    println!("{section}");
    if let Some(path) = &opts.markdown {
        write_section(path, &section)?;
        eprintln!("wrote the results into {}", path.display());
    }
    if !opts.keep_output {
        remove_disk_outputs(&opts.work);
    }
    Ok(())
}

/// Removes the per-run output folders on the normal disk (also those a
/// killed run left), after all measurements.
fn remove_disk_outputs(work: &Path) {
    let Ok(rd) = std::fs::read_dir(work) else {
        return;
    };
    let dirs: Vec<PathBuf> = rd
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(report::RUNS_PREFIX)
        })
        .map(|e| e.path())
        .collect();
    if dirs.is_empty() {
        return;
    }
    let start = Instant::now();
    eprint!("removing the outputs on disk … ");
    let _ = std::io::stderr().flush();
    for d in dirs {
        if let Err(e) = remove_dir(&d) {
            eprintln!("warning: could not remove {}: {e}", d.display());
        }
    }
    eprintln!("{:.0} s", start.elapsed().as_secs_f64());
}

/// The 1-minute load average.
fn load_avg() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0.0)
}

fn wait_for_idle(max: f64) {
    let start = Instant::now();
    let mut said = false;
    while load_avg() >= max && start.elapsed().as_secs() < 600 {
        if !said {
            eprintln!(
                "   waiting for the load average ({:.2}) to drop below {max} …",
                load_avg()
            );
            said = true;
        }
        std::thread::sleep(std::time::Duration::from_secs(10));
    }
    if load_avg() >= max {
        eprintln!(
            "   load average still {:.2} after 10 minutes; measuring anyway",
            load_avg()
        );
    }
}

fn os_args(flags: &[&str], paths: &[&Path]) -> Vec<OsString> {
    flags
        .iter()
        .map(OsString::from)
        .chain(paths.iter().map(|p| p.as_os_str().to_owned()))
        .collect()
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

fn tail(s: &str, lines: usize) -> String {
    let all: Vec<&str> = s.lines().collect();
    let skip = all.len().saturating_sub(lines);
    let mut out = String::new();
    if skip > 0 {
        out.push_str(&format!("[… {skip} earlier lines …]\n"));
    }
    out.push_str(&all[skip..].join("\n"));
    out
}

/// stdout (or stderr if stdout is empty) of a quick command, if it succeeds.
fn capture(program: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = if out.stdout.is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    Some(String::from_utf8_lossy(&s).trim().to_string())
}

fn fs_type(path: &Path) -> String {
    Command::new("stat")
        .args(["-f", "-c", "%T"])
        .arg(path)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "?".into())
}

// ---------------------------------------------------------------- binary

/// The newest modification time of the files the binary is built from.
fn newest_source(root: &Path) -> Option<SystemTime> {
    let mut newest: Option<SystemTime> = None;
    let mut stack: Vec<PathBuf> = [
        "src",
        "search-index/src",
        "themes",
        "Cargo.toml",
        "Cargo.lock",
        "search-index/Cargo.toml",
    ]
    .iter()
    .map(|p| root.join(p))
    .collect();
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                stack.extend(rd.flatten().map(|e| e.path()));
            }
        } else if let Ok(m) = meta.modified() {
            newest = Some(newest.map_or(m, |n: SystemTime| n.max(m)));
        }
    }
    newest
}

fn ensure_binary(opts: &Options) -> Res<PathBuf> {
    let root = repo_root();
    let bin = match &opts.bin {
        Some(b) => return b.canonicalize().map_err(io(b.display())),
        None => {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("target"));
            target.join("release").join("tsunagu")
        }
    };
    let built = std::fs::metadata(&bin).and_then(|m| m.modified()).ok();
    let stale = match (built, newest_source(&root)) {
        (None, _) => true,
        (Some(b), Some(s)) => s > b,
        (Some(_), None) => false,
    };
    if stale && opts.rebuild {
        eprintln!(
            "{} is {}: running `cargo build --release --bin tsunagu` …",
            bin.display(),
            if built.is_none() {
                "missing"
            } else {
                "older than the sources"
            }
        );
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "--release", "--bin", "tsunagu"])
            .current_dir(&root)
            .status()
            .map_err(io("cargo build --release"))?;
        if !status.success() {
            if bin.exists() {
                eprintln!("warning: `cargo build --release` failed; measuring the existing (older) binary");
            } else {
                return Err(
                    "`cargo build --release` failed and there is no tsunagu binary to measure"
                        .into(),
                );
            }
        }
    } else if stale {
        eprintln!(
            "warning: {} is older than the sources (--no-rebuild)",
            bin.display()
        );
    }
    if !bin.exists() {
        return Err(format!(
            "{} does not exist: run `cargo build --release`",
            bin.display()
        ));
    }
    Ok(bin)
}

// ---------------------------------------------------------------- competitors

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

fn find_hugo() -> Option<PathBuf> {
    on_path("hugo")
}

/// Pagefind's native binary from an npm install in the work dir (so node's
/// start-up is not timed), else its npm wrapper, else `pagefind` on PATH.
fn find_pagefind(work: &Path) -> Option<PathBuf> {
    let nm = work.join("node_modules");
    if let Ok(rd) = std::fs::read_dir(nm.join("@pagefind")) {
        // The npm wrapper prefers `pagefind_extended` (with the Japanese
        // segmenter) and so do we.
        let mut native: Vec<PathBuf> = rd
            .flatten()
            .flat_map(|e| {
                ["pagefind_extended", "pagefind"].map(|name| e.path().join("bin").join(name))
            })
            .filter(|p| p.is_file())
            .collect();
        native.sort_by_key(|p| !p.ends_with("pagefind_extended"));
        if let Some(p) = native.into_iter().next() {
            return Some(p);
        }
    }
    let wrapper = nm.join(".bin").join("pagefind");
    if wrapper.exists() {
        return Some(wrapper);
    }
    on_path("pagefind")
}

fn install_competitors(work: &Path) {
    let step = |what: &str, cmd: &mut Command| {
        eprintln!("--install-competitors: {what}");
        match cmd.status() {
            Ok(s) if s.success() => true,
            Ok(s) => {
                eprintln!("warning: {what} failed ({s})");
                false
            }
            Err(e) => {
                eprintln!("warning: {what}: {e}");
                false
            }
        }
    };
    if find_hugo().is_none() {
        let apt = Command::new("apt-get").arg("--version").output().is_ok();
        if apt
            && step(
                "apt-get update",
                Command::new("apt-get").arg("update").arg("-q"),
            )
        {
            step(
                "apt-get install -y hugo",
                Command::new("apt-get")
                    .args(["install", "-y", "-q", "hugo"])
                    .env("DEBIAN_FRONTEND", "noninteractive"),
            );
        } else if !apt {
            eprintln!("warning: no apt-get: install Hugo yourself");
        }
    }
    if find_pagefind(work).is_none() {
        if !work.join("package.json").exists() {
            let _ = std::fs::write(
                work.join("package.json"),
                "{\"name\": \"tsunagu-bench-competitors\", \"private\": true}\n",
            );
        }
        step(
            "npm install pagefind (in the work dir)",
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "pagefind"])
                .current_dir(work),
        );
    }
}

// ---------------------------------------------------------------- inputs

fn stamp_text(n: usize) -> String {
    format!(
        "tsunagu bench portal, generator v{}, {n} entries\n",
        gen::GEN_VERSION
    )
}

fn is_complete(dir: &Path, n: usize) -> bool {
    std::fs::read_to_string(dir.join(".bench-complete")).is_ok_and(|s| s == stamp_text(n))
}

/// The tsunagu portal (and Hugo site, when wanted) for `n` entries,
/// generated unless cached. Returns the generation time when it ran.
fn ensure_inputs(
    opts: &Options,
    n: usize,
    want_hugo: bool,
) -> Res<(PathBuf, Option<PathBuf>, Option<f64>)> {
    let v = gen::GEN_VERSION;
    let portal = opts.work.join(format!("portal-{n}-g{v}"));
    let hugo_site = opts.work.join(format!("hugo-site-{n}-g{v}"));
    let need_portal = opts.regenerate || !is_complete(&portal, n);
    let need_hugo = want_hugo && (opts.regenerate || !is_complete(&hugo_site, n));
    if !need_portal && !need_hugo {
        return Ok((portal, want_hugo.then_some(hugo_site), None));
    }
    let pid = std::process::id();
    let tmp_portal = opts.work.join(format!(".tmp-portal-{n}-{pid}"));
    let tmp_hugo = opts.work.join(format!(".tmp-hugo-{n}-{pid}"));
    eprint!(
        "generating {}{}{} for {n} entries … ",
        if need_portal { "the portal" } else { "" },
        if need_portal && need_hugo {
            " and "
        } else {
            ""
        },
        if need_hugo { "the Hugo site" } else { "" }
    );
    let _ = std::io::stderr().flush();
    let start = Instant::now();
    if need_portal {
        remove_dir(&tmp_portal).map_err(io(tmp_portal.display()))?;
        for kind in gen::Kind::ALL {
            std::fs::create_dir_all(tmp_portal.join("content").join(kind.folder()))
                .map_err(io(tmp_portal.display()))?;
        }
        std::fs::write(tmp_portal.join("site.toml"), gen::site_toml(n)).map_err(io("site.toml"))?;
    }
    if need_hugo {
        remove_dir(&tmp_hugo).map_err(io(tmp_hugo.display()))?;
        hugo::write_skeleton(&tmp_hugo).map_err(io(tmp_hugo.display()))?;
    }
    gen::generate(n, |e| -> Res<()> {
        if need_portal {
            let p = tmp_portal
                .join("content")
                .join(e.kind.folder())
                .join(e.file_name());
            std::fs::write(&p, e.to_tsunagu()).map_err(io(p.display()))?;
        }
        if need_hugo {
            let p = tmp_hugo
                .join("content")
                .join(e.kind.folder())
                .join(format!("{}.md", e.slug));
            std::fs::write(&p, hugo::content_file(e)).map_err(io(p.display()))?;
        }
        Ok(())
    })?;
    for (need, tmp, dest) in [
        (need_portal, &tmp_portal, &portal),
        (need_hugo, &tmp_hugo, &hugo_site),
    ] {
        if need {
            std::fs::write(tmp.join(".bench-complete"), stamp_text(n)).map_err(io("stamp"))?;
            remove_dir(dest).map_err(io(dest.display()))?;
            std::fs::rename(tmp, dest).map_err(io(dest.display()))?;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!("{secs:.1} s");
    Ok((portal, want_hugo.then_some(hugo_site), Some(secs)))
}

// ---------------------------------------------------------------- parsing

/// From "built N entries into DIR (F files) in T ms": (N, F).
fn parse_built_line(stderr: &str) -> (Option<u64>, Option<u64>) {
    let Some(line) = stderr
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("built "))
    else {
        return (None, None);
    };
    let entries = line
        .split_whitespace()
        .nth(1)
        .and_then(|w| w.replace(',', "").parse().ok());
    let files = line
        .rsplit_once(" files)")
        .and_then(|(head, _)| head.rsplit('(').next())
        .and_then(|w| w.trim().replace(',', "").parse().ok());
    (entries, files)
}

/// Stage timings printed by the build ("render 123 ms", "index: 4.5ms",
/// "write 0.2 s"): every line other than the summary that has a label
/// followed by a duration.
fn parse_stages(stderr: &str) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for line in stderr.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with("built ") {
            continue;
        }
        let tokens: Vec<&str> = l.split_whitespace().collect();
        for (i, tok) in tokens.iter().enumerate() {
            let tok = tok
                .trim_start_matches(['(', '=', ':'])
                .trim_end_matches([')', ',', ';']);
            let next = tokens
                .get(i + 1)
                .map(|t| t.trim_end_matches([')', ',', ';']));
            let parsed = [("ms", 1.0), ("µs", 0.001), ("us", 0.001), ("s", 1000.0)]
                .iter()
                .find_map(|(unit, scale)| {
                    if let Some(num) = tok.strip_suffix(unit) {
                        num.parse::<f64>().ok().map(|v| v * scale)
                    } else if next == Some(unit) {
                        tok.parse::<f64>().ok().map(|v| v * scale)
                    } else {
                        None
                    }
                });
            if let Some(ms) = parsed {
                let label = tokens[..i].join(" ");
                let label = label
                    .trim()
                    .trim_end_matches([':', '=', '-'])
                    .trim()
                    .to_string();
                if !label.is_empty() && label.len() < 60 {
                    out.push((label, ms));
                }
                break;
            }
        }
    }
    out
}

/// Median per stage over runs, in first-seen order.
fn stage_medians(samples: &[Sample]) -> Vec<(String, f64)> {
    let mut order: Vec<String> = Vec::new();
    let mut values: std::collections::HashMap<String, Vec<f64>> = Default::default();
    for s in samples {
        for (label, ms) in parse_stages(&s.stderr) {
            if !values.contains_key(&label) {
                order.push(label.clone());
            }
            values.entry(label).or_default().push(ms);
        }
    }
    order
        .into_iter()
        .map(|l| {
            let v = values.remove(&l).unwrap_or_default();
            (l, median(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_line() {
        let s = "built 9876 entries into /x/out (12345 files) in 812 ms\n";
        assert_eq!(parse_built_line(s), (Some(9876), Some(12345)));
    }

    #[test]
    fn stages() {
        let s = "load 12 ms\nvalidate: 40.5ms\n  render   0.3 s\nbuilt 3 entries into o (1 files) in 5 ms\n";
        let v = parse_stages(s);
        assert_eq!(v.len(), 3);
        assert_eq!(v[0], ("load".to_string(), 12.0));
        assert_eq!(v[1], ("validate".to_string(), 40.5));
        assert_eq!(v[2], ("render".to_string(), 300.0));
    }
}
