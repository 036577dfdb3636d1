//! Hiragana ⇄ katakana, and half-width katakana to full width.
//!
//! Entries keep their reading (`kana`) in hiragana; Japan's standard open
//! data sets want 名称_カナ in full-width katakana.

/// ひらがな → カタカナ (other characters unchanged).
pub fn to_katakana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' => {
                char::from_u32(c as u32 + 0x60).unwrap_or(c)
            }
            c => c,
        })
        .collect()
}

/// カタカナ (full or half width) → ひらがな (other characters unchanged;
/// ヷヸヹヺ have no hiragana and stay).
pub fn to_hiragana(s: &str) -> String {
    full_width_katakana(s)
        .chars()
        .map(|c| match c {
            '\u{30A1}'..='\u{30F6}' | '\u{30FD}' | '\u{30FE}' => {
                char::from_u32(c as u32 - 0x60).unwrap_or(c)
            }
            c => c,
        })
        .collect()
}

const HALF: &str = "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ";
const FULL: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";

/// Half-width katakana (ｶﾀｶﾅ, as old systems export) → full width,
/// joining ﾞ and ﾟ with the letter before them.
pub fn full_width_katakana(s: &str) -> String {
    let half: Vec<char> = HALF.chars().collect();
    let full: Vec<char> = FULL.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        let Some(i) = half.iter().position(|&h| h == c) else {
            out.push(c);
            continue;
        };
        let f = full[i];
        let prev = out.last().copied();
        match (c, prev) {
            ('ﾞ', Some(p)) if voiced(p).is_some() => {
                out.pop();
                out.push(voiced(p).unwrap_or(p));
            }
            ('ﾟ', Some(p)) if TAKES_HANDAKUTEN.contains(p) => {
                out.pop();
                out.push(char::from_u32(p as u32 + 2).unwrap_or(p));
            }
            _ => out.push(f),
        }
    }
    out.into_iter().collect()
}

/// Letters that take ﾞ: each one's voiced form is the next code point
/// (カ → ガ, ハ → バ), except ウ → ヴ.
const TAKES_DAKUTEN: &str = "カキクケコサシスセソタチツテトハヒフヘホ";
/// Letters that take ﾟ: the form two code points on (ハ → パ).
const TAKES_HANDAKUTEN: &str = "ハヒフヘホ";

/// The voiced form of a full-width katakana (カ → ガ, ウ → ヴ).
fn voiced(p: char) -> Option<char> {
    if p == 'ウ' {
        Some('ヴ')
    } else if TAKES_DAKUTEN.contains(p) {
        char::from_u32(p as u32 + 1)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let h = "ひろしまひきこもりそうだんしえんせんたー";
        assert_eq!(to_katakana(h), "ヒロシマヒキコモリソウダンシエンセンター");
        assert_eq!(to_hiragana(&to_katakana(h)), h);
        assert_eq!(to_katakana("ゔぁ・ABC"), "ヴァ・ABC");
    }

    #[test]
    fn half_width() {
        assert_eq!(
            full_width_katakana("ｶﾞｯｺｳ ﾊﾟﾝ ﾎﾞｳｼ ｳﾞ"),
            "ガッコウ パン ボウシ ヴ"
        );
        assert_eq!(to_hiragana("ﾂﾅｸﾞ ﾃﾞｽ"), "つなぐ です");
    }
}
