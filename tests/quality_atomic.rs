//! A build that dies never damages the portal that is already online.
//!
//! The demo portal is built into `out`; then a build of a large generated
//! portal into the same `out` is killed with SIGKILL (no chance to clean
//! up) — once while it renders, once while it writes its files — and
//! `out` must still be byte-identical to the first build. A normal build
//! afterwards must succeed and leave no `.out.tsunagu-tmp-*` /
//! `.out.tsunagu-old-*` folder behind.
//!
//! Where `strace` is installed, the kill is also placed exactly on the
//! swap's `rename` system calls, to test the last instants of a build.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A portal of `n` small centers, plus the small fixture's entries.
fn big_portal(root: &Path, n: usize) {
    copy_dir(&repo().join("tests/fixtures/portals/small"), root);
    let dir = root.join("content/centers");
    for i in 0..n {
        std::fs::write(
            dir.join(format!("c{i:05}.md")),
            format!(
                "---\nname: 相談窓口 {i}\nkana: そうだんまどぐち{i}\nsummary: テスト用の窓口 {i} です。\nverified: 2026-10-01\n---\n本文 {i}\n"
            ),
        )
        .unwrap();
    }
}

fn spawn_build(root: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env("SOURCE_DATE_EPOCH", NOW)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn tsunagu build")
}

/// The temporary folder a running build `pid` writes next to `out`.
fn tmp_dir(out: &Path, pid: u32) -> PathBuf {
    let name = out.file_name().unwrap().to_string_lossy();
    out.with_file_name(format!(".{name}.tsunagu-tmp-{pid}"))
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

/// Folders a build leaves next to `out` (`.out.tsunagu-…`).
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.tsunagu-")))
        .collect()
}

fn assert_same(out: &Path, before: &BTreeMap<String, Vec<u8>>, when: &str) {
    assert!(out.is_dir(), "{when}: {} no longer exists", out.display());
    let after = tree(out);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "{when}: the set of files in out changed"
    );
    for (path, bytes) in before {
        assert!(&after[path] == bytes, "{when}: {path} changed");
    }
}

/// SIGKILL (`Child::kill` on Unix) and reap.
fn kill(mut child: Child) {
    child.kill().expect("SIGKILL");
    let status = child.wait().unwrap();
    assert!(!status.success(), "the build was not killed: {status:?}");
}

#[test]
fn a_killed_build_leaves_the_previous_output_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_ok(&build(&repo(), &out));
    let before = tree(&out);
    assert!(before.contains_key("index.html") && before.len() > 50);

    // 1. Killed while it loads, validates and renders 20,000 entries.
    let big = tmp.path().join("big");
    big_portal(&big, 20_000);
    let mut child = spawn_build(&big, &out);
    std::thread::sleep(Duration::from_secs(4));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the 20,000-entry build finished within 4 s: make it bigger so the kill lands midway"
    );
    kill(child);
    assert_same(&out, &before, "after a kill while rendering");

    // 2. Killed while it writes its files into the temporary folder. A
    // smaller portal first, so the write phase comes soon in a debug
    // build; larger ones if a fast machine finished before the kill.
    let mut killed_while_writing = false;
    for (attempt, n) in [1_500, 6_000, 20_000].into_iter().enumerate() {
        let portal = tmp.path().join(format!("writing-{attempt}"));
        big_portal(&portal, n);
        let mut child = spawn_build(&portal, &out);
        let pid = child.id();
        let started = Instant::now();
        let mut seen = 0;
        let mut finished = false;
        while started.elapsed() < Duration::from_secs(300) {
            if child.try_wait().unwrap().is_some() {
                finished = true;
                break;
            }
            let t = tmp_dir(&out, pid);
            if t.is_dir() {
                seen = count_files(&t);
                if seen >= 100 {
                    break;
                }
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if finished {
            // Too fast to catch: put the demo back and try a bigger portal.
            eprintln!("a {n}-entry build finished before the kill; trying a bigger one");
            assert_ok(&build(&repo(), &out));
            assert_same(&out, &before, "after restoring the demo");
            continue;
        }
        assert!(seen >= 100, "never saw the build writing (timeout)");
        kill(child);
        assert!(
            tmp_dir(&out, pid).is_dir(),
            "the killed build's temporary folder"
        );
        assert_same(&out, &before, "after a kill while writing");
        killed_while_writing = true;
        break;
    }
    assert!(
        killed_while_writing,
        "no build could be killed while writing"
    );

    // 3. The next normal build replaces out and cleans up after the dead ones.
    assert_ok(&build(&repo(), &out));
    let left = leftovers(&out);
    assert!(left.is_empty(), "left behind next to out: {left:?}");
    assert_same(
        &out,
        &before,
        "after a normal rebuild (same input, same SOURCE_DATE_EPOCH)",
    );
}

/// The path of a working `strace`: installed, and allowed to trace here.
fn strace() -> Option<&'static str> {
    let path = ["/usr/bin/strace", "/bin/strace"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    let probe = Command::new(path)
        .args(["-f", "-qq", "-o", "/dev/null", "-e", "trace=none", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    if !probe.success() {
        eprintln!("strace cannot trace here (ptrace not permitted?): skipped");
        return None;
    }
    Some(path)
}

enum Traced {
    /// No usable strace: the test cannot say anything.
    Unavailable,
    /// Killed on entering the N-th rename.
    Killed,
    /// The build made fewer than N renames and finished.
    Finished,
}

/// `strace` kills the build on entering its N-th rename(2)/renameat(2)/
/// renameat2(2): the swap of `out` is the last of them (one exchange, or
/// rename(out → old) then rename(tmp → out)).
fn build_killed_at_rename(root: &Path, out: &Path, nth: u32) -> Traced {
    let Some(strace) = strace() else {
        return Traced::Unavailable;
    };
    let status = Command::new(strace)
        .args([
            "-f",
            "-qq",
            "-o",
            "/dev/null",
            "-e",
            "trace=rename,renameat,renameat2",
            "-e",
            &format!("inject=rename,renameat,renameat2:signal=KILL:when={nth}"),
            env!("CARGO_BIN_EXE_tsunagu"),
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env("SOURCE_DATE_EPOCH", NOW)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run strace");
    if status.success() {
        Traced::Finished
    } else {
        Traced::Killed
    }
}

fn small_with_output() -> (
    tempfile::TempDir,
    PathBuf,
    PathBuf,
    BTreeMap<String, Vec<u8>>,
) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &root);
    let out = tmp.path().join("out");
    assert_ok(&build(&root, &out));
    let before = tree(&out);
    // A change, so a finished build would differ.
    std::fs::write(
        root.join("content/pages/new.md"),
        "---\ntitle: 新しい記事\n---\n本文\n",
    )
    .unwrap();
    (tmp, root, out, before)
}

#[test]
fn killed_just_before_the_swap_the_output_is_untouched() {
    let (_tmp, root, out, before) = small_with_output();
    match build_killed_at_rename(&root, &out, 1) {
        Traced::Unavailable => return,
        Traced::Finished => panic!("the build swapped its output without any rename"),
        Traced::Killed => assert_same(&out, &before, "killed entering the first rename"),
    }
    assert_ok(&build(&root, &out));
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    assert!(out.join("pages/new/index.html").is_file());
}

#[test]
fn killed_between_the_two_renames_the_output_still_exists() {
    let (_tmp, root, out, before) = small_with_output();
    match build_killed_at_rename(&root, &out, 2) {
        Traced::Unavailable => {}
        // Two renames: killed between them, the old output must still be there.
        Traced::Killed => assert_same(&out, &before, "killed entering the second rename"),
        // One atomic exchange: the build finished; out is the new site.
        Traced::Finished => {
            assert!(
                out.join("pages/new/index.html").is_file(),
                "out is not the new build"
            );
            assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
        }
    }
}
