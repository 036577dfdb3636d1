//! `tsunagu serve` as an editor uses it: preview, edit, see the reload;
//! break a file, see the error while the last good site stays; fix it.
//! Also: nothing outside the output folder is ever served.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    /// The preview folder the server writes (under the test's TMPDIR).
    out: PathBuf,
    /// The server's stderr, line by line.
    log: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        // The test is over either way; a failed kill leaves nothing to fix.
        drop(self.child.kill());
        drop(self.child.wait());
    }
}

fn start(root: &Path) -> Server {
    // The preview folder goes to TMPDIR: the portal's parent, removed
    // with the test's temporary folder.
    let tmp = root.parent().unwrap().to_path_buf();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", common::NOW)
        .env("TMPDIR", &tmp)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start tsunagu serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("serve printed its address");
        if let Some(rest) = line.split("at http://").nth(1) {
            let addr = rest.split('/').next().unwrap().to_string();
            let out = tmp.join(format!("tsunagu-serve-{}", child.id()));
            assert!(
                out.join("index.html").is_file(),
                "preview in {}",
                out.display()
            );
            return Server {
                child,
                addr,
                out,
                log: rx,
            };
        }
    }
}

/// A raw GET, so paths go out exactly as written (no client normalising `..`).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Lines of the live-reload event stream, read on a thread. Returns once
/// the subscription has had a moment to settle, so an edit made next is
/// not missed.
fn events(addr: &str) -> Receiver<String> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET /__tsunagu/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    rx
}

fn wait_for(rx: &Receiver<String>, needle: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            let found = line.contains(needle);
            seen.push(line);
            if found {
                return seen;
            }
        }
    }
    panic!("no `{needle}` within 30 s; saw {seen:?}");
}

/// Waits for a `reload` event that reloads the tab showing `page` (a
/// list of pages that includes it, or `ok`: every tab).
fn wait_reload(rx: &Receiver<String>, page: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen: Vec<String> = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            let after_reload = seen.last().is_some_and(|l| l == "event: reload");
            let hit = after_reload && (line == "data: ok" || line.contains(&format!("\"{page}\"")));
            seen.push(line);
            if hit {
                return seen;
            }
        }
    }
    panic!("no reload of {page} within 30 s; saw {seen:?}");
}

fn portal() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portals/small");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let target = root.join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
    (tmp, root)
}

#[test]
fn edit_reloads_error_keeps_last_good_site_fix_clears_it() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let (status, page) = get(&server.addr, "/centers/soudan-center/");
    assert_eq!(status, 200);
    assert!(page.contains("中区ひきこもり相談センター"));
    assert!(
        page.contains("/__tsunagu/live.js"),
        "the preview adds the reload script"
    );

    let rx = events(&server.addr);
    let entry = root.join("content/centers/soudan-center.md");
    let original = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(
        &entry,
        original.replace(
            "中区ひきこもり相談センター",
            "中区ひきこもり相談センター(新)",
        ),
    )
    .unwrap();
    wait_for(&rx, "event: reload");
    let (_, page) = get(&server.addr, "/centers/soudan-center/");
    assert!(
        page.contains("中区ひきこもり相談センター(新)"),
        "the new HTML is served"
    );

    std::fs::write(
        &entry,
        original.replace("verified: 2026-10-01", "verified: 2026-13-01"),
    )
    .unwrap();
    let seen = wait_for(&rx, "event: error-report");
    let data = wait_for(&rx, "data:");
    let all = [seen, data].concat().join("\n");
    assert!(
        all.contains("soudan-center.md") && all.contains("2026-13-01"),
        "{all}"
    );
    let (status, page) = get(&server.addr, "/centers/soudan-center/");
    assert_eq!(status, 200);
    assert!(
        page.contains("中区ひきこもり相談センター(新)"),
        "the last good site stays up"
    );

    std::fs::write(&entry, &original).unwrap();
    // The banner goes from every tab, and the page reloads.
    wait_for(&rx, "event: error-clear");
    wait_reload(&rx, "/centers/soudan-center/");
    let (_, page) = get(&server.addr, "/centers/soudan-center/");
    assert!(!page.contains("(新)"));
}

#[test]
fn never_serves_outside_the_output_and_answers_unknown_paths_with_the_404_page() {
    let (_tmp, root) = portal();
    let server = start(&root);
    for evil in [
        "/../site.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/centers/../../../etc/passwd",
        "/%00",
        "/..\\..\\etc\\passwd",
    ] {
        let (status, body) = get(&server.addr, evil);
        assert_eq!(status, 404, "{evil}");
        assert!(!body.contains("root:"), "{evil}");
        assert!(!body.contains("base_url"), "{evil}");
    }
    let (status, body) = get(&server.addr, "/no-such-page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("ページが見つかりません"),
        "the portal's own 404 page: {body}"
    );
}

/// `/categories/食/` as a request path (percent-encoded, as browsers send it).
fn encoded(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Inode and modification time: whether a file was rewritten.
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (m.ino(), m.modified().unwrap())
}

/// The terminal line of the next rebuild.
fn rebuilt_line(log: &Receiver<String>) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = log.recv_timeout(Duration::from_millis(200)) {
            if line.starts_with("更新:")
                || line.starts_with("エラー:")
                || line.starts_with("全体を再ビルド:")
            {
                return line;
            }
            seen.push(line);
        }
    }
    panic!("no rebuild line within 30 s; saw {seen:?}");
}

#[test]
fn one_entry_edit_rewrites_only_the_pages_that_show_it() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let unrelated = [
        "centers/soudan-center/index.html",
        "organizations/kazokukai/index.html",
        "events/kataru-kai/index.html",
        "pages/about/index.html",
        "search/index.html",
        "404.html",
    ];
    let before: Vec<_> = unrelated
        .iter()
        .map(|p| identity(&server.out.join(p)))
        .collect();
    // Page mtimes have a resolution of a few ms on some file systems.
    std::thread::sleep(Duration::from_millis(50));

    let rx = events(&server.addr);
    let entry = root.join("content/cafeterias/minna-shokudo.yaml");
    let original = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(&entry, original.replace("みんな食堂", "みんなの食堂・改")).unwrap();
    // The entry's own page first, then the pages that list it; a tab
    // showing an unrelated page is not told to reload.
    let first = wait_reload(&rx, "/cafeterias/minna-shokudo/");
    let then = wait_reload(&rx, "/cafeterias/");
    let events = [first, then].concat().join("\n");
    assert!(events.contains("\"/categories/食/\""), "{events}");
    assert!(
        !events.contains("\"/pages/about/\"") && !events.contains("data: ok"),
        "{events}"
    );
    let line = rebuilt_line(&server.log);
    assert!(
        line.starts_with("更新: content/cafeterias/minna-shokudo.yaml → ") && line.contains(" ms)"),
        "{line}"
    );

    for (path, what) in [
        ("/cafeterias/minna-shokudo/", "its page"),
        ("/cafeterias/", "the list of its kind"),
        ("/categories/食/", "the page of its category"),
        ("/areas/名張市/", "the page of its area"),
    ] {
        let (status, page) = get(&server.addr, &encoded(path));
        assert_eq!(status, 200, "{path}");
        assert!(
            page.contains("みんなの食堂・改"),
            "{what} ({path}) shows the new name"
        );
    }
    for (path, was) in unrelated.iter().zip(&before) {
        assert_eq!(
            identity(&server.out.join(path)),
            *was,
            "{path} does not show the entry and was not rewritten"
        );
    }
    let partial: Vec<_> = walkdir::WalkDir::new(&server.out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tsunagu-part-"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(partial.is_empty(), "no temporary files left: {partial:?}");

    // An editor's atomic save: the new text goes to a temporary file that
    // is renamed over the entry, with a backup file around it.
    let backup = root.join("content/cafeterias/minna-shokudo.yaml~");
    let temp = root.join("content/cafeterias/.minna-shokudo.yaml.tmp");
    std::fs::copy(&entry, &backup).unwrap();
    std::fs::write(&temp, original.replace("みんな食堂", "みんなの食堂・再")).unwrap();
    std::fs::rename(&temp, &entry).unwrap();
    std::fs::remove_file(&backup).unwrap();
    wait_reload(&rx, "/cafeterias/minna-shokudo/");
    let (_, page) = get(&server.addr, "/cafeterias/minna-shokudo/");
    assert!(
        page.contains("みんなの食堂・再"),
        "the renamed-over file is read"
    );
}

#[test]
fn a_moved_category_leaves_one_term_page_for_another() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let (_, food) = get(&server.addr, &encoded("/categories/食/"));
    assert!(food.contains("みんな食堂"));
    let (_, hikikomori) = get(&server.addr, &encoded("/categories/ひきこもり/"));
    assert!(!hikikomori.contains("みんな食堂"));

    let rx = events(&server.addr);
    let entry = root.join("content/cafeterias/minna-shokudo.yaml");
    let original = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(
        &entry,
        original.replace(
            "categories: [食, 居場所]",
            "categories: [ひきこもり, 居場所]",
        ),
    )
    .unwrap();
    wait_reload(&rx, "/categories/食/");
    let (_, food) = get(&server.addr, &encoded("/categories/食/"));
    assert!(!food.contains("みんな食堂"), "gone from the old category");
    let (_, hikikomori) = get(&server.addr, &encoded("/categories/ひきこもり/"));
    assert!(
        hikikomori.contains("みんな食堂"),
        "listed under the new one"
    );
}

#[test]
fn deleting_and_adding_entries_updates_pages_and_lists() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let rx = events(&server.addr);

    let entry = root.join("content/cafeterias/minna-shokudo.yaml");
    let original = std::fs::read_to_string(&entry).unwrap();
    std::fs::remove_file(&entry).unwrap();
    // The tab on the removed page reloads (and gets the 404 page).
    wait_reload(&rx, "/cafeterias/minna-shokudo/");
    let (status, body) = get(&server.addr, "/cafeterias/minna-shokudo/");
    assert_eq!(status, 404, "the page went");
    assert!(body.contains("ページが見つかりません"));
    let (_, list) = get(&server.addr, "/cafeterias/");
    assert!(!list.contains("みんな食堂"), "its card left the list");
    let (_, food) = get(&server.addr, &encoded("/categories/食/"));
    assert!(!food.contains("みんな食堂"));

    // Back under another name: a new page, listed again.
    let added = root.join("content/cafeterias/minna-shokudo-2.yaml");
    std::fs::write(&added, original.replace("みんな食堂", "みんな食堂2号")).unwrap();
    wait_reload(&rx, "/cafeterias/");
    let (status, page) = get(&server.addr, "/cafeterias/minna-shokudo-2/");
    assert_eq!(status, 200);
    assert!(page.contains("みんな食堂2号"));
    let (_, list) = get(&server.addr, "/cafeterias/");
    assert!(list.contains("みんな食堂2号"));
}

#[test]
fn removing_an_entry_others_point_at_is_refused_until_they_are_fixed() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let rx = events(&server.addr);

    // The center names the organization as its operator and the event as
    // its organizer: taking the organization away breaks both.
    let org = root.join("content/organizations/kazokukai.md");
    let org_text = std::fs::read_to_string(&org).unwrap();
    std::fs::remove_file(&org).unwrap();
    let seen = wait_for(&rx, "event: error-report");
    let data = wait_for(&rx, "data:");
    let all = [seen, data].concat().join("\n");
    assert!(
        all.contains("soudan-center.md") && all.contains("operator: kazokukai"),
        "the banner names the entry that points at it: {all}"
    );
    assert!(rebuilt_line(&server.log).starts_with("エラー: content/organizations/kazokukai.md"));
    let (status, page) = get(&server.addr, "/organizations/kazokukai/");
    assert_eq!(status, 200, "the last good site stays up");
    assert!(page.contains("安芸ひきこもり家族会"));

    // Putting it back clears the banner.
    std::fs::write(&org, &org_text).unwrap();
    wait_for(&rx, "event: reload");
    assert!(rebuilt_line(&server.log).starts_with("更新:"));

    // A broken field: the error names the file and line; fixing clears it.
    let center = root.join("content/centers/soudan-center.md");
    let center_text = std::fs::read_to_string(&center).unwrap();
    std::fs::write(
        &center,
        center_text.replace("operator: kazokukai", "operator: kazokukay"),
    )
    .unwrap();
    let seen = wait_for(&rx, "event: error-report");
    let data = wait_for(&rx, "data:");
    let all = [seen, data].concat().join("\n");
    assert!(
        all.contains("kazokukay") && all.contains("kazokukai"),
        "did you mean: {all}"
    );
    std::fs::write(&center, &center_text).unwrap();
    wait_for(&rx, "event: reload");
}

#[test]
fn a_template_change_rebuilds_everything() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let rx = events(&server.addr);
    let toml = root.join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("テスト支援ポータル", "テスト支援ポータル改"),
    )
    .unwrap();
    wait_for(&rx, "event: reload");
    assert!(rebuilt_line(&server.log).starts_with("全体を再ビルド: site.toml → "));
    let (_, page) = get(&server.addr, "/pages/about/");
    assert!(
        page.contains("テスト支援ポータル改"),
        "every page has the new title"
    );
}

#[test]
fn renaming_an_entry_file_moves_its_page() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let rx = events(&server.addr);
    std::fs::rename(
        root.join("content/cafeterias/minna-shokudo.yaml"),
        root.join("content/cafeterias/minna-kitchen.yaml"),
    )
    .unwrap();
    wait_reload(&rx, "/cafeterias/");
    let line = rebuilt_line(&server.log);
    assert!(
        line.starts_with("更新: content/cafeterias/minna-"),
        "{line}"
    );
    let (status, _) = get(&server.addr, "/cafeterias/minna-shokudo/");
    assert_eq!(status, 404, "the old address is gone");
    let (status, page) = get(&server.addr, "/cafeterias/minna-kitchen/");
    assert_eq!(status, 200);
    assert!(page.contains("みんな食堂"));
    let (_, list) = get(&server.addr, "/cafeterias/");
    assert!(
        list.contains("cafeterias/minna-kitchen/") && !list.contains("cafeterias/minna-shokudo/")
    );

    // Moving an entry another points at to another kind's folder is
    // decided by a full build: the event's `place` may name a cafeteria.
    std::fs::rename(
        root.join("content/centers/soudan-center.md"),
        root.join("content/cafeterias/soudan-center.md"),
    )
    .unwrap();
    wait_reload(&rx, "/cafeterias/soudan-center/");
    let (status, _) = get(&server.addr, "/cafeterias/soudan-center/");
    assert_eq!(status, 200);
    let (status, _) = get(&server.addr, "/centers/soudan-center/");
    assert_eq!(status, 404);
}

#[test]
fn search_catches_up_in_the_background_and_many_files_at_once_work() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let index = server.out.join("search-index/index.bin");
    let before = std::fs::read(&index).unwrap();
    let rx = events(&server.addr);

    // Nine new entries in one burst, as a `git pull` brings them.
    let template =
        std::fs::read_to_string(root.join("content/cafeterias/minna-shokudo.yaml")).unwrap();
    for i in 1..=9 {
        std::fs::write(
            root.join(format!("content/cafeterias/shin-shokudo-{i}.yaml")),
            template.replace("みんな食堂", &format!("しん食堂{i}号")),
        )
        .unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, list) = get(&server.addr, "/cafeterias/");
        if (1..=9).all(|i| list.contains(&format!("しん食堂{i}号"))) {
            break;
        }
        assert!(Instant::now() < deadline, "the list never showed all nine");
        wait_for(&rx, "event: reload");
    }
    for i in 1..=9 {
        let (status, page) = get(&server.addr, &format!("/cafeterias/shin-shokudo-{i}/"));
        assert_eq!(status, 200);
        assert!(page.contains(&format!("しん食堂{i}号")));
    }

    // The search index follows a moment later, without another event.
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::read(&index).unwrap() == before {
        assert!(
            Instant::now() < deadline,
            "the search index was not rebuilt in the background"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Wait for the write to finish, then search the preview's index as the
    // search page does.
    let mut found = String::new();
    while Instant::now() < deadline {
        let out = Command::new(env!("CARGO_BIN_EXE_tsunagu"))
            .args(["search", "--root"])
            .arg(&root)
            .arg("--out")
            .arg(&server.out)
            .arg("しん食堂5号")
            .output()
            .unwrap();
        found = String::from_utf8_lossy(&out.stdout).into_owned();
        if found.contains("shin-shokudo-5") {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(found.contains("shin-shokudo-5"), "searchable: {found}");
    let sw = std::fs::read_to_string(server.out.join("sw.js")).unwrap();
    assert!(
        !sw.contains("__TSUNAGU_BUILD_ID__"),
        "the worker has a build id"
    );
}

#[test]
fn a_broken_site_toml_keeps_the_last_good_site_until_it_is_fixed() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let rx = events(&server.addr);
    let toml = root.join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("timezone = \"Asia/Tokyo\"", "timezone = "),
    )
    .unwrap();
    wait_for(&rx, "event: error-report");
    let data = wait_for(&rx, "data:").join("\n");
    assert!(data.contains("site.toml"), "{data}");
    let (status, page) = get(&server.addr, "/cafeterias/minna-shokudo/");
    assert_eq!(status, 200, "the last good site stays up");
    assert!(page.contains("みんな食堂"));

    // An entry saved meanwhile waits for the full rebuild the fix brings.
    let entry = root.join("content/cafeterias/minna-shokudo.yaml");
    let original = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(&entry, original.replace("みんな食堂", "みんな食堂(修正中)")).unwrap();
    wait_for(&rx, "event: error-report");
    std::fs::write(&toml, &text).unwrap();
    wait_reload(&rx, "/cafeterias/minna-shokudo/");
    let (_, page) = get(&server.addr, "/cafeterias/minna-shokudo/");
    assert!(page.contains("みんな食堂(修正中)"));
}

#[test]
fn after_incremental_edits_the_preview_equals_a_full_build() {
    let (tmp, root) = portal();
    let server = start(&root);
    let content = root.join("content");
    let edit = |rel: &str, from: &str, to: &str| {
        let path = content.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    // A name (cards everywhere), a category and an area (term pages), a
    // new entry, a removed one; each waited for, one after the other.
    edit(
        "organizations/kazokukai.md",
        "安芸ひきこもり家族会",
        "安芸家族会(改)",
    );
    assert!(rebuilt_line(&server.log).starts_with("更新:"));
    edit(
        "cafeterias/minna-shokudo.yaml",
        "categories: [食, 居場所]",
        "categories: [居場所]",
    );
    assert!(rebuilt_line(&server.log).starts_with("更新:"));
    edit(
        "cafeterias/minna-shokudo.yaml",
        "area: 名張市",
        "area: 広島市/中区",
    );
    assert!(rebuilt_line(&server.log).starts_with("更新:"));
    let extra = content.join("centers/aki-center.md");
    let center = std::fs::read_to_string(content.join("centers/soudan-center.md")).unwrap();
    std::fs::write(
        &extra,
        center
            .replace("中区ひきこもり相談センター", "安芸区相談センター")
            .replace("なかくひきこもり", "あきくひきこもり"),
    )
    .unwrap();
    assert!(rebuilt_line(&server.log).starts_with("更新:"));
    std::fs::remove_file(content.join("pages/about.md")).unwrap();
    assert!(rebuilt_line(&server.log).starts_with("更新:"));

    let full = tmp.path().join("full");
    let status = Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&full)
        .args(["--base-url", &format!("http://{}/", server.addr)])
        // The preview writes no compressed copies (a local browser needs none).
        .arg("--no-precompress")
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", common::NOW)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    // Every output file, not only the pages: the search index, calendars,
    // feed, open data and the service worker the background worker
    // writes must be the full build's too. It catches up a moment after
    // the pages; compare again after each of its runs.
    let built = common::tree(&full);
    let deadline = Instant::now() + Duration::from_secs(30);
    let (only_built, only_served, differ) = loop {
        let served = common::tree(&server.out);
        let only_built: Vec<String> = built
            .keys()
            .filter(|k| !served.contains_key(*k))
            .cloned()
            .collect();
        let only_served: Vec<String> = served
            .keys()
            .filter(|k| !built.contains_key(*k))
            .cloned()
            .collect();
        let differ: Vec<String> = built
            .iter()
            .filter(|(k, v)| served.get(*k).is_some_and(|s| s != *v))
            .map(|(k, _)| k.clone())
            .collect();
        let done = only_built.is_empty() && only_served.is_empty() && differ.is_empty();
        if done || Instant::now() > deadline {
            break (only_built, only_served, differ);
        }
        // The next background run's line (or a moment, if it came already).
        while let Ok(line) = server.log.recv_timeout(Duration::from_millis(500)) {
            if line.starts_with("検索インデックス・データ更新") {
                break;
            }
        }
    };
    assert!(
        only_built.is_empty() && only_served.is_empty(),
        "missing from the preview: {only_built:?}; left over in it: {only_served:?}"
    );
    assert!(
        differ.is_empty(),
        "files that differ from a full build: {differ:?}"
    );
    // Every kind of output was compared.
    for kind in [
        "search-index/",
        "data/",
        ".ics",
        "feed.xml",
        "sw.js",
        "sitemap.xml",
        ".html",
    ] {
        assert!(
            built.keys().any(|k| k.contains(kind)),
            "no {kind} in the build"
        );
    }
}

#[test]
fn sed_style_saves_stay_incremental_and_a_folder_moved_away_rebuilds_all() {
    let (tmp, root) = portal();
    let server = start(&root);
    // `sed -i`: a temporary file without an extension, renamed over the entry.
    let entry = root.join("content/cafeterias/minna-shokudo.yaml");
    let text = std::fs::read_to_string(&entry).unwrap();
    let temp = root.join("content/cafeterias/sedAb12Cd");
    std::fs::write(&temp, text.replace("みんな食堂", "みんな食堂(sed)")).unwrap();
    std::fs::rename(&temp, &entry).unwrap();
    let line = rebuilt_line(&server.log);
    assert!(
        line.starts_with("更新: content/cafeterias/minna-shokudo.yaml"),
        "{line}"
    );

    // A folder of entries moved out of content/: its entries are gone.
    let sub = root.join("content/cafeterias/area");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("sub-shokudo.yaml"),
        text.replace("みんな食堂", "したの食堂"),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while get(&server.addr, "/cafeterias/sub-shokudo/").0 != 200 {
        assert!(
            Instant::now() < deadline,
            "the entry in the new folder never showed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Let the rebuild(s) for the new folder finish and forget their lines.
    std::thread::sleep(Duration::from_millis(500));
    while server.log.try_recv().is_ok() {}
    std::fs::rename(&sub, tmp.path().join("moved-away")).unwrap();
    let line = rebuilt_line(&server.log);
    assert!(
        line.starts_with("全体を再ビルド: content/cafeterias/area"),
        "{line}"
    );
    let (status, _) = get(&server.addr, "/cafeterias/sub-shokudo/");
    assert_eq!(status, 404);
}

#[test]
fn preview_folders_of_stopped_servers_are_removed_at_start() {
    let (tmp, root) = portal();
    // A server stopped with Ctrl+C leaves its folder; a running one keeps it.
    let stale = tmp.path().join("tsunagu-serve-4194999");
    let running = tmp
        .path()
        .join(format!("tsunagu-serve-{}", std::process::id()));
    for dir in [&stale, &running] {
        std::fs::create_dir_all(dir.join("centers")).unwrap();
        std::fs::write(dir.join("index.html"), "old").unwrap();
    }
    let _server = start(&root);
    // Removed on a thread of its own, so as not to delay the start.
    let deadline = Instant::now() + Duration::from_secs(30);
    while stale.exists() {
        assert!(
            Instant::now() < deadline,
            "the stopped server's folder is gone"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(running.join("index.html").exists(), "a running one's stays");
}

/// A raw request head, exactly as given; returns the response head.
fn raw(addr: &str, head: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // The server may answer (and close) before it has read everything:
    // read its answer either way.
    if let Err(e) = s.write_all(head.as_bytes()) {
        eprintln!("(the server stopped reading early: {e})");
    }
    let mut buf = Vec::new();
    match s.read_to_end(&mut buf) {
        Ok(_) => {}
        Err(e) if buf.is_empty() => panic!("no answer to {head:.40}: {e}"),
        Err(_) => {}
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    text.split("\r\n\r\n").next().unwrap_or("").to_string()
}

#[test]
fn redirects_stay_on_this_server() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let addr = &server.addr;
    for (path, location) in [
        ("/centers", "/centers/"),
        ("//centers", "/centers/"),
        ("///centers?x=1", "/centers/?x=1"),
    ] {
        let head = raw(
            addr,
            &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
        );
        assert!(head.starts_with("HTTP/1.1 301 "), "{path}: {head}");
        assert!(
            head.contains(&format!("\r\nLocation: {location}")),
            "{path}: {head}"
        );
    }
}

#[test]
fn only_requests_for_this_server_are_answered() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let addr = &server.addr;
    let port = addr.rsplit(':').next().unwrap();
    for host in [addr.to_string(), format!("localhost:{port}")] {
        let head = raw(addr, &format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        assert!(head.starts_with("HTTP/1.1 200 "), "{host}: {head}");
    }
    // DNS rebinding: a name that resolves to 127.0.0.1 is not this server.
    for host in [
        format!("rebind.attacker.example:{port}"),
        "127.0.0.1:1".to_string(),
    ] {
        let head = raw(addr, &format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        assert!(head.starts_with("HTTP/1.1 421 "), "{host}: {head}");
    }
    let head = raw(addr, "GET / HTTP/1.1\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 421 "), "no Host: {head}");
    let head = raw(
        addr,
        &format!("POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n"),
    );
    assert!(head.starts_with("HTTP/1.1 405 "), "{head}");
}

#[test]
fn huge_headers_and_too_many_connections_are_refused_not_served() {
    let (_tmp, root) = portal();
    let server = start(&root);
    let addr = &server.addr;
    let big = format!(
        "GET / HTTP/1.1\r\nHost: {addr}\r\nX-Filler: {}\r\n\r\n",
        "x".repeat(64 * 1024)
    );
    let head = raw(addr, &big);
    assert!(head.starts_with("HTTP/1.1 431 "), "{head:.80}");
    // 64 connections that send nothing hold every place; the next request
    // is told the server is busy at once instead of waiting or costing a
    // thread.
    let idle: Vec<TcpStream> = (0..64).map(|_| TcpStream::connect(addr).unwrap()).collect();
    // Once the server has taken them all in (a moment on a busy machine),
    // and for the 10 s they may idle, every further request is refused.
    let deadline = Instant::now() + Duration::from_secs(8);
    let head = loop {
        let head = raw(addr, &format!("GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n"));
        if head.starts_with("HTTP/1.1 503 ") || Instant::now() > deadline {
            break head;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(head.starts_with("HTTP/1.1 503 "), "{head}");
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let head = raw(addr, &format!("GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n"));
        if head.starts_with("HTTP/1.1 200 ") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "places were not given back: {head}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Live-reload streams have their own, smaller bound.
    let streams: Vec<Receiver<String>> = (0..16).map(|_| events(addr)).collect();
    let head = raw(
        addr,
        &format!("GET /__tsunagu/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
    );
    assert!(head.starts_with("HTTP/1.1 503 "), "{head}");
    drop(streams);
}

#[test]
fn binding_beyond_loopback_says_so() {
    let (_tmp, root) = portal();
    let tmp = root.parent().unwrap().to_path_buf();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args([
            "serve",
            "--port",
            "0",
            "--bind",
            "0.0.0.0",
            "--no-watch",
            "--root",
        ])
        .arg(&root)
        .env("NO_COLOR", "1")
        .env("TMPDIR", &tmp)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start tsunagu serve");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    let warning = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if line.starts_with("warning: listening on 0.0.0.0:") {
            break line;
        }
        seen.push(line);
        assert!(seen.len() < 50, "{seen:?}");
    };
    drop(child.kill());
    drop(child.wait());
    assert!(
        warning.contains("can be opened by anyone on this network"),
        "{warning}"
    );
}
