//! `tsunagu serve` as an editor uses it: preview, edit, see the reload;
//! break a file, see the error while the last good site stays; fix it.
//! Also: nothing outside the output folder is ever served.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // The test is over either way; a failed kill leaves nothing to fix.
        drop(self.child.kill());
        drop(self.child.wait());
    }
}

fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
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
            std::thread::spawn(move || for _ in rx {});
            return Server { child, addr };
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

/// Lines of the live-reload event stream, read on a thread.
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
    std::thread::sleep(Duration::from_millis(300));
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
    wait_for(&rx, "event: reload");
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
