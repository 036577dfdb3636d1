//! Which rebuild a changed path needs: an entry file is rebuilt alone,
//! `site.toml`, templates, static files and themes rebuild everything,
//! editor temporaries and the preview's own writes are ignored.

use std::path::{Path, PathBuf};

/// What a changed path means for the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathClass {
    /// Not an input (editor backup and swap files, files `load` ignores).
    Ignore,
    /// An entry file, relative to the portal root.
    Entry(PathBuf),
    /// Anything else that feeds the build: rebuild everything.
    Full(PathBuf),
    /// A path under `content/` without an extension that is gone: an
    /// editor's temporary file (sed's `sedXXXXXX`), or a folder of entries
    /// moved away. Which one only the list of entry files can tell.
    Vanished(PathBuf),
}

/// Names editors use for swap, backup and temporary files while saving
/// (vim's `4913` probe and `~` backups, `.swp`, JetBrains' `___jb_tmp___`,
/// atomic-save `*.tmp`): never inputs, so never a reason to rebuild.
fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
}

/// Classifies a path reported by the file watcher. `root` and `path` are
/// absolute (the watcher reports absolute paths under the canonical root);
/// `out` is the preview folder, whose own writes are ignored. `is_dir`
/// says the event was about a folder (created, removed or renamed).
pub fn classify_path(root: &Path, out: &Path, path: &Path, is_dir: bool) -> PathClass {
    if path.starts_with(out) {
        return PathClass::Ignore;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return PathClass::Ignore;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.is_empty() || is_editor_temp(&name) {
        return PathClass::Ignore;
    }
    let top = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    match top.as_str() {
        "site.toml" if rel.components().count() == 1 => PathClass::Full(rel.to_path_buf()),
        "templates" | "static" | "themes" => PathClass::Full(rel.to_path_buf()),
        "content" => {
            let dir = is_dir || path.is_dir();
            if !dir && crate::load::classify(rel).is_some() {
                PathClass::Entry(rel.to_path_buf())
            } else if dir {
                // A folder appeared, went or was renamed: its entries
                // changed in ways single-file events do not tell.
                PathClass::Full(rel.to_path_buf())
            } else if rel.extension().is_none() && !path.exists() {
                PathClass::Vanished(rel.to_path_buf())
            } else {
                // `load` ignores it too (with a warning in `check`).
                PathClass::Ignore
            }
        }
        _ => PathClass::Ignore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_watched_paths() {
        let root = Path::new("/p");
        let out = Path::new("/tmp/out");
        let c = |p: &str| classify_path(root, out, Path::new(p), false);
        assert_eq!(
            c("/p/content/centers/a.md"),
            PathClass::Entry("content/centers/a.md".into())
        );
        assert_eq!(c("/p/site.toml"), PathClass::Full("site.toml".into()));
        assert_eq!(
            c("/p/templates/entry.html"),
            PathClass::Full("templates/entry.html".into())
        );
        assert_eq!(
            c("/p/themes/t/static/a.css"),
            PathClass::Full("themes/t/static/a.css".into())
        );
        for ignored in [
            "/p/content/centers/.a.md.swp",
            "/p/content/centers/a.md~",
            "/p/content/centers/4913",
            "/p/content/centers/a.md.tmp",
            "/p/content/centers/notes.txt",
            "/p/templates/.entry.html.swp",
            "/p/README.md",
            "/tmp/out/centers/a/index.html",
            "/elsewhere/x.md",
        ] {
            assert_eq!(c(ignored), PathClass::Ignore, "{ignored}");
        }
        assert_eq!(
            classify_path(root, out, Path::new("/p/content/centers/sub"), true),
            PathClass::Full("content/centers/sub".into())
        );
        // sed -i's temporary file, already renamed over the entry.
        assert_eq!(
            c("/p/content/centers/sedAJeMwO"),
            PathClass::Vanished("content/centers/sedAJeMwO".into())
        );
    }
}
