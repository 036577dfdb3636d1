//! End-to-end builds of real portal folders: the demo at the repository
//! root and small fixtures under tests/fixtures/portals/.

use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::PathBuf;

mod common;

use common::{assert_ok, build_with as build, copy_dir, repo, tree, tsunagu};

fn html_files(files: &BTreeMap<String, Vec<u8>>) -> impl Iterator<Item = (&String, Html)> {
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| {
            (
                p,
                Html::parse_document(std::str::from_utf8(b).expect("utf-8 html")),
            )
        })
}

/// A site-internal URL path (`/centers/foo/`) → the file that serves it.
fn target_exists(files: &BTreeMap<String, Vec<u8>>, url_path: &str) -> bool {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    let rel = decoded.trim_start_matches('/');
    if rel.is_empty() {
        return files.contains_key("index.html");
    }
    if rel.ends_with('/') {
        files.contains_key(&format!("{rel}index.html"))
    } else {
        files.contains_key(rel)
    }
}

/// Builds a copy of the demo portal into a temp dir and returns (tempdir, out).
fn build_demo(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert_ok(&build(&repo(), &out, extra));
    (tmp, out)
}

#[test]
fn every_internal_link_and_resource_of_the_demo_resolves() {
    let (_tmp, out) = build_demo(&[]);
    let files = tree(&out);
    let sel =
        Selector::parse("a[href], link[href], script[src], img[src], form[action], iframe[src]")
            .unwrap();
    let mut broken = Vec::new();
    let mut foreign_loads = Vec::new();
    for (page, doc) in html_files(&files) {
        for el in doc.select(&sel) {
            let v = el.value();
            let (attr, url) = match v
                .attr("href")
                .map(|h| ("href", h))
                .or_else(|| v.attr("src").map(|s| ("src", s)))
                .or_else(|| v.attr("action").map(|a| ("action", a)))
            {
                Some(x) => x,
                None => continue,
            };
            if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//") {
                // Links a person clicks may leave the site; nothing may load from elsewhere.
                if v.name() != "a" && !(v.name() == "link" && v.attr("rel") == Some("canonical")) {
                    foreign_loads.push(format!("{page}: <{} {attr}={url}>", v.name()));
                }
                continue;
            }
            if url.starts_with("tel:")
                || url.starts_with("mailto:")
                || url.starts_with('#')
                || url.is_empty()
            {
                continue;
            }
            assert!(
                url.starts_with('/'),
                "{page}: relative URL {url} (pages must use base-path URLs)"
            );
            if !target_exists(&files, url) {
                broken.push(format!("{page}: {url}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "broken internal links:\n{}",
        broken.join("\n")
    );
    assert!(
        foreign_loads.is_empty(),
        "resources from other hosts:\n{}",
        foreign_loads.join("\n")
    );
}

#[test]
fn every_page_has_lang_one_h1_a_skip_link_and_the_hotlines() {
    let (_tmp, out) = build_demo(&[]);
    let files = tree(&out);
    let site_toml = std::fs::read_to_string(repo().join("site.toml")).unwrap();
    let config: toml::Value = toml::from_str(&site_toml).unwrap();
    let first_hotline = config["hotlines"][0]["phone"].as_str().unwrap().to_string();
    let h1 = Selector::parse("h1").unwrap();
    let skip = Selector::parse("a[href='#main']").unwrap();
    let main = Selector::parse("main#main").unwrap();
    let csp = Selector::parse("meta[http-equiv='Content-Security-Policy']").unwrap();
    for (page, doc) in html_files(&files) {
        let root = doc.root_element();
        assert_eq!(root.value().attr("lang"), Some("ja"), "{page}: lang");
        assert_eq!(doc.select(&h1).count(), 1, "{page}: exactly one h1");
        assert!(doc.select(&skip).next().is_some(), "{page}: skip link");
        assert!(doc.select(&main).next().is_some(), "{page}: main landmark");
        assert!(doc.select(&csp).next().is_some(), "{page}: CSP meta");
        let text = String::from_utf8_lossy(&files[page]);
        assert!(
            text.contains(&first_hotline),
            "{page}: hotline {first_hotline} missing"
        );
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, out_a) = build_demo(&[]);
    let (_b, out_b) = build_demo(&[]);
    let (a, b) = (tree(&out_a), tree(&out_b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let portal = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &portal);
    let out = tmp.path().join("public");
    assert_ok(&build(&portal, &out, &[]));
    let before = tree(&out);
    assert!(!before.is_empty());

    std::fs::write(
        portal.join("content/centers/broken.md"),
        "---\nname: [unclosed\n---\n",
    )
    .unwrap();
    let o = build(&portal, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("content/centers/broken.md"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(tree(&out), before, "the previous output must be unchanged");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("tsunagu-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

#[test]
fn a_sub_path_base_url_prefixes_every_link() {
    let (_tmp, out) = build_demo(&["--base-url", "https://city.example.jp/hikikomori/"]);
    let files = tree(&out);
    let sel = Selector::parse("a[href^='/'], link[href^='/'], script[src^='/'], form[action^='/']")
        .unwrap();
    for (page, doc) in html_files(&files) {
        for el in doc.select(&sel) {
            let url = el
                .value()
                .attr("href")
                .or(el.value().attr("src"))
                .or(el.value().attr("action"))
                .unwrap();
            assert!(
                url.starts_with("/hikikomori/"),
                "{page}: {url} is outside the sub-path"
            );
        }
    }
    let sitemap = String::from_utf8_lossy(&files["sitemap.xml"]);
    assert!(
        sitemap.contains("<loc>https://city.example.jp/hikikomori/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn drafts_are_built_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let portal = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &portal);
    std::fs::write(portal.join("content/centers/soon.md"), "---\nname: 準備中の窓口\nkana: じゅんびちゅうのまどぐち\nverified: 2026-10-01\ndraft: true\n---\n").unwrap();
    let out = tmp.path().join("public");
    assert_ok(&build(&portal, &out, &[]));
    assert!(!out.join("centers/soon/index.html").exists());
    assert!(
        !String::from_utf8_lossy(&std::fs::read(out.join("centers/index.html")).unwrap())
            .contains("準備中の窓口")
    );
    assert_ok(&build(&portal, &out, &["--drafts"]));
    assert!(out.join("centers/soon/index.html").exists());
}

#[test]
fn a_closed_entry_keeps_its_page_but_leaves_lists_and_search() {
    let tmp = tempfile::tempdir().unwrap();
    let portal = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &portal);
    std::fs::write(portal.join("content/cafeterias/gone.md"), "---\nname: おわった食堂\nkana: おわったしょくどう\nverified: 2026-10-01\nstatus: closed\n---\n").unwrap();
    let out = tmp.path().join("public");
    assert_ok(&build(&portal, &out, &[]));
    let page = std::fs::read_to_string(out.join("cafeterias/gone/index.html")).unwrap();
    assert!(
        page.contains("閉鎖") || page.contains("終了"),
        "the page says it closed"
    );
    let list = std::fs::read_to_string(out.join("cafeterias/index.html")).unwrap();
    assert!(
        !list.contains("おわった食堂"),
        "closed entries are not listed"
    );
    let o = tsunagu(&[
        "search",
        "--json",
        "--root",
        portal.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "おわった",
    ]);
    assert!(o.status.success());
    let hits: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        hits.as_array().map(Vec::len),
        Some(0),
        "closed entries are not searchable: {hits}"
    );
}

#[test]
fn search_json_is_ranked_and_has_the_documented_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let portal = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &portal);
    let out = tmp.path().join("public");
    assert_ok(&build(&portal, &out, &[]));
    let o = tsunagu(&[
        "search",
        "--json",
        "--root",
        portal.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "相談",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(hits.len() >= 2);
    // The entry with 相談 in its name ranks above the one that only says it in the body.
    assert_eq!(hits[0]["slug"], "soudan-center");
    for h in &hits {
        for key in ["slug", "kind", "name", "url", "score"] {
            assert!(h.get(key).is_some(), "missing {key} in {h}");
        }
    }
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    // Filters: --kind and a hierarchical --area.
    let o = tsunagu(&[
        "search",
        "--json",
        "--root",
        portal.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--area",
        "広島市",
        "相談",
    ]);
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["area"].as_str().unwrap_or("").starts_with("広島市")),
        "{hits:?}"
    );
}

/// The names on the cards of a built page, in order.
fn card_names(files: &BTreeMap<String, Vec<u8>>, page: &str) -> Vec<String> {
    let html = std::str::from_utf8(&files[page]).expect("utf-8 html");
    let doc = Html::parse_document(html);
    let sel = Selector::parse(".card-title a").unwrap();
    doc.select(&sel)
        .map(|a| a.text().collect::<String>())
        .collect()
}

#[test]
fn long_lists_are_split_into_pages_with_links_between_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let portal = repo().join("tests/fixtures/portals/paginated");
    assert_ok(&build(&portal, &out, &[]));
    let files = tree(&out);

    // Five centers, two to a page, in 五十音 order.
    assert_eq!(
        card_names(&files, "centers/index.html"),
        ["あおば相談室", "いちょう相談室"]
    );
    assert_eq!(
        card_names(&files, "centers/page/2/index.html"),
        ["かえで相談室", "さくら相談室"]
    );
    assert_eq!(
        card_names(&files, "centers/page/3/index.html"),
        ["つばき相談室"]
    );
    assert!(!files.contains_key("centers/page/4/index.html"));
    assert!(!files.contains_key("centers/page/1/index.html"));

    let page2 =
        Html::parse_document(std::str::from_utf8(&files["centers/page/2/index.html"]).unwrap());
    let attr = |sel: &str, name: &str| -> Vec<String> {
        page2
            .select(&Selector::parse(sel).unwrap())
            .filter_map(|e| e.value().attr(name).map(str::to_string))
            .collect()
    };
    assert_eq!(attr(".pagination a[rel=prev]", "href"), ["/centers/"]);
    assert_eq!(
        attr(".pagination a[rel=next]", "href"),
        ["/centers/page/3/"]
    );
    let current: Vec<String> = page2
        .select(&Selector::parse(".pagination [aria-current=page]").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(current, ["いまの2ページ目"]);
    let title: String = page2
        .select(&Selector::parse("title").unwrap())
        .flat_map(|t| t.text())
        .collect();
    assert!(title.starts_with("相談窓口(2ページ目)"), "{title}");
    // The 五十音 index jumps to the page where each row starts.
    assert_eq!(
        attr(".kana-index a", "href"),
        [
            "/centers/#g-a",
            "/centers/page/2/#g-ka",
            "/centers/page/2/#g-sa",
            "/centers/page/3/#g-ta"
        ]
    );

    // Browse pages too: three centers in 広島市, two pages; the count is
    // the whole list's.
    assert_eq!(
        card_names(&files, "areas/広島市/page/2/index.html"),
        ["かえで相談室"]
    );
    let area = std::str::from_utf8(&files["areas/広島市/index.html"]).unwrap();
    assert!(area.contains("<p class=\"list-count\">3件</p>"), "{area}");
    assert!(area.contains("3件中 1〜2件目"), "{area}");

    // Every page is in the sitemap, and every link of every page resolves.
    let sitemap = std::str::from_utf8(&files["sitemap.xml"]).unwrap();
    assert!(sitemap.contains("<loc>https://portal.example.jp/centers/page/3/</loc>"));
    let links = Selector::parse("a[href^='/']").unwrap();
    for (page, doc) in html_files(&files) {
        for a in doc.select(&links) {
            let href = a.value().attr("href").unwrap();
            assert!(
                target_exists(&files, href),
                "{page}: {href} does not resolve"
            );
        }
    }
}

#[test]
fn other_names_and_notes_are_searchable() {
    // 名称_通称 from an imported list becomes `aliases`, 備考 `notes`; the
    // page shows both, so a family typing either finds the place.
    let tmp = tempfile::tempdir().unwrap();
    let portal = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &portal);
    std::fs::write(
        portal.join("content/cafeterias/yobina.md"),
        "---\nname: 地域交流食堂\nkana: ちいきこうりゅうしょくどう\nverified: 2026-10-01\naliases: [もぐもぐテラス]\nnotes: 駐輪場はさくら公園の北側です\n---\n",
    )
    .unwrap();
    let out = tmp.path().join("public");
    assert_ok(&build(&portal, &out, &[]));
    for query in ["もぐもぐテラス", "さくら公園"] {
        let o = tsunagu(&[
            "search",
            "--json",
            "--root",
            portal.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            query,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let hits: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(
            hits.first().map(|h| h["slug"].clone()),
            Some("yobina".into()),
            "{query}: {hits:?}"
        );
    }
}
