//! Text hygiene: characters an editor cannot see must not reach the pages.
//!
//! Control characters (everything below U+0020 but tab and line feed,
//! U+007F, U+0080–U+009F) arrive in text pasted from PDFs, spreadsheets
//! and other programs. They are invisible in most editors, break the YAML
//! parser with a message about a character nobody can find, and would
//! pass raw into the HTML, `<title>`, feeds and CSV files. Bidirectional
//! controls (U+202A–U+202E, U+2066–U+2069) can make a name display as
//! something else than it is.
//!
//! - In front matter, a control character is an error
//!   (`invalid-control-character`) naming the field and the code point
//!   as `U+0000`, never the character itself; so parsing can go on and
//!   find the file's other problems, it is then read as a space.
//!   Written as an escape in a double-quoted value (`"\u0001"`) it is the
//!   same error.
//! - In a name (`name`, `title`, `kana`), a bidirectional control is an
//!   error too.
//! - In a Markdown body, control characters are removed, with a warning
//!   on the line of the first one.

use super::locate::Locator;
use crate::diagnostics::{Code, Diagnostic};
use std::path::Path;

/// A character refused in entries: C0 controls but tab and line feed,
/// DEL, and the C1 controls.
pub fn is_refused_control(c: char) -> bool {
    (c < ' ' && c != '\t' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// A bidirectional embedding, override or isolate control.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `U+0000`: how a character is named in messages.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Fields whose value is a name shown as a heading and in links.
const NAME_FIELDS: &[&str] = &["name", "title", "kana"];

/// The error for a control character in front matter.
fn control_error(c: char) -> Diagnostic {
    Diagnostic::error(
        Code::InvalidControlCharacter,
        format!(
            "the control character {} is not allowed here",
            code_point(c)
        ),
    )
}

const CONTROL_HELP: &str = "delete the invisible character (it often comes from text pasted from a PDF or another program): retype the text around the marked place";

/// Reports every line of the front matter `yaml` that holds a raw control
/// character and replaces each such character with a space (one
/// character for one, so every line and column stays where it was).
pub fn front_matter_controls(
    yaml: &mut String,
    line_offset: usize,
    path: &Path,
) -> Vec<Diagnostic> {
    if !yaml.chars().any(is_refused_control) {
        return Vec::new();
    }
    let mut diags = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let Some((column, c)) = line
            .chars()
            .enumerate()
            .find(|(_, c)| is_refused_control(*c))
        else {
            continue;
        };
        let field = top_key(yaml, i);
        // A `.yaml` entry's Markdown body follows the body rule.
        let mut d = if field.as_deref() == Some("body") {
            Diagnostic::warning(
                Code::InvalidControlCharacter,
                format!(
                    "the control character {} in the body is read as a space",
                    code_point(c)
                ),
            )
        } else {
            control_error(c)
        }
        .in_file(path)
        .at(i + 1 + line_offset, column + 1)
        .help(CONTROL_HELP);
        if let Some(field) = field {
            d = d.field(field);
        }
        diags.push(d);
    }
    *yaml = yaml
        .chars()
        .map(|c| if is_refused_control(c) { ' ' } else { c })
        .collect();
    diags
}

/// Control characters written as escapes in double-quoted values, and
/// bidirectional controls in names: looked for in the decoded values, only
/// when the text could hold one (a backslash, or a bidi control).
pub fn decoded_value_problems(yaml: &str, line_offset: usize, path: &Path) -> Vec<Diagnostic> {
    if !yaml.contains('\\') && !yaml.chars().any(is_bidi_control) {
        return Vec::new();
    }
    // Raw control characters are reported by `front_matter_controls`;
    // read as spaces here, so the rest of the text still parses.
    let cleaned: String;
    let yaml = if yaml.chars().any(is_refused_control) {
        cleaned = yaml
            .chars()
            .map(|c| if is_refused_control(c) { ' ' } else { c })
            .collect();
        cleaned.as_str()
    } else {
        yaml
    };
    let mut diags = Vec::new();
    for (field, value, pos) in Locator::new(yaml, line_offset).scalars() {
        let top = field.split(['[', '.']).next().unwrap_or(&field);
        if top == "body" {
            continue; // the body rule: see `clean_body`
        }
        if let Some(c) = value.chars().find(|c| is_refused_control(*c)) {
            diags.push(
                control_error(c)
                .in_file(path)
                .at(pos.0, pos.1)
                .field(field.clone())
                .help(
                    "remove the escape (`\\u…` or `\\x…`) of the control character from the value",
                ),
            );
        } else if NAME_FIELDS.contains(&top) {
            if let Some(c) = value.chars().find(|c| is_bidi_control(*c)) {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidControlCharacter,
                        format!(
                            "the bidirectional control {} is not allowed in a name: it can make the name display as different text",
                            code_point(c)
                        ),
                    )
                    .in_file(path)
                    .at(pos.0, pos.1)
                    .field(field.clone())
                    .help("retype the name without it"),
                );
            }
        }
    }
    diags
}

/// The body without control characters, and a warning on the line of the
/// first one (`first_line`: the body's first line in the file; for a
/// `.yaml` entry's `body:` value, the line of the value).
pub fn clean_body(
    body: &str,
    first_line: usize,
    path: &Path,
) -> (Option<String>, Option<Diagnostic>) {
    if !body.chars().any(is_refused_control) {
        return (None, None);
    }
    let mut warning = None;
    for (i, line) in body.lines().enumerate() {
        if let Some((column, c)) = line
            .chars()
            .enumerate()
            .find(|(_, c)| is_refused_control(*c))
        {
            warning = Some(
                Diagnostic::warning(
                    Code::InvalidControlCharacter,
                    format!(
                        "the control character {} was removed from the body (and any others after it)",
                        code_point(c)
                    ),
                )
                .in_file(path)
                .at(first_line + i, column + 1)
                .help(CONTROL_HELP),
            );
            break;
        }
    }
    let cleaned = body.chars().filter(|c| !is_refused_control(*c)).collect();
    (Some(cleaned), warning)
}

/// The top-level key whose value line `index` (0-based) belongs to: the
/// nearest line at or above it that starts with `key:`.
fn top_key(yaml: &str, index: usize) -> Option<String> {
    let lines: Vec<&str> = yaml.lines().take(index + 1).collect();
    lines.iter().rev().find_map(|l| {
        if l.starts_with([' ', '\t', '#', '-']) {
            return None;
        }
        let (key, _) = l.split_once(':')?;
        let key = key.trim().trim_matches(['"', '\'']);
        (!key.is_empty()).then(|| key.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_controls_are_named_and_blanked() {
        let mut yaml =
            "name: 相談\u{0}室\nsummary: ok\nhours_note: |\n  a\u{1}b\u{85}\n".to_string();
        let diags = front_matter_controls(&mut yaml, 1, Path::new("content/centers/a.md"));
        let got: Vec<_> = diags
            .iter()
            .map(|d| (d.message.as_str(), d.field.as_deref(), d.line, d.column))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "the control character U+0000 is not allowed here",
                    Some("name"),
                    Some(2),
                    Some(9)
                ),
                (
                    "the control character U+0001 is not allowed here",
                    Some("hours_note"),
                    Some(5),
                    Some(4)
                ),
            ]
        );
        assert_eq!(yaml, "name: 相談 室\nsummary: ok\nhours_note: |\n  a b \n");
    }

    #[test]
    fn escaped_controls_and_bidi_in_names_are_found() {
        let yaml = "name: \"A\\u202Eevil\"\nsummary: \"x\\u0007y\"\nkeywords: [\"\\u202E ok in keywords\"]\n";
        let diags = decoded_value_problems(yaml, 1, Path::new("a.md"));
        let got: Vec<_> = diags
            .iter()
            .map(|d| {
                (
                    d.field.as_deref(),
                    d.line,
                    d.message.split(':').next().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    Some("name"),
                    Some(2),
                    "the bidirectional control U+202E is not allowed in a name"
                ),
                (
                    Some("summary"),
                    Some(3),
                    "the control character U+0007 is not allowed here"
                ),
            ]
        );
    }

    #[test]
    fn bodies_lose_their_controls_with_a_warning() {
        let (body, warning) = clean_body("ok\nline\u{c}two\u{0}\n", 10, Path::new("a.md"));
        assert_eq!(body.as_deref(), Some("ok\nlinetwo\n"));
        let w = warning.unwrap();
        assert_eq!((w.line, w.column), (Some(11), Some(5)));
        assert!(w.message.contains("U+000C"));
        assert_eq!(
            clean_body("fine\ttext\n", 1, Path::new("a.md")),
            (None, None)
        );
    }
}
