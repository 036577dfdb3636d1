//! One entry file: YAML → [`EntryFields`] ([`parse`]), then the rules of
//! its kind ([`rules`]). Reads nothing from disk and prints nothing: the
//! loaded text comes in, typed fields and diagnostics go out.

mod parse;
mod rules;

pub use parse::parse_fields;
pub use rules::{check_fields, SUMMARY_MAX_CHARS};
