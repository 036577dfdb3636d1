//! Contact details: Japanese phone numbers, http(s) URLs, e-mail addresses.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Japanese phone number as the editor wrote it (normalized to half-width),
/// with the digits for a `tel:` link.
///
/// Accepted: 10–11 digit numbers starting with 0 (`054-221-1582`,
/// `0120-279-338`, `090-1234-5678`), `+81` numbers, the three-digit
/// service numbers starting with 1 (`189`, `110`) and `#` short numbers
/// (`#7119`, `#8000`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneNumber {
    display: String,
    dial: String,
}

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<PhoneNumber, String> {
        let display: String = raw
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '－' | 'ー' | '‐' | '−' | '–' | '—' => '-',
                '＋' => '+',
                '＃' => '#',
                '（' => '(',
                '）' => ')',
                '　' => ' ',
                c => c,
            })
            .collect();
        let mut dial = String::new();
        for c in display.chars() {
            match c {
                '0'..='9' | '+' | '#' => dial.push(c),
                '-' | ' ' | '(' | ')' => {}
                _ => {
                    return Err(format!(
                        "`{raw}` is not a Japanese phone number: unexpected `{c}`"
                    ))
                }
            }
        }
        let domestic = if let Some(rest) = dial.strip_prefix("+81") {
            format!("0{rest}")
        } else {
            dial.clone()
        };
        let digits = domestic.len();
        let ok = if domestic.starts_with('0') && !domestic[1..].contains(['+', '#']) {
            // 11 digits only for mobile, IP and 0800 numbers; everything
            // else (landlines, 0120, 0570) has 10.
            let eleven = ["090", "080", "070", "060", "050", "020", "0800"]
                .iter()
                .any(|p| domestic.starts_with(p));
            domestic.chars().all(|c| c.is_ascii_digit())
                && (digits == 10 || (digits == 11 && eleven))
        } else if let Some(short) = domestic.strip_prefix('#') {
            short.len() == 4 && short.chars().all(|c| c.is_ascii_digit())
        } else {
            digits == 3 && domestic.starts_with('1') && domestic.chars().all(|c| c.is_ascii_digit())
        };
        if ok {
            Ok(PhoneNumber { display, dial })
        } else {
            Err(format!(
                "`{raw}` is not a Japanese phone number: expected 10 or 11 digits starting with 0 (e.g. 054-221-1582, 0120-279-338), a 3-digit number like 189, or a # number like #7119"
            ))
        }
    }

    /// As written, normalized to half-width (`054-221-1582`).
    pub fn display(&self) -> &str {
        &self.display
    }

    /// The `href` for tap-to-call (`tel:0542211582`).
    pub fn tel_href(&self) -> String {
        format!("tel:{}", self.dial.replace('#', "%23"))
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A number written without hyphens (0542211582) reaches us as an
        // integer and has lost its leading zero; say so rather than guess.
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = PhoneNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a phone number such as \"054-221-1582\"")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<PhoneNumber, E> {
                PhoneNumber::parse(s).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<PhoneNumber, E> {
                if n < 1000 {
                    return PhoneNumber::parse(&n.to_string()).map_err(E::custom);
                }
                Err(E::custom(format!(
                    "phone number {n} was read as a plain number (a leading 0 would be lost): write it with hyphens, e.g. 054-221-1582"
                )))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<PhoneNumber, E> {
                Err(E::custom(format!(
                    "phone number {n} was read as a number: write it with hyphens, e.g. \"054-221-1582\""
                )))
            }
        }
        d.deserialize_any(V)
    }
}

super::string_schema!(
    PhoneNumber,
    "PhoneNumber",
    "^(\\+81|0)[0-9０-９\\-－ ()（）]{8,}$|^[0-9]{3}$|^#[0-9]{4}$",
    "a Japanese phone number, e.g. 054-221-1582 or 0120-279-338"
);
super::string_schema!(
    HttpUrl,
    "HttpUrl",
    "^https?://",
    "an http:// or https:// link"
);
super::string_schema!(
    Email,
    "Email",
    "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
    "an e-mail address"
);

/// An absolute `http` or `https` URL. Anything else (`javascript:`,
/// `data:`, relative paths) is refused at the edge so no stage can link it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct HttpUrl(String);

impl HttpUrl {
    pub fn parse(raw: &str) -> Result<HttpUrl, String> {
        let trimmed = raw.trim();
        match url::Url::parse(trimmed) {
            Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host_str().is_some() => {
                Ok(HttpUrl(u.to_string()))
            }
            Ok(u) => Err(format!(
                "`{trimmed}` is not allowed: only http:// and https:// links are accepted (found `{}:`)",
                u.scheme()
            )),
            Err(e) => Err(format!(
                "`{trimmed}` is not a valid URL ({e}): write it in full, e.g. https://example.jp/"
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::from_str_with(d, "an https:// link", HttpUrl::parse)
    }
}

/// An e-mail address (`name@domain.tld`, no spaces).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, String> {
        let s = raw.trim();
        let ok = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
                    && s.is_ascii()
                    // Only what real addresses use: `?`, `&`, `=` or `%`
                    // would let a mailto: link add cc/bcc recipients.
                    && local.chars().all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c))
                    && domain.chars().all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
            }
            None => false,
        };
        if ok {
            Ok(Email(s.to_string()))
        } else {
            if s.is_empty() {
                return Err("the e-mail address is empty: write one (e.g. info@example.jp) or remove the field".into());
            }
            if s.contains('＠') {
                return Err(format!(
                    "`{raw}` uses a full-width `＠`: write a half-width `@`"
                ));
            }
            Err(format!(
                "`{raw}` is not an e-mail address (expected e.g. info@example.jp)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::from_str_with(d, "an e-mail address", Email::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers() {
        for ok in [
            "054-221-1582",
            "0120-279-338",
            "090-1234-5678",
            "+81-54-221-1582",
            "０５４－２２１－１５８２",
            "189",
            "#7119",
            "03 (1234) 5678",
        ] {
            assert!(PhoneNumber::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "12345",
            "054-221",
            "call me",
            "1-800-555-0100",
            "#71190",
            "0120-279-338-1",
        ] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            PhoneNumber::parse("#7119").unwrap().tel_href(),
            "tel:%237119"
        );
        assert_eq!(
            PhoneNumber::parse("０５４－２２１－１５８２")
                .unwrap()
                .display(),
            "054-221-1582"
        );
    }

    #[test]
    fn urls() {
        assert!(HttpUrl::parse("https://example.jp/a?b=c").is_ok());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "/relative",
            "ftp://x.jp/",
            "example.jp",
        ] {
            assert!(HttpUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
