//! One non-empty cell → the part of the [`Draft`] its column fills, every
//! value checked as `tsunagu check` would; a bad value is reported with its
//! row and column.

use super::columns::Target;
use super::row::{half_width_digits, parse_bool, parse_date, split_list, status_word, Converter};
use super::Level;
use crate::model::{HttpUrl, Kind, PhoneNumber};
use crate::opendata::kana;
use crate::opendata::schedule::parse_time;

impl Converter<'_> {
    /// One non-empty cell.
    pub(super) fn take(&mut self, t: Target, col: &str, v: &str) {
        use Target::*;
        let dup = |this: &mut Self, ok: bool| {
            if !ok {
                this.msg(
                    Level::Warning,
                    Some(col),
                    format!("「{v}」 not imported: another column already gave this field"),
                );
            }
        };
        if t.event_only() && self.kind() != crate::model::Kind::Event {
            return self.msg(
                Level::Warning,
                Some(col),
                format!(
                    "「{v}」 not imported: `{}` is only for events, and this row is a {} (map the column to another field, or to `ignore`)",
                    t.name(),
                    self.kind()
                ),
            );
        }
        match t {
            Ignore => {}
            Alias => {
                for a in v.lines().map(str::trim).filter(|a| !a.is_empty()) {
                    if !self.d.aliases.iter().any(|x| x == a) {
                        self.d.aliases.push(a.to_string());
                    }
                }
            }
            AddressDetail => {
                let ok = Self::set_text(&mut self.d.address_detail, v);
                dup(self, ok)
            }
            MunicipalityCode => {
                let ok = Self::set_text(&mut self.d.municipality_code, &half_width_digits(v));
                dup(self, ok)
            }
            Municipality => self.d.municipality.push(v.to_string()),
            Name => {
                let ok = Self::set_text(&mut self.d.name, v);
                dup(self, ok)
            }
            Kana => {
                let k = kana::to_hiragana(v);
                {
                    let ok = Self::set_text(&mut self.d.kana, &k);
                    dup(self, ok)
                }
            }
            Summary => {
                let ok = Self::set_text(&mut self.d.summary, v);
                dup(self, ok)
            }
            Address => {
                let ok = Self::set_text(&mut self.d.address, v);
                dup(self, ok)
            }
            Access => {
                let ok = Self::set_text(&mut self.d.access, v);
                dup(self, ok)
            }
            Fee => {
                let ok = Self::set_text(&mut self.d.fee, v);
                dup(self, ok)
            }
            Accessibility => {
                let ok = Self::set_text(&mut self.d.accessibility, v);
                dup(self, ok)
            }
            Venue => {
                let ok = Self::set_text(&mut self.d.venue, v);
                dup(self, ok)
            }
            Registration => {
                let looks_like_url =
                    v.contains("://") || v.starts_with("javascript:") || v.starts_with("data:");
                if looks_like_url {
                    if let Err(e) = HttpUrl::parse(v) {
                        return self.msg(Level::Error, Some(col), format!("left out: {e}"));
                    }
                }
                {
                    let ok = Self::set_text(&mut self.d.registration, v);
                    dup(self, ok)
                }
            }
            HoursNote => self.d.hours_note.push(v.to_string()),
            Slug => {
                let ok = self.d.slug.is_none();
                if ok {
                    self.d.slug = Some((v.to_string(), col.to_string()));
                }
                dup(self, ok)
            }
            Kind => {
                let k = crate::model::Kind::ALL
                    .into_iter()
                    .find(|k| k.as_str() == v || k.label() == v || k.folder() == v);
                match k {
                    Some(crate::model::Kind::Page) | None => self.msg(
                        Level::Warning,
                        Some(col),
                        format!("「{v}」 is not a kind the import knows (相談窓口・団体・イベント・食堂・居場所, or center/organization/event/cafeteria); the row is imported as {}", self.kind),
                    ),
                    Some(k) => self.d.kind = Some(k),
                }
            }
            Lat | Lon => {
                let n: Option<f64> = half_width_digits(v)
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite());
                let (range, slot) = if t == Lat {
                    (90.0, &mut self.d.lat)
                } else {
                    (180.0, &mut self.d.lon)
                };
                match n {
                    Some(n) if n.abs() <= range => *slot = Some((n, col.to_string())),
                    _ => self.msg(
                        Level::Error,
                        Some(col),
                        format!(
                            "「{v}」 left out: not a {} in degrees (−{range}〜{range})",
                            if t == Lat { "latitude" } else { "longitude" }
                        ),
                    ),
                }
            }
            Phone => {
                for p in split_list(&v.replace(['/', '／'], ";")) {
                    match PhoneNumber::parse(&p) {
                        Ok(n) => self.d.phones.push(n.display().to_string()),
                        Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
                    }
                }
            }
            Email => match crate::model::Email::parse(v) {
                Ok(m) => {
                    let ok = Self::set_text(&mut self.d.email, m.as_str());
                    dup(self, ok)
                }
                Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
            },
            Website => match HttpUrl::parse(v) {
                Ok(u) => {
                    let ok = Self::set_text(&mut self.d.website, u.as_str());
                    dup(self, ok)
                }
                Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
            },
            Free | Anonymous => match parse_bool(v) {
                Some(b) => {
                    if t == Free {
                        self.d.free = Some(b)
                    } else {
                        self.d.anonymous = Some(b)
                    }
                }
                None => self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{v}」 left out: write true/false (はい/いいえ, ○/×)"),
                ),
            },
            FeeBasic => {
                let t = half_width_digits(v).replace([',', '円'], "");
                if t == "無料" {
                    self.d.fee_yen = Some(0);
                } else {
                    match t.parse::<u64>() {
                        Ok(n) => self.d.fee_yen = Some(n),
                        Err(_) => self.msg(
                            Level::Warning,
                            Some(col),
                            format!("「{v}」 not imported: not an amount in yen"),
                        ),
                    }
                }
            }
            HoursDays | HoursOpen | HoursClose => {
                let slot = match t {
                    HoursDays => &mut self.d.hours_days,
                    HoursOpen => &mut self.d.hours_open,
                    _ => &mut self.d.hours_close,
                };
                let ok = slot.is_none();
                if ok {
                    *slot = Some((v.to_string(), col.to_string()));
                }
                dup(self, ok)
            }
            HoursText => self.d.hours_text.push((v.to_string(), col.to_string())),
            Languages => self.d.languages.extend(split_list(v)),
            Keywords => self.d.keywords.extend(split_list(v)),
            Categories => {
                let allowed = self.portal.config.vocabulary.categories.clone();
                self.vocab(col, "categories", v, &allowed, |d| &mut d.categories)
            }
            Audience => {
                let allowed = self.portal.config.vocabulary.audience.clone();
                self.vocab(col, "audience", v, &allowed, |d| &mut d.audience)
            }
            Methods => {
                let allowed = self.portal.config.vocabulary.methods.clone();
                self.vocab(col, "methods", v, &allowed, |d| &mut d.methods)
            }
            Area => {
                if self.portal.config.vocabulary.areas.iter().any(|a| a == v) {
                    self.d.area = Some(v.to_string());
                } else {
                    self.msg(
                        Level::Error,
                        Some(col),
                        format!("「{v}」 left out: not in site.toml [vocabulary] areas"),
                    );
                }
            }
            MinAge | MaxAge | Capacity => match half_width_digits(v)
                .trim_end_matches(['歳', '才', '名', '人'])
                .parse::<u32>()
            {
                Ok(n) if t == Capacity => self.d.capacity = Some(n),
                Ok(n) if n <= u32::from(u16::MAX) => {
                    let n = n as u16;
                    if t == MinAge {
                        self.d.min_age = Some(n)
                    } else {
                        self.d.max_age = Some(n)
                    }
                }
                _ => self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{v}」 left out: write a whole number"),
                ),
            },
            Status => match status_word(v) {
                Some(s) => self.d.status = Some(s),
                None => self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{v}」 left out: write open, paused or closed (公開・休止中・閉鎖)"),
                ),
            },
            Notes => {
                for line in v.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    self.note_line(line);
                }
            }
            Operator => self.d.operator = self.organization(col, v, "operator"),
            Organizer => self.d.organizer = self.organization(col, v, "organizer"),
            Place => match crate::model::Slug::parse(v.trim()) {
                Ok(s) => self.d.place = Some(s.to_string()),
                Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
            },
            Online => match parse_bool(v) {
                Some(b) => self.d.online = Some(b.to_string()),
                None => match HttpUrl::parse(v) {
                    Ok(u) => self.d.online = Some(u.as_str().to_string()),
                    Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
                },
            },
            Verified => match parse_date(v) {
                Some(d) => self.d.verified = Some(d.to_string()),
                None => self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{v}」 left out: not a date (write 2026-10-01)"),
                ),
            },
            StartDate | EndDate => match parse_date(v) {
                Some(d) if t == StartDate => self.d.start_date = Some((d, col.to_string())),
                Some(d) => self.d.end_date = Some((d, col.to_string())),
                None => self.msg(
                    Level::Error,
                    Some(col),
                    format!("「{v}」 left out: not a date (write 2026-12-05)"),
                ),
            },
            StartTime | EndTime => match parse_time(v) {
                Ok(tm) if t == StartTime => self.d.start_time = Some((tm, col.to_string())),
                Ok(tm) => self.d.end_time = Some((tm, col.to_string())),
                Err(e) => self.msg(Level::Error, Some(col), format!("left out: {e}")),
            },
        }
    }

    /// One line of 備考: a status or an online link is understood, every
    /// other line goes to `notes` (line breaks kept).
    pub(super) fn note_line(&mut self, line: &str) {
        if let Some(s) = status_word(line).filter(|s| *s != "open") {
            self.d.status = Some(s);
            return;
        }
        if self.kind() == Kind::Event {
            if line == "オンライン参加あり" {
                self.d.online = Some("true".into());
                return;
            }
            if let Some(u) = line
                .strip_prefix("オンライン:")
                .or_else(|| line.strip_prefix("オンライン："))
            {
                if let Ok(u) = HttpUrl::parse(u.trim()) {
                    self.d.online = Some(u.as_str().to_string());
                    return;
                }
            }
        }
        self.d.notes.push(line.to_string());
    }
}
