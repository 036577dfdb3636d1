//! URL and path helpers.
//!
//! # Browse pages for Japanese vocabulary values
//!
//! Vocabulary values (「ひきこもり」, 「広島市/中区」) become **raw UTF-8
//! directory names on disk** (`categories/ひきこもり/index.html`,
//! `areas/広島市/中区/index.html`) and **percent-encoded UTF-8 in every
//! href and in the sitemap** (`categories/%E3%81%B2…/`). Browsers show the
//! decoded form in the address bar, static hosts (GitHub Pages, Netlify,
//! nginx, Apache, S3) decode the request path and serve the UTF-8 file, and
//! the URL of a value never changes when the vocabulary is reordered (which
//! position-based ids like `c1` would do).
//!
//! To keep every name safe on every file system, each `/`-separated part of
//! a value is passed through [`disk_segment`]: ASCII characters other than
//! letters, digits, `-` and `_`, control characters and whitespace (also the
//! full-width space) become `-`. Two values that end up with the same name
//! within one dimension get `-2`, `-3`… in vocabulary order.

use std::collections::BTreeMap;

/// Percent-encodes a path: everything except RFC 3986 unreserved
/// characters and `/`.
pub fn encode_path(s: &str) -> String {
    encode(s, true)
}

/// Percent-encodes a query or `mailto:` component: everything except RFC
/// 3986 unreserved characters.
pub fn encode_component(s: &str) -> String {
    encode(s, false)
}

fn encode(s: &str, keep_slash: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/');
        if keep {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

/// One part of a vocabulary value as a directory name (see the module docs).
pub fn disk_segment(part: &str) -> String {
    let s: String = part
        .trim()
        .chars()
        .map(|c| {
            let bad_ascii = c.is_ascii() && !(c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if bad_ascii || c.is_control() || c.is_whitespace() {
                '-'
            } else {
                c
            }
        })
        .collect();
    if s.is_empty() {
        "-".to_string()
    } else {
        s
    }
}

/// Value → site-relative directory (`categories/ひきこもり/`, raw UTF-8, as
/// on disk) for one browse dimension, collision-free and deterministic.
#[derive(Debug, Default)]
pub struct TermDirs {
    map: BTreeMap<String, String>,
}

impl TermDirs {
    /// `prefix` is the dimension folder (`categories`); `values` in vocabulary order.
    pub fn new<'a>(prefix: &str, values: impl IntoIterator<Item = &'a str>) -> TermDirs {
        let mut map = BTreeMap::new();
        let mut used = std::collections::BTreeSet::new();
        for value in values {
            if map.contains_key(value) {
                continue;
            }
            let parts: Vec<String> = value.split('/').map(disk_segment).collect();
            let base = parts.join("/");
            let mut dir = base.clone();
            let mut n = 2;
            while used.contains(&dir) {
                dir = format!("{base}-{n}");
                n += 1;
            }
            used.insert(dir.clone());
            map.insert(value.to_string(), format!("{prefix}/{dir}/"));
        }
        TermDirs { map }
    }

    /// The raw (disk) directory of a value, ending in `/`.
    pub fn dir(&self, value: &str) -> Option<&str> {
        self.map.get(value).map(String::as_str)
    }
}

/// The 「印刷用一覧」 of an area: `areas/広島市/` → `areas/広島市/print/`
/// (raw, like [`TermDirs::dir`]). `print` is ASCII, so the href is the
/// area's href plus `print/`. An area value whose last part is `print`
/// under another area would want the same folder; the build then stops
/// with a collision error naming that folder.
pub fn print_dir(area_dir: &str) -> String {
    format!("{area_dir}print/")
}

/// `dir/` → `dir/index.html`; `""` → `index.html`.
pub fn index_file(dir: &str) -> String {
    format!("{dir}index.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes() {
        assert_eq!(
            encode_path("areas/広島市/"),
            "areas/%E5%BA%83%E5%B3%B6%E5%B8%82/"
        );
        assert_eq!(encode_component("a b&c/"), "a%20b%26c%2F");
        assert_eq!(disk_segment("A B:C"), "A-B-C");
        assert_eq!(disk_segment("生活　困窮"), "生活-困窮");
        let dirs = TermDirs::new("x", ["a b", "a-b", "食"]);
        assert_eq!(dirs.dir("a b"), Some("x/a-b/"));
        assert_eq!(dirs.dir("a-b"), Some("x/a-b-2/"));
        assert_eq!(dirs.dir("食"), Some("x/食/"));
        assert_eq!(print_dir("areas/広島市/"), "areas/広島市/print/");
    }
}
