//! Serving a built portal on loopback for preview (`tsunagu serve`).
//!
//! Only files inside the output folder are ever served: the request path
//! is percent-decoded, any `..`, backslash or NUL is refused, and the
//! resolved file must still be inside the (canonical) root after
//! following symlinks. Unknown paths get the portal's own 404 page.

use std::io;
use std::path::{Component, Path, PathBuf};

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

/// Serves `root` until the process ends. Blocking.
pub fn serve_forever(server: &tiny_http::Server, root: &Path) -> io::Result<()> {
    let root = root.canonicalize()?;
    for request in server.incoming_requests() {
        if let Err(e) = respond(request, &root) {
            eprintln!("serve: {e}");
        }
    }
    Ok(())
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    // Both parts are ASCII constants or ASCII paths we built.
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        tiny_http::Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("constant header")
    })
}

fn respond(request: tiny_http::Request, root: &Path) -> io::Result<()> {
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        return request.respond(tiny_http::Response::empty(405));
    }
    match resolve(root, request.url()) {
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
        Resolved::NotFound => {
            let page = root.join("404.html");
            match std::fs::File::open(&page) {
                Ok(file) => request.respond(
                    tiny_http::Response::from_file(file)
                        .with_status_code(404)
                        .with_header(header("Content-Type", "text/html; charset=utf-8")),
                ),
                Err(_) => request.respond(
                    tiny_http::Response::from_string("404 Not Found").with_status_code(404),
                ),
            }
        }
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
