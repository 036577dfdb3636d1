//! Japanese text on the page: where a line may break, and furigana over
//! the kanji of a name.
//!
//! **Line breaks.** A browser breaks Japanese between any two characters,
//! so on a 360 px phone 「24時間」 became 「24時/間」 and 「電話相談」
//! 「電話相/談」. The theme sets `word-break: keep-all` on short texts
//! (headings, names, the hotline bar) and marks where a line may break
//! with `<wbr>` from [`phrases_html`], made at build time so it works in
//! every browser: a phrase is a run of kanji, katakana, Latin letters or
//! digits with the hiragana that follow it (「ひきこもり」「地域支援センター」,
//! 「誰でも」「利用できます」), the rule Japanese typesetters use for
//! bunsetsu without a dictionary. Running text uses the browser's own
//! phrase breaking (`word-break: auto-phrase`) where it has one.
//!
//! **Furigana.** [`ruby_parts`] splits a name's reading over its kanji runs
//! (「広島」 gets ひろしま, 「ひきこもり」 and 「in」 get none), by matching
//! the kana of the name against the reading. When the reading cannot be
//! split in exactly one way (it reads only part of the name, or a Latin
//! word or a number sits beside the kanji), there is no furigana and the
//! theme shows the reading on its own line.

use super::theme::escape_html;
use serde::Serialize;

/// What a character is, for phrases and furigana.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Hiragana,
    Katakana,
    Kanji,
    /// ASCII and full-width letters and digits, and the symbols inside a
    /// Latin name (`FOOT&WORK`).
    Latin,
    /// Spaces, brackets, punctuation: never under furigana, never read.
    Other,
}

fn script(c: char) -> Script {
    match c {
        '\u{3041}'..='\u{3096}' | 'ゝ' | 'ゞ' => Script::Hiragana,
        // ー and the wave dash lengthen the kana before them.
        '\u{30A1}'..='\u{30FA}' | 'ー' | 'ヽ' | 'ヾ' | '〜' | '～' => Script::Katakana,
        '々'
        | '〆'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}' => Script::Kanji,
        'a'..='z' | 'A'..='Z' | '0'..='9' | '&' | '\'' | '.' | '-' => Script::Latin,
        'ａ'..='ｚ' | 'Ａ'..='Ｚ' | '０'..='９' => Script::Latin,
        _ => Script::Other,
    }
}

/// Single hiragana that join the kanji around them into one word
/// (問い合わせ, 申し込み, 取り組み) unless they are a particle: a
/// particle ends a phrase (市の|相談).
const PARTICLES: &[char] = &[
    'の', 'を', 'に', 'は', 'が', 'へ', 'と', 'も', 'で', 'や', 'か',
];

/// Characters that never start a line and a break after which is natural.
fn closes(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '」'
            | '』'
            | '）'
            | ')'
            | '】'
            | '・'
            | '!'
            | '！'
            | '?'
            | '？'
            | ':'
            | '：'
    )
}

fn opens(c: char) -> bool {
    matches!(c, '「' | '『' | '（' | '(' | '【')
}

/// The text split into phrases: a line may break between two of them and
/// nowhere inside one (spaces stay inside the phrase before them).
pub fn phrases(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    // Where the current hiragana run began (index into `chars`).
    let mut hira_from: Option<usize> = None;
    for k in 0..chars.len() {
        let (pos, c) = chars[k];
        let s = script(c);
        if k > 0 {
            let prev = chars[k - 1].1;
            let after_hiragana = script(prev) == Script::Hiragana
                && matches!(s, Script::Kanji | Script::Katakana | Script::Latin)
                && !matches!(c, 'ー' | '〜' | '～')
                && hira_from.is_some_and(|from| {
                    let run = k - from;
                    let before = from.checked_sub(1).map(|b| script(chars[b].1));
                    // お茶, ご相談: an honorific prefix is part of the word.
                    let prefix = run == 1
                        && matches!(chars[from].1, 'お' | 'ご')
                        && before.is_none_or(|b| !matches!(b, Script::Kanji | Script::Katakana));
                    // 問い合わせ, 申し込み: okurigana inside a word (the
                    // kanji after it take hiragana again; 申し込み|方法).
                    let continues = chars[k..]
                        .iter()
                        .find(|(_, x)| script(*x) != Script::Kanji)
                        .is_some_and(|(_, x)| script(*x) == Script::Hiragana);
                    let okurigana = run == 1
                        && before == Some(Script::Kanji)
                        && s == Script::Kanji
                        && continues
                        && !PARTICLES.contains(&chars[from].1);
                    // 桔梗が丘, ごはん会: one kanji closing a name is its suffix.
                    let next = chars.get(k + 1).map(|(_, x)| script(*x));
                    let suffix = s == Script::Kanji && next.is_none_or(|n| n == Script::Other);
                    !prefix && !okurigana && !suffix
                });
            let at_punctuation = (closes(prev) && !closes(c) && !c.is_whitespace())
                || (opens(c) && !opens(prev) && !prev.is_whitespace());
            let after_space = prev.is_whitespace() && !c.is_whitespace();
            if (after_hiragana || at_punctuation || after_space) && pos > start {
                out.push(&text[start..pos]);
                start = pos;
            }
        }
        if s == Script::Hiragana {
            hira_from.get_or_insert(k);
        } else {
            hira_from = None;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The text HTML-escaped, with `<wbr>` between its phrases (the `phrases`
/// filter of the templates: `{{ name | phrases | safe }}`).
pub fn phrases_html(text: &str) -> String {
    phrases(text)
        .iter()
        .map(|p| escape_html(p))
        .collect::<Vec<_>>()
        .join("<wbr>")
}

/// `phrases` for tera: the value must be a string.
pub fn phrases_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    match value {
        tera::Value::String(s) => Ok(tera::Value::String(phrases_html(s))),
        tera::Value::Null => Ok(tera::Value::String(String::new())),
        other => Err(tera::Error::msg(format!(
            "the `phrases` filter takes text, not {other}"
        ))),
    }
}

/// One piece of a name: `rt` is its reading when it is a kanji run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RubyPart {
    pub text: String,
    pub rt: Option<String>,
}

/// Katakana folded to hiragana (ー and the wave dashes kept as ー).
fn fold(c: char) -> char {
    match c {
        '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        '〜' | '～' => 'ー',
        _ => c,
    }
}

/// A run of one script in the name.
struct Run {
    text: String,
    script: Script,
}

fn runs(name: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for c in name.chars() {
        let s = match script(c) {
            Script::Katakana => Script::Hiragana,
            s => s,
        };
        match out.last_mut() {
            Some(r) if r.script == s => r.text.push(c),
            _ => out.push(Run {
                text: c.to_string(),
                script: s,
            }),
        }
    }
    out
}

/// Ways to read `runs[i..]` as `reading[at..]`, up to two (one is what
/// is wanted; two means it is ambiguous); `spans` gets the reading of each
/// kanji run of the first way found.
fn align(
    runs: &[Run],
    i: usize,
    reading: &[char],
    at: usize,
    spans: &mut Vec<(usize, usize)>,
    first: &mut Option<Vec<(usize, usize)>>,
) -> usize {
    let Some(run) = runs.get(i) else {
        if at == reading.len() {
            if first.is_none() {
                *first = Some(spans.clone());
            }
            return 1;
        }
        return 0;
    };
    let rest = reading.len() - at;
    match run.script {
        Script::Other => align(runs, i + 1, reading, at, spans, first),
        Script::Hiragana => {
            let kana: Vec<char> = run.text.chars().map(fold).collect();
            if reading[at..].starts_with(&kana) {
                align(runs, i + 1, reading, at + kana.len(), spans, first)
            } else {
                0
            }
        }
        Script::Kanji | Script::Katakana | Script::Latin => {
            let min = usize::from(run.script == Script::Kanji);
            let mut found = 0;
            for len in min..=rest {
                spans.push((at, at + len));
                found += align(runs, i + 1, reading, at + len, spans, first);
                spans.pop();
                if found > 1 {
                    break;
                }
            }
            found
        }
    }
}

/// The name in pieces with the reading of each kanji run, or `None` when
/// the name has no kanji (nothing to read) or the reading cannot be split
/// over its kanji in exactly one way.
pub fn ruby_parts(name: &str, kana: &str) -> Option<Vec<RubyPart>> {
    let runs = runs(name);
    if !runs.iter().any(|r| r.script == Script::Kanji) {
        return None;
    }
    let reading: Vec<char> = kana
        .chars()
        .filter(|c| !c.is_whitespace() && script(*c) != Script::Other)
        .map(fold)
        .collect();
    let mut first = None;
    if align(&runs, 0, &reading, 0, &mut Vec::new(), &mut first) != 1 {
        return None;
    }
    let spans = first?;
    let mut spans = spans.into_iter();
    let mut parts: Vec<RubyPart> = Vec::new();
    for run in &runs {
        let span = match run.script {
            Script::Kanji | Script::Katakana | Script::Latin => spans.next(),
            _ => None,
        };
        let rt = match (run.script, span) {
            (Script::Kanji, Some((a, b))) => Some(reading[a..b].iter().collect()),
            _ => None,
        };
        // Plain text next to plain text is one piece.
        match parts.last_mut() {
            Some(p) if p.rt.is_none() && rt.is_none() => p.text.push_str(&run.text),
            _ => parts.push(RubyPart {
                text: run.text.clone(),
                rt,
            }),
        }
    }
    Some(parts)
}

/// The name as HTML with furigana over its kanji runs (`parts` from
/// [`ruby_parts`]), each phrase of the name in one
/// `<span class="ruby-phrase">` and `<wbr>` between them: a browser may
/// break a line beside any `<ruby>`, so the phrase, not the ruby, is
/// what keeps 「考えたいこと」 whole.
pub fn ruby_html(name: &str, parts: &[RubyPart]) -> String {
    // Byte ranges of the parts in the name.
    let mut ranges = Vec::with_capacity(parts.len());
    let mut at = 0;
    for p in parts {
        ranges.push((at, at + p.text.len(), p));
        at += p.text.len();
    }
    let mut out = String::new();
    let mut start = 0;
    for (n, phrase) in phrases(name).into_iter().enumerate() {
        let end = start + phrase.len();
        if n > 0 {
            out.push_str("<wbr>");
        }
        out.push_str("<span class=\"ruby-phrase\">");
        for &(a, b, p) in &ranges {
            let (from, to) = (a.max(start), b.min(end));
            if from >= to {
                continue;
            }
            match &p.rt {
                // A kanji run never straddles two phrases (they break
                // before kanji and at punctuation), so it is whole here.
                Some(rt) => {
                    out.push_str("<ruby>");
                    out.push_str(&escape_html(&p.text));
                    out.push_str("<rp>(</rp><rt>");
                    out.push_str(&escape_html(rt));
                    out.push_str("</rt><rp>)</rp></ruby>");
                }
                None => out.push_str(&escape_html(&name[from..to])),
            }
        }
        out.push_str("</span>");
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ruby(name: &str, kana: &str) -> Option<Vec<(String, Option<String>)>> {
        ruby_parts(name, kana).map(|v| v.into_iter().map(|p| (p.text, p.rt)).collect())
    }

    fn part(t: &str, rt: Option<&str>) -> (String, Option<String>) {
        (t.to_string(), rt.map(str::to_string))
    }

    #[test]
    fn the_reading_is_split_over_each_kanji_run_and_never_over_kana() {
        assert_eq!(
            ruby("ほりかわ子ども食堂", "ほりかわこどもしょくどう"),
            Some(vec![
                part("ほりかわ", None),
                part("子", Some("こ")),
                part("ども", None),
                part("食堂", Some("しょくどう")),
            ])
        );
        assert_eq!(
            ruby("ぷらっとホーム世田谷", "ぷらっとほーむせたがや"),
            Some(vec![
                part("ぷらっとホーム", None),
                part("世田谷", Some("せたがや"))
            ])
        );
    }

    #[test]
    fn a_reading_that_cannot_be_split_one_way_gives_no_furigana() {
        // Latin beside kanji: where 「in」's reading ends is a guess.
        assert_eq!(ruby("フォーラム in 広島", "ふぉーらむいんひろしま"), None);
        // The reading leaves out the quoted part.
        assert_eq!(
            ruby("ひきこもり地域家族会「はなみずきの会」", "はなみずきのかい"),
            None
        );
        // Nothing to read: no kanji.
        assert_eq!(ruby("メルクマールせたがや", "めるくまーるせたがや"), None);
        // A reading that does not fit the kana of the name.
        assert_eq!(ruby("すまいと相談室", "すまいのそうだんしつ"), None);
    }

    #[test]
    fn spaces_are_neither_read_nor_under_furigana() {
        assert_eq!(
            ruby(
                "桔梗が丘 みんなのごはん会",
                "ききょうがおかみんなのごはんかい"
            ),
            Some(vec![
                part("桔梗", Some("ききょう")),
                part("が", None),
                part("丘", Some("おか")),
                part(" みんなのごはん", None),
                part("会", Some("かい")),
            ])
        );
        // Two kanji runs with only a space between: where one reading
        // ends is a guess without a dictionary.
        assert_eq!(
            ruby("まちの保健室 桔梗が丘", "まちのほけんしつききょうがおか"),
            None
        );
    }

    #[test]
    fn each_phrase_of_a_name_with_furigana_stays_together() {
        let name = "親が元気なうちに考えたいこと";
        let parts = ruby_parts(name, "おやがげんきなうちにかんがえたいこと").unwrap();
        assert_eq!(
            ruby_html(name, &parts),
            "<span class=\"ruby-phrase\"><ruby>親<rp>(</rp><rt>おや</rt><rp>)</rp></ruby>が</span><wbr>\
             <span class=\"ruby-phrase\"><ruby>元気<rp>(</rp><rt>げんき</rt><rp>)</rp></ruby>なうちに</span><wbr>\
             <span class=\"ruby-phrase\"><ruby>考<rp>(</rp><rt>かんが</rt><rp>)</rp></ruby>えたいこと</span>"
        );
    }

    #[test]
    fn phrases_break_after_the_hiragana_that_end_them() {
        assert_eq!(
            phrases("誰でも利用できます"),
            vec!["誰でも", "利用できます"]
        );
        assert_eq!(
            phrases("ひきこもり地域支援センター"),
            vec!["ひきこもり", "地域支援センター"]
        );
        assert_eq!(phrases("広島市の相談窓口"), vec!["広島市の", "相談窓口"]);
        assert_eq!(phrases("24時間"), vec!["24時間"]);
        assert_eq!(phrases("徒歩約3分"), vec!["徒歩約3分"]);
        assert_eq!(phrases("電話相談"), vec!["電話相談"]);
    }

    #[test]
    fn okurigana_and_honorific_prefixes_stay_in_their_word() {
        assert_eq!(phrases("お問い合わせ先"), vec!["お問い合わせ先"]);
        assert_eq!(phrases("お問い合わせ窓口"), vec!["お問い合わせ", "窓口"]);
        assert_eq!(phrases("申し込み方法"), vec!["申し込み", "方法"]);
        assert_eq!(phrases("ご家族の方へ"), vec!["ご家族の", "方へ"]);
        // One kanji closing a name stays with it.
        assert_eq!(
            phrases("まちの保健室 桔梗が丘"),
            vec!["まちの", "保健室 ", "桔梗が丘"]
        );
        assert_eq!(phrases("みんなのごはん会"), vec!["みんなのごはん会"]);
    }

    #[test]
    fn brackets_and_spaces_end_phrases_and_the_html_is_escaped() {
        assert_eq!(
            phrases("当事者会「いっぽ」 広島"),
            vec!["当事者会", "「いっぽ」 ", "広島"]
        );
        assert_eq!(phrases_html("A&B の<会>"), "A&amp;B <wbr>の&lt;会&gt;");
    }
}
