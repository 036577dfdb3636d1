//! Pages: the groupings of the site (computed in one pass) and the
//! context and file of every page, by job:
//!
//! - [`context`]: view contexts (the serialized parts of a page's context,
//!   fragments and cards rendered once, and [`prepare`], the one pass);
//! - [`kinds`]: page kinds (the job of each kind of page);
//! - [`describe`]: the descriptions of the pages that list things;
//! - [`pagination`]: which slice of a long list a page shows;
//! - [`sitemap`]: `sitemap.xml` and `robots.txt`;
//! - [`plan`]: the list of every page and the full render;
//! - [`affected`]: what `tsunagu serve` re-renders after one change.
//!
//! This file holds what they share: the dimensions, term URLs, the job of
//! one page and [`Prep`], everything computed once before rendering.

mod affected;
mod context;
mod describe;
mod kinds;
mod pagination;
mod plan;
mod sitemap;

pub use affected::{render_affected, render_entry_page, Affected};
#[cfg(test)]
pub use plan::bench_prepare;
#[cfg(test)]
pub(crate) use plan::cost_by_template;
pub use plan::{render, render_each};

use context::*;
use kinds::*;
use pagination::*;
use plan::*;
use sitemap::*;

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
