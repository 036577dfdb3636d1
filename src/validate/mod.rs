//! Validate: loaded text → strict types, with every problem reported.
//!
//! Per file: front matter split, YAML → [`EntryFields`] (all bad fields
//! at once), kind rules, vocabulary, warnings. Across files: duplicate
//! slugs and references (`operator`, `organizer`, `place`). The result
//! is a [`Site`] only when there is no error.

mod closures;
mod config;
mod entry;
mod guard;
pub mod incremental;
mod locate;
pub mod text;

pub use config::{unknown_theme, validate_config};
pub use entry::SUMMARY_MAX_CHARS;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceMap};
use crate::load::{self, Loaded, SourceFile};
use crate::model::{Entry, EventTime, Kind, Slug};
use crate::site::Site;
use locate::{Locator, Step};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What the build asks of validation.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// Include entries with `draft: true`.
    pub drafts: bool,
    /// The instant the build takes as "now" (stale warnings, upcoming events).
    pub now: jiff::Timestamp,
}

/// The outcome: the site when there were no errors, always the
/// diagnostics and the sources they point into.
pub struct Validated {
    pub site: Option<Site>,
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
}

/// A parsed entry with what later checks need to locate its fields.
struct Parsed<'a> {
    file: &'a SourceFile,
    entry: Entry,
    /// Parsed only in part (some fields had errors): its references are
    /// still checked, but it is never built.
    partial: bool,
}

pub fn validate(loaded: &Loaded, options: &ValidateOptions) -> Validated {
    let mut diagnostics = Diagnostics::default();
    let mut sources = SourceMap::default();
    sources.insert("site.toml", loaded.site_toml.clone());

    let (config, timezone) = match validate_config(&loaded.site_toml) {
        Ok((c, tz, warnings)) => {
            diagnostics.extend(warnings);
            (c, tz)
        }
        Err(errors) => {
            diagnostics.extend(errors);
            // Without a vocabulary, entry checks would only add noise.
            for f in &loaded.files {
                sources.insert(f.path.clone(), f.text.clone());
            }
            return Validated {
                site: None,
                diagnostics,
                sources,
            };
        }
    };
    let today = options.now.to_zoned(timezone.clone()).date();

    // Per file, in parallel; results keep the (sorted) file order.
    let per_file: Vec<(Option<Parsed>, Vec<Diagnostic>)> = loaded
        .files
        .par_iter()
        .map(|file| parse_file(file, &config, today, &timezone))
        .collect();

    let mut parsed: Vec<Parsed> = Vec::new();
    let mut failed_files = 0usize;
    for (p, diags) in per_file {
        let has_error = diags.iter().any(Diagnostic::is_error);
        diagnostics.extend(diags);
        if has_error || p.as_ref().is_none_or(|p| p.partial) {
            failed_files += 1;
        }
        parsed.extend(p);
    }
    for f in &loaded.files {
        sources.insert(f.path.clone(), f.text.clone());
    }

    check_duplicates(loaded, &mut diagnostics);
    let is_built = |p: &Parsed| options.drafts || p.entry.fields.draft != Some(true) || p.partial;
    let built: Vec<&Parsed> = parsed.iter().filter(|p| is_built(p)).collect();
    check_references(&built, &parsed, &mut diagnostics);
    check_same_entry(&parsed, &mut diagnostics);
    drop(built);

    let site = if diagnostics.has_errors() || failed_files > 0 {
        None
    } else {
        // Moved, not cloned: the parsed entries are not needed any more.
        let entries = parsed
            .into_iter()
            .filter(|p| is_built(p))
            .map(|p| p.entry)
            .collect();
        Some(Site::new(config, timezone, entries, options.now))
    };
    Validated {
        site,
        diagnostics,
        sources,
    }
}

fn parse_file<'a>(
    file: &'a SourceFile,
    config: &crate::config::SiteConfig,
    today: jiff::civil::Date,
    tz: &jiff::tz::TimeZone,
) -> (Option<Parsed<'a>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let slug = match Slug::parse(&file.stem) {
        Ok(s) => Some(s),
        Err(message) => {
            let mut d = Diagnostic::error(Code::InvalidSlug, format!("the file name {message}"))
                .in_file(&file.path);
            d = match Slug::suggest(&file.stem) {
                Some(s) if s != file.stem => {
                    d.help(format!("rename the file to `{s}.{}`", extension(file)))
                }
                _ => d.help(
                    "name the file in lowercase romaji with hyphens, e.g. `hiroshima-center.md`",
                ),
            };
            diags.push(d);
            None
        }
    };
    let split = match load::split(file) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let (mut fields, partial) = match entry::parse_fields(&split, &file.path) {
        Ok(f) => {
            diags.extend(entry::check_fields(file, &f, &split, config, today));
            (f, false)
        }
        Err((Some(partial), dropped, ds)) => {
            diags.extend(ds);
            // Check what did parse too, but don't call a field that was
            // dropped for being malformed "missing" as well.
            diags.extend(
                entry::check_fields(file, &partial, &split, config, today)
                    .into_iter()
                    .filter(|d| {
                        let top = d
                            .field
                            .as_deref()
                            .map(|f| f.split(['[', '.']).next().unwrap_or(f));
                        !top.is_some_and(|t| dropped.iter().any(|x| x == t))
                    }),
            );
            (partial, true)
        }
        Err((None, _, ds)) => {
            diags.extend(ds);
            return (None, diags);
        }
    };
    if let (Some(starts), Some(ends)) = (fields.starts, fields.ends) {
        if ends_before(starts, ends, tz) {
            let loc = Locator::new(split.yaml, split.line_offset);
            diags.push(
                Diagnostic::error(Code::EndBeforeStart, "the event ends before it starts")
                    .in_file(&file.path)
                    .at_opt(loc.value(&[Step::Key("ends")]))
                    .field("ends")
                    .help("check the date and the time of `ends`; it must be after `starts`"),
            );
        }
    }
    diags.extend(text::decoded_value_problems(
        split.yaml,
        split.line_offset,
        &file.path,
    ));
    let body = match split.body {
        Some(b) => {
            // The body starts after the front matter and its closing `---`.
            let first_line = split.line_offset + split.yaml.lines().count() + 2;
            match text::clean_body(b, first_line, &file.path) {
                (Some(cleaned), warning) => {
                    diags.extend(warning);
                    cleaned
                }
                (None, _) => b.to_string(),
            }
        }
        None => {
            let body = fields.body.take().unwrap_or_default();
            if body.chars().any(text::is_refused_control) {
                // Located only then: the span tree costs a second parse.
                let line = Locator::new(split.yaml, split.line_offset)
                    .value(&[Step::Key("body")])
                    .map_or(1, |(l, _)| l);
                let (cleaned, warning) = text::clean_body(&body, line, &file.path);
                diags.extend(warning);
                cleaned.unwrap_or(body)
            } else {
                body
            }
        }
    };
    let parsed = slug.map(|slug| Parsed {
        file,
        entry: Entry {
            kind: file.kind,
            slug,
            source: file.path.clone(),
            fields,
            body,
        },
        partial,
    });
    (parsed, diags)
}

fn extension(file: &SourceFile) -> String {
    file.path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "md".into())
}

fn ends_before(starts: EventTime, ends: EventTime, tz: &jiff::tz::TimeZone) -> bool {
    match (starts.to_zoned(tz), ends.to_zoned(tz)) {
        // An all-day end is inclusive: the event runs to the end of that day.
        (Ok(s), Ok(e)) if ends.is_all_day() => e.date() < s.date(),
        (Ok(s), Ok(e)) => e <= s,
        _ => false,
    }
}

/// Slugs are unique across every kind and format (`a.md` and `a.yaml`
/// in different folders clash too: URLs and references use the slug alone).
fn check_duplicates(loaded: &Loaded, diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &SourceFile> = BTreeMap::new();
    for file in &loaded.files {
        if let Some(first) = seen.get(file.stem.as_str()) {
            diagnostics.push(
                Diagnostic::error(Code::DuplicateSlug, format!("the slug `{}` is already used by {}", file.stem, first.path.display()))
                    .in_file(&file.path)
                    .help("every entry needs its own file name; rename one of them (links and references use the file name)"),
            );
        } else {
            seen.insert(&file.stem, file);
        }
    }
}

/// Two files for one place: the same `source` (one row of an imported
/// list, e.g. an entry copied before a rename), or the same name at the
/// same address. A warning: a center and its branch may share both.
fn check_same_entry(parsed: &[Parsed], diagnostics: &mut Diagnostics) {
    let mut by_source: BTreeMap<(&str, &str), &Parsed> = BTreeMap::new();
    let mut by_place: BTreeMap<(Kind, String, String), &Parsed> = BTreeMap::new();
    for p in parsed.iter().filter(|p| p.entry.kind != Kind::Page) {
        let f = &p.entry.fields;
        if let Some(src) = &f.source {
            match by_source.get(&(src.dataset.as_str(), src.key.as_str())) {
                Some(first) => diagnostics.push(
                    Diagnostic::warning(
                        Code::DuplicateEntry,
                        format!(
                            "this entry and {} are both row 「{}」 of the list {}",
                            first.file.path.display(),
                            src.key,
                            src.dataset
                        ),
                    )
                    .in_file(&p.file.path)
                    .field("source")
                    .help("keep one of them (merge what the editors wrote into it) and delete the other; a re-import updates only the first"),
                ),
                None => {
                    by_source.insert((src.dataset.as_str(), src.key.as_str()), p);
                }
            }
        }
        let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
        if let (Some(name), Some(address)) = (&f.name, &f.address) {
            let key = (p.entry.kind, squeeze(name), squeeze(address));
            match by_place.get(&key) {
                Some(first) => diagnostics.push(
                    Diagnostic::warning(
                        Code::DuplicateEntry,
                        format!(
                            "{} has the same name and address: 「{}」, {}",
                            first.file.path.display(),
                            name.trim(),
                            address.trim()
                        ),
                    )
                    .in_file(&p.file.path)
                    .help("if they are the same place, keep one file and delete the other; if not, make the names tell them apart"),
                ),
                None => {
                    by_place.insert(key, p);
                }
            }
        }
    }
}

/// `operator` and `organizer` name organizations; `place` a center or
/// cafeteria. A reference to a draft is dangling when drafts are not built.
/// The rule and its messages live in [`incremental::check_references`],
/// which serve's single-file check uses too, so both say the same.
fn check_references(built: &[&Parsed], all: &[Parsed], diagnostics: &mut Diagnostics) {
    let targets = SiteTargets {
        built: built
            .iter()
            .map(|p| (p.entry.slug.as_str(), p.entry.kind))
            .collect(),
        all,
    };
    for p in built {
        diagnostics.extend(incremental::check_references(p.file, &p.entry, &targets));
    }
}

/// Every entry of a full check, as reference targets.
struct SiteTargets<'a> {
    built: BTreeMap<&'a str, Kind>,
    /// Drafts and partly parsed entries too, in file order (the order of
    /// "did you mean" candidates at equal distance).
    all: &'a [Parsed<'a>],
}

impl incremental::Targets for SiteTargets<'_> {
    fn built_kind(&self, slug: &str) -> Option<Kind> {
        self.built.get(slug).copied()
    }
    fn has_file(&self, slug: &str) -> bool {
        self.all.iter().any(|p| p.entry.slug.as_str() == slug)
    }
    fn slugs_of(&self, kinds: &[Kind]) -> Vec<String> {
        self.all
            .iter()
            .filter(|p| kinds.contains(&p.entry.kind))
            .map(|p| p.entry.slug.as_str().to_string())
            .collect()
    }
}

/// The `max` candidates closest to `word` by edit distance, closest first,
/// among those close enough to be a likely typo.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let len = word.chars().count().max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| {
            *d <= (len.max(c.chars().count()) / 2).max(1) || c.contains(word) || word.contains(*c)
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}
