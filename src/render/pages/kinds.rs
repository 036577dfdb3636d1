//! Page kinds: the job (template and context) of each kind of page — top,
//! lists, browse indexes and pages, search, 404, entries, print lists.

use super::*;

pub(super) fn index_job(p: &Prep) -> Job {
    let site = p.site;
    let mut ctx = tera::Context::new();
    ctx.insert(
        "upcoming_events",
        &p.cards(&p.upcoming[..p.upcoming.len().min(5)]),
    );
    // Places and groups only: events have their own section above, by
    // date, and an event there must not show up a second time here.
    let mut recent: Vec<usize> = (0..site.entries.len())
        .filter(|&i| {
            p.listed[i]
                && !matches!(site.entries[i].kind, Kind::Page | Kind::Event)
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
pub(super) fn pages_order(site: &Site) -> Vec<usize> {
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

pub(super) fn kind_value(p: &Prep, k: Kind) -> KindView {
    KindView {
        value: k.as_str(),
        label: k.label(),
        folder: k.folder(),
        url: format!("{}{}/", p.base, k.folder()),
    }
}

/// Page `n` (from 0) of the list of a kind.
pub(super) fn list_job(p: &Prep, kind: Kind, n: usize) -> Job {
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
            let description =
                Prep::page_title(&describe::events(p.upcoming.len(), p.past.len()), n);
            let mut job = p.job(
                &page_dir(&dir, n),
                "events.html",
                &title,
                Some(&description),
                crumbs,
                ctx,
            );
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
            let description = Prep::page_title(&describe::list(kind, all.len()), n);
            let mut job = p.job(
                &page_dir(&dir, n),
                "list.html",
                &title,
                Some(&description),
                crumbs,
                ctx,
            );
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
            let description = Prep::page_title(&describe::list(kind, all.len()), n);
            let mut job = p.job(
                &page_dir(&dir, n),
                "list.html",
                &title,
                Some(&description),
                crumbs,
                ctx,
            );
            job.weight = range.len();
            job
        }
    }
}

pub(super) fn dim_view(p: &Prep, dim: Dim) -> DimView {
    DimView {
        key: dim.key(),
        label: dim.label(),
        url: format!("{}{}/", p.base, dim.key()),
    }
}

pub(super) fn dim_title(dim: Dim) -> String {
    format!("{}からさがす", dim.label())
}

/// The index of one dimension (`categories/`, `areas/`…).
pub(super) fn terms_job(p: &Prep, dim: Dim) -> Job {
    let title = dim_title(dim);
    let mut ctx = tera::Context::new();
    ctx.insert("dimension", &dim_view(p, dim));
    let terms = p.term_views(dim);
    let description = describe::terms(&title, &terms);
    ctx.insert("terms", &terms);
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
        Some(&description),
        crumbs,
        ctx,
    )
}

/// Page `n` (from 0) of the browse page of one vocabulary value (none
/// when the value has no directory).
pub(super) fn term_job(p: &Prep, dim: Dim, value: &str, n: usize) -> Option<Job> {
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
    let subject = match dim {
        Dim::Areas => format!("{}の", view::area_label(value)),
        Dim::Categories => format!("{value}の"),
        Dim::Audience => format!("{value}向けの"),
        Dim::Methods => format!("{value}で相談できる"),
    };
    let counts: Vec<(&str, usize)> = SECTION_KINDS
        .iter()
        .zip(&by_kind)
        .map(|(k, idx)| (k.label(), idx.len()))
        .collect();
    let description = Prep::page_title(&describe::term(&subject, &counts, events.len()), n);
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
        Some(&description),
        crumbs,
        ctx,
    );
    job.weight = range.len();
    Some(job)
}

pub(super) fn search_job(p: &Prep) -> Job {
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

pub(super) fn not_found_job(p: &Prep) -> Job {
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

pub(super) fn entry_template(kind: Kind) -> &'static str {
    match kind {
        Kind::Event => "event.html",
        Kind::Page => "page.html",
        _ => "entry.html",
    }
}

pub(super) fn entry_job(p: &Prep, i: usize) -> Job {
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

/// The 「印刷用一覧」 of an area (see render/print.rs), in the every-page
/// context; `None` without the template or for an unknown area.
pub(super) fn print_job(p: &Prep, area: &str) -> Option<Job> {
    let inputs = crate::render::print::Inputs {
        site: p.site,
        base: &p.base,
        area_dirs: &p.terms.dirs[Dim::Areas.index()],
        kana_order: &p.kana_order,
        listed: &p.listed,
        cards: &p.cards,
        enabled: p.print_enabled,
    };
    let pp = crate::render::print::page(&inputs, area)?;
    let crumbs = pp
        .crumbs
        .into_iter()
        .map(|(name, url)| Crumb { name, url })
        .collect();
    let mut job = p.job(
        &pp.dir,
        crate::render::print::TEMPLATE,
        &pp.title,
        Some(&pp.description),
        crumbs,
        pp.ctx,
    );
    job.weight = pp.weight;
    Some(job)
}
