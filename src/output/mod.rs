//! Output: the one layer that writes the built site to disk.
//!
//! Every stage (pages, feeds, open data, search index, static assets)
//! produces [`OutputFile`]s and hands them here; nothing else writes into
//! an output folder. It owns
//!
//! - [`OutputFile`] and [`is_safe_relative`], the single rule for which
//!   paths a stage may ask for (plain relative paths, never `..`);
//! - [`target`]: which folders a build may replace at all (never the
//!   portal, an input folder, `/` or the home folder; a non-empty folder
//!   only when an earlier build left its [`MARKER`] there), checked
//!   before anything is touched;
//! - [`staging`]: the full build's staging folder and its atomic swap, so
//!   a failed or killed build never damages the last good output;
//! - [`paths`]: the site paths more than one stage needs (a page links
//!   to a calendar the feeds stage writes);
//! - [`precompress`]: `.br` and `.gz` copies of the assets a host serves
//!   most, written by the staging folder beside each;
//! - [`fingerprint`]: content-hashed names (`style.0123456789.css`) for
//!   the assets pages load, so hosts can cache them for a year;
//! - [`minify`]: the theme's CSS and JavaScript without comments and
//!   whitespace (`--no-minify` to debug);
//! - [`live`]: single-file replacement for `tsunagu serve`'s preview
//!   folder (write when changed, remove), each atomic.
//!
//! It may not render, index or read portal inputs: it only places bytes.

pub mod fingerprint;
pub mod live;
pub mod minify;
pub mod paths;
pub mod precompress;
pub mod staging;
pub mod target;

pub use staging::{write_site, Staging};
pub use target::{OutputTarget, MARKER};

use std::io;
use std::path::{Component, Path, PathBuf};

/// One file of the output, path relative to the output root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("refusing to write to {0}: it is not a folder this build can replace")]
    BadTarget(PathBuf),
    #[error("cannot replace {path}: {source}; the previous output is kept in {kept}", path = path.display(), kept = kept.display())]
    Kept {
        path: PathBuf,
        kept: PathBuf,
        source: io::Error,
    },
    #[error("output path `{0}` would leave the output folder")]
    UnsafePath(String),
    #[error("refusing to use {} as the output folder: {reason}", out.display())]
    UnsafeTarget {
        out: PathBuf,
        reason: target::Refusal,
    },
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Only plain relative paths with `/` separators: no `..`, no `.`, no
/// absolute paths, no empty parts, no backslashes. The one check every
/// writer applies before joining a stage's path to an output folder.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.starts_with('/')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::is_safe_relative;

    #[test]
    fn only_plain_relative_paths_are_safe() {
        for good in [
            "index.html",
            "centers/a/index.html",
            "areas/広島市/中区/index.html",
            ".well-known/x",
        ] {
            assert!(is_safe_relative(good), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a/./b",
            "./a",
            "a//b",
            "a/",
            "a\\b",
            "..",
            ".",
        ] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
