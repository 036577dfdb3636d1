//! Groupings (computed in one pass) and the context of every page.

use super::theme::{error_chain, Theme};
use super::urls::{encode_path, index_file, TermDirs};
use super::view::{self, Card, EventTimes, Link, Phone, TermUrls};
use super::RenderError;
use crate::model::{Entry, Kind, Status};
use crate::output::OutputFile;
use crate::site::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The kinds with list pages, in navigation order.
const NAV_KINDS: [Kind; 5] = [
    Kind::Center,
    Kind::Cafeteria,
    Kind::Organization,
    Kind::Event,
    Kind::Page,
];
/// The order of kinds in browse pages (events get their own section).
const SECTION_KINDS: [Kind; 3] = [Kind::Center, Kind::Cafeteria, Kind::Organization];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Dim {
    Categories,
    Areas,
    Audience,
    Methods,
}

impl Dim {
    const ALL: [Dim; 4] = [Dim::Categories, Dim::Areas, Dim::Audience, Dim::Methods];
    fn key(self) -> &'static str {
        match self {
            Dim::Categories => "categories",
            Dim::Areas => "areas",
            Dim::Audience => "audience",
            Dim::Methods => "methods",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Dim::Categories => "分野",
            Dim::Areas => "地域",
            Dim::Audience => "対象",
            Dim::Methods => "相談の方法",
        }
    }
    fn index(self) -> usize {
        self as usize
    }
}

struct Terms {
    base: String,
    dirs: [TermDirs; 4],
}

impl Terms {
    fn url(&self, dim: Dim, v: &str) -> Option<String> {
        self.dirs[dim.index()]
            .dir(v)
            .map(|d| format!("{}{}", self.base, encode_path(d)))
    }
}

impl TermUrls for Terms {
    fn category(&self, v: &str) -> Option<String> {
        self.url(Dim::Categories, v)
    }
    fn audience(&self, v: &str) -> Option<String> {
        self.url(Dim::Audience, v)
    }
    fn method(&self, v: &str) -> Option<String> {
        self.url(Dim::Methods, v)
    }
    fn area(&self, v: &str) -> Option<String> {
        self.url(Dim::Areas, v)
    }
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    base_url: String,
    report_email: Option<&'a str>,
    quick_exit_url: Option<&'a str>,
    stale_after_days: u32,
}

#[derive(Serialize)]
struct HotlineView<'a> {
    name: &'a str,
    phone: Phone,
    hours: Option<&'a str>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct KindView {
    value: &'static str,
    label: &'static str,
    folder: &'static str,
    url: String,
}

#[derive(Serialize)]
struct DimView {
    key: &'static str,
    label: &'static str,
    url: String,
}

#[derive(Serialize, Clone)]
struct Crumb {
    name: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct PageMeta<'a> {
    title: &'a str,
    /// Site-relative, percent-encoded (`centers/foo/`; `""` for the top page).
    path: String,
    /// `base` + `path`.
    url: String,
    /// Absolute URL (none for the 404 page).
    canonical: Option<String>,
    description: Option<&'a str>,
    template: &'a str,
    breadcrumbs: Vec<Crumb>,
}

#[derive(Serialize, Clone)]
struct TermView {
    name: String,
    label: String,
    url: String,
    count: usize,
    children: Vec<TermView>,
}

#[derive(Serialize)]
struct Group<'a> {
    label: &'static str,
    id: &'static str,
    items: Vec<&'a Card>,
}

/// A 五十音 row in the index of a list page: where the row starts.
#[derive(Serialize)]
struct KanaLink {
    label: &'static str,
    id: &'static str,
    url: String,
}

#[derive(Serialize)]
struct Section<'a> {
    kind: &'static str,
    label: &'static str,
    items: Vec<&'a Card>,
}

#[derive(Serialize)]
struct Split<'a> {
    upcoming: Vec<&'a Card>,
    past: Vec<&'a Card>,
}

/// Where a page stands in its paginated list (`pagination` in the
/// context of list, events and browse pages; `total` is 1 when the list
/// fits on one page).
#[derive(Serialize)]
struct Pagination {
    /// This page, from 1.
    number: usize,
    /// How many pages the list has.
    total: usize,
    /// Entries in the whole list, and the 1-based range shown here
    /// (`from` > `to` when the list is empty).
    items: usize,
    from: usize,
    to: usize,
    prev: Option<String>,
    next: Option<String>,
    /// The first and last pages and the two on either side of this one,
    /// in order; `gap_before` marks pages skipped before a link.
    links: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    gap_before: bool,
}

/// The site-relative directory of page `n` (from 0) of the list at `dir`:
/// the list's own for the first page, `DIR/page/N/` after it.
fn page_dir(dir: &str, n: usize) -> String {
    if n == 0 {
        dir.to_string()
    } else {
        format!("{dir}page/{}/", n + 1)
    }
}

/// Entry indices of one grouping: (non-events in 五十音 order, upcoming events by start).
type Listing = (Vec<usize>, Vec<usize>);

/// A page to render.
struct Job {
    /// Output file, raw UTF-8 (`areas/広島市/index.html`).
    file: String,
    template: &'static str,
    ctx: tera::Context,
    /// Rough size (items listed), to render the biggest pages first.
    weight: usize,
}

/// Everything computed once before rendering.
struct Prep<'s> {
    site: &'s Site,
    base: String,
    terms: Terms,
    times: Vec<Option<EventTimes>>,
    cards: Vec<Card>,
    /// Indices of entries in 五十音 order (kana key, then slug).
    kana_order: Vec<usize>,
    /// Events not closed, upcoming (by start ascending), past (by start descending).
    upcoming: Vec<usize>,
    past: Vec<usize>,
    /// Whether an entry appears in lists and browse pages.
    listed: Vec<bool>,
    /// Events by `place` / `organizer` slug: (upcoming ascending, past descending).
    by_place: BTreeMap<&'s str, (Vec<usize>, Vec<usize>)>,
    by_organizer: BTreeMap<&'s str, (Vec<usize>, Vec<usize>)>,
    /// Listed entries by `operator` slug, 五十音 order.
    by_operator: BTreeMap<&'s str, Vec<usize>>,
    /// Listed entries by dimension and value (areas: every ancestor too), 五十音 order;
    /// upcoming events separately, by start.
    by_term: [BTreeMap<&'s str, Listing>; 4],
    area_nodes: Vec<String>,
    /// Listed entries per kind (the size of each list page).
    kind_counts: BTreeMap<Kind, usize>,
    base_ctx: tera::Context,
    fragments: Fragments,
    /// Whether the theme has the print-list template (render/print.rs).
    print_enabled: bool,
    /// Entries per list page (`list_page_size`).
    page_size: usize,
    /// The 五十音 row (label, id) of each entry, by entry index.
    rows: Vec<(&'static str, &'static str)>,
    /// Listed entries of each kind in 五十音 order (the kind lists), made
    /// once: every page of a list slices it.
    kind_items: BTreeMap<Kind, Vec<usize>>,
}

fn is_upcoming(times: &Option<EventTimes>, now: jiff::Timestamp) -> bool {
    // An event without a readable start stays listed with the upcoming ones.
    times.as_ref().map(|t| t.until >= now).unwrap_or(true)
}

fn prepare<'s>(site: &'s Site, theme: &Theme) -> Result<Prep<'s>, RenderError> {
    let base = site.config.base_path();
    let vocab = &site.config.vocabulary;
    let area_nodes = vocab.area_nodes();
    let terms = Terms {
        base: base.clone(),
        dirs: [
            TermDirs::new("categories", vocab.categories.iter().map(String::as_str)),
            TermDirs::new("areas", area_nodes.iter().map(String::as_str)),
            TermDirs::new("audience", vocab.audience.iter().map(String::as_str)),
            TermDirs::new("methods", vocab.methods.iter().map(String::as_str)),
        ],
    };
    let entries = &site.entries;
    let times: Vec<Option<EventTimes>> = entries
        .par_iter()
        .map(|e| {
            if e.kind == Kind::Event {
                view::event_times(&e.fields, &site.timezone)
            } else {
                None
            }
        })
        .collect();
    let base_ctx = base_context(site, &base);
    let fragments = render_fragments(theme, &base_ctx, &nav_currents(&base))?;
    let with_cards = has_template(theme, CARD_TEMPLATE);
    let cards: Vec<Card> = entries
        .par_iter()
        .zip(times.par_iter())
        .map(|(e, t)| {
            let mut card = view::card(e, &base, t.as_ref());
            card.html = render_card(theme, site, &base, &card, with_cards)?;
            Ok(card)
        })
        .collect::<Vec<Result<Card, RenderError>>>()
        .into_iter()
        .collect::<Result<_, _>>()?;
    let keys: Vec<String> = entries.par_iter().map(view::kana_key).collect();
    let rows: Vec<(&'static str, &'static str)> = keys.iter().map(|k| view::kana_row(k)).collect();
    let mut kana_order: Vec<usize> = (0..entries.len()).collect();
    kana_order.sort_by(|&a, &b| (&keys[a], &entries[a].slug).cmp(&(&keys[b], &entries[b].slug)));

    let now = site.now;
    let open = |i: usize| entries[i].status() != Status::Closed;
    let mut events: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].kind == Kind::Event && open(i))
        .collect();
    let start_key = |i: usize| times[i].as_ref().map(|t| t.start);
    // Events without a start sort after all others.
    events.sort_by(|&a, &b| {
        (start_key(a).is_none(), start_key(a), &entries[a].slug).cmp(&(
            start_key(b).is_none(),
            start_key(b),
            &entries[b].slug,
        ))
    });
    let (upcoming, mut past): (Vec<usize>, Vec<usize>) =
        events.iter().partition(|&&i| is_upcoming(&times[i], now));
    past.reverse();

    let listed: Vec<bool> = (0..entries.len())
        .map(|i| {
            let e = &entries[i];
            open(i) && (e.kind != Kind::Event || is_upcoming(&times[i], now))
        })
        .collect();

    let mut by_place: BTreeMap<&str, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    let mut by_organizer: BTreeMap<&str, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (list, is_up) in [(&upcoming, true), (&past, false)] {
        for &i in list.iter() {
            let f = &entries[i].fields;
            for (map, slug) in [(&mut by_place, &f.place), (&mut by_organizer, &f.organizer)] {
                if let Some(s) = slug {
                    let slot = map.entry(s.as_str()).or_default();
                    if is_up {
                        slot.0.push(i)
                    } else {
                        slot.1.push(i)
                    }
                }
            }
        }
    }

    let mut by_operator: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_term: [BTreeMap<&str, Listing>; 4] = Default::default();
    fn push<'k>(
        map: &mut BTreeMap<&'k str, (Vec<usize>, Vec<usize>)>,
        key: &'k str,
        i: usize,
        is_event: bool,
    ) {
        let slot = map.entry(key).or_default();
        if is_event {
            slot.1.push(i)
        } else {
            slot.0.push(i)
        }
    }
    // Non-events in 五十音 order, then upcoming events by start.
    let event_order = upcoming.iter().copied();
    for i in kana_order
        .iter()
        .copied()
        .filter(|&i| entries[i].kind != Kind::Event)
        .chain(event_order)
    {
        if !listed[i] || entries[i].kind == Kind::Page {
            continue;
        }
        let e = &entries[i];
        let f = &e.fields;
        let is_event = e.kind == Kind::Event;
        if let Some(op) = &f.operator {
            by_operator.entry(op.as_str()).or_default().push(i);
        }
        for (dim, values) in [
            (Dim::Categories, &f.categories),
            (Dim::Audience, &f.audience),
            (Dim::Methods, &f.methods),
        ] {
            for v in values.iter().flatten() {
                push(&mut by_term[dim.index()], v.as_str(), i, is_event);
            }
        }
        if let Some(area) = f.area.as_deref() {
            for (pos, _) in area.match_indices('/') {
                push(&mut by_term[Dim::Areas.index()], &area[..pos], i, is_event);
            }
            push(&mut by_term[Dim::Areas.index()], area, i, is_event);
        }
    }
    let mut kind_counts: BTreeMap<Kind, usize> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if listed[i] {
            *kind_counts.entry(e.kind).or_default() += 1;
        }
    }
    let mut kind_items: BTreeMap<Kind, Vec<usize>> = BTreeMap::new();
    for &i in &kana_order {
        if listed[i] {
            kind_items.entry(entries[i].kind).or_default().push(i);
        }
    }
    Ok(Prep {
        site,
        base,
        terms,
        times,
        cards,
        kana_order,
        upcoming,
        past,
        listed,
        by_place,
        by_organizer,
        by_operator,
        by_term,
        area_nodes,
        kind_counts,
        base_ctx,
        fragments,
        print_enabled: has_template(theme, super::print::TEMPLATE),
        page_size: site.config.list_page_size.get(),
        rows,
        kind_items,
    })
}

/// Parts of every page that do not depend on the page, rendered once per
/// build and handed to every page as `fragments.NAME` (use `| safe`).
pub const FRAGMENTS: [(&str, &str); 3] = [
    ("hotline_bar", "partials/hotline-bar.html"),
    ("hotlines", "partials/hotlines.html"),
    ("footer", "partials/footer.html"),
];

/// The navigation, `fragments.nav`, rendered once for each value of
/// `current` (the href of a page the navigation links to, or `""`).
pub const NAV_TEMPLATE: &str = "partials/nav.html";

/// The hrefs the navigation may mark as current.
fn nav_currents(base: &str) -> Vec<String> {
    let mut v: Vec<String> = NAV_KINDS
        .iter()
        .map(|k| format!("{base}{}/", k.folder()))
        .collect();
    v.push(format!("{base}areas/"));
    v.push(format!("{base}search/"));
    v.push(String::new());
    v
}

/// The page-independent fragments, and one navigation per `current`.
struct Fragments {
    common: BTreeMap<&'static str, String>,
    navs: BTreeMap<String, String>,
}

impl Fragments {
    /// `fragments` for the page at `url`.
    fn for_page(&self, url: &str) -> BTreeMap<&'static str, &str> {
        let mut m: BTreeMap<&'static str, &str> =
            self.common.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let nav = self
            .navs
            .get(url)
            .or_else(|| self.navs.get(""))
            .map(String::as_str)
            .unwrap_or("");
        m.insert("nav", nav);
        m
    }
}

/// The template of one list item, rendered once per entry (`c.html`).
pub const CARD_TEMPLATE: &str = "partials/card.html";

fn has_template(theme: &Theme, name: &str) -> bool {
    theme.tera.get_template_names().any(|n| n == name)
}

fn render_fragments(
    theme: &Theme,
    ctx: &tera::Context,
    currents: &[String],
) -> Result<Fragments, RenderError> {
    let mut common = BTreeMap::new();
    for (key, template) in FRAGMENTS {
        let html = if has_template(theme, template) {
            render_template(theme, template, ctx, None)?
                .trim()
                .to_string()
        } else {
            String::new()
        };
        common.insert(key, html);
    }
    let mut navs = BTreeMap::new();
    if has_template(theme, NAV_TEMPLATE) {
        for current in currents {
            let mut c = ctx.clone();
            c.insert("current", current);
            navs.insert(
                current.clone(),
                render_template(theme, NAV_TEMPLATE, &c, None)?
                    .trim()
                    .to_string(),
            );
        }
    }
    Ok(Fragments { common, navs })
}

fn render_card(
    theme: &Theme,
    site: &Site,
    base: &str,
    card: &Card,
    enabled: bool,
) -> Result<String, RenderError> {
    if !enabled {
        return Ok(String::new());
    }
    let language = &site.config.language;
    // The template's inputs are the memo's key (see render/memo.rs).
    let key = || serde_json::to_string(&(card, base, language)).ok();
    theme.card_memo.get_or_render(key, || {
        let mut ctx = tera::Context::new();
        ctx.insert("c", card);
        ctx.insert("base", base);
        ctx.insert("language", language);
        Ok(
            render_template(theme, CARD_TEMPLATE, &ctx, Some(&card.url))?
                .trim()
                .to_string(),
        )
    })
}

fn base_context(site: &Site, base: &str) -> tera::Context {
    let c = &site.config;
    let mut ctx = tera::Context::new();
    ctx.insert(
        "site",
        &SiteView {
            title: &c.title,
            description: c.description.as_deref(),
            language: &c.language,
            base_url: c.base_url(),
            report_email: c.report_email.as_ref().map(|e| e.as_str()),
            quick_exit_url: c.quick_exit_url.as_ref().map(|u| u.as_str()),
            stale_after_days: c.stale_after_days,
        },
    );
    ctx.insert("base", base);
    ctx.insert("language", &c.language);
    let hotlines: Vec<HotlineView> = c
        .hotlines
        .iter()
        .map(|h| HotlineView {
            name: &h.name,
            phone: Phone::from(&h.phone),
            hours: h.hours.as_deref(),
            note: h.note.as_deref(),
        })
        .collect();
    ctx.insert("hotlines", &hotlines);
    let kinds: Vec<KindView> = NAV_KINDS
        .iter()
        .map(|k| KindView {
            value: k.as_str(),
            label: k.label(),
            folder: k.folder(),
            url: format!("{base}{}/", k.folder()),
        })
        .collect();
    ctx.insert("kinds", &kinds);
    let dims: Vec<DimView> = Dim::ALL
        .iter()
        .map(|d| DimView {
            key: d.key(),
            label: d.label(),
            url: format!("{base}{}/", d.key()),
        })
        .collect();
    ctx.insert("dimensions", &dims);
    ctx.insert("today", &site.today.to_string());
    ctx.insert("today_ja", &view::plain_date_ja(site.today));
    ctx
}

impl<'s> Prep<'s> {
    fn cards(&self, idx: &[usize]) -> Vec<&Card> {
        idx.iter().map(|&i| &self.cards[i]).collect()
    }

    /// How many pages a list of `len` entries takes (an empty list still
    /// has its one page, which says so).
    fn page_count(&self, len: usize) -> usize {
        len.div_ceil(self.page_size).max(1)
    }

    /// The part of a list of `len` entries on page `n` (from 0).
    fn page_range(&self, len: usize, n: usize) -> std::ops::Range<usize> {
        let start = (n * self.page_size).min(len);
        start..(start + self.page_size).min(len)
    }

    /// `pagination` for page `n` of the list of `len` entries at `dir`.
    fn pagination(&self, dir: &str, n: usize, len: usize) -> Pagination {
        let total = self.page_count(len);
        let url = |k: usize| format!("{}{}", self.base, encode_path(&page_dir(dir, k)));
        let range = self.page_range(len, n);
        let mut shown: Vec<usize> = vec![0, total - 1];
        shown.extend(n.saturating_sub(2)..(n + 3).min(total));
        shown.sort_unstable();
        shown.dedup();
        let mut links = Vec::with_capacity(shown.len());
        let mut last: Option<usize> = None;
        for k in shown {
            links.push(PageLink {
                number: k + 1,
                url: url(k),
                current: k == n,
                gap_before: last.is_some_and(|l| k > l + 1),
            });
            last = Some(k);
        }
        Pagination {
            number: n + 1,
            total,
            items: len,
            from: range.start + 1,
            to: range.end,
            prev: (n > 0).then(|| url(n - 1)),
            next: (n + 1 < total).then(|| url(n + 1)),
            links,
        }
    }

    /// The title of page `n` of a list titled `title`.
    fn page_title(title: &str, n: usize) -> String {
        if n == 0 {
            title.to_string()
        } else {
            format!("{title}({}ページ目)", n + 1)
        }
    }

    fn home_crumb(&self) -> Crumb {
        Crumb {
            name: "ホーム".to_string(),
            url: Some(self.base.clone()),
        }
    }

    /// A job for the page at site-relative directory `dir` (raw UTF-8, `""` for the top).
    #[allow(clippy::too_many_arguments)]
    fn job(
        &self,
        dir: &str,
        template: &'static str,
        title: &str,
        description: Option<&str>,
        breadcrumbs: Vec<Crumb>,
        ctx: tera::Context,
    ) -> Job {
        let mut full = self.base_ctx.clone();
        let path = encode_path(dir);
        let url = format!("{}{}", self.base, path);
        full.insert("fragments", &self.fragments.for_page(&url));
        full.insert(
            "page",
            &PageMeta {
                title,
                url,
                canonical: Some(format!("{}{}", self.site.config.base_url(), path)),
                path,
                description: description.or(self.site.config.description.as_deref()),
                template,
                breadcrumbs,
            },
        );
        full.extend(ctx);
        Job {
            file: index_file(dir),
            template,
            ctx: full,
            weight: 0,
        }
    }

    fn term_view(&self, dim: Dim, value: &str, children: Vec<TermView>) -> TermView {
        let count = self.by_term[dim.index()]
            .get(value)
            .map(|(a, b)| a.len() + b.len())
            .unwrap_or(0);
        TermView {
            name: value.to_string(),
            label: value.rsplit('/').next().unwrap_or(value).to_string(),
            url: self.terms.url(dim, value).unwrap_or_default(),
            count,
            children,
        }
    }

    /// Terms of a dimension; for areas the tree of nodes (top level, with children).
    fn term_views(&self, dim: Dim) -> Vec<TermView> {
        let vocab = &self.site.config.vocabulary;
        match dim {
            Dim::Areas => self.area_children(None),
            Dim::Categories => vocab
                .categories
                .iter()
                .map(|v| self.term_view(dim, v, vec![]))
                .collect(),
            Dim::Audience => vocab
                .audience
                .iter()
                .map(|v| self.term_view(dim, v, vec![]))
                .collect(),
            Dim::Methods => vocab
                .methods
                .iter()
                .map(|v| self.term_view(dim, v, vec![]))
                .collect(),
        }
    }

    fn area_children(&self, parent: Option<&str>) -> Vec<TermView> {
        self.area_nodes
            .iter()
            .filter(|n| n.rsplit_once('/').map(|(p, _)| p) == parent)
            .map(|n| {
                let children = self.area_children(Some(n));
                self.term_view(Dim::Areas, n, children)
            })
            .collect()
    }

    fn terms_vocab(&self, dim: Dim) -> Vec<&str> {
        let vocab = &self.site.config.vocabulary;
        match dim {
            Dim::Categories => vocab.categories.iter().map(String::as_str).collect(),
            Dim::Areas => self.area_nodes.iter().map(String::as_str).collect(),
            Dim::Audience => vocab.audience.iter().map(String::as_str).collect(),
            Dim::Methods => vocab.methods.iter().map(String::as_str).collect(),
        }
    }
}

fn index_job(p: &Prep) -> Job {
    let site = p.site;
    let mut ctx = tera::Context::new();
    ctx.insert(
        "upcoming_events",
        &p.cards(&p.upcoming[..p.upcoming.len().min(5)]),
    );
    let mut recent: Vec<usize> = (0..site.entries.len())
        .filter(|&i| {
            p.listed[i]
                && site.entries[i].kind != Kind::Page
                && site.entries[i].fields.verified.is_some()
        })
        .collect();
    recent.sort_by(|&a, &b| {
        let (ea, eb) = (&site.entries[a], &site.entries[b]);
        (eb.fields.verified, &ea.slug).cmp(&(ea.fields.verified, &eb.slug))
    });
    recent.truncate(6);
    ctx.insert("recent", &p.cards(&recent));
    let mut browse = BTreeMap::new();
    for d in Dim::ALL {
        browse.insert(d.key(), p.term_views(d));
    }
    ctx.insert("browse", &browse);
    ctx.insert("pages", &p.cards(&pages_order(site)));
    p.job("", "index.html", &site.config.title, None, vec![], ctx)
}

/// Pages (articles) not closed, by `order` then title.
fn pages_order(site: &Site) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..site.entries.len())
        .filter(|&i| {
            site.entries[i].kind == Kind::Page && site.entries[i].status() != Status::Closed
        })
        .collect();
    idx.sort_by(|&a, &b| {
        let (ea, eb) = (&site.entries[a], &site.entries[b]);
        (ea.fields.order.unwrap_or(i32::MAX), ea.name(), &ea.slug).cmp(&(
            eb.fields.order.unwrap_or(i32::MAX),
            eb.name(),
            &eb.slug,
        ))
    });
    idx
}

fn kind_value(p: &Prep, k: Kind) -> KindView {
    KindView {
        value: k.as_str(),
        label: k.label(),
        folder: k.folder(),
        url: format!("{}{}/", p.base, k.folder()),
    }
}

/// Page `n` (from 0) of the list of a kind.
fn list_job(p: &Prep, kind: Kind, n: usize) -> Job {
    let site = p.site;
    let crumbs = vec![
        p.home_crumb(),
        Crumb {
            name: kind.label().to_string(),
            url: None,
        },
    ];
    let dir = format!("{}/", kind.folder());
    let title = Prep::page_title(kind.label(), n);
    let mut ctx = tera::Context::new();
    ctx.insert("kind", &kind_value(p, kind));
    match kind {
        Kind::Event => {
            // Upcoming events first, then past ones, across the pages.
            let len = p.upcoming.len() + p.past.len();
            let range = p.page_range(len, n);
            let split = p.upcoming.len();
            let up = &p.upcoming[range.start.min(split)..range.end.min(split)];
            let past = &p.past[range.start.max(split) - split..range.end.max(split) - split];
            ctx.insert("upcoming", &p.cards(up));
            ctx.insert("past", &p.cards(past));
            ctx.insert("upcoming_count", &p.upcoming.len());
            ctx.insert("past_count", &p.past.len());
            ctx.insert("pagination", &p.pagination(&dir, n, len));
            let mut job = p.job(&page_dir(&dir, n), "events.html", &title, None, crumbs, ctx);
            job.weight = range.len();
            job
        }
        Kind::Page => {
            let all = pages_order(site);
            let range = p.page_range(all.len(), n);
            ctx.insert("items", &p.cards(&all[range.clone()]));
            ctx.insert("groups", &Vec::<Group>::new());
            ctx.insert("kana_index", &Vec::<KanaLink>::new());
            ctx.insert("pagination", &p.pagination(&dir, n, all.len()));
            let mut job = p.job(&page_dir(&dir, n), "list.html", &title, None, crumbs, ctx);
            job.weight = range.len();
            job
        }
        _ => {
            let all = p.list_items(kind);
            let range = p.page_range(all.len(), n);
            // The 五十音 rows of the whole list, for the index that jumps
            // to the page (and the heading) where each row starts.
            let mut kana_index: Vec<KanaLink> = Vec::new();
            let mut groups: Vec<Group> = Vec::new();
            for (pos, &i) in all.iter().enumerate() {
                let (label, id) = p.rows[i];
                if kana_index.last().map(|k| k.id) != Some(id) {
                    let page = pos / p.page_size;
                    kana_index.push(KanaLink {
                        label,
                        id,
                        url: format!("{}{}#g-{id}", p.base, encode_path(&page_dir(&dir, page))),
                    });
                }
                if !range.contains(&pos) {
                    continue;
                }
                match groups.last_mut() {
                    Some(g) if g.id == id => g.items.push(&p.cards[i]),
                    _ => groups.push(Group {
                        label,
                        id,
                        items: vec![&p.cards[i]],
                    }),
                }
            }
            ctx.insert("items", &p.cards(&all[range.clone()]));
            ctx.insert("groups", &groups);
            ctx.insert("kana_index", &kana_index);
            ctx.insert("pagination", &p.pagination(&dir, n, all.len()));
            let mut job = p.job(&page_dir(&dir, n), "list.html", &title, None, crumbs, ctx);
            job.weight = range.len();
            job
        }
    }
}

fn dim_view(p: &Prep, dim: Dim) -> DimView {
    DimView {
        key: dim.key(),
        label: dim.label(),
        url: format!("{}{}/", p.base, dim.key()),
    }
}

fn dim_title(dim: Dim) -> String {
    format!("{}からさがす", dim.label())
}

/// The index of one dimension (`categories/`, `areas/`…).
fn terms_job(p: &Prep, dim: Dim) -> Job {
    let title = dim_title(dim);
    let mut ctx = tera::Context::new();
    ctx.insert("dimension", &dim_view(p, dim));
    ctx.insert("terms", &p.term_views(dim));
    let crumbs = vec![
        p.home_crumb(),
        Crumb {
            name: title.clone(),
            url: None,
        },
    ];
    p.job(
        &format!("{}/", dim.key()),
        "terms.html",
        &title,
        None,
        crumbs,
        ctx,
    )
}

/// Page `n` (from 0) of the browse page of one vocabulary value (none
/// when the value has no directory).
fn term_job(p: &Prep, dim: Dim, value: &str, n: usize) -> Option<Job> {
    let dir = p.terms.dirs[dim.index()].dir(value)?;
    let dim_view = dim_view(p, dim);
    let title = dim_title(dim);
    let empty = (Vec::new(), Vec::new());
    let (items, events) = p.by_term[dim.index()].get(value).unwrap_or(&empty);
    // The sections in order (by kind, then the events) make one sequence,
    // which the pages split.
    let mut by_kind: [Vec<usize>; SECTION_KINDS.len()] = Default::default();
    for &i in items {
        if let Some(s) = SECTION_KINDS
            .iter()
            .position(|k| *k == p.site.entries[i].kind)
        {
            by_kind[s].push(i);
        }
    }
    let len = by_kind.iter().map(Vec::len).sum::<usize>() + events.len();
    let range = p.page_range(len, n);
    let mut offset = 0;
    let mut slice = |idx: &[usize]| -> Vec<usize> {
        let start = range.start.clamp(offset, offset + idx.len()) - offset;
        let end = range.end.clamp(offset, offset + idx.len()) - offset;
        offset += idx.len();
        idx[start..end].to_vec()
    };
    let mut sections: Vec<Section> = Vec::new();
    for (k, idx) in SECTION_KINDS.iter().zip(&by_kind) {
        let on_page = slice(idx);
        if !on_page.is_empty() {
            sections.push(Section {
                kind: k.as_str(),
                label: k.label(),
                items: on_page.iter().map(|&i| &p.cards[i]).collect(),
            });
        }
    }
    let events_on_page = slice(events);
    let children = if dim == Dim::Areas {
        p.area_children(Some(value))
    } else {
        vec![]
    };
    let term = p.term_view(dim, value, children);
    let mut crumbs = vec![
        p.home_crumb(),
        Crumb {
            name: title,
            url: Some(dim_view.url.clone()),
        },
    ];
    let mut parent = None;
    if dim == Dim::Areas {
        let mut prefix = String::new();
        let parts: Vec<&str> = value.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            let link = Link {
                name: part.to_string(),
                url: p.terms.url(dim, &prefix).unwrap_or_default(),
            };
            crumbs.push(Crumb {
                name: link.name.clone(),
                url: Some(link.url.clone()),
            });
            parent = Some(link);
        }
    }
    crumbs.push(Crumb {
        name: term.label.clone(),
        url: None,
    });
    let page_title = Prep::page_title(
        &match dim {
            Dim::Areas => format!("{}の相談先・居場所", view::area_label(value)),
            Dim::Categories => format!("{value}の相談先・居場所"),
            Dim::Audience => format!("{value}向けの相談先・居場所"),
            Dim::Methods => format!("{value}で相談できるところ"),
        },
        n,
    );
    let mut ctx = tera::Context::new();
    ctx.insert("dimension", &dim_view);
    ctx.insert("term", &term);
    ctx.insert("parent", &parent);
    ctx.insert("sections", &sections);
    ctx.insert("events", &p.cards(&events_on_page));
    ctx.insert("pagination", &p.pagination(dir, n, len));
    let mut job = p.job(
        &page_dir(dir, n),
        "term.html",
        &page_title,
        None,
        crumbs,
        ctx,
    );
    job.weight = range.len();
    Some(job)
}

fn search_job(p: &Prep) -> Job {
    #[derive(Serialize)]
    struct KindOpt {
        value: &'static str,
        label: &'static str,
    }
    #[derive(Serialize)]
    struct Vocab<'a> {
        categories: &'a [String],
        areas: &'a [String],
        audience: &'a [String],
        methods: &'a [String],
        kinds: Vec<KindOpt>,
    }
    let v = &p.site.config.vocabulary;
    // Parents too (静岡市 before 静岡市/葵区): choosing a city finds its wards.
    let area_nodes = v.area_nodes();
    let mut ctx = tera::Context::new();
    ctx.insert(
        "vocabulary",
        &Vocab {
            categories: &v.categories,
            areas: &area_nodes,
            audience: &v.audience,
            methods: &v.methods,
            kinds: NAV_KINDS
                .iter()
                .map(|k| KindOpt {
                    value: k.as_str(),
                    label: k.label(),
                })
                .collect(),
        },
    );
    let crumbs = vec![
        p.home_crumb(),
        Crumb {
            name: "キーワードでさがす".to_string(),
            url: None,
        },
    ];
    p.job(
        "search/",
        "search.html",
        "キーワードでさがす",
        None,
        crumbs,
        ctx,
    )
}

fn not_found_job(p: &Prep) -> Job {
    let mut job = p.job(
        "",
        "404.html",
        "ページが見つかりません",
        None,
        vec![],
        tera::Context::new(),
    );
    let mut meta = job.ctx.get("page").cloned().unwrap_or_default();
    if let Some(m) = meta.as_object_mut() {
        m.insert("canonical".into(), tera::Value::Null);
    }
    job.ctx.insert("page", &meta);
    job.file = "404.html".to_string();
    job
}

fn entry_template(kind: Kind) -> &'static str {
    match kind {
        Kind::Event => "event.html",
        Kind::Page => "page.html",
        _ => "entry.html",
    }
}

fn entry_job(p: &Prep, i: usize) -> Job {
    let site = p.site;
    let e: &Entry = &site.entries[i];
    let v = view::entry_view(site, e, &p.base, p.times[i].as_ref(), &p.terms);
    let split = |m: &BTreeMap<&str, (Vec<usize>, Vec<usize>)>| {
        let (up, past) = m
            .get(e.slug.as_str())
            .map(|(a, b)| (a.as_slice(), b.as_slice()))
            .unwrap_or((&[], &[]));
        Split {
            upcoming: p.cards(up),
            past: p.cards(past),
        }
    };
    let mut ctx = tera::Context::new();
    ctx.insert("place_events", &split(&p.by_place));
    ctx.insert("organized_events", &split(&p.by_organizer));
    ctx.insert(
        "operated",
        &p.cards(
            p.by_operator
                .get(e.slug.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]),
        ),
    );
    let crumbs = vec![
        p.home_crumb(),
        Crumb {
            name: e.kind.label().to_string(),
            url: Some(format!("{}{}/", p.base, e.kind.folder())),
        },
        Crumb {
            name: e.name().to_string(),
            url: None,
        },
    ];
    let description = e.fields.summary.as_deref();
    ctx.insert("entry", &v);
    p.job(
        &e.url_path(),
        entry_template(e.kind),
        e.name(),
        description,
        crumbs,
        ctx,
    )
}

#[cfg(test)]
pub fn bench_prepare<'a>(site: &'a Site, theme: &'a Theme) -> impl Fn(usize) -> String + 'a {
    let p = prepare(site, theme).unwrap();
    move |i| String::from_utf8(render_job(theme, &entry_job(&p, i)).unwrap().bytes).unwrap()
}

fn render_job(theme: &Theme, job: &Job) -> Result<OutputFile, RenderError> {
    // Straight into bytes sized for the page (tera's `render` starts at
    // 2 KB, grows by copying, then re-checks the UTF-8 of the result).
    let mut bytes = Vec::with_capacity(24 * 1024 + job.weight * 768);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        theme.tera.render_to(job.template, &job.ctx, &mut bytes)
    }));
    let message = match result {
        Ok(Ok(())) => {
            return Ok(OutputFile {
                path: job.file.clone(),
                bytes,
            })
        }
        Ok(Err(e)) => error_chain(&e),
        Err(_) => "the template engine panicked".to_string(),
    };
    Err(RenderError::Template {
        template: job.template.to_string(),
        file: theme.template_origin(job.template),
        page: Some(job.file.clone()),
        message,
    })
}

/// Renders one template; a tera error (or, should tera ever panic, the
/// panic) becomes a [`RenderError::Template`] naming the template's file.
fn render_template(
    theme: &Theme,
    template: &str,
    ctx: &tera::Context,
    page: Option<&str>,
) -> Result<String, RenderError> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        theme.tera.render(template, ctx)
    }));
    let message = match result {
        Ok(Ok(html)) => return Ok(html),
        Ok(Err(e)) => error_chain(&e),
        Err(_) => "the template engine panicked".to_string(),
    };
    Err(RenderError::Template {
        template: template.to_string(),
        file: theme.template_origin(template),
        page: page.map(str::to_string),
        message,
    })
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn sitemap(site: &Site, pages: &[(String, Option<String>)]) -> String {
    let base_url = site.config.base_url();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, lastmod) in pages {
        out.push_str("<url><loc>");
        out.push_str(&xml_escape(&format!("{base_url}{path}")));
        out.push_str("</loc>");
        if let Some(d) = lastmod {
            out.push_str("<lastmod>");
            out.push_str(d);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// One page of the site. Enumerating them is cheap (no context is built),
/// so the full build ([`render_each`]) and the incremental path
/// ([`render_affected`]) share one list of what exists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum PageKey {
    Top,
    /// Page `n` (from 0) of `centers/` … `pages/`, and of `events/` for
    /// [`Kind::Event`].
    List(Kind, usize),
    /// `categories/`, `areas/`…
    Terms(Dim),
    /// Page `n` (from 0) of the browse page of one vocabulary value.
    Term(Dim, String, usize),
    Search,
    NotFound,
    /// The page of `site.entries[i]`.
    Entry(usize),
    /// The 「印刷用一覧」 of an area (render/print.rs).
    Print(String),
}

/// The kinds with a list page, in the order they are planned.
const LIST_KINDS: [Kind; 5] = [
    Kind::Center,
    Kind::Organization,
    Kind::Cafeteria,
    Kind::Page,
    Kind::Event,
];

/// Every page of the site.
fn plan(p: &Prep) -> Vec<PageKey> {
    let mut keys = vec![PageKey::Top];
    for kind in LIST_KINDS {
        keys.extend(p.list_pages(kind));
    }
    for dim in Dim::ALL {
        keys.push(PageKey::Terms(dim));
        for value in p.terms_vocab(dim) {
            if p.terms.dirs[dim.index()].dir(value).is_some() {
                keys.extend(p.term_pages(dim, value));
            }
        }
    }
    keys.push(PageKey::Search);
    keys.push(PageKey::NotFound);
    keys.extend((0..p.site.entries.len()).map(PageKey::Entry));
    if p.print_enabled {
        keys.extend(p.area_nodes.iter().map(|a| PageKey::Print(a.clone())));
    }
    keys
}

impl<'s> Prep<'s> {
    /// The output file of a page (raw UTF-8), without building it.
    fn file_of(&self, key: &PageKey) -> Option<String> {
        Some(match key {
            PageKey::Top => index_file(""),
            PageKey::List(k, n) => index_file(&page_dir(&format!("{}/", k.folder()), *n)),
            PageKey::Terms(d) => index_file(&format!("{}/", d.key())),
            PageKey::Term(d, v, n) => index_file(&page_dir(self.terms.dirs[d.index()].dir(v)?, *n)),
            PageKey::Search => index_file("search/"),
            PageKey::NotFound => "404.html".to_string(),
            PageKey::Entry(i) => index_file(&self.site.entries.get(*i)?.url_path()),
            PageKey::Print(a) => index_file(&super::urls::print_dir(
                self.terms.dirs[Dim::Areas.index()].dir(a)?,
            )),
        })
    }

    /// Roughly how many cards a page lists, to start the biggest first.
    fn weight(&self, key: &PageKey) -> usize {
        match key {
            PageKey::List(k, n) => self.page_range(self.list_len(*k), *n).len(),
            PageKey::Term(d, v, n) => self.page_range(self.term_len(*d, v), *n).len(),
            _ => 0,
        }
    }

    /// How many entries the list of a kind shows, over all its pages.
    fn list_len(&self, kind: Kind) -> usize {
        match kind {
            Kind::Event => self.upcoming.len() + self.past.len(),
            Kind::Page => pages_order(self.site).len(),
            k => self.kind_counts.get(&k).copied().unwrap_or(0),
        }
    }

    /// How many entries the browse page of a value shows, over all its pages.
    fn term_len(&self, dim: Dim, value: &str) -> usize {
        self.by_term[dim.index()]
            .get(value)
            .map(|(a, b)| a.len() + b.len())
            .unwrap_or(0)
    }

    /// Every page of the list of a kind.
    fn list_pages(&self, kind: Kind) -> impl Iterator<Item = PageKey> {
        (0..self.page_count(self.list_len(kind))).map(move |n| PageKey::List(kind, n))
    }

    /// Every page of the browse page of a value.
    fn term_pages<'v>(&self, dim: Dim, value: &'v str) -> impl Iterator<Item = PageKey> + 'v {
        (0..self.page_count(self.term_len(dim, value)))
            .map(move |n| PageKey::Term(dim, value.to_string(), n))
    }

    /// Listed entries of a kind in 五十音 order (the list page).
    fn list_items(&self, kind: Kind) -> &[usize] {
        self.kind_items.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The job of a page (none for a key that no longer exists).
    fn job_of(&self, key: &PageKey) -> Option<Job> {
        Some(match key {
            PageKey::Top => index_job(self),
            PageKey::List(k, n) => list_job(self, *k, *n),
            PageKey::Terms(d) => terms_job(self, *d),
            PageKey::Term(d, v, n) => term_job(self, *d, v, *n)?,
            PageKey::Search => search_job(self),
            PageKey::NotFound => not_found_job(self),
            PageKey::Entry(i) if *i < self.site.entries.len() => entry_job(self, *i),
            PageKey::Entry(_) => return None,
            PageKey::Print(a) => print_job(self, a)?,
        })
    }

    fn render_key(&self, theme: &Theme, key: &PageKey) -> Result<Option<OutputFile>, RenderError> {
        match self.job_of(key) {
            Some(job) => render_job(theme, &job).map(Some),
            None => Ok(None),
        }
    }

    /// `sitemap.xml`: every page but the 404, with `verified` as lastmod for entries.
    fn sitemap_file(&self, keys: &[PageKey]) -> OutputFile {
        let site = self.site;
        let mut urls: Vec<(String, Option<String>)> = keys
            .iter()
            .filter(|k| **k != PageKey::NotFound)
            .filter_map(|k| {
                let file = self.file_of(k)?;
                let path = encode_path(file.strip_suffix("index.html").unwrap_or(&file));
                let lastmod = match k {
                    PageKey::Entry(i) => site.entries[*i].fields.verified.map(|d| d.to_string()),
                    _ => None,
                };
                Some((path, lastmod))
            })
            .collect();
        urls.sort();
        OutputFile {
            path: "sitemap.xml".into(),
            bytes: sitemap(site, &urls).into_bytes(),
        }
    }
}

/// `robots.txt`, unless the theme brings its own.
fn robots_file(site: &Site, theme: &Theme) -> Option<OutputFile> {
    if theme.static_files().any(|(p, _)| p == "robots.txt") {
        return None;
    }
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url()
    );
    Some(OutputFile {
        path: "robots.txt".into(),
        bytes: robots.into_bytes(),
    })
}

/// Refuses a plan in which two outputs want the same file, before anything
/// is rendered.
fn check_collisions(p: &Prep, theme: &Theme, keys: &[PageKey]) -> Result<(), RenderError> {
    let mut generated: Vec<String> = keys.iter().filter_map(|k| p.file_of(k)).collect();
    generated.push("sitemap.xml".into());
    if robots_file(p.site, theme).is_some() {
        generated.push("robots.txt".into());
    }
    generated.sort();
    for w in generated.windows(2) {
        if w[0] == w[1] {
            return Err(RenderError::Collision {
                path: w[0].clone(),
                first: "a page".into(),
                second: "another page".into(),
            });
        }
    }
    for (path, _) in theme.static_files() {
        if generated.binary_search_by(|g| g.as_str().cmp(path)).is_ok() {
            return Err(RenderError::Collision {
                path: path.to_string(),
                first: "a generated page".into(),
                second: format!("the theme's static/{path}"),
            });
        }
    }
    Ok(())
}

/// Renders every page, the sitemap, `robots.txt` and the theme's static
/// files, handing each file to `put` as soon as it is made (from several
/// threads at once) instead of keeping the site in memory. Returns how
/// many files were put. The files are the same for the same input; the
/// order they arrive in is not.
pub fn render_each<E, F>(site: &Site, theme: &Theme, put: F) -> Result<usize, E>
where
    E: From<RenderError> + Send,
    F: Fn(OutputFile) -> Result<(), E> + Sync,
{
    let p = prepare(site, theme)?;
    let keys = plan(&p);
    check_collisions(&p, theme, &keys)?;
    let sitemap = p.sitemap_file(&keys);

    // One parallel pass over every page so the cores stay busy; each
    // page's context is built inside the pass and dropped as soon as the
    // page is put. The entry pages go first and the long lists last (the
    // biggest at the very end, each a few tens of milliseconds): their
    // contexts hold thousands of cards, and by then the search index,
    // built alongside and the build's memory peak, has usually finished.
    let mut order: Vec<&PageKey> = keys.iter().collect();
    order.sort_by_key(|k| p.weight(k));
    let count = std::sync::atomic::AtomicUsize::new(0);
    let pass = order.par_iter().try_for_each(|key| -> Result<(), E> {
        if let Some(file) = p.render_key(theme, key)? {
            put(file)?;
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(e) = pass {
        // Which page failed first depends on the threads; report the
        // first failing page in plan order, so the message is the same on
        // every run (only on failure, so the extra pass costs nothing).
        for key in &keys {
            p.render_key(theme, key)?;
        }
        return Err(e);
    }
    let mut n = count.into_inner();
    put(sitemap)?;
    n += 1;
    if let Some(robots) = robots_file(site, theme) {
        put(robots)?;
        n += 1;
    }
    for (path, bytes) in theme.static_files() {
        put(OutputFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        })?;
        n += 1;
    }
    Ok(n)
}

/// Every file of the site in memory, sorted by path (tests and small
/// portals; the build uses [`render_each`]).
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, RenderError> {
    let files = std::sync::Mutex::new(Vec::new());
    render_each(site, theme, |f: OutputFile| -> Result<(), RenderError> {
        files
            .lock()
            .map_err(|_| RenderError::Io {
                path: f.path.clone().into(),
                message: "a rendering thread panicked".into(),
            })?
            .push(f);
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// What one changed entry means for the output: see [`render_affected`].
#[derive(Debug, Default)]
pub struct Affected {
    /// The pages to (re)write, and `sitemap.xml`, sorted by path.
    pub files: Vec<OutputFile>,
    /// Output files to delete: the old page of an entry that was removed
    /// or moved (another kind or slug).
    pub removed: Vec<String>,
}

/// A paginated list: the list of a kind, or the browse page of a value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ListId {
    Kind(Kind),
    Term(Dim, String),
}

/// The browse pages an entry is listed under, per dimension (areas: the
/// value and every ancestor), and the print lists of its areas.
fn term_lists(e: &Entry, lists: &mut BTreeSet<ListId>, keys: &mut BTreeSet<PageKey>) {
    let f = &e.fields;
    for (dim, values) in [
        (Dim::Categories, &f.categories),
        (Dim::Audience, &f.audience),
        (Dim::Methods, &f.methods),
    ] {
        for v in values.iter().flatten() {
            lists.insert(ListId::Term(dim, v.clone()));
        }
    }
    if let Some(area) = f.area.as_deref() {
        for (pos, _) in area.match_indices('/') {
            lists.insert(ListId::Term(Dim::Areas, area[..pos].to_string()));
            keys.insert(PageKey::Print(area[..pos].to_string()));
        }
        lists.insert(ListId::Term(Dim::Areas, area.to_string()));
        keys.insert(PageKey::Print(area.to_string()));
    }
}

impl Prep<'_> {
    /// How many entries `list` shows over all its pages.
    fn list_id_len(&self, list: &ListId) -> usize {
        match list {
            ListId::Kind(k) => self.list_len(*k),
            ListId::Term(d, v) => self.term_len(*d, v),
        }
    }

    /// The directory of the first page of `list` (none for a value
    /// without a browse page).
    fn list_id_dir(&self, list: &ListId) -> Option<String> {
        match list {
            ListId::Kind(k) => Some(format!("{}/", k.folder())),
            ListId::Term(d, v) => self.terms.dirs[d.index()].dir(v).map(str::to_string),
        }
    }

    /// Every page of `list`.
    fn list_id_pages(&self, list: &ListId) -> Vec<PageKey> {
        match list {
            ListId::Kind(k) => self.list_pages(*k).collect(),
            ListId::Term(d, v) => self.term_pages(*d, v).collect(),
        }
    }

    /// Whether `e` (as it is, or as it was before a change) is shown in
    /// `list`, by the rules that make the groupings in [`prepare`].
    fn shows(&self, list: &ListId, e: &Entry) -> bool {
        let open = e.status() != Status::Closed;
        let listed = || {
            e.kind != Kind::Event || {
                let times = view::event_times(&e.fields, &self.site.timezone);
                is_upcoming(&times, self.site.now)
            }
        };
        match list {
            ListId::Kind(k) => e.kind == *k && open && (*k == Kind::Event || listed()),
            ListId::Term(dim, value) => {
                let f = &e.fields;
                let has = match dim {
                    Dim::Categories => f.categories.iter().flatten().any(|v| v == value),
                    Dim::Audience => f.audience.iter().flatten().any(|v| v == value),
                    Dim::Methods => f.methods.iter().flatten().any(|v| v == value),
                    Dim::Areas => f
                        .area
                        .as_deref()
                        .is_some_and(|a| a == value || a.starts_with(&format!("{value}/"))),
                };
                has && e.kind != Kind::Page && open && listed()
            }
        }
    }
}

/// The pages one entry change can alter, in `site` (the site after the
/// change): the entry's page; the list page of its kind; the browse page
/// of every value it has (had) and each dimension's index (counts); the
/// top page (upcoming events, recently verified, counts, articles); the
/// pages of the entries it names as operator / organizer / place (they
/// list its card) and of the entries that name it (they show its name).
///
/// With `same_in_lists` (the change does not show in any list: see
/// [`same_in_lists`]) only the entry's page, the area print lists (they
/// show its address, phones and hours) and the pages of the entries that
/// name it are affected.
fn affected_keys(
    p: &Prep,
    old: Option<&Entry>,
    new: Option<&Entry>,
    same_in_lists: bool,
) -> (BTreeSet<PageKey>, BTreeSet<ListId>) {
    let site = p.site;
    let mut keys = BTreeSet::new();
    let mut lists = BTreeSet::new();
    let index_of = |slug: &crate::model::Slug| {
        let e = site.get(slug)?;
        site.entries
            .binary_search_by(|x| (x.kind, &x.slug).cmp(&(e.kind, &e.slug)))
            .ok()
    };
    if same_in_lists {
        for e in old.iter().chain(new.iter()) {
            if let Some(area) = e.fields.area.as_deref() {
                for (pos, _) in area.match_indices('/') {
                    keys.insert(PageKey::Print(area[..pos].to_string()));
                }
                keys.insert(PageKey::Print(area.to_string()));
            }
        }
    } else {
        keys.insert(PageKey::Top);
        for dim in Dim::ALL {
            keys.insert(PageKey::Terms(dim));
        }
    }
    for e in old.iter().chain(new.iter()).filter(|_| !same_in_lists) {
        lists.insert(ListId::Kind(e.kind));
        term_lists(e, &mut lists, &mut keys);
        let f = &e.fields;
        for slug in [&f.operator, &f.organizer, &f.place].into_iter().flatten() {
            if let Some(i) = index_of(slug) {
                keys.insert(PageKey::Entry(i));
            }
        }
    }
    if let Some(e) = new {
        if let Some(i) = index_of(&e.slug) {
            keys.insert(PageKey::Entry(i));
        }
    }
    let slugs: Vec<&str> = old
        .iter()
        .chain(new.iter())
        .map(|e| e.slug.as_str())
        .collect();
    for (i, e) in site.entries.iter().enumerate() {
        let f = &e.fields;
        let names_it = [&f.operator, &f.organizer, &f.place]
            .into_iter()
            .flatten()
            .any(|s| slugs.contains(&s.as_str()));
        if names_it {
            keys.insert(PageKey::Entry(i));
        }
    }
    // Every page of a list the entry is (was) on: moving one entry in or
    // out shifts every later page.
    for list in &lists {
        keys.extend(p.list_id_pages(list));
    }
    (keys, lists)
}

/// Whether an edit leaves every list, count and order as it was: same
/// kind and slug, the same card (every field and its HTML), the same
/// vocabulary values and references, and the same inputs to the orders
/// that are not on the card (event times, article `order`). A fix to a
/// body, hours or an address is such an edit: at 10,000 entries it
/// re-renders a handful of pages instead of every long list that shows
/// the entry.
fn same_in_lists(p: &Prep, theme: &Theme, old: &Entry, new: &Entry) -> Result<bool, RenderError> {
    let (a, b) = (&old.fields, &new.fields);
    let same_fields = old.kind == new.kind
        && old.slug == new.slug
        && a.categories == b.categories
        && a.audience == b.audience
        && a.methods == b.methods
        && a.area == b.area
        && a.operator == b.operator
        && a.organizer == b.organizer
        && a.place == b.place
        && a.starts == b.starts
        && a.ends == b.ends
        && a.order == b.order;
    if !same_fields {
        return Ok(false);
    }
    let site = p.site;
    let with_cards = has_template(theme, CARD_TEMPLATE);
    let card_value = |e: &Entry| -> Result<tera::Value, RenderError> {
        let times = if e.kind == Kind::Event {
            view::event_times(&e.fields, &site.timezone)
        } else {
            None
        };
        let mut card = view::card(e, &p.base, times.as_ref());
        card.html = render_card(theme, site, &p.base, &card, with_cards)?;
        tera::to_value(&card).map_err(|err| RenderError::Template {
            template: CARD_TEMPLATE.to_string(),
            file: theme.template_origin(CARD_TEMPLATE),
            page: Some(card.url.clone()),
            message: err.to_string(),
        })
    };
    Ok(card_value(old)? == card_value(new)?)
}

/// The page of the entry with `slug` alone, byte-identical to the same
/// file of a full build of `site` (`None` when no such entry is built).
/// `tsunagu serve` writes it first, so the tab showing the edited entry
/// reloads before the long lists that contain it are rendered
/// ([`render_affected`] renders those, and this page again).
pub fn render_entry_page(
    site: &Site,
    theme: &Theme,
    slug: &crate::model::Slug,
) -> Result<Option<OutputFile>, RenderError> {
    let Some(e) = site.get(slug) else {
        return Ok(None);
    };
    let Ok(i) = site
        .entries
        .binary_search_by(|x| (x.kind, &x.slug).cmp(&(e.kind, &e.slug)))
    else {
        return Ok(None);
    };
    let p = prepare(site, theme)?;
    p.render_key(theme, &PageKey::Entry(i))
}

/// Renders only what a change to one entry alters: `old` is the entry as
/// it was (none when it was added), `new` as it is now in `site` (none
/// when it was removed). Each returned file is byte-identical to the same
/// file of a full build of `site`; every other file of that full build is
/// unchanged from the full build before the change (static files and
/// `robots.txt` are never returned). Only the affected pages' contexts are
/// built; the shared parts (groupings, cards) are prepared for the whole
/// site, which is a small part of a full build.
pub fn render_affected(
    site: &Site,
    theme: &Theme,
    old: Option<&Entry>,
    new: Option<&Entry>,
) -> Result<Affected, RenderError> {
    let p = prepare(site, theme)?;
    let quiet = match (old, new) {
        (Some(o), Some(n)) => same_in_lists(&p, theme, o, n)?,
        _ => false,
    };
    let (keys, lists) = affected_keys(&p, old, new, quiet);
    let keys: Vec<PageKey> = keys.into_iter().collect();
    let mut files: Vec<OutputFile> = keys
        .par_iter()
        .map(|k| p.render_key(theme, k))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    files.push(p.sitemap_file(&plan(&p)));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut removed = Vec::new();
    // A list that lost the entry may need one page fewer: its last page
    // before the change goes.
    for list in &lists {
        let len = p.list_id_len(list);
        let shown = |e: Option<&Entry>| e.is_some_and(|e| p.shows(list, e));
        let before = len + usize::from(shown(old)) - usize::from(shown(new));
        if let Some(dir) = p.list_id_dir(list) {
            for n in p.page_count(len)..p.page_count(before) {
                removed.push(index_file(&page_dir(&dir, n)));
            }
        }
    }
    if let Some(o) = old {
        let gone = index_file(&o.url_path());
        let still_there = new.is_some_and(|n| index_file(&n.url_path()) == gone)
            || files.iter().any(|f| f.path == gone);
        if !still_there {
            removed.push(gone);
        }
    }
    Ok(Affected { files, removed })
}

/// The 「印刷用一覧」 of an area (see render/print.rs), in the every-page
/// context; `None` without the template or for an unknown area.
fn print_job(p: &Prep, area: &str) -> Option<Job> {
    let inputs = super::print::Inputs {
        site: p.site,
        base: &p.base,
        area_dirs: &p.terms.dirs[Dim::Areas.index()],
        kana_order: &p.kana_order,
        listed: &p.listed,
        cards: &p.cards,
        enabled: p.print_enabled,
    };
    let pp = super::print::page(&inputs, area)?;
    let crumbs = pp
        .crumbs
        .into_iter()
        .map(|(name, url)| Crumb { name, url })
        .collect();
    let mut job = p.job(
        &pp.dir,
        super::print::TEMPLATE,
        &pp.title,
        None,
        crumbs,
        pp.ctx,
    );
    job.weight = pp.weight;
    Some(job)
}

/// Single-threaded cost of every page, by template: (pages, time to build
/// the contexts, time to render, bytes). For the benchmark notes
/// (`render::affected_tests::timing`).
#[cfg(test)]
pub(super) fn cost_by_template(
    site: &Site,
    theme: &Theme,
) -> BTreeMap<&'static str, (usize, std::time::Duration, std::time::Duration, usize)> {
    let mut out: BTreeMap<&'static str, (usize, std::time::Duration, std::time::Duration, usize)> =
        BTreeMap::new();
    let t = std::time::Instant::now();
    let p = match prepare(site, theme) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    out.insert("(prepare)", (0, t.elapsed(), std::time::Duration::ZERO, 0));
    for key in plan(&p) {
        let t = std::time::Instant::now();
        let Some(job) = p.job_of(&key) else { continue };
        let built = t.elapsed();
        let t = std::time::Instant::now();
        let file = match render_job(theme, &job) {
            Ok(f) => f,
            Err(e) => panic!("{e}"),
        };
        let slot = out.entry(job.template).or_default();
        slot.0 += 1;
        slot.1 += built;
        slot.2 += t.elapsed();
        slot.3 += file.bytes.len();
    }
    out
}
