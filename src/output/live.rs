//! Single-file replacement in a folder that stays in use: `tsunagu
//! serve`'s preview, where a browser tab may read any page at any moment.
//! Each file is written to a temporary name beside it and renamed into
//! place, and only when its bytes changed, so a reader sees the old page
//! or the new one (never half of one) and unrelated pages keep their
//! inode and modification time.

use super::{io_err, is_safe_relative, OutputFile, WriteError};
use std::path::Path;

/// Writes `file` under `out` unless the same bytes are already there.
/// Returns whether it wrote.
pub fn write_if_changed(out: &Path, file: &OutputFile) -> Result<bool, WriteError> {
    if !is_safe_relative(&file.path) {
        return Err(WriteError::UnsafePath(file.path.clone()));
    }
    let target = out.join(&file.path);
    if std::fs::read(&target).is_ok_and(|existing| existing == file.bytes) {
        return Ok(false);
    }
    let parent = target.parent().unwrap_or(out);
    std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.tsunagu-part-{}", std::process::id()));
    std::fs::write(&tmp, &file.bytes).map_err(io_err(&tmp))?;
    if let Err(e) = std::fs::rename(&tmp, &target) {
        // The rename's error is the one to report; a temporary file that
        // cannot be removed either is named in it.
        return Err(match std::fs::remove_file(&tmp) {
            Ok(()) => io_err(&target)(e),
            Err(_) => io_err(&tmp)(e),
        });
    }
    Ok(true)
}

/// Removes the output file `path` (`centers/x/index.html`), and its
/// folder when nothing else is in it. Returns whether the file went.
pub fn remove_file(out: &Path, path: &str) -> bool {
    if !is_safe_relative(path) {
        return false;
    }
    let target = out.join(path);
    let removed = std::fs::remove_file(&target).is_ok();
    if let (true, Some(folder)) = (removed, target.parent()) {
        if folder != out {
            // Refused (as it should be) while the folder holds other files.
            match std::fs::remove_dir(folder) {
                Ok(()) | Err(_) => {}
            }
        }
    }
    removed
}

/// Every file under `out` that is not HTML, not in `except` and not this
/// layer's own (the marker, temporary files), as the build that wrote the
/// folder made it: what versions the service worker (see
/// [`crate::pipeline::search_assets`]), read back after a change.
pub fn read_non_html(out: &Path, except: &[&str]) -> Result<Vec<OutputFile>, WriteError> {
    let mut files = Vec::new();
    for item in walkdir::WalkDir::new(out).sort_by_file_name() {
        let item = item.map_err(|e| WriteError::Io {
            path: e.path().unwrap_or(out).to_path_buf(),
            source: e.into(),
        })?;
        if !item.file_type().is_file() {
            continue;
        }
        let Ok(rel) = item.path().strip_prefix(out) else {
            continue;
        };
        let path = rel.to_string_lossy().replace('\\', "/");
        let name = item.file_name().to_string_lossy();
        if path.ends_with(".html")
            || except.contains(&path.as_str())
            || path == super::MARKER
            || (name.starts_with('.') && name.contains(".tsunagu-part-"))
        {
            continue;
        }
        let bytes = std::fs::read(item.path()).map_err(io_err(item.path()))?;
        files.push(OutputFile { path, bytes });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_only_when_changed() {
        let dir = tempfile::tempdir().unwrap();
        let f = OutputFile {
            path: "centers/a/index.html".into(),
            bytes: b"one".to_vec(),
        };
        assert!(write_if_changed(dir.path(), &f).unwrap());
        assert!(!write_if_changed(dir.path(), &f).unwrap());
        let g = OutputFile {
            bytes: b"two".to_vec(),
            ..f.clone()
        };
        assert!(write_if_changed(dir.path(), &g).unwrap());
        assert_eq!(
            std::fs::read(dir.path().join("centers/a/index.html")).unwrap(),
            b"two"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path().join("centers/a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
        for evil in ["../x", "/etc/x", "a/../../x", ""] {
            let bad = OutputFile {
                path: evil.into(),
                bytes: vec![],
            };
            assert!(write_if_changed(dir.path(), &bad).is_err(), "{evil}");
        }
        assert!(remove_file(dir.path(), "centers/a/index.html"));
        assert!(!dir.path().join("centers/a").exists());
    }
}
