//! Dates and event times.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let t = s.trim();
        let shape_ok = t.len() == 10
            && t.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shape_ok {
            return Err(format!(
                "`{s}` is not a date: write YYYY-MM-DD, e.g. 2026-04-01"
            ));
        }
        t.parse::<jiff::civil::Date>()
            .map(Date)
            .map_err(|_| format!("`{s}` is not a real date (check the month and day)"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::from_str_with(d, "a date such as 2026-04-01", Date::parse)
    }
}

super::string_schema!(
    Date,
    "Date",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "a date, YYYY-MM-DD"
);
super::string_schema!(
    EventTime,
    "EventTime",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$",
    "ISO 8601: 2026-12-05T13:30 (site timezone), 2026-12-05T13:30+09:00, or 2026-12-05 for all day"
);

/// When an event starts or ends: ISO 8601 with a time (`2026-12-05T13:30`),
/// optionally with an offset (`2026-12-05T13:30+09:00`), or a bare date for
/// an all-day event. Times without an offset are in the site's timezone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTime {
    Local(jiff::civil::DateTime),
    Exact(jiff::Timestamp),
    AllDay(jiff::civil::Date),
}

impl EventTime {
    pub fn parse(s: &str) -> Result<EventTime, String> {
        let t = s.trim();
        let err = || {
            format!("`{s}` is not a date and time: write ISO 8601, e.g. 2026-12-05T13:30 (or 2026-12-05 for an all-day event)")
        };
        if t.len() == 10 {
            return Date::parse(t)
                .map(|d| EventTime::AllDay(d.0))
                .map_err(|_| err());
        }
        let has_offset = t.ends_with('Z')
            || t.get(16..)
                .is_some_and(|rest| rest.contains('+') || rest.contains('-'));
        if has_offset {
            t.parse::<jiff::Timestamp>()
                .map(EventTime::Exact)
                .map_err(|_| err())
        } else {
            t.parse::<jiff::civil::DateTime>()
                .map(EventTime::Local)
                .map_err(|_| err())
        }
    }

    /// The instant, resolving local times in the site's timezone. All-day
    /// events start at midnight.
    pub fn to_zoned(self, tz: &jiff::tz::TimeZone) -> Result<jiff::Zoned, jiff::Error> {
        match self {
            EventTime::Local(dt) => dt.to_zoned(tz.clone()),
            EventTime::Exact(ts) => Ok(ts.to_zoned(tz.clone())),
            EventTime::AllDay(d) => d.to_zoned(tz.clone()),
        }
    }

    pub fn is_all_day(self) -> bool {
        matches!(self, EventTime::AllDay(_))
    }
}

impl<'de> Deserialize<'de> for EventTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::from_str_with(
            d,
            "a date and time such as 2026-12-05T13:30",
            EventTime::parse,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(Date::parse("2026-09-12").is_ok());
        assert!(Date::parse("2026-02-30")
            .unwrap_err()
            .contains("not a real date"));
        assert!(Date::parse("2026/09/12")
            .unwrap_err()
            .contains("YYYY-MM-DD"));
    }

    #[test]
    fn event_times() {
        assert!(matches!(
            EventTime::parse("2026-12-05T13:30"),
            Ok(EventTime::Local(_))
        ));
        assert!(matches!(
            EventTime::parse("2026-12-05T13:30:00+09:00"),
            Ok(EventTime::Exact(_))
        ));
        assert!(matches!(
            EventTime::parse("2026-12-05"),
            Ok(EventTime::AllDay(_))
        ));
        assert!(EventTime::parse("12/5 13:30").is_err());
        assert!(EventTime::parse("2026-12-05T25:30").is_err());
    }
}
