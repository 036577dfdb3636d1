//! Running a command and measuring it: wall time, peak memory (max RSS)
//! of the child, and the size of what it wrote.

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Sample {
    pub wall: Duration,
    /// Peak resident set size of the child, in KiB.
    pub rss_kib: Option<u64>,
    /// User + system CPU time of the child, in seconds (GNU time only).
    pub cpu_s: Option<f64>,
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// How peak memory is read.
#[derive(Debug, Clone)]
enum RssMethod {
    /// `/usr/bin/time -f %M -o FILE` (GNU time: ru_maxrss from wait4).
    GnuTime(PathBuf),
    /// Poll `VmHWM` in `/proc/PID/status` while the child runs (a lower
    /// bound: growth in the last poll interval before exit is missed).
    ProcPoll,
}

pub struct Runner {
    method: RssMethod,
    scratch: PathBuf,
}

impl Runner {
    pub fn new(scratch: &Path) -> io::Result<Runner> {
        std::fs::create_dir_all(scratch)?;
        let mut runner = Runner {
            method: RssMethod::ProcPoll,
            scratch: scratch.to_path_buf(),
        };
        let time = PathBuf::from("/usr/bin/time");
        if time.exists() {
            let probe = scratch.join("probe.rss");
            let ok = Command::new(&time)
                .args(["-f", TIME_FORMAT, "-o"])
                .arg(&probe)
                .arg("true")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            let parsed = std::fs::read_to_string(&probe)
                .ok()
                .and_then(|s| parse_time_output(&s));
            if ok && parsed.is_some() {
                runner.method = RssMethod::GnuTime(time);
            }
        }
        Ok(runner)
    }

    pub fn describe(&self) -> &'static str {
        match self.method {
            RssMethod::GnuTime(_) => {
                "max RSS and CPU time from `/usr/bin/time -f '%M %U %S'` (the wait4 rusage of the child)"
            }
            RssMethod::ProcPoll => {
                "max RSS by polling VmHWM in /proc/PID/status every ms (a lower bound)"
            }
        }
    }

    /// Runs `program args` with `env` added; stdout and stderr are captured.
    pub fn run(
        &self,
        program: &Path,
        args: &[OsString],
        env: &[(&str, String)],
        cwd: Option<&Path>,
    ) -> io::Result<Sample> {
        let out_path = self.scratch.join("child.stdout");
        let err_path = self.scratch.join("child.stderr");
        let rss_path = self.scratch.join("child.rss");
        let _ = std::fs::remove_file(&rss_path);
        let mut cmd = match &self.method {
            RssMethod::GnuTime(time) => {
                let mut c = Command::new(time);
                c.args(["-f", TIME_FORMAT, "-o"])
                    .arg(&rss_path)
                    .arg(program);
                c
            }
            RssMethod::ProcPoll => Command::new(program),
        };
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(File::create(&out_path)?)
            .stderr(File::create(&err_path)?);
        for (k, v) in env {
            cmd.env(k, v);
        }
        if let Some(dir) = cwd {
            cmd.current_dir(dir);
        }
        let start = Instant::now();
        let mut child = cmd.spawn()?;
        let mut polled: u64 = 0;
        let status = match self.method {
            RssMethod::GnuTime(_) => child.wait()?,
            RssMethod::ProcPoll => {
                let status_file = format!("/proc/{}/status", child.id());
                loop {
                    if let Some(s) = child.try_wait()? {
                        break s;
                    }
                    if let Ok(text) = std::fs::read_to_string(&status_file) {
                        if let Some(kib) = text
                            .lines()
                            .find(|l| l.starts_with("VmHWM:"))
                            .and_then(parse_last_number)
                        {
                            polled = polled.max(kib);
                        }
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        };
        let wall = start.elapsed();
        let (rss_kib, cpu_s) = match self.method {
            RssMethod::GnuTime(_) => std::fs::read_to_string(&rss_path)
                .ok()
                .and_then(|s| parse_time_output(&s))
                .map_or((None, None), |(m, c)| (Some(m), Some(c))),
            RssMethod::ProcPoll => ((polled > 0).then_some(polled), None),
        };
        Ok(Sample {
            wall,
            rss_kib,
            cpu_s,
            success: status.success(),
            code: status.code(),
            stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
            stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
        })
    }
}

/// GNU time's output: max RSS in KiB, user and system seconds.
const TIME_FORMAT: &str = "%M %U %S";

/// (max RSS KiB, user + system seconds) from the last line GNU time wrote
/// (on failure it writes "Command exited with non-zero status 1" first).
fn parse_time_output(s: &str) -> Option<(u64, f64)> {
    let line = s.lines().rev().find(|l| !l.trim().is_empty())?;
    let mut w = line.split_whitespace();
    let rss = w.next()?.parse().ok()?;
    let user: f64 = w.next()?.parse().ok()?;
    let sys: f64 = w.next()?.parse().ok()?;
    Some((rss, user + sys))
}

/// The last whitespace-separated number in `s`.
fn parse_last_number(s: &str) -> Option<u64> {
    s.split_whitespace().rev().find_map(|w| w.parse().ok())
}

/// Total bytes and number of regular files under `dir` (0, 0 if absent).
pub fn dir_stats(dir: &Path) -> (u64, u64) {
    let mut bytes = 0;
    let mut files = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&d) else {
            continue;
        };
        for item in read.flatten() {
            let Ok(meta) = item.metadata() else { continue };
            if meta.is_dir() {
                stack.push(item.path());
            } else if meta.is_file() {
                bytes += meta.len();
                files += 1;
            }
        }
    }
    (bytes, files)
}

pub fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Flushes dirty pages so one run's writeback does not land in the next.
pub fn sync() {
    let _ = Command::new("sync").status();
}

pub fn remove_dir(dir: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
