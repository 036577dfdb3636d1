//! Every page of a build has a description (#17): a non-empty
//! `<meta name="description">` and the same `og:description`, and a page
//! that lists things says what it lists, in numbers that match the page.

mod common;

use common::*;
use scraper::{Html, Selector};
use std::collections::BTreeMap;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn meta(doc: &Html, selector: &str) -> Option<String> {
    doc.select(&sel(selector))
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(str::to_string)
}

/// The demo's HTML pages, parsed, by output path.
fn demo_pages() -> BTreeMap<String, Html> {
    let out = tempfile::tempdir().unwrap();
    assert_ok(&build(&repo(), out.path()));
    tree(out.path())
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| {
            let html = String::from_utf8(bytes).unwrap();
            (path, Html::parse_document(&html))
        })
        .collect()
}

#[test]
fn every_page_of_the_demo_has_a_description_and_og_description() {
    let pages = demo_pages();
    assert!(pages.contains_key("index.html") && pages.contains_key("404.html"));
    let mut missing = Vec::new();
    for (path, doc) in &pages {
        let description = meta(doc, r#"meta[name="description"]"#).unwrap_or_default();
        let og = meta(doc, r#"meta[property="og:description"]"#).unwrap_or_default();
        if description.trim().is_empty() || og != description {
            missing.push(format!("{path}: description {description:?}, og {og:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "pages without a description:\n{}",
        missing.join("\n")
    );
}

#[test]
fn list_and_browse_pages_say_what_they_list() {
    let pages = demo_pages();
    let site_description = meta(&pages["index.html"], r#"meta[name="description"]"#).unwrap();
    let paginated = |path: &str| {
        let dir = path.trim_end_matches("index.html");
        pages.contains_key(&format!("{dir}page/2/index.html")) || path.contains("/page/")
    };
    let mut checked = 0;
    for (path, doc) in &pages {
        let is_list = ["centers/", "cafeterias/", "organizations/"]
            .iter()
            .any(|k| path == &format!("{k}index.html"));
        let is_browse = ["areas/", "categories/", "audience/", "methods/"]
            .iter()
            .any(|d| path.starts_with(d) && path.len() > d.len() + "index.html".len())
            && !path.contains("/print/");
        if !(is_list || is_browse) || paginated(path) {
            continue;
        }
        let description = meta(doc, r#"meta[name="description"]"#).unwrap();
        assert_ne!(
            description, site_description,
            "{path} falls back to the site's description"
        );
        // The count of each kind named in the description is the number of
        // cards of that kind on the page.
        for (kind, label) in [
            ("center", "相談窓口"),
            ("cafeteria", "食堂・居場所"),
            ("organization", "団体"),
        ] {
            let cards = doc.select(&sel(&format!("main li.card-{kind}"))).count();
            let said = format!("{label} {cards}件");
            if cards > 0 {
                assert!(
                    description.contains(&said),
                    "{path}: {description:?} lacks {said:?}"
                );
                checked += 1;
            } else {
                assert!(
                    !description.contains(&format!("{label} ")),
                    "{path}: {description:?} names {label} with no card"
                );
            }
        }
    }
    assert!(checked > 0, "no list or browse page was checked");
}
