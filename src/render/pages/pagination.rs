//! Pagination of long lists: which page holds which slice, and the
//! `pagination` context of list, events and browse pages.

use super::*;

/// Where a page stands in its paginated list (`pagination` in the
/// context of list, events and browse pages; `total` is 1 when the list
/// fits on one page).
#[derive(Serialize)]
pub(super) struct Pagination {
    /// This page, from 1.
    pub(super) number: usize,
    /// How many pages the list has.
    pub(super) total: usize,
    /// Entries in the whole list, and the 1-based range shown here
    /// (`from` > `to` when the list is empty).
    pub(super) items: usize,
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) prev: Option<String>,
    pub(super) next: Option<String>,
    /// The first and last pages and the two on either side of this one,
    /// in order; `gap_before` marks pages skipped before a link.
    pub(super) links: Vec<PageLink>,
}

#[derive(Serialize)]
pub(super) struct PageLink {
    pub(super) number: usize,
    pub(super) url: String,
    pub(super) current: bool,
    pub(super) gap_before: bool,
}

/// The site-relative directory of page `n` (from 0) of the list at `dir`:
/// the list's own for the first page, `DIR/page/N/` after it.
pub(super) fn page_dir(dir: &str, n: usize) -> String {
    if n == 0 {
        dir.to_string()
    } else {
        format!("{dir}page/{}/", n + 1)
    }
}

impl Prep<'_> {
    /// How many pages a list of `len` entries takes (an empty list still
    /// has its one page, which says so).
    pub(super) fn page_count(&self, len: usize) -> usize {
        len.div_ceil(self.page_size).max(1)
    }

    /// The part of a list of `len` entries on page `n` (from 0).
    pub(super) fn page_range(&self, len: usize, n: usize) -> std::ops::Range<usize> {
        let start = (n * self.page_size).min(len);
        start..(start + self.page_size).min(len)
    }

    /// `pagination` for page `n` of the list of `len` entries at `dir`.
    pub(super) fn pagination(&self, dir: &str, n: usize, len: usize) -> Pagination {
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
}
