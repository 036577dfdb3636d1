//! Japanese text analysis shared by indexing, querying and highlighting.
//!
//! Japanese has no spaces between words and a morphological analyser
//! (with its dictionary of several megabytes) would not fit in a small
//! browser download, so CJK text is indexed as overlapping character
//! bigrams: any fragment of two or more characters can then be found as
//! a phrase of its bigrams. Latin letters and digits keep their usual
//! whole-word treatment.
//!
//! Normalisation (see [`normalize`]) runs first, on small clusters of the
//! original text, so that every normalised character still knows which
//! bytes of the original it came from; highlighting relies on that.

use std::ops::Range;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// Longest Latin/digit token kept, in characters. Longer runs (hashes,
/// pasted URLs without punctuation) are cut so that no token can exceed
/// tantivy's term length limit; indexing and querying cut identically.
const MAX_WORD_CHARS: usize = 48;

/// One normalised character and the byte range of the original text it
/// was produced from (several normalised characters may share a range,
/// e.g. `㍿` → `株式会社`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NormChar {
    pub ch: char,
    pub src: Range<usize>,
}

/// Normalises text the way the index sees it: Unicode NFKC (full-width
/// Latin and digits become ASCII, half-width katakana become full-width),
/// katakana folded to hiragana, lower case, and invisible format
/// characters (variation selectors, zero-width spaces, BOM, soft hyphen)
/// removed. Long vowel marks `ー` and small kana are kept as they are.
///
/// ```
/// assert_eq!(tsunagu_search::normalize("ＡＢＣ１２３ｶﾀｶﾅ"), "abc123かたかな");
/// assert_eq!(tsunagu_search::normalize("センター"), "せんたー");
/// ```
pub fn normalize(text: &str) -> String {
    normalize_mapped(text).into_iter().map(|c| c.ch).collect()
}

/// [`normalize`], keeping for each output character its source byte range.
///
/// NFKC is applied per cluster (a character plus the combining marks that
/// follow it, including the half-width voiced sound marks `ﾞ` `ﾟ`), which
/// is exactly where composition can happen; it keeps the mapping to the
/// original exact without a general alignment algorithm.
pub(crate) fn normalize_mapped(text: &str) -> Vec<NormChar> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    let mut cluster = String::new();
    while let Some((start, first)) = chars.next() {
        let end = start + first.len_utf8();
        // Most characters of a portal's text (ASCII, kana, common kanji)
        // are their own NFKC form and start no cluster: they skip the
        // general path below, which is most of the cost of indexing.
        if let Some(ch) = stable(first) {
            if chars
                .peek()
                .map_or(true, |&(_, next)| !is_continuation(next))
            {
                out.push(NormChar {
                    ch,
                    src: start..end,
                });
                continue;
            }
        }
        cluster.clear();
        cluster.push(first);
        let mut end = end;
        while let Some(&(i, next)) = chars.peek() {
            if is_continuation(next) {
                cluster.push(next);
                end = i + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        for c in cluster.nfkc() {
            if is_ignorable(c) {
                continue;
            }
            let c = kata_to_hira(c);
            if c.is_uppercase() {
                for lower in c.to_lowercase() {
                    out.push(NormChar {
                        ch: lower,
                        src: start..end,
                    });
                }
            } else {
                out.push(NormChar {
                    ch: c,
                    src: start..end,
                });
            }
        }
    }
    out
}

/// The normalised form of `c` when `c` alone is already in NFKC and
/// needs at most case or kana folding: printable ASCII, hiragana,
/// katakana, `ー` and the CJK unified ideographs (the compatibility
/// ideographs, which NFKC maps, are outside this range). `None` sends
/// the character through the general path. A unit test checks every
/// character accepted here against that path.
fn stable(c: char) -> Option<char> {
    match c {
        ' '..='~' => Some(c.to_ascii_lowercase()),
        '\u{3041}'..='\u{3096}' | '\u{30FC}' | '\u{4E00}'..='\u{9FFF}' => Some(c),
        '\u{30A1}'..='\u{30F6}' => Some(kata_to_hira(c)),
        _ => None,
    }
}

/// Characters that NFKC may compose with the preceding character.
fn is_continuation(c: char) -> bool {
    canonical_combining_class(c) != 0 || c == '\u{FF9E}' || c == '\u{FF9F}'
}

/// Invisible characters that would otherwise split a word in two.
fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Folds katakana to hiragana so that either script finds the other.
/// `ー`, `・` and the katakana-only letters `ヷ`–`ヺ` have no hiragana
/// counterpart and are left alone.
fn kata_to_hira(c: char) -> char {
    match c {
        'ァ'..='ヶ' | 'ヽ' | 'ヾ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// Characters that are bigrammed: kanji, kana and the iteration and
/// prolonged-sound marks that belong inside Japanese words (Hangul is
/// included because it is written without reliable word boundaries too).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3005}'..='\u{3007}'            // 々 〆 〇
        | '\u{3041}'..='\u{309F}'          // hiragana (incl. ゝゞ)
        | '\u{30A0}'..='\u{30FA}'          // katakana (before ・)
        | '\u{30FC}'..='\u{30FF}'          // ー ヽ ヾ ヿ
        | '\u{31F0}'..='\u{31FF}'          // small katakana extensions
        | '\u{3400}'..='\u{4DBF}'          // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'          // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}'          // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'          // CJK compatibility ideographs
        | '\u{20000}'..='\u{3FFFF}') // CJK extensions B and later
}

/// Marks that join the parts of one name rather than separate words:
/// tildes and wave dashes (`～` is `~` after NFKC, the IME's `〜`, `〰`),
/// hyphens, dashes and the minus sign, the middle dot `・` (`･` after
/// NFKC), the prolonged sound mark `ー` and spaces. A family types
/// 「ひきこもり〜家族会」, 「ひきこもりー家族会」 or 「ひきこもり家族会」 for a name
/// written 「ひきこもり～家族会」; the long vowel mark is also often left
/// out (「コンピュータ」 for 「コンピューター」).
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '~' | '\u{301C}' | '\u{3030}' | '-' | '\u{2010}'
            ..='\u{2015}' | '\u{2212}' | '\u{30FB}' | '\u{30FC}'
    ) || c.is_whitespace()
}

/// Drops every run of [joiners](is_joiner) that sits between two CJK
/// characters, so that both sides are one CJK run: 「ひきこもり～家族会」,
/// 「ひきこもり 家族会」 and 「ひきこもり家族会」 analyse alike, in documents and
/// in queries, and every spelling finds the others. The characters
/// around keep their source ranges, so a highlighted bigram spans the
/// dropped mark. A `ー` after a CJK character is dropped even at the end
/// of a word (`センター` analyses as `せんた`), so the long vowel may be
/// written or left out. Between Latin words or digits the marks still
/// separate (`10-12`, `web-site` stay two words).
pub(crate) fn fold_joiners(chars: Vec<NormChar>) -> Vec<NormChar> {
    if !chars.iter().any(|c| is_joiner(c.ch)) {
        return chars;
    }
    let mut out: Vec<NormChar> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = &chars[i];
        if is_joiner(c.ch)
            && out
                .last()
                .is_some_and(|prev| is_cjk(prev.ch) && !is_joiner(prev.ch))
        {
            let mut j = i;
            while j < chars.len() && is_joiner(chars[j].ch) {
                j += 1;
            }
            let next_is_cjk = chars.get(j).is_some_and(|n| is_cjk(n.ch));
            // A long vowel mark after kana or kanji goes even at the end of
            // a word: 「ワーカー」 typed or written 「ワーカ」 then agree.
            let only_long_vowels = chars[i..j].iter().all(|c| c.ch == '\u{30FC}');
            if next_is_cjk || only_long_vowels {
                i = j;
                continue;
            }
        }
        out.push(c.clone());
        i += 1;
    }
    out
}

/// What a character is, for tokenisation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    Separator,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Separator
    }
}

/// Whether the analyser runs for the index or for a query.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// Bigrams plus, for every CJK run, its last character as a unigram
    /// in the position after the last bigram: every character then starts
    /// some token, which is what single-character prefix queries use.
    Index,
    /// Bigrams only: a query phrase must not require the end-of-run
    /// unigram, since the query text may continue in the document.
    Query,
}

/// One token of analysed text. `src` is a byte range in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tok {
    pub text: String,
    pub position: usize,
    pub src: Range<usize>,
    /// Source range of the token's first character (highlighting a prefix
    /// match marks only this much).
    pub head: Range<usize>,
    /// A lone CJK character (a run of length one) or a one-character word:
    /// queries treat it as a prefix.
    pub single_char: bool,
}

/// A token before its text is spelled out: the normalised characters
/// `chars[start..end]`. Both [`analyze`] and the index's token stream are
/// made from these, by [`spans`], so they cannot segment differently.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    position: usize,
    single_char: bool,
}

impl Span {
    fn chars<'c>(&self, chars: &'c [NormChar]) -> &'c [NormChar] {
        &chars[self.start..self.end]
    }
}

/// Analyses text into tokens with strictly increasing positions.
///
/// A CJK run of `k >= 2` characters yields `k - 1` overlapping bigrams at
/// consecutive positions (plus, in [`Mode::Index`], the last character at
/// the next position) and always occupies `k` positions, in both modes,
/// so that query phrases spanning punctuation line up with the index.
/// A lone CJK character and a Latin/digit word each occupy one position.
/// Spaces, punctuation and script changes end a run: no token spans them.
pub(crate) fn analyze(text: &str, mode: Mode) -> Vec<Tok> {
    let chars = fold_joiners(normalize_mapped(text));
    let mut toks = Vec::new();
    spans(&chars, mode, |t| {
        let run = t.chars(&chars);
        toks.push(Tok {
            text: run.iter().map(|c| c.ch).collect(),
            position: t.position,
            src: span(run),
            head: run[0].src.clone(),
            single_char: t.single_char,
        });
    });
    toks
}

/// The segmentation of [`analyze`]: calls `emit` with each token, in
/// order. Every span is non-empty.
fn spans(chars: &[NormChar], mode: Mode, mut emit: impl FnMut(Span)) {
    let mut position = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let kind = class(chars[i].ch);
        let mut j = i + 1;
        while j < chars.len() && class(chars[j].ch) == kind {
            j += 1;
        }
        let len = j - i;
        match kind {
            Class::Separator => {}
            Class::Word => {
                let kept = len.min(MAX_WORD_CHARS);
                emit(Span {
                    start: i,
                    end: i + kept,
                    position,
                    single_char: kept == 1,
                });
                position += 1;
            }
            Class::Cjk if len == 1 => {
                emit(Span {
                    start: i,
                    end: j,
                    position,
                    single_char: true,
                });
                position += 1;
            }
            Class::Cjk => {
                for k in 0..len - 1 {
                    emit(Span {
                        start: i + k,
                        end: i + k + 2,
                        position: position + k,
                        single_char: false,
                    });
                }
                if mode == Mode::Index {
                    emit(Span {
                        start: j - 1,
                        end: j,
                        position: position + len - 1,
                        single_char: true,
                    });
                }
                position += len;
            }
        }
        i = j;
    }
}

/// The original byte range covered by a non-empty slice of characters.
fn span(chars: &[NormChar]) -> Range<usize> {
    match (chars.first(), chars.last()) {
        (Some(a), Some(b)) => a.src.start..b.src.end.max(a.src.start),
        _ => 0..0,
    }
}

/// The analyser as a tantivy [`Tokenizer`], registered under
/// [`TOKENIZER_NAME`] for every text field of the index.
#[derive(Clone, Default)]
pub struct JaTokenizer;

/// Name under which [`JaTokenizer`] is registered in the index.
pub const TOKENIZER_NAME: &str = "tsunagu_ja";

/// Token stream over the spans of one text. The normalised characters
/// and the spans are computed up front (segmenting needs whole runs);
/// each token's text is spelled into the one reused [`Token`] only when
/// tantivy asks for it, so indexing allocates nothing per token.
pub struct JaTokenStream {
    chars: Vec<NormChar>,
    spans: Vec<Span>,
    index: usize,
    current: Token,
}

impl Tokenizer for JaTokenizer {
    type TokenStream<'a> = JaTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JaTokenStream {
        let chars = fold_joiners(normalize_mapped(text));
        let mut spans_of_text = Vec::new();
        spans(&chars, Mode::Index, |t| spans_of_text.push(t));
        JaTokenStream {
            chars,
            spans: spans_of_text,
            index: 0,
            current: Token::default(),
        }
    }
}

impl TokenStream for JaTokenStream {
    fn advance(&mut self) -> bool {
        let Some(t) = self.spans.get(self.index) else {
            return false;
        };
        self.index += 1;
        let run = t.chars(&self.chars);
        let src = span(run);
        let token = &mut self.current;
        token.text.clear();
        token.text.extend(run.iter().map(|c| c.ch));
        token.offset_from = src.start;
        token.offset_to = src.end;
        token.position = t.position;
        token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, mode: Mode) -> Vec<(String, usize)> {
        analyze(text, mode)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[test]
    fn folds_width_case_and_kana() {
        assert_eq!(normalize("ＡＢＣ"), "abc");
        assert_eq!(normalize("１２３"), "123");
        assert_eq!(normalize("ｶﾀｶﾅ"), "かたかな");
        assert_eq!(normalize("ｶﾞｯｺｳ"), "がっこう");
        assert_eq!(normalize("カタカナ"), "かたかな");
        assert_eq!(normalize("NPO法人"), "npo法人");
        assert_eq!(normalize("センター"), "せんたー");
        assert_eq!(normalize("ァィゥ"), "ぁぃぅ");
        assert_eq!(normalize("葛\u{E0100}飾"), "葛飾");
        assert_eq!(normalize("子ども\u{3000}食堂"), "子ども 食堂");
    }

    #[test]
    fn fast_path_agrees_with_nfkc() {
        // Every character `stable` accepts must normalise as the general
        // path (NFKC, kana and case folding) would.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if let Some(fast) = stable(c) {
                let general: Vec<char> = c
                    .to_string()
                    .nfkc()
                    .filter(|&n| !is_ignorable(n))
                    .map(kata_to_hira)
                    .flat_map(char::to_lowercase)
                    .collect();
                assert_eq!(vec![fast], general, "U+{:04X}", c as u32);
                assert!(!is_continuation(c), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn fast_path_leaves_clusters_to_nfkc() {
        // か + combining dakuten composes to が; ｶ + ﾞ too.
        assert_eq!(normalize("か\u{3099}"), "が");
        assert_eq!(normalize("ｶﾞ"), "が");
        assert_eq!(normalize("e\u{0301}"), "é");
    }

    #[test]
    fn token_stream_matches_analyze() {
        let text = "ＮＰＯ法人つなぐ、ひきこもり相談 Café 2024年 子 ｶﾞｯｺｳ";
        let mut tokenizer = JaTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut streamed = Vec::new();
        while stream.advance() {
            let t = stream.token();
            streamed.push((t.text.clone(), t.position, t.offset_from..t.offset_to));
        }
        let analysed: Vec<_> = analyze(text, Mode::Index)
            .into_iter()
            .map(|t| (t.text, t.position, t.src))
            .collect();
        assert_eq!(streamed, analysed);
    }

    #[test]
    fn mapping_points_into_the_original() {
        let text = "ｶﾞｯｺｳ㍿";
        let mapped = normalize_mapped(text);
        let first = &mapped[0];
        assert_eq!(first.ch, 'が');
        assert_eq!(&text[first.src.clone()], "ｶﾞ");
        let last = mapped.last().map(|c| &text[c.src.clone()]);
        assert_eq!(last, Some("㍿"));
    }

    #[test]
    fn bigrams_with_increasing_positions() {
        assert_eq!(
            texts("相談窓口", Mode::Query),
            vec![("相談".into(), 0), ("談窓".into(), 1), ("窓口".into(), 2)]
        );
        assert_eq!(
            texts("相談窓口", Mode::Index),
            vec![
                ("相談".into(), 0),
                ("談窓".into(), 1),
                ("窓口".into(), 2),
                ("口".into(), 3)
            ]
        );
    }

    #[test]
    fn never_crosses_spaces_punctuation_or_scripts() {
        let toks = texts("相談、支援。居場所NPO法人 Hello, World!", Mode::Query);
        let words: Vec<&str> = toks.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            words,
            vec!["相談", "支援", "居場", "場所", "npo", "法人", "hello", "world"]
        );
        let positions: Vec<usize> = toks.iter().map(|(_, p)| *p).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        for (t, _) in &toks {
            assert!(!t.contains(' ') && !t.contains('・'));
        }
    }

    #[test]
    fn index_positions_strictly_increase() {
        let toks = analyze("ひきこもり、相談。Ａ子　ｶﾌｪ 2024年4月 x", Mode::Index);
        let positions: Vec<usize> = toks.iter().map(|t| t.position).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    }

    #[test]
    fn joining_marks_between_cjk_characters_fold_away() {
        let plain = texts("ひきこもり家族会", Mode::Query);
        for written in [
            "ひきこもり～家族会",
            "ひきこもり〜家族会",
            "ひきこもり~家族会",
            "ひきこもりー家族会",
            "ひきこもり‐家族会",
            "ひきこもり−家族会",
            "ひきこもり・家族会",
            "ひきこもり　家族会",
            "ひきこもり ～ 家族会",
            "ﾋｷｺﾓﾘ･家族会",
        ] {
            assert_eq!(texts(written, Mode::Query), plain, "{written}");
        }
        // The long vowel mark folds inside a word and at its end.
        assert_eq!(
            texts("コンピューター相談", Mode::Query),
            texts("コンピュータ相談", Mode::Query)
        );
        assert_eq!(texts("センター", Mode::Index), texts("センタ", Mode::Index));
        // Alone it is still a character.
        assert_eq!(texts("ー", Mode::Query), [("ー".to_owned(), 0)]);
        // Between Latin words and digits the marks still separate.
        let words: Vec<String> = texts("10-12 web-site", Mode::Query)
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(words, ["10", "12", "web", "site"]);
    }

    #[test]
    fn a_folded_bigram_covers_the_mark_in_the_original() {
        let text = "家～族";
        let toks = analyze(text, Mode::Query);
        assert_eq!(toks.len(), 1);
        assert_eq!(&text[toks[0].src.clone()], "家～族");
    }

    #[test]
    fn lone_cjk_character_is_a_unigram() {
        assert_eq!(
            texts("子、の", Mode::Query),
            vec![("子".into(), 0), ("の".into(), 1)]
        );
        assert!(analyze("子", Mode::Query)[0].single_char);
    }

    #[test]
    fn empty_and_symbol_only_text_has_no_tokens() {
        assert!(analyze("", Mode::Index).is_empty());
        assert!(analyze("・、。！？ 　", Mode::Index).is_empty());
    }

    #[test]
    fn tokenizer_reports_offsets_in_the_original() {
        let text = "ＮＰＯ相談";
        let mut tokenizer = JaTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((t.text.clone(), text[t.offset_from..t.offset_to].to_string()));
        }
        assert_eq!(
            seen,
            vec![
                ("npo".to_string(), "ＮＰＯ".to_string()),
                ("相談".to_string(), "相談".to_string()),
                ("談".to_string(), "談".to_string())
            ]
        );
    }
}
