//! The synthetic portal: N entries over every kind and every field of the
//! content contract, generated deterministically from a fixed seed.
//!
//! Entries are produced one at a time and handed to a sink (the tsunagu
//! writer, the Hugo writer), so a 100,000-entry portal never sits in
//! memory. Entry `i` of a kind is drawn from its own PRNG stream, so the
//! same index gives the same entry at every portal size; only the
//! references (operator, organizer, place) depend on the size.

use crate::rng::Rng;
use crate::words::*;
use std::fmt::Write as _;

/// Bump when the generated content changes: the work-dir cache is keyed by it.
pub const GEN_VERSION: u32 = 1;

const SEED: u64 = 0x7473_756e_6167_7501;

/// The instant the benchmark treats as "now": 2026-12-01T00:00+09:00.
/// Passed to tsunagu as `SOURCE_DATE_EPOCH` so `verified` dates are never
/// stale and events are upcoming or past the same way on every run.
pub fn now_epoch() -> i64 {
    days_from_civil(2026, 12, 1) * 86_400 - 9 * 3600
}

fn now_days() -> i64 {
    days_from_civil(2026, 12, 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Center,
    Organization,
    Event,
    Cafeteria,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Center,
        Kind::Organization,
        Kind::Event,
        Kind::Cafeteria,
        Kind::Page,
    ];

    pub fn folder(self) -> &'static str {
        match self {
            Kind::Center => "centers",
            Kind::Organization => "organizations",
            Kind::Event => "events",
            Kind::Cafeteria => "cafeterias",
            Kind::Page => "pages",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Center => "相談窓口",
            Kind::Organization => "団体",
            Kind::Event => "イベント",
            Kind::Cafeteria => "食堂・居場所",
            Kind::Page => "記事",
        }
    }

    /// One letter in slugs and host names, so kinds never clash.
    fn letter(self) -> char {
        match self {
            Kind::Center => 'c',
            Kind::Organization => 'o',
            Kind::Event => 'e',
            Kind::Cafeteria => 'k',
            Kind::Page => 'p',
        }
    }
}

/// A field value, as it is written in YAML.
#[derive(Debug, Clone)]
pub enum Val {
    /// A string, quoted when YAML needs it.
    Text(String),
    /// Written as is: numbers, booleans, dates, `{lat: …, lon: …}`.
    Raw(String),
    /// A flow list of strings: `[a, b]`.
    List(Vec<String>),
    /// A block list of flow mappings (hours rules), written as is.
    Rules(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct GenEntry {
    pub kind: Kind,
    pub slug: String,
    /// Written as `.yaml` (body in `body: |`) rather than `.md`.
    pub yaml: bool,
    /// In the order the content contract lists them.
    pub fields: Vec<(&'static str, Val)>,
    pub body: String,
    /// The hours rules in plain Japanese (for the Hugo comparison).
    pub hours_text: Vec<String>,
    /// The city it is in (references prefer entries of the same city).
    pub city: &'static str,
}

impl GenEntry {
    pub fn get(&self, key: &str) -> Option<&Val> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn file_name(&self) -> String {
        format!("{}.{}", self.slug, if self.yaml { "yaml" } else { "md" })
    }

    /// The entry file for tsunagu.
    pub fn to_tsunagu(&self) -> String {
        let mut out = String::with_capacity(self.body.len() + 1500);
        if !self.yaml {
            out.push_str("---\n");
        }
        write_fields(&mut out, self.fields.iter().map(|(k, v)| (*k, v)));
        if self.yaml {
            out.push_str("body: |\n");
            for line in self.body.lines() {
                if !line.is_empty() {
                    out.push_str("  ");
                    out.push_str(line);
                }
                out.push('\n');
            }
        } else {
            out.push_str("---\n");
            out.push_str(&self.body);
        }
        out
    }
}

/// Writes `key: value` lines.
pub fn write_fields<'a>(out: &mut String, fields: impl Iterator<Item = (&'a str, &'a Val)>) {
    for (k, v) in fields {
        match v {
            Val::Text(s) => {
                let _ = writeln!(out, "{k}: {}", scalar(s, false));
            }
            Val::Raw(s) => {
                let _ = writeln!(out, "{k}: {s}");
            }
            Val::List(items) => {
                let items: Vec<String> = items.iter().map(|s| scalar(s, true)).collect();
                let _ = writeln!(out, "{k}: [{}]", items.join(", "));
            }
            Val::Rules(rules) => {
                let _ = writeln!(out, "{k}:");
                for r in rules {
                    let _ = writeln!(out, "  - {r}");
                }
            }
        }
    }
}

/// A YAML scalar: plain when that is unambiguous, else double-quoted.
pub fn scalar(s: &str, flow: bool) -> String {
    let first = s.chars().next();
    let plain = match first {
        None => false,
        Some(c) => {
            !"-?:,[]{}#&*!|>'\"%@`~+.".contains(c)
                && !c.is_ascii_digit()
                && !c.is_whitespace()
                && s.trim_end() == s
                && !s.contains(": ")
                && !s.contains(" #")
                && !s.ends_with(':')
                && !s.contains(['\n', '\t', '\\'])
                && !(flow && s.contains([',', '[', ']', '{', '}']))
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
                )
        }
    };
    if plain {
        s.to_string()
    } else {
        let mut q = String::with_capacity(s.len() + 2);
        q.push('"');
        for c in s.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                '\n' => q.push_str("\\n"),
                '\t' => q.push_str("\\t"),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    }
}

/// How many entries of each kind a portal of `n` has.
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    pub center: usize,
    pub organization: usize,
    pub event: usize,
    pub cafeteria: usize,
    pub page: usize,
}

impl Counts {
    pub fn for_total(n: usize) -> Counts {
        let n = n.max(5);
        let organization = (n * 15 / 100).max(1);
        let event = (n * 25 / 100).max(1);
        let cafeteria = (n * 20 / 100).max(1);
        let page = (n * 2 / 100).max(1);
        let center = n - organization - event - cafeteria - page;
        Counts {
            center,
            organization,
            event,
            cafeteria,
            page,
        }
    }
}

/// Generates the portal's entries in reference order (organizations
/// first, then the places events may point at) and hands each to `sink`.
/// Returns the counts.
pub fn generate<E>(
    n: usize,
    mut sink: impl FnMut(&GenEntry) -> Result<(), E>,
) -> Result<Counts, E> {
    let counts = Counts::for_total(n);
    let mut orgs = Refs::default();
    for i in 0..counts.organization {
        let e = organization(&mut stream(Kind::Organization, i), i, &orgs);
        sink(&e)?;
        orgs.add(e.city, e.slug);
    }
    let mut places = Refs::default();
    for i in 0..counts.center {
        let e = center(&mut stream(Kind::Center, i), i, &orgs);
        sink(&e)?;
        if !matches!(e.get("status"), Some(Val::Raw(s)) if s == "closed") {
            places.add(e.city, e.slug);
        }
    }
    for i in 0..counts.cafeteria {
        let e = cafeteria(&mut stream(Kind::Cafeteria, i), i, &orgs);
        sink(&e)?;
        places.add(e.city, e.slug);
    }
    for i in 0..counts.event {
        let e = event(&mut stream(Kind::Event, i), i, &orgs, &places);
        sink(&e)?;
    }
    for i in 0..counts.page {
        let e = page(&mut stream(Kind::Page, i), i);
        sink(&e)?;
    }
    Ok(counts)
}

/// Slugs that `operator`, `organizer` and `place` may name, by city.
#[derive(Default)]
struct Refs {
    all: Vec<String>,
    by_city: std::collections::HashMap<&'static str, Vec<usize>>,
}

impl Refs {
    fn add(&mut self, city: &'static str, slug: String) {
        self.by_city.entry(city).or_default().push(self.all.len());
        self.all.push(slug);
    }

    fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Mostly one in the same city (when there is one), sometimes any.
    fn pick(&self, rng: &mut Rng, city: &str) -> String {
        match self.by_city.get(city) {
            Some(local) if rng.chance(90) => self.all[*rng.pick(local)].clone(),
            _ => rng.pick(&self.all).clone(),
        }
    }
}

fn stream(kind: Kind, i: usize) -> Rng {
    Rng::for_item(SEED, kind.letter() as u64, i as u64)
}

// ---------------------------------------------------------------- places

/// Where an entry is: city, ward (designated cities) and a town name.
struct Loc {
    city: &'static City,
    ward: Option<Part>,
    town: (String, String, String),
}

impl Loc {
    fn pick(rng: &mut Rng) -> Loc {
        let city = rng.pick(CITIES);
        let ward = city.wards.then(|| *rng.pick(WARDS));
        let h = rng.pick(TOWN_HEADS);
        let t = rng.pick(TOWN_TAILS);
        Loc {
            city,
            ward,
            town: (
                format!("{}{}", h.0, t.0),
                format!("{}{}", h.1, t.1),
                format!("{}{}", h.2, t.2),
            ),
        }
    }

    /// The vocabulary value: `広島市/中区` or `名張市`.
    fn area(&self) -> String {
        match self.ward {
            Some(w) => format!("{}/{}", self.city.name.0, w.0),
            None => self.city.name.0.to_string(),
        }
    }

    /// `広島市中区`
    fn area_text(&self) -> String {
        format!("{}{}", self.city.name.0, self.ward.map_or("", |w| w.0))
    }

    fn area_kana(&self) -> String {
        format!("{}{}", self.city.name.1, self.ward.map_or("", |w| w.1))
    }

    /// `hiroshima-naka`
    fn area_slug(&self) -> String {
        match self.ward {
            Some(w) => format!("{}-{}", self.city.name.2, w.2),
            None => self.city.name.2.to_string(),
        }
    }

    fn ward_name(&self) -> &'static str {
        self.ward.map_or("", |w| w.0)
    }

    fn address(&self, rng: &mut Rng) -> String {
        let mut a = format!(
            "{}{}{}{}丁目{}-{}",
            self.city.prefecture,
            self.area_text(),
            self.town.0,
            rng.range(1, 5),
            rng.range(1, 30),
            rng.range(1, 20)
        );
        if rng.chance(40) {
            let building = [
                "市民センター内",
                "地域会館",
                "福祉会館2階",
                "ビル1階",
                "公民館内",
            ];
            a.push(' ');
            let b: &str = *rng.pick(&building[..]);
            a.push_str(b);
        }
        a
    }

    fn geo(&self, rng: &mut Rng) -> String {
        let lat = self.city.lat + (rng.unit() - 0.5) * 0.1;
        let lon = self.city.lon + (rng.unit() - 0.5) * 0.1;
        format!("{{lat: {lat:.4}, lon: {lon:.4}}}")
    }

    fn access(&self, rng: &mut Rng) -> String {
        match rng.below(3) {
            0 => format!("JR「{}」駅から徒歩約{}分", self.town.0, rng.range(2, 15)),
            1 => format!(
                "地下鉄「{}」駅 {}番出口から徒歩約{}分",
                self.town.0,
                rng.range(1, 6),
                rng.range(1, 10)
            ),
            _ => format!("市営バス「{}」停留所からすぐ", self.town.0),
        }
    }

    /// A landline with the city's area code: 10 digits in all.
    fn landline(&self, rng: &mut Rng) -> String {
        let ac = self.city.area_code;
        let exchange_len = 10 - ac.len() - 4;
        format!("{ac}-{}-{}", "5".repeat(exchange_len), rng.digits(4))
    }
}

fn extra_phone(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("0120-{}-{}", rng.digits(3), rng.digits(3)),
        1 => format!("0570-{}-{}", rng.digits(3), rng.digits(3)),
        2 => format!("090-{}-{}", rng.digits(4), rng.digits(4)),
        _ => format!("050-{}-{}", rng.digits(4), rng.digits(4)),
    }
}

// ---------------------------------------------------------------- dates

/// Days since 1970-01-01 (proleptic Gregorian), after H. Hinnant.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn date_str(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A `verified` date within the last 330 days (never stale at 365).
fn verified(rng: &mut Rng) -> Val {
    Val::Raw(date_str(now_days() - rng.range(1, 330)))
}

// ---------------------------------------------------------------- hours

const WEEKDAYS: [(&str, &str); 7] = [
    ("mon", "月"),
    ("tue", "火"),
    ("wed", "水"),
    ("thu", "木"),
    ("fri", "金"),
    ("sat", "土"),
    ("sun", "日"),
];

struct Rules {
    yaml: Vec<String>,
    japanese: Vec<String>,
}

impl Rules {
    fn new() -> Rules {
        Rules {
            yaml: Vec::new(),
            japanese: Vec::new(),
        }
    }

    /// `days`: indexes into WEEKDAYS, 7 = hol.
    fn weekly(&mut self, days: &[usize], open: &str, close: &str, note: Option<&str>) {
        let names: Vec<&str> = days
            .iter()
            .map(|&d| if d == 7 { "hol" } else { WEEKDAYS[d].0 })
            .collect();
        let mut y = format!(
            "{{days: [{}], open: \"{open}\", close: \"{close}\"",
            names.join(", ")
        );
        push_note(&mut y, note);
        self.yaml.push(y);
        let jp: Vec<&str> = days
            .iter()
            .map(|&d| if d == 7 { "祝日" } else { WEEKDAYS[d].1 })
            .collect();
        self.japanese
            .push(format!("{} {open}〜{close}", jp.join("・")));
    }

    fn monthly(&mut self, weekday: usize, nth: i8, open: &str, close: &str, note: Option<&str>) {
        let mut y = format!(
            "{{weekday: {}, nth: {nth}, open: \"{open}\", close: \"{close}\"",
            WEEKDAYS[weekday].0
        );
        push_note(&mut y, note);
        self.yaml.push(y);
        let when = if nth == -1 {
            format!("毎月最終{}曜", WEEKDAYS[weekday].1)
        } else {
            format!("毎月第{nth}{}曜", WEEKDAYS[weekday].1)
        };
        self.japanese.push(format!("{when} {open}〜{close}"));
    }

    fn apply(self, e: &mut Vec<(&'static str, Val)>, text: &mut Vec<String>) {
        if !self.yaml.is_empty() {
            e.push(("hours", Val::Rules(self.yaml)));
            *text = self.japanese;
        }
    }
}

fn push_note(y: &mut String, note: Option<&str>) {
    if let Some(n) = note {
        let _ = write!(y, ", note: {}", scalar(n, true));
    }
    y.push('}');
}

fn nth(rng: &mut Rng) -> i8 {
    if rng.chance(20) {
        -1
    } else {
        rng.range(1, 4) as i8
    }
}

// ---------------------------------------------------------------- text

fn fill(template: &str, name: &str, loc: &Loc) -> String {
    template
        .replace("{name}", name)
        .replace("{town}", &loc.town.0)
        .replace("{city}", loc.city.name.0)
        .replace("{ward}", loc.ward_name())
}

fn paragraph(rng: &mut Rng, name: &str, loc: &Loc, opening: bool) -> String {
    let mut p = String::new();
    if opening {
        let o: &str = *rng.pick(OPENINGS);
        p.push_str(&fill(o, name, loc));
    }
    let k = rng.range(2, 4) as usize;
    for s in rng.sample(MIDDLES, k) {
        p.push_str(&fill(s, name, loc));
    }
    p
}

/// A Markdown body of a few paragraphs with headings and lists.
fn body(rng: &mut Rng, name: &str, loc: &Loc, website: Option<&str>, sections: usize) -> String {
    let mut b = String::new();
    b.push_str(&paragraph(rng, name, loc, true));
    b.push_str("\n\n");
    if rng.chance(50) {
        b.push_str(&paragraph(rng, name, loc, false));
        b.push_str("\n\n");
    }
    for heading in rng.sample(HEADINGS, sections) {
        let _ = write!(b, "## {heading}\n\n");
        let k = rng.range(3, 5) as usize;
        for item in rng.sample(LIST_ITEMS, k) {
            let _ = writeln!(b, "- {item}");
        }
        b.push('\n');
        b.push_str(&paragraph(rng, name, loc, false));
        b.push_str("\n\n");
    }
    if rng.chance(30) {
        b.push_str("## 相談の流れ\n\n1. まずはお電話かメールでご連絡ください。\n2. 担当者が折り返しご連絡し、お話をうかがいます。\n3. 必要に応じて、面談や訪問の日時を決めます。\n\n");
    }
    if rng.chance(40) {
        b.push_str("## よくある質問\n\n");
        for (q, a) in rng.sample(QUESTIONS, 2) {
            let _ = write!(b, "**Q. {q}**  \nA. {a}\n\n");
        }
    }
    if let Some(url) = website {
        if rng.chance(50) {
            let _ = write!(b, "詳しくは[{name}のウェブサイト]({url})をご覧ください。\n");
        }
    }
    while b.ends_with("\n\n") {
        b.pop();
    }
    b
}

fn pick_strs(rng: &mut Rng, items: &[&'static str], lo: usize, hi: usize) -> Vec<String> {
    let k = rng.range(lo as i64, hi as i64) as usize;
    rng.sample(items, k)
        .into_iter()
        .map(|s| s.to_string())
        .collect()
}

fn with_extra(
    rng: &mut Rng,
    base: &[&'static str],
    pool: &[&'static str],
    chance: u32,
) -> Vec<String> {
    let mut v: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    if rng.chance(chance) {
        let extra = rng.pick(pool).to_string();
        if !v.contains(&extra) {
            v.push(extra);
        }
    }
    v
}

fn keywords(rng: &mut Rng, specific: &[&'static str]) -> Vec<String> {
    let mut v = pick_strs(rng, specific, 2, specific.len().min(4));
    let k = rng.range(0, 2) as usize;
    for g in rng.sample(GENERIC_KEYWORDS, k) {
        v.push(g.to_string());
    }
    v
}

fn host(kind: Kind, loc: &Loc, i: usize) -> String {
    format!("{}-{}{i}.example.jp", loc.city.name.2, kind.letter())
}

/// The fields every kind except page shares, after name/kana/summary:
/// categories … access.
#[allow(clippy::too_many_arguments)]
fn common_place(
    f: &mut Vec<(&'static str, Val)>,
    rng: &mut Rng,
    loc: &Loc,
    categories: Vec<String>,
    audience: Vec<String>,
    methods: Vec<String>,
    physical: bool,
) {
    f.push(("categories", Val::List(categories)));
    f.push(("audience", Val::List(audience)));
    f.push(("methods", Val::List(methods)));
    f.push(("area", Val::Text(loc.area())));
    if physical {
        f.push(("address", Val::Text(loc.address(rng))));
        if rng.chance(90) {
            f.push(("geo", Val::Raw(loc.geo(rng))));
        }
        if rng.chance(80) {
            f.push(("access", Val::Text(loc.access(rng))));
        }
    }
}

fn contact(
    f: &mut Vec<(&'static str, Val)>,
    rng: &mut Rng,
    kind: Kind,
    loc: &Loc,
    i: usize,
    p_phone: u32,
    p_web: u32,
) -> Option<String> {
    if rng.chance(p_phone) {
        let main = loc.landline(rng);
        if rng.chance(20) {
            f.push(("phone", Val::List(vec![main, extra_phone(rng)])));
        } else {
            f.push(("phone", Val::Raw(main)));
        }
    }
    let h = host(kind, loc, i);
    if rng.chance(p_web) {
        let local = rng.pick(&["info", "soudan", "contact", "office"]);
        f.push(("email", Val::Text(format!("{local}@{h}"))));
    }
    if rng.chance(p_web) {
        let url = format!("https://{h}/");
        f.push(("website", Val::Text(url.clone())));
        return Some(url);
    }
    None
}

fn fee(f: &mut Vec<(&'static str, Val)>, rng: &mut Rng, p: u32) {
    if rng.chance(p) {
        let (text, free) = *rng.pick(FEES);
        f.push(("fee", Val::Text(text.to_string())));
        f.push(("free", Val::Raw(free.to_string())));
    } else if rng.chance(50) {
        f.push(("free", Val::Raw("true".into())));
    }
}

fn tail_fields(f: &mut Vec<(&'static str, Val)>, rng: &mut Rng, p_access: u32, p_lang: u32) {
    if rng.chance(p_access) {
        f.push((
            "accessibility",
            Val::Text(rng.pick(ACCESSIBILITY).to_string()),
        ));
    }
    if rng.chance(p_lang) {
        let langs = rng.pick(LANGUAGE_SETS);
        f.push((
            "languages",
            Val::List(langs.iter().map(|s| s.to_string()).collect()),
        ));
    }
}

// ---------------------------------------------------------------- kinds

fn organization(rng: &mut Rng, i: usize, earlier: &Refs) -> GenEntry {
    let loc = Loc::pick(rng);
    let shape = rng.pick(ORG_SHAPES);
    let (x0, x1, x2) = match rng.below(3) {
        0 => loc.town.clone(),
        1 => (
            loc.city.name.0.to_string(),
            loc.city.name.1.to_string(),
            loc.city.name.2.to_string(),
        ),
        _ => {
            let n = rng.pick(NICKS);
            (n.0.to_string(), n.1.to_string(), n.2.to_string())
        }
    };
    let name = format!("{}{}{}", shape.legal, x0, shape.tail.0);
    let kana = format!("{}{}", x1, shape.tail.1);
    let slug = format!("{}-{}-o{i}", x2, shape.tail.2);
    let cats = with_extra(rng, shape.categories, CATEGORIES, 40);
    let kind_word = if shape.legal.is_empty() {
        "グループ"
    } else {
        "団体"
    };
    let summary = format!(
        "{}を拠点に、{}に取り組む{}です。",
        loc.area_text(),
        cats.join("・"),
        kind_word
    );
    let mut f = vec![
        ("name", Val::Text(name.clone())),
        ("kana", Val::Text(kana)),
        ("summary", Val::Text(summary)),
    ];
    let audience = pick_strs(rng, AUDIENCE, 1, 4);
    let methods = pick_strs(rng, METHODS, 1, 3);
    let physical = rng.chance(85);
    common_place(&mut f, rng, &loc, cats, audience, methods, physical);
    let website = contact(&mut f, rng, Kind::Organization, &loc, i, 85, 75);
    fee(&mut f, rng, 20);
    let mut hours_text = Vec::new();
    if rng.chance(70) {
        let mut r = Rules::new();
        if rng.chance(60) {
            r.weekly(
                &[0, 1, 2, 3, 4],
                "09:00",
                "18:00",
                rng.chance(50).then_some("事務局の電話受付"),
            );
        } else {
            r.weekly(&[0, 2, 4], "10:00", "16:00", None);
        }
        r.apply(&mut f, &mut hours_text);
        if rng.chance(50) {
            f.push(("hours_note", Val::Text(rng.pick(HOURS_NOTES).to_string())));
        }
    }
    tail_fields(&mut f, rng, 50, 60);
    if rng.chance(3) {
        f.push(("status", Val::Raw("paused".into())));
    }
    if !earlier.is_empty() && rng.chance(5) {
        f.push(("operator", Val::Text(earlier.pick(rng, loc.city.name.0))));
    }
    f.push(("keywords", Val::List(keywords(rng, shape.keywords))));
    f.push(("verified", verified(rng)));
    let sections = rng.range(1, 2) as usize;
    let b = body(rng, &name, &loc, website.as_deref(), sections);
    GenEntry {
        kind: Kind::Organization,
        slug,
        yaml: rng.chance(15),
        fields: f,
        body: b,
        hours_text,
        city: loc.city.name.0,
    }
}

fn center(rng: &mut Rng, i: usize, orgs: &Refs) -> GenEntry {
    let loc = Loc::pick(rng);
    let t = rng.pick(CENTER_TYPES);
    let (name, kana) = if t.part.2 == "machi-hokenshitsu" {
        (
            format!("{} {}", t.part.0, loc.town.0),
            format!("{}{}", t.part.1, loc.town.1),
        )
    } else {
        (
            format!("{} {}{}", loc.area_text(), loc.town.0, t.part.0),
            format!("{}{}{}", loc.area_kana(), loc.town.1, t.part.1),
        )
    };
    let slug = format!("{}-{}-{}-c{i}", loc.area_slug(), loc.town.2, t.part.2);
    let cats = with_extra(rng, t.categories, CATEGORIES, 30);
    let audience = pick_strs(rng, AUDIENCE, 1, 3);
    let methods = pick_strs(rng, METHODS, 2, 5);
    let summary = format!(
        "{}の{}。{}からの{}による相談に応じます。",
        loc.area_text(),
        t.part.0,
        audience.join("・"),
        methods.join("・")
    );
    let mut f = vec![
        ("name", Val::Text(name.clone())),
        ("kana", Val::Text(kana)),
        ("summary", Val::Text(summary)),
    ];
    common_place(&mut f, rng, &loc, cats, audience, methods, true);
    let website = contact(&mut f, rng, Kind::Center, &loc, i, 97, 70);
    if rng.chance(85) {
        f.push(("fee", Val::Text("無料".into())));
        f.push(("free", Val::Raw("true".into())));
    }
    if rng.chance(50) {
        f.push(("anonymous", Val::Raw(rng.chance(80).to_string())));
    }
    let mut hours_text = Vec::new();
    if rng.chance(95) {
        let mut r = Rules::new();
        let open = *rng.pick(&["08:30", "09:00", "10:00"]);
        let close = *rng.pick(&["17:00", "17:15", "18:00"]);
        let note = rng.chance(20).then(|| *rng.pick(RULE_NOTES));
        r.weekly(&[0, 1, 2, 3, 4], open, close, note);
        match rng.below(4) {
            0 => r.weekly(&[5], "10:00", "12:00", None),
            1 => r.weekly(&[5, 7], "10:00", "15:00", Some("予約制")),
            2 => {
                let nth = nth(rng);
                r.monthly(
                    rng.below(5),
                    nth,
                    "18:00",
                    "20:00",
                    Some("夜間相談(予約制)"),
                )
            }
            _ => {}
        }
        if rng.chance(10) {
            r.weekly(&[6, 7], "13:00", "16:00", Some("電話相談のみ"));
        }
        r.apply(&mut f, &mut hours_text);
    }
    if rng.chance(60) {
        f.push(("hours_note", Val::Text(rng.pick(HOURS_NOTES).to_string())));
    }
    tail_fields(&mut f, rng, 60, 70);
    match t.part.2 {
        "saposute" => {
            f.push(("min_age", Val::Raw("15".into())));
            f.push(("max_age", Val::Raw("49".into())));
        }
        "kodomo-katei" | "kyoiku-shien" => f.push(("max_age", Val::Raw("18".into()))),
        _ if rng.chance(10) => f.push(("min_age", Val::Raw("18".into()))),
        _ => {}
    }
    let r = rng.below(100);
    if r < 3 {
        f.push(("status", Val::Raw("paused".into())));
    } else if r < 5 {
        f.push(("status", Val::Raw("closed".into())));
    } else if r < 10 {
        f.push(("status", Val::Raw("open".into())));
    }
    if rng.chance(40) {
        f.push(("operator", Val::Text(orgs.pick(rng, loc.city.name.0))));
    }
    f.push(("keywords", Val::List(keywords(rng, t.keywords))));
    f.push(("verified", verified(rng)));
    if rng.chance(2) {
        f.push(("draft", Val::Raw("false".into())));
    }
    let sections = rng.range(1, 3) as usize;
    let b = body(rng, &name, &loc, website.as_deref(), sections);
    GenEntry {
        kind: Kind::Center,
        slug,
        yaml: rng.chance(15),
        fields: f,
        body: b,
        hours_text,
        city: loc.city.name.0,
    }
}

fn cafeteria(rng: &mut Rng, i: usize, orgs: &Refs) -> GenEntry {
    let loc = Loc::pick(rng);
    let t = rng.pick(CAFETERIA_TYPES);
    let (name, kana, slug) = match rng.below(3) {
        0 => (
            format!("{}{}", loc.town.0, t.part.0),
            format!("{}{}", loc.town.1, t.part.1),
            format!("{}-{}-k{i}", loc.town.2, t.part.2),
        ),
        1 => {
            let n = rng.pick(NICKS);
            (
                format!("{} {}", t.part.0, n.0),
                format!("{}{}", t.part.1, n.1),
                format!("{}-{}-{}-k{i}", loc.area_slug(), t.part.2, n.2),
            )
        }
        _ => (
            format!("{} {}{}", loc.area_text(), loc.town.0, t.part.0),
            format!("{}{}{}", loc.area_kana(), loc.town.1, t.part.1),
            format!("{}-{}-{}-k{i}", loc.area_slug(), loc.town.2, t.part.2),
        ),
    };
    let mut r = Rules::new();
    let evening = rng.chance(60);
    let (open, close) = if evening {
        ("17:00", "19:30")
    } else {
        ("11:00", "14:00")
    };
    let wd = rng.below(7);
    let n1 = nth(rng);
    r.monthly(wd, n1, open, close, None);
    if rng.chance(50) && n1 != -1 {
        let n2 = if n1 <= 2 { n1 + 2 } else { -1 };
        r.monthly(wd, n2, open, close, None);
    }
    if rng.chance(30) {
        r.weekly(&[2], "15:00", "18:00", Some("学習コーナー"));
    }
    if rng.chance(10) {
        r.weekly(&[5, 7], "11:00", "13:30", Some("長期休みの昼食会"));
    }
    let schedule = r.japanese[0].split(' ').next().unwrap_or("").to_string();
    let summary = format!(
        "{}で{}にひらく{}。食事のほか、{}もあります。",
        loc.town.0,
        schedule,
        t.part.0,
        rng.pick(&[
            "食品の持ち帰り",
            "学習コーナー",
            "おしゃべりの時間",
            "相談コーナー"
        ])
    );
    let mut f = vec![
        ("name", Val::Text(name.clone())),
        ("kana", Val::Text(kana)),
        ("summary", Val::Text(summary)),
    ];
    let cats = with_extra(rng, t.categories, CATEGORIES, 30);
    let audience = pick_strs(rng, AUDIENCE, 1, 3);
    common_place(&mut f, rng, &loc, cats, audience, vec!["来所".into()], true);
    let website = contact(&mut f, rng, Kind::Cafeteria, &loc, i, 70, 40);
    fee(&mut f, rng, 90);
    let mut hours_text = Vec::new();
    r.apply(&mut f, &mut hours_text);
    if rng.chance(50) {
        f.push((
            "hours_note",
            Val::Text("学校の長期休みには昼食の回があります。年末年始は休み。".into()),
        ));
    }
    tail_fields(&mut f, rng, 60, 40);
    if t.part.2 == "kodomo-shokudo" && rng.chance(40) {
        f.push(("max_age", Val::Raw("18".into())));
    }
    if rng.chance(60) {
        f.push(("operator", Val::Text(orgs.pick(rng, loc.city.name.0))));
    }
    f.push(("keywords", Val::List(keywords(rng, t.keywords))));
    f.push(("verified", verified(rng)));
    let sections = rng.range(1, 2) as usize;
    let b = body(rng, &name, &loc, website.as_deref(), sections);
    GenEntry {
        kind: Kind::Cafeteria,
        slug,
        yaml: rng.chance(15),
        fields: f,
        body: b,
        hours_text,
        city: loc.city.name.0,
    }
}

fn event(rng: &mut Rng, i: usize, orgs: &Refs, places: &Refs) -> GenEntry {
    let loc = Loc::pick(rng);
    let s = rng.pick(EVENT_SHAPES);
    let day = now_days() + rng.range(-60, 300);
    let (year, month, dom) = civil_from_days(day);
    let (p0, p1, p2) = if s.city_level {
        (
            loc.city.name.0.to_string(),
            loc.city.name.1.to_string(),
            loc.city.name.2.to_string(),
        )
    } else {
        loc.town.clone()
    };
    let name = format!("{}{}{} {year}", s.head.0, p0, s.tail.0);
    let kana = format!("{}{}{}", s.head.1, p1, s.tail.1);
    let slug_kind = if s.head.2.is_empty() {
        s.tail.2
    } else {
        s.head.2
    };
    let slug = format!("{p2}-{slug_kind}-{year}-e{i}");

    // starts / ends: local times mostly, some with an offset, some all-day.
    let hour = rng.range(9, 19);
    let minute = if rng.chance(50) { 0 } else { 30 };
    let dur = rng.range(2, 8) * 30;
    let end_min = (hour * 60 + minute + dur).min(23 * 60 + 30);
    let (starts, ends) = match rng.below(100) {
        0..=69 => (
            format!("{}T{hour:02}:{minute:02}", date_str(day)),
            rng.chance(90).then(|| {
                if rng.chance(5) {
                    format!("{}T12:00", date_str(day + 1))
                } else {
                    format!("{}T{:02}:{:02}", date_str(day), end_min / 60, end_min % 60)
                }
            }),
        ),
        70..=84 => (
            format!("{}T{hour:02}:{minute:02}:00+09:00", date_str(day)),
            Some(format!(
                "{}T{:02}:{:02}:00+09:00",
                date_str(day),
                end_min / 60,
                end_min % 60
            )),
        ),
        _ => (
            date_str(day),
            rng.chance(60).then(|| date_str(day + rng.range(0, 2))),
        ),
    };
    let when = format!("{month}月{dom}日");
    let mode = rng.below(10); // 0–3 at a place, 4–7 at a venue, 8–9 online
    let where_ = match mode {
        0..=3 => "地域の拠点",
        4..=7 => "会場",
        _ => "オンライン",
    };
    let audience = pick_strs(rng, AUDIENCE, 1, 3);
    let summary = format!(
        "{when}に{where_}でひらく{}{}。{}の方はどなたでも参加できます。",
        s.head.0.trim_end(),
        s.tail.0,
        audience.join("・")
    );
    let mut f = vec![
        ("name", Val::Text(name.clone())),
        ("kana", Val::Text(kana)),
        ("summary", Val::Text(summary)),
    ];
    let cats = with_extra(rng, s.categories, CATEGORIES, 30);
    let methods = if mode >= 8 {
        vec!["オンライン".to_string()]
    } else if rng.chance(30) {
        vec!["来所".to_string(), "オンライン".to_string()]
    } else {
        vec!["来所".to_string()]
    };
    common_place(
        &mut f,
        rng,
        &loc,
        cats,
        audience,
        methods,
        (4..=7).contains(&mode),
    );
    let website = contact(&mut f, rng, Kind::Event, &loc, i, 40, 30);
    fee(&mut f, rng, 80);
    if rng.chance(20) {
        f.push(("anonymous", Val::Raw("true".into())));
    }
    tail_fields(&mut f, rng, 30, 20);
    if s.head.2 == "futoko-tsudoi" && rng.chance(50) {
        f.push(("min_age", Val::Raw("18".into())));
    }
    f.push(("keywords", Val::List(keywords(rng, s.keywords))));
    if rng.chance(80) {
        f.push(("verified", verified(rng)));
    }
    let r = rng.below(100);
    if r < 2 {
        f.push(("draft", Val::Raw("true".into())));
    } else if r < 5 {
        f.push(("draft", Val::Raw("false".into())));
    }
    f.push(("starts", Val::Text(starts)));
    if let Some(e) = ends {
        f.push(("ends", Val::Text(e)));
    }
    match mode {
        0..=3 if !places.is_empty() => {
            f.push(("place", Val::Text(places.pick(rng, loc.city.name.0))));
        }
        8..=9 => {
            f.push(("venue", Val::Text("オンライン(Zoom)".into())));
        }
        _ => {
            let hall = rng.pick(&[
                "地区センター 2階 会議室",
                "市民活動ホール",
                "公民館 和室",
                "福祉会館 大会議室",
            ]);
            f.push((
                "venue",
                Val::Text(format!("{} {}{hall}", loc.area_text(), loc.town.0)),
            ));
        }
    }
    if mode >= 8 || rng.chance(25) {
        if rng.chance(70) {
            f.push((
                "online",
                Val::Text(format!("https://meet.example.jp/{slug}")),
            ));
        } else {
            f.push(("online", Val::Raw("true".into())));
        }
    }
    if rng.chance(70) {
        if rng.chance(40) {
            f.push((
                "registration",
                Val::Text(format!("https://forms.example.jp/{slug}/")),
            ));
        } else {
            f.push((
                "registration",
                Val::Text(rng.pick(REGISTRATION_TEXTS).to_string()),
            ));
        }
    }
    if rng.chance(60) {
        f.push(("capacity", Val::Raw(rng.range(10, 200).to_string())));
    }
    if rng.chance(85) {
        f.push(("organizer", Val::Text(orgs.pick(rng, loc.city.name.0))));
    }
    let b = body(rng, &name, &loc, website.as_deref(), 1);
    GenEntry {
        kind: Kind::Event,
        slug,
        yaml: rng.chance(15),
        fields: f,
        body: b,
        hours_text: Vec::new(),
        city: loc.city.name.0,
    }
}

fn page(rng: &mut Rng, i: usize) -> GenEntry {
    let loc = Loc::pick(rng);
    let (topic, topic_slug) = *rng.pick(PAGE_TOPICS);
    let title = if i < PAGE_TOPICS.len() {
        topic.to_string()
    } else {
        format!("{topic}({}版)", loc.city.name.0)
    };
    let slug = format!("{topic_slug}-p{i}");
    let mut f = vec![
        ("title", Val::Text(title.clone())),
        (
            "summary",
            Val::Text(format!(
                "「{topic}」について、よくある質問と{}の相談先をまとめています。",
                loc.city.name.0
            )),
        ),
    ];
    if rng.chance(80) {
        f.push(("order", Val::Raw((i % 50).to_string())));
    }
    if rng.chance(5) {
        f.push(("draft", Val::Raw("true".into())));
    }
    if rng.chance(50) {
        f.push((
            "keywords",
            Val::List(pick_strs(rng, GENERIC_KEYWORDS, 2, 4)),
        ));
    }
    let sections = rng.range(3, 5) as usize;
    let b = body(rng, &title, &loc, None, sections);
    GenEntry {
        kind: Kind::Page,
        slug,
        yaml: rng.chance(15),
        fields: f,
        body: b,
        hours_text: Vec::new(),
        city: loc.city.name.0,
    }
}

// ---------------------------------------------------------------- site.toml

pub fn areas() -> Vec<String> {
    let mut v = Vec::new();
    for c in CITIES {
        if c.wards {
            for w in WARDS {
                v.push(format!("{}/{}", c.name.0, w.0));
            }
        } else {
            v.push(c.name.0.to_string());
        }
    }
    v
}

fn toml_list(items: &[impl AsRef<str>]) -> String {
    let q: Vec<String> = items
        .iter()
        .map(|s| format!("\"{}\"", s.as_ref()))
        .collect();
    format!("[{}]", q.join(", "))
}

pub fn site_toml(n: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Generated by examples/bench.rs (generator v{GEN_VERSION}); do not edit."
    );
    let _ = writeln!(s, "title = \"つなぐ ベンチマーク用ポータル({n}件)\"");
    s.push_str(concat!(
        "base_url = \"https://bench.example.jp/\"\n",
        "language = \"ja\"\n",
        "timezone = \"Asia/Tokyo\"\n",
        "theme = \"hiroshima\"\n",
        "stale_after_days = 365\n",
        "report_email = \"portal@bench.example.jp\"\n",
        "quick_exit_url = \"https://weather.example.jp/\"\n",
        "description = \"ベンチマーク用に自動生成した、全国の相談窓口・支援団体・イベント・子ども食堂の架空の情報です。\"\n\n",
        "[vocabulary]\n",
    ));
    let _ = writeln!(s, "categories = {}", toml_list(CATEGORIES));
    let _ = writeln!(s, "audience = {}", toml_list(AUDIENCE));
    let _ = writeln!(s, "methods = {}", toml_list(METHODS));
    let _ = writeln!(s, "areas = {}", toml_list(&areas()));
    s.push_str(concat!(
        "\n[synonyms]\ngroups = [\n",
        "  [\"ひきこもり\", \"引きこもり\", \"引き籠もり\", \"引き篭もり\", \"引籠り\"],\n",
        "  [\"子ども食堂\", \"こども食堂\", \"子供食堂\"],\n",
        "  [\"地域食堂\", \"食の場\", \"みんな食堂\"],\n",
        "  [\"不登校\", \"登校拒否\", \"学校に行けない\"],\n",
        "  [\"地域包括支援センター\", \"包括\", \"あんしんすこやかセンター\", \"あんすこ\"],\n",
        "  [\"8050問題\", \"8050\", \"はちまるごーまる\"],\n",
        "  [\"居場所\", \"いばしょ\", \"たまり場\", \"サロン\"],\n",
        "  [\"家族会\", \"親の会\", \"家族の集い\"],\n",
        "  [\"当事者会\", \"自助グループ\", \"ピアサポート\"],\n",
        "  [\"メンタルヘルス\", \"こころの健康\", \"心の健康\", \"メンタル不調\"],\n",
        "  [\"生活困窮\", \"生活苦\", \"お金の困りごと\", \"家計の相談\"],\n",
        "  [\"就労\", \"仕事\", \"しごと\", \"就職\"],\n",
        "  [\"住まい\", \"住居\", \"居住支援\", \"住宅\"],\n",
        "  [\"オンライン\", \"ネット\", \"リモート\"],\n",
        "  [\"社会的処方\", \"リンクワーカー\", \"つながりサポート\"],\n",
        "  [\"障がい\", \"障害\", \"障碍\"],\n",
        "]\n\n",
        "[[hotlines]]\nname = \"よりそいホットライン\"\nphone = \"0120-279-338\"\nhours = \"24時間\"\n\n",
        "[[hotlines]]\nname = \"いのちの電話(フリーダイヤル)\"\nphone = \"0120-783-556\"\nhours = \"毎日16時〜21時\"\n\n",
        "[[hotlines]]\nname = \"こころの健康相談統一ダイヤル\"\nphone = \"0570-064-556\"\nhours = \"都道府県・政令市により異なります\"\n",
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trip() {
        for d in [-1000, 0, 20_000, 20_788] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(date_str(days_from_civil(2026, 12, 1)), "2026-12-01");
    }
}
