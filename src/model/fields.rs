//! The fields an editor may write, exactly as the content contract names them.
//!
//! One struct serves every kind so that a field in the wrong kind gets a
//! precise message ("`starts` is only for events") instead of a bare
//! "unknown field"; `validate` enforces which kind may use which field.

use super::{Closure, Date, Email, EventTime, HoursRule, HttpUrl, PhoneNumber, Slug, Status};
use serde::Deserialize;

/// Every field an entry may have, in the order the docs list them.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "tsunagu entry")]
pub struct EntryFields {
    // -- every kind except page
    /// Display name (required for every kind except page).
    pub name: Option<String>,
    /// Other names people search for (a list's 名称_通称, an English name).
    pub aliases: Option<Vec<String>>,
    /// Reading in hiragana, for 五十音 order and search.
    pub kana: Option<String>,
    /// One line shown in lists (over 140 characters: warning).
    pub summary: Option<String>,
    pub categories: Option<Vec<String>>,
    pub audience: Option<Vec<String>>,
    pub methods: Option<Vec<String>>,
    pub area: Option<String>,
    pub address: Option<String>,
    pub geo: Option<Geo>,
    pub access: Option<String>,
    pub phone: Option<OneOrMany<PhoneNumber>>,
    pub email: Option<Email>,
    pub website: Option<HttpUrl>,
    pub fee: Option<String>,
    pub free: Option<bool>,
    pub anonymous: Option<bool>,
    pub hours: Option<Vec<HoursRule>>,
    /// Closed days that override `hours`: 年末年始, お盆, 月末日, 第N曜日,
    /// 臨時休館 dates (see `model::hours::closure`).
    pub closed: Option<Vec<Closure>>,
    pub hours_note: Option<String>,
    pub accessibility: Option<String>,
    pub languages: Option<Vec<String>>,
    pub min_age: Option<u16>,
    pub max_age: Option<u16>,
    pub status: Option<Status>,
    /// Slug of the `organizations/` entry that runs this one.
    pub operator: Option<Slug>,
    pub keywords: Option<Vec<String>>,
    /// When the information was last confirmed (YYYY-MM-DD).
    pub verified: Option<Date>,
    /// `true`: left out of the build (unless `--drafts`).
    pub draft: Option<bool>,
    /// Remarks shown on the page (a list's 備考); line breaks are kept.
    pub notes: Option<String>,
    /// Written by `tsunagu import`: which list and row this entry came from,
    /// so a re-import finds it after a rename and updates only what the
    /// list gave and no editor changed since.
    pub source: Option<ImportSource>,

    // -- events
    pub starts: Option<EventTime>,
    pub ends: Option<EventTime>,
    pub venue: Option<String>,
    /// Slug of a center or cafeteria where the event is held.
    pub place: Option<Slug>,
    pub online: Option<Online>,
    pub registration: Option<Registration>,
    pub capacity: Option<u32>,
    /// Slug of the organization that holds the event.
    pub organizer: Option<Slug>,

    // -- pages
    pub title: Option<String>,
    pub order: Option<i32>,

    /// Body of a `.yaml` entry; a `.md` entry has its body after the front matter.
    pub body: Option<String>,
}

/// All field names, for "did you mean" suggestions and kind checks.
pub const FIELD_NAMES: &[&str] = &[
    "name",
    "aliases",
    "kana",
    "summary",
    "categories",
    "audience",
    "methods",
    "area",
    "address",
    "geo",
    "access",
    "phone",
    "email",
    "website",
    "fee",
    "free",
    "anonymous",
    "hours",
    "closed",
    "hours_note",
    "accessibility",
    "languages",
    "min_age",
    "max_age",
    "status",
    "operator",
    "keywords",
    "verified",
    "draft",
    "notes",
    "source",
    "starts",
    "ends",
    "venue",
    "place",
    "online",
    "registration",
    "capacity",
    "organizer",
    "title",
    "order",
    "body",
];

/// Fields only an event may use.
pub const EVENT_ONLY: &[&str] = &[
    "starts",
    "ends",
    "venue",
    "place",
    "online",
    "registration",
    "capacity",
    "organizer",
];

/// Fields a page may use.
pub const PAGE_FIELDS: &[&str] = &["title", "summary", "order", "draft", "body", "keywords"];

/// Where an imported entry came from (`source:`), written by the import.
#[derive(Debug, Clone, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportSource {
    /// The list's name (`公共施設一覧`, or `--dataset`).
    pub dataset: String,
    /// The row's stable key: the list's ID, after the municipality code.
    pub key: String,
    /// Field → hash of the value as last imported; a field whose value no
    /// longer has this hash was changed by an editor and is left alone.
    #[serde(default)]
    pub imported: std::collections::BTreeMap<String, String>,
}

/// WGS84 coordinates in degrees.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Geo {
    pub lat: f64,
    pub lon: f64,
}

/// `phone: 054-...` or `phone: [054-..., 0120-...]`.
///
/// Deserialized by hand rather than `#[serde(untagged)]`, which would
/// replace the inner error (and its line) with "did not match any variant".
#[derive(Debug, Clone)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(t) => std::slice::from_ref(t),
            OneOrMany::Many(v) => v,
        }
    }
}

/// `online: true` or `online: https://…` (the meeting link).
#[derive(Debug, Clone)]
pub enum Online {
    Flag(bool),
    Url(HttpUrl),
}

/// `registration`: a sentence (「電話で前日まで」) or a form URL.
#[derive(Debug, Clone)]
pub enum Registration {
    Url(HttpUrl),
    Text(String),
}

impl<'de> Deserialize<'de> for Registration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::from_str_with(d, "a sentence or an https:// link", |s| {
            let looks_like_url =
                s.contains("://") || s.starts_with("javascript:") || s.starts_with("data:");
            if looks_like_url {
                HttpUrl::parse(s).map(Registration::Url)
            } else {
                Ok(Registration::Text(s.to_string()))
            }
        })
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{I64Deserializer, StrDeserializer, U64Deserializer};
        use std::marker::PhantomData;
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("one value or a list of values")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
                T::deserialize(StrDeserializer::<E>::new(s)).map(OneOrMany::One)
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Self::Value, E> {
                T::deserialize(U64Deserializer::<E>::new(n)).map(OneOrMany::One)
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Self::Value, E> {
                T::deserialize(I64Deserializer::<E>::new(n)).map(OneOrMany::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(OneOrMany::Many(items))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<'de> Deserialize<'de> for Online {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Online;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false or an https:// link")
            }
            fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Online, E> {
                Ok(Online::Flag(b))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Online, E> {
                HttpUrl::parse(s).map(Online::Url).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for OneOrMany<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("OneOrMany_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let one = generator.subschema_for::<T>();
        schemars::json_schema!({ "anyOf": [one, { "type": "array", "items": one }] })
    }
}

impl schemars::JsonSchema for Online {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Online".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "true (online) or the meeting link",
            "anyOf": [{ "type": "boolean" }, { "type": "string", "pattern": "^https?://" }]
        })
    }
}

impl schemars::JsonSchema for Registration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Registration".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "how to apply, in words, or an https:// form link",
            "type": "string",
            "not": { "pattern": "^(javascript|data|vbscript):" }
        })
    }
}
