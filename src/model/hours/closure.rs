//! Closed days: the exceptions to the weekly and monthly opening rules.
//!
//! Opening rules (`hours:`) say when a place is open in an ordinary week;
//! `closed:` lists the days it is not, whatever the rules say. A closure
//! always covers whole days in the site's timezone. Every consumer — the
//! page's 「受付中」 badge and next opening (`opening.js`, through the
//! `data-hours` JSON), the hours text, JSON-LD and the open-data export —
//! reads closures through this module, so they all agree.
//!
//! ```yaml
//! closed:
//!   - 年末年始                 # or year_end: site.toml [closures] year_end (default 12-29..01-03)
//!   - お盆                     # or obon: site.toml [closures] obon (default 08-13..08-16)
//!   - 月末日                   # or month_end: the last day of every month
//!   - 祝日の翌日               # or day_after_holiday: a day after a holiday that is not one itself
//!   - {weekday: tue, nth: 3}   # 第3火曜 (nth -1: the last one of the month)
//!   - {holiday_moves: mon}     # 月曜が祝日なら開いて、翌平日(次の祝日でない日)が休み
//!   - {yearly: "06-01", note: 創立記念日}          # a named date, every year
//!   - {yearly: "08-13", to: "08-16"}               # a span every year (may cross the new year)
//!   - {date: 2027-01-15, note: 臨時休館(設備点検)} # one day
//!   - {date: 2027-02-01, to: 2027-02-05, note: 臨時休館}  # a run of days
//!   - {name: 年末年始, note: 12月28日は午前のみ}  # a named closure with a note
//! ```

use super::Weekday;
use crate::model::Date;
use jiff::civil::Date as CivilDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A day of the year, `MM-DD` (02-29 is allowed and only matches leap years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    month: i8,
    day: i8,
}

impl MonthDay {
    pub fn new(month: i8, day: i8) -> Result<MonthDay, String> {
        // 2024 is a leap year, so 02-29 passes.
        CivilDate::new(2024, month, day)
            .map(|_| MonthDay { month, day })
            .map_err(|_| {
                format!("{month:02}-{day:02} is not a day of the year (check the month and day)")
            })
    }

    /// `"12-29"` (also `12/29`, full-width digits).
    pub fn parse(s: &str) -> Result<MonthDay, String> {
        let t: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '/' | '／' | '－' => '-',
                c => c,
            })
            .collect();
        let bad =
            || format!("`{s}` is not a day of the year: write MM-DD in quotes, e.g. \"12-29\"");
        let (m, d) = t.split_once('-').ok_or_else(bad)?;
        let ok = |p: &str| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit());
        if !ok(m) || !ok(d) {
            return Err(bad());
        }
        MonthDay::new(m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?)
    }

    pub fn month(self) -> i8 {
        self.month
    }
    pub fn day(self) -> i8 {
        self.day
    }

    fn of(d: CivilDate) -> MonthDay {
        MonthDay {
            month: d.month(),
            day: d.day(),
        }
    }

    /// 「12月29日」.
    pub fn japanese(self) -> String {
        format!("{}月{}日", self.month, self.day)
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::model::from_str_with(d, "a day of the year such as \"12-29\"", MonthDay::parse)
    }
}

impl Serialize for MonthDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

crate::model::string_schema!(
    MonthDay,
    "MonthDay",
    "^[0-9]{1,2}-[0-9]{1,2}$",
    "a day of every year, MM-DD, e.g. \"12-29\""
);

/// A span of days every year, `from` to `to` inclusive; when `to` is
/// before `from` the span crosses the new year (12-29..01-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearlySpan {
    pub from: MonthDay,
    pub to: MonthDay,
}

impl YearlySpan {
    /// `"12-29..01-03"`, or one day `"06-01"`.
    pub fn parse(s: &str) -> Result<YearlySpan, String> {
        match s.split_once("..") {
            Some((a, b)) => Ok(YearlySpan {
                from: MonthDay::parse(a)?,
                to: MonthDay::parse(b)?,
            }),
            None => {
                let d = MonthDay::parse(s)
                    .map_err(|e| format!("{e}; a span is written \"12-29..01-03\""))?;
                Ok(YearlySpan { from: d, to: d })
            }
        }
    }

    pub fn contains(&self, d: CivilDate) -> bool {
        let md = MonthDay::of(d);
        if self.from <= self.to {
            self.from <= md && md <= self.to
        } else {
            md >= self.from || md <= self.to
        }
    }

    /// 「12月29日〜1月3日」 or 「6月1日」.
    pub fn japanese(&self) -> String {
        if self.from == self.to {
            self.from.japanese()
        } else {
            format!("{}〜{}", self.from.japanese(), self.to.japanese())
        }
    }
}

impl fmt::Display for YearlySpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.from, self.to)
    }
}

impl<'de> Deserialize<'de> for YearlySpan {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::model::from_str_with(
            d,
            "a span of days such as \"12-29..01-03\"",
            YearlySpan::parse,
        )
    }
}

/// The spans the named closures stand for, set once per portal
/// (site.toml `[closures]`), because 年末年始 is not the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedSpans {
    pub year_end: YearlySpan,
    pub obon: YearlySpan,
}

impl Default for NamedSpans {
    fn default() -> NamedSpans {
        NamedSpans {
            year_end: YearlySpan {
                from: MonthDay { month: 12, day: 29 },
                to: MonthDay { month: 1, day: 3 },
            },
            obon: YearlySpan {
                from: MonthDay { month: 8, day: 13 },
                to: MonthDay { month: 8, day: 16 },
            },
        }
    }
}

/// One closure rule (see the module docs for how each is written).
#[derive(Debug, Clone, PartialEq)]
pub enum Closure {
    /// 年末年始: the portal's `year_end` span.
    YearEnd { note: Option<String> },
    /// お盆: the portal's `obon` span.
    Obon { note: Option<String> },
    /// 月末日: the last day of every month.
    MonthEnd { note: Option<String> },
    /// 祝日の翌日: a day that follows a national holiday and is not one.
    DayAfterHoliday { note: Option<String> },
    /// 第N曜日 (nth -1: the last one of the month).
    Monthly {
        weekday: Weekday,
        nth: i8,
        note: Option<String>,
    },
    /// 「(weekday)が祝日の場合は翌平日」: when `weekday` is a holiday the
    /// place opens (as its `hol` rules say) and is closed on the next day
    /// that is not a holiday instead.
    HolidayMoves {
        weekday: Weekday,
        note: Option<String>,
    },
    /// A named day or span every year (創立記念日, 夏季休館).
    Yearly {
        span: YearlySpan,
        note: Option<String>,
    },
    /// One-off dates, `from` to `to` inclusive (臨時休館).
    Dates {
        from: Date,
        to: Date,
        note: Option<String>,
    },
}

/// The named closures, as a string entry in `closed:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    YearEnd,
    Obon,
    MonthEnd,
    DayAfterHoliday,
}

const NAMES: [(&str, &str, Named); 4] = [
    ("year_end", "年末年始", Named::YearEnd),
    ("obon", "お盆", Named::Obon),
    ("month_end", "月末日", Named::MonthEnd),
    ("day_after_holiday", "祝日の翌日", Named::DayAfterHoliday),
];

/// A closure written as a mapping, before we know its shape.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawClosure {
    /// A one-off day (YYYY-MM-DD); with `to`, the first of a run of days.
    date: Option<Date>,
    /// The last day of `date` (YYYY-MM-DD) or of `yearly` (MM-DD), inclusive.
    to: Option<String>,
    /// A day every year (MM-DD); with `to`, the first of a span.
    yearly: Option<MonthDay>,
    /// With `nth`: 第N曜日.
    weekday: Option<Weekday>,
    nth: Option<i8>,
    /// The weekly closed day that moves to the next non-holiday when it is a holiday.
    holiday_moves: Option<Weekday>,
    /// 臨時休館(設備点検), 創立記念日 …: shown with the closure.
    note: Option<String>,
    /// Named closures may carry a note too: `{name: 年末年始, note: …}`.
    name: Option<String>,
}

impl schemars::JsonSchema for Closure {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Closure".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let raw = RawClosure::json_schema(generator);
        schemars::json_schema!({
            "description": "年末年始 / お盆 / 月末日 (or year_end, obon, month_end), {weekday: tue, nth: 3}, {holiday_moves: mon}, {yearly: \"06-01\"}, {yearly: \"08-13\", to: \"08-16\"}, {date: 2027-01-15, note: 臨時休館}, {date: 2027-02-01, to: 2027-02-05}",
            "anyOf": [
                { "type": "string", "enum": ["年末年始", "お盆", "月末日", "祝日の翌日", "year_end", "obon", "month_end", "day_after_holiday"] },
                raw
            ]
        })
    }
}

fn named(s: &str) -> Result<Named, String> {
    let t = s.trim();
    NAMES
        .iter()
        .find(|(en, ja, _)| t == *en || t == *ja)
        .map(|(_, _, n)| *n)
        .ok_or_else(|| {
            format!(
                "`{s}` is not a closure: write 年末年始, お盆, 月末日 or 祝日の翌日, or a mapping such as {{date: 2027-01-15, note: 臨時休館}}, {{yearly: \"06-01\"}}, {{weekday: tue, nth: 3}} or {{holiday_moves: mon}}"
            )
        })
}

fn from_named(n: Named, note: Option<String>) -> Closure {
    match n {
        Named::YearEnd => Closure::YearEnd { note },
        Named::Obon => Closure::Obon { note },
        Named::MonthEnd => Closure::MonthEnd { note },
        Named::DayAfterHoliday => Closure::DayAfterHoliday { note },
    }
}

impl RawClosure {
    fn into_closure(self) -> Result<Closure, String> {
        let r = self;
        let shapes = [
            r.date.is_some(),
            r.yearly.is_some(),
            r.weekday.is_some() || r.nth.is_some(),
            r.holiday_moves.is_some(),
            r.name.is_some(),
        ];
        if shapes.iter().filter(|s| **s).count() != 1 {
            return Err("a closure has exactly one of `date` (one-off days), `yearly` (every year), `weekday` + `nth` (第N曜日), `holiday_moves` or `name` (年末年始, お盆, 月末日)".into());
        }
        if r.to.is_some() && r.date.is_none() && r.yearly.is_none() {
            return Err("`to` ends a `date` or `yearly` span; write it with one of them".into());
        }
        if let Some(name) = r.name {
            return Ok(from_named(named(&name)?, r.note));
        }
        if let Some(from) = r.date {
            let to = match r.to.as_deref() {
                None => from,
                Some(t) => Date::parse(t).map_err(|e| format!("`to`: {e}"))?,
            };
            if to < from {
                return Err(format!("`to` ({to}) is before `date` ({from})"));
            }
            return Ok(Closure::Dates {
                from,
                to,
                note: r.note,
            });
        }
        if let Some(from) = r.yearly {
            let to = match r.to.as_deref() {
                None => from,
                Some(t) => MonthDay::parse(t).map_err(|e| format!("`to`: {e}"))?,
            };
            return Ok(Closure::Yearly {
                span: YearlySpan { from, to },
                note: r.note,
            });
        }
        if let Some(weekday) = r.holiday_moves {
            return Ok(Closure::HolidayMoves {
                weekday,
                note: r.note,
            });
        }
        match (r.weekday, r.nth) {
            (Some(weekday), Some(nth)) if (1..=5).contains(&nth) || nth == -1 => {
                Ok(Closure::Monthly { weekday, nth, note: r.note })
            }
            (Some(_), Some(nth)) => Err(format!(
                "`nth: {nth}` is not possible: use 1 to 5 (第1〜第5) or -1 (the last in the month)"
            )),
            (Some(_), None) => Err("a 第N曜日 closure needs `nth` (1–5, or -1 for the last): e.g. {weekday: tue, nth: 3}; a weekly closed day is a day the `hours` rules leave out".into()),
            _ => Err("`nth` needs a `weekday`: e.g. {weekday: tue, nth: 3}".into()),
        }
    }
}

impl<'de> Deserialize<'de> for Closure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Closure;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("年末年始, お盆, 月末日, or a mapping such as {date: 2027-01-15, note: 臨時休館}")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Closure, E> {
                named(s).map(|n| from_named(n, None)).map_err(E::custom)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Closure, A::Error> {
                use serde::de::Error;
                let raw =
                    RawClosure::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                raw.into_closure().map_err(A::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Whether a date is a national holiday (the 祝日法's days off).
fn is_holiday(d: CivilDate) -> bool {
    crate::holidays::holiday_name(d).is_some()
}

fn nth_matches(d: CivilDate, weekday: Weekday, nth: i8) -> bool {
    if d.weekday().to_monday_zero_offset() as usize != weekday.index() {
        return false;
    }
    if nth == -1 {
        d.day() + 7 > d.days_in_month()
    } else {
        (d.day() - 1) / 7 + 1 == nth
    }
}

impl Closure {
    pub fn note(&self) -> Option<&str> {
        match self {
            Closure::YearEnd { note }
            | Closure::Obon { note }
            | Closure::MonthEnd { note }
            | Closure::DayAfterHoliday { note }
            | Closure::Monthly { note, .. }
            | Closure::HolidayMoves { note, .. }
            | Closure::Yearly { note, .. }
            | Closure::Dates { note, .. } => note.as_deref(),
        }
    }

    /// Whether the place is closed all of `d` by this rule.
    pub fn covers(&self, spans: &NamedSpans, d: CivilDate) -> bool {
        match self {
            Closure::YearEnd { .. } => spans.year_end.contains(d),
            Closure::Obon { .. } => spans.obon.contains(d),
            Closure::MonthEnd { .. } => d.day() == d.days_in_month(),
            Closure::DayAfterHoliday { .. } => {
                !is_holiday(d) && d.yesterday().is_ok_and(is_holiday)
            }
            Closure::Monthly { weekday, nth, .. } => nth_matches(d, *weekday, *nth),
            Closure::Yearly { span, .. } => span.contains(d),
            Closure::Dates { from, to, .. } => from.0 <= d && d <= to.0,
            Closure::HolidayMoves { weekday, .. } => {
                if is_holiday(d) {
                    return false;
                }
                // Walk back over the holidays just before `d`: if one of
                // them is the closed weekday, its closure lands on `d`.
                let mut p = d;
                for _ in 0..10 {
                    let Ok(prev) = p.yesterday() else {
                        return false;
                    };
                    if !is_holiday(prev) {
                        return false;
                    }
                    if prev.weekday().to_monday_zero_offset() as usize == weekday.index() {
                        return true;
                    }
                    p = prev;
                }
                false
            }
        }
    }

    /// Whether the rule no longer closes any day on or after `today`
    /// (a past 臨時休館): left out of the page and the exports.
    pub fn is_past(&self, today: CivilDate) -> bool {
        matches!(self, Closure::Dates { to, .. } if to.0 < today)
    }

    /// The closure in plain Japanese, without its note: 「年末年始(12月29日〜1月3日)」,
    /// 「第3火曜」, 「月曜が祝日の場合は翌平日」, 「2027年1月15日」.
    pub fn japanese(&self, spans: &NamedSpans) -> String {
        match self {
            Closure::YearEnd { .. } => format!("年末年始({})", spans.year_end.japanese()),
            Closure::Obon { .. } => format!("お盆({})", spans.obon.japanese()),
            Closure::MonthEnd { .. } => "月末日".into(),
            Closure::DayAfterHoliday { .. } => "祝日の翌日".into(),
            Closure::Monthly { weekday, nth, .. } => {
                if *nth == -1 {
                    format!("最終{}曜", weekday.japanese())
                } else {
                    format!("第{nth}{}曜", weekday.japanese())
                }
            }
            Closure::HolidayMoves { weekday, .. } => {
                format!("{}曜が祝日の場合は翌平日", weekday.japanese())
            }
            Closure::Yearly { span, .. } => format!("毎年{}", span.japanese()),
            Closure::Dates { from, to, .. } => {
                let ja = |d: &Date| format!("{}年{}月{}日", d.0.year(), d.0.month(), d.0.day());
                if from == to {
                    ja(from)
                } else if from.0.year() == to.0.year() {
                    format!("{}〜{}月{}日", ja(from), to.0.month(), to.0.day())
                } else {
                    format!("{}〜{}", ja(from), ja(to))
                }
            }
        }
    }

    /// The short label `opening.js` shows for a closed day: the note when
    /// there is one (臨時休館), else the closure's name (年末年始, 月末日).
    pub fn label(&self) -> String {
        if let Some(n) = self.note() {
            return n.to_string();
        }
        match self {
            Closure::YearEnd { .. } => "年末年始".into(),
            Closure::Obon { .. } => "お盆".into(),
            Closure::MonthEnd { .. } => "月末日".into(),
            Closure::DayAfterHoliday { .. } => "祝日の翌日".into(),
            Closure::Monthly { .. }
            | Closure::HolidayMoves { .. }
            | Closure::Yearly { .. }
            | Closure::Dates { .. } => "休館日".into(),
        }
    }

    /// The closure in the `data-hours` JSON (see opening.js's header):
    /// named spans are resolved here, so the script needs no settings.
    pub fn to_json(&self, spans: &NamedSpans) -> serde_json::Value {
        use serde_json::json;
        const KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let yearly = |s: &YearlySpan| json!({"yearly": s.from.to_string(), "to": s.to.to_string()});
        let mut v = match self {
            Closure::YearEnd { .. } => yearly(&spans.year_end),
            Closure::Obon { .. } => yearly(&spans.obon),
            Closure::Yearly { span, .. } => yearly(span),
            Closure::MonthEnd { .. } => json!({"month_end": true}),
            Closure::DayAfterHoliday { .. } => json!({"after_holiday": true}),
            Closure::Monthly { weekday, nth, .. } => {
                json!({"weekday": KEYS[weekday.index()], "nth": nth})
            }
            Closure::HolidayMoves { weekday, .. } => {
                json!({"holiday_moves": KEYS[weekday.index()]})
            }
            Closure::Dates { from, to, .. } => {
                json!({"date": from.to_string(), "to": to.to_string()})
            }
        };
        if let Some(m) = v.as_object_mut() {
            m.insert("label".into(), self.label().into());
        }
        v
    }
}

/// Whether any of `closures` closes `d`, and the first that does.
pub fn closing<'a>(
    closures: &'a [Closure],
    spans: &NamedSpans,
    d: CivilDate,
) -> Option<&'a Closure> {
    closures.iter().find(|c| c.covers(spans, d))
}

/// The runs of closed days from `from` to `to` inclusive, in order, each
/// `(first, last)`: what JSON-LD writes as special opening hours.
pub fn closed_runs(
    closures: &[Closure],
    spans: &NamedSpans,
    from: CivilDate,
    to: CivilDate,
) -> Vec<(CivilDate, CivilDate)> {
    let mut out: Vec<(CivilDate, CivilDate)> = Vec::new();
    let mut d = from;
    while d <= to {
        if closing(closures, spans, d).is_some() {
            match out.last_mut() {
                Some((_, last)) if last.tomorrow().ok() == Some(d) => *last = d,
                _ => out.push((d, d)),
            }
        }
        let Ok(next) = d.tomorrow() else { break };
        d = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Vec<Closure>, String> {
        serde_yaml::from_str(yaml).map_err(|e| e.to_string())
    }

    fn day(s: &str) -> CivilDate {
        s.parse().unwrap()
    }

    #[test]
    fn every_form_reads() {
        let c = parse(
            "- 年末年始\n- obon\n- 月末日\n- {weekday: tue, nth: 3}\n- {holiday_moves: mon}\n- {yearly: '06-01', note: 創立記念日}\n- {yearly: '08-13', to: '08-16'}\n- {date: 2027-01-15, note: 臨時休館}\n- {date: 2027-02-01, to: 2027-02-05}\n- {name: 年末年始, note: 12月28日は午前のみ}",
        )
        .unwrap();
        assert_eq!(c.len(), 10);
        assert_eq!(c[0], Closure::YearEnd { note: None });
        assert!(matches!(
            c[3],
            Closure::Monthly {
                weekday: Weekday::Tue,
                nth: 3,
                ..
            }
        ));
        assert!(matches!(c[9], Closure::YearEnd { note: Some(_) }));
    }

    #[test]
    fn refuses_nonsense_with_a_way_out() {
        let e = parse("- 年末").unwrap_err();
        assert!(e.contains("年末年始, お盆, 月末日 or 祝日の翌日"), "{e}");
        let e = parse("- {date: 2027-02-05, to: 2027-02-01}").unwrap_err();
        assert!(e.contains("is before"), "{e}");
        let e = parse("- {weekday: tue}").unwrap_err();
        assert!(e.contains("needs `nth`"), "{e}");
        let e = parse("- {yearly: '13-01'}").unwrap_err();
        assert!(e.contains("not a day of the year"), "{e}");
        let e = parse("- {date: 2027-01-15, yearly: '01-15'}").unwrap_err();
        assert!(e.contains("exactly one"), "{e}");
        let e = parse("- {dates: 2027-01-15}").unwrap_err();
        assert!(e.contains("unknown field"), "{e}");
    }

    #[test]
    fn which_days_are_closed() {
        let spans = NamedSpans::default();
        let year_end = Closure::YearEnd { note: None };
        assert!(!year_end.covers(&spans, day("2026-12-28")));
        assert!(year_end.covers(&spans, day("2026-12-29")));
        assert!(year_end.covers(&spans, day("2027-01-03")));
        assert!(!year_end.covers(&spans, day("2027-01-04")));
        let month_end = Closure::MonthEnd { note: None };
        assert!(month_end.covers(&spans, day("2028-02-29")));
        assert!(!month_end.covers(&spans, day("2028-02-28")));
        let third_tue = Closure::Monthly {
            weekday: Weekday::Tue,
            nth: 3,
            note: None,
        };
        assert!(third_tue.covers(&spans, day("2026-12-15")));
        assert!(!third_tue.covers(&spans, day("2026-12-08")));
        // 2026-09-21 (Mon) 敬老の日, 9-22 国民の休日, 9-23 秋分の日: a Monday
        // closure moves to Thursday 9-24.
        let after = Closure::DayAfterHoliday { note: None };
        assert!(after.covers(&spans, day("2026-09-24")), "after 秋分の日");
        assert!(!after.covers(&spans, day("2026-09-22")), "a holiday itself");
        assert!(!after.covers(&spans, day("2026-09-25")));
        let moves = Closure::HolidayMoves {
            weekday: Weekday::Mon,
            note: None,
        };
        assert!(moves.covers(&spans, day("2026-09-24")));
        assert!(!moves.covers(&spans, day("2026-09-22")));
        assert!(!moves.covers(&spans, day("2026-09-29")));
        // 2027-01-11 成人の日 (Mon) → Tuesday 1-12.
        assert!(moves.covers(&spans, day("2027-01-12")));
        let runs = closed_runs(
            &[
                year_end,
                Closure::Dates {
                    from: Date(day("2027-01-15")),
                    to: Date(day("2027-01-15")),
                    note: None,
                },
            ],
            &spans,
            day("2026-12-01"),
            day("2027-01-31"),
        );
        assert_eq!(
            runs,
            [
                (day("2026-12-29"), day("2027-01-03")),
                (day("2027-01-15"), day("2027-01-15"))
            ]
        );
    }

    #[test]
    fn plain_japanese() {
        let spans = NamedSpans::default();
        let c =
            parse("- 年末年始\n- {date: 2027-02-01, to: 2027-02-05}\n- {weekday: tue, nth: -1}")
                .unwrap();
        let ja: Vec<String> = c.iter().map(|c| c.japanese(&spans)).collect();
        assert_eq!(
            ja,
            [
                "年末年始(12月29日〜1月3日)",
                "2027年2月1日〜2月5日",
                "最終火曜"
            ]
        );
    }
}
