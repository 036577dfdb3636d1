//! Import: a spreadsheet saved as CSV → one entry file per row.
//!
//! - Encoding: a UTF-8 BOM → UTF-8; valid UTF-8 → UTF-8; otherwise
//!   Shift_JIS (what Excel writes), said in the report. UTF-16 with a BOM
//!   and tab-separated text are read too.
//! - Columns: the 自治体標準オープンデータセット names map to fields by default
//!   (公共施設一覧 for centers, organizations and cafeterias; イベント一覧 for
//!   events) — the inverse of `data/*.csv` — and the older 推奨データセット
//!   names (NO, 市区町村名, 名称_英字…). A header that is a field name
//!   (`name`, `phone`, …) maps to that field. `mapping.toml` maps other
//!   names (see [`TARGETS`]) and keywords to categories.
//! - Every value has a place or is reported by row and column: 方書 joins
//!   the address, 名称_通称 is an alias, 備考 the notes, 団体名 links (or
//!   creates) the organization; two columns on one field and an event-only
//!   field on another kind are warned.
//! - Slugs: from the `ID` (or `NO`, `slug`) column, after the municipality
//!   code when there is one (`center-341002-0001`); an ID made only of
//!   digits becomes `<kind>-<ID>`; without one, `<kind>-<8 hex digits>`
//!   from a stable hash (FNV-1a) of the name and address.
//! - Re-import is a sync (`sync.rs`): entries are found by their `source`
//!   key, and only fields the list changed and no editor changed since
//!   are updated.
//! - Every value is checked as `tsunagu check` would (phone numbers, URLs,
//!   e-mail, vocabulary, coordinates, times); a bad value is reported with
//!   its row and column and left out. Every file is then validated in
//!   memory with the rest of the portal before anything is written, so a
//!   written file always passes `tsunagu check`.
//! - A file that did not come from this list is not overwritten without
//!   `force`; `dry_run` writes nothing.

//!
//! | file | job |
//! |---|---|
//! | `mod.rs` | the run: read the file, map the columns, convert each row, check, write |
//! | `columns.rs` | which field each column fills (standard names, `mapping.toml`) |
//! | `row.rs` | one row's values and the entry they become |
//! | `cells.rs` | one cell → a checked value |
//! | `hours.rs` | the hours columns → rules and `hours_note` |
//! | `yaml.rs` | the entry file's text |
//! | `portal.rs` | the portal as it is: existing files, validation before writing |
//!
//! The import reads the portal and writes only the entry files it reports;
//! it prints nothing (the CLI does).

mod cells;
mod columns;
mod hours;
mod portal;
mod row;
mod sync;
mod yaml;

pub use columns::{read_mapping, Mapping, Target, TARGETS};
pub use row::generated_slug;
pub use sync::FieldChange;
pub use yaml::scalar;

use crate::model::Kind;
use crate::opendata::{csv, normalize_header};
use columns::default_target;
use portal::{existing_files, read_portal, validate_in_memory};
use row::{Converter, Draft};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// What `tsunagu import csv` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub file: PathBuf,
    /// The kind of every row (a `種別` column overrides it per row).
    pub kind: Kind,
    pub map: Option<PathBuf>,
    pub dry_run: bool,
    /// Replace an existing file that did not come from this list.
    pub force: bool,
    /// The list's name recorded in `source` (default: mapping.toml's
    /// `dataset`, else the standard's name for the kind).
    pub dataset: Option<String>,
    /// Fields whose editor changes a re-import may replace with the list's.
    pub overwrite: Vec<String>,
    /// The instant taken as "now" for the validation (stale warnings only).
    pub now: jiff::Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// One line of the report. `row` is the spreadsheet row (the header is row 1).
#[derive(Debug, Clone)]
pub struct Message {
    pub level: Level,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Create,
    /// `--force` over an existing entry; `replaced` is the old file when it
    /// had another extension (it is removed).
    Overwrite {
        replaced: Option<PathBuf>,
    },
    /// A re-import changes fields of an entry from the same list row
    /// (found by its `source` key, whatever its file is called now).
    Update,
    /// A re-import with nothing new for this entry: not written.
    Unchanged,
    /// Not written, and why.
    Skip(String),
}

/// One file the import would write.
#[derive(Debug, Clone)]
pub struct Planned {
    pub row: usize,
    /// Relative to the portal root (`content/centers/foo.md`).
    pub path: PathBuf,
    pub text: String,
    pub action: Action,
    /// The row's key in its list (`source.key`).
    pub key: String,
    /// For [`Action::Update`]: the fields changed, before and after.
    pub changes: Vec<FieldChange>,
}

/// An entry from this list whose row is no longer in it (kept; an editor
/// decides whether it closed).
#[derive(Debug, Clone)]
pub struct Gone {
    pub key: String,
    pub path: PathBuf,
}

#[derive(Debug)]
pub struct Report {
    pub encoding: csv::Encoding,
    /// Data rows read (without the header and blank lines).
    pub rows: usize,
    pub messages: Vec<Message>,
    pub files: Vec<Planned>,
    /// Files actually written (0 for a dry run).
    pub written: usize,
    /// The list's name recorded in `source`.
    pub dataset: String,
    pub gone: Vec<Gone>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.messages.iter().any(|m| m.level == Level::Error)
    }

    /// Entry files of this run with this action (organizations created for
    /// 団体名 included).
    pub fn count(&self, pred: impl Fn(&Action) -> bool) -> usize {
        self.files.iter().filter(|p| pred(&p.action)).count()
    }
}

/// Runs the import: reads, converts, validates, and (unless a dry run)
/// writes. `Err` only for problems with the whole run (unreadable file,
/// bad mapping, broken site.toml).
pub fn run(opts: &Options) -> Result<Report, String> {
    if opts.kind == Kind::Page {
        return Err("pages cannot be imported: they are articles with a title and a body; write them in content/pages/".into());
    }
    let bytes = std::fs::read(&opts.file)
        .map_err(|e| format!("cannot read {}: {e}", opts.file.display()))?;
    let (text, encoding) =
        csv::decode(&bytes).map_err(|e| format!("{}: {e}", opts.file.display()))?;
    let records = csv::parse(&text).map_err(|e| format!("{}: {e}", opts.file.display()))?;
    let mapping = match &opts.map {
        Some(p) => read_mapping(p)?,
        None => Mapping::default(),
    };
    let custom = &mapping.columns;
    let portal = read_portal(&opts.root)?;
    let dataset = opts
        .dataset
        .clone()
        .or_else(|| mapping.dataset.clone())
        .unwrap_or_else(|| {
            if opts.kind == Kind::Event {
                "イベント一覧"
            } else {
                "公共施設一覧"
            }
            .to_string()
        });
    let mut report = Report {
        encoding,
        rows: 0,
        messages: Vec::new(),
        files: Vec::new(),
        written: 0,
        dataset: dataset.clone(),
        gone: Vec::new(),
    };
    for (keyword, category) in &mapping.categories {
        if !portal.config.vocabulary.categories.contains(category) {
            return Err(format!(
                "mapping.toml [categories] 「{keyword}」 = 「{category}」: 「{category}」 is not in site.toml [vocabulary] categories (add it there, or fix the mapping)"
            ));
        }
    }
    let Some((header, rows)) = records.split_first() else {
        report.messages.push(Message {
            level: Level::Error,
            row: None,
            column: None,
            text: "the file is empty: the first row must name the columns".into(),
        });
        return Ok(report);
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let targets: Vec<Option<Target>> = header
        .iter()
        .map(|h| {
            let n = normalize_header(h);
            custom
                .get(&n)
                .copied()
                .or_else(|| default_target(&n, opts.kind))
        })
        .collect();
    let unmapped: Vec<&str> = header
        .iter()
        .zip(&targets)
        .filter(|(h, t)| t.is_none() && !h.is_empty())
        .map(|(h, _)| h.as_str())
        .collect();
    if !unmapped.is_empty() {
        report.messages.push(Message {
            level: Level::Info,
            row: None,
            column: None,
            text: format!(
                "columns not imported (no field; map them in mapping.toml if they matter): {}",
                unmapped.join(", ")
            ),
        });
    }
    let mut by_target: BTreeMap<&'static str, Vec<&str>> = BTreeMap::new();
    for (h, t) in header.iter().zip(&targets) {
        match t {
            Some(t) if !t.accumulates() => by_target.entry(t.name()).or_default().push(h),
            _ => {}
        }
        if let Some(t) = t.filter(|t| t.event_only() && opts.kind != Kind::Event) {
            report.messages.push(Message {
                level: Level::Warning,
                row: None,
                column: Some(h.clone()),
                text: format!("mapped to `{}`, which only events have; its values are not imported into {} (each is reported by row)", t.name(), opts.kind),
            });
        }
    }
    for (field, columns) in by_target.iter().filter(|(_, c)| c.len() > 1) {
        report.messages.push(Message {
            level: Level::Warning,
            row: None,
            column: None,
            text: format!(
                "columns 「{}」 all map to `{field}`: only the first value in each row is kept, the others are reported (map one of them elsewhere, or to `ignore`)",
                columns.join("」「")
            ),
        });
    }
    if !targets.contains(&Some(Target::Name)) {
        report.messages.push(Message {
            level: Level::Error,
            row: None,
            column: None,
            text: format!(
                "no column gives the name (expected 「{}」, or map one to `name` in mapping.toml); columns found: {}",
                if opts.kind == Kind::Event { "イベント名" } else { "名称" },
                header.join(", ")
            ),
        });
        return Ok(report);
    }

    let mut planned_slugs: BTreeMap<String, usize> = BTreeMap::new();
    let mut new_organizations: BTreeSet<String> = BTreeSet::new();
    let (mut categorised, mut uncategorised) = (Vec::new(), Vec::new());
    for (i, row) in rows.iter().enumerate() {
        let row_no = i + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        report.rows += 1;
        let mut conv = Converter {
            row: row_no,
            portal: &portal,
            mapping: &mapping,
            kind: opts.kind,
            messages: Vec::new(),
            d: Draft::default(),
        };
        for (col, value) in row.iter().enumerate() {
            let value = csv::unguard(value.trim());
            if value.is_empty() {
                continue;
            }
            let name = header.get(col).map(String::as_str).unwrap_or("");
            match targets.get(col).copied().flatten() {
                Some(t) => conv.take(t, name, value),
                None => conv.msg(
                    Level::Warning,
                    Some(if name.is_empty() { "(no header)" } else { name }),
                    format!("「{value}」 not imported (no field for this column)"),
                ),
            }
        }
        let planned = conv.finish(&mut planned_slugs);
        report.messages.append(&mut conv.messages);
        let Some(p) = planned else { continue };
        if p.text.contains("\ncategories:") {
            categorised.push(p.row);
        } else if p.path.starts_with("content/centers") || p.path.starts_with("content/cafeterias")
        {
            uncategorised.push(p.row.to_string());
        }
        for (name, slug) in std::mem::take(&mut conv.d.new_organizations) {
            if new_organizations.insert(name.clone()) {
                report.files.push(Planned {
                    row: p.row,
                    path: PathBuf::from("content/organizations").join(format!("{slug}.md")),
                    text: format!("---\nname: {}\n---\n", scalar(&name)),
                    action: Action::Create,
                    key: String::new(),
                    changes: Vec::new(),
                });
            }
        }
        report.files.push(p);
    }
    if !uncategorised.is_empty() {
        report.messages.push(Message {
            level: Level::Info,
            row: None,
            column: None,
            text: format!(
                "rows with no category ({} of {}): {} (add keywords under [categories] in mapping.toml, or set categories by hand)",
                uncategorised.len(),
                uncategorised.len() + categorised.len(),
                uncategorised.join(", ")
            ),
        });
    }

    sync_existing(&portal, &mut report, &opts.overwrite);
    existing_files(&portal, &mut report, opts.force);
    validate_in_memory(&portal, &mut report, opts.now);

    if !opts.dry_run {
        for p in &report.files {
            let replaced = match &p.action {
                Action::Skip(_) | Action::Unchanged => continue,
                Action::Create | Action::Update => None,
                Action::Overwrite { replaced } => replaced.clone(),
            };
            let full = opts.root.join(&p.path);
            if let Some(dir) = full.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            std::fs::write(&full, &p.text)
                .map_err(|e| format!("cannot write {}: {e}", full.display()))?;
            if let Some(old) = replaced {
                std::fs::remove_file(opts.root.join(&old))
                    .map_err(|e| format!("cannot remove {}: {e}", old.display()))?;
            }
            report.written += 1;
        }
    }
    report
        .messages
        .sort_by_key(|m| (m.row.unwrap_or(0), std::cmp::Reverse(m.level)));
    Ok(report)
}

/// Rows whose key an entry of the portal already has become updates of
/// that entry (wherever it is now); the others get their `source`. The
/// portal's entries from this list that no row matched are reported gone.
fn sync_existing(portal: &portal::Portal, report: &mut Report, overwrite: &[String]) {
    let known = sync::existing(&portal.loaded.files, &report.dataset, &mut report.messages);
    let overwrite: BTreeSet<String> = overwrite.iter().map(|f| f.trim().to_string()).collect();
    let mut seen = BTreeSet::new();
    for p in report.files.iter_mut().filter(|p| !p.key.is_empty()) {
        seen.insert(p.key.clone());
        match known.get(&p.key) {
            Some(old) => {
                let u = sync::update(old, &p.text, &overwrite, p.row, &mut report.messages);
                p.path = old.path.clone();
                p.changes = u.changes;
                match u.text {
                    Some(t) => {
                        p.text = t;
                        p.action = Action::Update;
                    }
                    None => {
                        p.text = old.text.clone();
                        p.action = Action::Unchanged;
                    }
                }
            }
            None => p.text = sync::with_source(&p.text, &report.dataset, &p.key),
        }
    }
    for (key, old) in known.iter().filter(|(k, _)| !seen.contains(*k)) {
        report.gone.push(Gone {
            key: key.clone(),
            path: old.path.clone(),
        });
        report.messages.push(Message {
            level: Level::Warning,
            row: None,
            column: None,
            text: format!(
                "row 「{key}」 is no longer in {}: {} is kept as it is (set `status: closed` or delete it if the place closed)",
                report.dataset,
                old.path.display()
            ),
        });
    }
}
