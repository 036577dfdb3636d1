//! Opening hours in the CSV columns 利用可能曜日・開始時間・終了時間, both ways.
//!
//! One rule per line: with one rule the three cells are plain values
//! (`月,火,水,木,金` / `09:00` / `17:00`); with several, each cell has one
//! line per rule, in the same order. Weekly days are written
//! `月,火,水,木,金,土,日,祝`; monthly rules `第3木曜` or `最終金曜`.
//! A rule's `note` goes to 利用可能日時特記事項 as a line
//! 「【毎月第2木曜 14:00〜16:00】家族教室(予約制)」 after the `hours_note`.
//!
//! Reading (src/model/hours/text.rs) accepts more: 「月～金」「月曜日・金曜日」
//! 「土日祝」「平日」「毎日」「第1・第3水曜」「毎月最終金曜日」, full-width digits,
//! 「9時30分」.

use crate::model::hours::text::DAY_CHARS;
use crate::model::{Day, HoursRule, TimeOfDay};

/// The readers of 利用可能曜日 and the times live with the hours model
/// (one parser for the entries' `hours_text`, the CSV import and the
/// free-text 利用可能日時特記事項; #11); re-exported for the CSV columns.
pub use crate::model::hours::text::{parse_days, parse_rule_text, parse_time, rules_for, DaySpec};

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
    use crate::model::hours::text::{parse_days, parse_time, rules_for};

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
