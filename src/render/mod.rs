//! Render: the validated [`Site`] to HTML and static files, through the theme.
//!
//! # Output
//!
//! | URL (site-relative)            | file                              | template      |
//! |--------------------------------|-----------------------------------|---------------|
//! | (top)                          | `index.html`                      | `index.html`  |
//! | `centers/` `organizations/` `cafeterias/` `pages/` | `…/index.html` | `list.html` |
//! | `events/`                      | `events/index.html`               | `events.html` |
//! | `centers/<slug>/` (also organizations, cafeterias) | `…/index.html` | `entry.html` |
//! | `events/<slug>/`               |                                   | `event.html`  |
//! | `pages/<slug>/`                |                                   | `page.html`   |
//! | `categories/` `areas/` `audience/` `methods/` | `…/index.html`     | `terms.html`  |
//! | `categories/<value>/` … `areas/広島市/中区/` | `…/index.html`       | `term.html`   |
//! | `search/`                      | `search/index.html`               | `search.html` (includes `search-app.html`) |
//! | `areas/<area>/print/`          | `…/index.html`                    | `print.html` (「印刷用一覧」, see `print.rs`; only when the theme has it) |
//! | —                              | `404.html`                        | `404.html`    |
//! | —                              | `sitemap.xml`, `robots.txt`       | (generated)   |
//! | —                              | everything under the theme's `static/` | (copied) |
//!
//! Vocabulary values are raw UTF-8 directory names on disk and
//! percent-encoded in hrefs; see [`urls`] for the scheme.
//!
//! # Template context
//!
//! Every page gets:
//! - `site`: `{title, description, language, base_url, report_email, quick_exit_url, stale_after_days}`
//! - `base`: the base path, starting and ending with `/` (prefix every link with it)
//! - `language`: the `lang` of the pages
//! - `hotlines`: `[{name, phone: {display, href}, hours, note}]`
//! - `kinds`: `[{value, label, folder, url}]` for the kinds with list pages (the main navigation)
//! - `dimensions`: `[{key, label, url}]` for the browse indexes (分野・地域・対象・相談方法)
//! - `today` (`YYYY-MM-DD`), `today_ja` (「2026年11月21日」)
//! - `page`: `{title, path, url, canonical, description, template, breadcrumbs: [{name, url}]}`;
//!   `description` is never empty: an entry's `summary`, what a list or browse page lists
//!   (「広島市の相談窓口 12件、…」, see `pages/describe.rs`), else `site.toml`'s `description`,
//!   else the site title
//! - `fragments`: `{nav, hotline_bar, hotlines, footer}`: HTML (use `| safe`) of the parts
//!   that do not depend on the page, rendered once per build from `partials/nav.html`
//!   (once per `current`, the href of the list page the navigation marks), `partials/hotline-bar.html`,
//!   `partials/hotlines.html`, `partials/footer.html` with the context above minus `page`
//!   (an empty string when the theme has no such partial)
//!
//! Per template:
//! - `index.html`: `upcoming_events` (≤5 cards), `recent` (≤6 cards of centers, cafeterias and
//!   organizations, newest `verified` first; events are in `upcoming_events` only),
//!   `browse: {categories, areas, audience, methods}` (terms; areas are the top level with `children`),
//!   `pages` (cards of the articles, in `order`)
//! - `list.html`: `kind`, `items` (cards), `groups` (`[{label, id, items}]` by 五十音 行; empty for pages)
//! - `events.html`: `kind`, `upcoming`, `past` (cards)
//! - `entry.html` / `event.html` / `page.html`: `entry` (see [`view::EntryView`]: the card
//!   fields plus `body_html` (sanitized; use `| safe`), `phones`, `hours`, `osm_url`, `stale`, `report_url`…),
//!   `place_events` / `organized_events` (`{upcoming, past}`), `operated` (cards)
//! - `terms.html`: `dimension: {key, label, url}`, `terms` (for areas: the top level, each with `children`)
//! - `term.html`: `dimension`, `term: {name, label, url, count, children}`, `parent` (a link or null),
//!   `sections: [{kind, label, items}]`, `events` (upcoming cards)
//! - `search.html` (and `search-app.html`): `vocabulary: {categories, areas, audience, methods, kinds: [{value, label}]}`
//!
//! A card ([`view::Card`]) is `{kind, kind_label, slug, url, name, kana, summary, status,
//! draft, area, free, phone, when, date, verified, verified_ja, html}`, where `html` is the
//! card rendered once per build from `partials/card.html` (context: `c`, `base`,
//! `language`); a term is `{name, label, url, count, children}`.
//!
//! Why fragments and `c.html`: a variable lookup in tera costs several
//! microseconds, so what is the same on every page is rendered once
//! (docs/benchmarks.md has what rendering costs per 1,000 entries).

pub mod japanese;
pub mod jsonld;
pub mod markdown;
mod memo;
pub(crate) mod pages;
mod print;
mod theme;
pub mod urls;
pub mod view;

#[cfg(test)]
mod affected_tests;
#[cfg(test)]
mod tests;

pub use theme::{builtin_names, AssetOptions, Theme, REQUIRED_TEMPLATES};

use crate::site::Site;
use std::path::PathBuf;

use crate::output::OutputFile;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to parse or render; `message` is tera's whole error chain.
    #[error("template `{template}` ({file}){}: {message}", page.as_ref().map(|p| format!(" while rendering `{p}`")).unwrap_or_default())]
    Template {
        template: String,
        file: String,
        page: Option<String>,
        message: String,
    },
    #[error("theme `{name}` not found: there is no themes/{name}/ in the portal and no built-in theme of that name (known themes: {known})")]
    UnknownTheme { name: String, known: String },
    #[error("theme `{theme}` lacks templates every theme needs: {missing} (copy them from the built-in theme `hiroshima`)")]
    MissingTemplates { theme: String, missing: String },
    #[error("reading theme file {}: {message}", path.display())]
    Io { path: PathBuf, message: String },
    /// A theme file that may not be read (a link out of the portal, a FIFO).
    #[error("{}: {problem}", problem.relative().display())]
    Input {
        problem: crate::load::inputs::InputProblem,
    },
    /// A static CSS or JavaScript file the minifier cannot read.
    #[error("{file}: could not be minified ({message}); check the file for a syntax error, or build with --no-minify to publish it as it is")]
    Minify { file: String, message: String },
    #[error("two outputs want the same file `{path}`: {first} and {second}")]
    Collision {
        path: String,
        first: String,
        second: String,
    },
}

impl RenderError {
    /// As the diagnostic the CLI prints: a theme file that may not be
    /// read keeps its own code and file; everything else is
    /// `render-failed` with the whole message.
    pub fn diagnostic(&self) -> crate::diagnostics::Diagnostic {
        match self {
            RenderError::Input { problem } => problem.diagnostic(),
            other => crate::diagnostics::Diagnostic::error(
                crate::diagnostics::Code::RenderFailed,
                other.to_string(),
            ),
        }
    }
}

/// Renders every page of the site, the sitemap, `robots.txt` and the
/// theme's static files. The result is sorted by path and byte-identical
/// for the same input. Holds the whole site in memory: the build streams
/// with [`render_site_each`] instead.
pub fn render_site(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, RenderError> {
    pages::render(site, theme)
}

/// The same files as [`render_site`], each handed to `put` as soon as it
/// is rendered (from several threads at once, in no fixed order), so a
/// large portal never sits in memory whole. Returns how many files were put.
pub fn render_site_each<E, F>(site: &Site, theme: &Theme, put: F) -> Result<usize, E>
where
    E: From<RenderError> + Send,
    F: Fn(OutputFile) -> Result<(), E> + Sync,
{
    pages::render_each(site, theme, put)
}

pub use pages::{render_affected, render_entry_page, Affected};
