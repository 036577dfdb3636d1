//! Validation of one entry file at a time, for `tsunagu serve`'s
//! incremental rebuild.
//!
//! A full `validate` over 10,000 entries takes most of a second; after an
//! editor saves one file, only that file can have changed. These functions
//! run the same per-file checks as [`super::validate`] (they call the same
//! code), and the cross-entry checks (duplicate slugs, `operator` /
//! `organizer` / `place` references) against a table of the other entries
//! that the caller keeps up to date, instead of re-reading the portal.

use super::locate::{Locator, Step};
use super::{nearest, parse_file, ValidateOptions};
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::{self, SourceFile};
use crate::model::{Entry, Kind, Slug};
use std::path::Path;

/// One entry file, checked on its own.
#[derive(Debug)]
pub struct FileCheck {
    /// The entry, when the file parsed completely without errors.
    pub entry: Option<Entry>,
    /// Errors and warnings of this file alone.
    pub diagnostics: Vec<Diagnostic>,
}

impl FileCheck {
    pub fn failed(&self) -> bool {
        self.entry.is_none() || self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The per-file checks of a full `validate` (file name, front matter,
/// fields, vocabulary, kind rules, warnings) for one file.
pub fn check_file(
    file: &SourceFile,
    config: &SiteConfig,
    timezone: &jiff::tz::TimeZone,
    options: &ValidateOptions,
) -> FileCheck {
    let today = options.now.to_zoned(timezone.clone()).date();
    let (parsed, diagnostics) = parse_file(file, config, today, timezone);
    let entry = parsed.filter(|p| !p.partial).map(|p| p.entry);
    FileCheck { entry, diagnostics }
}

/// What the cross-entry checks need to know about the other entries.
pub trait Targets {
    /// The kind of the built entry with this slug.
    fn built_kind(&self, slug: &str) -> Option<Kind>;
    /// Whether some entry file (built or not, e.g. a draft) has this slug.
    fn has_file(&self, slug: &str) -> bool;
    /// Slugs of the entry files of these kinds (for "did you mean").
    fn slugs_of(&self, kinds: &[Kind]) -> Vec<String>;
}

/// The duplicate-slug error for `file`, whose slug `other` already uses.
pub fn duplicate_slug(file: &SourceFile, other: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateSlug,
        format!(
            "the slug `{}` is already used by {}",
            file.stem,
            other.display()
        ),
    )
    .in_file(&file.path)
    .help("every entry needs its own file name; rename one of them (links and references use the file name)")
}

/// `operator` and `organizer` name organizations; `place` a center or
/// cafeteria: the same rule and the same messages as the full check.
/// `file` is the entry's source text (for line numbers).
pub fn check_references(
    file: &SourceFile,
    entry: &Entry,
    targets: &dyn Targets,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let f = &entry.fields;
    let refs: [(&str, &Option<Slug>, &[Kind]); 3] = [
        ("operator", &f.operator, &[Kind::Organization]),
        ("organizer", &f.organizer, &[Kind::Organization]),
        ("place", &f.place, &[Kind::Center, Kind::Cafeteria]),
    ];
    let split = load::split(file).ok();
    for (field, target, kinds) in refs {
        let Some(target) = target else { continue };
        // Located only for an error: finding a position re-reads the YAML
        // (yaml-rust2), which every entry with a reference paid before.
        let pos =
            || split.and_then(|s| Locator::new(s.yaml, s.line_offset).value(&[Step::Key(field)]));
        let wanted = kinds
            .iter()
            .map(|k| format!("content/{}/", k.folder()))
            .collect::<Vec<_>>()
            .join(" or ");
        match targets.built_kind(target.as_str()) {
            Some(kind) if kinds.contains(&kind) => {}
            Some(kind) => out.push(
                Diagnostic::error(
                    Code::WrongReferenceKind,
                    format!(
                        "`{field}: {target}` points at {} {kind}, not at an entry in {wanted}",
                        if kind.as_str().starts_with(['a', 'e', 'i', 'o', 'u']) {
                            "an"
                        } else {
                            "a"
                        }
                    ),
                )
                .in_file(&file.path)
                .at_opt(pos())
                .field(field)
                .help(format!("`{field}` must name an entry in {wanted}")),
            ),
            None => {
                let draft = targets.has_file(target.as_str());
                let message = if draft {
                    format!("`{field}: {target}` points at a draft entry, which is not built")
                } else {
                    format!("`{field}: {target}` points at no entry")
                };
                let candidates = targets.slugs_of(kinds);
                let near = nearest(target.as_str(), candidates.iter().map(String::as_str), 3);
                let help = if draft {
                    "publish that entry (remove `draft: true`) or remove this reference".to_string()
                } else if near.is_empty() {
                    format!("write the file name (without extension) of an entry in {wanted}")
                } else {
                    format!(
                        "did you mean {}?",
                        near.iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                out.push(
                    Diagnostic::error(Code::DanglingReference, message)
                        .in_file(&file.path)
                        .at_opt(pos())
                        .field(field)
                        .help(help),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::FileFormat;
    use std::collections::BTreeMap;

    struct Table(BTreeMap<String, (Kind, bool)>);

    impl Targets for Table {
        fn built_kind(&self, slug: &str) -> Option<Kind> {
            self.0
                .get(slug)
                .filter(|(_, built)| *built)
                .map(|(k, _)| *k)
        }
        fn has_file(&self, slug: &str) -> bool {
            self.0.contains_key(slug)
        }
        fn slugs_of(&self, kinds: &[Kind]) -> Vec<String> {
            self.0
                .iter()
                .filter(|(_, (k, _))| kinds.contains(k))
                .map(|(s, _)| s.clone())
                .collect()
        }
    }

    fn event(text: &str) -> SourceFile {
        SourceFile {
            kind: Kind::Event,
            path: "content/events/e.md".into(),
            stem: "e".into(),
            format: FileFormat::Markdown,
            text: text.into(),
        }
    }

    fn entry_with(organizer: &str, place: &str) -> Entry {
        let fields = crate::model::EntryFields {
            organizer: Some(Slug::parse(organizer).unwrap()),
            place: Some(Slug::parse(place).unwrap()),
            ..Default::default()
        };
        Entry {
            kind: Kind::Event,
            slug: Slug::parse("e").unwrap(),
            source: "content/events/e.md".into(),
            fields,
            body: String::new(),
        }
    }

    /// Cross-file rules, which `check_file` leaves to the caller.
    fn cross_file(code: Code) -> bool {
        matches!(
            code,
            Code::DuplicateSlug
                | Code::DuplicateEntry
                | Code::DanglingReference
                | Code::WrongReferenceKind
        )
    }

    fn key(d: &Diagnostic) -> String {
        format!(
            "{} {:?} {:?}:{:?} {:?} {}",
            d.code.as_str(),
            d.file,
            d.line,
            d.column,
            d.field,
            d.message
        )
    }

    /// Over every error fixture portal: reading one file gives the text
    /// `load` gives, and checking it alone gives exactly the per-file
    /// diagnostics and entry of a full `validate`.
    #[test]
    fn one_file_at_a_time_agrees_with_the_full_validation() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors");
        let mut portals: Vec<_> = std::fs::read_dir(&fixtures)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("site.toml").is_file() && p.join("content").is_dir())
            .collect();
        portals.sort();
        portals.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portals/small"));
        let options = ValidateOptions {
            drafts: false,
            now: "2026-11-21T03:00:00Z".parse().unwrap(),
        };
        let mut files_checked = 0;
        for root in &portals {
            let Ok((loaded, _)) = load::load(root) else {
                continue;
            };
            let Ok((config, tz, _)) = super::super::validate_config(&loaded.site_toml) else {
                continue;
            };
            let full = super::super::validate(&loaded, &options);
            for file in &loaded.files {
                let read = load::read_entry_file(root, &file.path)
                    .unwrap()
                    .expect("the file exists");
                assert_eq!(read.text, file.text, "{}", file.path.display());
                assert_eq!((read.kind, read.format), (file.kind, file.format));
                let mut want: Vec<String> = full
                    .diagnostics
                    .iter()
                    .filter(|d| d.file.as_deref() == Some(file.path.as_path()))
                    .filter(|d| !cross_file(d.code))
                    .map(key)
                    .collect();
                let one = check_file(file, &config, &tz, &options);
                let mut got: Vec<String> = one.diagnostics.iter().map(key).collect();
                want.sort();
                got.sort();
                assert_eq!(got, want, "{}", file.path.display());
                if let Some(site) = &full.site {
                    let built = site.entries.iter().find(|e| e.source == file.path);
                    if let Some(b) = built {
                        let e = one.entry.as_ref().expect("built in full, parsed alone");
                        assert_eq!(
                            (e.kind, &e.slug, e.name(), &e.body),
                            (b.kind, &b.slug, b.name(), &b.body)
                        );
                    }
                }
                files_checked += 1;
            }
        }
        assert!(
            files_checked > 40,
            "only {files_checked} files were compared"
        );
    }

    /// The reference checks against a table give the full validation's
    /// messages, lines and help (the fixture portals of those errors).
    #[test]
    fn references_agree_with_the_full_validation() {
        let options = ValidateOptions {
            drafts: false,
            now: "2026-11-21T03:00:00Z".parse().unwrap(),
        };
        for name in ["dangling-reference", "wrong-reference-kind"] {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/errors")
                .join(name);
            let (loaded, _) = load::load(&root).unwrap();
            let (config, tz, _) = super::super::validate_config(&loaded.site_toml).unwrap();
            let full = super::super::validate(&loaded, &options);
            let checked: Vec<(&SourceFile, Entry)> = loaded
                .files
                .iter()
                .map(|f| {
                    let e = check_file(f, &config, &tz, &options).entry.expect("parses");
                    (f, e)
                })
                .collect();
            let table = Table(
                checked
                    .iter()
                    .map(|(_, e)| {
                        let built = e.fields.draft != Some(true);
                        (e.slug.as_str().to_string(), (e.kind, built))
                    })
                    .collect(),
            );
            let mut got: Vec<String> = checked
                .iter()
                .filter(|(_, e)| e.fields.draft != Some(true))
                .flat_map(|(f, e)| check_references(f, e, &table))
                .map(|d| format!("{} {:?}", key(&d), d.help))
                .collect();
            let mut want: Vec<String> = full
                .diagnostics
                .iter()
                .filter(|d| cross_file(d.code))
                .map(|d| format!("{} {:?}", key(d), d.help))
                .collect();
            got.sort();
            want.sort();
            assert!(!want.is_empty(), "{name} has reference errors");
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn references_use_the_table_and_point_at_the_line() {
        let file = event("---\nname: e\norganizer: npo-x\nplace: cafe-y\n---\n");
        let entry = entry_with("npo-x", "cafe-y");
        let mut t = BTreeMap::new();
        t.insert("npo-x".to_string(), (Kind::Organization, true));
        t.insert("cafe-y".to_string(), (Kind::Cafeteria, true));
        assert!(check_references(&file, &entry, &Table(t.clone())).is_empty());

        t.insert("cafe-y".to_string(), (Kind::Cafeteria, false));
        t.insert("npo-x".to_string(), (Kind::Event, true));
        let d = check_references(&file, &entry, &Table(t.clone()));
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].code, Code::WrongReferenceKind);
        assert_eq!(d[0].line, Some(3));
        assert_eq!(d[1].code, Code::DanglingReference);
        assert!(d[1].message.contains("draft"), "{}", d[1].message);

        t.remove("cafe-y");
        t.insert("cafe-yy".to_string(), (Kind::Cafeteria, true));
        let d = check_references(&file, &entry, &Table(t));
        assert!(
            d[1].help.as_deref().unwrap_or("").contains("`cafe-yy`"),
            "{:?}",
            d[1].help
        );
        assert_eq!(d[1].line, Some(4));
    }
}
