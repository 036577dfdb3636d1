//! Which folder a build may replace.
//!
//! A build replaces its output folder whole (see [`super::staging`]), so
//! pointing `--out` at the wrong place would delete it. Before anything is
//! touched, [`OutputTarget::check`] refuses
//!
//! - the portal folder itself, any folder that contains it, and the input
//!   folders (`content/`, `templates/`, `static/`, `themes/`) or anything
//!   inside them;
//! - the file system root, the home folder (or a folder containing it),
//!   and the folder tsunagu runs in (or one containing it);
//! - a folder that is not empty and holds no [`MARKER`]: every build
//!   writes that file, so a folder without one was not written by
//!   tsunagu. `--force-out` replaces such a folder anyway (the rules
//!   above still hold).
//!
//! Paths are compared after resolving symbolic links and `..`, so a link
//! or a relative path cannot smuggle the portal in.

use super::WriteError;
use std::path::{Component, Path, PathBuf};

/// The file every build writes at the top of its output, naming the tool
/// and its version. Its presence is what lets the next build replace the
/// folder.
pub const MARKER: &str = ".tsunagu-output";

/// The folders of a portal a build reads from.
pub const INPUT_FOLDERS: &[&str] = &["content", "templates", "static", "themes"];

/// Why a folder cannot be the output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("it is the portal folder itself")]
    IsPortal,
    #[error("it contains the portal folder {}", .0.display())]
    ContainsPortal(PathBuf),
    #[error("it is the portal's input folder `{0}/`")]
    IsInput(&'static str),
    #[error("it is inside the portal's input folder `{0}/`")]
    InsideInput(&'static str),
    #[error("it is the root of the file system")]
    FileSystemRoot,
    #[error("it is (or contains) your home folder {}", .0.display())]
    Home(PathBuf),
    #[error("it is (or contains) the folder tsunagu runs in, {}", .0.display())]
    WorkingFolder(PathBuf),
    #[error("it exists and is not a folder")]
    NotAFolder,
    #[error("it is not empty and was not written by tsunagu (it has no {MARKER} file)")]
    Foreign,
}

impl Refusal {
    /// What the person running the build can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            Refusal::Foreign => "choose a new or empty folder, or delete this one; to replace it anyway (everything in it is deleted), add --force-out",
            Refusal::NotAFolder => "choose a folder, e.g. --out public (the default)",
            _ => "choose a folder outside the portal's inputs and away from the portal folder, e.g. --out public (the default) or --out ../site-public",
        }
    }
}

/// An output folder that passed [`OutputTarget::check`]: only this can
/// become a [`super::Staging`], so no build swaps a folder unchecked.
#[derive(Debug, Clone)]
pub struct OutputTarget {
    out: PathBuf,
}

impl OutputTarget {
    /// Checks that a build of the portal at `root` may replace `out`.
    /// `force` lets a non-empty folder without the marker be replaced;
    /// it never allows the portal, its inputs, `/`, home or the working
    /// folder.
    pub fn check(root: &Path, out: &Path, force: bool) -> Result<OutputTarget, WriteError> {
        let refuse = |reason: Refusal| WriteError::UnsafeTarget {
            out: out.to_path_buf(),
            reason,
        };
        let cwd = std::env::current_dir().map_err(super::io_err(Path::new(".")))?;
        let resolved = resolve(&cwd, out);
        let portal = resolve(&cwd, root);
        if resolved.parent().is_none() {
            return Err(refuse(Refusal::FileSystemRoot));
        }
        if resolved == portal {
            return Err(refuse(Refusal::IsPortal));
        }
        if portal.starts_with(&resolved) {
            return Err(refuse(Refusal::ContainsPortal(portal)));
        }
        for input in INPUT_FOLDERS {
            let folder = resolve(&cwd, &root.join(input));
            if resolved == folder {
                return Err(refuse(Refusal::IsInput(input)));
            }
            if resolved.starts_with(&folder) {
                return Err(refuse(Refusal::InsideInput(input)));
            }
        }
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            let home = resolve(&cwd, Path::new(&home));
            if home.starts_with(&resolved) {
                return Err(refuse(Refusal::Home(home)));
            }
        }
        let working = resolve(&cwd, &cwd);
        if working.starts_with(&resolved) {
            return Err(refuse(Refusal::WorkingFolder(working)));
        }
        match std::fs::symlink_metadata(out) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(super::io_err(out)(e)),
            Ok(meta) => {
                // A link to a folder is judged by the folder (resolved
                // above); the swap then replaces the link itself.
                let is_dir = meta.is_dir() || (meta.file_type().is_symlink() && out.is_dir());
                if !is_dir {
                    return Err(refuse(Refusal::NotAFolder));
                }
                if !force && !written_by_tsunagu(out)? {
                    return Err(refuse(Refusal::Foreign));
                }
            }
        }
        Ok(OutputTarget {
            out: out.to_path_buf(),
        })
    }

    /// The folder, as it was given.
    pub fn path(&self) -> &Path {
        &self.out
    }
}

/// Empty, or holding the marker as a plain file.
fn written_by_tsunagu(dir: &Path) -> Result<bool, WriteError> {
    let mut items = std::fs::read_dir(dir).map_err(super::io_err(dir))?;
    if items.next().is_none() {
        return Ok(true);
    }
    Ok(std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file()))
}

/// `path` made absolute against `cwd`, `.` and `..` folded, and the
/// longest existing prefix resolved through symbolic links (the rest may
/// not exist yet).
fn resolve(cwd: &Path, path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut lexical = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other.as_os_str()),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            out.extend(rest.iter().rev());
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

/// The text of the marker file.
pub(crate) fn marker_text() -> String {
    format!(
        "tsunagu {}\nThis folder is a tsunagu build output: the next build replaces it whole.\n",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn portal() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in INPUT_FOLDERS {
            std::fs::create_dir_all(dir.path().join("portal").join(f)).unwrap();
        }
        std::fs::write(dir.path().join("portal/site.toml"), "title = \"x\"\n").unwrap();
        dir
    }

    fn reason(root: &Path, out: &Path, force: bool) -> Option<Refusal> {
        match OutputTarget::check(root, out, force) {
            Ok(_) => None,
            Err(WriteError::UnsafeTarget { reason, .. }) => Some(reason),
            Err(e) => panic!("unexpected error {e}"),
        }
    }

    #[test]
    fn refuses_the_portal_its_inputs_and_their_ancestors() {
        let dir = portal();
        let root = dir.path().join("portal");
        assert_eq!(reason(&root, &root, true), Some(Refusal::IsPortal));
        assert_eq!(
            reason(&root, &root.join("content/.."), true),
            Some(Refusal::IsPortal)
        );
        assert!(matches!(
            reason(&root, dir.path(), true),
            Some(Refusal::ContainsPortal(_))
        ));
        assert_eq!(
            reason(&root, &root.join("content"), true),
            Some(Refusal::IsInput("content"))
        );
        assert_eq!(
            reason(&root, &root.join("static/out"), true),
            Some(Refusal::InsideInput("static"))
        );
        assert_eq!(
            reason(&root, Path::new("/"), true),
            Some(Refusal::FileSystemRoot)
        );
        // The default and a sibling folder are fine.
        assert_eq!(reason(&root, &root.join("public"), false), None);
        assert_eq!(reason(&root, &dir.path().join("site-public"), false), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_cannot_smuggle_an_input_folder_in() {
        let dir = portal();
        let root = dir.path().join("portal");
        std::os::unix::fs::symlink(root.join("content"), dir.path().join("innocent")).unwrap();
        assert_eq!(
            reason(&root, &dir.path().join("innocent"), true),
            Some(Refusal::IsInput("content"))
        );
    }

    #[test]
    fn a_foreign_folder_needs_force() {
        let dir = portal();
        let root = dir.path().join("portal");
        let docs = dir.path().join("mydocs");
        std::fs::create_dir(&docs).unwrap();
        assert_eq!(reason(&root, &docs, false), None, "an empty folder is fine");
        std::fs::write(docs.join("letter.txt"), "keep me").unwrap();
        assert_eq!(reason(&root, &docs, false), Some(Refusal::Foreign));
        assert_eq!(reason(&root, &docs, true), None);
        std::fs::write(docs.join(MARKER), marker_text()).unwrap();
        assert_eq!(reason(&root, &docs, false), None);
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(reason(&root, &file, true), Some(Refusal::NotAFolder));
    }
}
