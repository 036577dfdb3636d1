//! A build never deletes what it did not write, and publishes nothing from
//! outside the portal (docs/quality.md, "Output and input safety").
//!
//! Each test copies the small fixture portal into a temporary folder,
//! points a build where a careless editor or an attacker would, and checks
//! the exact message, the exit code, and that every protected file is
//! still there byte for byte.

#![cfg(unix)]

mod common;

use common::*;
use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `tmp/portal` (the small fixture with a `.git` folder, as a real
/// portal has) and `tmp`.
fn portal() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &root);
    std::fs::create_dir_all(root.join(".git/refs")).unwrap();
    std::fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    (tmp, root)
}

/// Every file (and link) under `dir`, with its bytes (a link's target).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let bytes = if e.path_is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (rel, bytes)
        })
        .collect()
}

fn build_in(cwd: &Path, root: &Path, out: &Path, extra: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .current_dir(cwd)
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", NOW)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .output()
        .expect("run tsunagu")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The first two lines of a refused build: the error and its help.
fn refusal(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    stderr(o).lines().take(2).collect::<Vec<_>>().join("\n")
}

const AWAY: &str = " = help: choose a folder outside the portal's inputs and away from the portal folder, e.g. --out public (the default) or --out ../site-public";

#[test]
fn the_portal_its_inputs_and_its_parent_are_never_an_output() {
    let (tmp, root) = portal();
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let before = snapshot(tmp.path());
    let cases: Vec<(PathBuf, String)> = vec![
        (root.clone(), "it is the portal folder itself".into()),
        (
            root.join("content"),
            "it is the portal's input folder `content/`".into(),
        ),
        (
            root.join("static/site"),
            "it is inside the portal's input folder `static/`".into(),
        ),
        (
            root.join("content/../templates"),
            "it is the portal's input folder `templates/`".into(),
        ),
        (
            tmp.path().to_path_buf(),
            format!(
                "it contains the portal folder {}",
                root.canonicalize().unwrap().display()
            ),
        ),
    ];
    for (out, reason) in cases {
        // --force-out does not make any of these possible.
        for extra in [&[][..], &["--force-out"][..]] {
            let o = build_in(tmp.path(), &root, &out, extra, &home);
            assert_eq!(
                refusal(&o),
                format!("error[unsafe-output]: refusing to build into {}: {reason}; nothing was touched\n{AWAY}", out.display()),
            );
        }
    }
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "a refused build touched something"
    );
}

#[test]
fn home_and_the_working_folder_are_never_an_output() {
    let (tmp, root) = portal();
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(home.join("letter.txt"), "大事な手紙").unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(work.join("notes.txt"), "メモ").unwrap();
    let before = snapshot(tmp.path());
    let o = build_in(tmp.path(), &root, &home, &["--force-out"], &home);
    assert_eq!(
        refusal(&o),
        format!(
            "error[unsafe-output]: refusing to build into {}: it is (or contains) your home folder {}; nothing was touched\n{AWAY}",
            home.display(),
            home.canonicalize().unwrap().display()
        )
    );
    let o = build_in(&work, &root, Path::new("."), &["--force-out"], &home);
    assert_eq!(
        refusal(&o),
        format!(
            "error[unsafe-output]: refusing to build into .: it is (or contains) the folder tsunagu runs in, {}; nothing was touched\n{AWAY}",
            work.canonicalize().unwrap().display()
        )
    );
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn a_folder_tsunagu_did_not_write_is_replaced_only_with_force_out() {
    let (tmp, root) = portal();
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let docs = tmp.path().join("mydocs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("年賀状.txt"), "あけましておめでとう").unwrap();
    let before = snapshot(&docs);
    let o = build_in(tmp.path(), &root, &docs, &[], &home);
    assert_eq!(
        refusal(&o),
        format!(
            "error[unsafe-output]: refusing to build into {}: it is not empty and was not written by tsunagu (it has no .tsunagu-output file); nothing was touched\n = help: choose a new or empty folder, or delete this one; to replace it anyway (everything in it is deleted), add --force-out",
            docs.display()
        )
    );
    assert_eq!(snapshot(&docs), before);
    assert!(stderr(&o).contains(&format!(
        "build failed: nothing was written; {} is unchanged",
        docs.display()
    )));

    // Asked for explicitly, it is replaced; from then on it is an output.
    let o = build_in(tmp.path(), &root, &docs, &["--force-out"], &home);
    assert_ok(&o);
    assert!(!docs.join("年賀状.txt").exists());
    assert!(docs.join("index.html").is_file());
    assert!(std::fs::read_to_string(docs.join(".tsunagu-output"))
        .unwrap()
        .starts_with("tsunagu "));
    assert_ok(&build_in(tmp.path(), &root, &docs, &[], &home));
}

#[test]
fn a_killed_builds_leftovers_are_removed_and_a_running_builds_kept() {
    let (tmp, root) = portal();
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let out = tmp.path().join("public");
    assert_ok(&build_in(tmp.path(), &root, &out, &[], &home));
    // No process has an id above Linux's pid_max (4,194,304).
    let dead = tmp.path().join(".public.tsunagu-tmp-4294967");
    std::fs::create_dir(&dead).unwrap();
    std::fs::write(dead.join("index.html"), "half").unwrap();
    // Process 1 always runs: as if another build were writing right now.
    let live = tmp.path().join(".public.tsunagu-tmp-1");
    std::fs::create_dir(&live).unwrap();
    assert_ok(&build_in(tmp.path(), &root, &out, &[], &home));
    assert!(!dead.exists());
    assert!(live.exists());
}

#[test]
fn links_out_of_the_portal_in_static_and_templates_are_refused() {
    let (tmp, root) = portal();
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(
        tmp.path().join("passwd"),
        "root:x:0:0:root:/root:/bin/bash\n",
    )
    .unwrap();
    std::fs::create_dir(tmp.path().join("certs")).unwrap();
    std::fs::write(
        tmp.path().join("certs/ca.pem"),
        "-----BEGIN CERTIFICATE-----\n",
    )
    .unwrap();
    let out = tmp.path().join("public");
    assert_ok(&build_in(tmp.path(), &root, &out, &[], &home));
    let published = snapshot(&out);
    for (link, target, shown) in [
        (
            "static/passwd.txt",
            tmp.path().join("passwd"),
            "static/passwd.txt",
        ),
        ("static/certs", tmp.path().join("certs"), "static/certs"),
        (
            "templates/404.html",
            tmp.path().join("passwd"),
            "templates/404.html",
        ),
        (
            "themes/hiroshima/static/style.css",
            tmp.path().join("passwd"),
            "themes/hiroshima/static/style.css",
        ),
    ] {
        let path = root.join(link);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        symlink(&target, &path).unwrap();
        let o = build_in(tmp.path(), &root, &out, &[], &home);
        assert_eq!(
            refusal(&o),
            format!(
                "error[link-outside-portal]: this is a symbolic link to {}, outside the portal folder: tsunagu does not read or publish files from outside the portal\n = in {shown}",
                target.display()
            ),
            "{link}"
        );
        assert_eq!(
            snapshot(&out),
            published,
            "{link}: the last good output changed"
        );
        std::fs::remove_file(&path).unwrap();
    }
    // A link that stays inside the portal is followed.
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(
        root.join("shared/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    symlink("../shared/logo.svg", root.join("static/logo.svg")).unwrap();
    assert_ok(&build_in(tmp.path(), &root, &out, &[], &home));
    assert_eq!(
        std::fs::read_to_string(out.join("logo.svg")).unwrap(),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
}

#[test]
fn templates_cannot_read_the_environment() {
    let (tmp, root) = portal();
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let partial = root.join("templates/partials/footer.html");
    std::fs::create_dir_all(partial.parent().unwrap()).unwrap();
    std::fs::write(&partial, "<footer>\n<p>{{ site.title }}</p>\n<p>{{ get_env ( name=\"TSUNAGU_TEST_SECRET\" ) }}</p>\n</footer>\n").unwrap();
    let out = tmp.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", NOW)
        .env("NO_COLOR", "1")
        .env("TSUNAGU_TEST_SECRET", "ghp_secret_token_value")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o).lines().next().unwrap(),
        format!(
            "error[render-failed]: template `partials/footer.html` ({}): line 3: `get_env()` is not available in tsunagu templates: a template cannot read the environment of the machine that builds the site (a template in a pull request could publish CI secrets); put the value in site.toml and use `site.…`",
            partial.display()
        )
    );
    assert!(!out.exists(), "nothing was written");
    assert!(!stderr(&o).contains("ghp_secret_token_value"));
}
