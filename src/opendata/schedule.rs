//! Opening hours in the CSV columns 利用可能曜日・開始時間・終了時間, both ways.
//!
//! One rule per line: with one rule the three cells are plain values
//! (`月,火,水,木,金` / `09:00` / `17:00`); with several, each cell has one
//! line per rule, in the same order. Weekly days are written
//! `月,火,水,木,金,土,日,祝`; monthly rules `第3木曜` or `最終金曜`.
//! A rule's `note` goes to 利用可能日時特記事項 as a line
//! 「【毎月第2木曜 14:00〜16:00】家族教室(予約制)」 after the `hours_note`.
//!
//! Reading accepts more: 「月～金」「月曜日・金曜日」「土日祝」「平日」「毎日」
//! 「第1・第3水曜」「毎月最終金曜日」, full-width digits, 「9時30分」.

use crate::model::{Day, HoursRule, TimeOfDay, Weekday};

const DAY_CHARS: [(char, Day); 8] = [
    ('月', Day::Mon),
    ('火', Day::Tue),
    ('水', Day::Wed),
    ('木', Day::Thu),
    ('金', Day::Fri),
    ('土', Day::Sat),
    ('日', Day::Sun),
    ('祝', Day::Hol),
];

fn day_char(d: Day) -> char {
    DAY_CHARS
        .iter()
        .find(|(_, x)| *x == d)
        .map(|(c, _)| *c)
        .unwrap_or('?')
}

/// `09:00` (zero-padded, as the standard data sets write times).
pub fn hhmm(t: TimeOfDay) -> String {
    format!("{:02}:{:02}", t.minutes() / 60, t.minutes() % 60)
}

/// The 利用可能曜日 text of one rule.
pub fn days_cell(rule: &HoursRule) -> String {
    match rule {
        HoursRule::Weekly { days, .. } => days
            .iter()
            .map(|d| day_char(*d).to_string())
            .collect::<Vec<_>>()
            .join(","),
        HoursRule::Monthly { weekday, nth, .. } => {
            if *nth == -1 {
                format!("最終{}曜", weekday.japanese())
            } else {
                format!("第{nth}{}曜", weekday.japanese())
            }
        }
    }
}

/// The cells 利用可能曜日, 開始時間, 終了時間 and the note lines for
/// 利用可能日時特記事項.
pub struct Cells {
    pub days: String,
    pub open: String,
    pub close: String,
    pub notes: Vec<String>,
}

pub fn to_cells(rules: &[HoursRule]) -> Cells {
    let lines =
        |f: &dyn Fn(&HoursRule) -> String| rules.iter().map(f).collect::<Vec<_>>().join("\n");
    Cells {
        days: lines(&days_cell),
        open: lines(&|r| hhmm(r.open())),
        close: lines(&|r| hhmm(r.close())),
        notes: rules
            .iter()
            .filter_map(|r| r.note().map(|n| format!("【{}】{n}", r.japanese())))
            .collect(),
    }
}

/// The value of the `data-hours` attribute `opening.js` reads (see
/// docs/open-data.md): `{"tz":"Asia/Tokyo","status":"open","rules":[...]}`
/// with weekly rules as `{"days":["mon","fri"],"open":"15:00","close":"21:00"}`
/// and monthly ones as `{"weekday":"thu","nth":3,...}`. `None` without
/// hours. Put it in an attribute through the template's escaping.
pub fn data_hours(entry: &crate::model::Entry, timezone: &str) -> Option<String> {
    use serde_json::json;
    const KEYS: [&str; 8] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol"];
    let rules = entry.fields.hours.as_ref().filter(|h| !h.is_empty())?;
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
    let status = match entry.status() {
        crate::model::Status::Open => "open",
        crate::model::Status::Paused => "paused",
        crate::model::Status::Closed => "closed",
    };
    Some(json!({"tz": timezone, "status": status, "rules": rules}).to_string())
}

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

/// Puts each 「【rule】note」 line of 利用可能日時特記事項 on the rule it names;
/// returns the other lines (the `hours_note`).
pub fn attach_notes(rules: &mut [HoursRule], text: &str) -> Option<String> {
    let mut rest: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        let attached = line
            .strip_prefix('【')
            .and_then(|l| l.split_once('】'))
            .and_then(|(head, note)| {
                let parsed = parse_rule_text(head).ok()?;
                let [target] = parsed.as_slice() else {
                    return None;
                };
                let rule = rules
                    .iter_mut()
                    .find(|r| same_rule(r, target) && r.note().is_none())?;
                set_note(rule, note.to_string());
                Some(())
            })
            .is_some();
        if !attached {
            rest.push(line);
        }
    }
    let note = rest.join("\n").trim().to_string();
    (!note.is_empty()).then_some(note)
}

fn same_rule(a: &HoursRule, b: &HoursRule) -> bool {
    let key = |r: &HoursRule| (r.japanese(), r.open(), r.close());
    key(a) == key(b)
}

fn set_note(rule: &mut HoursRule, text: String) {
    match rule {
        HoursRule::Weekly { note, .. } | HoursRule::Monthly { note, .. } => *note = Some(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_data_hours_attribute() {
        let fields: crate::model::EntryFields = serde_yaml::from_str(
            "name: x\nstatus: paused\nhours:\n  - {days: [mon, fri, hol], open: '9:00', close: '17:00'}\n  - {weekday: fri, nth: -1, open: '18:00', close: '20:00'}",
        )
        .unwrap();
        let entry = crate::model::Entry {
            kind: crate::model::Kind::Center,
            slug: crate::model::Slug::parse("x").unwrap(),
            source: "content/centers/x.md".into(),
            fields,
            body: String::new(),
        };
        let v: serde_json::Value =
            serde_json::from_str(&data_hours(&entry, "Asia/Tokyo").unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"tz": "Asia/Tokyo", "status": "paused", "rules": [
                {"days": ["mon", "fri", "hol"], "open": "09:00", "close": "17:00"},
                {"weekday": "fri", "nth": -1, "open": "18:00", "close": "20:00"}
            ]})
        );
    }

    #[test]
    fn cells_round_trip() {
        let rules: Vec<HoursRule> = serde_yaml::from_str(
            "- {days: [mon, tue, wed, thu, fri], open: '09:00', close: '17:00'}\n- {weekday: thu, nth: 2, open: '14:00', close: '16:00', note: 家族教室(予約制)}\n- {weekday: fri, nth: -1, open: '18:00', close: '20:00'}",
        )
        .unwrap();
        let c = to_cells(&rules);
        assert_eq!(c.days, "月,火,水,木,金\n第2木曜\n最終金曜");
        assert_eq!(c.open, "09:00\n14:00\n18:00");
        assert_eq!(c.notes, ["【毎月第2木曜 14:00〜16:00】家族教室(予約制)"]);
        let mut back = Vec::new();
        for ((d, o), cl) in c.days.lines().zip(c.open.lines()).zip(c.close.lines()) {
            back.extend(rules_for(
                &parse_days(d).unwrap(),
                parse_time(o).unwrap(),
                parse_time(cl).unwrap(),
            ));
        }
        let note = attach_notes(&mut back, &format!("祝日は休み\n{}", c.notes.join("\n")));
        assert_eq!(note.as_deref(), Some("祝日は休み"));
        assert_eq!(back, rules);
    }
}
