//! Live reload: the script the preview adds to every page, and the event
//! stream that tells open tabs to reload or to show a build error.

use std::io::Write;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

/// Path of the live-reload script the preview adds to every HTML page.
pub const LIVE_SCRIPT_PATH: &str = "/__tsunagu/live.js";
/// Path of the Server-Sent Events stream the script listens to.
pub const LIVE_EVENTS_PATH: &str = "/__tsunagu/events";

/// The preview's script: reloads on `reload`, shows the build error as a
/// banner on `error` (text only, never HTML). An external file, so the
/// pages' Content-Security-Policy (`script-src 'self'`) allows it.
pub(crate) const LIVE_SCRIPT: &str = r#"(function () {
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

    pub(crate) fn subscribe(&self) -> Receiver<String> {
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
pub(crate) fn stream_events(out: &mut dyn Write, rx: Receiver<String>) {
    use std::sync::mpsc::RecvTimeoutError;
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
