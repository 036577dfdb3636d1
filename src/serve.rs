//! Serving a built portal on loopback for preview (`tsunagu serve`).
//!
//! Only files inside the output folder are ever served: the request path
//! is percent-decoded, any `..`, backslash or NUL is refused, and the
//! resolved file must still be inside the (canonical) root after
//! following symlinks. Unknown paths get the portal's own 404 page.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

/// Path of the live-reload script the preview adds to every HTML page.
pub const LIVE_SCRIPT_PATH: &str = "/__tsunagu/live.js";
/// Path of the Server-Sent Events stream the script listens to.
pub const LIVE_EVENTS_PATH: &str = "/__tsunagu/events";

/// The preview's script: reloads on `reload`, shows the build error as a
/// banner on `error` (text only, never HTML). An external file, so the
/// pages' Content-Security-Policy (`script-src 'self'`) allows it.
const LIVE_SCRIPT: &str = r#"(function () {
  var banner = null;
  function show(text) {
    if (!banner) {
      banner = document.createElement('pre');
      banner.id = 'tsunagu-build-error';
      banner.setAttribute('role', 'alert');
      banner.className = 'tsunagu-build-error';
      // CSSOM properties, not a style attribute: allowed by the page's CSP.
      var st = banner.style;
      st.position = 'sticky'; st.top = '0'; st.zIndex = '1000'; st.margin = '0';
      st.padding = '1em'; st.background = '#fff4f2'; st.color = '#8a1c0c';
      st.borderBottom = '4px solid #c0392b'; st.whiteSpace = 'pre-wrap'; st.font = '14px/1.5 monospace';
      document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.textContent = 'ビルドエラー (build error): 前回の正常な版を表示しています\n\n' + text;
  }
  // This page's path as the server names pages: decoded, without index.html.
  function here() {
    var p = location.pathname;
    try { p = decodeURI(p); } catch (_) {}
    return p.replace(/index\.html$/, '');
  }
  var source = new EventSource('/__tsunagu/events');
  // `data` is `ok` (reload every tab) or a JSON list of the pages that
  // changed: only a tab showing one of them reloads. A tab showing the
  // 404 page reloads when its own address appears (the page came back).
  source.addEventListener('reload', function (e) {
    var pages = null;
    try { pages = JSON.parse(e.data); } catch (_) {}
    if (!Array.isArray(pages) || pages.indexOf(here()) >= 0) { location.reload(); }
  });
  source.addEventListener('error-report', function (e) { show(JSON.parse(e.data)); });
  source.addEventListener('error-clear', function () {
    if (banner) { banner.remove(); banner = null; }
  });
})();
"#;

/// Open live-reload connections; each rebuild is broadcast to all.
#[derive(Clone, Default)]
pub struct Live {
    clients: Arc<Mutex<Vec<Sender<String>>>>,
    /// The current build error, sent to tabs that connect while it lasts.
    error: Arc<Mutex<Option<String>>>,
}

impl Live {
    /// Tells every open tab to reload (the build succeeded).
    pub fn reload(&self) {
        if let Ok(mut e) = self.error.lock() {
            *e = None;
        }
        self.broadcast("event: reload\ndata: ok\n\n".to_string());
    }

    /// Shows `text` as a banner in every open tab (the build failed).
    pub fn error(&self, text: &str) {
        let data = Self::encode(text);
        if let Ok(mut e) = self.error.lock() {
            *e = Some(data.clone());
        }
        self.broadcast(format!("event: error-report\ndata: {data}\n\n"));
    }

    /// Tells every tab to reload (some files changed) while errors in
    /// other files remain: the reloaded tab reconnects and gets `text` as
    /// its banner at once.
    pub fn reload_with_error(&self, text: &str) {
        if let Ok(mut e) = self.error.lock() {
            *e = Some(Self::encode(text));
        }
        self.broadcast("event: reload\ndata: ok\n\n".to_string());
    }

    /// Tells the tabs showing `pages` (site paths like `/centers/x/`, raw
    /// UTF-8) to reload; the others stay as they are.
    pub fn reload_pages(&self, pages: &[String]) {
        let data = serde_json::to_string(pages).unwrap_or_else(|_| "\"ok\"".into());
        self.broadcast(format!("event: reload\ndata: {data}\n\n"));
    }

    /// Removes the banner from every tab (the errors were fixed).
    pub fn clear_error(&self) {
        let had = self
            .error
            .lock()
            .map(|mut e| e.take().is_some())
            .unwrap_or(false);
        if had {
            self.broadcast("event: error-clear\ndata: ok\n\n".to_string());
        }
    }

    /// Whether a banner is up.
    pub fn has_error(&self) -> bool {
        self.error.lock().map(|e| e.is_some()).unwrap_or(false)
    }

    fn encode(text: &str) -> String {
        serde_json::to_string(text).unwrap_or_else(|_| "\"build error\"".into())
    }

    fn broadcast(&self, message: String) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = channel();
        if let Some(data) = self.error.lock().ok().and_then(|e| e.clone()) {
            // A tab opened while the build is broken sees the banner at once.
            if tx
                .send(format!("event: error-report\ndata: {data}\n\n"))
                .is_err()
            {
                return rx;
            }
        }
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(tx);
        }
        rx
    }
}

/// Streams events to one tab until it goes away. Written straight to the
/// socket (no chunked encoding, which would buffer) and flushed per event;
/// the body ends when the connection closes, as HTTP/1.1 allows.
fn stream_events(request: tiny_http::Request, rx: Receiver<String>) {
    use std::io::Write;
    use std::sync::mpsc::RecvTimeoutError;
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n: connected\n\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match rx.recv_timeout(std::time::Duration::from_secs(15)) {
            Ok(m) => m,
            // A comment keeps the connection from idling out.
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if out
            .write_all(message.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return; // the tab was closed
        }
    }
}

/// What to send for a request path.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// `/centers` → `/centers/` so relative links in the page work.
    Redirect(String),
    NotFound,
}

/// Maps a URL path (as received, percent-encoded, maybe with a query) to a
/// file under `root`. `root` must be canonical.
pub fn resolve(root: &Path, url_path: &str) -> Resolved {
    let path_only = url_path.split(['?', '#']).next().unwrap_or("/");
    let decoded = match percent_encoding::percent_decode_str(path_only).decode_utf8() {
        Ok(d) => d.into_owned(),
        Err(_) => return Resolved::NotFound,
    };
    if decoded.contains('\0') || decoded.contains('\\') || !decoded.starts_with('/') {
        return Resolved::NotFound;
    }
    let relative = decoded.trim_start_matches('/');
    let rel_path = Path::new(relative);
    if rel_path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Resolved::NotFound;
    }
    let candidate = root.join(rel_path);
    let Ok(real) = candidate.canonicalize() else {
        return Resolved::NotFound;
    };
    if !real.starts_with(root) {
        return Resolved::NotFound;
    }
    if real.is_dir() {
        if !decoded.ends_with('/') {
            let query = url_path.find('?').map(|i| &url_path[i..]).unwrap_or("");
            return Resolved::Redirect(format!("{path_only}/{query}"));
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// The Content-Type for a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Serves `root` until the process ends. Blocking. With `live`, HTML pages
/// get the live-reload script and `/__tsunagu/events` streams rebuilds.
pub fn serve_forever(
    server: &tiny_http::Server,
    root: &Path,
    live: Option<&Live>,
) -> io::Result<()> {
    let root = root.canonicalize()?;
    for request in server.incoming_requests() {
        if let Some(live) = live {
            let path = request.url().split('?').next().unwrap_or("");
            if path == LIVE_EVENTS_PATH {
                let rx = live.subscribe();
                // Each stream gets its own thread so it never blocks pages.
                std::thread::spawn(move || stream_events(request, rx));
                continue;
            }
            if path == LIVE_SCRIPT_PATH {
                let response = tiny_http::Response::from_string(LIVE_SCRIPT)
                    .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                    .with_header(header("Cache-Control", "no-cache"));
                if let Err(e) = request.respond(response) {
                    eprintln!("serve: {e}");
                }
                continue;
            }
        }
        if let Err(e) = respond(request, &root, live.is_some()) {
            eprintln!("serve: {e}");
        }
    }
    Ok(())
}

/// Adds the live-reload script before `</body>` (or at the end).
fn with_live_script(html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_SCRIPT_PATH}\" defer></script>");
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    // Both parts are ASCII constants or ASCII paths we built.
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        tiny_http::Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("constant header")
    })
}

fn respond(request: tiny_http::Request, root: &Path, live: bool) -> io::Result<()> {
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        return request.respond(tiny_http::Response::empty(405));
    }
    match resolve(root, request.url()) {
        Resolved::File(path) if live && content_type(&path).starts_with("text/html") => {
            let html = with_live_script(std::fs::read(&path)?);
            let response = tiny_http::Response::from_data(html)
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
                .with_header(header("Cache-Control", "no-cache"));
            request.respond(response)
        }
        Resolved::File(path) => {
            let file = std::fs::File::open(&path)?;
            let response = tiny_http::Response::from_file(file)
                .with_header(header("Content-Type", content_type(&path)))
                .with_header(header("Cache-Control", "no-cache"));
            request.respond(response)
        }
        Resolved::Redirect(to) => {
            request.respond(tiny_http::Response::empty(301).with_header(header("Location", &to)))
        }
        Resolved::NotFound => match std::fs::read(root.join("404.html")) {
            Ok(html) => {
                let html = if live { with_live_script(html) } else { html };
                request.respond(
                    tiny_http::Response::from_data(html)
                        .with_status_code(404)
                        .with_header(header("Content-Type", "text/html; charset=utf-8")),
                )
            }
            Err(_) => request
                .respond(tiny_http::Response::from_string("404 Not Found").with_status_code(404)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_leaves_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("centers/a")).unwrap();
        std::fs::write(root.join("centers/a/index.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        let root = root.canonicalize().unwrap();
        assert!(matches!(resolve(&root, "/centers/a/"), Resolved::File(_)));
        assert_eq!(
            resolve(&root, "/centers/a?x=1"),
            Resolved::Redirect("/centers/a/?x=1".into())
        );
        for evil in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/centers/../../secret.txt",
            "//etc/passwd",
            "/link.txt",
            "/..%5csecret.txt",
            "/a%00b",
            "/nothing",
        ] {
            assert_eq!(resolve(&root, evil), Resolved::NotFound, "{evil}");
        }
    }
}
