//! What the `tsunagu` binary prints, as people and CI see it.
//!
//! Snapshots (insta) of the three diagnostic formats (`--format human`,
//! `json`, `github`), of `tsunagu build` in CI mode and of `tsunagu stale
//! --format csv`: stdout, stderr and the exit code of the real binary, run
//! on fixture portals. Each run happens from the portal's parent folder
//! with `--root <name>`, so every path printed is the same on every
//! machine; a test fails if a machine-specific path (the checkout or a
//! temporary folder) shows up. Only the build's duration is replaced by
//! `[ms]`.
//!
//! On Linux the binary is also run with its stderr on a pseudo-terminal,
//! the one place where the progress line and colors appear, to prove that
//! CI=true, NO_COLOR and --quiet really switch them off (and that they are
//! on otherwise, so the "off" checks can fail).
//!
//! After an intended change, `INSTA_UPDATE=always cargo test --test
//! cli_output` rewrites `tests/snapshots/cli_output__*.snap`; read every
//! changed file before committing.

use clap::CommandFactory;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 2026-11-21T00:00:00Z, as in tests/errors.rs: stale warnings do not
/// change with the calendar.
const EPOCH: &str = "1795219200";

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, with the environment reset to what a plain run sees:
/// no CI, no color preference, a fixed "today".
fn tsunagu(cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tsunagu"));
    cmd.current_dir(cwd)
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .env("TERM", "xterm-256color");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run tsunagu")
}

/// stdout, stderr and the exit code as one reviewable text.
fn shown(o: &Output) -> String {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        o.status
            .code()
            .map_or("signal".to_string(), |c| c.to_string()),
        stdout,
        normalize_duration(&stderr)
    )
}

/// `… in 37 ms` → `… in [ms] ms`: the only part of the output that
/// depends on the machine's speed.
fn normalize_duration(text: &str) -> String {
    text.lines()
        .map(|line| match (line.rfind(" in "), line.ends_with(" ms")) {
            (Some(at), true)
                if line[at + 4..line.len() - 3]
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
            {
                format!("{} in [ms] ms", &line[..at])
            }
            _ => line.to_string(),
        })
        .map(|l| l + "\n")
        .collect()
}

/// No checkout path, temporary folder or home folder in the output.
fn assert_no_machine_paths(o: &Output, also: &[&Path]) {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let mut forbidden: Vec<PathBuf> = vec![manifest().to_path_buf(), std::env::temp_dir()];
    forbidden.extend(also.iter().map(|p| p.to_path_buf()));
    if let Some(home) = std::env::var_os("HOME") {
        forbidden.push(PathBuf::from(home));
    }
    for p in forbidden {
        let p = p.to_string_lossy().trim_end_matches('/').to_string();
        if p.len() > 1 {
            assert!(!all.contains(&p), "output names a machine path {p}:\n{all}");
        }
    }
}

fn cli_fixtures() -> PathBuf {
    manifest().join("tests/fixtures/cli")
}

fn error_fixtures() -> PathBuf {
    manifest().join("tests/fixtures/errors")
}

fn check(dir: &Path, root: &str, format: &str) -> Output {
    let o = run(tsunagu(dir, &["check", "--root", root, "--format", format]).env("NO_COLOR", "1"));
    assert_no_machine_paths(&o, &[]);
    o
}

// ---------------------------------------------------------------- formats

/// Three entries: an invalid phone and an unknown field (errors, with
/// their source lines) and a stale `verified` date (a warning).
#[test]
fn check_human() {
    let o = check(&cli_fixtures(), "mixed", "human");
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("check_human", shown(&o));
}

#[test]
fn check_json() {
    let o = check(&cli_fixtures(), "mixed", "json");
    assert_eq!(o.status.code(), Some(1));
    for line in String::from_utf8_lossy(&o.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        for key in [
            "file", "line", "column", "severity", "code", "message", "help",
        ] {
            assert!(v.get(key).is_some(), "no `{key}` in {line}");
        }
    }
    insta::assert_snapshot!("check_json", shown(&o));
}

#[test]
fn check_github() {
    let o = check(&cli_fixtures(), "mixed", "github");
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("check_github", shown(&o));
}

/// Warnings only: printed, and the exit code is still 0.
#[test]
fn check_warnings_only_exits_zero() {
    let dir = error_fixtures();
    let human = check(&dir, "stale", "human");
    let json = check(&dir, "stale", "json");
    let github = check(&dir, "stale", "github");
    for o in [&human, &json, &github] {
        assert_eq!(o.status.code(), Some(0), "{}", shown(o));
    }
    insta::assert_snapshot!(
        "check_stale_all_formats",
        format!(
            "=== human\n{}=== json\n{}=== github\n{}",
            shown(&human),
            shown(&json),
            shown(&github)
        )
    );
}

/// A problem with no file position (no site.toml): no snippet, no
/// `line=` property, `null` in JSON.
#[test]
fn check_problem_without_a_position() {
    let dir = error_fixtures();
    let outs: Vec<Output> = ["human", "json", "github"]
        .iter()
        .map(|f| check(&dir, "site-toml-missing", f))
        .collect();
    for o in &outs {
        assert_eq!(o.status.code(), Some(1), "{}", shown(o));
    }
    insta::assert_snapshot!(
        "check_site_toml_missing_all_formats",
        format!(
            "=== human\n{}=== json\n{}=== github\n{}",
            shown(&outs[0]),
            shown(&outs[1]),
            shown(&outs[2])
        )
    );
}

/// The one problem docs/diagnostics.md shows in all three formats.
#[test]
fn docs_show_one_problem_in_all_three_formats() {
    let dir = error_fixtures().join("unknown-field");
    let docs = std::fs::read_to_string(manifest().join("docs/diagnostics.md")).unwrap();
    let section = docs
        .find("## 同じ問題を3つの形式で")
        .map(|at| &docs[at..])
        .expect("docs/diagnostics.md has the section `## 同じ問題を3つの形式で`");
    for format in ["human", "json", "github"] {
        // Only the one file the docs show, as the section says.
        let o =
            run(tsunagu(&dir, &["check", "--root", ".", "--format", format]).env("NO_COLOR", "1"));
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let mut quoted = 0;
        for line in text.lines().filter(|l| l.contains("categorys")) {
            assert!(
                section.contains(line),
                "docs/diagnostics.md (all three formats) does not quote this {format} line:\n{line}"
            );
            quoted += 1;
        }
        assert!(
            quoted > 0,
            "{format}: nothing about typo-categorys.md in\n{text}"
        );
    }
}

/// Without a terminal there is no color even when NO_COLOR is not set.
#[test]
fn human_format_has_no_color_in_a_pipe() {
    let o = run(&mut tsunagu(&cli_fixtures(), &["check", "--root", "mixed"]));
    let with_no_color = check(&cli_fixtures(), "mixed", "human");
    assert!(!o.stderr.contains(&0x1b), "{}", shown(&o));
    assert_eq!(o.stderr, with_no_color.stderr);
}

// ------------------------------------------------------------ build, stale

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of a fixture portal in a temporary folder, as `<tmp>/<name>`.
fn copy_portal(from: &Path, name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(from, &tmp.path().join(name));
    tmp
}

fn small() -> PathBuf {
    manifest().join("tests/fixtures/portals/small")
}

#[test]
fn build_in_ci() {
    let tmp = copy_portal(&small(), "small");
    let o = run(tsunagu(tmp.path(), &["build", "--root", "small"]).env("CI", "true"));
    assert_eq!(o.status.code(), Some(0), "{}", shown(&o));
    assert!(tmp.path().join("small/public/index.html").is_file());
    assert_no_machine_paths(&o, &[tmp.path()]);
    // No progress line and no escape sequence at all in a CI log.
    assert!(!o.stderr.contains(&0x1b), "{}", shown(&o));
    assert!(!o.stderr.contains(&b'\r'), "{}", shown(&o));
    insta::assert_snapshot!("build_small_ci", shown(&o));
}

#[test]
fn build_quiet_prints_nothing_when_all_is_well() {
    let tmp = copy_portal(&small(), "small");
    let o = run(&mut tsunagu(
        tmp.path(),
        &["build", "--root", "small", "--quiet"],
    ));
    assert_eq!(o.status.code(), Some(0), "{}", shown(&o));
    assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{}", shown(&o));
}

#[test]
fn build_failure_in_ci() {
    let tmp = copy_portal(&cli_fixtures().join("mixed"), "mixed");
    let o = run(tsunagu(tmp.path(), &["build", "--root", "mixed"])
        .env("CI", "true")
        .env("NO_COLOR", "1"));
    assert_eq!(o.status.code(), Some(1), "{}", shown(&o));
    assert!(!tmp.path().join("mixed/public").exists());
    assert_no_machine_paths(&o, &[tmp.path()]);
    insta::assert_snapshot!("build_mixed_fails_ci", shown(&o));
}

#[test]
fn stale_csv() {
    let o = run(&mut tsunagu(
        &manifest().join("tests/fixtures/portals"),
        &[
            "stale", "--root", "small", "--format", "csv", "--days", "30",
        ],
    ));
    assert_eq!(o.status.code(), Some(0), "{}", shown(&o));
    assert_no_machine_paths(&o, &[]);
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    assert!(text.starts_with("\u{feff}verified,days,"), "{text}");
    assert!(text.lines().count() > 1, "no stale entry listed: {text}");
    insta::assert_snapshot!("stale_small_csv", shown(&o));
}

/// `--output FILE` writes exactly what stdout would get, replacing an
/// older file, and leaves no temporary file behind.
#[test]
fn stale_and_schema_write_to_output_files() {
    let portals = manifest().join("tests/fixtures/portals");
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<&str>); 2] = [
        (
            "recheck.csv",
            vec![
                "stale", "--root", "small", "--format", "csv", "--days", "30",
            ],
        ),
        ("entry.schema.json", vec!["schema", "--root", "small"]),
    ];
    for (name, args) in cases {
        let target = tmp.path().join(name);
        std::fs::write(&target, "an older version").unwrap();
        let to_stdout = run(&mut tsunagu(&portals, &args));
        assert_eq!(to_stdout.status.code(), Some(0), "{}", shown(&to_stdout));
        let mut with_output = args.clone();
        let target_arg = target.to_string_lossy().into_owned();
        with_output.extend(["--output", &target_arg]);
        let o = run(&mut tsunagu(&portals, &with_output));
        assert_eq!(o.status.code(), Some(0), "{}", shown(&o));
        assert!(o.stdout.is_empty(), "{name}: also printed to stdout");
        assert_eq!(std::fs::read(&target).unwrap(), to_stdout.stdout, "{name}");
    }
    let mut left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["entry.schema.json", "recheck.csv"]);
    // The schema written is the JSON Schema, whole.
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("entry.schema.json")).unwrap())
            .unwrap();
    assert!(schema.get("$schema").is_some() || schema.get("properties").is_some());
}

#[test]
fn output_into_a_missing_folder_is_an_error_with_help() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&mut tsunagu(
        tmp.path(),
        &["schema", "--output", "no-such-folder/entry.schema.json"],
    ));
    assert_eq!(o.status.code(), Some(1), "{}", shown(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot write no-such-folder/entry.schema.json") && err.contains("help:"),
        "{err}"
    );
    assert!(!tmp.path().join("no-such-folder").exists());
}

// ------------------------------------------------------------------ --help

/// Every command and sub-command, as its words after `tsunagu`.
fn command_paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<(Vec<String>, String)>) {
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_string());
        let after = sub
            .get_after_help()
            .or(sub.get_after_long_help())
            .map(|s| s.to_string())
            .unwrap_or_default();
        out.push((path.clone(), after));
        command_paths(sub, &path, out);
    }
}

/// A new command without an example in its `--help` fails here.
#[test]
fn every_command_help_has_an_example() {
    let mut commands = Vec::new();
    command_paths(&tsunagu::cli::Cli::command(), &[], &mut commands);
    assert!(commands.len() >= 10, "{commands:?}");
    for (path, after) in &commands {
        let name = path.join(" ");
        let examples = after
            .find("例 / Examples:")
            .map(|at| &after[at..])
            .unwrap_or_else(|| panic!("`tsunagu {name} --help` has no `例 / Examples:` section"));
        let invocation = format!("  tsunagu {name}");
        assert!(
            examples.lines().any(|l| l.starts_with(&invocation)),
            "`tsunagu {name} --help`: no example line starting with `tsunagu {name}`:\n{examples}"
        );
        // Each example is introduced by a comment; Japanese first.
        let comments: Vec<&str> = examples
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .collect();
        assert!(
            comments.iter().any(|c| c.chars().any(|ch| ch > '\u{3000}')),
            "`tsunagu {name} --help`: no Japanese comment on the examples:\n{examples}"
        );
        // And the binary really prints it.
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let o = run(&mut tsunagu(manifest(), &args));
        assert_eq!(
            o.status.code(),
            Some(0),
            "tsunagu {name} --help: {}",
            shown(&o)
        );
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("例 / Examples:"),
            "tsunagu {name} --help does not print the examples"
        );
    }
}

// ------------------------------------------- on a terminal (pseudo-terminal)

#[cfg(target_os = "linux")]
mod terminal {
    use super::*;
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};

    /// Runs `cmd` with stderr on a new pseudo-terminal; returns the exit
    /// code and everything written to the terminal.
    pub fn run_on_pty(mut cmd: Command) -> (Option<i32>, Vec<u8>) {
        // SAFETY: plain libc calls on fds this function owns; every return
        // value is checked before use.
        let (master, slave) = unsafe {
            let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
            assert!(m >= 0, "posix_openpt: {}", std::io::Error::last_os_error());
            let master = OwnedFd::from_raw_fd(m);
            assert_eq!(libc::grantpt(m), 0, "grantpt");
            assert_eq!(libc::unlockpt(m), 0, "unlockpt");
            let mut name = [0 as libc::c_char; 128];
            assert_eq!(
                libc::ptsname_r(m, name.as_mut_ptr(), name.len()),
                0,
                "ptsname_r"
            );
            let s = libc::open(name.as_ptr(), libc::O_RDWR | libc::O_NOCTTY);
            assert!(
                s >= 0,
                "open pty slave: {}",
                std::io::Error::last_os_error()
            );
            (master, OwnedFd::from_raw_fd(s))
        };
        cmd.stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::from(slave));
        let mut child = cmd.spawn().expect("run tsunagu on a pty");
        // Closes this process's copy of the terminal's slave side, so the
        // read below ends when the child exits.
        drop(cmd);
        let mut master = std::fs::File::from(master);
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match master.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
                // EIO: every slave side is closed.
                Err(_) => break,
            }
        }
        let status = child.wait().expect("wait for tsunagu");
        (status.code(), seen)
    }

    fn build_on_pty(env: &[(&str, &str)], extra: &[&str]) -> (Option<i32>, String) {
        let tmp = copy_portal(&small(), "small");
        let mut args = vec!["build", "--root", "small"];
        args.extend_from_slice(extra);
        let mut cmd = tsunagu(tmp.path(), &args);
        cmd.env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let (code, seen) = run_on_pty(cmd);
        (code, String::from_utf8_lossy(&seen).into_owned())
    }

    const ERASE_LINE: &str = "\r\x1b[2K";

    /// The control: at a terminal, outside CI, the stages are drawn on
    /// one line and the line is cleared before the summary.
    #[test]
    fn build_on_a_terminal_shows_progress_and_clears_it() {
        let (code, seen) = build_on_pty(&[], &[]);
        assert_eq!(code, Some(0), "{seen:?}");
        assert!(
            seen.contains(ERASE_LINE),
            "no progress line drawn: {seen:?}"
        );
        for stage in ["load", "render"] {
            assert!(seen.contains(stage), "stage `{stage}` not shown: {seen:?}");
        }
        // The summary comes after the cleared line, at its start.
        let summary = seen.find("built ").expect("summary line");
        let last_clear = seen.rfind(ERASE_LINE).unwrap();
        assert!(last_clear < summary, "{seen:?}");
        assert!(
            seen[last_clear + ERASE_LINE.len()..].starts_with("built "),
            "{seen:?}"
        );
    }

    #[test]
    fn build_in_ci_on_a_terminal_prints_no_progress() {
        for ci in ["true", "1", "yes"] {
            let (code, seen) = build_on_pty(&[("CI", ci)], &[]);
            assert_eq!(code, Some(0), "{seen:?}");
            assert!(
                !seen.contains('\x1b'),
                "CI={ci}: escape sequence in {seen:?}"
            );
            assert!(seen.contains("built "), "{seen:?}");
        }
        // CI=false is someone switching CI mode off: progress again.
        let (_, seen) = build_on_pty(&[("CI", "false")], &[]);
        assert!(seen.contains(ERASE_LINE), "CI=false: {seen:?}");
    }

    #[test]
    fn build_quiet_or_dumb_terminal_prints_no_progress() {
        let (code, seen) = build_on_pty(&[], &["--quiet"]);
        assert_eq!(code, Some(0), "{seen:?}");
        assert_eq!(seen, "", "--quiet printed something");
        let (_, seen) = build_on_pty(&[("TERM", "dumb")], &[]);
        assert!(!seen.contains('\x1b'), "TERM=dumb: {seen:?}");
    }

    fn check_on_pty(no_color: Option<&str>) -> String {
        let mut cmd = tsunagu(&cli_fixtures(), &["check", "--root", "mixed"]);
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let (code, seen) = run_on_pty(cmd);
        assert_eq!(code, Some(1));
        String::from_utf8_lossy(&seen).into_owned()
    }

    #[test]
    fn human_format_is_colored_on_a_terminal_unless_no_color() {
        assert!(
            check_on_pty(None).contains("\x1b["),
            "no color on a terminal"
        );
        assert!(
            check_on_pty(Some("")).contains("\x1b["),
            "empty NO_COLOR counts as unset"
        );
        let plain = check_on_pty(Some("1"));
        assert!(!plain.contains('\x1b'), "NO_COLOR=1: {plain:?}");
        assert!(plain.contains("categorys"), "{plain:?}");
    }
}
