//! Problems found in a portal, and the three ways they are printed.
//!
//! Every layer that knows a file, line or field creates a [`Diagnostic`]
//! itself; the CLI prints the collected list once, as a human report with
//! a source snippet (codespan-reporting), one JSON object per line, or
//! GitHub Actions annotations.

use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A stable identifier for each kind of problem; documented in
/// `docs/diagnostics.md` with an example and the fix. Never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Code {
    // files
    SiteTomlMissing,
    ContentMissing,
    NotUtf8,
    EmptyFile,
    FileTooLarge,
    NoFrontMatter,
    UnclosedFrontMatter,
    IgnoredFile,
    LinkOutsidePortal,
    BrokenLink,
    NotARegularFile,
    // syntax and shape
    YamlSyntax,
    NotAMapping,
    UnknownField,
    FieldNotForKind,
    MissingField,
    InvalidValue,
    InvalidPhone,
    InvalidUrl,
    InvalidEmail,
    InvalidDate,
    InvalidDateTime,
    InvalidHours,
    InvalidSlug,
    InvalidControlCharacter,
    // meaning
    NotInVocabulary,
    DanglingReference,
    WrongReferenceKind,
    DuplicateSlug,
    /// Two entries from one list row, or with the same name and address.
    DuplicateEntry,
    EndBeforeStart,
    InvalidRange,
    // site.toml
    ConfigSyntax,
    ConfigInvalid,
    UnknownTheme,
    UnknownTimezone,
    // warnings
    Stale,
    NotVerified,
    SummaryTooLong,
    MissingKana,
    NoHotlines,
    NoDescription,
    ClosureInWords,
    // output
    UnsafeOutput,
    WriteFailed,
    RenderFailed,
    IndexFailed,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        use Code::*;
        match self {
            SiteTomlMissing => "site-toml-missing",
            ContentMissing => "content-missing",
            NotUtf8 => "not-utf8",
            EmptyFile => "empty-file",
            FileTooLarge => "file-too-large",
            NoFrontMatter => "no-front-matter",
            UnclosedFrontMatter => "unclosed-front-matter",
            IgnoredFile => "ignored-file",
            LinkOutsidePortal => "link-outside-portal",
            BrokenLink => "broken-link",
            NotARegularFile => "not-a-regular-file",
            YamlSyntax => "yaml-syntax",
            NotAMapping => "not-a-mapping",
            UnknownField => "unknown-field",
            FieldNotForKind => "field-not-for-kind",
            MissingField => "missing-field",
            InvalidValue => "invalid-value",
            InvalidPhone => "invalid-phone",
            InvalidUrl => "invalid-url",
            InvalidEmail => "invalid-email",
            InvalidDate => "invalid-date",
            InvalidDateTime => "invalid-datetime",
            InvalidHours => "invalid-hours",
            InvalidSlug => "invalid-slug",
            InvalidControlCharacter => "invalid-control-character",
            NotInVocabulary => "not-in-vocabulary",
            DanglingReference => "dangling-reference",
            WrongReferenceKind => "wrong-reference-kind",
            DuplicateSlug => "duplicate-slug",
            DuplicateEntry => "duplicate-entry",
            EndBeforeStart => "end-before-start",
            InvalidRange => "invalid-range",
            ConfigSyntax => "config-syntax",
            ConfigInvalid => "config-invalid",
            UnknownTheme => "unknown-theme",
            UnknownTimezone => "unknown-timezone",
            Stale => "stale",
            NotVerified => "not-verified",
            SummaryTooLong => "summary-too-long",
            MissingKana => "missing-kana",
            NoHotlines => "no-hotlines",
            NoDescription => "no-description",
            ClosureInWords => "closure-in-words",
            UnsafeOutput => "unsafe-output",
            WriteFailed => "write-failed",
            RenderFailed => "render-failed",
            IndexFailed => "index-failed",
        }
    }
}

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Diagnostic", 8)?;
        st.serialize_field("file", &self.file.as_ref().map(|p| slash_path(p)))?;
        st.serialize_field("line", &self.line)?;
        st.serialize_field("column", &self.column)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("code", self.code.as_str())?;
        st.serialize_field("field", &self.field)?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("help", &self.help)?;
        st.end()
    }
}

/// One problem. `line` and `column` are 1-based; `None` when the problem
/// belongs to the whole file (or to no file).
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Path relative to the portal root.
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The field the problem is in (`categories[1]`, `hours[0].open`).
    pub field: Option<String>,
    pub message: String,
    /// How to fix it, when a fix is likely.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: None,
            line: None,
            column: None,
            field: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Diagnostic {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_opt(self, pos: Option<(usize, usize)>) -> Diagnostic {
        match pos {
            Some((l, c)) => self.at(l, c),
            None => self,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Diagnostic {
        self.field = Some(field.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Everything found in one run, printed once at the end.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// In file, line, column order, so reports are stable across runs.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message)
                .partial_cmp(&(&b.file, b.line, b.column, b.code, &b.message))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        v
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The text of every file a diagnostic may point into, for snippets.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: BTreeMap<PathBuf, String>,
}

impl SourceMap {
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(path.into(), text.into());
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Drops the texts no diagnostic of `diagnostics` points into: what
    /// is printed stays the same, and a build with a few warnings does not
    /// hold a copy of the whole content folder until it ends.
    pub fn keep_referenced(&mut self, diagnostics: &Diagnostics) {
        let referenced: std::collections::BTreeSet<&Path> = diagnostics
            .iter()
            .filter_map(|d| d.file.as_deref())
            .collect();
        self.files
            .retain(|path, _| referenced.contains(path.as_path()));
    }
}

/// How diagnostics are printed: `--format human|json|github`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// For people: a source snippet with a caret under the problem.
    #[default]
    Human,
    /// One JSON object per line: file, line, column, severity, code, field, message, help.
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…::`).
    Github,
}

/// Prints every diagnostic in the chosen format. `color` only affects
/// the human format.
pub fn emit(
    out: &mut dyn Write,
    diagnostics: &Diagnostics,
    sources: &SourceMap,
    format: Format,
    color: bool,
) -> io::Result<()> {
    let sorted = diagnostics.sorted();
    match format {
        Format::Json => {
            for d in sorted {
                serde_json::to_writer(&mut *out, d)?;
                writeln!(out)?;
            }
        }
        Format::Github => {
            for d in sorted {
                writeln!(out, "{}", github_line(d))?;
            }
        }
        Format::Human => {
            for d in &sorted {
                emit_human(out, d, sources, color)?;
            }
            if !sorted.is_empty() {
                let (e, w) = (diagnostics.error_count(), diagnostics.warning_count());
                writeln!(out, "{e} error(s), {w} warning(s)")?;
            }
        }
    }
    Ok(())
}

fn slash_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// GitHub's workflow-command escaping: `%`, CR and LF in data, plus `:`
/// and `,` in properties.
fn github_line(d: &Diagnostic) -> String {
    fn data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn prop(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let Some(f) = &d.file {
        props.push(format!("file={}", prop(&slash_path(f))));
    }
    if let Some(l) = d.line {
        props.push(format!("line={l}"));
    }
    if let Some(c) = d.column {
        props.push(format!("col={c}"));
    }
    props.push(format!(
        "title={}",
        prop(&format!("tsunagu {}", d.code.as_str()))
    ));
    let mut msg = visible(&d.message).into_owned();
    if let Some(h) = &d.help {
        msg.push_str("\nhelp: ");
        msg.push_str(&visible(h));
    }
    format!("::{level} {}::{}", props.join(","), data(&msg))
}

/// `text` safe to print on a terminal or in a CI log: control characters
/// become their visible pictures (`␀` for U+0000, `␡` for U+007F), C1 and
/// bidirectional controls `�`, one character for one, so columns still
/// line up. A NUL or an escape sequence in an entry never reaches the
/// terminal raw, and an override cannot reorder the report.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c < ' ' && c != '\t' && c != '\n')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            c if c < ' ' && c != '\t' && c != '\n' => {
                char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')
            }
            '\u{7f}' => '\u{2421}',
            c if hidden(c) => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .into()
}

fn emit_human(
    out: &mut dyn Write,
    d: &Diagnostic,
    sources: &SourceMap,
    color: bool,
) -> io::Result<()> {
    use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label};
    use codespan_reporting::files::SimpleFile;
    use codespan_reporting::term;

    let mut header = visible(&d.message).into_owned();
    if let Some(field) = &d.field {
        header = format!("{header} (field `{}`)", visible(field));
    }
    let base = match d.severity {
        Severity::Error => CsDiag::error(),
        Severity::Warning => CsDiag::warning(),
    }
    .with_code(d.code.as_str())
    .with_message(header);
    let mut notes = Vec::new();
    if let Some(h) = &d.help {
        notes.push(format!("help: {}", visible(h)));
    }
    let file_text = d
        .file
        .as_ref()
        .and_then(|f| sources.get(f).map(|t| (f, visible(t))));
    let config = term::Config::default();
    let render = |out: &mut dyn Write, file: &SimpleFile<String, &str>, diag: &CsDiag<()>| {
        if color {
            let mut ansi = term::termcolor::Ansi::new(out);
            term::emit_to_write_style(&mut ansi, &config, file, diag)
        } else {
            term::emit_to_io_write(out, &config, file, diag)
        }
        .map_err(io::Error::other)
    };
    match (file_text, d.line) {
        (Some((path, text)), Some(line)) => {
            let text = text.as_ref();
            let start = byte_offset(text, line, d.column.unwrap_or(1));
            let end = token_end(text, start);
            let file = SimpleFile::new(slash_path(path), text);
            let diag = base
                .with_labels(vec![Label::primary((), start..end)])
                .with_notes(notes);
            render(out, &file, &diag)
        }
        _ => {
            if let Some(f) = &d.file {
                let place = match d.line {
                    Some(l) => format!("{}:{l}", slash_path(f)),
                    None => slash_path(f),
                };
                notes.insert(0, format!("in {place}"));
            }
            let file = SimpleFile::new(String::new(), "");
            render(out, &file, &base.with_notes(notes))
        }
    }
}

/// Byte offset of a 1-based line and 1-based (character) column.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col_bytes: usize = l
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return (offset + col_bytes).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// The end of the token at `start`: up to white space, `,` or the line end,
/// at least one character, so the caret underlines the offending value.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let len: usize = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ',' && *c != ']' && *c != '}')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        rest.chars()
            .next()
            .map(|c| start + c.len_utf8())
            .unwrap_or(start)
    } else {
        start + len
    }
}
