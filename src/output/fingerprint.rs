//! Content-hashed names for the assets a host may cache for a long time.
//!
//! A page refers to `style.3f9a0c1b2d.css`, not `style.css`: the name
//! changes exactly when the bytes do, so a host can send
//! `Cache-Control: max-age=31536000, immutable` for such files and a
//! corrected stylesheet still reaches every phone at once (the HTML that
//! names it is always revalidated). The plain name is written as well, so
//! a portal template that still writes `{{ base }}style.css` keeps working.
//!
//! The hash is FNV-1a (64 bits): a cache key, not a security boundary.
//! Ten hex digits keep names short; two different versions of one file
//! colliding in them is not a realistic event.

/// FNV-1a (64 bits), fed in parts; each part is followed by a zero byte
/// so `["ab", "c"]` and `["a", "bc"]` differ.
#[derive(Debug, Clone)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        for &b in bytes.iter().chain(std::iter::once(&0u8)) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// File kinds that get a hashed copy: what pages load as subresources.
/// Everything else (robots.txt, `_headers`, PDFs an editor links to,
/// photos referred to from Markdown) keeps only its own name.
const HASHED_EXTENSIONS: &[&str] = &[
    "css", "js", "mjs", "svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "woff", "woff2",
];

/// The hashed name for `path` with these contents, or `None` for a kind
/// that keeps its plain name. `css/style.css` → `css/style.0123456789.css`;
/// the hash goes before the last extension so hosts still know the type.
pub fn hashed_path(path: &str, bytes: &[u8]) -> Option<String> {
    let (dir, file) = match path.rsplit_once('/') {
        Some((d, f)) => (Some(d), f),
        None => (None, path),
    };
    let (stem, ext) = file.rsplit_once('.')?;
    if stem.is_empty() || !HASHED_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) {
        return None;
    }
    let hash = format!("{:016x}", Fnv1a::default().part(bytes).finish());
    let name = format!("{stem}.{}.{ext}", &hash[..10]);
    Some(match dir {
        Some(d) => format!("{d}/{name}"),
        None => name,
    })
}

/// True for a name [`hashed_path`] makes (`name.<10 hex>.ext`): what the
/// host snippets in docs/publishing.md match for long caching.
pub fn is_hashed_name(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let mut parts = file.rsplit('.');
    let (Some(_ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty()
        && hash.len() == 10
        && hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_goes_before_the_extension_and_follows_the_bytes() {
        let a = hashed_path("css/style.css", b"body{}").unwrap();
        let b = hashed_path("css/style.css", b"body{color:red}").unwrap();
        assert!(a.starts_with("css/style.") && a.ends_with(".css"), "{a}");
        assert_ne!(a, b);
        assert_eq!(a, hashed_path("css/style.css", b"body{}").unwrap());
        assert!(is_hashed_name(&a) && is_hashed_name(&b));
        assert!(!is_hashed_name("css/style.css"));
    }

    #[test]
    fn files_that_keep_their_name() {
        for path in [
            "robots.txt",
            "_headers",
            "docs/manual.pdf",
            ".css",
            "README",
        ] {
            assert_eq!(hashed_path(path, b"x"), None, "{path}");
        }
        assert!(hashed_path("favicon.SVG", b"x").is_some());
    }

    #[test]
    fn parts_are_separated() {
        let joined = |a: &[u8], b: &[u8]| Fnv1a::default().part(a).part(b).finish();
        assert_ne!(joined(b"ab", b"c"), joined(b"a", b"bc"));
    }
}
