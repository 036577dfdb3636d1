//! Which field each column fills: the standard's column names by kind,
//! field names used as headers, and `mapping.toml`.

use crate::model::Kind;
use crate::opendata::normalize_header;
use std::collections::BTreeMap;
use std::path::Path;

/// A field (or part of one) a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Slug,
    Kind,
    Name,
    Alias,
    Kana,
    Summary,
    Address,
    AddressDetail,
    MunicipalityCode,
    Municipality,
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
        "aliases",
        Target::Alias,
        "another name search finds (名称_通称, 名称_英語)",
    ),
    (
        "kana",
        Target::Kana,
        "reading; katakana (also half-width) becomes hiragana",
    ),
    ("summary", Target::Summary, "summary"),
    ("address", Target::Address, "address"),
    (
        "address_detail",
        Target::AddressDetail,
        "building and floor (方書), joined to the address",
    ),
    (
        "municipality_code",
        Target::MunicipalityCode,
        "全国地方公共団体コード: the row key is this code and the ID",
    ),
    (
        "municipality",
        Target::Municipality,
        "市区町村名 / 地方公共団体名: where the area is looked up",
    ),
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
pub(super) fn default_target(header: &str, kind: Kind) -> Option<Target> {
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
        "NO" | "No" | "no" => Some(Slug),
        "方書" => Some(AddressDetail),
        "全国地方公共団体コード" | "都道府県コード又は市区町村コード" | "市区町村コード" => {
            Some(MunicipalityCode)
        }
        "地方公共団体名" | "市区町村名" | "都道府県名" => Some(Municipality),
        _ => None,
    };
    let specific = if kind == crate::model::Kind::Event {
        match header {
            "イベント名" | "名称" => Some(Name),
            "イベント名_カナ" | "名称_カナ" => Some(Kana),
            "イベント名_英語" | "イベント名_通称" => Some(Alias),
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
            "名称_通称" | "名称_英語" | "名称_英字" => Some(Alias),
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

impl Target {
    /// Only events have this field: a center's 定員 has nowhere to go.
    pub fn event_only(self) -> bool {
        use Target::*;
        matches!(
            self,
            StartDate
                | StartTime
                | EndDate
                | EndTime
                | Venue
                | Place
                | Online
                | Registration
                | Capacity
                | Organizer
        )
    }

    /// Several columns may add to this field (a list, or lines of text).
    pub fn accumulates(self) -> bool {
        use Target::*;
        matches!(
            self,
            Ignore
                | Alias
                | Phone
                | HoursText
                | HoursNote
                | Notes
                | Languages
                | Keywords
                | Categories
                | Audience
                | Methods
                | Municipality
        )
    }

    /// The name `mapping.toml` uses for it.
    pub fn name(self) -> &'static str {
        TARGETS
            .iter()
            .find(|(_, t, _)| *t == self)
            .map(|(n, _, _)| *n)
            .unwrap_or("?")
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    /// The list's name recorded in each entry's `source`.
    dataset: Option<String>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
    /// Keyword (in the name, or a cell of a `categories` column) → category.
    #[serde(default)]
    categories: BTreeMap<String, String>,
}

/// What `mapping.toml` says.
#[derive(Debug, Default, Clone)]
pub struct Mapping {
    pub dataset: Option<String>,
    /// Normalized column name → field.
    pub columns: BTreeMap<String, Target>,
    /// Keyword → category, longest keyword first.
    pub categories: Vec<(String, String)>,
}

/// Reads `mapping.toml`: `dataset = "..."`, `[columns]` with
/// `"列名" = "field"`, `[categories]` with `"キーワード" = "分野"`.
pub fn read_mapping(path: &Path) -> Result<Mapping, String> {
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
    let mut categories: Vec<(String, String)> = file
        .categories
        .into_iter()
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    categories.sort_by(|a, b| {
        b.0.chars()
            .count()
            .cmp(&a.0.chars().count())
            .then(a.0.cmp(&b.0))
    });
    Ok(Mapping {
        dataset: file
            .dataset
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        columns: out,
        categories,
    })
}
