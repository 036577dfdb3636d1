//! End-to-end behaviour of the index on a small fixture site
//! (`tests/fixtures/docs.json`): build the bundle, open it, query it.

use std::sync::OnceLock;

use tsunagu_search::{
    build_bundle, build_bundles, normalize, Bundles, Index, PastEvents, Query, SearchDoc,
    SearchError, Synonyms,
};

/// 2025-06-15, between the fixture's past and upcoming events.
const NOW: i64 = 1_750_000_000;

fn fixture() -> (Vec<SearchDoc>, Synonyms) {
    let docs = serde_json::from_str(include_str!("fixtures/docs.json")).expect("docs.json");
    let synonyms =
        serde_json::from_str(include_str!("fixtures/synonyms.json")).expect("synonyms.json");
    (docs, synonyms)
}

fn bundle() -> &'static [u8] {
    static BUNDLE: OnceLock<Vec<u8>> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let (docs, synonyms) = fixture();
        build_bundle(&docs, &synonyms).expect("build")
    })
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| Index::open(bundle().to_vec()).expect("open"))
}

fn query(text: &str) -> Query {
    Query {
        text: text.to_owned(),
        ..Query::default()
    }
}

fn slugs(q: &Query) -> Vec<String> {
    let results = index().search(q).expect("search");
    results.hits.into_iter().map(|h| h.slug).collect()
}

fn finds(text: &str, slug: &str) -> bool {
    slugs(&query(text)).iter().any(|s| s == slug)
}

// ---------------------------------------------------------------- analysis

#[test]
fn full_width_and_half_width_fold() {
    assert_eq!(normalize("ＡＢＣ"), "abc");
    assert_eq!(normalize("ｶﾀｶﾅ"), "かたかな");
    // The name is written ＮＰＯ法人ひだまり (full-width).
    assert!(finds("NPO", "hidamari"));
    assert!(finds("npo法人", "hidamari"));
    // The name is written in half-width katakana ｶﾌｪ ｺﾓﾚﾋﾞ.
    assert!(finds("カフェ", "cafe-komorebi"));
    assert!(finds("こもれび", "cafe-komorebi"));
}

#[test]
fn katakana_and_hiragana_find_each_other() {
    // Hiragana text, katakana query.
    assert!(finds("ヒダマリ", "hidamari"));
    // Katakana text (フリースペース), hiragana query.
    assert!(finds("ふりーすぺーす", "hidamari"));
}

#[test]
fn latin_is_case_insensitive() {
    assert!(finds("ONLINE", "hidamari"));
    assert!(finds("Meetings", "hidamari"));
}

#[test]
fn any_two_character_fragment_is_found() {
    let name = "広島ひきこもり相談支援センター";
    let chars: Vec<char> = name.chars().collect();
    for pair in chars.windows(2) {
        let fragment: String = pair.iter().collect();
        assert!(
            finds(&fragment, "hiroshima-hikikomori-center"),
            "fragment {fragment}"
        );
    }
}

#[test]
fn single_character_query_works() {
    assert!(finds("呉", "kenko-fukushi-center"));
    // The last character of a run (only an end-of-run unigram starts with it).
    assert!(finds("堂", "asa-kodomo-shokudo"));
    assert!(finds("つ", "oya-no-kai-tsubasa"));
}

#[test]
fn kana_reading_finds_kanji_name() {
    assert!(finds("そうだん", "hiroshima-hikikomori-center"));
    assert!(finds("くれし", "kenko-fukushi-center"));
}

#[test]
fn synonyms_expand() {
    // The center only says ひきこもり.
    assert!(finds("引きこもり", "hiroshima-hikikomori-center"));
    assert!(finds("引き籠もり", "hiroshima-hikikomori-center"));
    // The family group only says 引きこもり.
    assert!(finds("ひきこもり", "oya-no-kai-tsubasa"));
    // The cafeteria says 子ども食堂.
    assert!(finds("こども食堂", "asa-kodomo-shokudo"));
    assert!(finds("子供食堂", "asa-kodomo-shokudo"));
    // Inside a longer word too.
    assert!(finds("引きこもり相談", "hiroshima-hikikomori-center"));
}

#[test]
fn fragments_match_across_joining_marks_only() {
    // 「・」 joins (本人・家族 analyses as 本人家族, so 人家 matches: the
    // price of finding ソーシャル・ワーカー typed without the dot); 「。」
    // and 「、」 separate (see recall.rs).
    assert!(finds("人家", "hiroshima-hikikomori-center"));
}

// ----------------------------------------------------------------- queries

#[test]
fn name_match_ranks_above_body_match() {
    // 居場所 is in the name of wakamono-ibasho, only in the body of
    // kenko-fukushi-center.
    let found = slugs(&query("居場所"));
    let name = found.iter().position(|s| s == "wakamono-ibasho");
    let body = found.iter().position(|s| s == "kenko-fukushi-center");
    assert!(
        matches!((name, body), (Some(a), Some(b)) if a < b),
        "{found:?}"
    );
}

#[test]
fn all_words_must_match() {
    let found = slugs(&query("ひきこもり 電話"));
    assert!(found.contains(&"hiroshima-hikikomori-center".to_owned()));
    // Matches ひきこもり but not 電話.
    assert!(!found.contains(&"oya-no-kai-tsubasa".to_owned()));
    // Full-width space separates words too.
    assert_eq!(slugs(&query("ひきこもり\u{3000}電話")), found);
    let results = index().search(&query("ひきこもり 電話")).expect("search");
    assert!(!results.partial);
}

#[test]
fn falls_back_to_any_word_and_says_so() {
    let results = index().search(&query("食堂 宇宙船")).expect("search");
    assert!(results.partial);
    assert!(results.hits.iter().any(|h| h.slug == "asa-kodomo-shokudo"));
    // A single unknown word is simply not found.
    let results = index().search(&query("宇宙船")).expect("search");
    assert!(!results.partial);
    assert_eq!(results.total, 0);
}

#[test]
fn summary_is_highlighted_and_escaped() {
    let results = index().search(&query("相談")).expect("search");
    let center = results
        .hits
        .iter()
        .find(|h| h.slug == "hiroshima-hikikomori-center")
        .expect("center found");
    assert!(
        center.summary_highlighted.contains("<mark>相談</mark>"),
        "{}",
        center.summary_highlighted
    );
    assert!(center.name_highlighted.contains("<mark>相談</mark>"));
    assert_eq!(center.url, "centers/hiroshima-hikikomori-center/");
}

#[test]
fn page_without_summary_shows_the_start_of_its_body() {
    let results = index().search(&query("掲載情報")).expect("search");
    let page = results.hits.first().expect("page found");
    assert_eq!(page.slug, "about");
    assert!(page.summary.starts_with("このサイトは"));
    assert!(page.summary_highlighted.contains("<mark>掲載情報</mark>"));
}

// ----------------------------------------------------- filters and facets

#[test]
fn area_filter_includes_sub_areas_and_counts_every_level() {
    let q = Query {
        area: Some("広島市".into()),
        ..query("")
    };
    let results = index().search(&q).expect("search");
    let found: Vec<&str> = results.hits.iter().map(|h| h.slug.as_str()).collect();
    assert!(found.contains(&"hiroshima-hikikomori-center")); // 広島市/中区
    assert!(found.contains(&"oya-no-kai-tsubasa")); // 広島市/安芸区
    assert!(!found.contains(&"kenko-fukushi-center")); // 呉市
    assert!(results
        .hits
        .iter()
        .all(|h| h.area.as_deref().is_some_and(|a| a.starts_with("広島市"))));

    let area = &results.facets.area;
    // Counted without the area filter itself, at every level.
    assert_eq!(area.get("広島市"), Some(&6));
    assert_eq!(area.get("広島市/中区"), Some(&3));
    assert_eq!(area.get("広島市/安芸区"), Some(&2));
    // The 2023 seminar counts too: no `now` was given.
    assert_eq!(area.get("呉市"), Some(&2));
}

#[test]
fn filters_combine_and_other_dimensions_are_counted_with_them() {
    let q = Query {
        kind: Some("center".into()),
        free: Some(true),
        ..query("")
    };
    let results = index().search(&q).expect("search");
    let mut found: Vec<&str> = results.hits.iter().map(|h| h.slug.as_str()).collect();
    found.sort_unstable();
    assert_eq!(
        found,
        ["hiroshima-hikikomori-center", "kenko-fukushi-center"]
    );
    assert_eq!(results.total, 2);
    // Kind counts ignore the kind filter but respect free=true.
    assert_eq!(results.facets.kind.get("center"), Some(&2));
    assert_eq!(results.facets.kind.get("cafeteria"), Some(&1));
    assert_eq!(results.facets.kind.get("organization"), Some(&1));
    // Method counts respect both filters.
    assert_eq!(results.facets.method.get("訪問"), Some(&1));
    assert_eq!(results.facets.method.get("電話"), Some(&2));
    // Free counts ignore the free filter.
    assert_eq!(results.facets.free.get("true"), Some(&2));
    assert_eq!(results.facets.free.get("false"), None);
}

#[test]
fn area_facets_nest_at_any_depth_and_values_may_contain_slashes() {
    let doc = |slug: &str, area: &str, category: &str| SearchDoc {
        slug: slug.into(),
        kind: "center".into(),
        name: format!("相談窓口 {slug}"),
        url: format!("centers/{slug}/"),
        area: Some(area.into()),
        categories: vec![category.into()],
        ..SearchDoc::default()
    };
    let docs = [
        doc("a", "広島県/広島市/中区", "就労/学び"),
        doc("b", "広島県/広島市/南区", "就労"),
        doc("c", "広島県/呉市", "就労/学び"),
        doc("d", " 山口県 / 岩国市 ", "居場所"),
        doc("e", "広島県", "居場所"),
    ];
    let index =
        Index::open(build_bundle(&docs, &Synonyms::default()).expect("build")).expect("open");
    let search = |area: Option<&str>, category: Option<&str>| {
        index
            .search(&Query {
                area: area.map(Into::into),
                category: category.map(Into::into),
                ..query("")
            })
            .expect("search")
    };
    let slugs_of = |r: &tsunagu_search::SearchResults| {
        let mut s: Vec<String> = r.hits.iter().map(|h| h.slug.clone()).collect();
        s.sort_unstable();
        s
    };

    // Every level is counted once per document, with its ancestors.
    let all = search(None, None);
    let area = &all.facets.area;
    assert_eq!(area.get("広島県"), Some(&4));
    assert_eq!(area.get("広島県/広島市"), Some(&2));
    assert_eq!(area.get("広島県/広島市/中区"), Some(&1));
    assert_eq!(area.get("広島県/呉市"), Some(&1));
    assert_eq!(area.get("山口県/岩国市"), Some(&1));
    assert_eq!(area.len(), 7, "{area:?}");
    // A value with a slash is one value, not a hierarchy.
    assert_eq!(all.facets.category.get("就労/学び"), Some(&2));
    assert_eq!(all.facets.category.get("就労"), Some(&1));

    // A filter at any level includes everything below it.
    assert_eq!(
        slugs_of(&search(Some("広島県"), None)),
        ["a", "b", "c", "e"]
    );
    assert_eq!(slugs_of(&search(Some("広島県/広島市"), None)), ["a", "b"]);
    assert_eq!(slugs_of(&search(Some(" 山口県/岩国市/ "), None)), ["d"]);
    assert!(search(Some("広島市"), None).hits.is_empty());
    // The category `就労` does not include `就労/学び`.
    assert_eq!(slugs_of(&search(None, Some("就労"))), ["b"]);
    assert_eq!(slugs_of(&search(None, Some("就労/学び"))), ["a", "c"]);

    // Disjunctive: the area counts ignore the area filter, the category
    // counts follow it, and the other way round.
    let both = search(Some("広島県/広島市"), Some("就労/学び"));
    assert_eq!(slugs_of(&both), ["a"]);
    assert_eq!(both.facets.area.get("広島県"), Some(&2));
    assert_eq!(both.facets.area.get("広島県/呉市"), Some(&1));
    assert_eq!(both.facets.area.get("広島県/広島市/南区"), None);
    assert_eq!(both.facets.category.get("就労/学び"), Some(&1));
    assert_eq!(both.facets.category.get("就労"), Some(&1));
    assert_eq!(both.facets.category.get("居場所"), None);
    assert_eq!(both.facets.kind.get("center"), Some(&1));
}

#[test]
fn facet_counts_follow_the_text_query() {
    let results = index().search(&query("食堂")).expect("search");
    assert_eq!(results.facets.kind.get("cafeteria"), Some(&1));
    assert_eq!(results.facets.kind.get("center"), None);
    assert_eq!(results.facets.category.get("食事"), Some(&1));
}

#[test]
fn audience_method_and_anonymous_filters() {
    let q = Query {
        audience: Some("本人".into()),
        method: Some("オンライン".into()),
        ..query("")
    };
    let mut found = slugs(&q);
    found.sort_unstable();
    assert_eq!(found, ["hidamari", "online-soudankai"]);
    let q = Query {
        anonymous: Some(true),
        ..query("相談")
    };
    let mut found = slugs(&q);
    found.sort_unstable();
    assert_eq!(found, ["hiroshima-hikikomori-center", "online-soudankai"]);
}

#[test]
fn past_events_come_last_and_are_marked() {
    let q = Query {
        kind: Some("event".into()),
        now: Some(NOW),
        ..query("")
    };
    // Ongoing first (starts earlier), then upcoming, then the 2023
    // seminar, which is over.
    assert_eq!(
        slugs(&q),
        ["ongoing-exhibition", "online-soudankai", "seminar-2023"]
    );
    let results = index().search(&q).expect("search");
    let past: Vec<(&str, bool)> = results
        .hits
        .iter()
        .map(|h| (h.slug.as_str(), h.past))
        .collect();
    assert_eq!(
        past,
        [
            ("ongoing-exhibition", false),
            ("online-soudankai", false),
            ("seminar-2023", true)
        ]
    );
    // Text search finds the past event, below every place that matches,
    // and counts it.
    let q = Query {
        now: Some(NOW),
        ..query("ひきこもり")
    };
    let results = index().search(&q).expect("search");
    let found: Vec<&str> = results.hits.iter().map(|h| h.slug.as_str()).collect();
    assert_eq!(found.last(), Some(&"seminar-2023"), "{found:?}");
    assert!(found.len() > 1, "{found:?}");
    assert!(results
        .hits
        .iter()
        .all(|h| h.past == (h.slug == "seminar-2023")));
    let events = results.hits.iter().filter(|h| h.kind == "event").count() as u64;
    assert_eq!(results.facets.kind.get("event"), Some(&events));
    assert!(finds("セミナー", "seminar-2023"));
    // Without a clock nothing is past.
    assert!(index()
        .search(&query("ひきこもり"))
        .expect("search")
        .hits
        .iter()
        .all(|h| !h.past));
}

#[test]
fn past_events_alone_or_left_out_on_request() {
    let only = Query {
        now: Some(NOW),
        past_events: PastEvents::Only,
        ..query("")
    };
    assert_eq!(slugs(&only), ["seminar-2023"]);
    let exclude = Query {
        now: Some(NOW),
        past_events: PastEvents::Exclude,
        ..query("ひきこもり")
    };
    let results = index().search(&exclude).expect("search");
    assert!(!results.hits.iter().any(|h| h.slug == "seminar-2023"));
    let with_past = index()
        .search(&Query {
            past_events: PastEvents::Last,
            ..exclude.clone()
        })
        .expect("search");
    let count = |r: &tsunagu_search::SearchResults| r.facets.kind.get("event").copied();
    assert_eq!(count(&results).map(|n| n + 1), count(&with_past));
    // The JSON spelling search.js and the CLI's --json use.
    let q: Query = serde_json::from_str(r#"{"past_events":"only"}"#).expect("json");
    assert_eq!(q.past_events, PastEvents::Only);
}

#[test]
fn browse_with_empty_query_orders_by_reading() {
    let q = Query {
        kind: Some("center".into()),
        ..query("  ")
    };
    // くれし… before ひろしま…
    assert_eq!(
        slugs(&q),
        ["kenko-fukushi-center", "hiroshima-hikikomori-center"]
    );
    let everything = index().search(&query("")).expect("search");
    assert_eq!(everything.total, 11);
    assert_eq!(everything.facets.kind.get("event"), Some(&3));
}

#[test]
fn paging() {
    let first = index()
        .search(&Query {
            limit: 4,
            ..query("")
        })
        .expect("search");
    let second = index()
        .search(&Query {
            limit: 4,
            offset: 4,
            ..query("")
        })
        .expect("search");
    assert_eq!(first.hits.len(), 4);
    assert_eq!(second.hits.len(), 4);
    assert_eq!(first.total, 11);
    assert!(first
        .hits
        .iter()
        .all(|a| second.hits.iter().all(|b| a.slug != b.slug)));
    let beyond = index()
        .search(&Query {
            offset: usize::MAX,
            limit: usize::MAX,
            ..query("相談")
        })
        .expect("search");
    assert!(beyond.hits.is_empty());
}

#[test]
fn odd_queries_do_not_fail() {
    for text in [
        "！？",
        "・",
        "\u{0}",
        "a",
        "ー",
        "\u{FE0F}",
        "ｶﾞ",
        "<script>",
        "\"相談\"",
        "相談 OR 支援",
        "*",
        &"相".repeat(10_000),
        &"あ い ".repeat(1000),
    ] {
        index().search(&query(text)).expect(text);
    }
    let q = Query {
        area: Some("///".into()),
        category: Some(String::new()),
        ..query("")
    };
    assert_eq!(index().search(&q).expect("search").total, 11);
}

#[test]
fn query_json_fields_are_all_optional() {
    let q: Query = serde_json::from_str(r#"{"text":"相談","kind":"center"}"#).expect("json");
    assert_eq!(q.limit, 0);
    let results = index().search(&q).expect("search");
    assert_eq!(results.total, 2);
    let json = serde_json::to_value(&results).expect("serialize");
    assert!(json["facets"]["kind"]["center"].is_u64());
}

// ----------------------------------------------------------------- bundle

#[test]
fn rebuilding_gives_identical_bytes_whatever_the_input_order() {
    let (mut docs, synonyms) = fixture();
    let again = build_bundle(&docs, &synonyms).expect("build");
    assert_eq!(bundle(), again.as_slice());
    docs.reverse();
    let reversed = build_bundle(&docs, &synonyms).expect("build");
    assert_eq!(bundle(), reversed.as_slice());
}

#[test]
fn bad_bundles_are_errors_not_panics() {
    assert!(matches!(
        Index::open(Vec::new()),
        Err(SearchError::NotABundle)
    ));
    assert!(matches!(
        Index::open(b"<!DOCTYPE html><html>404</html>".to_vec()),
        Err(SearchError::NotABundle)
    ));
    let good = bundle();
    for len in [16, 20, 100, good.len() / 2, good.len() - 1] {
        assert!(
            Index::open(good[..len].to_vec()).is_err(),
            "truncated at {len}"
        );
    }
    for at in (8..good.len()).step_by(97) {
        let mut bad = good.to_vec();
        bad[at] ^= 0xA5;
        assert!(Index::open(bad).is_err(), "byte {at} flipped");
    }
    let mut newer = good.to_vec();
    newer[8] = 99;
    assert!(matches!(
        Index::open(newer),
        Err(SearchError::UnsupportedVersion { found: 99, .. })
    ));
}

#[test]
fn inconsistent_content_with_a_valid_checksum_is_an_error_not_a_panic() {
    // Flip bits inside the tantivy files and fix up the checksum, so the
    // damage reaches tantivy's decoders (a download error cannot do this:
    // the checksum catches it).
    let good = bundle();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..400 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut bad = good.to_vec();
        let at = 20 + (seed as usize) % (bad.len() - 20);
        bad[at] ^= 1 << (i % 8);
        let crc = crc32fast::hash(&bad[16..]);
        bad[12..16].copy_from_slice(&crc.to_le_bytes());
        if let Ok(index) = Index::open(bad) {
            for text in ["相談", "", "ひきこもり 家族", "呉"] {
                let q = Query {
                    area: Some("広島市".into()),
                    ..query(text)
                };
                let _ = index.search(&q);
            }
        }
    }
}

#[test]
fn invalid_documents_are_refused() {
    let doc = SearchDoc {
        slug: "a".into(),
        kind: "page".into(),
        ..SearchDoc::default()
    };
    let twice = [doc.clone(), doc.clone()];
    assert!(matches!(
        build_bundle(&twice, &Synonyms::default()),
        Err(SearchError::InvalidDoc { .. })
    ));
    let unnamed = SearchDoc {
        slug: " ".into(),
        ..doc
    };
    assert!(build_bundle(&[unnamed], &Synonyms::default()).is_err());
}

#[test]
fn empty_site_builds_and_searches() {
    let bundle = build_bundle(&[], &Synonyms::default()).expect("build");
    let index = Index::open(bundle).expect("open");
    let results = index.search(&query("相談")).expect("search");
    assert_eq!(results.total, 0);
    assert_eq!(index.search(&query("")).expect("browse").total, 0);
}

// ------------------------------------------------------------------ tiers

fn tiers() -> &'static Bundles {
    static TIERS: OnceLock<Bundles> = OnceLock::new();
    TIERS.get_or_init(|| {
        let (docs, synonyms) = fixture();
        build_bundles(&docs, &synonyms).expect("build")
    })
}

fn slugs_in(index: &Index, q: &Query) -> Vec<String> {
    let results = index.search(q).expect("search");
    results.hits.into_iter().map(|h| h.slug).collect()
}

#[test]
fn tier_one_alone_searches_everything_but_the_body() {
    let index = Index::open(tiers().index.clone()).expect("open");
    assert!(!index.has_body());
    // In the name, reading, summary, categories and keywords.
    let found = slugs_in(&index, &query("居場所"));
    assert!(found.contains(&"wakamono-ibasho".to_owned()), "{found:?}");
    assert!(
        slugs_in(&index, &query("そうだん")).contains(&"hiroshima-hikikomori-center".to_owned())
    );
    assert!(
        slugs_in(&index, &query("社会参加")).contains(&"hiroshima-hikikomori-center".to_owned())
    );
    // Only in the body of kenko-fukushi-center.
    assert!(
        !found.contains(&"kenko-fukushi-center".to_owned()),
        "{found:?}"
    );
    assert!(slugs_in(&index, &query("保健師")).is_empty());
    // Filters, counts and browsing need no body.
    let browse = index.search(&query("")).expect("browse");
    assert_eq!(browse.total, 11);
    assert_eq!(browse.facets.kind.get("event"), Some(&3));
}

#[test]
fn adding_the_body_gives_the_results_of_the_whole_index() {
    let mut index = Index::open(tiers().index.clone()).expect("open");
    index.add_body(tiers().body.clone()).expect("add body");
    assert!(index.has_body());
    for text in [
        "居場所",
        "保健師",
        "相談",
        "ひきこもり 秘密",
        "呉",
        "掲載情報",
        "食堂 宇宙船",
        "a",
    ] {
        let q = Query {
            now: Some(NOW),
            ..query(text)
        };
        let tiered = index.search(&q).expect("search");
        let whole = super_index().search(&q).expect("search");
        assert_eq!(tiered, whole, "{text}");
    }
    let both = Index::open_tiers(tiers().index.clone(), tiers().body.clone()).expect("open");
    assert_eq!(slugs_in(&both, &query("保健師")), ["kenko-fukushi-center"]);
}

/// The fixture as one bundle with both tiers (the other tests' index).
fn super_index() -> &'static Index {
    index()
}

#[test]
fn words_may_match_in_different_tiers() {
    // ひきこもり is in the center's name, 秘密 only in its body.
    assert_eq!(
        slugs(&query("ひきこもり 秘密")),
        ["hiroshima-hikikomori-center"]
    );
    let results = index().search(&query("ひきこもり 秘密")).expect("search");
    assert!(!results.partial);
    let tier_one = Index::open(tiers().index.clone()).expect("open");
    let results = tier_one.search(&query("ひきこもり 秘密")).expect("search");
    assert!(results.partial, "without the body only ひきこもり matches");
}

#[test]
fn body_words_match_as_all_their_bigrams() {
    // No positions in the body: 地域の居場所 matches as its bigrams, in
    // order or not; a word split by punctuation still does not match.
    assert!(finds("居場所の紹介", "kenko-fukushi-center"));
    assert!(finds("保健師が", "kenko-fukushi-center"));
    // A trailing lone character is a prefix there too.
    assert!(finds("保健師が対", "kenko-fukushi-center"));
    assert!(!finds("保健師が窓口", "kenko-fukushi-center"));
}

#[test]
fn a_body_of_another_build_or_a_wrong_file_is_refused() {
    let (mut docs, synonyms) = fixture();
    docs.pop();
    let other = build_bundles(&docs, &synonyms).expect("build");
    let mut index = Index::open(tiers().index.clone()).expect("open");
    let error = index.add_body(other.body).expect_err("other build");
    assert!(error.to_string().contains("another build"), "{error}");
    let error = index
        .add_body(tiers().index.clone())
        .expect_err("not a body");
    assert!(error.to_string().contains("index-body.bin"), "{error}");
    assert!(index.add_body(b"<!DOCTYPE html>".to_vec()).is_err());
    let mut truncated = tiers().body.clone();
    truncated.truncate(truncated.len() - 3);
    assert!(index.add_body(truncated).is_err());
    // The index keeps working without the body.
    assert!(!index.has_body());
    assert!(slugs_in(&index, &query("居場所")).contains(&"wakamono-ibasho".to_owned()));
    // The body tier is not an index by itself.
    let error = Index::open(tiers().body.clone()).expect_err("body alone");
    assert!(error.to_string().contains("index-body.bin"), "{error}");
}

#[test]
fn both_tiers_are_identical_whatever_the_input_order() {
    let (mut docs, synonyms) = fixture();
    docs.reverse();
    assert_eq!(&build_bundles(&docs, &synonyms).expect("build"), tiers());
}
