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
            ('ﾟ', Some(p)) if ('ハ'..='ホ').contains(&p) && (p as u32 - 'ハ' as u32) % 3 == 0 =>
            {
                out.pop();
                out.push(char::from_u32(p as u32 + 2).unwrap_or(p));
            }
            _ => out.push(f),
        }
    }
    out.into_iter().collect()
}

/// The voiced form of a full-width katakana (カ → ガ, ウ → ヴ).
fn voiced(p: char) -> Option<char> {
    let u = p as u32;
    let ka_to = ('カ' as u32..='ト' as u32).contains(&u) && p != 'ッ';
    // カ..チ alternate (カガキギ…), ッツヅテデトド too: the unvoiced ones
    // are those whose next code point is their voiced form.
    let unvoiced_kt = ka_to && {
        let after_tsu = u >= 'ツ' as u32;
        if after_tsu {
            (u - 'ツ' as u32) % 2 == 0
        } else {
            (u - 'カ' as u32) % 2 == 0
        }
    };
    let ha_ho = ('ハ' as u32..='ホ' as u32).contains(&u) && (u - 'ハ' as u32) % 3 == 0;
    if unvoiced_kt || ha_ho {
        char::from_u32(u + 1)
    } else if p == 'ウ' {
        Some('ヴ')
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
