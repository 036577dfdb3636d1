//! Writing an entry file: front matter in the order of the content
//! contract, values as YAML scalars that read back as the same string.

use super::row::Converter;
use crate::model::hours::closure::Closure;
use crate::model::{HoursRule, Kind};
use crate::opendata::schedule;
use std::collections::BTreeMap;

impl Converter<'_> {
    /// The entry file: front matter in the order of the content contract.
    pub(super) fn yaml(
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
        if !d.aliases.is_empty() {
            kv("aliases", list(&d.aliases))
        }
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
        if !d.closed.is_empty() {
            let mut block = String::new();
            for c in &d.closed {
                block.push_str("\n  - ");
                block.push_str(&closure_yaml(c));
            }
            kv("closed", block);
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
        let notes = d.notes.join("\n");
        if !notes.trim().is_empty() {
            kv("notes", scalar(notes.trim()))
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

/// One `closed:` item as the hours model reads it back.
fn closure_yaml(c: &Closure) -> String {
    let with_note = |base: String, note: &Option<String>| match note {
        Some(n) => format!("{{{base}, note: {}}}", scalar(n)),
        None => format!("{{{base}}}"),
    };
    let named = |name: &str, note: &Option<String>| match note {
        Some(n) => format!("{{name: {name}, note: {}}}", scalar(n)),
        None => name.to_string(),
    };
    match c {
        Closure::YearEnd { note } => named("年末年始", note),
        Closure::Obon { note } => named("お盆", note),
        Closure::MonthEnd { note } => named("月末日", note),
        Closure::DayAfterHoliday { note } => named("祝日の翌日", note),
        Closure::Monthly { weekday, nth, note } => with_note(
            format!("weekday: {}, nth: {nth}", DAY_NAMES[weekday.index()]),
            note,
        ),
        Closure::HolidayMoves { weekday, note } => with_note(
            format!("holiday_moves: {}", DAY_NAMES[weekday.index()]),
            note,
        ),
        Closure::Yearly { span, note } if span.from == span.to => {
            with_note(format!("yearly: \"{}\"", span.from), note)
        }
        Closure::Yearly { span, note } => with_note(
            format!("yearly: \"{}\", to: \"{}\"", span.from, span.to),
            note,
        ),
        Closure::Dates { from, to, note } if from == to => with_note(format!("date: {from}"), note),
        Closure::Dates { from, to, note } => with_note(format!("date: {from}, to: {to}"), note),
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
}
