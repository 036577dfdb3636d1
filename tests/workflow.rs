//! The CI workflow a portal repository uses (docs/workflow-example.yml,
//! written by `tsunagu init` as .github/workflows/tsunagu.yml) is tested:
//! its shape is checked, and its `tsunagu` steps are run exactly as written
//! against a portal, with the built binary standing in for `tsunagu`.
//! The tool output quoted in docs/editors-guide.md and docs/publishing.md
//! is checked against what the binary prints for the same files.

use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::copy_dir;

const WORKFLOW_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/workflow-example.yml");

fn workflow_text() -> String {
    std::fs::read_to_string(WORKFLOW_PATH).expect("read docs/workflow-example.yml")
}

fn workflow() -> Value {
    serde_yaml::from_str(&workflow_text()).expect("docs/workflow-example.yml is valid YAML")
}

fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key)
        .unwrap_or_else(|| panic!("workflow: no `{key}` in {v:?}"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    get(v, key)
        .as_str()
        .unwrap_or_else(|| panic!("workflow: `{key}` is not a string in {v:?}"))
}

fn steps<'a>(workflow: &'a Value, job: &str) -> &'a Vec<Value> {
    get(get(get(workflow, "jobs"), job), "steps")
        .as_sequence()
        .unwrap_or_else(|| panic!("job `{job}` has no list of steps"))
}

/// Index of the first step of `job` for which `pred` holds.
fn step_index(workflow: &Value, job: &str, what: &str, pred: impl Fn(&Value) -> bool) -> usize {
    steps(workflow, job)
        .iter()
        .position(pred)
        .unwrap_or_else(|| panic!("job `{job}` has no step that {what}"))
}

fn uses(step: &Value, action: &str) -> bool {
    step.get("uses")
        .and_then(Value::as_str)
        .is_some_and(|u| u.starts_with(&format!("{action}@")))
}

fn run_of(step: &Value) -> &str {
    step.get("run").and_then(Value::as_str).unwrap_or("")
}

/// Whether a shell line runs `tsunagu` (possibly after `VAR=value` words).
fn invokes_tsunagu(line: &str) -> bool {
    line.split_whitespace()
        .find(|w| !is_assignment(w))
        .is_some_and(|w| w == "tsunagu")
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The `tsunagu` command lines of a step's `run:`.
fn tsunagu_lines(step: &Value) -> Vec<&str> {
    run_of(step)
        .lines()
        .map(str::trim)
        .filter(|l| invokes_tsunagu(l))
        .collect()
}

fn is_main_push_only(condition: &str) -> bool {
    let c: String = condition.split_whitespace().collect::<Vec<_>>().join(" ");
    c.contains("github.event_name == 'push'") && c.contains("github.ref == 'refs/heads/main'")
}

#[test]
fn the_workflow_has_the_documented_jobs_and_steps() {
    let text = workflow_text();
    let w = workflow();

    // Triggers: pushes to main and every pull request. (`on` is a string key
    // in YAML 1.2; accept the YAML 1.1 boolean reading too.)
    let on = w
        .get("on")
        .or_else(|| w.get(Value::Bool(true)))
        .expect("workflow: no `on`");
    let push_branches = get(get(on, "push"), "branches");
    assert!(
        push_branches
            .as_sequence()
            .is_some_and(|b| b.iter().any(|x| x.as_str() == Some("main"))),
        "runs on pushes to main"
    );
    assert!(on.get("pull_request").is_some(), "runs on pull_request");

    // TSUNAGU_GIT is a workflow-level variable, explained where it is set.
    let git = str_of(get(&w, "env"), "TSUNAGU_GIT");
    assert!(git.starts_with("https://"), "TSUNAGU_GIT is a URL: {git}");
    assert!(
        text.contains("the URL of the tsunagu repository your organisation uses"),
        "TSUNAGU_GIT is documented in the file"
    );

    // Least privilege: read-only at the top; Pages rights only in deploy.
    let top = get(&w, "permissions");
    assert_eq!(str_of(top, "contents"), "read");
    assert!(top.get("pages").is_none() && top.get("id-token").is_none());
    let build_job = get(get(&w, "jobs"), "build");
    assert!(
        build_job.get("permissions").is_none(),
        "the build job keeps the read-only default"
    );

    // Build job, in order: checkout, Rust, tsunagu (cached), check, build, upload.
    let checkout = step_index(&w, "build", "checks out", |s| uses(s, "actions/checkout"));
    let rust = step_index(&w, "build", "installs Rust", |s| {
        uses(s, "dtolnay/rust-toolchain")
    });
    let cache = step_index(&w, "build", "caches ~/.cargo/bin", |s| {
        uses(s, "actions/cache")
    });
    let cache_with = get(&steps(&w, "build")[cache], "with");
    assert!(str_of(cache_with, "path").contains("~/.cargo/bin"));
    assert!(
        str_of(cache_with, "key").contains("env.TSUNAGU_GIT"),
        "the cache is keyed on TSUNAGU_GIT"
    );
    let install = step_index(&w, "build", "installs tsunagu", |s| {
        run_of(s).contains("cargo install")
    });
    let install_run = run_of(&steps(&w, "build")[install]);
    assert!(
        install_run.contains("cargo install --locked --git \"$TSUNAGU_GIT\"")
            && install_run.trim_end().ends_with(" tsunagu"),
        "install command: {install_run}"
    );
    let check = step_index(&w, "build", "runs tsunagu check", |s| {
        tsunagu_lines(s).iter().any(|l| l.contains("tsunagu check"))
    });
    assert_eq!(
        tsunagu_lines(&steps(&w, "build")[check]),
        ["tsunagu check --format github"],
        "the check step prints GitHub annotations"
    );
    let build = step_index(&w, "build", "runs tsunagu build", |s| {
        tsunagu_lines(s).iter().any(|l| l.contains("tsunagu build"))
    });
    let build_run = run_of(&steps(&w, "build")[build]);
    assert!(
        build_run.contains("SOURCE_DATE_EPOCH") && build_run.contains("git log -1 --format=%ct"),
        "the build takes SOURCE_DATE_EPOCH from the commit time: {build_run}"
    );
    let upload = step_index(&w, "build", "uploads the Pages artifact", |s| {
        uses(s, "actions/upload-pages-artifact")
    });
    let upload_step = &steps(&w, "build")[upload];
    let path = str_of(get(upload_step, "with"), "path").trim_end_matches('/');
    assert_eq!(path, "public");
    assert!(
        is_main_push_only(str_of(upload_step, "if")),
        "the site is packaged only on pushes to main"
    );
    assert!(
        checkout < rust && rust < install && cache < install && install < check,
        "checkout, Rust and tsunagu come first"
    );
    assert!(
        check < build && build < upload,
        "check, then build, then upload"
    );
    for (i, step) in steps(&w, "build").iter().enumerate() {
        if i != upload {
            assert!(
                !uses(step, "actions/deploy-pages"),
                "deploying is the deploy job's work"
            );
        }
    }

    // Deploy job: after build, only on pushes to main, with Pages rights.
    let deploy = get(get(&w, "jobs"), "deploy");
    let needs = get(deploy, "needs");
    assert!(
        needs.as_str() == Some("build")
            || needs
                .as_sequence()
                .is_some_and(|n| n.iter().any(|x| x.as_str() == Some("build"))),
        "deploy needs build"
    );
    assert!(
        is_main_push_only(str_of(deploy, "if")),
        "deploy runs only on pushes to main"
    );
    let permissions = get(deploy, "permissions");
    assert_eq!(str_of(permissions, "pages"), "write");
    assert_eq!(str_of(permissions, "id-token"), "write");
    assert_eq!(str_of(get(deploy, "environment"), "name"), "github-pages");
    step_index(&w, "deploy", "deploys to Pages", |s| {
        uses(s, "actions/deploy-pages")
    });

    // Only these two jobs.
    let jobs: Vec<&str> = get(&w, "jobs")
        .as_mapping()
        .unwrap()
        .keys()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(jobs, ["build", "deploy"]);
}

/// A copy of tests/fixtures/portals/small in a fresh git repository with one
/// commit at a fixed time, as `actions/checkout` leaves a portal repository.
struct Portal {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

const COMMIT_TIME: i64 = 1_795_219_200; // 2026-11-21T00:00:00Z

fn portal(edit: impl FnOnce(&Path)) -> Portal {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portals/small");
    copy_dir(&fixture, &root);
    edit(&root);
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=tsunagu test",
            "-c",
            "user.email=test@example.jp",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            "portal",
        ],
    ] {
        let o = Command::new("git")
            .args(args)
            .current_dir(&root)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", format!("{COMMIT_TIME} +0900"))
            .env("GIT_COMMITTER_DATE", format!("{COMMIT_TIME} +0900"))
            .output()
            .expect("git is needed to run the workflow's build step");
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    Portal { _tmp: tmp, root }
}

/// Runs a step's `run:` script the way GitHub Actions does on Linux
/// (`bash --noprofile --norc -eo pipefail`), in the portal folder, with
/// `tsunagu` meaning the binary under test. SOURCE_DATE_EPOCH is removed
/// from the environment so only the script can set it.
fn run_step(step: &Value, root: &Path) -> Output {
    run_step_with(step, root, &[])
}

fn run_step_with(step: &Value, root: &Path, env: &[(&str, &str)]) -> Output {
    let bin = env!("CARGO_BIN_EXE_tsunagu");
    let script = format!(
        "tsunagu() {{ '{}' \"$@\"; }}\n{}",
        bin.replace('\'', r"'\''"),
        run_of(step)
    );
    Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
        .current_dir(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("NO_COLOR")
        .env("GITHUB_ACTIONS", "true")
        // As on GitHub's runners: CI mode, so no progress line.
        .env("CI", "true")
        .env("GIT_TERMINAL_PROMPT", "0")
        .envs(env.iter().copied())
        .output()
        .expect("bash is needed to run the workflow's steps")
}

/// The build job's steps that run `tsunagu`, in order: check, then build.
fn tsunagu_steps(w: &Value) -> Vec<&Value> {
    let found: Vec<&Value> = steps(w, "build")
        .iter()
        .filter(|s| !tsunagu_lines(s).is_empty())
        .collect();
    let commands: Vec<Vec<&str>> = found.iter().map(|s| tsunagu_lines(s)).collect();
    assert_eq!(
        commands,
        [["tsunagu check --format github"], ["tsunagu build"]],
        "the workflow's tsunagu commands"
    );
    found
}

/// Every file of a folder, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn explain(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_workflow_steps_check_and_build_a_portal() {
    let w = workflow();
    let [check, build] = tsunagu_steps(&w)[..] else {
        unreachable!()
    };
    let p = portal(|_| {});

    let o = run_step(check, &p.root);
    assert_eq!(o.status.code(), Some(0), "check step: {}", explain(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        !stderr.contains("::error"),
        "a clean portal has no error annotations: {stderr}"
    );

    let o = run_step(build, &p.root);
    assert_eq!(o.status.code(), Some(0), "build step: {}", explain(&o));
    assert!(p.root.join("public/index.html").is_file());
    // The CI log holds plain lines: no progress redraws, no colors.
    assert!(
        !o.stderr.contains(&0x1b) && !o.stderr.contains(&b'\r'),
        "escape sequences or carriage returns in the CI log: {}",
        explain(&o)
    );
    assert!(p.root.join("public/search/tsunagu_search.wasm").is_file());

    // "Today" came from the commit: the calendar's DTSTAMP is the commit time.
    let ics = std::fs::read_to_string(p.root.join("public/events.ics")).unwrap();
    assert!(
        ics.contains("DTSTAMP:20261121T000000Z"),
        "SOURCE_DATE_EPOCH is the commit time:\n{ics}"
    );

    // Running the step again gives the same site, byte for byte.
    let first = snapshot(&p.root.join("public"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let o = run_step(build, &p.root);
    assert_eq!(o.status.code(), Some(0), "second build: {}", explain(&o));
    assert!(
        first == snapshot(&p.root.join("public")),
        "two builds of one commit differ"
    );
}

#[test]
fn the_workflow_check_step_annotates_a_broken_entry_and_stops() {
    let w = workflow();
    let [check, build] = tsunagu_steps(&w)[..] else {
        unreachable!()
    };
    let p = portal(|root| {
        let path = root.join("content/centers/soudan-center.md");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.lines().nth(8) == Some("phone: 082-555-0101"));
        std::fs::write(
            &path,
            text.replace("phone: 082-555-0101", "phone: 082-555-010"),
        )
        .unwrap();
    });

    let o = run_step(check, &p.root);
    assert_eq!(o.status.code(), Some(1), "check step: {}", explain(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.lines().any(|l| l.starts_with(
            "::error file=content/centers/soudan-center.md,line=9,col=8,title=tsunagu invalid-phone::"
        )),
        "an annotation on the broken line: {stderr}"
    );

    // Were the build step reached anyway, it fails too and writes nothing.
    let o = run_step(build, &p.root);
    assert_eq!(o.status.code(), Some(1), "build step: {}", explain(&o));
    assert!(
        !p.root.join("public").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn init_writes_the_workflow() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("portal");
    let o = Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .arg("init")
        .arg(&dir)
        .env("SOURCE_DATE_EPOCH", COMMIT_TIME.to_string())
        .output()
        .unwrap();
    assert!(o.status.success(), "init: {}", explain(&o));
    let written = std::fs::read_to_string(dir.join(".github/workflows/tsunagu.yml"))
        .expect("init writes .github/workflows/tsunagu.yml");
    assert_eq!(written, workflow_text());
}

#[test]
fn the_version_step_resolves_tsunagu_git_and_feeds_cache_and_install() {
    let w = workflow();
    let i = step_index(&w, "build", "resolves the tsunagu version", |s| {
        run_of(s).contains("git ls-remote")
    });
    let step = &steps(&w, "build")[i];
    let id = str_of(step, "id");
    let rev = format!("steps.{id}.outputs.rev");
    let cache = step_index(&w, "build", "caches tsunagu", |s| uses(s, "actions/cache"));
    assert!(
        str_of(get(&steps(&w, "build")[cache], "with"), "key").contains(&rev),
        "the cache key includes the resolved commit"
    );
    let install = step_index(&w, "build", "installs tsunagu", |s| {
        run_of(s).contains("cargo install")
    });
    let install = &steps(&w, "build")[install];
    assert!(
        str_of(get(install, "env"), "TSUNAGU_REV").contains(&rev)
            && run_of(install).contains("--rev \"$TSUNAGU_REV\""),
        "the install step builds exactly the cached commit"
    );

    // Against a real repository (the test portal's), the step writes its
    // HEAD commit to GITHUB_OUTPUT.
    let p = portal(|_| {});
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&p.root)
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap().trim().to_string();
    let url = format!("file://{}", p.root.display());
    let output = p.root.join("github-output");
    let o = run_step_with(
        step,
        &p.root,
        &[
            ("TSUNAGU_GIT", &url),
            ("GITHUB_OUTPUT", output.to_str().unwrap()),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "version step: {}", explain(&o));
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        format!("rev={head}\n")
    );

    // A wrong TSUNAGU_GIT fails the step with an annotation saying so.
    let missing = format!("file://{}", p.root.join("no-such-repository").display());
    let o = run_step_with(
        step,
        &p.root,
        &[
            ("TSUNAGU_GIT", &missing),
            ("GITHUB_OUTPUT", output.to_str().unwrap()),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "version step: {}", explain(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("::error title=TSUNAGU_GIT::"),
        "{}",
        explain(&o)
    );
}

/// Runs the binary in `root` as an editor would: no colour, a fixed "today".
fn tsunagu_in(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", COMMIT_TIME.to_string())
        .output()
        .unwrap()
}

fn doc(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("docs/{name}: {e}"))
}

/// `quoted` appears in `text` as it is, or inside a numbered list item
/// (every line indented by three spaces).
fn assert_quoted(doc_name: &str, text: &str, quoted: &str) {
    let in_list: Vec<&str> = text
        .lines()
        .map(|l| l.strip_prefix("   ").unwrap_or(l))
        .collect();
    assert!(
        text.contains(quoted) || in_list.join("\n").contains(quoted),
        "docs/{doc_name} no longer quotes tsunagu's real output; it is now:\n{quoted}"
    );
}

/// The messages docs/editors-guide.md and docs/publishing.md show are what
/// tsunagu prints for the same files today.
#[test]
fn the_messages_quoted_in_the_guides_are_real() {
    let guide = doc("editors-guide.md");
    let publishing = doc("publishing.md");

    // The error example: one digit missing from a phone number.
    let p = portal(|root| {
        let path = root.join("content/centers/soudan-center.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("phone: 082-555-0101", "phone: 082-555-010"),
        )
        .unwrap();
    });
    let o = tsunagu_in(&p.root, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert_quoted(
        "editors-guide.md",
        &guide,
        String::from_utf8_lossy(&o.stderr).trim_end(),
    );
    let o = tsunagu_in(&p.root, &["check", "--format", "github"]);
    assert_quoted(
        "publishing.md",
        &publishing,
        String::from_utf8_lossy(&o.stderr).trim_end(),
    );
    let o = tsunagu_in(&p.root, &["check", "--format", "json"]);
    assert_quoted(
        "publishing.md",
        &publishing,
        String::from_utf8_lossy(&o.stdout).trim_end(),
    );
    let o = tsunagu_in(&p.root, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let last = String::from_utf8_lossy(&o.stderr)
        .trim_end()
        .lines()
        .last()
        .unwrap()
        .to_string();
    assert_quoted("publishing.md", &publishing, &last);

    // Every warning the guide explains, on one portal.
    let p = portal(|root| {
        let edit = |rel: &str, f: &dyn Fn(String) -> String| {
            let path = root.join(rel);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, f(text)).unwrap();
        };
        edit("content/centers/soudan-center.md", &|t| {
            t.replace("verified: 2026-10-01", "verified: 2025-06-10")
        });
        edit("content/organizations/kazokukai.md", &|t| {
            t.replace("verified: 2026-10-01\n", "")
        });
        edit("content/cafeterias/minna-shokudo.yaml", &|t| {
            t.lines()
                .filter(|l| !l.starts_with("kana:"))
                .map(|l| format!("{l}\n"))
                .collect()
        });
        edit("content/events/kataru-kai.md", &|t| {
            let long = "ひきこもりの家族どうしで、気持ちを話し合う会です。".repeat(6);
            t.lines()
                .map(|l| {
                    if l.starts_with("summary:") {
                        format!("summary: {long}\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect()
        });
        edit("site.toml", &|t| {
            t[..t.find("[[hotlines]]").unwrap()].to_string()
        });
        std::fs::write(root.join("content/centers/memo.txt"), "メモ\n").unwrap();
        std::fs::create_dir_all(root.join("content/center")).unwrap();
        std::fs::copy(
            root.join("content/centers/soudan-center.md"),
            root.join("content/center/test-x.md"),
        )
        .unwrap();
    });
    let o = tsunagu_in(&p.root, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", explain(&o));
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let mut codes = Vec::new();
    for block in stderr.split("\n\n").filter(|b| b.starts_with("warning[")) {
        let code = &block["warning[".len()..block.find(']').unwrap()];
        codes.push(code.to_string());
        if code == "summary-too-long" {
            // The guide shortens the long source line; the rest is verbatim.
            assert_quoted("editors-guide.md", &guide, block.lines().next().unwrap());
            assert_quoted("editors-guide.md", &guide, block.lines().last().unwrap());
        } else {
            assert_quoted("editors-guide.md", &guide, block);
        }
    }
    codes.sort();
    codes.dedup();
    assert_eq!(
        codes,
        [
            "ignored-file",
            "missing-kana",
            "no-hotlines",
            "not-verified",
            "stale",
            "summary-too-long"
        ]
    );

    // The re-check list.
    let o = tsunagu_in(&p.root, &["stale"]);
    assert_eq!(o.status.code(), Some(0));
    assert_quoted(
        "editors-guide.md",
        &guide,
        String::from_utf8_lossy(&o.stdout).trim_end(),
    );
    let o = tsunagu_in(&p.root, &["stale", "--format", "csv"]);
    let header = String::from_utf8_lossy(&o.stdout)
        .lines()
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .to_string();
    for column in header.split(',') {
        assert_quoted("editors-guide.md", &guide, &format!("| `{column}` |"));
    }

    // `tsunagu new`, and its refusal to reuse a slug.
    let o = tsunagu_in(
        &p.root,
        &[
            "new",
            "center",
            "aki-soudan",
            "--name",
            "安芸区ひきこもり相談窓口",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_quoted(
        "editors-guide.md",
        &guide,
        String::from_utf8_lossy(&o.stderr).trim_end(),
    );
    let o = tsunagu_in(&p.root, &["new", "event", "aki-soudan"]);
    assert_eq!(o.status.code(), Some(1));
    assert_quoted(
        "editors-guide.md",
        &guide,
        String::from_utf8_lossy(&o.stderr).trim_end(),
    );
}
