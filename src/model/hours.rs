//! Opening-hours rules and their plain-Japanese rendering.

use serde::{Deserialize, Serialize};
use std::fmt;

pub mod closure;
pub mod text;
pub mod wire;

/// A day of the week.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    pub fn japanese(self) -> &'static str {
        ["月", "火", "水", "木", "金", "土", "日"][self as usize]
    }

    /// Index from Monday = 0.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A day in a weekly rule: a weekday, or `hol` for national holidays.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
    Hol,
}

impl Day {
    pub fn weekday(self) -> Option<Weekday> {
        Weekday::ALL.get(self as usize).copied()
    }
}

/// A time of day, `HH:MM`, from 00:00 to 24:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TimeOfDay {
    /// Minutes since midnight (0..=1440).
    minutes: u16,
}

impl TimeOfDay {
    pub fn parse(s: &str) -> Result<TimeOfDay, String> {
        let bad = || format!("`{s}` is not a time: write 24-hour HH:MM in quotes, e.g. \"13:30\"");
        let normalized: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '：' => ':',
                c => c,
            })
            .collect();
        let (h, m) = normalized.split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if m >= 60 || h > 24 || (h == 24 && m != 0) {
            return Err(format!(
                "`{s}` is not a time of day: hours 0–24, minutes 0–59"
            ));
        }
        Ok(TimeOfDay {
            minutes: h * 60 + m,
        })
    }

    pub fn minutes(self) -> u16 {
        self.minutes
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = TimeOfDay;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a time such as \"13:30\"")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<TimeOfDay, E> {
                TimeOfDay::parse(s).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<TimeOfDay, E> {
                Err(E::custom(format!(
                    "`{n}` is not a time: write HH:MM in quotes, e.g. \"{n}:00\""
                )))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<TimeOfDay, E> {
                self.visit_u64(n.unsigned_abs())
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<TimeOfDay, E> {
                Err(E::custom(format!(
                    "`{n}` is not a time: write HH:MM with a colon in quotes, e.g. \"13:30\""
                )))
            }
        }
        d.deserialize_any(V)
    }
}

super::string_schema!(
    TimeOfDay,
    "TimeOfDay",
    "^([01]?[0-9]|2[0-4]):[0-5][0-9]$",
    "24-hour time, e.g. \"13:30\""
);

impl schemars::JsonSchema for HoursRule {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "HoursRule".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        RawRule::json_schema(generator)
    }
}

/// One opening-hours rule.
///
/// Weekly: `{days: [mon, fri], open: "15:00", close: "21:00"}`.
/// Monthly: `{weekday: thu, nth: 3, open: "13:30", close: "16:30"}`
/// (第3木曜; `nth: -1` is the last one of the month).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum HoursRule {
    Weekly {
        days: Vec<Day>,
        open: TimeOfDay,
        close: TimeOfDay,
        note: Option<String>,
    },
    Monthly {
        weekday: Weekday,
        nth: i8,
        open: TimeOfDay,
        close: TimeOfDay,
        note: Option<String>,
    },
}

/// The rule as written, before we know which shape it is.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "{days: [mon, fri], open: \"15:00\", close: \"21:00\"} or {weekday: thu, nth: 3, open: \"13:30\", close: \"16:30\"}"
)]
struct RawRule {
    days: Option<Vec<Day>>,
    weekday: Option<Weekday>,
    nth: Option<i8>,
    open: TimeOfDay,
    close: TimeOfDay,
    note: Option<String>,
}

impl<'de> Deserialize<'de> for HoursRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let r = RawRule::deserialize(d)?;
        if r.close <= r.open {
            return Err(D::Error::custom(format!(
                "close ({}) must be after open ({}); for hours past midnight write two rules",
                r.close, r.open
            )));
        }
        match (r.days, r.weekday, r.nth) {
            (Some(days), None, None) => {
                if days.is_empty() {
                    return Err(D::Error::custom("`days` is empty: list at least one of mon tue wed thu fri sat sun hol"));
                }
                Ok(HoursRule::Weekly { days, open: r.open, close: r.close, note: r.note })
            }
            (None, Some(weekday), Some(nth)) => {
                if !(1..=5).contains(&nth) && nth != -1 {
                    return Err(D::Error::custom(format!(
                        "`nth: {nth}` is not possible: use 1 to 5 (第1〜第5) or -1 (the last in the month)"
                    )));
                }
                Ok(HoursRule::Monthly { weekday, nth, open: r.open, close: r.close, note: r.note })
            }
            (None, Some(_), None) => Err(D::Error::custom(
                "a monthly rule needs `nth` (1–5, or -1 for the last): e.g. {weekday: thu, nth: 3, open: \"13:30\", close: \"16:30\"}",
            )),
            (Some(_), _, _) => Err(D::Error::custom(
                "a rule has either `days` (weekly) or `weekday` + `nth` (monthly), not both",
            )),
            (None, None, _) => Err(D::Error::custom(
                "a rule needs `days: [mon, ...]` (weekly) or `weekday` + `nth` (monthly)",
            )),
        }
    }
}

impl HoursRule {
    pub fn open(&self) -> TimeOfDay {
        match self {
            HoursRule::Weekly { open, .. } | HoursRule::Monthly { open, .. } => *open,
        }
    }
    pub fn close(&self) -> TimeOfDay {
        match self {
            HoursRule::Weekly { close, .. } | HoursRule::Monthly { close, .. } => *close,
        }
    }
    pub fn note(&self) -> Option<&str> {
        match self {
            HoursRule::Weekly { note, .. } | HoursRule::Monthly { note, .. } => note.as_deref(),
        }
    }

    /// The days in plain Japanese: 「月〜金」「月・金」「毎月第3木曜」「毎月最終金曜」.
    pub fn days_japanese(&self) -> String {
        match self {
            HoursRule::Weekly { days, .. } => days_japanese(days),
            HoursRule::Monthly { weekday, nth, .. } => {
                if *nth == -1 {
                    format!("毎月最終{}曜", weekday.japanese())
                } else {
                    format!("毎月第{nth}{}曜", weekday.japanese())
                }
            }
        }
    }

    /// The whole rule in plain Japanese: 「月・金 15:00〜21:00」.
    pub fn japanese(&self) -> String {
        format!("{} {}〜{}", self.days_japanese(), self.open(), self.close())
    }
}

/// Weekdays with runs of three or more joined by 〜 (月〜金), others by ・.
fn days_japanese(days: &[Day]) -> String {
    let mut sorted: Vec<Day> = days.to_vec();
    sorted.sort();
    sorted.dedup();
    let weekdays: Vec<usize> = sorted
        .iter()
        .filter_map(|d| d.weekday())
        .map(Weekday::index)
        .collect();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < weekdays.len() {
        let mut j = i;
        while j + 1 < weekdays.len() && weekdays[j + 1] == weekdays[j] + 1 {
            j += 1;
        }
        let name = |k: usize| Weekday::ALL[weekdays[k]].japanese();
        if j - i >= 2 {
            parts.push(format!("{}〜{}", name(i), name(j)));
        } else {
            for k in i..=j {
                parts.push(name(k).to_string());
            }
        }
        i = j + 1;
    }
    if sorted.contains(&Day::Hol) {
        parts.push("祝日".to_string());
    }
    parts.join("・")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(yaml: &str) -> Result<HoursRule, String> {
        serde_yaml::from_str(yaml).map_err(|e| e.to_string())
    }

    #[test]
    fn plain_japanese() {
        assert_eq!(
            rule("{days: [mon, fri], open: '15:00', close: '21:00'}")
                .unwrap()
                .japanese(),
            "月・金 15:00〜21:00"
        );
        assert_eq!(
            rule("{days: [fri, mon, tue, wed, thu], open: '9:00', close: '17:00'}")
                .unwrap()
                .japanese(),
            "月〜金 9:00〜17:00"
        );
        assert_eq!(
            rule("{days: [sat, hol], open: '10:00', close: '12:00'}")
                .unwrap()
                .japanese(),
            "土・祝日 10:00〜12:00"
        );
        assert_eq!(
            rule("{weekday: thu, nth: 3, open: '13:30', close: '16:30'}")
                .unwrap()
                .japanese(),
            "毎月第3木曜 13:30〜16:30"
        );
        assert_eq!(
            rule("{weekday: fri, nth: -1, open: '18:00', close: '20:00'}")
                .unwrap()
                .japanese(),
            "毎月最終金曜 18:00〜20:00"
        );
    }

    #[test]
    fn refuses_nonsense() {
        assert!(rule("{days: [mon], open: '25:00', close: '26:00'}")
            .unwrap_err()
            .contains("not a time of day"));
        assert!(rule("{days: [mon], open: '17:00', close: '09:00'}")
            .unwrap_err()
            .contains("must be after open"));
        assert!(
            rule("{weekday: thu, nth: 6, open: '13:30', close: '16:30'}")
                .unwrap_err()
                .contains("nth: 6")
        );
        assert!(rule("{weekday: thu, open: '13:30', close: '16:30'}")
            .unwrap_err()
            .contains("needs `nth`"));
        assert!(rule("{days: [funday], open: '13:30', close: '16:30'}").is_err());
    }
}
