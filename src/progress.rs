//! Progress of a long build, for the person watching a terminal.
//!
//! The pipeline reports stage boundaries and item counts to a
//! [`Progress`] handle carried in the build context; what it does with
//! them is decided once, at the start, by [`for_stderr`]:
//!
//! - on a terminal, one stderr line is redrawn in place
//!   (`render…`, `write pages 4,120/10,000`) and cleared at the end, so the
//!   diagnostics and the summary line that follow start on a clean line;
//! - in CI (`CI` set to anything but empty, `false` or `0`), when stderr is
//!   not a terminal (a log file, a pipe), with `TERM=dumb`, or with
//!   `--quiet`, nothing at all is printed: CI logs keep only the problems
//!   and the summary, never a pile of carriage returns.
//!
//! Hand-written rather than `indicatif`: the display is one line of text
//! with a count, redrawn at most ten times a second; the decision of when
//! to show it is the part that matters and is tested here. A progress-bar
//! crate would add a terminal-handling dependency tree (console,
//! unicode-width, …) to every build of the binary for no visible gain.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the pipeline calls while it works. Implementations must be cheap
/// and thread-safe: `advance` is called from rayon's worker threads.
pub trait Progress: Send + Sync + fmt::Debug {
    /// A new stage starts (`load`, `render`, `write pages`, …); `total` is
    /// the number of items it will count with [`Progress::advance`], when
    /// known.
    fn stage(&self, name: &'static str, total: Option<u64>);
    /// `n` more items of the current stage are done.
    fn advance(&self, n: u64);
    /// The run is over, successfully or not: remove whatever was drawn.
    /// The display stays off afterwards, so a handle that outlives its run
    /// (`serve` keeps its build context for the rebuilds) never draws over
    /// the log lines that follow.
    fn finish(&self);
}

/// The handle a [`crate::pipeline::BuildContext`] carries (cloned with
/// it; every clone draws on the same line).
pub type ProgressHandle = Arc<dyn Progress>;

/// Reports nothing: library callers, tests, CI and `--quiet`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _name: &'static str, _total: Option<u64>) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
}

/// A handle that reports nothing.
pub fn silent() -> ProgressHandle {
    Arc::new(Silent)
}

/// Whether the `CI` variable says "this is a CI run": GitHub Actions,
/// GitLab and most others set `CI=true`; an empty value, `false` or `0`
/// (any case) is someone switching it off.
pub fn ci_says_quiet(ci: Option<&str>) -> bool {
    match ci.map(str::trim) {
        None | Some("") => false,
        Some(v) => !(v.eq_ignore_ascii_case("false") || v == "0"),
    }
}

/// The whole decision, from plain inputs so it can be tested: show
/// progress only for a person at a capable terminal who did not ask for
/// quiet.
pub fn should_show(
    ci: Option<&str>,
    term: Option<&str>,
    stderr_is_terminal: bool,
    quiet: bool,
) -> bool {
    !quiet && stderr_is_terminal && !ci_says_quiet(ci) && term != Some("dumb")
}

/// The progress display for this process: a redrawn stderr line when
/// [`should_show`] says so for the real environment, else [`Silent`].
pub fn for_stderr(quiet: bool) -> ProgressHandle {
    let ci = std::env::var("CI").ok();
    let term = std::env::var("TERM").ok();
    if should_show(
        ci.as_deref(),
        term.as_deref(),
        std::io::stderr().is_terminal(),
        quiet,
    ) {
        Arc::new(Terminal::new(std::io::stderr()))
    } else {
        silent()
    }
}

/// How often a count is redrawn at most; a stage change always redraws.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// One redrawn line on a terminal (or any writer, for tests).
pub struct Terminal<W: Write + Send> {
    state: Mutex<State<W>>,
    done: AtomicU64,
}

struct State<W> {
    out: W,
    stage: Option<&'static str>,
    total: Option<u64>,
    started: Instant,
    last_draw: Option<Instant>,
    /// Something is on the line and must be cleared.
    drawn: bool,
    /// `finish` was called: draw nothing more.
    finished: bool,
}

impl<W: Write + Send> fmt::Debug for Terminal<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Terminal")
            .field("done", &self.done.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl<W: Write + Send> Terminal<W> {
    pub fn new(out: W) -> Terminal<W> {
        Terminal {
            state: Mutex::new(State {
                out,
                stage: None,
                total: None,
                started: Instant::now(),
                last_draw: None,
                drawn: false,
                finished: false,
            }),
            done: AtomicU64::new(0),
        }
    }

    fn with_state(&self, f: impl FnOnce(&mut State<W>)) {
        // A panic while drawing leaves a half-drawn line at worst; keep going.
        let mut guard = match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard);
    }
}

impl<W: Write + Send> State<W> {
    fn draw(&mut self, done: u64) {
        let Some(stage) = self.stage.filter(|_| !self.finished) else {
            return;
        };
        let elapsed = self.started.elapsed().as_secs_f64();
        let line = match self.total {
            Some(total) => format!(
                "{stage} {}/{} ({elapsed:.1} s)",
                thousands(done.min(total)),
                thousands(total)
            ),
            None if done > 0 => format!("{stage} {}… ({elapsed:.1} s)", thousands(done)),
            None => format!("{stage}… ({elapsed:.1} s)"),
        };
        // `\r` + "erase line" then the text, no newline: the next draw
        // replaces it. A failed write to stderr is not worth failing a
        // build over; the line is simply not shown.
        if write!(self.out, "\r\x1b[2K{line}")
            .and_then(|()| self.out.flush())
            .is_ok()
        {
            self.drawn = true;
        }
        self.last_draw = Some(Instant::now());
    }

    fn clear(&mut self) {
        if self.drawn
            && write!(self.out, "\r\x1b[2K")
                .and_then(|()| self.out.flush())
                .is_ok()
        {
            self.drawn = false;
        }
    }
}

impl<W: Write + Send> Progress for Terminal<W> {
    fn stage(&self, name: &'static str, total: Option<u64>) {
        self.done.store(0, Ordering::Relaxed);
        self.with_state(|s| {
            s.stage = Some(name);
            s.total = total;
            s.draw(0);
        });
    }

    fn advance(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        self.with_state(|s| {
            let due = s.last_draw.is_none_or(|t| t.elapsed() >= REDRAW_EVERY);
            let last = s.total.is_some_and(|t| done >= t);
            if due || last {
                s.draw(done);
            }
        });
    }

    fn finish(&self) {
        self.with_state(|s| {
            s.clear();
            s.stage = None;
            s.finished = true;
        });
    }
}

impl<W: Write + Send> Drop for Terminal<W> {
    /// Never leave a half line behind, even when the caller forgot
    /// `finish` on an early return.
    fn drop(&mut self) {
        self.with_state(State::clear);
    }
}

/// `10000` → `10,000`, as the counts are read at a glance.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_variable_values() {
        assert!(!ci_says_quiet(None));
        assert!(!ci_says_quiet(Some("")));
        assert!(!ci_says_quiet(Some("false")));
        assert!(!ci_says_quiet(Some("FALSE")));
        assert!(!ci_says_quiet(Some("0")));
        assert!(ci_says_quiet(Some("true")));
        assert!(ci_says_quiet(Some("1")));
        assert!(ci_says_quiet(Some("yes")));
        assert!(ci_says_quiet(Some("woodpecker")));
    }

    #[test]
    fn shown_only_on_a_terminal_outside_ci_without_quiet() {
        let xterm = Some("xterm-256color");
        assert!(should_show(None, xterm, true, false));
        assert!(should_show(Some("false"), xterm, true, false));
        assert!(should_show(None, None, true, false));
        // CI, not a terminal, --quiet, a dumb terminal: each alone silences it.
        assert!(!should_show(Some("true"), xterm, true, false));
        assert!(!should_show(None, xterm, false, false));
        assert!(!should_show(None, xterm, true, true));
        assert!(!should_show(None, Some("dumb"), true, false));
        assert!(!should_show(Some("true"), xterm, false, true));
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(4120), "4,120");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    /// A writer the test can read after the display is dropped.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn terminal() -> (Terminal<Shared>, Shared) {
        let out = Shared::default();
        (Terminal::new(out.clone()), out)
    }

    fn drawn(t: Terminal<Shared>, out: Shared) -> String {
        drop(t);
        let bytes = out.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn draws_stages_and_counts_on_one_line_and_clears_it() {
        let (t, out) = terminal();
        t.stage("load", None);
        t.stage("render", None);
        t.advance(1);
        t.stage("write pages", Some(10_000));
        t.advance(10_000);
        t.finish();
        let out = drawn(t, out);
        assert!(out.contains("load…"), "{out:?}");
        // A stage change is always drawn; a count without a total too.
        assert!(out.contains("render…"), "{out:?}");
        assert!(out.contains("write pages 0/10,000"), "{out:?}");
        // The last item is always drawn, whatever the throttle says.
        assert!(out.contains("write pages 10,000/10,000"), "{out:?}");
        assert!(
            !out.contains('\n'),
            "one redrawn line, never a new line: {out:?}"
        );
        assert!(out.ends_with("\r\x1b[2K"), "cleared at the end: {out:?}");
    }

    #[test]
    fn advances_are_throttled() {
        let (t, out) = terminal();
        t.stage("write pages", Some(1_000_000));
        for _ in 0..999 {
            t.advance(1);
        }
        let out = drawn(t, out);
        // A stage change draws once; 999 quick advances may add a few
        // redraws (one per 100 ms), never one each.
        let draws = out.matches("write pages").count();
        assert!((1..50).contains(&draws), "{draws} draws: {out:?}");
    }

    #[test]
    fn a_count_without_a_total_is_shown_as_it_grows() {
        let (t, out) = terminal();
        t.stage("render", None);
        std::thread::sleep(REDRAW_EVERY + Duration::from_millis(20));
        t.advance(4120);
        let out = drawn(t, out);
        assert!(out.contains("render 4,120…"), "{out:?}");
    }

    #[test]
    fn dropping_without_finish_clears_the_line() {
        let (t, out) = terminal();
        t.stage("load", None);
        let out = drawn(t, out);
        assert!(out.ends_with("\r\x1b[2K"), "{out:?}");
    }

    #[test]
    fn nothing_is_drawn_after_finish() {
        let (t, out) = terminal();
        t.stage("render", None);
        t.finish();
        t.stage("render again", None);
        t.advance(10);
        let out = drawn(t, out);
        assert!(!out.contains("again"), "{out:?}");
        assert!(out.ends_with("\r\x1b[2K"), "{out:?}");
    }

    #[test]
    fn nothing_drawn_nothing_cleared() {
        let (t, out) = terminal();
        t.finish();
        assert_eq!(drawn(t, out), "");
    }

    #[test]
    fn advances_from_many_threads_are_all_counted() {
        let (t, _out) = terminal();
        std::thread::scope(|s| {
            for _ in 0..4 {
                let t = &t;
                s.spawn(move || {
                    for _ in 0..250 {
                        t.advance(1);
                    }
                });
            }
        });
        assert_eq!(t.done.load(Ordering::Relaxed), 1000);
    }
}
