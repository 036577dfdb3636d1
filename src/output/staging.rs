//! The full build's output: files go into a fresh sibling folder
//! (`.public.tsunagu-tmp-PID`) as the stages produce them, and that folder
//! replaces the output folder only once everything is written, so a
//! failed or killed build never damages the last good output. Leftovers
//! of a killed build are removed by the next build to the same folder.

use super::fingerprint::Fnv1a;
use super::precompress::{self, Encoding, PreparedCopy};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Files up to this size have their compressed copies remembered for the
/// rest of the build (see `Staging::made`).
const MEMO_BYTES: usize = 256 * 1024;
use super::target::{marker_text, OutputTarget, MARKER};
use super::{io_err, is_safe_relative, OutputFile, WriteError};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A build's output being written: files go into a fresh sibling folder
/// as they are produced (so a large portal never sits in memory whole),
/// and [`Staging::commit`] swaps that folder in. Dropped without a commit
/// (an error anywhere), the folder is removed and `out` is untouched.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    committed: bool,
    /// Leftovers of killed builds that could not be removed.
    stuck: Vec<PathBuf>,
    /// The compressed copies written beside assets (none by default).
    encodings: Vec<Encoding>,
    /// Copies made ahead of time (the search module's).
    prepared: Vec<PreparedCopy>,
    /// Copies made in this build, by content, so a file written under two
    /// names (`style.css` and its hashed name) is compressed once. Only
    /// files up to [`MEMO_BYTES`] (the theme's assets), so the index does
    /// not sit in memory twice.
    made: Mutex<HashMap<(Encoding, u64, usize), Arc<Vec<u8>>>>,
    /// The previous output was written by this same tsunagu (its marker
    /// says so), so its compressed copies are what this build would make.
    same_tool: bool,
}

impl Staging {
    /// Prepares a staging folder next to the checked output folder,
    /// removing leftovers of killed builds first, and writes the
    /// [`MARKER`] into it (so the next build may replace it in turn).
    pub fn new(target: &OutputTarget) -> Result<Staging, WriteError> {
        let out = target.path();
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| WriteError::BadTarget(out.to_path_buf()))?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if out.exists() && !out.is_dir() {
            return Err(WriteError::BadTarget(out.to_path_buf()));
        }
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let stuck = remove_leftovers(&parent, &name);
        let tmp = parent.join(format!(".{name}.tsunagu-tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
        }
        std::fs::create_dir(&tmp).map_err(io_err(&tmp))?;
        let marker = tmp.join(MARKER);
        std::fs::write(&marker, marker_text()).map_err(io_err(&marker))?;
        let old = parent.join(format!(".{name}.tsunagu-old-{}", std::process::id()));
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            old,
            committed: false,
            stuck,
            encodings: Vec::new(),
            prepared: Vec::new(),
            made: Mutex::default(),
            same_tool: std::fs::read_to_string(out.join(MARKER)).is_ok_and(|m| m == marker_text()),
        })
    }

    /// Leftover folders of killed builds next to the output that could not
    /// be removed (for a warning: they take disk space, nothing else).
    pub fn leftovers(&self) -> &[PathBuf] {
        &self.stuck
    }

    /// From now on, write `encodings` copies beside every file
    /// [`precompress::wanted`] names.
    /// `prepared` are copies made ahead of time, used for a file with
    /// exactly their original's bytes.
    pub fn precompress(&mut self, encodings: &[Encoding], prepared: &[PreparedCopy]) {
        self.encodings = encodings.to_vec();
        self.prepared = prepared.to_vec();
    }

    /// Writes one file into the staging folder. Safe to call from many
    /// threads at once.
    pub fn put(&self, file: &OutputFile) -> Result<(), WriteError> {
        if !is_safe_relative(&file.path) {
            return Err(WriteError::UnsafePath(file.path.clone()));
        }
        let path = self.tmp.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        std::fs::write(&path, &file.bytes).map_err(io_err(&path))?;
        if !self.encodings.is_empty() && precompress::wanted(&file.path, file.bytes.len()) {
            self.put_compressed(file, &path)?;
        }
        Ok(())
    }

    /// The compressed copies of `file` (written at `path`): taken from the
    /// previous output when its file has the same bytes and the copy is
    /// there, made otherwise.
    fn put_compressed(&self, file: &OutputFile, path: &Path) -> Result<(), WriteError> {
        let previous = self.out.join(&file.path);
        let unchanged =
            self.same_tool && std::fs::read(&previous).is_ok_and(|old| old == file.bytes);
        // One encoding per thread: for the search index (7 MB at 10,000
        // entries) brotli and gzip each take a few hundred milliseconds, and
        // one after the other they were the longest step of the index stage.
        self.encodings.par_iter().try_for_each(|&encoding| {
            let mut name = path.as_os_str().to_os_string();
            name.push(encoding.suffix());
            let target = PathBuf::from(name);
            let mut old_copy = previous.as_os_str().to_os_string();
            old_copy.push(encoding.suffix());
            let reused = unchanged && std::fs::copy(PathBuf::from(old_copy), &target).is_ok();
            if !reused {
                let bytes = self
                    .copy_of(&file.bytes, encoding)
                    .map_err(io_err(&target))?;
                std::fs::write(&target, &*bytes).map_err(io_err(&target))?;
            }
            Ok(())
        })
    }

    /// The `encoding` copy of `bytes`: prepared ahead of time, made earlier
    /// in this build for the same bytes, or made now.
    fn copy_of(&self, bytes: &[u8], encoding: Encoding) -> std::io::Result<Arc<Vec<u8>>> {
        if let Some(p) = self
            .prepared
            .iter()
            .find(|p| p.encoding == encoding && p.original == bytes)
        {
            return Ok(Arc::new(p.bytes.to_vec()));
        }
        if bytes.len() > MEMO_BYTES {
            return precompress::compress(bytes, encoding).map(Arc::new);
        }
        let key = (encoding, Fnv1a::default().part(bytes).finish(), bytes.len());
        let memo = |m: &Mutex<_>| -> Option<Arc<Vec<u8>>> {
            let m: &Mutex<HashMap<_, Arc<Vec<u8>>>> = m;
            m.lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&key)
                .cloned()
        };
        if let Some(made) = memo(&self.made) {
            return Ok(made);
        }
        let made = Arc::new(precompress::compress(bytes, encoding)?);
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, Arc::clone(&made));
        Ok(made)
    }

    /// Reads back a file written with [`Staging::put`] (`path` relative to
    /// the output root), so the build need not hold the large non-HTML
    /// files in memory until the end just to derive the build id.
    pub fn read(&self, path: &str) -> Result<Vec<u8>, WriteError> {
        if !is_safe_relative(path) {
            return Err(WriteError::UnsafePath(path.to_string()));
        }
        let path = self.tmp.join(path);
        std::fs::read(&path).map_err(io_err(&path))
    }

    /// Replaces `out` with the staging folder. On Linux the two folders are
    /// exchanged in one step (`renameat2(RENAME_EXCHANGE)`), so there is no
    /// moment without an `out`; elsewhere, or where the file system does not
    /// support it, two renames.
    pub fn commit(mut self) -> Result<(), WriteError> {
        if self.out.exists() && exchange(&self.tmp, &self.out) {
            self.committed = true;
            // `tmp` now holds the previous output.
            return std::fs::remove_dir_all(&self.tmp).map_err(io_err(&self.tmp));
        }
        if self.out.exists() {
            std::fs::rename(&self.out, &self.old).map_err(io_err(&self.out))?;
        }
        if let Err(source) = std::fs::rename(&self.tmp, &self.out) {
            // Put the previous output back before reporting; if even that
            // fails, say where it is.
            if self.old.exists() && std::fs::rename(&self.old, &self.out).is_err() {
                return Err(WriteError::Kept {
                    path: self.out.clone(),
                    kept: self.old.clone(),
                    source,
                });
            }
            return Err(WriteError::Io {
                path: self.out.clone(),
                source,
            });
        }
        self.committed = true;
        if self.old.exists() {
            std::fs::remove_dir_all(&self.old).map_err(io_err(&self.old))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && self.tmp.exists() {
            // Nothing to report it to from a drop: a folder that cannot be
            // removed now is removed by the next build (`remove_leftovers`).
            match std::fs::remove_dir_all(&self.tmp) {
                Ok(()) | Err(_) => {}
            }
        }
    }
}

/// Swaps two paths atomically; false when the platform or file system
/// cannot (the caller then falls back to two renames).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        std::ffi::CString::new(a.as_os_str().as_bytes()),
        std::ffi::CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}

/// Writes `files` as the complete new content of the checked folder.
pub fn write_site(target: &OutputTarget, files: &[OutputFile]) -> Result<(), WriteError> {
    let staging = Staging::new(target)?;
    files.par_iter().try_for_each(|f| staging.put(f))?;
    staging.commit()
}

/// Removes temporary folders that killed builds left next to the output:
/// those named for this output whose process is gone (a build running
/// right now into the same folder keeps its own). Returns those it could
/// not remove.
fn remove_leftovers(parent: &Path, name: &str) -> Vec<PathBuf> {
    let mut stuck = Vec::new();
    let Ok(read) = std::fs::read_dir(parent) else {
        return stuck;
    };
    let prefixes = [
        format!(".{name}.tsunagu-tmp-"),
        format!(".{name}.tsunagu-old-"),
    ];
    for item in read.flatten() {
        let file_name = item.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid != std::process::id() && process_alive(pid) {
            continue;
        }
        if std::fs::remove_dir_all(item.path()).is_err() {
            stuck.push(item.path());
        }
    }
    stuck
}

/// Whether a process with this id exists (on Unix; elsewhere every
/// leftover counts as abandoned).
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// `dir/portal` (an empty portal) and its checked output `dir/public`.
    fn target(dir: &Path) -> OutputTarget {
        std::fs::create_dir_all(dir.join("portal")).unwrap();
        OutputTarget::check(&dir.join("portal"), &dir.join("public"), false).unwrap()
    }

    #[test]
    fn replaces_output_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &target(dir.path()),
            &[file("a/index.html", "one"), file("old.txt", "x")],
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join(MARKER)).unwrap(),
            marker_text()
        );
        // A killed build's leftover (its process id is above any Linux
        // pid_max, so no such process runs).
        std::fs::create_dir(dir.path().join(".public.tsunagu-tmp-4294967")).unwrap();
        write_site(&target(dir.path()), &[file("a/index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("old.txt").exists());
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("portal"), "public".into()]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_running_builds_staging_folder_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        // Process 1 (init) always runs: its folder belongs to a live build.
        let live = dir.path().join(".public.tsunagu-tmp-1");
        std::fs::create_dir(&live).unwrap();
        write_site(&target(dir.path()), &[file("a.html", "x")]).unwrap();
        assert!(live.is_dir());
    }

    #[test]
    fn staged_files_read_back_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::new(&target(dir.path())).unwrap();
        let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        staging
            .put(&OutputFile {
                path: "data/entries.json".into(),
                bytes: bytes.clone(),
            })
            .unwrap();
        assert_eq!(staging.read("data/entries.json").unwrap(), bytes);
        assert!(matches!(
            staging.read("../outside"),
            Err(WriteError::UnsafePath(_))
        ));
        match staging.read("data/missing.json") {
            Err(WriteError::Io { path, .. }) => assert!(path.ends_with("data/missing.json")),
            other => panic!("expected an I/O error naming the file, got {other:?}"),
        }
    }

    #[test]
    fn refuses_paths_that_escape() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&target(dir.path()), &[file("a.html", "good")]).unwrap();
        let err = write_site(&target(dir.path()), &[file("../evil.html", "x")]).unwrap_err();
        assert!(matches!(err, WriteError::UnsafePath(_)));
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "good");
        assert!(!dir.path().join("evil.html").exists());
    }
}
