//! Validating `site.toml`.

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic};

/// Parses `site.toml` and checks what serde cannot: the timezone exists,
/// `base_url` ends with `/` (warning), vocabulary values are unique.
pub fn validate_config(
    text: &str,
) -> Result<(SiteConfig, jiff::tz::TimeZone, Vec<Diagnostic>), Vec<Diagnostic>> {
    let config: SiteConfig = match toml::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            let pos = e.span().map(|s| line_col(text, s.start));
            let message = e.message().to_string();
            let mut d = Diagnostic::error(Code::ConfigInvalid, format!("site.toml: {message}"))
                .in_file("site.toml")
                .at_opt(pos);
            if let Some(field) = message
                .strip_prefix("unknown field `")
                .and_then(|r| r.split('`').next())
            {
                let known = [
                    "title",
                    "base_url",
                    "language",
                    "timezone",
                    "theme",
                    "stale_after_days",
                    "report_email",
                    "quick_exit_url",
                    "description",
                    "vocabulary",
                    "synonyms",
                    "hotlines",
                    "build",
                ];
                if let Some(s) = super::nearest(field, known.iter().copied(), 1).first() {
                    d = d.help(format!("did you mean `{s}`?"));
                }
            } else if message.contains("missing field") {
                d = d.help("site.toml needs at least `title`, `base_url` and a [vocabulary] table; see docs/content.md");
            }
            if e.span().is_none() || message.contains("expected") && !message.contains("field") {
                d.code = Code::ConfigSyntax;
            }
            return Err(vec![d]);
        }
    };
    let mut diags = Vec::new();
    // Escaped control characters (`"\u0001"`; raw ones are a TOML
    // syntax error) would reach every page's title and footer.
    if text.contains('\\') {
        if let Ok(value) = text.parse::<toml::Table>() {
            control_characters(&toml::Value::Table(value), "", text, &mut diags);
        }
    }
    let timezone = match jiff::tz::TimeZone::get(&config.timezone) {
        Ok(tz) => tz,
        Err(_) => {
            let pos = find_key(text, "timezone");
            return Err(vec![Diagnostic::error(
                Code::UnknownTimezone,
                format!("`{}` is not a known timezone", config.timezone),
            )
            .in_file("site.toml")
            .at_opt(pos)
            .field("timezone")
            .help("use an IANA name such as \"Asia/Tokyo\"")]);
        }
    };
    for (name, values) in [
        ("categories", &config.vocabulary.categories),
        ("audience", &config.vocabulary.audience),
        ("methods", &config.vocabulary.methods),
        ("areas", &config.vocabulary.areas),
    ] {
        let mut seen = std::collections::BTreeSet::new();
        for v in values {
            if v.trim().is_empty() {
                diags.push(
                    Diagnostic::error(
                        Code::ConfigInvalid,
                        format!("vocabulary.{name} has an empty value"),
                    )
                    .in_file("site.toml")
                    .at_opt(find_key(text, name))
                    .field(format!("vocabulary.{name}")),
                );
            } else if !seen.insert(v.as_str()) {
                diags.push(
                    Diagnostic::error(
                        Code::ConfigInvalid,
                        format!("vocabulary.{name} lists `{v}` twice"),
                    )
                    .in_file("site.toml")
                    .at_opt(find_key(text, name))
                    .field(format!("vocabulary.{name}")),
                );
            }
        }
    }
    if config.hotlines.is_empty() {
        diags.push(
            Diagnostic::warning(Code::NoHotlines, "site.toml lists no [[hotlines]]: pages will show no crisis line")
                .in_file("site.toml")
                .help("add at least one, e.g.\n[[hotlines]]\nname = \"よりそいホットライン\"\nphone = \"0120-279-338\"\nhours = \"24時間\""),
        );
    }
    if config
        .description
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        diags.push(
            Diagnostic::warning(
                Code::NoDescription,
                "site.toml has no `description`: the top page, the search page and the lists have no description for search engines and link previews",
            )
            .in_file("site.toml")
            .help("add one sentence saying what the portal is for, e.g.\ndescription = \"〇〇市のひきこもり相談窓口・家族会・居場所・イベントの情報をまとめたサイトです。\""),
        );
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok((config, timezone, diags))
}

/// `theme = "…"` names no theme the portal has and none built in.
pub fn unknown_theme(text: &str, name: &str, known: &[String]) -> Diagnostic {
    let near = super::nearest(name, known.iter().map(String::as_str), 1);
    let help = match near.first() {
        Some(n) => format!(
            "did you mean `{n}`? (built-in themes: {}; or add your own in themes/{name}/)",
            known.join(", ")
        ),
        None => format!(
            "built-in themes: {}; or add your own in themes/{name}/",
            known.join(", ")
        ),
    };
    let pos = find_key(text, "theme").map(|(l, c)| {
        let line = text.lines().nth(l - 1).unwrap_or("");
        (
            l,
            line.find('"')
                .map(|i| line[..i].chars().count() + 1)
                .unwrap_or(c),
        )
    });
    Diagnostic::error(Code::UnknownTheme, format!("there is no theme `{name}`"))
        .in_file("site.toml")
        .at_opt(pos)
        .field("theme")
        .help(help)
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// Position of the first line that assigns `key` in TOML.
fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, l)| {
        let t = l.trim_start();
        (t.starts_with(key) && t[key.len()..].trim_start().starts_with('='))
            .then(|| (i + 1, l.len() - t.len() + 1))
    })
}

/// Every string of `site.toml` holding a control character (see
/// [`super::text`]), as an error naming its key.
fn control_characters(value: &toml::Value, path: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    match value {
        toml::Value::String(s) => {
            if let Some(c) = s.chars().find(|c| super::text::is_refused_control(*c)) {
                let last = path.rsplit('.').next().unwrap_or(path);
                let key = last.split('[').next().unwrap_or(last);
                diags.push(
                    Diagnostic::error(
                        Code::InvalidControlCharacter,
                        format!(
                            "the control character {} is not allowed here",
                            super::text::code_point(c)
                        ),
                    )
                    .in_file("site.toml")
                    .at_opt(find_key(text, key))
                    .field(path.to_string())
                    .help("remove the escape (`\\u…`) of the control character from the value"),
                );
            }
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                control_characters(item, &format!("{path}[{i}]"), text, diags);
            }
        }
        toml::Value::Table(table) => {
            for (k, v) in table {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                control_characters(v, &child, text, diags);
            }
        }
        _ => {}
    }
}
