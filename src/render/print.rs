//! 「印刷用一覧」: one page per area (`areas/<area>/print/`, see
//! [`super::urls::print_dir`]) listing every entry of that area — wards
//! included under their city — with what a support worker needs on paper:
//! name and reading, address, phone numbers, hours in words and the page's
//! address. Linked from each area page; laid out by `templates/print.html`
//! and the theme's `@media print` rules so it prints compactly.
//!
//! Which entries: the centers, cafeterias and organizations the area page
//! lists (not closed), in 五十音 order. Events are left out: a sheet
//! handed out on paper is kept for months, and event dates on it would be
//! wrong long before its phone numbers and hours are; the area page lists
//! the upcoming ones. So a print page depends only on the entries of its
//! area, which keeps `tsunagu serve`'s partial rebuilds simple.
//!
//! A theme without `print.html` (a portal's own complete theme) simply
//! has no print pages; the built-in `term.html` links to them, so a theme
//! that overrides only some templates keeps both.

use super::urls::{encode_path, TermDirs};
use super::view::{self, Card, Phone};
use crate::model::{Entry, Kind};
use crate::site::Site;
use serde::Serialize;

/// The template of a print list.
pub const TEMPLATE: &str = "print.html";

/// The kinds listed, in order.
const KINDS: [Kind; 3] = [Kind::Center, Kind::Cafeteria, Kind::Organization];

/// One entry as a block of the printed list.
#[derive(Debug, Serialize)]
pub struct PrintItem {
    pub kind: &'static str,
    pub name: String,
    pub kana: Option<String>,
    /// `open` or `paused` (closed entries are not listed).
    pub status: &'static str,
    pub address: Option<String>,
    pub phones: Vec<Phone>,
    /// Each rule in plain Japanese with its note (「月〜金 9:00〜17:00(祝日休み)」).
    pub hours: Vec<String>,
    pub hours_note: Option<String>,
    /// The absolute address of the entry page (printed, so never relative).
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct PrintSection {
    pub kind: &'static str,
    pub label: &'static str,
    pub items: Vec<PrintItem>,
}

/// What `print.html` gets besides the every-page context (as `print`).
#[derive(Debug, Serialize)]
pub struct PrintView {
    /// The vocabulary value (「広島市/中区」).
    pub area: String,
    /// For display (「広島市 中区」).
    pub area_label: String,
    /// href of the area page.
    pub area_url: String,
    pub count: usize,
    pub sections: Vec<PrintSection>,
}

/// A print page for the page renderer (`render/pages.rs` wraps it in the
/// every-page context): directory, title, breadcrumbs (name, href), and
/// its own context.
pub struct PrintPage {
    /// Raw UTF-8 site-relative directory (`areas/広島市/print/`).
    pub dir: String,
    pub title: String,
    /// `page.description`: what the list holds, for search results and shared links.
    pub description: String,
    pub crumbs: Vec<(String, Option<String>)>,
    pub ctx: tera::Context,
    /// Items listed, so the biggest pages render first.
    pub weight: usize,
}

/// Inputs the page renderer already has.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub base: &'a str,
    /// Directories of the area nodes (`areas/広島市/`).
    pub area_dirs: &'a TermDirs,
    /// Entry indices in 五十音 order.
    pub kana_order: &'a [usize],
    /// Whether an entry appears in lists.
    pub listed: &'a [bool],
    pub cards: &'a [Card],
    /// Whether the theme has [`TEMPLATE`].
    pub enabled: bool,
}

fn in_area(entry: &Entry, node: &str) -> bool {
    entry.fields.area.as_deref().is_some_and(|a| {
        a == node
            || (a.len() > node.len() && a.starts_with(node) && a[node.len()..].starts_with('/'))
    })
}

fn item(site: &Site, e: &Entry, card: &Card) -> PrintItem {
    let f = &e.fields;
    PrintItem {
        kind: e.kind.as_str(),
        name: e.name().to_string(),
        kana: f.kana.clone(),
        status: card.status,
        address: f.address.clone(),
        phones: f
            .phone
            .as_ref()
            .map(|p| p.as_slice().iter().map(Phone::from).collect())
            .unwrap_or_default(),
        hours: f
            .hours
            .iter()
            .flatten()
            .map(|h| match h.note() {
                Some(n) => format!("{}({n})", h.japanese()),
                None => h.japanese(),
            })
            // The closed days as one more line, as the entry page shows them.
            .chain(closed_line(site, e))
            .collect(),
        hours_note: f.hours_note.clone(),
        url: format!("{}{}", site.config.base_url(), encode_path(&e.url_path())),
    }
}

/// 「休み: 年末年始(12月29日〜1月3日)、2027年1月15日(臨時休館)」, or
/// nothing without closed days (past one-off dates are left out).
fn closed_line(site: &Site, e: &crate::model::Entry) -> Option<String> {
    let spans = &site.config.closures.spans;
    let parts: Vec<String> = e
        .fields
        .closed
        .iter()
        .flatten()
        .filter(|c| !c.is_past(site.today))
        .map(|c| match c.note() {
            Some(n) => format!("{}({n})", c.japanese(spans)),
            None => c.japanese(spans),
        })
        .collect();
    (!parts.is_empty()).then(|| format!("休み: {}", parts.join("、")))
}

/// The print page of one area node (`None` when the theme has no print
/// template or the area is not in the vocabulary).
pub fn page(inputs: &Inputs, node: &str) -> Option<PrintPage> {
    if !inputs.enabled {
        return None;
    }
    let site = inputs.site;
    let area_dir = inputs.area_dirs.dir(node)?;
    let mut sections: Vec<PrintSection> = KINDS
        .iter()
        .map(|k| PrintSection {
            kind: k.as_str(),
            label: k.label(),
            items: Vec::new(),
        })
        .collect();
    for &i in inputs.kana_order {
        let e = &site.entries[i];
        if !inputs.listed[i] || !in_area(e, node) {
            continue;
        }
        if let Some(s) = KINDS.iter().position(|k| *k == e.kind) {
            sections[s].items.push(item(site, e, &inputs.cards[i]));
        }
    }
    sections.retain(|s| !s.items.is_empty());
    let count: usize = sections.iter().map(|s| s.items.len()).sum();
    let area_label = view::area_label(node);
    let area_url = format!("{}{}", inputs.base, encode_path(area_dir));
    let title = format!("{area_label}の相談先・居場所 印刷用一覧");
    let description = format!(
        "{area_label}の相談先・居場所 {count}件の連絡先と受付時間を、印刷して渡せる一覧にしたものです。"
    );

    let mut crumbs = vec![
        ("ホーム".to_string(), Some(inputs.base.to_string())),
        (
            "地域からさがす".to_string(),
            Some(format!("{}areas/", inputs.base)),
        ),
    ];
    let mut prefix = String::new();
    for part in node.split('/') {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        let url = inputs
            .area_dirs
            .dir(&prefix)
            .map(|d| format!("{}{}", inputs.base, encode_path(d)));
        crumbs.push((part.to_string(), url));
    }
    crumbs.push(("印刷用一覧".to_string(), None));

    let mut ctx = tera::Context::new();
    ctx.insert(
        "print",
        &PrintView {
            area: node.to_string(),
            area_label,
            area_url,
            count,
            sections,
        },
    );
    Some(PrintPage {
        dir: super::urls::print_dir(area_dir),
        title,
        description,
        crumbs,
        ctx,
        weight: count,
    })
}
