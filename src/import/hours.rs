//! The hours of a row: 利用可能曜日・開始時間・終了時間 and `hours_text` into
//! rules; what cannot be read stays in `hours_note`, with a warning.

use super::row::Converter;
use super::Level;
use crate::model::hours::text;
use crate::model::HoursRule;
use crate::opendata::schedule::{self, parse_days, parse_time, rules_for};

impl Converter<'_> {
    /// The hours rules from 利用可能曜日・開始時間・終了時間 (and `hours_text`);
    /// what cannot be read goes to hours_note with a warning.
    pub(super) fn hours(&mut self) -> Vec<HoursRule> {
        let mut rules: Vec<HoursRule> = Vec::new();
        let mut unread: Vec<String> = Vec::new();
        // A days column with a times-only text (営業日「月〜土」, 営業時間
        // 「10:00〜18:00」): the days go in front of each line of the text.
        let days_for_text = match (&self.d.hours_days, &self.d.hours_open, &self.d.hours_close) {
            (Some((d, _)), None, None) if !self.d.hours_text.is_empty() && !d.contains('\n') => {
                self.d.hours_days.take().map(|(d, _)| d)
            }
            _ => None,
        };
        for (text, col) in std::mem::take(&mut self.d.hours_text) {
            for line in text
                .lines()
                .flat_map(|l| l.split(['；', ';']))
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                let line = match &days_for_text {
                    Some(d) => format!("{} {line}", d.trim()),
                    None => line.to_string(),
                };
                let line = line.as_str();
                match schedule::parse_rule_text(line) {
                    Ok(r) => rules.extend(r),
                    Err(e) => {
                        self.msg(
                            Level::Warning,
                            Some(&col),
                            format!("{e}; kept in hours_note"),
                        );
                        unread.push(line.to_string());
                    }
                }
            }
        }
        let days = self.d.hours_days.take();
        let open = self.d.hours_open.take();
        let close = self.d.hours_close.take();
        match (&days, &open, &close) {
            (Some((d, dcol)), Some((o, _)), Some((c, _))) => {
                let dl: Vec<&str> = d.lines().map(str::trim).collect();
                let ol: Vec<&str> = o.lines().map(str::trim).collect();
                let cl: Vec<&str> = c.lines().map(str::trim).collect();
                let aligned = (ol.len() == dl.len() || ol.len() == 1)
                    && (cl.len() == dl.len() || cl.len() == 1);
                if !aligned {
                    self.msg(Level::Warning, Some(dcol), format!("the lines of 利用可能曜日 ({}), 開始時間 ({}) and 終了時間 ({}) do not match; kept in hours_note", dl.len(), ol.len(), cl.len()));
                    unread.push(format!(
                        "{} {}〜{}",
                        d.replace('\n', " / "),
                        o.replace('\n', " / "),
                        c.replace('\n', " / ")
                    ));
                } else {
                    for (i, dline) in dl.iter().enumerate() {
                        let o = if ol.len() == 1 { ol[0] } else { ol[i] };
                        let c = if cl.len() == 1 { cl[0] } else { cl[i] };
                        let parsed = parse_days(dline).and_then(|spec| {
                            let (o, c) = (parse_time(o)?, parse_time(c)?);
                            if c <= o {
                                return Err(format!(
                                    "closing time {c} is not after opening time {o}"
                                ));
                            }
                            Ok(rules_for(&spec, o, c))
                        });
                        match parsed {
                            Ok(r) => rules.extend(r),
                            Err(e) => {
                                self.msg(
                                    Level::Warning,
                                    Some(dcol),
                                    format!("{e}; 「{dline} {o}〜{c}」 kept in hours_note"),
                                );
                                unread.push(format!("{dline} {o}〜{c}"));
                            }
                        }
                    }
                }
            }
            (None, None, None) => {}
            _ => {
                let part = |x: &Option<(String, String)>| {
                    x.as_ref()
                        .map(|(v, _)| v.replace('\n', " / "))
                        .unwrap_or_default()
                };
                let times = match (part(&open), part(&close)) {
                    (o, c) if o.is_empty() && c.is_empty() => String::new(),
                    (o, c) => format!("{o}〜{c}"),
                };
                let text = format!("{} {times}", part(&days)).trim().to_string();
                let col = days
                    .as_ref()
                    .or(open.as_ref())
                    .or(close.as_ref())
                    .map(|(_, c)| c.clone());
                self.msg(Level::Warning, col.as_deref(), format!("hours need 利用可能曜日, 開始時間 and 終了時間 together; 「{text}」 kept in hours_note"));
                unread.push(text);
            }
        }
        let note_text = self.d.hours_note.join("\n");
        let mut note = schedule::attach_notes(&mut rules, &note_text)
            .map(|n| vec![n])
            .unwrap_or_default();
        if let Some(rest) = note.pop() {
            note.extend(self.read_hours_text(&rest, &mut rules));
        }
        note.extend(unread);
        self.d.hours_note = note;
        rules
    }

    /// 利用可能日時特記事項 in words (「【開館時間】9:00～17:00 【休館日】火曜日、
    /// 年末年始」), read with the hours model's text parser when the columns
    /// gave no rules: its hours become the rules, its closed days `closed`.
    /// Returns what stays in `hours_note`: the seasons in words and every
    /// part not understood, each reported for the row.
    fn read_hours_text(&mut self, rest: &str, rules: &mut Vec<HoursRule>) -> Vec<String> {
        let col = Some("利用可能日時特記事項");
        let parsed = text::parse(rest);
        // Beside rules from the columns the text is an editor's remark (or
        // the export's own 【休館日】 line): kept as written, so export →
        // import → export stays lossless.
        let usable = rules.is_empty() && (!parsed.hours.is_empty() || !parsed.closures.is_empty());
        if !usable {
            if !parsed.not_understood.is_empty() && rules.is_empty() {
                self.msg(
                    Level::Warning,
                    col,
                    format!(
                        "the hours text was not understood (「{}」); kept in hours_note",
                        parsed.not_understood.join("」「")
                    ),
                );
            }
            return vec![rest.to_string()];
        }
        rules.extend(parsed.hours.iter().cloned());
        self.d.closed.extend(parsed.closures.iter().cloned());
        let mut kept: Vec<String> = parsed
            .seasons
            .iter()
            .map(|s| {
                let ranges: Vec<String> = s
                    .ranges
                    .iter()
                    .map(|(o, c)| format!("{}〜{}", schedule::hhmm(*o), schedule::hhmm(*c)))
                    .collect();
                format!("{}: {}", s.name, ranges.join("、"))
            })
            .collect();
        for part in &parsed.not_understood {
            self.msg(
                Level::Warning,
                col,
                format!("「{part}」 in the hours text was not understood; kept in hours_note"),
            );
            kept.push(part.clone());
        }
        kept
    }
}
