//! One entry file: YAML → [`EntryFields`], then the rules of its kind.

use super::guard::{self, Hazard, MAX_NESTING};
use super::locate::{Locator, Step};
use super::nearest;
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::{FileFormat, SourceFile, Split};
use crate::model::{EntryFields, Kind, EVENT_ONLY, FIELD_NAMES, PAGE_FIELDS};
use std::path::Path;

/// Summaries longer than this are a warning: lists cut them on phones.
pub const SUMMARY_MAX_CHARS: usize = 140;

/// Parses the YAML of one entry into fields, reporting every bad field in
/// one pass.
///
/// serde stops at the first error, so after each error we blank the
/// lines of the top-level field it was in (keeping line numbers) and try
/// again: every field gets its own message with serde's exact position.
///
/// On errors, returns the fields that did parse (so the kind and
/// vocabulary rules can still report their problems) and the names of
/// the top-level fields that were dropped.
pub fn parse_fields(
    split: &Split,
    path: &Path,
) -> Result<EntryFields, (Option<EntryFields>, Vec<String>, Vec<Diagnostic>)> {
    let mut text = split.yaml.to_string();
    let mut diags = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    if !text
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    {
        let d = Diagnostic::error(Code::MissingField, "the front matter is empty")
            .in_file(path)
            .at(split.line_offset.max(1), 1)
            .help("write at least `name: …` (or `title: …` for a page)");
        return Err((None, Vec::new(), vec![d]));
    }
    // Before any YAML parser: refuse what only a parser could choke on
    // (deep nesting costs libyaml time quadratic in the depth; aliases
    // can multiply a few lines into millions of values).
    diags.extend(super::text::front_matter_controls(
        &mut text,
        split.line_offset,
        path,
    ));
    let scanned = guard::scan(&text);
    if let Some(hazard) = &scanned.hazard {
        return Err((
            None,
            dropped,
            vec![hazard_error(hazard, split.line_offset, path)],
        ));
    }
    // Each round removes one field, so this ends; the bound is a guard.
    for _ in 0..FIELD_NAMES.len() + 16 {
        let err = match serde_yaml::from_str::<EntryFields>(&text) {
            Ok(fields) if diags.is_empty() => return Ok(fields),
            Ok(partial) => return Err((Some(partial), dropped, diags)),
            Err(e) => e,
        };
        // serde_yaml reads lazily, so a syntax error further down can
        // surface as a type error; on the error path only, ask the
        // parser first.
        if diags.is_empty() {
            if let Err(syntax) = serde_yaml::from_str::<serde_yaml::Value>(&text) {
                if let Some(d) =
                    syntax_error(&syntax, &text, split.line_offset, path, scanned.unclosed)
                {
                    return Err((None, dropped, vec![d]));
                }
            }
        }
        let pos = err
            .location()
            .map(|l| (l.line() + split.line_offset, l.column()));
        let mut message = err.to_string();
        if let Some(l) = err.location() {
            message = message.replacen(
                &format!(" at line {} column {}", l.line(), l.column()),
                "",
                1,
            );
        }
        let (field_path, detail) = split_path(&message);
        let top = match &field_path {
            Some(p) => Some(top_key(p).to_string()),
            None => backticked_after(detail, "unknown field `")
                .or_else(|| backticked_after(detail, "duplicate field `")),
        };
        let Some(top) = top else {
            // No field to blame: a syntax error or a document that is not
            // a mapping. Nothing after it can be trusted.
            let not_map = detail.starts_with("invalid type") && detail.contains("EntryFields");
            let d = if not_map {
                Diagnostic::error(Code::NotAMapping, "the fields must be `key: value` lines (a YAML mapping)")
                    .help("write one field per line, e.g.\nname: 〇〇相談センター\nkana: まるまるそうだんせんたー")
            } else {
                Diagnostic::error(Code::YamlSyntax, format!("YAML syntax: {detail}")).help(
                    "check the line above the marked place too: an unclosed quote or bracket, a missing space after `:`, or a tab used for indentation",
                )
            };
            diags.push(
                d.in_file(path)
                    .at_opt(pos.map(|p| inside(p, &text, split.line_offset))),
            );
            return Err((None, dropped, diags));
        };
        diags.push(field_error(&top, field_path.as_deref(), detail, path, pos));
        if detail.starts_with("duplicate field") {
            // serde points at the mapping; the editor needs the second copy.
            if let Some(d) = diags.last_mut() {
                let second = text
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| l.starts_with(&format!("{top}:")))
                    .nth(1);
                if let Some((i, _)) = second {
                    d.line = Some(i + 1 + split.line_offset);
                    d.column = Some(1);
                }
            }
        }
        if !blank_top_level_key(&mut text, &top) {
            return Err((None, dropped, diags));
        }
        dropped.push(top);
    }
    Err((None, dropped, diags))
}

/// A YAML syntax error, pointed at the line an editor has to change.
///
/// libyaml reports where it gave up, which for an unclosed quote or a
/// missing space after `:` is a later line; its message names the real
/// start ("while scanning a quoted scalar at line 5 column 10"), so we
/// point there and say it in plain words. Duplicate keys are left to the
/// typed pass, which names the field.
fn syntax_error(
    err: &serde_yaml::Error,
    yaml: &str,
    offset: usize,
    path: &Path,
    unclosed: Option<(usize, usize, char)>,
) -> Option<Diagnostic> {
    let raw = err.to_string();
    if raw.contains("duplicate entry") {
        return None;
    }
    let mut pos = err.location().map(|l| (l.line() + offset, l.column()));
    let mut message = raw.clone();
    if let Some(l) = err.location() {
        message = message.replacen(
            &format!(" at line {} column {}", l.line(), l.column()),
            "",
            1,
        );
    }
    // "…, while scanning X at line L column C": the construct that began there.
    let mut began: Option<(usize, usize)> = None;
    if let Some((head, tail)) = message.clone().split_once(", while ") {
        if let Some((what, at)) = tail.split_once(" at line ") {
            let mut nums = at.split(" column ").map(|n| n.trim().parse::<usize>().ok());
            if let (Some(Some(l)), Some(Some(c))) = (nums.next(), nums.next()) {
                began = Some((l + offset, c));
                message = format!("{head}, while {what}");
            }
        }
    }
    let line_text = |line: usize| {
        yaml.lines()
            .nth(line.saturating_sub(offset + 1))
            .unwrap_or("")
    };
    let (message, help) = if raw.contains("more than one document") {
        pos = yaml
            .lines()
            .position(|l| l.trim_end() == "---")
            .map(|i| (i + 1 + offset, 1));
        (
            "a .yaml entry has no `---` lines".to_string(),
            "remove the `---` lines; or, if the file has a Markdown body after them, rename it to .md".to_string(),
        )
    } else if message.contains("quoted scalar") {
        pos = began.or(pos);
        (
            "this quote is never closed".to_string(),
            "add the closing quote at the end of the value, or remove the opening one".to_string(),
        )
    } else if message.contains("flow sequence")
        || message.contains("flow mapping")
        || (message.contains("flow node") && unclosed.is_some())
    {
        // libyaml may only notice at the end of the input (a line after
        // the last one); the scan knows which bracket is still open.
        pos = unclosed.map(|(l, c, _)| (l + offset, c)).or(began).or(pos);
        match unclosed.map(|(_, _, b)| b) {
            Some('{') => (
                "this `{` is never closed".to_string(),
                "close it with `}` on the same line, e.g. `geo: {lat: 34.39, lon: 132.45}`"
                    .to_string(),
            ),
            Some(_) => (
                "this `[` is never closed".to_string(),
                "close the list with `]` on the same line, e.g. `categories: [ひきこもり, 居場所]`"
                    .to_string(),
            ),
            None => (
                "this `[` or `{` is never closed".to_string(),
                "close the list with `]` (or the `{` with `}`) on the same line".to_string(),
            ),
        }
    } else if let Some(d) = limit_error(&message, yaml, offset) {
        pos = d.0.or(pos);
        (d.1, d.2)
    } else if message.contains("could not find expected ':'")
        || message.contains("mapping values are not allowed")
    {
        // The faulty line is the last non-blank one before where libyaml stopped.
        let stop = pos.map(|p| p.0).unwrap_or(offset + 1);
        let culprit = (offset + 1..stop.max(offset + 1))
            .rev()
            .find(|&l| !line_text(l).trim().is_empty())
            .unwrap_or(stop);
        let stop_text = line_text(stop);
        if let Some((l, text)) = [(stop, stop_text), (culprit, line_text(culprit))]
            .into_iter()
            .find(|(_, t)| t.contains('：'))
        {
            let c = text.find('：').unwrap_or(0);
            pos = Some((l, text[..c].chars().count() + 1));
            (
                "a full-width colon `：` is used after the field name".to_string(),
                "write a half-width colon and a space: `name: …`".to_string(),
            )
        } else if message.contains("mapping values") {
            (
                "a value contains `: ` (colon and space)".to_string(),
                "put the whole value in quotes, e.g. summary: \"時間: 10時から\"".to_string(),
            )
        } else {
            pos = Some((culprit, 1));
            (
                "this line is not `field: value`".to_string(),
                "write a space after the colon, e.g. `kana: ひろしま`".to_string(),
            )
        }
    } else {
        (
            format!("YAML syntax: {message}"),
            "check this line and the one above: an unclosed quote or bracket, a missing space after `:`, or a tab used for indentation".to_string(),
        )
    };
    Some(
        Diagnostic::error(Code::YamlSyntax, message)
            .in_file(path)
            .at_opt(pos.map(|p| inside(p, yaml, offset)))
            .help(help),
    )
}

/// A position moved onto the last line of the YAML when libyaml placed
/// it after the end (a last line without a newline): an editor's file
/// has no such line.
fn inside(pos: (usize, usize), yaml: &str, offset: usize) -> (usize, usize) {
    let lines = yaml.lines().count().max(1);
    if pos.0 <= offset + lines {
        return pos;
    }
    let last = yaml.lines().last().unwrap_or("");
    (offset + lines, last.chars().count() + 1)
}

const ALIAS_MESSAGE: &str =
    "YAML anchors and aliases (`&name`, `*name`) are not allowed in entries";
const ANCHOR_HELP: &str = "write every value out in full where it belongs, without `&name` or `*name`; if the value is text that begins with `&`, put it in quotes, e.g. fee: \"&お茶代100円\"";
const ALIAS_HELP: &str = "if this is text, put the whole value in quotes, e.g. summary: \"*印は予約制\"; if it copies another value, write that value out here in full";

fn nesting_message() -> String {
    format!("the values are nested more than {MAX_NESTING} levels deep (`[`, `{{` or `- ` inside one another)")
}
const NESTING_HELP: &str = "an entry needs at most 4 levels, e.g. `hours:` → `- {days: [mon]}`; look for brackets or `- ` repeated by mistake (a paste gone wrong) and remove them";

/// The error for what [`guard::scan`] refused.
fn hazard_error(hazard: &Hazard, offset: usize, path: &Path) -> Diagnostic {
    let (pos, message, help) = match hazard {
        Hazard::TooDeep { line, column } => (
            (*line, *column),
            nesting_message(),
            NESTING_HELP.to_string(),
        ),
        Hazard::Alias {
            line,
            column,
            written,
        } => {
            // Long text after a `*` is someone's note, not a name: show its start.
            let mut shown: String = written.chars().take(12).collect();
            if shown.len() < written.len() {
                shown.push('…');
            }
            if written.starts_with('&') {
                let message = format!("`{shown}` is a YAML anchor: {ALIAS_MESSAGE}");
                ((*line, *column), message, ANCHOR_HELP.to_string())
            } else {
                let message = format!(
                    "`{shown}` is read as a YAML alias (a copy of an `&anchor`): {ALIAS_MESSAGE}"
                );
                ((*line, *column), message, ALIAS_HELP.to_string())
            }
        }
    };
    Diagnostic::error(Code::YamlSyntax, message)
        .in_file(path)
        .at(pos.0 + offset, pos.1)
        .help(help)
}

/// serde_yaml's own limits, should the scan ever let a document through
/// to them: said in the same words as [`hazard_error`], at the first
/// alias for a repetition limit.
#[allow(clippy::type_complexity)]
fn limit_error(
    message: &str,
    yaml: &str,
    offset: usize,
) -> Option<(Option<(usize, usize)>, String, String)> {
    if message.contains("repetition limit exceeded") {
        let first = yaml.lines().enumerate().find_map(|(i, l)| {
            l.find(['*', '&'])
                .map(|b| (i + 1 + offset, l[..b].chars().count() + 1))
        });
        return Some((first, ALIAS_MESSAGE.to_string(), ANCHOR_HELP.to_string()));
    }
    if message.contains("recursion limit exceeded") {
        return Some((None, nesting_message(), NESTING_HELP.to_string()));
    }
    None
}

/// serde_yaml prefixes errors inside a field with its path (`hours[0].open: …`).
fn split_path(message: &str) -> (Option<String>, &str) {
    if let Some((head, rest)) = message.split_once(": ") {
        let is_path = !head.is_empty()
            && head
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_[].".contains(c));
        if is_path {
            return (Some(head.to_string()), rest);
        }
    }
    (None, message)
}

fn top_key(path: &str) -> &str {
    path.split(['[', '.']).next().unwrap_or(path)
}

fn backticked_after(s: &str, prefix: &str) -> Option<String> {
    s.strip_prefix(prefix)
        .and_then(|r| r.split('`').next())
        .map(str::to_string)
}

fn field_error(
    top: &str,
    field_path: Option<&str>,
    detail: &str,
    path: &Path,
    pos: Option<(usize, usize)>,
) -> Diagnostic {
    if let Some(unknown) = detail
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
    {
        // Unknown field inside a nested value (hours rule, geo) or at the top.
        let (message, known): (String, Vec<&str>) = match field_path {
            Some(p) if p.starts_with("hours") => (
                format!("unknown field `{unknown}` in an hours rule"),
                vec!["days", "weekday", "nth", "open", "close", "note"],
            ),
            Some(p) if p.starts_with("closed") => (
                format!("unknown field `{unknown}` in a closure"),
                vec![
                    "date",
                    "to",
                    "yearly",
                    "weekday",
                    "nth",
                    "holiday_moves",
                    "name",
                    "note",
                ],
            ),
            Some(p) if p.starts_with("geo") => (
                format!("unknown field `{unknown}` in geo"),
                vec!["lat", "lon"],
            ),
            _ => (format!("unknown field `{unknown}`"), FIELD_NAMES.to_vec()),
        };
        let mut d = Diagnostic::error(Code::UnknownField, message)
            .in_file(path)
            .at_opt(pos)
            .field(
                field_path
                    .map(|p| format!("{p}.{unknown}"))
                    .unwrap_or_else(|| unknown.to_string()),
            );
        let near = nearest(unknown, known.iter().copied(), 1);
        d = match near.first() {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!("the fields are: {}", known.join(", "))),
        };
        return d;
    }
    if let Some(dup) = detail
        .strip_prefix("duplicate field `")
        .and_then(|r| r.split('`').next())
    {
        return Diagnostic::error(Code::InvalidValue, format!("`{dup}` is written twice"))
            .in_file(path)
            .at_opt(pos)
            .field(dup)
            .help("keep one of them");
    }
    let code = match top {
        "phone" => Code::InvalidPhone,
        "website" | "online" | "registration" => Code::InvalidUrl,
        "email" | "report_email" => Code::InvalidEmail,
        "verified" => Code::InvalidDate,
        "starts" | "ends" => Code::InvalidDateTime,
        "hours" | "closed" => Code::InvalidHours,
        "operator" | "place" | "organizer" => Code::InvalidSlug,
        _ => Code::InvalidValue,
    };
    let friendly = plain_words(detail);
    let mut d = Diagnostic::error(code, friendly)
        .in_file(path)
        .at_opt(pos)
        .field(field_path.unwrap_or(top));
    if let Some(h) = field_help(top) {
        d = d.help(h);
    }
    d
}

/// serde's type names in words an editor knows.
fn plain_words(detail: &str) -> String {
    let mut s = detail.to_string();
    for (from, to) in [
        ("struct RawRule", "an hours rule"),
        ("struct RawClosure", "a closure"),
        ("struct Geo", "{lat: …, lon: …}"),
        ("expected u16", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected i8", "expected a whole number"),
        ("expected a sequence", "expected a list like [a, b]"),
        ("invalid type: sequence", "a list was given"),
        ("invalid type: map", "a `key: value` block was given"),
        ("expected a boolean", "expected true or false"),
        ("relative URL without a base", "not a full link"),
    ] {
        s = s.replace(from, to);
    }
    s
}

/// What each field expects, for type errors.
fn field_help(field: &str) -> Option<&'static str> {
    Some(match field {
        "categories" => "write a list, e.g. `categories: [ひきこもり, 居場所]`",
        "audience" => "write a list, e.g. `audience: [本人, 家族]`",
        "methods" => "write a list, e.g. `methods: [電話, 来所]`",
        "languages" => "write a list, e.g. `languages: [日本語, English]`",
        "keywords" => "write a list, e.g. `keywords: [8050, 居場所]`",
        "email" => "write one address, e.g. `email: info@example.jp` (half-width @)",
        "hours" => "write a list of rules, e.g.\nhours:\n  - {days: [mon, fri], open: \"15:00\", close: \"21:00\"}\n  - {weekday: thu, nth: 3, open: \"13:30\", close: \"16:30\"}",
        "closed" => "write a list of closed days, e.g.\nclosed:\n  - 年末年始\n  - {weekday: tue, nth: 3}\n  - {date: 2027-01-15, note: 臨時休館}",
        "geo" => "write `geo: {lat: 34.39, lon: 132.45}` (degrees)",
        "phone" => "write a Japanese number with hyphens, e.g. `phone: 054-221-1582`, or a list of them",
        "website" | "registration" => "links must start with https:// or http://",
        "online" => "write `online: true`, `online: false`, or the meeting link (https://…)",
        "verified" => "write the date as YYYY-MM-DD, e.g. `verified: 2026-04-01`",
        "starts" | "ends" => "write e.g. `starts: 2026-12-05T13:30` (the site's timezone) or `2026-12-05T13:30+09:00`",
        "free" | "anonymous" | "draft" => "write `true` or `false`",
        "min_age" | "max_age" | "capacity" | "order" => "write a whole number",
        "status" => "write `open`, `paused` or `closed`",
        "operator" | "organizer" | "place" => "write the slug (file name without extension) of another entry, e.g. `operator: foot-and-work`",
        _ => return None,
    })
}

/// Replaces the lines of a top-level block-mapping key with empty lines.
/// Returns false when the key cannot be found as a block key (flow-style
/// front matter), so the caller stops instead of looping.
fn blank_top_level_key(text: &mut String, key: &str) -> bool {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_key_line = |l: &str| {
        let t = l.trim_end_matches(['\n', '\r']);
        [
            format!("{key}:"),
            format!("\"{key}\":"),
            format!("'{key}':"),
        ]
        .iter()
        .any(|p| t.starts_with(p.as_str()))
    };
    let Some(start) = lines.iter().position(|l| is_key_line(l)) else {
        return false;
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| {
            let first = l.chars().next();
            first.is_some_and(|c| !c.is_whitespace() && c != '#')
        })
        .map(|i| start + 1 + i)
        .unwrap_or(lines.len());
    let mut out = String::with_capacity(text.len());
    for (i, l) in lines.iter().enumerate() {
        if (start..end).contains(&i) {
            if l.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(l);
        }
    }
    *text = out;
    true
}

/// The kind rules and vocabulary of one parsed entry. Cross-entry rules
/// (references, duplicates) are in the parent module.
pub fn check_fields(
    file: &SourceFile,
    fields: &EntryFields,
    split: &Split,
    config: &SiteConfig,
    today: jiff::civil::Date,
) -> Vec<Diagnostic> {
    let loc = Locator::new(split.yaml, split.line_offset);
    let path = &file.path;
    let mut out = Vec::new();
    let present = present_fields(fields);

    // Which fields belong to which kind.
    for name in &present {
        let wrong = match file.kind {
            Kind::Page => !PAGE_FIELDS.contains(name),
            Kind::Event => matches!(*name, "title" | "order"),
            _ => EVENT_ONLY.contains(name) || matches!(*name, "title" | "order"),
        };
        let body_in_md = *name == "body" && file.format == FileFormat::Markdown;
        if wrong || body_in_md {
            let help = if body_in_md {
                "in a .md file the body goes after the closing `---`".to_string()
            } else {
                match file.kind {
                    Kind::Page => format!("a page has only: {}", PAGE_FIELDS.join(", ")),
                    _ if EVENT_ONLY.contains(name) => {
                        format!("`{name}` is only for events (content/events/)")
                    }
                    _ => format!("`{name}` is only for pages (content/pages/); entries use `name`"),
                }
            };
            out.push(
                Diagnostic::error(
                    Code::FieldNotForKind,
                    format!("`{name}` is not a field of a {}", file.kind),
                )
                .in_file(path)
                .at_opt(loc.key(&[Step::Key(name)]))
                .field(*name)
                .help(help),
            );
        }
    }

    // Required fields.
    let (required, value) = match file.kind {
        Kind::Page => ("title", &fields.title),
        _ => ("name", &fields.name),
    };
    if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
        out.push(
            Diagnostic::error(Code::MissingField, format!("`{required}` is required"))
                .in_file(path)
                .at(split.line_offset.max(1), 1)
                .field(required)
                .help(format!("add `{required}: …` to the front matter")),
        );
    }
    if file.kind == Kind::Event && fields.starts.is_none() {
        out.push(
            Diagnostic::error(Code::MissingField, "an event needs `starts`")
                .in_file(path)
                .at(split.line_offset.max(1), 1)
                .field("starts")
                .help("add e.g. `starts: 2026-12-05T13:30`"),
        );
    }

    // Vocabulary.
    let vocab = &config.vocabulary;
    let lists: [(&str, &Option<Vec<String>>, &Vec<String>); 3] = [
        ("categories", &fields.categories, &vocab.categories),
        ("audience", &fields.audience, &vocab.audience),
        ("methods", &fields.methods, &vocab.methods),
    ];
    for (name, values, allowed) in lists {
        for (i, v) in values.iter().flatten().enumerate() {
            if !allowed.contains(v) {
                out.push(
                    not_in_vocabulary(name, v, allowed, path)
                        .at_opt(loc.value(&[Step::Key(name), Step::Index(i)]))
                        .field(format!("{name}[{i}]")),
                );
            }
        }
    }
    if let Some(area) = &fields.area {
        if !vocab.areas.contains(area) {
            out.push(
                not_in_vocabulary("areas", area, &vocab.areas, path)
                    .at_opt(loc.value(&[Step::Key("area")]))
                    .field("area"),
            );
        }
    }

    // Ranges.
    if let (Some(min), Some(max)) = (fields.min_age, fields.max_age) {
        if min > max {
            out.push(
                Diagnostic::error(
                    Code::InvalidRange,
                    format!("min_age ({min}) is greater than max_age ({max})"),
                )
                .in_file(path)
                .at_opt(loc.value(&[Step::Key("max_age")]))
                .field("max_age")
                .help("swap them, or remove one"),
            );
        }
    }
    if let Some(geo) = fields.geo {
        if !(-90.0..=90.0).contains(&geo.lat) || !(-180.0..=180.0).contains(&geo.lon) {
            out.push(
                Diagnostic::error(Code::InvalidRange, format!("geo {{lat: {}, lon: {}}} is not a place on Earth", geo.lat, geo.lon))
                    .in_file(path)
                    .at_opt(loc.value(&[Step::Key("geo")]))
                    .field("geo")
                    .help("lat is −90 to 90 and lon −180 to 180; for Japan about lat 24–46, lon 122–154 (did you swap them?)"),
            );
        }
    }

    // Warnings.
    out.extend(super::closures::check(
        fields,
        split.body,
        &config.closures.spans,
        path,
        // Located only for a warning: finding a position re-reads the
        // YAML (yaml-rust2), which every entry with hours paid before.
        || loc.value(&[Step::Key("hours_note")]),
        |sentence| {
            // The body's line: after the front matter, where the sentence is.
            let start = split
                .body
                .map_or(0, |b| file.text.len().saturating_sub(b.len()));
            let at = start + file.text.get(start..)?.find(sentence)?;
            Some(file.text[..at].matches('\n').count() + 1)
        },
    ));
    if let Some(summary) = &fields.summary {
        let n = summary.chars().count();
        if n > SUMMARY_MAX_CHARS {
            out.push(
                Diagnostic::warning(Code::SummaryTooLong, format!("the summary is {n} characters; lists show it best at {SUMMARY_MAX_CHARS} or fewer"))
                    .in_file(path)
                    .at_opt(loc.value(&[Step::Key("summary")]))
                    .field("summary")
                    .help("keep the summary to one short sentence and move details into the body"),
            );
        }
    }
    if file.kind != Kind::Page {
        if fields.kana.is_none() && fields.name.is_some() {
            out.push(
                Diagnostic::warning(Code::MissingKana, "no `kana` reading: the entry sorts by its name and cannot be found by its reading")
                    .in_file(path)
                    .at_opt(loc.key(&[Step::Key("name")]))
                    .field("kana")
                    .help("add the reading in hiragana, e.g. `kana: ひろしまひきこもりそうだんしえんせんたー`"),
            );
        }
        if file.kind != Kind::Event {
            match fields.verified {
                None => out.push(
                    Diagnostic::warning(Code::NotVerified, "no `verified` date: families cannot tell how current this is")
                        .in_file(path)
                        .at(split.line_offset.max(1), 1)
                        .field("verified")
                        .help("after confirming the details with the organisation, add e.g. `verified: 2026-04-01`"),
                ),
                Some(d) => {
                    let age = today.since(d.0).map(|s| s.get_days()).unwrap_or(0);
                    if i64::from(age) > i64::from(config.stale_after_days) {
                        out.push(
                            Diagnostic::warning(Code::Stale, format!("verified {age} days ago ({d}); the limit is {} days", config.stale_after_days))
                                .in_file(path)
                                .at_opt(loc.value(&[Step::Key("verified")]))
                                .field("verified")
                                .help("confirm the phone number, hours and address with the organisation, then update `verified`"),
                        );
                    }
                }
            }
        }
    }
    out
}

fn not_in_vocabulary(name: &str, value: &str, allowed: &[String], path: &Path) -> Diagnostic {
    let near = nearest(value, allowed.iter().map(String::as_str), 3);
    let help = if near.is_empty() {
        format!(
            "use one of: {} — or add `{value}` to [vocabulary] {name} in site.toml",
            allowed.join(", ")
        )
    } else {
        format!(
            "did you mean {}? Or add `{value}` to [vocabulary] {name} in site.toml",
            near.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Diagnostic::error(
        Code::NotInVocabulary,
        format!("`{value}` is not in vocabulary.{name}"),
    )
    .in_file(path)
    .help(help)
}

/// The names of the fields an entry actually sets.
fn present_fields(f: &EntryFields) -> Vec<&'static str> {
    let flags = [
        f.name.is_some(),
        f.aliases.is_some(),
        f.kana.is_some(),
        f.summary.is_some(),
        f.categories.is_some(),
        f.audience.is_some(),
        f.methods.is_some(),
        f.area.is_some(),
        f.address.is_some(),
        f.geo.is_some(),
        f.access.is_some(),
        f.phone.is_some(),
        f.email.is_some(),
        f.website.is_some(),
        f.fee.is_some(),
        f.free.is_some(),
        f.anonymous.is_some(),
        f.hours.is_some(),
        f.closed.is_some(),
        f.hours_note.is_some(),
        f.accessibility.is_some(),
        f.languages.is_some(),
        f.min_age.is_some(),
        f.max_age.is_some(),
        f.status.is_some(),
        f.operator.is_some(),
        f.keywords.is_some(),
        f.verified.is_some(),
        f.draft.is_some(),
        f.notes.is_some(),
        f.source.is_some(),
        f.starts.is_some(),
        f.ends.is_some(),
        f.venue.is_some(),
        f.place.is_some(),
        f.online.is_some(),
        f.registration.is_some(),
        f.capacity.is_some(),
        f.organizer.is_some(),
        f.title.is_some(),
        f.order.is_some(),
        f.body.is_some(),
    ];
    debug_assert_eq!(flags.len(), FIELD_NAMES.len());
    FIELD_NAMES
        .iter()
        .zip(flags)
        .filter(|(_, set)| *set)
        .map(|(n, _)| *n)
        .collect()
}
