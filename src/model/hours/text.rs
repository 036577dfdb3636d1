//! Reading opening hours written as text: the one parser for hours in
//! words (#11), used by the CSV import for 利用可能曜日・開始時間・終了時間
//! and 利用可能日時特記事項, and by anything else that has hours as text.
//!
//! [`parse`] reads what Japanese municipal open-data lists write (see
//! docs/open-data.md 「営業時間の読み取り」 and the fixture
//! tests/fixtures/hours-text/strings.tsv); [`parse_days`], [`parse_time`]
//! and [`parse_rule_text`] read one cell or one line.

use super::closure::{Closure, MonthDay, YearlySpan};
use super::{Day, HoursRule, TimeOfDay, Weekday};

/// The weekday characters, in [`Day`] order.
pub(crate) const DAY_CHARS: [(char, Day); 8] = [
    ('月', Day::Mon),
    ('火', Day::Tue),
    ('水', Day::Wed),
    ('木', Day::Thu),
    ('金', Day::Fri),
    ('土', Day::Sat),
    ('日', Day::Sun),
    ('祝', Day::Hol),
];

/// What one 利用可能曜日 line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySpec {
    /// Weekly days (with `Hol`), in the order written.
    pub weekly: Vec<Day>,
    /// Monthly (weekday, nth) pairs; nth -1 = last.
    pub monthly: Vec<(Weekday, i8)>,
}

fn normalize(s: &str) -> String {
    let mut t: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '～' | '~' | '－' | '-' | '‐' | '−' | 'ー' | '―' => '〜',
            '，' | '、' | '・' | '／' | '/' | ';' | '；' | '\n' | '･' => ',',
            c => c,
        })
        .collect();
    for (from, to) in [
        ("曜日", ""),
        ("曜", ""),
        ("毎週", ""),
        ("毎月", ""),
        ("および", ","),
        ("及び", ","),
        ("祝祭日", "祝"),
        ("祝日", "祝"),
        ("祭日", "祝"),
        ("週", ""),
    ] {
        t = t.replace(from, to);
    }
    t.chars()
        .filter(|c| !c.is_whitespace() && *c != 'の' && *c != 'と')
        .collect()
}

/// Parses one 利用可能曜日 line. `Err` keeps the text for `hours_note`.
pub fn parse_days(s: &str) -> Result<DaySpec, String> {
    let t = normalize(s);
    let bad = || format!("cannot read the days 「{}」", s.trim());
    let mut spec = DaySpec {
        weekly: Vec::new(),
        monthly: Vec::new(),
    };
    let mut pending: Vec<i8> = Vec::new();
    let weekday_of = |c: char| DAY_CHARS.iter().find(|(x, _)| *x == c).map(|(_, d)| *d);
    for piece in t.split(',').filter(|p| !p.is_empty()) {
        match piece {
            "平日" => {
                spec.weekly
                    .extend([Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri]);
                continue;
            }
            "毎日" | "全日" | "年中無休" => {
                spec.weekly.extend([
                    Day::Mon,
                    Day::Tue,
                    Day::Wed,
                    Day::Thu,
                    Day::Fri,
                    Day::Sat,
                    Day::Sun,
                    Day::Hol,
                ]);
                continue;
            }
            _ => {}
        }
        // Monthly: 第N[曜日], 最終[曜日], or a bare N after 第M (第1・3水).
        let (nth, rest) = if let Some(r) = piece.strip_prefix("最終") {
            (Some(-1), r)
        } else if let Some(r) = piece.strip_prefix('第') {
            let digits: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
            let n: i8 = digits.parse().map_err(|_| bad())?;
            (Some(n), &r[digits.len()..])
        } else if !pending.is_empty() && piece.starts_with(|c: char| c.is_ascii_digit()) {
            let digits: String = piece.chars().take_while(|c| c.is_ascii_digit()).collect();
            let n: i8 = digits.parse().map_err(|_| bad())?;
            (Some(n), &piece[digits.len()..])
        } else {
            (None, piece)
        };
        if let Some(n) = nth {
            if !(1..=5).contains(&n) && n != -1 {
                return Err(bad());
            }
            pending.push(n);
            if rest.is_empty() {
                continue;
            }
            let mut cs = rest.chars();
            let w = cs
                .next()
                .and_then(weekday_of)
                .and_then(Day::weekday)
                .ok_or_else(bad)?;
            if cs.next().is_some() {
                return Err(bad());
            }
            for n in pending.drain(..) {
                spec.monthly.push((w, n));
            }
            continue;
        }
        if !pending.is_empty() {
            return Err(bad());
        }
        // Weekly: weekday characters, ranges 月〜金 (also 金〜月), 祝.
        let chars: Vec<char> = piece.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let d = weekday_of(chars[i]).ok_or_else(bad)?;
            if chars.get(i + 1) == Some(&'〜') {
                let to = chars
                    .get(i + 2)
                    .and_then(|c| weekday_of(*c))
                    .ok_or_else(bad)?;
                let (Some(a), Some(b)) = (d.weekday(), to.weekday()) else {
                    return Err(bad());
                };
                let mut k = a.index();
                loop {
                    spec.weekly.push(day_from_index(k));
                    if k == b.index() {
                        break;
                    }
                    k = (k + 1) % 7;
                }
                i += 3;
            } else {
                spec.weekly.push(d);
                i += 1;
            }
        }
    }
    if !pending.is_empty() || (spec.weekly.is_empty() && spec.monthly.is_empty()) {
        return Err(bad());
    }
    let mut seen = Vec::new();
    spec.weekly.retain(|d| {
        let new = !seen.contains(d);
        seen.push(*d);
        new
    });
    Ok(spec)
}

fn day_from_index(i: usize) -> Day {
    DAY_CHARS[i % 7].1
}

/// Parses a time: `9:00`, `09:00`, `9:00:00` (Excel), `９：００`, `9時`, `9時30分`.
pub fn parse_time(s: &str) -> Result<TimeOfDay, String> {
    let t: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '：' => ':',
            c => c,
        })
        .collect();
    let t = if let Some((h, rest)) = t.split_once('時') {
        let m = rest.trim_end_matches('分');
        let m = if m.is_empty() { "00" } else { m };
        format!("{h}:{m:0>2}")
    } else {
        t
    };
    let t = match t.splitn(3, ':').collect::<Vec<_>>().as_slice() {
        [h, m, s] if s.chars().all(|c| c.is_ascii_digit()) => format!("{h}:{m}"),
        _ => t,
    };
    TimeOfDay::parse(&t).map_err(|_| format!("cannot read the time 「{}」", s.trim()))
}

/// The rules one line of 利用可能曜日 with its times makes: one weekly
/// rule for the weekdays (and 祝), one monthly rule per 第N曜.
pub fn rules_for(spec: &DaySpec, open: TimeOfDay, close: TimeOfDay) -> Vec<HoursRule> {
    let mut out = Vec::new();
    if !spec.weekly.is_empty() {
        out.push(HoursRule::Weekly {
            days: spec.weekly.clone(),
            open,
            close,
            note: None,
        });
    }
    for (weekday, nth) in &spec.monthly {
        out.push(HoursRule::Monthly {
            weekday: *weekday,
            nth: *nth,
            open,
            close,
            note: None,
        });
    }
    out
}

/// Parses a whole hours text such as 「月〜金 9:00〜17:00」 (one rule per line
/// or per `;`), as [`HoursRule::japanese`] writes it.
pub fn parse_rule_text(s: &str) -> Result<Vec<HoursRule>, String> {
    let bad = || format!("cannot read the hours 「{}」", s.trim());
    let s = s.trim();
    let (days, times) = s.rsplit_once([' ', '　']).ok_or_else(bad)?;
    let times: String = times
        .chars()
        .map(|c| {
            if matches!(c, '～' | '~' | '－' | '-' | '–') {
                '〜'
            } else {
                c
            }
        })
        .collect();
    let (open, close) = times.split_once('〜').ok_or_else(bad)?;
    let spec = parse_days(days)?;
    let (open, close) = (parse_time(open)?, parse_time(close)?);
    if close <= open {
        return Err(bad());
    }
    Ok(rules_for(&spec, open, close))
}

/// Hours a season of the year keeps (長期休暇, 学校休業日, 夏休み): the
/// hours model has no seasons, so these are read but not applied to the
/// badge; the import keeps them in `hours_note` in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Season {
    /// As written: 長期休暇, 学校休業日.
    pub name: String,
    pub ranges: Vec<(TimeOfDay, TimeOfDay)>,
}

/// What [`parse`] read from a free-text hours string.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedHours {
    /// The opening rules. Days a text does not name are every day but
    /// the closed weekdays, with `hol` unless holidays are closed.
    pub hours: Vec<HoursRule>,
    /// Closed days beyond the weekly ones (年末年始, 第3日曜, 月末日,
    /// 祝日の場合は翌日).
    pub closures: Vec<Closure>,
    /// Weekly closed days (火曜日, 祝日 as [`Day::Hol`]). Already left out
    /// of `hours`; kept for a text that has no opening times.
    pub closed_days: Vec<Day>,
    /// Seasonal hours (see [`Season`]).
    pub seasons: Vec<Season>,
    /// Every part not understood, as written, for `hours_note` and the
    /// import's report.
    pub not_understood: Vec<String>,
}

impl ParsedHours {
    /// Whether anything structured was read and nothing was left over.
    pub fn is_complete(&self) -> bool {
        self.not_understood.is_empty()
            && (!self.hours.is_empty()
                || !self.closures.is_empty()
                || !self.closed_days.is_empty()
                || !self.seasons.is_empty())
    }
}

/// Full-width digits, letters' punctuation and dashes to one form; 時/分
/// times to `H:MM`; spaces around 〜 dropped.
fn normalize_text(s: &str) -> String {
    let mut t = String::with_capacity(s.len());
    // 「24時間」 is open round the clock.
    let s = s
        .replace("24時間", "0:00〜24:00")
        .replace("２４時間", "0:00〜24:00");
    for c in s.chars() {
        t.push(match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '：' => ':',
            '～' | '~' | '－' | '-' | '‐' | '−' | '―' | '–' | '—' => '〜',
            '（' => '(',
            '）' => ')',
            '，' | ',' => '、',
            '\u{3000}' | '\t' | '\r' | '\n' => ' ',
            c => c,
        });
    }
    // 8時30分 → 8:30, 17時 → 17:00 (only after a digit).
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '時' && i > 0 && chars[i - 1].is_ascii_digit() {
            let mut j = i + 1;
            let mut mins = String::new();
            while j < chars.len() && chars[j].is_ascii_digit() && mins.len() < 2 {
                mins.push(chars[j]);
                j += 1;
            }
            if !mins.is_empty() && chars.get(j) == Some(&'分') {
                out.push_str(&format!(":{mins:0>2}"));
                i = j + 1;
            } else if mins.is_empty() {
                out.push_str(":00");
                i += 1;
            } else {
                out.push(c);
                i += 1;
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    // 午前9:00 → 9:00, 午後5:00 → 17:00.
    let out = am_pm(&out);
    // 8:30から17:15まで → 8:30〜17:15.
    let out = out.replace("から", "\u{0}");
    let out = restore_kara(&out);
    // No spaces around 〜 and after a colon.
    let mut squeezed = String::with_capacity(out.len());
    let cs: Vec<char> = out.chars().collect();
    for (k, &c) in cs.iter().enumerate() {
        if c == ' ' {
            let prev = cs[..k].iter().rev().find(|x| **x != ' ');
            let next = cs[k + 1..].iter().find(|x| **x != ' ');
            if matches!(prev, Some('〜') | Some(':')) || matches!(next, Some('〜')) {
                continue;
            }
        }
        squeezed.push(c);
    }
    squeezed
}

/// 午前/午後 before a time: 午後 adds 12 hours to 1:00–11:59.
fn am_pm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['午']) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let (pm, tail) = if let Some(t) = after.strip_prefix("午後") {
            (true, t)
        } else if let Some(t) = after.strip_prefix("午前") {
            (false, t)
        } else {
            out.push('午');
            rest = &after['午'.len_utf8()..];
            continue;
        };
        let digits: String = tail.chars().take_while(|c| c.is_ascii_digit()).collect();
        match (pm, digits.parse::<u32>()) {
            (true, Ok(h)) if (1..12).contains(&h) && tail[digits.len()..].starts_with(':') => {
                out.push_str(&(h + 12).to_string());
                rest = &tail[digits.len()..];
            }
            (_, Ok(_)) => rest = tail,
            _ => {
                out.push_str(if pm { "午後" } else { "午前" });
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// 「から」 (marked \0) between two times is 〜; elsewhere it stays;
/// 「まで」 right after a time goes.
fn restore_kara(s: &str) -> String {
    let cs: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c == '\u{0}' {
            let before_time = i > 0 && cs[i - 1].is_ascii_digit();
            let after_time = cs.get(i + 1).is_some_and(|c| c.is_ascii_digit());
            out.push_str(if before_time && after_time {
                "〜"
            } else {
                "から"
            });
            i += 1;
            continue;
        }
        if c == 'ま' && cs.get(i + 1) == Some(&'で') && i > 0 && cs[i - 1].is_ascii_digit() {
            i += 2;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A time `H:MM` starting at `i`; returns it and the index after it.
fn time_at(cs: &[char], i: usize) -> Option<(TimeOfDay, usize)> {
    let mut j = i;
    while j < cs.len() && cs[j].is_ascii_digit() && j - i < 2 {
        j += 1;
    }
    if j == i || cs.get(j) != Some(&':') {
        return None;
    }
    if i > 0 && cs[i - 1].is_ascii_digit() {
        return None;
    }
    let m: String = cs.get(j + 1..j + 3)?.iter().collect();
    if !m.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let h: String = cs[i..j].iter().collect();
    let t = TimeOfDay::parse(&format!("{h}:{m}")).ok()?;
    Some((t, j + 3))
}

/// Every `H:MM〜H:MM` in `cs`: (start index, end index, open, close).
fn ranges_in(cs: &[char]) -> Vec<(usize, usize, TimeOfDay, TimeOfDay)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if let Some((open, after)) = time_at(cs, i) {
            if cs.get(after) == Some(&'〜') {
                if let Some((close, end)) = time_at(cs, after + 1) {
                    out.push((i, end, open, close));
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

const SEASONS: [&str; 7] = [
    "長期休暇",
    "長期休業",
    "学校休業日",
    "学校休業期間",
    "夏休み",
    "春休み",
    "冬休み",
];

const HOURS_HEADS: [&str; 9] = [
    "開館時間",
    "受付時間",
    "利用時間",
    "開所時間",
    "営業時間",
    "相談時間",
    "開室時間",
    "時間",
    "開館日",
];
const CLOSED_HEADS: [&str; 7] = [
    "休館日",
    "休所日",
    "休業日",
    "定休日",
    "休室日",
    "休み",
    "休日",
];

/// Which days a label in front of times names: `None` when it is not a
/// day label. 「土・日・祝休日は」 → [sat, sun, hol].
fn label_days(label: &str) -> Option<Vec<Day>> {
    let mut t = label
        .trim()
        .trim_matches(|c: char| "(): 、。は".contains(c))
        .to_string();
    for (from, to) in [("祝休日", "祝"), ("休日", "祝"), ("の日", "")] {
        t = t.replace(from, to);
    }
    let t = t.trim_end_matches('は');
    if t.is_empty() {
        return None;
    }
    let spec = parse_days(t).ok()?;
    if !spec.monthly.is_empty() {
        return None;
    }
    Some(spec.weekly)
}

/// The pieces of a 休館日 list, split at 、 and spaces outside parentheses.
fn closed_items(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => {
                depth += 1;
                cur.push(c);
            }
            ')' => {
                depth -= 1;
                cur.push(c);
            }
            '、' | ' ' | '。' | '/' | '／' if depth <= 0 => {
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_string());
                }
                cur.clear();
            }
            c => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// `12月29日〜1月3日` or `12/29〜1/3`.
fn month_day_span(s: &str) -> Option<YearlySpan> {
    let md = |p: &str| -> Option<MonthDay> {
        let p = p.trim().trim_end_matches('日');
        let (m, d) = p.split_once('月').or_else(|| p.split_once('/'))?;
        MonthDay::new(m.trim().parse().ok()?, d.trim().parse().ok()?).ok()
    };
    match s.split_once('〜') {
        Some((a, b)) => Some(YearlySpan {
            from: md(a)?,
            to: md(b)?,
        }),
        None => md(s).map(|d| YearlySpan { from: d, to: d }),
    }
}

/// Whether a parenthesis says "when it is a holiday, the next (week)day".
fn says_next_day(s: &str) -> bool {
    let t: String = s
        .chars()
        .filter(|c| !matches!(c, '、' | ' ' | '(' | ')'))
        .collect();
    (t.contains("祝") || t.contains("休日"))
        && (t.contains("翌日") || t.contains("翌平日") || t.contains("翌開館日"))
}

/// Reads one 休館日 item into `out`; false when it was not understood.
fn closed_item(item: &str, out: &mut ParsedHours) -> bool {
    let (main, paren) = match item.split_once('(') {
        Some((m, p)) => (m.trim(), Some(p.trim_end_matches(')'))),
        None => (item.trim(), None),
    };
    let main = main
        .trim_start_matches("毎週")
        .trim_start_matches("月の")
        .trim_start_matches("毎月");
    let main = main
        .trim_end_matches("休館")
        .trim_end_matches("休み")
        .trim_end_matches('は');
    match main {
        "年末年始" => {
            let span = paren.and_then(month_day_span);
            out.closures.push(match span {
                Some(span) => Closure::Yearly {
                    span,
                    note: Some("年末年始".into()),
                },
                None => Closure::YearEnd { note: None },
            });
            return true;
        }
        "お盆" | "盆" => {
            out.closures.push(Closure::Obon { note: None });
            return true;
        }
        "月末日" | "月末" | "毎月末日" | "末日" => {
            out.closures.push(Closure::MonthEnd { note: None });
            return paren.is_none();
        }
        "祝日"
        | "祝祭日"
        | "祝休日"
        | "国民の祝日"
        | "休日"
        | "祝日・休日"
        | "国民の祝日・休日" => {
            out.closed_days.push(Day::Hol);
            return paren.is_none();
        }
        "祝日の翌日" | "祝休日の翌日" | "休日の翌日" | "国民の祝日の翌日" =>
        {
            out.closures.push(Closure::DayAfterHoliday { note: None });
            return paren.is_none();
        }
        "なし" | "無休" | "年中無休" => return paren.is_none(),
        _ => {}
    }
    if let Some(span) = month_day_span(main) {
        out.closures.push(Closure::Yearly { span, note: None });
        return paren.is_none();
    }
    // A bare "(祝日の場合は翌日)" after the weekday item it belongs to.
    if main.is_empty() {
        return paren.is_some_and(says_next_day) && moves_last_weekday(out);
    }
    let Ok(spec) = parse_days(main) else {
        // 「館内整理日(毎月最終金曜日)」: a named day, its date in brackets.
        let named = paren
            .map(|p| p.trim_start_matches("毎月").trim_start_matches("月の"))
            .and_then(|p| parse_days(p).ok())
            .filter(|spec| spec.weekly.is_empty() && !spec.monthly.is_empty());
        let Some(spec) = named else { return false };
        for (weekday, nth) in spec.monthly {
            out.closures.push(Closure::Monthly {
                weekday,
                nth,
                note: Some(main.to_string()),
            });
        }
        return true;
    };
    for (weekday, nth) in &spec.monthly {
        out.closures.push(Closure::Monthly {
            weekday: *weekday,
            nth: *nth,
            note: None,
        });
    }
    out.closed_days.extend(spec.weekly.iter().copied());
    match paren {
        None => true,
        // 「月曜日(祝日の場合は開館)」: a holiday opens by its `hol` rule anyway.
        Some(p)
            if (p.contains("祝") || p.contains("休日"))
                && p.trim_end_matches('。').ends_with("開館") =>
        {
            !spec.weekly.is_empty()
        }
        Some(p) if says_next_day(p) => {
            for d in spec.weekly.iter().filter_map(|d| d.weekday()) {
                out.closures.push(Closure::HolidayMoves {
                    weekday: d,
                    note: None,
                });
            }
            !spec.weekly.is_empty()
        }
        Some(_) => false,
    }
}

/// "(祝日の場合は翌日)" written apart from its weekday: applies to the
/// last weekly closed day read.
fn moves_last_weekday(out: &mut ParsedHours) -> bool {
    let Some(w) = out.closed_days.iter().rev().find_map(|d| d.weekday()) else {
        return false;
    };
    out.closures.push(Closure::HolidayMoves {
        weekday: w,
        note: None,
    });
    true
}

/// One labelled group of times in an hours section.
enum Group {
    Default(Vec<(TimeOfDay, TimeOfDay)>),
    Days(Vec<Day>, Vec<(TimeOfDay, TimeOfDay)>),
    Season(String, Vec<(TimeOfDay, TimeOfDay)>),
}

/// Reads an hours section: ranges with their labels.
fn hours_section(s: &str, groups: &mut Vec<Group>, out: &mut ParsedHours) {
    let cs: Vec<char> = s.chars().collect();
    let ranges = ranges_in(&cs);
    let mut last_end = 0;
    for (start, end, open, close) in ranges {
        let label: String = cs[last_end..start].iter().collect();
        let label = label.trim();
        let bare = label.trim_matches(|c: char| "(): 、。・".contains(c));
        last_end = end;
        if close <= open {
            out.not_understood.push(cs[start..end].iter().collect());
            continue;
        }
        let range = (open, close);
        if bare.is_empty() {
            match groups.last_mut() {
                // 「9:00〜12:00、13:00〜16:30」: the same days again.
                Some(Group::Default(r)) | Some(Group::Days(_, r)) | Some(Group::Season(_, r))
                    if !label.contains('(') =>
                {
                    r.push(range)
                }
                _ => groups.push(Group::Default(vec![range])),
            }
            continue;
        }
        if let Some(season) = SEASONS
            .iter()
            .find(|w| bare.trim_end_matches('は').trim_end_matches('等') == **w)
        {
            groups.push(Group::Season(season.to_string(), vec![range]));
            continue;
        }
        match label_days(bare) {
            Some(days) => groups.push(Group::Days(days, vec![range])),
            None => {
                out.not_understood.push(bare.to_string());
                groups.push(Group::Default(vec![range]));
            }
        }
    }
    let rest: String = cs[last_end..].iter().collect();
    let rest = rest.trim_matches(|c: char| "(): 、。".contains(c));
    if let Some(group) = closes_earlier(rest, groups) {
        // 「(土曜日は17:00まで)」: those days close earlier.
        groups.push(group);
    } else if !rest.is_empty() {
        // Closed days written in the hours section without a heading
        // (「8:30〜17:15 土日祝休み」, 「月の第3日曜日、祝日」).
        closed_section(rest, out);
    }
}

/// 「日曜日・祝日は17:00(まで)」 after a range: the days named open as the
/// range before does and close at the time given.
fn closes_earlier(rest: &str, groups: &[Group]) -> Option<Group> {
    let (label, time) = rest.rsplit_once('は')?;
    let cs: Vec<char> = time.trim().chars().collect();
    let (close, end) = time_at(&cs, 0)?;
    if end != cs.len() {
        return None;
    }
    let open = match groups.last()? {
        Group::Default(r) | Group::Days(_, r) => r.first()?.0,
        Group::Season(..) => return None,
    };
    let days = label_days(label)?;
    (open < close).then(|| Group::Days(days, vec![(open, close)]))
}

fn closed_section(s: &str, out: &mut ParsedHours) {
    let s = s.trim();
    let s = s
        .strip_suffix("を除く")
        .or_else(|| s.strip_suffix("除く"))
        .unwrap_or(s);
    for item in closed_items(s) {
        if closed_item(&item, out) {
            continue;
        }
        // 「火曜日・年末年始」: items joined by ・ rather than 、.
        let parts: Vec<&str> = item.split('・').collect();
        if parts.len() > 1 && !item.contains('(') {
            let mut trial = out.clone();
            if parts.iter().all(|p| closed_item(p, &mut trial)) {
                *out = trial;
                continue;
            }
        }
        out.not_understood.push(item);
    }
}

/// Reads a free-text hours string as municipal lists write it:
/// 【開館時間】/【受付時間】/【休館日】 sections, several ranges a day,
/// ranges per day group (平日, 土曜日, 日・祝, and seasons such as
/// 長期休暇), full-width digits and colons, 時/分, spaces around 〜, and
/// closed days (祝日, 年末年始, お盆, 第N曜日, 月末日, dates, 「祝日の場合は
/// 翌日」). Never fails: what it cannot read is in `not_understood`.
///
/// ```
/// use tsunagu::model::hours::text::parse;
/// let p = parse("【開館時間】9:00～17:00 【休館日】火曜日(火曜日が祝日の場合は翌日)、年末年始");
/// assert!(p.not_understood.is_empty());
/// assert_eq!(p.hours[0].japanese(), "月・水〜日・祝日 9:00〜17:00");
/// ```
pub fn parse(text: &str) -> ParsedHours {
    let t = normalize_text(text);
    let mut out = ParsedHours::default();
    let mut groups: Vec<Group> = Vec::new();
    // Sections: text before the first 【】, then each 【head】body.
    let mut sections: Vec<(Option<String>, String)> = Vec::new();
    let mut rest = t.as_str();
    loop {
        match rest.find('【') {
            Some(i) => {
                let before = &rest[..i];
                match sections.last_mut() {
                    Some((_, body)) => body.push_str(before),
                    None if !before.trim().is_empty() => sections.push((None, before.to_string())),
                    None => {}
                }
                let after = &rest[i + '【'.len_utf8()..];
                match after.find('】') {
                    Some(j) => {
                        sections.push((Some(after[..j].trim().to_string()), String::new()));
                        rest = &after[j + '】'.len_utf8()..];
                    }
                    None => {
                        out.not_understood.push(after.trim().to_string());
                        break;
                    }
                }
            }
            None => {
                match sections.last_mut() {
                    Some((_, body)) => body.push_str(rest),
                    None => sections.push((None, rest.to_string())),
                }
                break;
            }
        }
    }
    for (head, body) in &sections {
        let body = body.trim();
        let head = head.as_deref();
        let is_closed = head.is_some_and(|h| CLOSED_HEADS.contains(&h));
        let is_hours = head.is_some_and(|h| HOURS_HEADS.contains(&h));
        if head.is_some() && !is_closed && !is_hours {
            out.not_understood
                .push(format!("【{}】{body}", head.unwrap_or_default()));
            continue;
        }
        if is_closed {
            closed_section(body, &mut out);
        } else if !body.is_empty() {
            hours_section(body, &mut groups, &mut out);
        }
    }
    // Days: explicit groups take theirs; the default group gets every
    // other day that is not closed.
    let closed_weekly: Vec<Day> = out.closed_days.clone();
    let claimed: Vec<Day> = groups
        .iter()
        .filter_map(|g| match g {
            Group::Days(d, _) => Some(d.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    // A holiday opens unless 祝日 is closed, or the text gives holidays
    // their own hours.
    let all = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
        Day::Hol,
    ];
    for g in groups {
        let (days, ranges): (Vec<Day>, Vec<(TimeOfDay, TimeOfDay)>) = match g {
            Group::Default(r) => (
                all.iter()
                    .copied()
                    .filter(|d| !closed_weekly.contains(d) && !claimed.contains(d))
                    .collect(),
                r,
            ),
            Group::Days(d, r) => (
                d.into_iter()
                    .filter(|d| !closed_weekly.contains(d))
                    .collect(),
                r,
            ),
            Group::Season(name, ranges) => {
                out.seasons.push(Season { name, ranges });
                continue;
            }
        };
        if days.is_empty() {
            continue;
        }
        for (open, close) in ranges {
            out.hours.push(HoursRule::Weekly {
                days: days.clone(),
                open,
                close,
                note: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(p: &ParsedHours) -> Vec<String> {
        p.hours.iter().map(HoursRule::japanese).collect()
    }

    #[test]
    fn the_forms_of_the_issue() {
        let p =
            parse("【開館時間】9:00～17:00 【休館日】火曜日(火曜日が祝日の場合は翌日)、年末年始");
        assert_eq!(texts(&p), ["月・水〜日・祝日 9:00〜17:00"]);
        assert_eq!(
            p.closures,
            [
                Closure::HolidayMoves {
                    weekday: Weekday::Tue,
                    note: None
                },
                Closure::YearEnd { note: None }
            ]
        );
        assert!(p.not_understood.is_empty(), "{:?}", p.not_understood);

        let p = parse("【開館時間】9:00～12:00、13:00～16:30【休館日】土曜日、日曜日、祝日");
        assert_eq!(texts(&p), ["月〜金 9:00〜12:00", "月〜金 13:00〜16:30"]);

        let p = parse("【開館時間】平日：12:00～18:30　土曜日：7:30～16:30 長期休暇：7:30～18:30 【休館日】日曜日、祝祭日");
        assert_eq!(texts(&p), ["月〜金 12:00〜18:30", "土 7:30〜16:30"]);
        assert_eq!(p.seasons.len(), 1);
        assert_eq!(p.seasons[0].name, "長期休暇");
        assert!(p.is_complete(), "{:?}", p.not_understood);

        assert_eq!(texts(&parse("8:30～１7:15")), ["月〜日・祝日 8:30〜17:15"]);
        assert_eq!(texts(&parse("9：00～21：30")), ["月〜日・祝日 9:00〜21:30"]);
        assert_eq!(
            texts(&parse("8時30分　～　17時15分")),
            ["月〜日・祝日 8:30〜17:15"]
        );

        let p = parse("9:00～19:00 (土・日・祝休日は9:00～17:00) 【休館日】月曜日 (祝休日の場合は、翌平日) 月末日");
        assert_eq!(
            texts(&p),
            ["火〜金 9:00〜19:00", "土・日・祝日 9:00〜17:00"]
        );
        assert_eq!(
            p.closures,
            [
                Closure::HolidayMoves {
                    weekday: Weekday::Mon,
                    note: None
                },
                Closure::MonthEnd { note: None }
            ]
        );
        assert!(p.not_understood.is_empty(), "{:?}", p.not_understood);

        let p = parse("月の第3日曜日、祝日");
        assert!(p.hours.is_empty());
        assert_eq!(
            p.closures,
            [Closure::Monthly {
                weekday: Weekday::Sun,
                nth: 3,
                note: None
            }]
        );
        assert_eq!(p.closed_days, [Day::Hol]);
        assert!(p.is_complete());
    }

    #[test]
    fn what_it_cannot_read_it_says() {
        let p = parse("【開館時間】9:00～17:00 【休館日】施設の指定する日");
        assert_eq!(p.not_understood, ["施設の指定する日"]);
        assert_eq!(texts(&p), ["月〜日・祝日 9:00〜17:00"]);
        let p = parse("随時(要予約)");
        assert!(!p.is_complete());
        assert!(!p.not_understood.is_empty());
    }

    fn days(s: &str) -> Vec<Day> {
        parse_days(s).unwrap().weekly
    }

    #[test]
    fn day_forms() {
        use Day::*;
        assert_eq!(days("月,火,水"), [Mon, Tue, Wed]);
        assert_eq!(days("月～金"), [Mon, Tue, Wed, Thu, Fri]);
        assert_eq!(days("月曜日・金曜日"), [Mon, Fri]);
        assert_eq!(days("月曜日〜金曜日"), [Mon, Tue, Wed, Thu, Fri]);
        assert_eq!(days("土日祝"), [Sat, Sun, Hol]);
        assert_eq!(days("土・祝日"), [Sat, Hol]);
        assert_eq!(days("平日"), [Mon, Tue, Wed, Thu, Fri]);
        assert_eq!(days("金〜月"), [Fri, Sat, Sun, Mon]);
        let m = parse_days("第1・第3水曜").unwrap().monthly;
        assert_eq!(m, [(Weekday::Wed, 1), (Weekday::Wed, 3)]);
        let m = parse_days("第2,4土曜日").unwrap().monthly;
        assert_eq!(m, [(Weekday::Sat, 2), (Weekday::Sat, 4)]);
        assert_eq!(
            parse_days("毎月最終金曜日").unwrap().monthly,
            [(Weekday::Fri, -1)]
        );
        let mixed = parse_days("月,水,第2土").unwrap();
        assert_eq!(mixed.weekly, [Mon, Wed]);
        assert_eq!(mixed.monthly, [(Weekday::Sat, 2)]);
        for bad in ["随時", "第6水", "第1", "月〜", "要予約", ""] {
            assert!(parse_days(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times() {
        for (s, m) in [
            ("9:00", 540),
            ("09:00", 540),
            ("9:00:00", 540),
            ("９：３０", 570),
            ("9時", 540),
            ("9時30分", 570),
            ("17:15", 1035),
        ] {
            assert_eq!(parse_time(s).unwrap().minutes(), m, "{s}");
        }
        assert!(parse_time("夕方").is_err());
    }
}
