//! What `tsunagu serve` re-renders after one entry changes: the pages a
//! change can alter, the pages a shortened list loses, and the edited
//! entry's page alone.

use super::*;

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
pub(super) enum ListId {
    Kind(Kind),
    Term(Dim, String),
}

/// The browse pages an entry is listed under, per dimension (areas: the
/// value and every ancestor), and the print lists of its areas.
pub(super) fn term_lists(e: &Entry, lists: &mut BTreeSet<ListId>, keys: &mut BTreeSet<PageKey>) {
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
    pub(super) fn list_id_len(&self, list: &ListId) -> usize {
        match list {
            ListId::Kind(k) => self.list_len(*k),
            ListId::Term(d, v) => self.term_len(*d, v),
        }
    }

    /// The directory of the first page of `list` (none for a value
    /// without a browse page).
    pub(super) fn list_id_dir(&self, list: &ListId) -> Option<String> {
        match list {
            ListId::Kind(k) => Some(format!("{}/", k.folder())),
            ListId::Term(d, v) => self.terms.dirs[d.index()].dir(v).map(str::to_string),
        }
    }

    /// Every page of `list`.
    pub(super) fn list_id_pages(&self, list: &ListId) -> Vec<PageKey> {
        match list {
            ListId::Kind(k) => self.list_pages(*k).collect(),
            ListId::Term(d, v) => self.term_pages(*d, v).collect(),
        }
    }

    /// Whether `e` (as it is, or as it was before a change) is shown in
    /// `list`, by the rules that make the groupings in [`prepare`].
    pub(super) fn shows(&self, list: &ListId, e: &Entry) -> bool {
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
pub(super) fn affected_keys(
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
pub(super) fn same_in_lists(
    p: &Prep,
    theme: &Theme,
    old: &Entry,
    new: &Entry,
) -> Result<bool, RenderError> {
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
