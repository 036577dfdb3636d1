//! Result shaping: what a hit shows, with the matches highlighted.

use super::*;

impl Index {
    pub(super) fn hit(
        &self,
        doc: DocId,
        score: f32,
        phrases: &[&[Tok]],
        now: Option<i64>,
    ) -> Result<Hit, SearchError> {
        let stored = self.hits.get(doc as usize)?;
        Ok(Hit {
            summary_highlighted: highlight(&stored.summary, phrases),
            name_highlighted: highlight(&stored.name, phrases),
            slug: stored.slug,
            kind: stored.kind,
            name: stored.name,
            kana: stored.kana,
            url: stored.url,
            area: stored.area,
            summary: stored.summary,
            score: if score.is_finite() { score } else { 0.0 },
            starts: stored.starts,
            ends: stored.ends,
            past: self.is_past(doc, now),
            phone: stored.phone,
            tel: stored.tel,
            hours: stored.hours,
        })
    }
}

/// HTML-escapes `text` and wraps in `<mark>` every place where one of the
/// query phrases matches, with the same token logic as the search itself
/// (so highlighting never claims a match the search would not make).
pub(super) fn highlight(text: &str, phrases: &[&[Tok]]) -> String {
    let toks = analyze(text, Mode::Index);
    let by_position: BTreeMap<usize, &Tok> = toks.iter().map(|t| (t.position, t)).collect();
    let mut marks: Vec<std::ops::Range<usize>> = Vec::new();
    for phrase in phrases {
        let Some(first) = phrase.first() else {
            continue;
        };
        let last_index = phrase.len() - 1;
        for start in &toks {
            let mut ranges = Vec::with_capacity(phrase.len());
            let matched = phrase.iter().enumerate().all(|(i, q)| {
                let at = start.position + (q.position - first.position);
                let Some(t) = by_position.get(&at) else {
                    return false;
                };
                let prefix = q.single_char && (i == last_index);
                if t.text == q.text {
                    ranges.push(t.src.clone());
                    true
                } else if prefix && t.text.starts_with(&q.text) {
                    ranges.push(t.head.clone());
                    true
                } else {
                    false
                }
            });
            if matched {
                marks.extend(ranges);
            }
        }
    }
    marks.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in marks {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut out = String::with_capacity(text.len() + merged.len() * 13);
    let mut pos = 0;
    for r in merged {
        if r.start < pos || r.end > text.len() {
            continue;
        }
        escape_into(&mut out, text.get(pos..r.start).unwrap_or(""));
        out.push_str("<mark>");
        escape_into(&mut out, text.get(r.start..r.end).unwrap_or(""));
        out.push_str("</mark>");
        pos = r.end;
    }
    escape_into(&mut out, text.get(pos..).unwrap_or(""));
    out
}

pub(super) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str) -> Vec<Tok> {
        analyze(text, Mode::Query)
    }

    #[test]
    fn highlights_phrases_and_escapes() {
        let p = phrase("相談");
        assert_eq!(
            highlight("<b>相談</b>は無料", &[&p]),
            "&lt;b&gt;<mark>相談</mark>&lt;/b&gt;は無料"
        );
    }

    #[test]
    fn highlights_across_width_and_kana_folding() {
        let p = phrase("かたかな");
        assert_eq!(highlight("ｶﾀｶﾅです", &[&p]), "<mark>ｶﾀｶﾅ</mark>です");
        let p = phrase("npo");
        assert_eq!(highlight("ＮＰＯ法人", &[&p]), "<mark>ＮＰＯ</mark>法人");
    }

    #[test]
    fn single_character_highlights_only_that_character() {
        let p = phrase("所");
        assert_eq!(
            highlight("相談所長の所", &[&p]),
            "相談<mark>所</mark>長の<mark>所</mark>"
        );
    }

    #[test]
    fn partial_phrase_is_not_highlighted() {
        let p = phrase("子ども食堂");
        assert_eq!(highlight("食堂と子ども", &[&p]), "食堂と子ども");
        assert_eq!(
            highlight("子ども食堂です", &[&p]),
            "<mark>子ども食堂</mark>です"
        );
    }
}
