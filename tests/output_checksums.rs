//! The built output, file by file, against a committed list of checksums:
//! the demo portal and the bench's generated 1,000-entry portal.
//!
//! A change meant to leave the output alone (a refactoring, a faster
//! stage) must leave both lists as they are. A change meant to alter the
//! output re-blesses them, and the diff of the lists names every file that
//! changed, for the reviewer to check against what the change intended:
//!
//! ```sh
//! TSUNAGU_BLESS=1 cargo test --test output_checksums
//! git diff tests/snapshots/output-checksums/
//! ```
//!
//! Each line is `path size fnv64`; the hash is FNV-1a (64 bit), enough to
//! tell that bytes changed.

mod common;

#[path = "../examples/bench/gen.rs"]
#[allow(dead_code)]
mod gen;
#[path = "../examples/bench/rng.rs"]
#[allow(dead_code)]
mod rng;
#[path = "../examples/bench/words.rs"]
#[allow(dead_code)]
mod words;

use common::*;
use std::path::Path;

fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `path size hash` for every file of the output, sorted.
fn checksums(out: &Path) -> String {
    let mut text = String::new();
    for (path, bytes) in tree(out) {
        text.push_str(&format!("{path} {} {:016x}\n", bytes.len(), fnv64(&bytes)));
    }
    text
}

fn compare(name: &str, out: &Path) {
    let actual = checksums(out);
    let file = repo()
        .join("tests/snapshots/output-checksums")
        .join(format!("{name}.txt"));
    if std::env::var_os("TSUNAGU_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&file)
        .unwrap_or_else(|_| panic!("no {}: bless it (see the top of this file)", file.display()));
    if actual != expected {
        let old: std::collections::BTreeMap<&str, &str> =
            expected.lines().filter_map(|l| l.split_once(' ')).collect();
        let new: std::collections::BTreeMap<&str, &str> =
            actual.lines().filter_map(|l| l.split_once(' ')).collect();
        let mut changed = Vec::new();
        for (path, sum) in &new {
            match old.get(path) {
                None => changed.push(format!("+ {path}")),
                Some(s) if s != sum => changed.push(format!("~ {path}")),
                Some(_) => {}
            }
        }
        changed.extend(
            old.keys()
                .filter(|p| !new.contains_key(*p))
                .map(|p| format!("- {p}")),
        );
        let shown: Vec<_> = changed.iter().take(40).collect();
        panic!(
            "{name}: {} output files differ from {} (first {}):\n{}\nIf the change meant this, bless: TSUNAGU_BLESS=1 cargo test --test output_checksums",
            changed.len(),
            file.display(),
            shown.len(),
            shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
        );
    }
}

#[test]
fn the_demo_portals_output_is_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert_ok(&build(&repo(), &out));
    compare("demo", &out);
}

#[test]
fn a_generated_1000_entry_portals_output_is_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    for kind in gen::Kind::ALL {
        std::fs::create_dir_all(root.join("content").join(kind.folder())).unwrap();
    }
    std::fs::write(root.join("site.toml"), gen::site_toml(1000)).unwrap();
    gen::generate(1000, |e| {
        std::fs::write(
            root.join("content")
                .join(e.kind.folder())
                .join(e.file_name()),
            e.to_tsunagu(),
        )
    })
    .unwrap();
    let out = tmp.path().join("public");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args(["build", "--quiet", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", gen::now_epoch().to_string())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_ok(&o);
    compare("generated-1000", &out);
}
