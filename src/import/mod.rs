//! Import: a spreadsheet saved as CSV → one entry file per row.
//!
//! - Encoding: a UTF-8 BOM → UTF-8; valid UTF-8 → UTF-8; otherwise
//!   Shift_JIS (what Excel writes), said in the report. UTF-16 with a BOM
//!   and tab-separated text are read too.
//! - Columns: the 自治体標準オープンデータセット names map to fields by default
//!   (公共施設一覧 for centers, organizations and cafeterias; イベント一覧 for
//!   events) — the inverse of `data/*.csv`. A header that is a field name
//!   (`name`, `phone`, …) maps to that field. `mapping.toml` maps other
//!   names (see [`TARGETS`]).
//! - Slugs: from the `ID` (or `slug`) column; an ID made only of digits
//!   becomes `<kind>-<ID>`; without one, `<kind>-<8 hex digits>` from a
//!   stable hash (FNV-1a) of the name and address, so importing the same
//!   sheet again gives the same slugs.
//! - Every value is checked as `tsunagu check` would (phone numbers, URLs,
//!   e-mail, vocabulary, coordinates, times); a bad value is reported with
//!   its row and column and left out. Every file is then validated in
//!   memory with the rest of the portal before anything is written, so a
//!   written file always passes `tsunagu check`.
//! - Nothing existing is overwritten without `force`; `dry_run` writes
//!   nothing.

use crate::opendata::schedule::{self, parse_days, parse_time, rules_for};
use crate::opendata::{csv, kana, normalize_header};
use crate::load::{self, FileFormat, Loaded, SourceFile};
use crate::model::{HoursRule, HttpUrl, Kind, PhoneNumber, Slug, TimeOfDay};
use crate::validate::{self, ValidateOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What `tsunagu import csv` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub file: PathBuf,
    /// The kind of every row (a `種別` column overrides it per row).
    pub kind: Kind,
    pub map: Option<PathBuf>,
    pub dry_run: bool,
    pub force: bool,
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
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.messages.iter().any(|m| m.level == Level::Error)
    }
}

/// A field (or part of one) a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Slug,
    Kind,
    Name,
    Kana,
    Summary,
    Address,
    Lat,
    Lon,
    Access,
    Phone,
    Email,
    Website,
    Fee,
    FeeBasic,
    Free,
    Anonymous,
    HoursDays,
    HoursOpen,
    HoursClose,
    HoursText,
    HoursNote,
    Accessibility,
    Languages,
    Categories,
    Audience,
    Methods,
    Area,
    Keywords,
    MinAge,
    MaxAge,
    Status,
    Notes,
    Operator,
    Verified,
    StartDate,
    StartTime,
    EndDate,
    EndTime,
    Venue,
    Place,
    Online,
    Registration,
    Capacity,
    Organizer,
    Ignore,
}

/// The names `mapping.toml` may use, with what each does.
pub const TARGETS: &[(&str, Target, &str)] = &[
    ("slug", Target::Slug, "the file name; `ID` by default"),
    (
        "kind",
        Target::Kind,
        "center / organization / event / cafeteria, or 相談窓口・団体・イベント・食堂・居場所",
    ),
    ("name", Target::Name, "name"),
    (
        "kana",
        Target::Kana,
        "reading; katakana (also half-width) becomes hiragana",
    ),
    ("summary", Target::Summary, "summary"),
    ("address", Target::Address, "address"),
    ("lat", Target::Lat, "geo.lat (緯度)"),
    ("lon", Target::Lon, "geo.lon (経度)"),
    ("access", Target::Access, "access"),
    (
        "phone",
        Target::Phone,
        "one or more phone numbers separated by ; 、 , / or line breaks",
    ),
    ("email", Target::Email, "email"),
    ("website", Target::Website, "website (http/https)"),
    ("fee", Target::Fee, "fee, in words"),
    (
        "fee_yen",
        Target::FeeBasic,
        "a fee in yen: 0 or 無料 sets free: true",
    ),
    ("free", Target::Free, "true/false, はい/いいえ, ○/×, 1/0"),
    (
        "anonymous",
        Target::Anonymous,
        "true/false, はい/いいえ, ○/×, 1/0",
    ),
    (
        "hours_days",
        Target::HoursDays,
        "days of the hours (利用可能曜日)",
    ),
    ("hours_open", Target::HoursOpen, "opening time (開始時間)"),
    ("hours_close", Target::HoursClose, "closing time (終了時間)"),
    (
        "hours_text",
        Target::HoursText,
        "whole rules such as 「月〜金 9:00〜17:00」, one per line",
    ),
    (
        "hours_note",
        Target::HoursNote,
        "hours_note (利用可能日時特記事項); 【rule】 lines become rule notes",
    ),
    ("accessibility", Target::Accessibility, "accessibility"),
    (
        "languages",
        Target::Languages,
        "languages, separated by ; 、 , or line breaks",
    ),
    (
        "categories",
        Target::Categories,
        "categories (must be in site.toml's vocabulary)",
    ),
    ("audience", Target::Audience, "audience (vocabulary)"),
    ("methods", Target::Methods, "methods (vocabulary)"),
    ("area", Target::Area, "area (vocabulary)"),
    ("keywords", Target::Keywords, "keywords"),
    ("min_age", Target::MinAge, "min_age"),
    ("max_age", Target::MaxAge, "max_age"),
    (
        "status",
        Target::Status,
        "open / paused / closed, or 公開・休止中・閉鎖・中止",
    ),
    (
        "notes",
        Target::Notes,
        "備考: 休止中 / 中止 / オンライン参加あり / オンライン: URL are understood",
    ),
    (
        "operator",
        Target::Operator,
        "the organization's slug or exact name",
    ),
    (
        "verified",
        Target::Verified,
        "verified date (2026-10-01 or 2026/10/1)",
    ),
    (
        "starts_date",
        Target::StartDate,
        "event start date (開始日)",
    ),
    (
        "starts_time",
        Target::StartTime,
        "event start time (開始時間)",
    ),
    ("ends_date", Target::EndDate, "event end date (終了日)"),
    ("ends_time", Target::EndTime, "event end time (終了時間)"),
    ("venue", Target::Venue, "event venue (場所名称)"),
    (
        "place",
        Target::Place,
        "slug of the center or cafeteria an event is held at",
    ),
    ("online", Target::Online, "true/false or the meeting link"),
    (
        "registration",
        Target::Registration,
        "how to register, or a form URL",
    ),
    ("capacity", Target::Capacity, "capacity (定員)"),
    (
        "organizer",
        Target::Organizer,
        "the organizing organization's slug or exact name",
    ),
    (
        "ignore",
        Target::Ignore,
        "read nothing from this column (and do not report it)",
    ),
];

/// The standard-dataset columns, by the kind being imported.
fn default_target(header: &str, kind: Kind) -> Option<Target> {
    use Target::*;
    let common = match header {
        "ID" | "id" | "slug" | "スラッグ" => Some(Slug),
        "種別" => Some(Kind),
        "住所" => Some(Address),
        "緯度" => Some(Lat),
        "経度" => Some(Lon),
        "説明" => Some(Summary),
        "URL" => Some(Website),
        "備考" => Some(Notes),
        _ => None,
    };
    let specific = if kind == crate::model::Kind::Event {
        match header {
            "イベント名" | "名称" => Some(Name),
            "イベント名_カナ" | "名称_カナ" => Some(Kana),
            "開始日" => Some(StartDate),
            "終了日" => Some(EndDate),
            "開始時間" => Some(StartTime),
            "終了時間" => Some(EndTime),
            "料金(基本)" => Some(FeeBasic),
            "料金(詳細)" => Some(Fee),
            "連絡先電話番号" | "電話番号" => Some(Phone),
            "主催者" => Some(Organizer),
            "場所名称" => Some(Venue),
            "アクセス方法" => Some(Access),
            "定員" => Some(Capacity),
            "参加申込方法" => Some(Registration),
            _ => None,
        }
    } else {
        match header {
            "名称" => Some(Name),
            "名称_カナ" => Some(Kana),
            "電話番号" => Some(Phone),
            "団体名" => Some(Operator),
            "利用可能曜日" => Some(HoursDays),
            "開始時間" => Some(HoursOpen),
            "終了時間" => Some(HoursClose),
            "利用可能日時特記事項" => Some(HoursNote),
            "バリアフリー情報" => Some(Accessibility),
            "アクセス方法" => Some(Access),
            _ => None,
        }
    };
    common.or(specific).or_else(|| {
        let lower = header.to_ascii_lowercase();
        TARGETS
            .iter()
            .find(|(n, _, _)| *n == lower)
            .map(|(_, t, _)| *t)
    })
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    #[serde(default)]
    columns: BTreeMap<String, String>,
}

/// Reads `mapping.toml`: `[columns]` with `"列名" = "field"`.
pub fn read_mapping(path: &Path) -> Result<BTreeMap<String, Target>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: MapFile =
        toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))?;
    let mut out = BTreeMap::new();
    for (column, field) in file.columns {
        let target = TARGETS
            .iter()
            .find(|(n, _, _)| *n == field.trim())
            .map(|(_, t, _)| *t)
            .ok_or_else(|| {
                format!(
                    "{}: column 「{column}」 maps to `{field}`, which is not a field the import knows; use one of: {}",
                    path.display(),
                    TARGETS.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ")
                )
            })?;
        out.insert(normalize_header(&column), target);
    }
    Ok(out)
}

/// What the portal already has.
struct Portal {
    loaded: Loaded,
    config: crate::config::SiteConfig,
    /// Organization name → slug.
    organizations: BTreeMap<String, String>,
}

fn read_portal(root: &Path) -> Result<Portal, String> {
    let (loaded, _) = load::load(root).map_err(|d| d.message)?;
    let (config, _, _) = validate::validate_config(&loaded.site_toml).map_err(|errs| {
        let msgs: Vec<String> = errs.into_iter().map(|d| d.message).collect();
        format!(
            "site.toml has errors; fix them first (tsunagu check): {}",
            msgs.join("; ")
        )
    })?;
    let mut organizations = BTreeMap::new();
    for f in loaded.files.iter().filter(|f| f.kind == Kind::Organization) {
        let Ok(split) = load::split(f) else { continue };
        if let Ok(serde_yaml::Value::Mapping(m)) =
            serde_yaml::from_str::<serde_yaml::Value>(split.yaml)
        {
            if let Some(serde_yaml::Value::String(name)) = m.get("name") {
                organizations.insert(name.trim().to_string(), f.stem.clone());
            }
        }
    }
    Ok(Portal {
        loaded,
        config,
        organizations,
    })
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
    let custom = match &opts.map {
        Some(p) => read_mapping(p)?,
        None => BTreeMap::new(),
    };
    let portal = read_portal(&opts.root)?;
    let mut report = Report {
        encoding,
        rows: 0,
        messages: Vec::new(),
        files: Vec::new(),
        written: 0,
    };
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
    for (i, row) in rows.iter().enumerate() {
        let row_no = i + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        report.rows += 1;
        let mut conv = Converter {
            row: row_no,
            portal: &portal,
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
        if let Some(p) = planned {
            report.files.push(p);
        }
    }

    existing_files(&portal, &mut report, opts.force);
    validate_in_memory(&portal, &mut report, opts.now);

    if !opts.dry_run {
        for p in &report.files {
            let replaced = match &p.action {
                Action::Skip(_) => continue,
                Action::Create => None,
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

/// Never overwrite without `force`; never reuse another kind's slug.
fn existing_files(portal: &Portal, report: &mut Report, force: bool) {
    for p in &mut report.files {
        let stem = p
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let kind_folder = p
            .path
            .parent()
            .and_then(|d| d.file_name())
            .map(|f| f.to_string_lossy().into_owned());
        let same: Vec<&SourceFile> = portal
            .loaded
            .files
            .iter()
            .filter(|f| f.stem == stem)
            .collect();
        let Some(existing) = same.first() else {
            continue;
        };
        if Some(existing.kind.folder().to_string()) != kind_folder {
            p.action = Action::Skip(format!(
                "the slug `{stem}` is already used by {} (slugs are unique across kinds); give the row another ID",
                existing.path.display()
            ));
            report.messages.push(Message {
                level: Level::Error,
                row: Some(p.row),
                column: None,
                text: match &p.action {
                    Action::Skip(r) => r.clone(),
                    _ => unreachable!(),
                },
            });
        } else if !force {
            p.action = Action::Skip(format!(
                "{} already exists (use --force to replace it)",
                existing.path.display()
            ));
            report.messages.push(Message {
                level: Level::Warning,
                row: Some(p.row),
                column: None,
                text: format!(
                    "{} already exists; not overwritten (use --force to replace it)",
                    existing.path.display()
                ),
            });
        } else {
            let replaced = (existing.path != p.path).then(|| existing.path.clone());
            p.action = Action::Overwrite { replaced };
        }
    }
}

/// Validates the new files together with the portal, exactly as
/// `tsunagu check` does; a file with an error is not written.
fn validate_in_memory(portal: &Portal, report: &mut Report, now: jiff::Timestamp) {
    let replaced: BTreeSet<PathBuf> = report
        .files
        .iter()
        .filter_map(|p| match &p.action {
            Action::Overwrite { replaced } => {
                Some(replaced.clone().unwrap_or_else(|| p.path.clone()))
            }
            _ => None,
        })
        .collect();
    let new: BTreeMap<PathBuf, usize> = report
        .files
        .iter()
        .filter(|p| !matches!(p.action, Action::Skip(_)))
        .map(|p| (p.path.clone(), p.row))
        .collect();
    if new.is_empty() {
        return;
    }
    let mut files: Vec<SourceFile> = portal
        .loaded
        .files
        .iter()
        .filter(|f| !replaced.contains(&f.path))
        .cloned()
        .collect();
    for p in report.files.iter().filter(|p| new.contains_key(&p.path)) {
        let kind = p
            .path
            .parent()
            .and_then(|d| d.file_name())
            .and_then(|f| Kind::from_folder(&f.to_string_lossy()))
            .unwrap_or(Kind::Center);
        files.push(SourceFile {
            kind,
            path: p.path.clone(),
            stem: p
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            format: FileFormat::Markdown,
            text: p.text.clone(),
        });
    }
    let loaded = Loaded {
        site_toml: portal.loaded.site_toml.clone(),
        files,
    };
    let validated = validate::validate(&loaded, &ValidateOptions { drafts: true, now });
    let mut bad: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let mut elsewhere = 0;
    for d in validated.diagnostics.iter().filter(|d| d.is_error()) {
        match d.file.as_ref().filter(|f| new.contains_key(*f)) {
            Some(f) => bad.entry(f.clone()).or_default().push(match &d.field {
                Some(field) => format!("`{field}`: {}", d.message),
                None => d.message.clone(),
            }),
            None => elsewhere += 1,
        }
    }
    for p in &mut report.files {
        if let Some(errors) = bad.get(&p.path) {
            p.action = Action::Skip("it would not pass tsunagu check".into());
            report.messages.push(Message {
                level: Level::Error,
                row: Some(p.row),
                column: None,
                text: format!(
                    "not written: {} would not pass tsunagu check: {}",
                    p.path.display(),
                    errors.join("; ")
                ),
            });
        }
    }
    if elsewhere > 0 {
        report.messages.push(Message {
            level: Level::Warning,
            row: None,
            column: None,
            text: format!(
                "the portal already has {elsewhere} error(s) in other files; run `tsunagu check`"
            ),
        });
    }
}

/// The values of one row, as they will be written.
#[derive(Default)]
struct Draft {
    slug: Option<(String, String)>,
    kind: Option<Kind>,
    name: Option<String>,
    kana: Option<String>,
    summary: Option<String>,
    address: Option<String>,
    lat: Option<(f64, String)>,
    lon: Option<(f64, String)>,
    access: Option<String>,
    phones: Vec<String>,
    email: Option<String>,
    website: Option<String>,
    fee: Option<String>,
    fee_yen: Option<u64>,
    free: Option<bool>,
    anonymous: Option<bool>,
    hours_days: Option<(String, String)>,
    hours_open: Option<(String, String)>,
    hours_close: Option<(String, String)>,
    hours_text: Vec<(String, String)>,
    hours_note: Vec<String>,
    accessibility: Option<String>,
    languages: Vec<String>,
    categories: Vec<String>,
    audience: Vec<String>,
    methods: Vec<String>,
    area: Option<String>,
    keywords: Vec<String>,
    min_age: Option<u16>,
    max_age: Option<u16>,
    status: Option<&'static str>,
    operator: Option<String>,
    verified: Option<String>,
    start_date: Option<(jiff::civil::Date, String)>,
    start_time: Option<(TimeOfDay, String)>,
    end_date: Option<(jiff::civil::Date, String)>,
    end_time: Option<(TimeOfDay, String)>,
    venue: Option<String>,
    place: Option<String>,
    online: Option<String>,
    registration: Option<String>,
    capacity: Option<u32>,
    organizer: Option<String>,
}

struct Converter<'a> {
    row: usize,
    portal: &'a Portal,
    kind: Kind,
    messages: Vec<Message>,
    d: Draft,
}

fn split_list(s: &str) -> Vec<String> {
    s.split([';', '；', ',', '，', '、', '\n'])
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn half_width_digits(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

fn parse_bool(s: &str) -> Option<bool> {
    match half_width_digits(s).to_lowercase().as_str() {
        "true" | "yes" | "はい" | "1" | "○" | "◯" | "〇" | "有" | "あり" | "可" => {
            Some(true)
        }
        "false" | "no" | "いいえ" | "0" | "×" | "✕" | "無" | "なし" | "不可" => {
            Some(false)
        }
        _ => None,
    }
}

fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let t = half_width_digits(s);
    let parts: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 {
        return None;
    }
    jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// FNV-1a (64 bit): stable across Rust versions and platforms.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// The slug a row without an ID gets: `<kind>-<8 hex>` of name and address.
pub fn generated_slug(kind: Kind, name: &str, address: Option<&str>) -> String {
    let key = format!("{}\n{}", name.trim(), address.unwrap_or("").trim());
    format!("{}-{:08x}", kind.as_str(), fnv1a(&key) >> 32)
}

impl Converter<'_> {
    fn msg(&mut self, level: Level, column: Option<&str>, text: String) {
        self.messages.push(Message {
            level,
            row: Some(self.row),
            column: column.map(str::to_string),
            text,
        });
    }

    fn kind(&self) -> Kind {
        self.d.kind.unwrap_or(self.kind)
    }

    fn set_text(slot: &mut Option<String>, v: &str) -> bool {
        if slot.is_some() {
            return false;
        }
        *slot = Some(v.to_string());
        true
    }

    fn organization(&mut self, col: &str, v: &str, what: &str) -> Option<String> {
        if let Some(slug) = self.portal.organizations.get(v.trim()) {
            return Some(slug.clone());
        }
        if self.portal.organizations.values().any(|s| s == v.trim()) {
            return Some(v.trim().to_string());
        }
        self.msg(
            Level::Warning,
            Some(col),
            format!("「{v}」 not imported: no organization with this name or slug in content/organizations/ (add it there first to link it as `{what}`)"),
        );
        None
    }

    fn vocab(
        &mut self,
        col: &str,
        field: &str,
        v: &str,
        allowed: &[String],
        into: fn(&mut Draft) -> &mut Vec<String>,
    ) {
        for item in split_list(v) {
            if allowed.contains(&item) {
                into(&mut self.d).push(item);
            } else {
                self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{item}」 left out: not in site.toml [vocabulary] {field} (add it there, or fix the value)"),
                );
            }
        }
    }

    /// One non-empty cell.
    fn take(&mut self, t: Target, col: &str, v: &str) {
        use Target::*;
        let dup = |this: &mut Self, ok: bool| {
            if !ok {
                this.msg(
                    Level::Warning,
                    Some(col),
                    format!("「{v}」 not imported: another column already gave this field"),
                );
            }
        };
        match t {
            Ignore => {}
            Name => {
                let ok = Self::set_text(&mut self.d.name, v);
                dup(self, ok)
            }
            Kana => {
                let k = kana::to_hiragana(v);
                {
                    let ok = Self::set_text(&mut self.d.kana, &k);
                    dup(self, ok)
                }
            }
            Summary => {
                let ok = Self::set_text(&mut self.d.summary, v);
                dup(self, ok)
            }
            Address => {
                let ok = Self::set_text(&mut self.d.address, v);
                dup(self, ok)
            }
            Access => {
                let ok = Self::set_text(&mut self.d.access, v);
                dup(self, ok)
            }
            Fee => {
                let ok = Self::set_text(&mut self.d.fee, v);
                dup(self, ok)
            }
            Accessibility => {
                let ok = Self::set_text(&mut self.d.accessibility, v);
                dup(self, ok)
            }
            Venue => {
                let ok = Self::set_text(&mut self.d.venue, v);
                dup(self, ok)
            }
            Registration => {
                let looks_like_url =
                    v.contains("://") || v.starts_with("javascript:") || v.starts_with("data:");
                if looks_like_url {
                    if let Err(e) = HttpUrl::parse(v) {
                        return self.msg(Level::Error, Some(col), format!("left out: {e}"));
                    }
                }
                {
                    let ok = Self::set_text(&mut self.d.registration, v);
                    dup(self, ok)
                }
            }
            HoursNote => self.d.hours_note.push(v.to_string()),
            Slug => {
                let ok = self.d.slug.is_none();
                if ok {
                    self.d.slug = Some((v.to_string(), col.to_string()));
                }
                dup(self, ok)
            }
            Kind => {
                let k = crate::model::Kind::ALL
                    .into_iter()
                    .find(|k| k.as_str() == v || k.label() == v || k.folder() == v);
                match k {
                    Some(crate::model::Kind::Page) | None => self.msg(
                        Level::Warning,
                        Some(col),
                        format!("「{v}」 is not a kind the import knows (相談窓口・団体・イベント・食堂・居場所, or center/organization/event/cafeteria); the row is imported as {}", self.kind),
                    ),
                    Some(k) => self.d.kind = Some(k),
                }
            }
            Lat | Lon => {
                let n: Option<f64> = half_width_digits(v)
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite());
                let (range, slot) = if t == Lat {
                    (90.0, &mut self.d.lat)
                } else {
                    (180.0, &mut self.d.lon)
                };
                match n {
                    Some(n) if n.abs() <= range => *slot = Some((n, col.to_string())),
                    _ => self.msg(
                        Level::Error,
                        Some(col),
                        format!(
                            "「{v}」 left out: not a {} in degrees (−{range}〜{range})",
                            if t == Lat { "latitude" } else { "longitude" }
                        ),
                    ),
                }
            }
            Phone => {
                for p in split_list(&v.replace(['/', '／'], ";")) {
                    match PhoneNumber::parse(&p) {
                        Ok(n) => self.d.phones.push(n.display().to_string()),
                        Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
                    }
                }
            }
            Email => match crate::model::Email::parse(v) {
                Ok(m) => {
                    let ok = Self::set_text(&mut self.d.email, m.as_str());
                    dup(self, ok)
                }
                Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
            },
            Website => match HttpUrl::parse(v) {
                Ok(u) => {
                    let ok = Self::set_text(&mut self.d.website, u.as_str());
                    dup(self, ok)
                }
                Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
            },
            Free | Anonymous => match parse_bool(v) {
                Some(b) => {
                    if t == Free {
                        self.d.free = Some(b)
                    } else {
                        self.d.anonymous = Some(b)
                    }
                }
                None => self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{v}」 left out: write true/false (はい/いいえ, ○/×)"),
                ),
            },
            FeeBasic => {
                let t = half_width_digits(v).replace([',', '円'], "");
                if t == "無料" {
                    self.d.fee_yen = Some(0);
                } else {
                    match t.parse::<u64>() {
                        Ok(n) => self.d.fee_yen = Some(n),
                        Err(_) => self.msg(
                            Level::Warning,
                            Some(col),
                            format!("「{v}」 not imported: not an amount in yen"),
                        ),
                    }
                }
            }
            HoursDays => self.d.hours_days = Some((v.to_string(), col.to_string())),
            HoursOpen => self.d.hours_open = Some((v.to_string(), col.to_string())),
            HoursClose => self.d.hours_close = Some((v.to_string(), col.to_string())),
            HoursText => self.d.hours_text.push((v.to_string(), col.to_string())),
            Languages => self.d.languages.extend(split_list(v)),
            Keywords => self.d.keywords.extend(split_list(v)),
            Categories => {
                let allowed = self.portal.config.vocabulary.categories.clone();
                self.vocab(col, "categories", v, &allowed, |d| &mut d.categories)
            }
            Audience => {
                let allowed = self.portal.config.vocabulary.audience.clone();
                self.vocab(col, "audience", v, &allowed, |d| &mut d.audience)
            }
            Methods => {
                let allowed = self.portal.config.vocabulary.methods.clone();
                self.vocab(col, "methods", v, &allowed, |d| &mut d.methods)
            }
            Area => {
                if self.portal.config.vocabulary.areas.iter().any(|a| a == v) {
                    self.d.area = Some(v.to_string());
                } else {
                    self.msg(
                        Level::Error,
                        Some(col),
                        format!("「{v}」 left out: not in site.toml [vocabulary] areas"),
                    );
                }
            }
            MinAge | MaxAge | Capacity => match half_width_digits(v)
                .trim_end_matches(['歳', '才', '名', '人'])
                .parse::<u32>()
            {
                Ok(n) if t == Capacity => self.d.capacity = Some(n),
                Ok(n) if n <= u32::from(u16::MAX) => {
                    let n = n as u16;
                    if t == MinAge {
                        self.d.min_age = Some(n)
                    } else {
                        self.d.max_age = Some(n)
                    }
                }
                _ => self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{v}」 left out: write a whole number"),
                ),
            },
            Status => match status_word(v) {
                Some(s) => self.d.status = Some(s),
                None => self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{v}」 left out: write open, paused or closed (公開・休止中・閉鎖)"),
                ),
            },
            Notes => {
                for line in v.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    self.note_line(col, line);
                }
            }
            Operator => self.d.operator = self.organization(col, v, "operator"),
            Organizer => self.d.organizer = self.organization(col, v, "organizer"),
            Place => match crate::model::Slug::parse(v.trim()) {
                Ok(s) => self.d.place = Some(s.to_string()),
                Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
            },
            Online => match parse_bool(v) {
                Some(b) => self.d.online = Some(b.to_string()),
                None => match HttpUrl::parse(v) {
                    Ok(u) => self.d.online = Some(u.as_str().to_string()),
                    Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
                },
            },
            Verified => match parse_date(v) {
                Some(d) => self.d.verified = Some(d.to_string()),
                None => self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{v}」 left out: not a date (write 2026-10-01)"),
                ),
            },
            StartDate | EndDate => match parse_date(v) {
                Some(d) if t == StartDate => self.d.start_date = Some((d, col.to_string())),
                Some(d) => self.d.end_date = Some((d, col.to_string())),
                None => self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{v}」 left out: not a date (write 2026-12-05)"),
                ),
            },
            StartTime | EndTime => match parse_time(v) {
                Ok(tm) if t == StartTime => self.d.start_time = Some((tm, col.to_string())),
                Ok(tm) => self.d.end_time = Some((tm, col.to_string())),
                Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
            },
        }
    }

    /// One line of 備考.
    fn note_line(&mut self, col: &str, line: &str) {
        if let Some(s) = status_word(line).filter(|s| *s != "open") {
            self.d.status = Some(s);
            return;
        }
        if self.kind() == Kind::Event {
            if line == "オンライン参加あり" {
                self.d.online = Some("true".into());
                return;
            }
            if let Some(u) = line
                .strip_prefix("オンライン:")
                .or_else(|| line.strip_prefix("オンライン："))
            {
                if let Ok(u) = HttpUrl::parse(u.trim()) {
                    self.d.online = Some(u.as_str().to_string());
                    return;
                }
            }
        }
        self.msg(
            Level::Warning,
            Some(col),
            format!(
                "「{line}」 not imported (備考 is read only for 休止中・中止・閉鎖 and オンライン)"
            ),
        );
    }

    /// Everything read: the file to write, or nothing (with an error).
    fn finish(&mut self, planned: &mut BTreeMap<String, usize>) -> Option<Planned> {
        let kind = self.kind();
        let Some(name) = self.d.name.clone() else {
            self.msg(Level::Error, None, "row skipped: it has no name".into());
            return None;
        };
        let hours = self.hours();
        let (starts, ends) = if kind == Kind::Event {
            let Some((sd, _)) = self.d.start_date.clone() else {
                self.msg(
                    Level::Error,
                    None,
                    "row skipped: an event needs a start date (開始日)".into(),
                );
                return None;
            };
            let starts = match &self.d.start_time {
                Some((t, _)) => format!("{sd}T{}", schedule::hhmm(*t)),
                None => sd.to_string(),
            };
            let ed = self.d.end_date.as_ref().map(|(d, _)| *d);
            let ends = match (&self.d.end_time, ed) {
                (Some((t, _)), d) => Some(format!("{}T{}", d.unwrap_or(sd), schedule::hhmm(*t))),
                (None, Some(d)) if d != sd => Some(d.to_string()),
                _ => None,
            };
            (Some(starts), ends)
        } else {
            for (what, slot) in [
                ("開始日", self.d.start_date.is_some()),
                ("終了日", self.d.end_date.is_some()),
            ] {
                if slot {
                    self.msg(
                        Level::Warning,
                        None,
                        format!("{what} not imported: only events have dates"),
                    );
                }
            }
            (None, None)
        };
        let slug = self.slug(kind, &name);
        if let Some(first) = planned.get(&slug) {
            self.msg(
                Level::Error,
                None,
                format!("row skipped: slug `{slug}` is already used by row {first} of this file (give each row its own ID)"),
            );
            return None;
        }
        planned.insert(slug.clone(), self.row);
        let geo = match (self.d.lat.take(), self.d.lon.take()) {
            (Some((lat, _)), Some((lon, _))) => Some((lat, lon)),
            (Some((_, col)), None) | (None, Some((_, col))) => {
                self.msg(
                    Level::Error,
                    Some(&col),
                    "left out: geo needs both 緯度 (latitude) and 経度 (longitude)".into(),
                );
                None
            }
            (None, None) => None,
        };
        if let Some(n) = self.d.fee_yen {
            if self.d.free.is_none() {
                self.d.free = Some(n == 0);
            }
            if n > 0 && self.d.fee.is_none() {
                self.d.fee = Some(format!("{n}円"));
            }
        }
        let text = self.yaml(kind, &name, geo, hours, starts, ends);
        Some(Planned {
            row: self.row,
            path: PathBuf::from("content")
                .join(kind.folder())
                .join(format!("{slug}.md")),
            text,
            action: Action::Create,
        })
    }

    fn slug(&mut self, kind: Kind, name: &str) -> String {
        if let Some((raw, col)) = self.d.slug.clone() {
            let raw = half_width_digits(&raw);
            let candidate = match Slug::parse(&raw) {
                Ok(s) => Some(s.to_string()),
                Err(_) => {
                    let s = Slug::suggest(&raw);
                    if let Some(s) = &s {
                        self.msg(
                            Level::Warning,
                            Some(&col),
                            format!("「{raw}」 is not a valid slug; used `{s}`"),
                        );
                    }
                    s
                }
            };
            if let Some(c) = candidate {
                return if c.chars().all(|ch| ch.is_ascii_digit() || ch == '-') {
                    format!("{}-{c}", kind.as_str())
                } else {
                    c
                };
            }
            self.msg(
                Level::Warning,
                Some(&col),
                format!("「{raw}」 cannot be a slug (use a-z, 0-9 and -); a slug was generated"),
            );
        }
        generated_slug(kind, name, self.d.address.as_deref())
    }

    /// The hours rules from 利用可能曜日・開始時間・終了時間 (and `hours_text`);
    /// what cannot be read goes to hours_note with a warning.
    fn hours(&mut self) -> Vec<HoursRule> {
        let mut rules: Vec<HoursRule> = Vec::new();
        let mut unread: Vec<String> = Vec::new();
        for (text, col) in std::mem::take(&mut self.d.hours_text) {
            for line in text
                .lines()
                .flat_map(|l| l.split(['；', ';']))
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                match schedule::parse_rule_text(line) {
                    Ok(r) => rules.extend(r),
                    Err(e) => {
                        self.msg(
                            Level::Warning,
                            Some(&col),
                            format!("{e}; kept in hours_note"),
                        );
                        unread.push(line.to_string());
                    }
                }
            }
        }
        let days = self.d.hours_days.take();
        let open = self.d.hours_open.take();
        let close = self.d.hours_close.take();
        match (&days, &open, &close) {
            (Some((d, dcol)), Some((o, _)), Some((c, _))) => {
                let dl: Vec<&str> = d.lines().map(str::trim).collect();
                let ol: Vec<&str> = o.lines().map(str::trim).collect();
                let cl: Vec<&str> = c.lines().map(str::trim).collect();
                let aligned = (ol.len() == dl.len() || ol.len() == 1)
                    && (cl.len() == dl.len() || cl.len() == 1);
                if !aligned {
                    self.msg(Level::Warning, Some(dcol), format!("the lines of 利用可能曜日 ({}), 開始時間 ({}) and 終了時間 ({}) do not match; kept in hours_note", dl.len(), ol.len(), cl.len()));
                    unread.push(format!(
                        "{} {}〜{}",
                        d.replace('\n', " / "),
                        o.replace('\n', " / "),
                        c.replace('\n', " / ")
                    ));
                } else {
                    for (i, dline) in dl.iter().enumerate() {
                        let o = if ol.len() == 1 { ol[0] } else { ol[i] };
                        let c = if cl.len() == 1 { cl[0] } else { cl[i] };
                        let parsed = parse_days(dline).and_then(|spec| {
                            let (o, c) = (parse_time(o)?, parse_time(c)?);
                            if c <= o {
                                return Err(format!(
                                    "closing time {c} is not after opening time {o}"
                                ));
                            }
                            Ok(rules_for(&spec, o, c))
                        });
                        match parsed {
                            Ok(r) => rules.extend(r),
                            Err(e) => {
                                self.msg(
                                    Level::Warning,
                                    Some(dcol),
                                    format!("{e}; 「{dline} {o}〜{c}」 kept in hours_note"),
                                );
                                unread.push(format!("{dline} {o}〜{c}"));
                            }
                        }
                    }
                }
            }
            (None, None, None) => {}
            _ => {
                let part = |x: &Option<(String, String)>| {
                    x.as_ref()
                        .map(|(v, _)| v.replace('\n', " / "))
                        .unwrap_or_default()
                };
                let times = match (part(&open), part(&close)) {
                    (o, c) if o.is_empty() && c.is_empty() => String::new(),
                    (o, c) => format!("{o}〜{c}"),
                };
                let text = format!("{} {times}", part(&days)).trim().to_string();
                let col = days
                    .as_ref()
                    .or(open.as_ref())
                    .or(close.as_ref())
                    .map(|(_, c)| c.clone());
                self.msg(Level::Warning, col.as_deref(), format!("hours need 利用可能曜日, 開始時間 and 終了時間 together; 「{text}」 kept in hours_note"));
                unread.push(text);
            }
        }
        let note_text = self.d.hours_note.join("\n");
        let mut note = schedule::attach_notes(&mut rules, &note_text)
            .map(|n| vec![n])
            .unwrap_or_default();
        note.extend(unread);
        self.d.hours_note = note;
        rules
    }

    /// The entry file: front matter in the order of the content contract.
    fn yaml(
        &self,
        kind: Kind,
        name: &str,
        geo: Option<(f64, f64)>,
        hours: Vec<HoursRule>,
        starts: Option<String>,
        ends: Option<String>,
    ) -> String {
        let d = &self.d;
        let mut y = String::from("---\n");
        // A block value (the hours list) starts on the next line.
        let mut kv = |k: &str, v: String| {
            let sep = if v.starts_with('\n') { ":" } else { ": " };
            y.push_str(&format!("{k}{sep}{v}\n"))
        };
        let s = |v: &Option<String>| v.as_deref().map(scalar);
        let list = |v: &[String]| {
            format!(
                "[{}]",
                v.iter().map(|x| scalar(x)).collect::<Vec<_>>().join(", ")
            )
        };
        kv("name", scalar(name));
        if let Some(v) = s(&d.kana) {
            kv("kana", v)
        }
        if let Some(v) = s(&d.summary) {
            kv("summary", v)
        }
        for (k, v) in [
            ("categories", &d.categories),
            ("audience", &d.audience),
            ("methods", &d.methods),
        ] {
            if !v.is_empty() {
                kv(k, list(v))
            }
        }
        if let Some(v) = s(&d.area) {
            kv("area", v)
        }
        if let Some(v) = s(&d.address) {
            kv("address", v)
        }
        if let Some((lat, lon)) = geo {
            kv("geo", format!("{{lat: {lat}, lon: {lon}}}"))
        }
        if let Some(v) = s(&d.access) {
            kv("access", v)
        }
        match d.phones.as_slice() {
            [] => {}
            [one] => kv("phone", scalar(one)),
            many => kv("phone", list(many)),
        }
        if let Some(v) = s(&d.email) {
            kv("email", v)
        }
        if let Some(v) = s(&d.website) {
            kv("website", v)
        }
        if let Some(v) = s(&d.fee) {
            kv("fee", v)
        }
        if let Some(v) = d.free {
            kv("free", v.to_string())
        }
        if let Some(v) = d.anonymous {
            kv("anonymous", v.to_string())
        }
        if !hours.is_empty() {
            let mut block = String::new();
            for r in &hours {
                block.push_str("\n  - ");
                block.push_str(&rule_yaml(r));
            }
            kv("hours", block);
        }
        let note = d.hours_note.join("\n");
        if !note.trim().is_empty() {
            kv("hours_note", scalar(note.trim()))
        }
        if let Some(v) = s(&d.accessibility) {
            kv("accessibility", v)
        }
        if !d.languages.is_empty() {
            kv("languages", list(&d.languages))
        }
        if let Some(v) = d.min_age {
            kv("min_age", v.to_string())
        }
        if let Some(v) = d.max_age {
            kv("max_age", v.to_string())
        }
        if let Some(v) = d.status {
            kv("status", v.to_string())
        }
        if let Some(v) = &d.operator {
            kv("operator", v.clone())
        }
        if !d.keywords.is_empty() {
            kv("keywords", list(&d.keywords))
        }
        if let Some(v) = &d.verified {
            kv("verified", v.clone())
        }
        if kind == Kind::Event {
            if let Some(v) = starts {
                kv("starts", format!("\"{v}\""))
            }
            if let Some(v) = ends {
                kv("ends", format!("\"{v}\""))
            }
            if let Some(v) = s(&d.venue) {
                kv("venue", v)
            }
            if let Some(v) = &d.place {
                kv("place", v.clone())
            }
            match d.online.as_deref() {
                Some(b @ ("true" | "false")) => kv("online", b.to_string()),
                Some(u) => kv("online", scalar(u)),
                None => {}
            }
            if let Some(v) = s(&d.registration) {
                kv("registration", v)
            }
            if let Some(v) = d.capacity {
                kv("capacity", v.to_string())
            }
            if let Some(v) = &d.organizer {
                kv("organizer", v.clone())
            }
        }
        y.push_str("---\n");
        y
    }
}

fn status_word(v: &str) -> Option<&'static str> {
    match v.trim().to_lowercase().as_str() {
        "open" | "公開" | "開設" | "開所" | "運営中" => Some("open"),
        "paused" | "休止" | "休止中" | "一時休止" => Some("paused"),
        "closed" | "閉鎖" | "廃止" | "中止" | "終了" | "閉所" => Some("closed"),
        _ => None,
    }
}

const DAY_NAMES: [&str; 8] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol"];

fn rule_yaml(r: &HoursRule) -> String {
    let times = format!(
        "open: \"{}\", close: \"{}\"",
        schedule::hhmm(r.open()),
        schedule::hhmm(r.close())
    );
    let note = r
        .note()
        .map(|n| format!(", note: {}", scalar(n)))
        .unwrap_or_default();
    match r {
        HoursRule::Weekly { days, .. } => format!(
            "{{days: [{}], {times}{note}}}",
            days.iter()
                .map(|d| DAY_NAMES[*d as usize])
                .collect::<Vec<_>>()
                .join(", ")
        ),
        HoursRule::Monthly { weekday, nth, .. } => {
            format!(
                "{{weekday: {}, nth: {nth}, {times}{note}}}",
                DAY_NAMES[weekday.index()]
            )
        }
    }
}

/// A YAML scalar for `s`: plain when YAML reads it back as the same string
/// (also inside `[...]` and `{...}`), else double-quoted (JSON escaping is
/// valid YAML).
pub fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s == s.trim()
        && !s.contains([
            '\n', '\r', '\t', '[', ']', '{', '}', ',', '"', '\'', '#', '\\',
        ])
        && !s.starts_with(['-', '?', ':', '&', '*', '!', '|', '>', '%', '@', '`'])
        && matches!(
            serde_yaml::from_str::<BTreeMap<String, serde_yaml::Value>>(&format!("k: {s}")),
            Ok(m) if m.get("k") == Some(&serde_yaml::Value::String(s.to_string()))
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars() {
        assert_eq!(scalar("広島市中区"), "広島市中区");
        assert_eq!(scalar("#7119"), "\"#7119\"");
        assert_eq!(scalar("189"), "\"189\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("注意: 予約制"), "\"注意: 予約制\"");
        assert_eq!(scalar("a, b"), "\"a, b\"");
        assert_eq!(scalar("二行\n目"), "\"二行\\n目\"");
        assert_eq!(scalar("082-555-0100"), "082-555-0100");
        assert_eq!(
            scalar("https://example.jp/a?b=c"),
            "https://example.jp/a?b=c"
        );
    }

    #[test]
    fn generated_slugs_are_stable() {
        let a = generated_slug(Kind::Center, "相談室", Some("広島市"));
        assert_eq!(a, generated_slug(Kind::Center, "相談室", Some("広島市")));
        assert!(
            a.starts_with("center-") && a.len() == "center-".len() + 8,
            "{a}"
        );
        assert!(Slug::parse(&a).is_ok());
        assert_ne!(a, generated_slug(Kind::Center, "相談室", Some("福山市")));
    }
}
