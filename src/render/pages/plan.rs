//! The plan of every page of the site and the full render: enumerate the
//! pages, refuse collisions, render them in parallel, add the sitemap,
//! `robots.txt` and the theme's static files.

use super::*;

/// One page of the site. Enumerating them is cheap (no context is built),
/// so the full build ([`render_each`]) and the incremental path
/// ([`render_affected`]) share one list of what exists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum PageKey {
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
pub(super) const LIST_KINDS: [Kind; 5] = [
    Kind::Center,
    Kind::Organization,
    Kind::Cafeteria,
    Kind::Page,
    Kind::Event,
];

/// Every page of the site.
pub(super) fn plan(p: &Prep) -> Vec<PageKey> {
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
    pub(super) fn file_of(&self, key: &PageKey) -> Option<String> {
        Some(match key {
            PageKey::Top => index_file(""),
            PageKey::List(k, n) => index_file(&page_dir(&format!("{}/", k.folder()), *n)),
            PageKey::Terms(d) => index_file(&format!("{}/", d.key())),
            PageKey::Term(d, v, n) => index_file(&page_dir(self.terms.dirs[d.index()].dir(v)?, *n)),
            PageKey::Search => index_file("search/"),
            PageKey::NotFound => "404.html".to_string(),
            PageKey::Entry(i) => index_file(&self.site.entries.get(*i)?.url_path()),
            PageKey::Print(a) => index_file(&crate::render::urls::print_dir(
                self.terms.dirs[Dim::Areas.index()].dir(a)?,
            )),
        })
    }

    /// Roughly how many cards a page lists, to start the biggest first.
    pub(super) fn weight(&self, key: &PageKey) -> usize {
        match key {
            PageKey::List(k, n) => self.page_range(self.list_len(*k), *n).len(),
            PageKey::Term(d, v, n) => self.page_range(self.term_len(*d, v), *n).len(),
            _ => 0,
        }
    }

    /// How many entries the list of a kind shows, over all its pages.
    pub(super) fn list_len(&self, kind: Kind) -> usize {
        match kind {
            Kind::Event => self.upcoming.len() + self.past.len(),
            Kind::Page => pages_order(self.site).len(),
            k => self.kind_counts.get(&k).copied().unwrap_or(0),
        }
    }

    /// How many entries the browse page of a value shows, over all its pages.
    pub(super) fn term_len(&self, dim: Dim, value: &str) -> usize {
        self.by_term[dim.index()]
            .get(value)
            .map(|(a, b)| a.len() + b.len())
            .unwrap_or(0)
    }

    /// Every page of the list of a kind.
    pub(super) fn list_pages(&self, kind: Kind) -> impl Iterator<Item = PageKey> {
        (0..self.page_count(self.list_len(kind))).map(move |n| PageKey::List(kind, n))
    }

    /// Every page of the browse page of a value.
    pub(super) fn term_pages<'v>(
        &self,
        dim: Dim,
        value: &'v str,
    ) -> impl Iterator<Item = PageKey> + 'v {
        (0..self.page_count(self.term_len(dim, value)))
            .map(move |n| PageKey::Term(dim, value.to_string(), n))
    }

    /// Listed entries of a kind in 五十音 order (the list page).
    pub(super) fn list_items(&self, kind: Kind) -> &[usize] {
        self.kind_items.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The job of a page (none for a key that no longer exists).
    pub(super) fn job_of(&self, key: &PageKey) -> Option<Job> {
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

    pub(super) fn render_key(
        &self,
        theme: &Theme,
        key: &PageKey,
    ) -> Result<Option<OutputFile>, RenderError> {
        match self.job_of(key) {
            Some(job) => render_job(theme, &job).map(Some),
            None => Ok(None),
        }
    }
}

/// Refuses a plan in which two outputs want the same file, before anything
/// is rendered.
pub(super) fn check_collisions(
    p: &Prep,
    theme: &Theme,
    keys: &[PageKey],
) -> Result<(), RenderError> {
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

#[cfg(test)]
pub fn bench_prepare<'a>(site: &'a Site, theme: &'a Theme) -> impl Fn(usize) -> String + 'a {
    let p = prepare(site, theme).unwrap();
    move |i| String::from_utf8(render_job(theme, &entry_job(&p, i)).unwrap().bytes).unwrap()
}

pub(super) fn render_job(theme: &Theme, job: &Job) -> Result<OutputFile, RenderError> {
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

/// Single-threaded cost of every page, by template: (pages, time to build
/// the contexts, time to render, bytes). For the benchmark notes
/// (`render::affected_tests::timing`).
#[cfg(test)]
pub(crate) fn cost_by_template(
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
