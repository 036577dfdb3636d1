//! The JSON Schema of an entry, generated from the same Rust types the
//! validator parses into (so it can never drift), with the portal's own
//! vocabulary filled in as enums so editors get completion.

use crate::config::Vocabulary;
use crate::model::EntryFields;
use serde_json::{json, Value};

/// File name `init` writes and scaffolded entries point at.
pub const SCHEMA_FILE: &str = "entry.schema.json";

/// The schema for `.yaml` entries and `.md` front matter. With a
/// vocabulary, `categories`, `audience`, `methods` and `area` only accept
/// its values.
pub fn entry_schema(vocabulary: Option<&Vocabulary>) -> Value {
    let mut schema = schemars::schema_for!(EntryFields).to_value();
    // YAML reads `keywords: [8050]` as a number, which the validator
    // accepts as the text "8050"; the schema must accept it too.
    if let Some(k) = schema.pointer_mut("/properties/keywords") {
        *k = json!({ "type": ["array", "null"], "items": { "type": ["string", "number"] } });
    }
    if let (Some(v), Some(props)) = (
        vocabulary,
        schema.get_mut("properties").and_then(Value::as_object_mut),
    ) {
        for (field, values) in [
            ("categories", &v.categories),
            ("audience", &v.audience),
            ("methods", &v.methods),
        ] {
            if let Some(p) = props.get_mut(field) {
                *p = json!({ "type": ["array", "null"], "items": { "enum": values } });
            }
        }
        if let Some(p) = props.get_mut("area") {
            *p = json!({ "type": ["string", "null"], "enum": v.areas.iter().map(|a| json!(a)).chain([Value::Null]).collect::<Vec<_>>() });
        }
    }
    schema
}

/// The schema as pretty JSON with a final newline (what `tsunagu schema` prints).
pub fn entry_schema_text(vocabulary: Option<&Vocabulary>) -> String {
    let mut text =
        serde_json::to_string_pretty(&entry_schema(vocabulary)).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}
