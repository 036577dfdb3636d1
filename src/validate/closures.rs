//! `closure-in-words`: closed days written only in words.
//!
//! The 「受付中」 badge, the next opening and JSON-LD read the structured
//! `hours` and `closed`; a 「年末年始は休み」 in `hours_note` or the body
//! is invisible to them, so at 12/29 10:00 the page would say 受付中 above
//! its own note. When an entry has `hours` and its `hours_note` or body
//! mentions a closure — 年末年始, お盆, 月末, 第N曜日, a date with 休み/
//! 休館/休業, or 休館日 — that `closed` does not hold, this warns and says
//! what to write.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::hours::text::parse_days;
use crate::model::{Closure, EntryFields, NamedSpans, Weekday};
use jiff::civil::Date;
use std::path::Path;

/// A closure a text speaks of.
#[derive(Debug, Clone, PartialEq)]
enum Mention {
    YearEnd,
    Obon,
    MonthEnd,
    Nth(Weekday, i8),
    /// A month and day (the year is rarely written).
    Day(i8, i8),
    /// 休館日 with nothing this check can compare.
    Unspecified,
}

impl Mention {
    /// How the text says it, for the message.
    fn words(&self) -> String {
        match self {
            Mention::YearEnd => "年末年始".into(),
            Mention::Obon => "お盆".into(),
            Mention::MonthEnd => "月末".into(),
            Mention::Nth(w, -1) => format!("最終{}曜", w.japanese()),
            Mention::Nth(w, n) => format!("第{n}{}曜", w.japanese()),
            Mention::Day(m, d) => format!("{m}月{d}日"),
            Mention::Unspecified => "休館日".into(),
        }
    }

    /// What to add under `closed:`.
    fn yaml(&self) -> String {
        const KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        match self {
            Mention::YearEnd => "closed:\n  - 年末年始   # site.toml [closures] year_end, default 12-29..01-03".into(),
            Mention::Obon => "closed:\n  - お盆   # site.toml [closures] obon, default 08-13..08-16".into(),
            Mention::MonthEnd => "closed:\n  - 月末日".into(),
            Mention::Nth(w, n) => format!("closed:\n  - {{weekday: {}, nth: {n}}}", KEYS[w.index()]),
            Mention::Day(m, d) => format!(
                "closed:\n  - {{date: YYYY-{m:02}-{d:02}, note: 臨時休館}}   # once\n  - {{yearly: \"{m:02}-{d:02}\"}}   # every year"
            ),
            Mention::Unspecified => "closed:\n  - {weekday: tue, nth: 3}   # 第3火曜\n  - {date: 2027-01-15, note: 臨時休館}\n(a weekly closed day is a day the `hours` rules leave out)".into(),
        }
    }

    /// Whether `closures` hold what the text says.
    fn held_by(&self, closures: &[Closure], spans: &NamedSpans) -> bool {
        let covers_day = |m: i8, d: i8| {
            Date::new(2024, m, d).is_ok_and(|day| {
                closures.iter().any(|c| match c {
                    Closure::Dates { from, to, .. } => {
                        let mut x = from.0;
                        for _ in 0..400 {
                            if x > to.0 {
                                return false;
                            }
                            if x.month() == m && x.day() == d {
                                return true;
                            }
                            match x.tomorrow() {
                                Ok(n) => x = n,
                                Err(_) => return false,
                            }
                        }
                        false
                    }
                    other => other.covers(spans, day),
                })
            })
        };
        match self {
            Mention::YearEnd => covers_day(12, 31) && covers_day(1, 1),
            Mention::Obon => covers_day(8, 15),
            Mention::MonthEnd => closures
                .iter()
                .any(|c| matches!(c, Closure::MonthEnd { .. })),
            Mention::Nth(w, n) => closures.iter().any(
                |c| matches!(c, Closure::Monthly { weekday, nth, .. } if weekday == w && nth == n),
            ),
            Mention::Day(m, d) => covers_day(*m, *d),
            Mention::Unspecified => !closures.is_empty(),
        }
    }
}

/// The closures one sentence speaks of.
fn mentions(sentence: &str) -> Vec<Mention> {
    let s: String = sentence
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '／' => '/',
            c => c,
        })
        .collect();
    let mut out = Vec::new();
    // Only sentences that say something is closed (「年末年始の開設は
    // お知らせで」 is not a closure).
    let says_closed = [
        "休み", "休館", "休業", "休所", "休室", "閉館", "お休", "除く",
    ]
    .iter()
    .any(|w| s.contains(w));
    if !says_closed {
        return out;
    }
    if s.contains("年末年始") {
        out.push(Mention::YearEnd);
    }
    if s.contains("お盆") {
        out.push(Mention::Obon);
    }
    if s.contains("月末") {
        out.push(Mention::MonthEnd);
    }
    let cs: Vec<char> = s.chars().collect();
    let number_at = |i: usize| -> Option<(i8, usize)> {
        let mut j = i;
        while j < cs.len() && cs[j].is_ascii_digit() && j - i < 2 {
            j += 1;
        }
        if j == i
            || (i > 0 && cs[i - 1].is_ascii_digit())
            || cs.get(j).is_some_and(|c| c.is_ascii_digit())
        {
            return None;
        }
        Some((cs[i..j].iter().collect::<String>().parse().ok()?, j))
    };
    let mut dated = false;
    for i in 0..cs.len() {
        // 第3火曜 / 第2・第4月曜: read with the days parser.
        // (「8月第1金曜」 is one day a year, which `closed` cannot hold as 第N曜.)
        let in_a_month = i >= 2 && cs[i - 1] == '月' && cs[i - 2].is_ascii_digit();
        if cs[i] == '第' && !in_a_month {
            let tail: String = cs[i..]
                .iter()
                .take_while(|c| {
                    !matches!(
                        c,
                        '、' | '。' | ' ' | '　' | '(' | '（' | 'は' | 'に' | 'と'
                    )
                })
                .collect();
            if let Ok(spec) = parse_days(&tail) {
                out.extend(spec.monthly.into_iter().map(|(w, n)| Mention::Nth(w, n)));
            }
        }
        // 12月28日, 1/15.
        if let Some((m, j)) = number_at(i) {
            let sep = cs.get(j);
            if matches!(sep, Some('月') | Some('/')) {
                if let Some((d, k)) = number_at(j + 1) {
                    let day_mark = sep == Some(&'/') || cs.get(k) == Some(&'日');
                    if day_mark && Date::new(2024, m, d).is_ok() {
                        out.push(Mention::Day(m, d));
                        dated = true;
                    }
                }
            }
        }
    }
    if !dated && out.is_empty() && s.contains("休館日") {
        out.push(Mention::Unspecified);
    }
    out
}

/// The warnings for one entry's `hours_note` and body.
pub fn check(
    fields: &EntryFields,
    body: Option<&str>,
    spans: &NamedSpans,
    path: &Path,
    note_pos: impl Fn() -> Option<(usize, usize)>,
    body_line: impl Fn(&str) -> Option<usize>,
) -> Vec<Diagnostic> {
    if fields.hours.as_ref().is_none_or(|h| h.is_empty()) {
        return Vec::new();
    }
    let closures = fields.closed.as_deref().unwrap_or(&[]);
    let mut out = Vec::new();
    let mut seen: Vec<Mention> = Vec::new();
    let texts = [
        ("hours_note", fields.hours_note.as_deref()),
        ("body", body.or(fields.body.as_deref())),
    ];
    for (field, text) in texts {
        let Some(text) = text else { continue };
        for sentence in text.split(['。', '\n']).filter(|s| !s.trim().is_empty()) {
            for m in mentions(sentence) {
                if seen.contains(&m) || m.held_by(closures, spans) {
                    continue;
                }
                seen.push(m.clone());
                let pos = if field == "hours_note" {
                    note_pos()
                } else {
                    body_line(sentence.trim()).map(|l| (l, 1))
                };
                out.push(
                    Diagnostic::warning(
                        Code::ClosureInWords,
                        format!(
                            "`{field}` says 「{}」, but `closed` does not list {}: on those days the page would still show 受付中",
                            sentence.trim(),
                            m.words()
                        ),
                    )
                    .in_file(path)
                    .at_opt(pos)
                    .field(field)
                    .help(format!("write it in the structured hours too:\n{}", m.yaml())),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warn(yaml: &str) -> Vec<String> {
        let f: EntryFields = serde_yaml::from_str(yaml).unwrap();
        check(
            &f,
            None,
            &NamedSpans::default(),
            Path::new("x.md"),
            || None,
            |_| None,
        )
        .into_iter()
        .map(|d| d.message)
        .collect()
    }

    const HOURS: &str = "name: x\nhours:\n  - {days: [mon, fri], open: '9:00', close: '17:00'}\n";

    #[test]
    fn words_without_structure_warn() {
        let w = warn(&format!("{HOURS}hours_note: 土日祝・年末年始は休み"));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("年末年始"), "{w:?}");
        assert_eq!(
            warn(&format!("{HOURS}hours_note: 第3水曜は休館です")).len(),
            1
        );
        assert_eq!(
            warn(&format!("{HOURS}hours_note: 12月28日は休みます")).len(),
            1
        );
        assert_eq!(
            warn(&format!("{HOURS}hours_note: 休館日は館内に掲示します")).len(),
            1
        );
        assert_eq!(warn(&format!("{HOURS}hours_note: 月末は休業")).len(), 1);
    }

    #[test]
    fn structure_that_holds_it_is_quiet() {
        assert!(warn(&format!(
            "{HOURS}closed: [年末年始]\nhours_note: 土日祝・年末年始は休み"
        ))
        .is_empty());
        assert!(warn(&format!(
            "{HOURS}closed: [{{weekday: wed, nth: 3}}]\nhours_note: 第3水曜は休館です"
        ))
        .is_empty());
        assert!(warn(&format!(
            "{HOURS}closed: [{{yearly: '12-28'}}]\nhours_note: 12月28日は休みます"
        ))
        .is_empty());
        assert!(warn(&format!(
            "{HOURS}closed: [{{date: 2026-12-28}}]\nhours_note: 12/28は休み"
        ))
        .is_empty());
        assert!(warn(&format!(
            "{HOURS}closed: [{{yearly: '12-28', to: '01-04'}}]\nhours_note: 年末年始は休み"
        ))
        .is_empty());
        // A date that is not about closing, and no hours at all.
        assert!(warn(&format!("{HOURS}hours_note: 12月5日から予約を受け付けます")).is_empty());
        assert!(warn("name: x\nhours_note: 年末年始は休み").is_empty());
    }
}
