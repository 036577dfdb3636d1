//! One row → one entry: the values read so far ([`Draft`]), and the end of
//! a row (name, dates, slug, geo, fee) that turns them into a [`Planned`]
//! file.

use super::columns::Mapping;
use super::portal::Portal;
use super::{Action, Level, Message, Planned};
use crate::model::{Kind, Slug, TimeOfDay};
use crate::opendata::schedule;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The values of one row, as they will be written.
#[derive(Default)]
pub(super) struct Draft {
    pub(super) slug: Option<(String, String)>,
    pub(super) kind: Option<Kind>,
    pub(super) name: Option<String>,
    pub(super) kana: Option<String>,
    pub(super) summary: Option<String>,
    pub(super) address: Option<String>,
    pub(super) lat: Option<(f64, String)>,
    pub(super) lon: Option<(f64, String)>,
    pub(super) access: Option<String>,
    pub(super) phones: Vec<String>,
    pub(super) email: Option<String>,
    pub(super) website: Option<String>,
    pub(super) fee: Option<String>,
    pub(super) fee_yen: Option<u64>,
    pub(super) free: Option<bool>,
    pub(super) anonymous: Option<bool>,
    pub(super) hours_days: Option<(String, String)>,
    pub(super) hours_open: Option<(String, String)>,
    pub(super) hours_close: Option<(String, String)>,
    pub(super) hours_text: Vec<(String, String)>,
    pub(super) hours_note: Vec<String>,
    pub(super) accessibility: Option<String>,
    pub(super) languages: Vec<String>,
    pub(super) categories: Vec<String>,
    pub(super) audience: Vec<String>,
    pub(super) methods: Vec<String>,
    pub(super) area: Option<String>,
    pub(super) keywords: Vec<String>,
    pub(super) min_age: Option<u16>,
    pub(super) max_age: Option<u16>,
    pub(super) status: Option<&'static str>,
    pub(super) operator: Option<String>,
    pub(super) verified: Option<String>,
    pub(super) start_date: Option<(jiff::civil::Date, String)>,
    pub(super) start_time: Option<(TimeOfDay, String)>,
    pub(super) end_date: Option<(jiff::civil::Date, String)>,
    pub(super) end_time: Option<(TimeOfDay, String)>,
    pub(super) venue: Option<String>,
    pub(super) place: Option<String>,
    pub(super) online: Option<String>,
    pub(super) registration: Option<String>,
    pub(super) capacity: Option<u32>,
    pub(super) organizer: Option<String>,
    pub(super) aliases: Vec<String>,
    /// Closed days read from the hours text (年末年始, 第3日曜…).
    pub(super) closed: Vec<crate::model::hours::closure::Closure>,
    /// 方書: building and floor, joined to the address.
    pub(super) address_detail: Option<String>,
    pub(super) municipality_code: Option<String>,
    /// 市区町村名 and the like, where the area is looked up.
    pub(super) municipality: Vec<String>,
    pub(super) notes: Vec<String>,
    /// Cells of a `categories` column that are not in the vocabulary, for
    /// the `[categories]` keywords of mapping.toml.
    pub(super) category_words: Vec<(String, String)>,
    /// Organizations this row names that the portal does not have yet:
    /// (name, slug); the import creates them.
    pub(super) new_organizations: Vec<(String, String)>,
}

pub(super) struct Converter<'a> {
    pub(super) row: usize,
    pub(super) portal: &'a Portal,
    pub(super) mapping: &'a Mapping,
    pub(super) kind: Kind,
    pub(super) messages: Vec<Message>,
    pub(super) d: Draft,
}

pub(super) fn split_list(s: &str) -> Vec<String> {
    s.split([';', '；', ',', '，', '、', '\n'])
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

pub(super) fn half_width_digits(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match half_width_digits(s).to_lowercase().as_str() {
        "true" | "yes" | "はい" | "1" | "○" | "◯" | "〇" | "有" | "あり" | "可" => {
            Some(true)
        }
        "false" | "no" | "いいえ" | "0" | "×" | "✕" | "無" | "なし" | "不可" => {
            Some(false)
        }
        _ => None,
    }
}

pub(super) fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let t = half_width_digits(s);
    let parts: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 {
        return None;
    }
    jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// FNV-1a (64 bit): stable across Rust versions and platforms.
pub(super) fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// The slug a row without an ID gets: `<kind>-<8 hex>` of name and address.
pub fn generated_slug(kind: Kind, name: &str, address: Option<&str>) -> String {
    let key = format!("{}\n{}", name.trim(), address.unwrap_or("").trim());
    format!("{}-{:08x}", kind.as_str(), fnv1a(&key) >> 32)
}

impl Converter<'_> {
    pub(super) fn msg(&mut self, level: Level, column: Option<&str>, text: String) {
        self.messages.push(Message {
            level,
            row: Some(self.row),
            column: column.map(str::to_string),
            text,
        });
    }

    pub(super) fn kind(&self) -> Kind {
        self.d.kind.unwrap_or(self.kind)
    }

    pub(super) fn set_text(slot: &mut Option<String>, v: &str) -> bool {
        if slot.is_some() {
            return false;
        }
        *slot = Some(v.to_string());
        true
    }

    pub(super) fn organization(&mut self, col: &str, v: &str, what: &str) -> Option<String> {
        if let Some(slug) = self.portal.organizations.get(v.trim()) {
            return Some(slug.clone());
        }
        if self.portal.organizations.values().any(|s| s == v.trim()) {
            return Some(v.trim().to_string());
        }
        let name = v.trim().to_string();
        let slug = generated_slug(Kind::Organization, &name, None);
        self.msg(
            Level::Info,
            Some(col),
            format!("「{name}」 is not in content/organizations/: content/organizations/{slug}.md is created for it and linked as `{what}` (rename or fill it in later)"),
        );
        self.d.new_organizations.push((name, slug.clone()));
        Some(slug)
    }

    pub(super) fn vocab(
        &mut self,
        col: &str,
        field: &str,
        v: &str,
        allowed: &[String],
        into: fn(&mut Draft) -> &mut Vec<String>,
    ) {
        for item in split_list(v) {
            if allowed.contains(&item) {
                into(&mut self.d).push(item);
            } else if field == "categories"
                && self.mapping.categories.iter().any(|(k, _)| *k == item)
            {
                self.d.category_words.push((item, col.to_string()));
            } else {
                self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{item}」 left out: not in site.toml [vocabulary] {field} (add it there, or fix the value)"),
                );
            }
        }
    }

    /// Everything read: the file to write, or nothing (with an error).
    pub(super) fn finish(&mut self, planned: &mut BTreeMap<String, usize>) -> Option<Planned> {
        let kind = self.kind();
        let Some(name) = self.d.name.clone() else {
            self.msg(Level::Error, None, "row skipped: it has no name".into());
            return None;
        };
        let hours = self.hours();
        let (starts, ends) = if kind == Kind::Event {
            let Some((sd, _)) = self.d.start_date.clone() else {
                self.msg(
                    Level::Error,
                    None,
                    "row skipped: an event needs a start date (開始日)".into(),
                );
                return None;
            };
            let starts = match &self.d.start_time {
                Some((t, _)) => format!("{sd}T{}", schedule::hhmm(*t)),
                None => sd.to_string(),
            };
            let ed = self.d.end_date.as_ref().map(|(d, _)| *d);
            let ends = match (&self.d.end_time, ed) {
                (Some((t, _)), d) => Some(format!("{}T{}", d.unwrap_or(sd), schedule::hhmm(*t))),
                (None, Some(d)) if d != sd => Some(d.to_string()),
                _ => None,
            };
            (Some(starts), ends)
        } else {
            for (what, slot) in [
                ("開始日", self.d.start_date.is_some()),
                ("終了日", self.d.end_date.is_some()),
            ] {
                if slot {
                    self.msg(
                        Level::Warning,
                        None,
                        format!("{what} not imported: only events have dates"),
                    );
                }
            }
            (None, None)
        };
        if let Some(detail) = self.d.address_detail.take() {
            self.d.address = Some(match self.d.address.take() {
                Some(a) if a.contains(detail.as_str()) => a,
                Some(a) => format!("{a} {detail}"),
                None => detail,
            });
        }
        self.categorise(&name);
        if self.d.area.is_none() {
            self.d.area = self.find_area();
        }
        let slug = self.slug(kind, &name);
        if let Some(first) = planned.get(&slug) {
            self.msg(
                Level::Error,
                None,
                format!("row skipped: slug `{slug}` is already used by row {first} of this file (give each row its own ID)"),
            );
            return None;
        }
        planned.insert(slug.clone(), self.row);
        let geo = match (self.d.lat.take(), self.d.lon.take()) {
            (Some((lat, _)), Some((lon, _))) => Some((lat, lon)),
            (Some((_, col)), None) | (None, Some((_, col))) => {
                self.msg(
                    Level::Error,
                    Some(&col),
                    "left out: geo needs both 緯度 (latitude) and 経度 (longitude)".into(),
                );
                None
            }
            (None, None) => None,
        };
        if let Some(n) = self.d.fee_yen {
            if self.d.free.is_none() {
                self.d.free = Some(n == 0);
            }
            if n > 0 && self.d.fee.is_none() {
                self.d.fee = Some(format!("{n}円"));
            }
        }
        let text = self.yaml(kind, &name, geo, hours, starts, ends);
        Some(Planned {
            row: self.row,
            path: PathBuf::from("content")
                .join(kind.folder())
                .join(format!("{slug}.md")),
            text,
            action: Action::Create,
            key: self.row_key().unwrap_or(slug),
            changes: Vec::new(),
        })
    }

    /// `[categories]` of mapping.toml: a keyword in the name, or a cell of
    /// a `categories` column, gives a category.
    fn categorise(&mut self, name: &str) {
        let words = std::mem::take(&mut self.d.category_words);
        for (keyword, category) in &self.mapping.categories {
            let hit = name.contains(keyword.as_str()) || words.iter().any(|(w, _)| w == keyword);
            if hit && !self.d.categories.contains(category) {
                self.d.categories.push(category.clone());
            }
        }
    }

    /// The longest area of site.toml whose parts (「広島市/中区」 →
    /// 広島市中区) appear in the municipality columns or the address.
    fn find_area(&self) -> Option<String> {
        let mut places: Vec<String> = self.d.municipality.clone();
        places.extend(self.d.address.clone());
        let joined = places.concat();
        self.portal
            .config
            .vocabulary
            .areas
            .iter()
            .filter(|a| {
                let plain: String = a.split('/').collect();
                !plain.is_empty() && places.iter().chain([&joined]).any(|p| p.contains(&plain))
            })
            .max_by_key(|a| a.chars().count())
            .cloned()
    }

    /// The row's stable key in its list: the municipality code and the ID
    /// (`341002-0001`), the ID alone, or none (then the slug is the key).
    pub(super) fn row_key(&self) -> Option<String> {
        let id = self.d.slug.as_ref().map(|(v, _)| half_width_digits(v))?;
        Some(match &self.d.municipality_code {
            Some(code) if !id.starts_with(code.as_str()) => format!("{code}-{id}"),
            _ => id,
        })
    }

    /// The file name: from the list's ID. With a municipality code the
    /// slug is `<kind>-<code>-<ID>` (IDs repeat across cities); an ID of
    /// digits alone becomes `<kind>-<ID>`; another ID is the slug itself.
    /// Without an ID, a stable hash of name and address.
    pub(super) fn slug(&mut self, kind: Kind, name: &str) -> String {
        if let Some((raw, col)) = self.d.slug.clone() {
            let raw = half_width_digits(&raw);
            let code = self
                .d
                .municipality_code
                .as_deref()
                .map(half_width_digits)
                .filter(|c| Slug::parse(c).is_ok());
            let lower = if code.is_some() {
                raw.to_lowercase()
            } else {
                raw.clone()
            };
            let candidate = match Slug::parse(&lower) {
                Ok(s) => Some(s.to_string()),
                Err(_) => {
                    let s = Slug::suggest(&raw);
                    if let Some(s) = &s {
                        self.msg(
                            Level::Warning,
                            Some(&col),
                            format!("「{raw}」 is not a valid slug; used `{s}`"),
                        );
                    }
                    s
                }
            };
            if let Some(c) = candidate {
                let digits = c.chars().all(|ch| ch.is_ascii_digit() || ch == '-');
                return match code {
                    Some(code) if !c.starts_with(&code) => format!("{}-{code}-{c}", kind.as_str()),
                    _ if digits => format!("{}-{c}", kind.as_str()),
                    _ => c,
                };
            }
            self.msg(
                Level::Warning,
                Some(&col),
                format!("「{raw}」 cannot be a slug (use a-z, 0-9 and -); a slug was generated"),
            );
        }
        generated_slug(kind, name, self.d.address.as_deref())
    }
}

pub(super) fn status_word(v: &str) -> Option<&'static str> {
    match v.trim().to_lowercase().as_str() {
        "open" | "公開" | "開設" | "開所" | "運営中" => Some("open"),
        "paused" | "休止" | "休止中" | "一時休止" => Some("paused"),
        "closed" | "閉鎖" | "廃止" | "中止" | "終了" | "閉所" => Some("closed"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_slugs_are_stable() {
        let a = generated_slug(Kind::Center, "相談室", Some("広島市"));
        assert_eq!(a, generated_slug(Kind::Center, "相談室", Some("広島市")));
        assert!(
            a.starts_with("center-") && a.len() == "center-".len() + 8,
            "{a}"
        );
        assert!(Slug::parse(&a).is_ok());
        assert_ne!(a, generated_slug(Kind::Center, "相談室", Some("福山市")));
    }
}
