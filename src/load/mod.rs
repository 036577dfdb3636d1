//! Load: read `site.toml` and every file under `content/` into memory,
//! decode it, and split Markdown front matter from the body.
//!
//! Nothing here knows what a field means; it only turns bytes into text
//! with positions, and says clearly when the bytes are not usable text.
//! What may be read at all (nothing through a link that leaves the
//! portal, no FIFOs or devices) is [`inputs`]' rule, shared with the
//! theme's templates and static files.

pub mod inputs;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Kind;
use inputs::PortalFolder;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Entry files larger than this are refused: a real entry is a few KB,
/// and a multi-megabyte file is a mistake (a pasted PDF, a binary).
pub const MAX_ENTRY_BYTES: u64 = 2 * 1024 * 1024;

/// One entry file as text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub kind: Kind,
    /// Relative to the portal root, e.g. `content/centers/foo.md`.
    pub path: PathBuf,
    /// The file name without extension (not yet checked as a slug).
    pub stem: String,
    pub format: FileFormat,
    /// The decoded text, BOM removed, CRLF turned into LF and pasted
    /// line separators into spaces (see [`decode`]; line numbers are
    /// unchanged by all three).
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Markdown,
    Yaml,
}

/// The YAML part of an entry and where it starts in its file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Lines before the YAML in the file (1 for `.md`: the opening `---`).
    pub line_offset: usize,
    /// The Markdown body (`.md` only).
    pub body: Option<&'a str>,
}

/// Everything read from a portal folder.
#[derive(Debug)]
pub struct Loaded {
    pub site_toml: String,
    pub files: Vec<SourceFile>,
}

/// Reads the portal at `root`. Problems with single files are returned as
/// diagnostics next to the files that did load; a missing `site.toml` or
/// `content/` is fatal (`Err`).
pub fn load(root: &Path) -> Result<(Loaded, Vec<Diagnostic>), Diagnostic> {
    let portal = PortalFolder::new(root);
    let toml_path = match portal.file(Path::new("site.toml")) {
        Err(problem) => return Err(problem.diagnostic()),
        Ok(Some(file)) => file.path,
        Ok(None) => root.join("site.toml"),
    };
    let site_toml = match std::fs::read(&toml_path) {
        Ok(bytes) => match decode(&bytes) {
            Ok(text) => text,
            Err(d) => return Err(d.in_file("site.toml")),
        },
        Err(e) => {
            return Err(Diagnostic::error(
                Code::SiteTomlMissing,
                format!("cannot read site.toml in {}: {e}", root.display()),
            )
            .help("run tsunagu in the portal folder, pass --root DIR, or create a portal with `tsunagu init DIR`"));
        }
    };
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Diagnostic::error(
            Code::ContentMissing,
            format!("there is no content/ folder in {}", root.display()),
        )
        .help("entries live in content/centers/, content/organizations/, content/events/, content/cafeterias/ and content/pages/"));
    }

    let mut diagnostics = Vec::new();
    let mut candidates = Vec::new();
    for item in portal.walk(&content) {
        let item = match item {
            Ok(i) => i,
            Err(problem) => {
                diagnostics.push(problem.diagnostic());
                continue;
            }
        };
        let path = item.path.as_path();
        let relative = item.relative.clone();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue; // editor swap files, .DS_Store, .gitkeep
        }
        let kind = path
            .strip_prefix(&content)
            .ok()
            .and_then(|p| p.components().next())
            .and_then(|c| Kind::from_folder(&c.as_os_str().to_string_lossy()));
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        let format = match ext.as_deref() {
            Some("md") => Some(FileFormat::Markdown),
            Some("yaml" | "yml") => Some(FileFormat::Yaml),
            _ => None,
        };
        match (kind, format) {
            (Some(kind), Some(format)) => {
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                candidates.push((kind, relative, path.to_path_buf(), stem, format));
            }
            (None, _) => diagnostics.push(
                Diagnostic::warning(Code::IgnoredFile, "this file is not in one of the entry folders and is ignored")
                    .in_file(relative)
                    .help("put entries in content/centers/, content/organizations/, content/events/, content/cafeterias/ or content/pages/"),
            ),
            (Some(_), None) => diagnostics.push(
                Diagnostic::warning(Code::IgnoredFile, "only .md, .yaml and .yml files are entries; this file is ignored")
                    .in_file(relative),
            ),
        }
    }

    let results: Vec<Result<SourceFile, Diagnostic>> = candidates
        .into_par_iter()
        .map(|(kind, relative, full, stem, format)| {
            read_text(&full)
                .map_err(|d| d.in_file(&relative))
                .map(|text| SourceFile {
                    kind,
                    path: relative,
                    stem,
                    format,
                    text,
                })
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diagnostics.push(d),
        }
    }
    Ok((Loaded { site_toml, files }, diagnostics))
}

/// Where the entry file `relative` (a path under `content/`, relative to
/// the portal folder) belongs: its kind and format, or `None` when `load`
/// would not take it as an entry (another folder, another extension, a
/// hidden or editor temporary file).
pub fn classify(relative: &Path) -> Option<(Kind, FileFormat)> {
    let mut parts = relative.components();
    if parts.next()?.as_os_str() != "content" {
        return None;
    }
    let kind = Kind::from_folder(&parts.next()?.as_os_str().to_string_lossy())?;
    // Entries may sit in subfolders of the kind's folder.
    parts.next()?;
    let name = relative.file_name()?.to_string_lossy();
    if name.starts_with('.') {
        return None;
    }
    let ext = relative
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    let format = match ext.as_deref() {
        Some("md") => FileFormat::Markdown,
        Some("yaml" | "yml") => FileFormat::Yaml,
        _ => return None,
    };
    Some((kind, format))
}

/// Reads one entry file as [`load`] does (the same input rule, size limit,
/// decoding, not empty), for `tsunagu serve` after a save. `Ok(None)`
/// when it is not an entry file or does not exist (deleted, renamed away).
pub fn read_entry_file(root: &Path, relative: &Path) -> Result<Option<SourceFile>, Diagnostic> {
    let Some((kind, format)) = classify(relative) else {
        return Ok(None);
    };
    let Some(file) = PortalFolder::new(root)
        .file(relative)
        .map_err(|p| p.diagnostic())?
    else {
        return Ok(None);
    };
    let text = match read_text(&file.path) {
        Ok(text) => text,
        // Gone between the look and the read: a rename in progress.
        Err(_) if !file.path.exists() => return Ok(None),
        Err(d) => return Err(d.in_file(relative)),
    };
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some(SourceFile {
        kind,
        path: relative.to_path_buf(),
        stem,
        format,
        text,
    }))
}

/// The text of an entry file: at most [`MAX_ENTRY_BYTES`], decoded, not empty.
fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(Code::NotUtf8, format!("cannot read this file: {e}")))?;
    if meta.len() > MAX_ENTRY_BYTES {
        return Err(Diagnostic::error(
            Code::FileTooLarge,
            format!(
                "this file is {} bytes; entries may be at most {} bytes (2 MB)",
                meta.len(),
                MAX_ENTRY_BYTES
            ),
        )
        .help("an entry is a few KB of text: check that no image or document was pasted or saved under this name"));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(Code::NotUtf8, format!("cannot read this file: {e}")))?;
    let text = decode(&bytes)?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error(Code::EmptyFile, "this file is empty")
            .help("write at least `name:` (or `title:` for a page), or delete the file"));
    }
    Ok(text)
}

/// Characters some programs treat as line breaks but editors do not:
/// U+0085 NEXT LINE, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR.
/// They arrive in text pasted from web pages, PDFs and mis-decoded
/// Windows files, invisibly.
pub const PASTED_LINE_SEPARATORS: [char; 3] = ['\u{85}', '\u{2028}', '\u{2029}'];

/// UTF-8 (with or without BOM), CRLF or LF. Anything else is refused
/// with a message that says what it looks like.
///
/// [`PASTED_LINE_SEPARATORS`] become spaces. libyaml (YAML 1.1) counts
/// them as line breaks, so a summary holding one was refused on the
/// next, correct line and every later line number was off by one, while
/// the editor's own editor shows one line. As spaces, the value reads
/// the same (a summary is one line anyway), the fields parse, and every
/// line number is the one the editor sees. One character for one, so
/// columns stay too.
pub fn decode(bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let mut text = if text.contains('\r') {
                text.replace("\r\n", "\n").replace('\r', "\n")
            } else {
                text.to_string()
            };
            if text.contains(PASTED_LINE_SEPARATORS) {
                text = text.replace(PASTED_LINE_SEPARATORS, " ");
            }
            Ok(text)
        }
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            let (_, _, sjis_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
            let looks_sjis = !sjis_errors && bytes.iter().any(|&b| b >= 0x80);
            // UTF-16 can also decode as Shift_JIS without errors: test it first.
            let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
            let (message, help) = if looks_sjis && !utf16 {
                (
                    "this file is not UTF-8: it looks like Shift_JIS",
                    "save it as UTF-8 (in Notepad: 名前を付けて保存 → 文字コード UTF-8; in VS Code: Save with Encoding → UTF-8)",
                )
            } else if utf16 {
                (
                    "this file is not UTF-8: it looks like UTF-16",
                    "save it as UTF-8",
                )
            } else {
                (
                    "this file is not UTF-8 text",
                    "save it as UTF-8 text; if it is not a text file, remove it from content/",
                )
            };
            Err(Diagnostic::error(Code::NotUtf8, message)
                .at(line, 1)
                .help(help))
        }
    }
}

/// Separates front matter from the body of a `.md` file, or takes a whole
/// `.yaml` file as YAML.
pub fn split(file: &SourceFile) -> Result<Split<'_>, Diagnostic> {
    let text = file.text.as_str();
    if file.format == FileFormat::Yaml {
        return Ok(Split {
            yaml: text,
            line_offset: 0,
            body: None,
        });
    }
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(
            Code::NoFrontMatter,
            "a .md entry must start with front matter: a line `---`, the fields, then `---`",
        )
        .in_file(&file.path)
        .at(1, 1)
        .help("begin the file with\n---\nname: …\n---\nand put the Markdown body after the second `---`"));
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &text[yaml_start..offset];
            let body = &text[offset + line.len()..];
            return Ok(Split {
                yaml,
                line_offset: 1,
                body: Some(body),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        Code::UnclosedFrontMatter,
        "the front matter opened on line 1 is never closed",
    )
    .in_file(&file.path)
    .at(1, 1)
    .help("add a line `---` after the last field, before the Markdown body"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_entry_files_like_load() {
        assert_eq!(
            classify(Path::new("content/centers/a.md")),
            Some((Kind::Center, FileFormat::Markdown))
        );
        assert_eq!(
            classify(Path::new("content/events/sub/b.YML")),
            Some((Kind::Event, FileFormat::Yaml))
        );
        for not in [
            "content/centers/.a.md.swp",
            "content/centers/a.md~",
            "content/centers/4913",
            "content/other/a.md",
            "content/a.md",
            "templates/centers/a.md",
            "content/centers/a.txt",
        ] {
            assert_eq!(classify(Path::new(not)), None, "{not}");
        }
    }

    #[test]
    fn decodes_bom_and_crlf() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFname: a\r\nkana: b\r\n").unwrap(),
            "name: a\nkana: b\n"
        );
    }

    #[test]
    fn pasted_line_separators_become_spaces() {
        assert_eq!(
            decode("summary: 一\u{2028}二\u{2029}三\u{85}四\nkana: よ\n".as_bytes()).unwrap(),
            "summary: 一 二 三 四\nkana: よ\n"
        );
    }

    #[test]
    fn names_shift_jis() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("name: 相談センター\n");
        let d = decode(&bytes).unwrap_err();
        assert!(d.message.contains("Shift_JIS"), "{}", d.message);
    }

    fn md(text: &str) -> SourceFile {
        SourceFile {
            kind: Kind::Center,
            path: "content/centers/a.md".into(),
            stem: "a".into(),
            format: FileFormat::Markdown,
            text: text.into(),
        }
    }

    #[test]
    fn splits_front_matter() {
        let f = md("---\nname: a\n---\nbody\n");
        let s = split(&f).unwrap();
        assert_eq!(s.yaml, "name: a\n");
        assert_eq!(s.body, Some("body\n"));
        assert_eq!(s.line_offset, 1);
        assert_eq!(
            split(&md("---\nname: a\n")).unwrap_err().code,
            Code::UnclosedFrontMatter
        );
        assert_eq!(
            split(&md("name: a\n")).unwrap_err().code,
            Code::NoFrontMatter
        );
    }
}
