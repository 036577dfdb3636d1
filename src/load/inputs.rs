//! Which files of a portal folder may be read at all.
//!
//! Everything a build reads lives inside the portal folder: `site.toml`,
//! `content/`, `templates/`, `static/` and `themes/`. A symbolic link is
//! followed only when what it points at is inside the portal folder too
//! (resolved through every link and `..`, then compared as a path
//! prefix); a link that leaves it is refused with a diagnostic naming the
//! link and its target, so a template, a static file or an entry can never
//! publish `/etc/passwd` or a CI machine's files. The same rule holds in
//! every walk (content, templates, static, themes) and for single files
//! (`site.toml`, and each file `tsunagu serve` re-reads after a save).
//! FIFOs, sockets and devices are refused too: reading a FIFO would hang
//! the build.

use crate::diagnostics::{Code, Diagnostic};
use std::path::{Path, PathBuf};

/// A file that may be read: `path` to open, `relative` (to the portal
/// folder, as the editor names it: through a link, the link's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    pub relative: PathBuf,
}

/// Why a path under the portal is not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputProblem {
    #[error("this is a symbolic link to {}, outside the portal folder: tsunagu does not read or publish files from outside the portal", target.display())]
    LinkOutside { relative: PathBuf, target: PathBuf },
    #[error("this is a symbolic link to {}, which does not exist", target.display())]
    BrokenLink { relative: PathBuf, target: PathBuf },
    #[error("this symbolic link leads back into a folder that contains it (a loop)")]
    LinkLoop { relative: PathBuf },
    #[error("this is a {what}, not a regular file: tsunagu reads only files and folders")]
    NotRegular {
        relative: PathBuf,
        what: &'static str,
    },
    #[error("cannot read: {message}")]
    Io { relative: PathBuf, message: String },
}

impl InputProblem {
    /// The path, relative to the portal folder.
    pub fn relative(&self) -> &Path {
        match self {
            InputProblem::LinkOutside { relative, .. }
            | InputProblem::BrokenLink { relative, .. }
            | InputProblem::LinkLoop { relative }
            | InputProblem::NotRegular { relative, .. }
            | InputProblem::Io { relative, .. } => relative,
        }
    }

    /// As an error diagnostic on the file, with what to do.
    pub fn diagnostic(&self) -> Diagnostic {
        let (code, help) = match self {
            InputProblem::LinkOutside { .. } => (
                Code::LinkOutsidePortal,
                "copy the file into the portal folder instead of linking to it, or remove the link",
            ),
            InputProblem::BrokenLink { .. } => (
                Code::BrokenLink,
                "remove the link, or make it point at a file inside the portal",
            ),
            InputProblem::LinkLoop { .. } => (Code::BrokenLink, "remove the link"),
            InputProblem::NotRegular { .. } => (
                Code::NotARegularFile,
                "remove it from the portal folder: only files and folders are read",
            ),
            InputProblem::Io { .. } => (Code::NotUtf8, "check the file's permissions"),
        };
        Diagnostic::error(code, self.to_string())
            .in_file(self.relative())
            .help(help)
    }
}

/// The portal folder, resolved once, that every input must stay inside.
#[derive(Debug, Clone)]
pub struct PortalFolder {
    root: PathBuf,
    real: PathBuf,
}

impl PortalFolder {
    pub fn new(root: &Path) -> PortalFolder {
        PortalFolder {
            root: root.to_path_buf(),
            real: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }

    /// Where the link at `path` leads, if that is inside the portal.
    fn check_link(&self, path: &Path) -> Result<PathBuf, InputProblem> {
        let relative = self.relative(path);
        // Named in messages as written in the link (what `ls -l` shows).
        let written = std::fs::read_link(path).unwrap_or_default();
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.real) => Ok(real),
            Ok(_) => Err(InputProblem::LinkOutside {
                relative,
                target: written,
            }),
            Err(_) => Err(InputProblem::BrokenLink {
                target: written,
                relative,
            }),
        }
    }

    /// Every file under `dir` (a folder inside the portal, e.g.
    /// `root/content`), sorted by name, following links that stay inside
    /// the portal. A missing folder has no files.
    pub fn walk(&self, dir: &Path) -> Vec<Result<InputFile, InputProblem>> {
        let mut found = Vec::new();
        match std::fs::symlink_metadata(dir) {
            Err(_) => return found,
            Ok(m) if m.file_type().is_symlink() => {
                if let Err(p) = self.check_link(dir) {
                    found.push(Err(p));
                    return found;
                }
            }
            Ok(_) => {}
        }
        let mut items = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        while let Some(item) = items.next() {
            let item = match item {
                Ok(i) => i,
                Err(e) => {
                    let path = e.path().unwrap_or(dir).to_path_buf();
                    let relative = self.relative(&path);
                    found.push(Err(if e.loop_ancestor().is_some() {
                        InputProblem::LinkLoop { relative }
                    } else if std::fs::symlink_metadata(&path)
                        .is_ok_and(|m| m.file_type().is_symlink())
                    {
                        InputProblem::BrokenLink {
                            target: std::fs::read_link(&path).unwrap_or_default(),
                            relative,
                        }
                    } else {
                        InputProblem::Io {
                            relative,
                            message: e.to_string(),
                        }
                    }));
                    continue;
                }
            };
            if item.path_is_symlink() && item.depth() > 0 {
                if let Err(p) = self.check_link(item.path()) {
                    found.push(Err(p));
                    if item.file_type().is_dir() {
                        items.skip_current_dir();
                    }
                    continue;
                }
            }
            let kind = item.file_type();
            if kind.is_dir() {
                continue;
            }
            let relative = self.relative(item.path());
            if kind.is_file() {
                found.push(Ok(InputFile {
                    path: item.path().to_path_buf(),
                    relative,
                }));
            } else {
                found.push(Err(InputProblem::NotRegular {
                    relative,
                    what: special_kind(&kind),
                }));
            }
        }
        found
    }

    /// The file at `relative` (to the portal folder): `Ok(None)` when
    /// nothing is there, an error when it may not be read.
    pub fn file(&self, relative: &Path) -> Result<Option<InputFile>, InputProblem> {
        let path = self.root.join(relative);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return Ok(None);
        };
        // Through a link in the file's own name or in any folder above it.
        let real = match path.canonicalize() {
            Ok(real) => real,
            Err(_) if meta.file_type().is_symlink() => {
                return Err(InputProblem::BrokenLink {
                    relative: relative.to_path_buf(),
                    target: std::fs::read_link(&path).unwrap_or_default(),
                })
            }
            Err(_) => return Ok(None),
        };
        if !real.starts_with(&self.real) {
            return Err(InputProblem::LinkOutside {
                relative: relative.to_path_buf(),
                // The link's own text, or (a folder above is the link)
                // where the file really is.
                target: std::fs::read_link(&path).unwrap_or(real),
            });
        }
        let kind = std::fs::metadata(&real)
            .map_err(|e| InputProblem::Io {
                relative: relative.to_path_buf(),
                message: e.to_string(),
            })?
            .file_type();
        if kind.is_dir() {
            return Ok(None);
        }
        if !kind.is_file() {
            return Err(InputProblem::NotRegular {
                relative: relative.to_path_buf(),
                what: special_kind(&kind),
            });
        }
        Ok(Some(InputFile {
            path,
            relative: relative.to_path_buf(),
        }))
    }
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "named pipe (FIFO)"
    } else if kind.is_socket() {
        "socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_kind: &std::fs::FileType) -> &'static str {
    "special file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(found: &[Result<InputFile, InputProblem>]) -> Vec<String> {
        found
            .iter()
            .map(|f| match f {
                Ok(f) => format!("ok {}", f.relative.display()),
                Err(p) => format!("{} {}", p.relative().display(), p),
            })
            .collect()
    }

    #[test]
    fn links_inside_are_followed_and_links_outside_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("portal");
        std::fs::create_dir_all(root.join("static/img")).unwrap();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::write(root.join("shared/logo.svg"), "<svg/>").unwrap();
        std::fs::write(root.join("static/img/a.png"), "png").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::fs::create_dir(dir.path().join("certs")).unwrap();
        std::fs::write(dir.path().join("certs/ca.pem"), "pem").unwrap();
        symlink(root.join("shared/logo.svg"), root.join("static/logo.svg")).unwrap();
        symlink(root.join("shared"), root.join("static/shared")).unwrap();
        symlink(
            dir.path().join("secret.txt"),
            root.join("static/passwd.txt"),
        )
        .unwrap();
        symlink(dir.path().join("certs"), root.join("static/certs")).unwrap();
        symlink(root.join("nothing"), root.join("static/gone.txt")).unwrap();
        symlink(root.join("static"), root.join("static/img/loop")).unwrap();
        let portal = PortalFolder::new(&root);
        let got = names(&portal.walk(&root.join("static")));
        let secret = dir.path();
        assert_eq!(
            got,
            vec![
                format!("static/certs this is a symbolic link to {}/certs, outside the portal folder: tsunagu does not read or publish files from outside the portal", secret.display()),
                format!("static/gone.txt this is a symbolic link to {}, which does not exist", root.join("nothing").display()),
                "ok static/img/a.png".to_string(),
                "static/img/loop this symbolic link leads back into a folder that contains it (a loop)".to_string(),
                "ok static/logo.svg".to_string(),
                format!("static/passwd.txt this is a symbolic link to {}/secret.txt, outside the portal folder: tsunagu does not read or publish files from outside the portal", secret.display()),
                "ok static/shared/logo.svg".to_string(),
            ]
        );
        assert!(matches!(
            portal.file(Path::new("static/passwd.txt")),
            Err(InputProblem::LinkOutside { .. })
        ));
        assert_eq!(portal.file(Path::new("static/none.txt")), Ok(None));
        assert!(portal.file(Path::new("static/logo.svg")).unwrap().is_some());
    }

    #[test]
    fn a_linked_folder_above_a_file_counts_too() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("portal");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
        std::fs::write(dir.path().join("elsewhere/x.md"), "---\nname: x\n---\n").unwrap();
        symlink(dir.path().join("elsewhere"), root.join("content/centers")).unwrap();
        let portal = PortalFolder::new(&root);
        assert!(matches!(
            portal.file(Path::new("content/centers/x.md")),
            Err(InputProblem::LinkOutside { .. })
        ));
        let got = names(&portal.walk(&root.join("content")));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("content/centers this is a symbolic link to"),
            "{got:?}"
        );
    }

    #[test]
    fn a_fifo_is_refused_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("portal");
        std::fs::create_dir_all(root.join("content/centers")).unwrap();
        let fifo = root.join("content/centers/pipe.md");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let portal = PortalFolder::new(&root);
        assert_eq!(
            names(&portal.walk(&root.join("content"))),
            vec!["content/centers/pipe.md this is a named pipe (FIFO), not a regular file: tsunagu reads only files and folders"]
        );
        assert!(matches!(
            portal.file(Path::new("content/centers/pipe.md")),
            Err(InputProblem::NotRegular { .. })
        ));
    }
}
