//! `render_affected` against the truth: for each kind of change, the full
//! build before and after is diffed, and every file that differs must be
//! among the affected ones (or removed), each byte-identical to the full
//! build's.

use super::{render_affected, render_site, Theme};
use crate::load;
use crate::model::{Entry, Kind, Slug};
use crate::output::OutputFile;
use crate::site::Site;
use crate::validate::{self, ValidateOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The demo portal at the repository root, validated, with "now" fixed.
fn demo() -> (Site, Theme) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (loaded, _) = load::load(&root).unwrap_or_else(|d| panic!("{d:?}"));
    let validated = validate::validate(
        &loaded,
        &ValidateOptions {
            drafts: false,
            now: "2026-11-21T03:00:00Z".parse().unwrap(),
        },
    );
    let site = validated
        .site
        .unwrap_or_else(|| panic!("the demo portal must validate: {:?}", validated.diagnostics));
    let theme = Theme::resolve(&root, &site.config.theme).unwrap();
    (site, theme)
}

fn with_entries(site: &Site, entries: Vec<Entry>) -> Site {
    Site::new(
        site.config.clone(),
        site.timezone.clone(),
        entries,
        site.now,
    )
}

/// `site` with the entry of slug `slug` replaced by `new`.
fn replacing(site: &Site, slug: &Slug, new: &Entry) -> Site {
    let entries = site
        .entries
        .iter()
        .map(|e| {
            if e.slug == *slug {
                new.clone()
            } else {
                e.clone()
            }
        })
        .collect();
    with_entries(site, entries)
}

/// `site` without the entry of slug `slug`.
fn without(site: &Site, slug: &Slug) -> Site {
    let entries = site
        .entries
        .iter()
        .filter(|e| e.slug != *slug)
        .cloned()
        .collect();
    with_entries(site, entries)
}

fn by_path(files: Vec<OutputFile>) -> BTreeMap<String, Vec<u8>> {
    files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

/// Checks `render_affected(after, old, new)` against two full builds and
/// returns how many files it rendered.
fn check_change(
    before: &Site,
    after: &Site,
    theme: &Theme,
    old: Option<&Entry>,
    new: Option<&Entry>,
) -> usize {
    let full_before = by_path(render_site(before, theme).unwrap());
    let full_after = by_path(render_site(after, theme).unwrap());
    let affected = render_affected(after, theme, old, new).unwrap();
    let returned: BTreeMap<&str, &[u8]> = affected
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    for (path, bytes) in &returned {
        assert_eq!(
            full_after.get(*path).map(Vec::as_slice),
            Some(*bytes),
            "{path}: must be byte-identical to the full build"
        );
    }
    for (path, bytes) in &full_after {
        if full_before.get(path) != Some(bytes) {
            assert!(
                returned.contains_key(path.as_str()),
                "{path} changed but was not re-rendered (returned: {:?})",
                returned.keys().collect::<Vec<_>>()
            );
        }
    }
    for path in full_before.keys() {
        let gone = !full_after.contains_key(path);
        assert_eq!(
            gone,
            affected.removed.contains(path),
            "{path}: removed list wrong ({:?})",
            affected.removed
        );
    }
    assert!(
        returned.len() * 2 < full_after.len(),
        "a one-entry change should not re-render most of the site ({} of {})",
        returned.len(),
        full_after.len()
    );
    returned.len()
}

fn find(site: &Site, pred: impl Fn(&Entry) -> bool) -> Entry {
    site.entries
        .iter()
        .find(|e| pred(e))
        .cloned()
        .expect("the demo portal has such an entry")
}

#[test]
fn edit_of_an_operator_reaches_the_entries_it_runs() {
    let (site, theme) = demo();
    // An entry that others name as operator: their pages show its name,
    // its page lists their cards.
    let operated: Vec<String> = site
        .entries
        .iter()
        .filter_map(|e| e.fields.operator.as_ref().map(|s| s.as_str().to_string()))
        .collect();
    let old = find(&site, |e| operated.iter().any(|s| s == e.slug.as_str()));
    let mut new = old.clone();
    new.fields.name = Some(format!("{}(新名称)", old.name()));
    new.fields.kana = Some("あああ".into());
    let after = replacing(&site, &old.slug, &new);
    let n = check_change(&site, &after, &theme, Some(&old), Some(&new));
    // Its own page, its list, the top page, the dimension indexes, the
    // sitemap, and at least one page of an entry it runs.
    assert!(n >= 9, "{n}");
}

#[test]
fn moving_an_entry_to_another_area_and_category() {
    let (site, theme) = demo();
    let areas = site.config.vocabulary.area_nodes();
    let old = find(&site, |e| e.kind == Kind::Center && e.fields.area.is_some());
    let other_area = areas
        .iter()
        .find(|a| Some(a.as_str()) != old.fields.area.as_deref())
        .cloned();
    let other_category = site
        .config
        .vocabulary
        .categories
        .iter()
        .find(|c| !old.fields.categories.iter().flatten().any(|x| x == *c))
        .cloned();
    let mut new = old.clone();
    new.fields.area = other_area;
    if let Some(c) = other_category {
        new.fields.categories = Some(vec![c]);
    }
    let after = replacing(&site, &old.slug, &new);
    check_change(&site, &after, &theme, Some(&old), Some(&new));
}

#[test]
fn removing_an_event() {
    let (site, theme) = demo();
    let old = find(&site, |e| e.kind == Kind::Event);
    let after = without(&site, &old.slug);
    check_change(&site, &after, &theme, Some(&old), None);
}

#[test]
fn adding_and_renaming_slug() {
    let (site, theme) = demo();
    let template = find(&site, |e| e.kind == Kind::Cafeteria);
    let mut added = template.clone();
    added.slug = Slug::parse("tsuika-no-ibasho").unwrap();
    added.fields.name = Some("追加された居場所".into());
    let mut entries = site.entries.clone();
    entries.push(added.clone());
    let after = with_entries(&site, entries);
    check_change(&site, &after, &theme, None, Some(&added));

    // The same entry under a new slug: the old page goes away.
    let mut renamed = added.clone();
    renamed.slug = Slug::parse("tsuika-no-ibasho-2").unwrap();
    let after2 = replacing(&after, &added.slug, &renamed);
    check_change(&after, &after2, &theme, Some(&added), Some(&renamed));
}

/// The demo portal with `list_page_size` set to `size`.
fn paged(site: &Site, size: usize) -> Site {
    let mut config = site.config.clone();
    config.list_page_size = std::num::NonZeroUsize::new(size).expect("a page size of at least 1");
    Site::new(
        config,
        site.timezone.clone(),
        site.entries.clone(),
        site.now,
    )
}

/// How many entries of `kind` the list page shows (not closed).
fn listed(site: &Site, kind: Kind) -> usize {
    site.entries
        .iter()
        .filter(|e| e.kind == kind && e.status() != crate::model::Status::Closed)
        .count()
}

#[test]
fn removing_an_entry_from_a_paginated_list_removes_its_last_page() {
    let (demo, theme) = demo();
    // One center more than fits on a page: the list has two pages, and
    // loses the second when a center goes.
    let site = paged(&demo, listed(&demo, Kind::Center) - 1);
    let old = find(&site, |e| {
        e.kind == Kind::Center && e.status() != crate::model::Status::Closed
    });
    let after = without(&site, &old.slug);
    let full_before = by_path(render_site(&site, &theme).unwrap());
    assert!(full_before.contains_key("centers/page/2/index.html"));
    check_change(&site, &after, &theme, Some(&old), None);
    let affected = render_affected(&after, &theme, Some(&old), None).unwrap();
    assert!(
        affected
            .removed
            .iter()
            .any(|p| p == "centers/page/2/index.html"),
        "{:?}",
        affected.removed
    );
}

#[test]
fn adding_and_moving_entries_in_paginated_lists() {
    let (demo, theme) = demo();
    // Two per page: every list and browse page of the demo has several.
    let site = paged(&demo, 2);
    let template = find(&site, |e| e.kind == Kind::Cafeteria);
    let mut added = template.clone();
    added.slug = Slug::parse("aaa-atarashii-ibasho").unwrap();
    added.fields.name = Some("あたらしい居場所".into());
    added.fields.kana = Some("あたらしいいばしょ".into());
    let mut entries = site.entries.clone();
    entries.push(added.clone());
    let after = with_entries(&site, entries);
    check_change(&site, &after, &theme, None, Some(&added));

    // Moved to another area: both areas' pages shift.
    let areas = after.config.vocabulary.area_nodes();
    let mut moved = added.clone();
    moved.fields.area = areas
        .iter()
        .find(|a| Some(a.as_str()) != added.fields.area.as_deref())
        .cloned();
    let after2 = replacing(&after, &added.slug, &moved);
    check_change(&after, &after2, &theme, Some(&added), Some(&moved));
}

/// What one incremental render costs on a big portal:
/// `TSUNAGU_BENCH_PORTAL=/tmp/tsunagu-bench/portal-10000-g1 cargo test --release --lib render::affected_tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing() {
    let Ok(root) = std::env::var("TSUNAGU_BENCH_PORTAL") else {
        eprintln!("set TSUNAGU_BENCH_PORTAL to a generated portal");
        return;
    };
    let root = PathBuf::from(root);
    let (loaded, _) = load::load(&root).unwrap_or_else(|d| panic!("{d:?}"));
    let validated = validate::validate(
        &loaded,
        &ValidateOptions {
            drafts: false,
            now: "2026-12-01T00:00:00+09:00"
                .parse::<jiff::Timestamp>()
                .unwrap(),
        },
    );
    let site = validated.site.expect("the portal validates");
    let theme = Theme::resolve(&root, &site.config.theme).unwrap();
    eprintln!("one thread, by template: pages, context, render, bytes");
    for (template, (n, built, rendered, bytes)) in super::pages::cost_by_template(&site, &theme) {
        eprintln!(
            "{template:14} {n:6} {:8.1} ms {:8.1} ms {:6.1} MB",
            built.as_secs_f64() * 1e3,
            rendered.as_secs_f64() * 1e3,
            bytes as f64 / 1e6
        );
    }
    for kind in [Kind::Center, Kind::Event] {
        let old = find(&site, |e| e.kind == kind && e.fields.area.is_some());
        let mut summary = old.clone();
        summary.fields.summary = Some("更新された説明".into());
        let mut body = old.clone();
        body.body.push_str("\n\n追記しました。\n");
        for (what, new) in [("summary (on its card)", summary), ("body", body)] {
            let t = std::time::Instant::now();
            let affected = render_affected(&site, &theme, Some(&old), Some(&new)).unwrap();
            let bytes: usize = affected.files.iter().map(|f| f.bytes.len()).sum();
            eprintln!(
                "{kind:?} {}, {what} edited: {} files, {} bytes in {:?}",
                old.slug,
                affected.files.len(),
                bytes,
                t.elapsed()
            );
        }
    }
}

#[test]
fn edits_that_do_not_show_in_lists_render_only_a_few_pages() {
    let (site, theme) = demo();
    // A center with hours and an area (its print list shows the hours).
    let old = find(&site, |e| {
        e.kind == Kind::Center && e.fields.area.is_some() && e.fields.hours.is_some()
    });
    let replace = |new: &Entry| replacing(&site, &new.slug, new);

    let mut body = old.clone();
    body.body = format!("{}\n\n追記: 年末年始はお休みです。\n", old.body);
    let n = check_change(&site, &replace(&body), &theme, Some(&old), Some(&body));
    // Its page, its area's print lists, the pages naming it, the sitemap:
    // not the long lists.
    let naming = site
        .entries
        .iter()
        .filter(|e| {
            let f = &e.fields;
            [&f.operator, &f.organizer, &f.place]
                .into_iter()
                .flatten()
                .any(|s| *s == old.slug)
        })
        .count();
    let areas = old
        .fields
        .area
        .as_deref()
        .map(|a| a.split('/').count())
        .unwrap_or(0);
    assert!(n <= 2 + areas + naming, "{n} files for a body edit");

    let mut hours = old.clone();
    hours.fields.hours_note = Some("祝日は休みです".into());
    check_change(&site, &replace(&hours), &theme, Some(&old), Some(&hours));

    let mut address = old.clone();
    address.fields.address = Some("広島市中区テスト町1-2-3".into());
    check_change(
        &site,
        &replace(&address),
        &theme,
        Some(&old),
        Some(&address),
    );
}
