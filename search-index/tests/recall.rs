//! Recall: what a family reads on an entry page or types from a leaflet
//! finds the entry: place names in short forms, texts beside the body
//! (access, venue, fees, …), names with tildes, dashes and middle dots
//! typed any way.

use tsunagu_search::{build_bundle, Index, Query, SearchDoc, Synonyms};

fn doc(slug: &str, name: &str) -> SearchDoc {
    SearchDoc {
        slug: slug.into(),
        kind: "center".into(),
        name: name.into(),
        url: format!("centers/{slug}/"),
        ..SearchDoc::default()
    }
}

fn open(docs: &[SearchDoc]) -> Index {
    Index::open(build_bundle(docs, &Synonyms::default()).expect("build")).expect("open")
}

fn slugs(index: &Index, text: &str) -> Vec<String> {
    let q = Query {
        text: text.into(),
        ..Query::default()
    };
    let mut found: Vec<String> = index
        .search(&q)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.slug)
        .collect();
    found.sort_unstable();
    found
}

fn places() -> Index {
    open(&[
        SearchDoc {
            area: Some("東京都/世田谷区".into()),
            places: vec!["東京都世田谷区三軒茶屋2丁目".into()],
            ..doc("setagaya", "せたがや相談室")
        },
        SearchDoc {
            kind: "organization".into(),
            area: Some("広島市/安芸区".into()),
            places: vec!["広島県広島市安芸区船越南3丁目".into()],
            ..doc("aki-kazokukai", "家族会あき")
        },
        SearchDoc {
            kind: "cafeteria".into(),
            area: Some("名張市".into()),
            ..doc("nabari", "みんなの食堂")
        },
        SearchDoc {
            kind: "cafeteria".into(),
            area: Some("呉市".into()),
            ..doc("kure", "くれの食堂")
        },
        SearchDoc {
            kind: "page".into(),
            body: "名張市の方もご利用ください".into(),
            ..doc("about", "このサイトについて")
        },
    ])
}

#[test]
fn prefectures_cities_and_wards_are_found_in_short_forms() {
    let index = places();
    assert_eq!(slugs(&index, "東京"), ["setagaya"]);
    assert_eq!(slugs(&index, "東京都"), ["setagaya"]);
    assert_eq!(slugs(&index, "世田谷"), ["setagaya"]);
    assert_eq!(slugs(&index, "広島"), ["aki-kazokukai"]);
    assert_eq!(slugs(&index, "広島県"), ["aki-kazokukai"]);
    assert_eq!(slugs(&index, "安芸区"), ["aki-kazokukai"]);
    assert_eq!(slugs(&index, "名張"), ["about", "nabari"]);
}

#[test]
fn a_place_name_combines_with_other_words() {
    let index = places();
    assert_eq!(slugs(&index, "名張市 食堂"), ["nabari"]);
    assert_eq!(slugs(&index, "家族会 広島"), ["aki-kazokukai"]);
    assert_eq!(slugs(&index, "安芸区 家族会"), ["aki-kazokukai"]);
    // A place matches as a phrase, not as scattered characters.
    assert!(slugs(&index, "安芸世田谷").is_empty());
}

#[test]
fn texts_beside_the_body_are_searched() {
    let index = open(&[
        SearchDoc {
            details: vec![
                "JR海田市駅から徒歩5分".into(),
                "初回は予約が必要です".into(),
                "つなぐネットワーク".into(),
            ],
            ..doc("station", "相談室A")
        },
        doc("other", "相談室B"),
    ]);
    assert_eq!(slugs(&index, "海田市駅"), ["station"]);
    assert_eq!(slugs(&index, "予約"), ["station"]);
    assert_eq!(slugs(&index, "つなぐネットワーク 相談室"), ["station"]);
    // A detail counts less than the name.
    let q = Query {
        text: "相談室".into(),
        ..Query::default()
    };
    assert_eq!(index.search(&q).expect("search").total, 2);
}

#[test]
fn names_with_tildes_dashes_and_dots_are_found_typed_any_way() {
    let index = open(&[
        doc("tilde", "ひきこもり～家族のつどい"),
        doc("dot", "ソーシャル・ワーカー相談"),
        doc("space", "子ども 食堂 ひまわり"),
        doc("plain", "就労支援センター"),
    ]);
    for typed in [
        "ひきこもり～家族のつどい",
        "ひきこもり〜家族のつどい",
        "ひきこもり~家族のつどい",
        "ひきこもり家族のつどい",
        "ひきこもりー家族",
        "ヒキコモリ〜家族",
        "ﾋｷｺﾓﾘ家族",
    ] {
        assert_eq!(slugs(&index, typed), ["tilde"], "{typed}");
    }
    for typed in [
        "ソーシャルワーカー",
        "ソーシャル・ワーカー",
        "ソーシャルワーカ",
        "ｿｰｼｬﾙﾜｰｶｰ",
    ] {
        assert_eq!(slugs(&index, typed), ["dot"], "{typed}");
    }
    assert_eq!(slugs(&index, "子ども食堂"), ["space"]);
    assert_eq!(slugs(&index, "食堂ひまわり"), ["space"]);
    assert_eq!(slugs(&index, "就労支援センタ"), ["plain"]);
}

#[test]
fn a_folded_name_is_highlighted_across_its_mark() {
    let index = open(&[doc("tilde", "ひきこもり～家族のつどい")]);
    let q = Query {
        text: "ひきこもり家族".into(),
        ..Query::default()
    };
    let hit = &index.search(&q).expect("search").hits[0];
    assert_eq!(
        hit.name_highlighted,
        "<mark>ひきこもり～家族</mark>のつどい"
    );
}

#[test]
fn a_hit_carries_phone_and_hours_for_the_list() {
    let hours = r#"{"tz":"Asia/Tokyo","status":"open","rules":[]}"#;
    let index = open(&[SearchDoc {
        phone: Some("082-555-0101".into()),
        tel: Some("tel:+81825550101".into()),
        hours: Some(hours.into()),
        area: Some("広島市/安芸区".into()),
        ..doc("with-phone", "相談室")
    }]);
    let q = Query {
        text: "相談室".into(),
        ..Query::default()
    };
    let hit = &index.search(&q).expect("search").hits[0];
    assert_eq!(hit.phone.as_deref(), Some("082-555-0101"));
    assert_eq!(hit.tel.as_deref(), Some("tel:+81825550101"));
    assert_eq!(hit.hours.as_deref(), Some(hours));
    assert_eq!(hit.area.as_deref(), Some("広島市/安芸区"));
}

#[test]
fn sentence_punctuation_still_separates() {
    let index = open(&[SearchDoc {
        summary: "相談できます。家族の方も、どうぞ。".into(),
        ..doc("sentences", "窓口")
    }]);
    assert!(slugs(&index, "ます家族").is_empty());
    assert!(slugs(&index, "方もど").is_empty());
    assert_eq!(slugs(&index, "家族の方も"), ["sentences"]);
}
