//! The validated portal: what `validate` hands to `render` and `index`.

use crate::config::SiteConfig;
use crate::model::{Entry, Kind, Slug};
use std::collections::BTreeMap;

/// Everything a build knows after validation. Entries are sorted by
/// (kind, slug) so every later stage is deterministic.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub timezone: jiff::tz::TimeZone,
    /// Non-draft entries (drafts too with `--drafts`), sorted by kind then slug.
    pub entries: Vec<Entry>,
    by_slug: BTreeMap<Slug, usize>,
    /// The day the build considers "today" in the site's timezone
    /// (from `SOURCE_DATE_EPOCH` if set, so builds are reproducible).
    pub today: jiff::civil::Date,
    /// The instant the build considers "now".
    pub now: jiff::Timestamp,
}

impl Site {
    pub fn new(
        config: SiteConfig,
        timezone: jiff::tz::TimeZone,
        mut entries: Vec<Entry>,
        now: jiff::Timestamp,
    ) -> Site {
        entries.sort_by(|a, b| (a.kind, &a.slug).cmp(&(b.kind, &b.slug)));
        let by_slug = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.slug.clone(), i))
            .collect();
        let today = now.to_zoned(timezone.clone()).date();
        Site {
            config,
            timezone,
            entries,
            by_slug,
            today,
            now,
        }
    }

    pub fn get(&self, slug: &Slug) -> Option<&Entry> {
        self.by_slug.get(slug).map(|&i| &self.entries[i])
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.kind == kind)
    }

    /// Whether an entry's `verified` date is missing or older than
    /// `stale_after_days`.
    pub fn is_stale(&self, entry: &Entry) -> bool {
        match entry.fields.verified {
            // Events are dated by `starts`; pages are articles.
            None => !matches!(entry.kind, Kind::Page | Kind::Event),
            Some(d) => {
                let age = self.today.since(d.0).map(|s| s.get_days()).unwrap_or(0);
                age > i32::try_from(self.config.stale_after_days).unwrap_or(i32::MAX)
            }
        }
    }
}
