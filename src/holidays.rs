//! The national holidays of Japan (国民の祝日 and the days off the law
//! adds to them), computed by rule — no table to download or keep up to
//! date by hand.
//!
//! # Sources
//!
//! - 国民の祝日に関する法律 (昭和23年法律第178号, "the 祝日法") as amended,
//!   notably: 昭和41年法律第86号 (建国記念の日, 敬老の日, 体育の日),
//!   昭和48年法律第10号 (振替休日, from 1973-04-12), 昭和60年法律第103号
//!   (国民の休日: a day between two holidays, from 1985-12-27),
//!   平成元年法律第5号 (天皇誕生日 12/23, みどりの日 4/29),
//!   平成7年法律第22号 (海の日 7/20, from 1996), 平成10年法律第141号 and
//!   平成13年法律第59号 (the "Happy Monday" rule: 成人の日 and 体育の日 from
//!   2000, 海の日 and 敬老の日 from 2003), 平成17年法律第43号 (昭和の日 4/29,
//!   みどりの日 5/4, and 振替休日 on the next non-holiday, from 2007),
//!   平成26年法律第43号 (山の日 8/11, from 2016), 平成29年法律第63号 (天皇の
//!   退位等に関する皇室典範特例法: 天皇誕生日 2/23 from 2020), 平成30年
//!   法律第57号 (体育の日 → スポーツの日 from 2020), and the amendments of
//!   the 東京オリンピック競技大会・東京パラリンピック競技大会特別措置法
//!   promulgated in June 2018 and December 2020 (海の日・スポーツの日・山の日
//!   moved in 2020 and 2021).
//! - One-off holidays set by their own laws: 1989-02-24 (昭和天皇の大喪の礼),
//!   1990-11-12 (即位礼正殿の儀), 1993-06-09 (皇太子徳仁親王の結婚の儀), and
//!   2019-05-01 (天皇の即位の日) and 2019-10-22 (即位礼正殿の儀) by 平成30年
//!   法律第99号, which also made 4/30 and 5/2 of 2019 国民の休日.
//! - 春分の日 and 秋分の日 are fixed each February by the Cabinet Office from
//!   the 国立天文台's 暦要項 for the next year. This module uses the standard
//!   approximation valid for 1980–2099:
//!   `day = floor(20.8431 + 0.242194 × (Y − 1980) − floor((Y − 1980) / 4))`
//!   for March (春分) and `23.2488` instead of `20.8431` for September (秋分).
//!   It agrees with every published date from 1980 to the present; check the
//!   暦要項 if an official date ever differs.
//!
//! Years outside 1980–2099 have no holidays here ([`holidays`] returns an
//! empty list), because the equinox formula does not hold there.

use jiff::civil::{Date, Weekday};
use std::collections::BTreeMap;

/// The years this module computes.
pub const YEARS: std::ops::RangeInclusive<i16> = 1980..=2099;

/// Name of a 振替休日 (substitute holiday).
pub const SUBSTITUTE: &str = "振替休日";
/// Name of a 国民の休日 (a day sandwiched between two holidays).
pub const CITIZENS: &str = "国民の休日";

fn date(y: i16, m: i8, d: i8) -> Option<Date> {
    Date::new(y, m, d).ok()
}

/// The `nth` (1-based) Monday of a month.
fn nth_monday(y: i16, m: i8, nth: i8) -> Option<Date> {
    let first = date(y, m, 1)?;
    let offset = (7 + 1 - first.weekday().to_monday_one_offset()) % 7;
    date(y, m, 1 + offset + 7 * (nth - 1))
}

/// 春分日 (vernal equinox day, March) by the approximation formula.
pub fn vernal_equinox_day(y: i16) -> Option<Date> {
    equinox(y, 3, 20.8431)
}

/// 秋分日 (autumnal equinox day, September) by the approximation formula.
pub fn autumnal_equinox_day(y: i16) -> Option<Date> {
    equinox(y, 9, 23.2488)
}

fn equinox(y: i16, month: i8, base: f64) -> Option<Date> {
    if !YEARS.contains(&y) {
        return None;
    }
    let n = f64::from(y - 1980);
    let day = (base + 0.242194 * n - (n / 4.0).floor()).floor();
    date(y, month, day as i8)
}

/// The 国民の祝日 of a year (without 振替休日 and 国民の休日), by the law in
/// force in that year.
fn national_holidays(y: i16) -> Vec<(Date, &'static str)> {
    let mut out: Vec<(Option<Date>, &'static str)> = Vec::new();
    let mut add = |d: Option<Date>, name: &'static str| out.push((d, name));
    add(date(y, 1, 1), "元日");
    if y >= 2000 {
        add(nth_monday(y, 1, 2), "成人の日");
    } else {
        add(date(y, 1, 15), "成人の日");
    }
    add(date(y, 2, 11), "建国記念の日");
    if y >= 2020 {
        add(date(y, 2, 23), "天皇誕生日");
    }
    add(vernal_equinox_day(y), "春分の日");
    add(
        date(y, 4, 29),
        match y {
            ..=1988 => "天皇誕生日",
            1989..=2006 => "みどりの日",
            _ => "昭和の日",
        },
    );
    add(date(y, 5, 3), "憲法記念日");
    if y >= 2007 {
        add(date(y, 5, 4), "みどりの日");
    }
    add(date(y, 5, 5), "こどもの日");
    match y {
        2020 => add(date(y, 7, 23), "海の日"),
        2021 => add(date(y, 7, 22), "海の日"),
        2003.. => add(nth_monday(y, 7, 3), "海の日"),
        1996..=2002 => add(date(y, 7, 20), "海の日"),
        _ => {}
    }
    match y {
        2020 => add(date(y, 8, 10), "山の日"),
        2021 => add(date(y, 8, 8), "山の日"),
        2016.. => add(date(y, 8, 11), "山の日"),
        _ => {}
    }
    if y >= 2003 {
        add(nth_monday(y, 9, 3), "敬老の日");
    } else {
        add(date(y, 9, 15), "敬老の日");
    }
    add(autumnal_equinox_day(y), "秋分の日");
    match y {
        2020 => add(date(y, 7, 24), "スポーツの日"),
        2021 => add(date(y, 7, 23), "スポーツの日"),
        2022.. => add(nth_monday(y, 10, 2), "スポーツの日"),
        2000..=2019 => add(nth_monday(y, 10, 2), "体育の日"),
        _ => add(date(y, 10, 10), "体育の日"),
    }
    add(date(y, 11, 3), "文化の日");
    add(date(y, 11, 23), "勤労感謝の日");
    if (1989..=2018).contains(&y) {
        add(date(y, 12, 23), "天皇誕生日");
    }
    for (d, name) in [
        ((1989, 2, 24), "昭和天皇の大喪の礼"),
        ((1990, 11, 12), "即位礼正殿の儀"),
        ((1993, 6, 9), "結婚の儀"),
        ((2019, 5, 1), "天皇の即位の日"),
        ((2019, 10, 22), "即位礼正殿の儀"),
    ] {
        if d.0 == y {
            add(date(d.0, d.1, d.2), name);
        }
    }
    let mut out: Vec<(Date, &'static str)> = out
        .into_iter()
        .filter_map(|(d, n)| d.map(|d| (d, n)))
        .collect();
    out.sort();
    out
}

/// Every day off of a year by the 祝日法: the 国民の祝日, 振替休日 and
/// 国民の休日, sorted by date. Empty outside [`YEARS`].
pub fn holidays(y: i16) -> Vec<(Date, &'static str)> {
    if !YEARS.contains(&y) {
        return Vec::new();
    }
    // Neighbouring years matter at the edges (a 振替休日 never crosses a
    // year today, but the rules are written generally).
    let mut map: BTreeMap<Date, &'static str> = BTreeMap::new();
    for year in [y - 1, y, y + 1] {
        if YEARS.contains(&year) {
            map.extend(national_holidays(year));
        }
    }
    let national: Vec<Date> = map.keys().copied().collect();
    let is_national = |d: Date| map.contains_key(&d);

    // 振替休日 (from 1973-04-12): a holiday on a Sunday makes the next day
    // off; from 2007 the next day that is not itself a holiday.
    let mut substitutes: Vec<Date> = Vec::new();
    for &d in &national {
        if d.weekday() != Weekday::Sunday || d < Date::constant(1973, 4, 12) {
            continue;
        }
        let Ok(mut next) = d.tomorrow() else { continue };
        if d.year() >= 2007 {
            while is_national(next) {
                let Ok(n) = next.tomorrow() else { break };
                next = n;
            }
            substitutes.push(next);
        } else if !is_national(next) {
            substitutes.push(next);
        }
    }

    // 国民の休日 (from 1985-12-27): a day whose day before and day after
    // are 国民の祝日 and that is not one itself. Before 2007 the law also
    // excluded Sundays and 振替休日.
    let mut citizens: Vec<Date> = Vec::new();
    for &d in &national {
        let Ok(between) = d.tomorrow() else { continue };
        let Ok(after) = between.tomorrow() else {
            continue;
        };
        if between < Date::constant(1985, 12, 27) || !is_national(after) || is_national(between) {
            continue;
        }
        if between.year() < 2007
            && (between.weekday() == Weekday::Sunday || substitutes.contains(&between))
        {
            continue;
        }
        citizens.push(between);
    }
    for d in substitutes {
        map.entry(d).or_insert(SUBSTITUTE);
    }
    for d in citizens {
        map.entry(d).or_insert(CITIZENS);
    }
    map.into_iter().filter(|(d, _)| d.year() == y).collect()
}

/// The holiday's name if `d` is a day off by the 祝日法.
pub fn holiday_name(d: Date) -> Option<&'static str> {
    holidays(d.year())
        .into_iter()
        .find(|(h, _)| *h == d)
        .map(|(_, n)| n)
}

/// `{"2026-01-01": "元日", …}` for the given years, as `data/holidays.json`
/// publishes it (sorted by date).
pub fn to_json(years: impl IntoIterator<Item = i16>) -> String {
    let map: BTreeMap<String, &str> = years
        .into_iter()
        .flat_map(holidays)
        .map(|(d, n)| (d.to_string(), n))
        .collect();
    let mut out = serde_json::to_string_pretty(&map).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(y: i16, m: i8, d: i8) -> Option<&'static str> {
        holiday_name(Date::new(y, m, d).unwrap())
    }

    #[test]
    fn known_dates() {
        assert_eq!(name(2025, 1, 13), Some("成人の日"));
        assert_eq!(name(2026, 9, 21), Some("敬老の日"));
        assert_eq!(name(2026, 9, 22), Some(CITIZENS));
        assert_eq!(name(2026, 9, 23), Some("秋分の日"));
        assert_eq!(name(2026, 5, 6), Some(SUBSTITUTE));
        assert_eq!(name(2027, 3, 21), Some("春分の日"));
        assert_eq!(name(2024, 8, 12), Some(SUBSTITUTE));
        assert_eq!(name(2024, 8, 11), Some("山の日"));
        assert_eq!(name(2026, 2, 23), Some("天皇誕生日"));
        assert_eq!(name(2026, 1, 2), None);
        assert_eq!(name(2026, 5, 7), None);
    }

    #[test]
    fn happy_mondays_and_history() {
        assert_eq!(name(2026, 7, 20), Some("海の日"));
        assert_eq!(name(2026, 10, 12), Some("スポーツの日"));
        assert_eq!(name(2019, 10, 14), Some("体育の日"));
        assert_eq!(name(2020, 7, 24), Some("スポーツの日"));
        assert_eq!(name(2021, 8, 9), Some(SUBSTITUTE)); // 山の日 8/8 was a Sunday
        assert_eq!(name(2019, 4, 30), Some(CITIZENS));
        assert_eq!(name(2019, 5, 2), Some(CITIZENS));
        assert_eq!(name(2019, 5, 6), Some(SUBSTITUTE));
        assert_eq!(name(2015, 9, 22), Some(CITIZENS));
        assert_eq!(name(2018, 12, 23), Some("天皇誕生日"));
        assert_eq!(name(2019, 12, 23), None);
    }

    #[test]
    fn equinoxes() {
        let v: Vec<(i16, i8)> = (2020..=2030)
            .map(|y| (y, vernal_equinox_day(y).unwrap().day()))
            .collect();
        assert_eq!(
            v,
            [
                (2020, 20),
                (2021, 20),
                (2022, 21),
                (2023, 21),
                (2024, 20),
                (2025, 20),
                (2026, 20),
                (2027, 21),
                (2028, 20),
                (2029, 20),
                (2030, 20)
            ]
        );
        let a: Vec<i8> = (2020..=2030)
            .map(|y| autumnal_equinox_day(y).unwrap().day())
            .collect();
        assert_eq!(a, [22, 23, 23, 23, 22, 23, 23, 23, 22, 23, 23]);
        assert!(holidays(2100).is_empty());
    }

    #[test]
    fn counts_per_year() {
        // 2026: 16 国民の祝日 + 振替休日 5/6 + 国民の休日 9/22 + 振替休日 for
        // none else (11/23 is a Monday).
        let h = holidays(2026);
        assert_eq!(h.len(), 18, "{h:?}");
        assert!(to_json([2026]).starts_with("{\n  \"2026-01-01\": \"元日\""));
    }
}
