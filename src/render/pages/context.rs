//! View contexts: the serialized parts of every page's context (site,
//! hotlines, navigation, crumbs, terms, cards), the fragments and cards
//! rendered once per build, and [`prepare`], which groups the site once
//! before any page is built.

use super::*;

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) language: &'a str,
    pub(super) base_url: String,
    pub(super) report_email: Option<&'a str>,
    pub(super) quick_exit_url: Option<&'a str>,
    pub(super) stale_after_days: u32,
}

#[derive(Serialize)]
pub(super) struct HotlineView<'a> {
    pub(super) name: &'a str,
    pub(super) phone: Phone,
    pub(super) hours: Option<&'a str>,
    pub(super) note: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct KindView {
    pub(super) value: &'static str,
    pub(super) label: &'static str,
    pub(super) folder: &'static str,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct DimView {
    pub(super) key: &'static str,
    pub(super) label: &'static str,
    pub(super) url: String,
}

#[derive(Serialize, Clone)]
pub(super) struct Crumb {
    pub(super) name: String,
    pub(super) url: Option<String>,
}

#[derive(Serialize)]
pub(super) struct PageMeta<'a> {
    pub(super) title: &'a str,
    /// Site-relative, percent-encoded (`centers/foo/`; `""` for the top page).
    pub(super) path: String,
    /// `base` + `path`.
    pub(super) url: String,
    /// Absolute URL (none for the 404 page).
    pub(super) canonical: Option<String>,
    pub(super) description: Option<&'a str>,
    pub(super) template: &'a str,
    pub(super) breadcrumbs: Vec<Crumb>,
}

#[derive(Serialize, Clone)]
pub(super) struct TermView {
    pub(super) name: String,
    pub(super) label: String,
    pub(super) url: String,
    pub(super) count: usize,
    pub(super) children: Vec<TermView>,
}

#[derive(Serialize)]
pub(super) struct Group<'a> {
    pub(super) label: &'static str,
    pub(super) id: &'static str,
    pub(super) items: Vec<&'a Card>,
}

/// A 五十音 row in the index of a list page: where the row starts.
#[derive(Serialize)]
pub(super) struct KanaLink {
    pub(super) label: &'static str,
    pub(super) id: &'static str,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct Section<'a> {
    pub(super) kind: &'static str,
    pub(super) label: &'static str,
    pub(super) items: Vec<&'a Card>,
}

#[derive(Serialize)]
pub(super) struct Split<'a> {
    pub(super) upcoming: Vec<&'a Card>,
    pub(super) past: Vec<&'a Card>,
}

pub(super) fn prepare<'s>(site: &'s Site, theme: &Theme) -> Result<Prep<'s>, RenderError> {
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
        print_enabled: has_template(theme, crate::render::print::TEMPLATE),
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
pub(super) fn nav_currents(base: &str) -> Vec<String> {
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
pub(super) struct Fragments {
    pub(super) common: BTreeMap<&'static str, String>,
    pub(super) navs: BTreeMap<String, String>,
}

impl Fragments {
    /// `fragments` for the page at `url`.
    pub(super) fn for_page(&self, url: &str) -> BTreeMap<&'static str, &str> {
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

pub(super) fn has_template(theme: &Theme, name: &str) -> bool {
    theme.tera.get_template_names().any(|n| n == name)
}

pub(super) fn render_fragments(
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

pub(super) fn render_card(
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

pub(super) fn base_context(site: &Site, base: &str) -> tera::Context {
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
    pub(super) fn cards(&self, idx: &[usize]) -> Vec<&Card> {
        idx.iter().map(|&i| &self.cards[i]).collect()
    }

    /// The title of page `n` of a list titled `title`.
    pub(super) fn page_title(title: &str, n: usize) -> String {
        if n == 0 {
            title.to_string()
        } else {
            format!("{title}({}ページ目)", n + 1)
        }
    }

    pub(super) fn home_crumb(&self) -> Crumb {
        Crumb {
            name: "ホーム".to_string(),
            url: Some(self.base.clone()),
        }
    }

    /// A job for the page at site-relative directory `dir` (raw UTF-8, `""` for the top).
    /// `page.description` is never empty: `description`, else `site.toml`'s
    /// `description`, else the site's title (`tsunagu check` warns when
    /// `site.toml` has none), so every page has a meta description.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn job(
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
                description: Some(
                    description
                        .filter(|d| !d.trim().is_empty())
                        .or(self.site.config.description.as_deref())
                        .unwrap_or(&self.site.config.title),
                ),
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

    pub(super) fn term_view(&self, dim: Dim, value: &str, children: Vec<TermView>) -> TermView {
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
    pub(super) fn term_views(&self, dim: Dim) -> Vec<TermView> {
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

    pub(super) fn area_children(&self, parent: Option<&str>) -> Vec<TermView> {
        self.area_nodes
            .iter()
            .filter(|n| n.rsplit_once('/').map(|(p, _)| p) == parent)
            .map(|n| {
                let children = self.area_children(Some(n));
                self.term_view(Dim::Areas, n, children)
            })
            .collect()
    }

    pub(super) fn terms_vocab(&self, dim: Dim) -> Vec<&str> {
        let vocab = &self.site.config.vocabulary;
        match dim {
            Dim::Categories => vocab.categories.iter().map(String::as_str).collect(),
            Dim::Areas => self.area_nodes.iter().map(String::as_str).collect(),
            Dim::Audience => vocab.audience.iter().map(String::as_str).collect(),
            Dim::Methods => vocab.methods.iter().map(String::as_str).collect(),
        }
    }
}

/// Renders one template; a tera error (or, should tera ever panic, the
/// panic) becomes a [`RenderError::Template`] naming the template's file.
pub(super) fn render_template(
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
