//! The content model: strict types that every later stage trusts.
//!
//! Everything an editor writes is parsed into these types at the edge
//! (`load` + `validate`); after that no stage re-checks a slug, a phone
//! number or a time.

mod contact;
mod fields;
pub mod hours;
mod time;

pub use contact::{Email, HttpUrl, PhoneNumber};
pub use fields::{
    EntryFields, Geo, ImportSource, OneOrMany, Online, Registration, EVENT_ONLY, FIELD_NAMES,
    PAGE_FIELDS,
};
pub use hours::closure::{Closure, MonthDay, NamedSpans, YearlySpan};
pub use hours::{Day, HoursRule, TimeOfDay, Weekday};
pub use time::{Date, EventTime};

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// Deserializes a string through `parse`, raising the error *inside* the
/// visitor: serde_yaml attaches a field's path and line only to errors
/// raised while it is deserializing that value, not after it returned.
pub(crate) fn from_str_with<'de, D, T>(
    d: D,
    expecting: &'static str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct V<T> {
        expecting: &'static str,
        parse: fn(&str) -> Result<T, String>,
    }
    impl<T> serde::de::Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            (self.parse)(s).map_err(E::custom)
        }
    }
    d.deserialize_str(V { expecting, parse })
}

/// A JSON Schema for a type read from a YAML string: its pattern and a
/// description, kept beside the parser so the two are read together.
macro_rules! string_schema {
    ($ty:ty, $name:literal, $pattern:expr, $description:literal) => {
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "pattern": $pattern, "description": $description })
            }
        }
    };
}
pub(crate) use string_schema;

string_schema!(
    Slug,
    "Slug",
    "^[a-z0-9]+(-[a-z0-9]+)*$",
    "the file name (without extension) of another entry"
);

/// The five kinds of entry. The folder under `content/` names the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Center,
    Organization,
    Event,
    Cafeteria,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Center,
        Kind::Organization,
        Kind::Event,
        Kind::Cafeteria,
        Kind::Page,
    ];

    /// The folder under `content/` (and the URL prefix in the output).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Center => "centers",
            Kind::Organization => "organizations",
            Kind::Event => "events",
            Kind::Cafeteria => "cafeterias",
            Kind::Page => "pages",
        }
    }

    pub fn from_folder(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == name)
    }

    /// The identifier used in the search index, JSON and CLI flags.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Center => "center",
            Kind::Organization => "organization",
            Kind::Event => "event",
            Kind::Cafeteria => "cafeteria",
            Kind::Page => "page",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The label families see.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Center => "相談窓口",
            Kind::Organization => "団体",
            Kind::Event => "イベント",
            Kind::Cafeteria => "食堂・居場所",
            Kind::Page => "記事",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entry's identity: the file name without extension, lowercase `a-z0-9-`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Accepts lowercase ASCII letters, digits and single inner hyphens.
    pub fn parse(s: &str) -> Result<Slug, String> {
        let ok = !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(Slug(s.to_string()))
        } else {
            Err(format!(
                "`{s}` is not a valid slug: use lowercase a-z, 0-9 and `-` (not at the start or end)"
            ))
        }
    }

    /// A suggestion for a bad slug: lowercased, other characters to `-`.
    pub fn suggest(s: &str) -> Option<String> {
        let mut out = String::new();
        for c in s.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        let out = out.trim_matches('-').to_string();
        (!out.is_empty()).then_some(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_str_with(d, "a slug such as `foot-and-work`", Slug::parse)
    }
}

/// `status`: open (default), paused (shown with a notice) or closed
/// (left out of lists and search; its page says it closed).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Open,
    Paused,
    Closed,
}

/// One validated entry, ready to render and index.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Kind,
    pub slug: Slug,
    /// Path relative to the portal root, for messages.
    pub source: PathBuf,
    pub fields: EntryFields,
    /// Markdown body (front matter removed, or `body:` of a YAML file).
    pub body: String,
}

impl Entry {
    /// The display name: `title` for pages, `name` for everything else.
    pub fn name(&self) -> &str {
        self.fields
            .title
            .as_deref()
            .or(self.fields.name.as_deref())
            .unwrap_or(self.slug.as_str())
    }

    pub fn status(&self) -> Status {
        self.fields.status.unwrap_or_default()
    }

    /// Site-relative URL path of the entry page, e.g. `centers/foo/`.
    pub fn url_path(&self) -> String {
        format!("{}/{}/", self.kind.folder(), self.slug)
    }

    /// Key for 五十音 order: the reading if given, else the name.
    pub fn sort_key(&self) -> &str {
        self.fields.kana.as_deref().unwrap_or_else(|| self.name())
    }
}
