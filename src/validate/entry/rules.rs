//! The rules of one parsed entry's kind: which fields it may set, what
//! each must hold (required fields, vocabulary, ranges), and the warnings
//! (stale, long summary). Cross-entry rules are in the parent module.

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::{FileFormat, SourceFile, Split};
use crate::model::{EntryFields, Kind, EVENT_ONLY, FIELD_NAMES, PAGE_FIELDS};
use crate::validate::locate::{Locator, Step};
use crate::validate::nearest;
use std::path::Path;

/// Summaries longer than this are a warning: lists cut them on phones.
pub const SUMMARY_MAX_CHARS: usize = 140;

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
    out.extend(crate::validate::closures::check(
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
