//! The `data-hours` JSON that themes/hiroshima/static/opening.js reads
//! for 「受付中」 and 「次の受付」; its header documents the format:
//!
//! ```json
//! {"tz": "Asia/Tokyo", "status": "open",
//!  "rules": [{"days": ["mon", "fri"], "open": "15:00", "close": "21:00"},
//!            {"weekday": "thu", "nth": 3, "open": "13:30", "close": "16:30"}],
//!  "closed": [{"yearly": "12-29", "to": "01-03", "label": "年末年始"},
//!             {"date": "2027-01-15", "to": "2027-01-15", "label": "臨時休館"}]}
//! ```
//!
//! `closed` is new and optional: a page built before it still works, and
//! a script that does not know it still shows the weekly hours.

use super::closure::{Closure, NamedSpans};
use super::HoursRule;

const KEYS: [&str; 8] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol"];

/// `09:00` (zero-padded).
fn hhmm(t: super::TimeOfDay) -> String {
    format!("{:02}:{:02}", t.minutes() / 60, t.minutes() % 60)
}

/// The attribute's value; `None` without hours. Closures that ended
/// before `today` are left out. Put it in an attribute through the
/// template's escaping.
pub fn data_hours(
    rules: &[HoursRule],
    closures: &[Closure],
    status: crate::model::Status,
    timezone: &str,
    spans: &NamedSpans,
    today: jiff::civil::Date,
) -> Option<String> {
    use serde_json::json;
    if rules.is_empty() {
        return None;
    }
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| match r {
            HoursRule::Weekly {
                days, open, close, ..
            } => json!({
                "days": days.iter().map(|d| KEYS[*d as usize]).collect::<Vec<_>>(),
                "open": hhmm(*open),
                "close": hhmm(*close),
            }),
            HoursRule::Monthly {
                weekday,
                nth,
                open,
                close,
                ..
            } => json!({
                "weekday": KEYS[weekday.index()],
                "nth": nth,
                "open": hhmm(*open),
                "close": hhmm(*close),
            }),
        })
        .collect();
    let status = match status {
        crate::model::Status::Open => "open",
        crate::model::Status::Paused => "paused",
        crate::model::Status::Closed => "closed",
    };
    let closed: Vec<serde_json::Value> = closures
        .iter()
        .filter(|c| !c.is_past(today))
        .map(|c| c.to_json(spans))
        .collect();
    let mut v = json!({"tz": timezone, "status": status, "rules": rules});
    if !closed.is_empty() {
        v["closed"] = closed.into();
    }
    Some(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attribute() {
        let rules: Vec<HoursRule> = serde_yaml::from_str(
            "- {days: [mon, fri, hol], open: '9:00', close: '17:00'}\n- {weekday: fri, nth: -1, open: '18:00', close: '20:00'}",
        )
        .unwrap();
        let closed: Vec<Closure> = serde_yaml::from_str(
            "- 年末年始\n- {date: 2026-01-05, note: 臨時休館}\n- {date: 2027-01-15, note: 臨時休館}\n- {holiday_moves: mon}",
        )
        .unwrap();
        let today = jiff::civil::date(2026, 12, 1);
        let json = data_hours(
            &rules,
            &closed,
            crate::model::Status::Paused,
            "Asia/Tokyo",
            &NamedSpans::default(),
            today,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"tz": "Asia/Tokyo", "status": "paused", "rules": [
                {"days": ["mon", "fri", "hol"], "open": "09:00", "close": "17:00"},
                {"weekday": "fri", "nth": -1, "open": "18:00", "close": "20:00"}
            ], "closed": [
                {"yearly": "12-29", "to": "01-03", "label": "年末年始"},
                {"date": "2027-01-15", "to": "2027-01-15", "label": "臨時休館"},
                {"holiday_moves": "mon", "label": "休館日"}
            ]})
        );
        let none = data_hours(
            &rules,
            &[],
            crate::model::Status::Open,
            "Asia/Tokyo",
            &NamedSpans::default(),
            today,
        )
        .unwrap();
        assert!(!none.contains("closed"), "no closures, no key: {none}");
    }
}
