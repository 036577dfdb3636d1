//! The preview's HTTP server: static files of the preview folder, the
//! live-reload script and its event stream, and nothing else.
//!
//! Written here rather than taken from a crate because the preview must
//! stay small and bounded on an editor's laptop even when something on the
//! network (or a web page in the editor's own browser) misbehaves, and the
//! small synchronous servers available read headers without a size limit
//! and start a thread for every connection. So:
//!
//! - at most [`Limits::connections`] connections are served at once (one
//!   thread each); the next gets `503` and is closed; of those, at most
//!   [`Limits::event_streams`] may be live-reload streams;
//! - a request head larger than [`Limits::head_bytes`] gets `431`; one
//!   that does not arrive within [`Limits::read_timeout`] is dropped;
//! - the `Host` header must name this server: `localhost`, `127.0.0.1`
//!   or the bound address (any IP address when bound to all interfaces),
//!   with the bound port, so a web page cannot reach the preview through
//!   a DNS name that points at 127.0.0.1 (DNS rebinding): `421` otherwise;
//! - only files inside the preview folder are served (see [`resolve`]),
//!   redirects are always paths on this server (`/centers/`, never
//!   `//host`), only GET and HEAD are answered, every response closes
//!   its connection.

use super::live::{stream_events, Live, LIVE_EVENTS_PATH, LIVE_SCRIPT, LIVE_SCRIPT_PATH};
use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How much the preview server takes on at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once (default 64).
    pub connections: usize,
    /// Of those, live-reload event streams (default 16: one per open tab).
    pub event_streams: usize,
    /// Bytes of a request line and headers (default 16 KiB).
    pub head_bytes: usize,
    /// How long a client may take to send its request head (default 10 s).
    pub read_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: 64,
            event_streams: 16,
            head_bytes: 16 * 1024,
            read_timeout: Duration::from_secs(10),
        }
    }
}

/// A bound, not yet serving, preview server.
pub struct PreviewServer {
    listener: TcpListener,
    addr: SocketAddr,
}

impl PreviewServer {
    /// Listens on `host:port` (`port` 0 picks a free one).
    pub fn bind(host: &str, port: u16) -> io::Result<PreviewServer> {
        let listener = TcpListener::bind((host, port))?;
        let addr = listener.local_addr()?;
        Ok(PreviewServer { listener, addr })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Whether others on the network can reach it (not loopback).
    pub fn reachable_from_network(&self) -> bool {
        !self.addr.ip().is_loopback()
    }

    /// Serves `root` until the process ends. With `live`, HTML pages get
    /// the live-reload script and [`LIVE_EVENTS_PATH`] streams rebuilds.
    pub fn serve_forever(self, root: &Path, live: Option<Live>, limits: Limits) -> io::Result<()> {
        let shared = Arc::new(Shared {
            root: root.canonicalize()?,
            live,
            limits,
            addr: self.addr,
            connections: AtomicUsize::new(0),
            streams: AtomicUsize::new(0),
        });
        for stream in self.listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(slot) = ConnectionSlot::acquire(&shared) else {
                // Full: say so quickly and close, without a thread.
                stream.set_write_timeout(Some(Duration::from_secs(1)))?;
                if let Err(e) = write_simple(
                    &mut stream,
                    503,
                    "Service Unavailable",
                    "busy: too many connections\n",
                ) {
                    note(&e);
                }
                continue;
            };
            let spawned = std::thread::Builder::new()
                .name("tsunagu-serve-conn".into())
                .spawn(move || {
                    if let Err(e) = handle(stream, &slot.0) {
                        note(&e);
                    }
                });
            if let Err(e) = spawned {
                note(&e);
            }
        }
        Ok(())
    }
}

/// What every connection thread shares.
struct Shared {
    root: PathBuf,
    live: Option<Live>,
    limits: Limits,
    addr: SocketAddr,
    connections: AtomicUsize,
    streams: AtomicUsize,
}

/// One place in a bounded count (`count` < `max`), given back when
/// dropped.
struct Slot<'a>(&'a AtomicUsize);

impl<'a> Slot<'a> {
    fn acquire(count: &'a AtomicUsize, max: usize) -> Option<Slot<'a>> {
        take(count, max).then_some(Slot(count))
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A place among the connections, owned by the connection's thread.
struct ConnectionSlot(Arc<Shared>);

impl ConnectionSlot {
    fn acquire(shared: &Arc<Shared>) -> Option<ConnectionSlot> {
        take(&shared.connections, shared.limits.connections)
            .then(|| ConnectionSlot(Arc::clone(shared)))
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::AcqRel);
    }
}

fn take(count: &AtomicUsize, max: usize) -> bool {
    count
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < max).then_some(n + 1)
        })
        .is_ok()
}

fn note(e: &io::Error) {
    // A tab closed mid-response is normal; anything else is worth a line.
    if !matches!(
        e.kind(),
        io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::WouldBlock
            | io::ErrorKind::TimedOut
    ) {
        eprintln!("serve: {e}");
    }
}

/// A parsed request head.
#[derive(Debug, PartialEq, Eq)]
struct Head {
    method: String,
    target: String,
    host: Option<String>,
}

/// Why a request head is refused before it is looked at further.
#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    TooLarge,
    Malformed,
    Closed,
}

/// Reads the request line and headers (up to `max` bytes).
fn read_head(stream: &mut impl Read, max: usize) -> Result<Head, HeadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        if let Some(i) = find_end(&buf) {
            break i;
        }
        if buf.len() > max {
            return Err(HeadError::TooLarge);
        }
        let n = stream.read(&mut chunk).map_err(|_| HeadError::Closed)?;
        if n == 0 {
            return Err(if buf.is_empty() {
                HeadError::Closed
            } else {
                HeadError::Malformed
            });
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    if end > max {
        return Err(HeadError::TooLarge);
    }
    let text = std::str::from_utf8(&buf[..end]).map_err(|_| HeadError::Malformed)?;
    let mut lines = text.split("\r\n");
    let mut request = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) = (
        request.next(),
        request.next(),
        request.next(),
        request.next(),
    ) else {
        return Err(HeadError::Malformed);
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Err(HeadError::Malformed);
    }
    let mut host = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(HeadError::Malformed);
        };
        if name.eq_ignore_ascii_case("host") {
            host = Some(value.trim().to_ascii_lowercase());
        }
    }
    Ok(Head {
        method: method.to_string(),
        target: target.to_string(),
        host,
    })
}

/// The length of the head up to and without the blank line, if complete.
fn find_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n")
}

/// Whether `host` (the `Host` header) names the server at `addr`.
fn host_allowed(host: &str, addr: SocketAddr) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        // `[::1]:1111` or `127.0.0.1:1111`; a bare IPv6 literal has no `]:`.
        Some((name, port))
            if !name.ends_with(':') && (name.ends_with(']') || !name.contains(':')) =>
        {
            (name, Some(port))
        }
        _ => (host, None),
    };
    if port.is_some_and(|p| p.parse::<u16>().ok() != Some(addr.port())) {
        return false;
    }
    let ip = name
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok();
    match ip {
        // An address, not a name: no DNS in between to rebind.
        Some(ip) => {
            ip == addr.ip()
                || ip.is_loopback() && addr.ip().is_loopback()
                || addr.ip().is_unspecified()
        }
        None => name == "localhost" && (addr.ip().is_loopback() || addr.ip().is_unspecified()),
    }
}

fn handle(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(shared.limits.read_timeout))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let head = match read_head(&mut stream, shared.limits.head_bytes) {
        Ok(h) => h,
        Err(HeadError::TooLarge) => {
            write_simple(
                &mut stream,
                431,
                "Request Header Fields Too Large",
                "request head too large\n",
            )?;
            // Read (and drop) a little of what is still coming, so the
            // client gets the answer instead of a reset; bounded in bytes
            // and time.
            stream.shutdown(std::net::Shutdown::Write)?;
            stream.set_read_timeout(Some(Duration::from_secs(1)))?;
            let mut sink = [0u8; 8192];
            let mut left = 256 * 1024usize;
            while left > 0 {
                match stream.read(&mut sink) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => left = left.saturating_sub(n),
                }
            }
            return Ok(());
        }
        Err(HeadError::Malformed) => {
            return write_simple(&mut stream, 400, "Bad Request", "bad request\n")
        }
        Err(HeadError::Closed) => return Ok(()),
    };
    if !head
        .host
        .as_deref()
        .is_some_and(|h| host_allowed(h, shared.addr))
    {
        return write_simple(
            &mut stream,
            421,
            "Misdirected Request",
            "this preview answers only to localhost, 127.0.0.1 or its own address\n",
        );
    }
    let head_only = match head.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => {
            return write_simple(
                &mut stream,
                405,
                "Method Not Allowed",
                "only GET and HEAD\n",
            )
        }
    };
    let path = head.target.split('?').next().unwrap_or("");
    if let Some(live) = &shared.live {
        if path == LIVE_EVENTS_PATH {
            let Some(_stream_slot) = Slot::acquire(&shared.streams, shared.limits.event_streams)
            else {
                return write_simple(
                    &mut stream,
                    503,
                    "Service Unavailable",
                    "too many live-reload streams\n",
                );
            };
            // No read timeout while streaming: the tab sends nothing more.
            stream.set_read_timeout(None)?;
            stream_events(&mut stream, live.subscribe());
            return Ok(());
        }
        if path == LIVE_SCRIPT_PATH {
            return write_response(
                &mut stream,
                200,
                "OK",
                "text/javascript; charset=utf-8",
                &[],
                Body::Bytes(LIVE_SCRIPT.as_bytes().to_vec()),
                head_only,
            );
        }
    }
    let live = shared.live.is_some();
    match resolve(&shared.root, &head.target) {
        Resolved::File(path) if live && content_type(&path).starts_with("text/html") => {
            let html = with_live_script(std::fs::read(&path)?);
            write_response(
                &mut stream,
                200,
                "OK",
                "text/html; charset=utf-8",
                &[],
                Body::Bytes(html),
                head_only,
            )
        }
        Resolved::File(path) => {
            let file = std::fs::File::open(&path)?;
            write_response(
                &mut stream,
                200,
                "OK",
                content_type(&path),
                &[],
                Body::File(file),
                head_only,
            )
        }
        Resolved::Redirect(to) => write_response(
            &mut stream,
            301,
            "Moved Permanently",
            "text/plain; charset=utf-8",
            &[("Location", &to)],
            Body::Bytes(Vec::new()),
            head_only,
        ),
        Resolved::NotFound => match std::fs::read(shared.root.join("404.html")) {
            Ok(html) => {
                let html = if live { with_live_script(html) } else { html };
                write_response(
                    &mut stream,
                    404,
                    "Not Found",
                    "text/html; charset=utf-8",
                    &[],
                    Body::Bytes(html),
                    head_only,
                )
            }
            Err(_) => write_simple(&mut stream, 404, "Not Found", "404 Not Found\n"),
        },
    }
}

enum Body {
    Bytes(Vec<u8>),
    File(std::fs::File),
}

fn write_response(
    stream: &mut TcpStream,
    status: u16,
    reason: &str,
    content_type: &str,
    extra: &[(&str, &str)],
    body: Body,
    head_only: bool,
) -> io::Result<()> {
    let length = match &body {
        Body::Bytes(b) => b.len() as u64,
        Body::File(f) => f.metadata()?.len(),
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\nCache-Control: no-cache\r\nConnection: close\r\n"
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        match body {
            Body::Bytes(b) => stream.write_all(&b)?,
            Body::File(mut f) => {
                io::copy(&mut f, stream)?;
            }
        }
    }
    stream.flush()
}

fn write_simple(stream: &mut TcpStream, status: u16, reason: &str, text: &str) -> io::Result<()> {
    write_response(
        stream,
        status,
        reason,
        "text/plain; charset=utf-8",
        &[],
        Body::Bytes(text.as_bytes().to_vec()),
        false,
    )
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
            // Built from the checked relative path, so always one `/` at
            // the start: `//centers` must not become `//centers/`, which a
            // browser reads as another host.
            let encoded = path_only.trim_start_matches('/');
            return Resolved::Redirect(format!("/{encoded}/{query}"));
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
        assert_eq!(
            resolve(&root, "//centers/a"),
            Resolved::Redirect("/centers/a/".into())
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

#[cfg(test)]
mod head_tests {
    use super::*;

    #[test]
    fn reads_heads_up_to_the_limit() {
        let ok = b"GET /a/?q=1 HTTP/1.1\r\nHost: LocalHost:1111\r\nAccept: */*\r\n\r\n";
        assert_eq!(
            read_head(&mut &ok[..], 1024),
            Ok(Head {
                method: "GET".into(),
                target: "/a/?q=1".into(),
                host: Some("localhost:1111".into())
            })
        );
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(5000));
        assert_eq!(
            read_head(&mut big.as_bytes(), 1024),
            Err(HeadError::TooLarge)
        );
        assert_eq!(
            read_head(&mut &b"GET http://evil/ HTTP/1.1\r\n\r\n"[..], 1024),
            Err(HeadError::Malformed)
        );
        assert_eq!(read_head(&mut &b""[..], 1024), Err(HeadError::Closed));
    }

    #[test]
    fn only_this_servers_names_are_hosts() {
        let loopback: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for good in [
            "127.0.0.1:1111",
            "localhost:1111",
            "localhost",
            "[::1]:1111",
            "127.0.0.2:1111",
        ] {
            assert!(host_allowed(good, loopback), "{good}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:2222",
            "localhost.evil.example:1111",
            "192.168.1.5:1111",
            "",
        ] {
            assert!(!host_allowed(bad, loopback), "{bad}");
        }
        let all: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert!(host_allowed("192.168.1.5:1111", all));
        assert!(host_allowed("localhost:1111", all));
        assert!(!host_allowed("rebind.evil.example:1111", all));
    }
}
