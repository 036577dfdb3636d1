//! Render tests: a small site built in code.

use super::*;
use crate::config::SiteConfig;
use crate::model::{Entry, EntryFields, Kind, Slug};
use std::path::Path;

const CSP: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'\">";

fn config(base_url: &str) -> SiteConfig {
    let toml = format!(
        r#"
title = "テスト支援ポータル"
base_url = "{base_url}"
report_email = "portal@example.jp"
quick_exit_url = "https://weather.example.jp/"
description = "テスト用のポータルです。"

[vocabulary]
categories = ["ひきこもり", "居場所", "食"]
audience = ["本人", "家族", "支援者", "誰でも"]
methods = ["電話", "来所", "オンライン"]
areas = ["広島市/中区", "広島市/東区", "廿日市市"]

[[hotlines]]
name = "よりそいホットライン"
phone = "0120-279-338"
hours = "24時間"

[[hotlines]]
name = "いのちの電話"
phone = "0120-783-556"
hours = "毎日16時〜21時"
"#
    );
    toml::from_str(&toml).expect("test config")
}

fn entry(kind: Kind, slug: &str, yaml: &str, body: &str) -> Entry {
    let fields: EntryFields = serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{slug}: {e}"));
    Entry {
        kind,
        slug: Slug::parse(slug).unwrap(),
        source: format!("content/{}/{slug}.md", kind.folder()).into(),
        fields,
        body: body.to_string(),
    }
}

fn entries() -> Vec<Entry> {
    vec![
        entry(
            Kind::Center,
            "chubu-center",
            r#"
name: 広島ひきこもり相談支援センター(中部)
kana: ひろしまひきこもりそうだんしえんせんたーちゅうぶ
summary: ご本人やご家族の相談を、電話・来所で受けています。
categories: [ひきこもり]
audience: [本人, 家族]
methods: [電話, 来所]
area: 広島市/中区
address: 広島県広島市中区八丁堀1-1
geo: {lat: 34.3948, lon: 132.4635}
access: 電停「八丁堀」から徒歩3分
phone: ["082-555-0101", "0120-555-010"]
email: chubu@example.jp
website: https://chubu.example.jp/
free: true
anonymous: true
hours:
  - {days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00"}
  - {weekday: sat, nth: 2, open: "10:00", close: "12:00", note: 家族相談の日}
hours_note: 祝日・年末年始は休み
min_age: 15
languages: [日本語, やさしい日本語]
operator: foot-and-work
verified: 2024-01-10
"#,
            "## 相談のながれ\n\nまずはお電話ください。<script>alert('x')</script>\n\n[危ない](javascript:alert(1))と[安全](https://example.jp/)\n",
        ),
        entry(
            Kind::Center,
            "higashi-closed",
            r#"
name: 東区の閉鎖した窓口
kana: ひがしくのへいさしたまどぐち
area: 広島市/東区
categories: [ひきこもり]
status: closed
verified: 2026-10-01
"#,
            "",
        ),
        entry(
            Kind::Cafeteria,
            "higashi-shokudo",
            r#"
name: ひがし みんな食堂
kana: ひがしみんなしょくどう
summary: 東区の地域食堂。
categories: [食, 居場所]
audience: [誰でも]
area: 広島市/東区
phone: 082-555-0202
status: paused
operator: foot-and-work
verified: 2026-10-20
"#,
            "どなたでもどうぞ。",
        ),
        entry(
            Kind::Cafeteria,
            "hatsukaichi-ibasho",
            r#"
name: 廿日市の居場所カフェ
kana: はつかいちのいばしょかふぇ
categories: [居場所]
audience: [本人]
area: 廿日市市
verified: 2026-11-01
"#,
            "",
        ),
        entry(
            Kind::Organization,
            "foot-and-work",
            r#"
name: 特定非営利活動法人 FOOT&WORK
kana: ふっとあんどわーく
summary: 安芸地区で居場所づくりに取り組むNPO法人です。
categories: [ひきこもり, 居場所]
audience: [本人, 家族, 支援者]
area: 広島市/中区
phone: 082-555-0821
verified: 2026-10-02
"#,
            "活動の紹介です。",
        ),
        entry(
            Kind::Event,
            "forum-2026",
            r#"
name: ひきこもり支援フォーラム
kana: ひきこもりしえんふぉーらむ
categories: [ひきこもり]
audience: [支援者, 家族]
area: 広島市/中区
starts: "2026-12-05T13:30"
ends: "2026-12-05T16:30"
place: chubu-center
online: https://live.example.jp/forum
registration: https://example.jp/forum/
capacity: 80
free: true
organizer: foot-and-work
verified: 2026-11-18
"#,
            "講演と交流会です。",
        ),
        entry(
            Kind::Event,
            "old-seminar",
            r#"
name: 家族セミナー(終了)
kana: かぞくせみなー
audience: [家族]
area: 広島市/中区
starts: "2026-03-01T10:00"
ends: "2026-03-01T12:00"
venue: 中区 市民ホール
registration: 電話で前日まで
organizer: foot-and-work
verified: 2026-02-01
"#,
            "",
        ),
        entry(
            Kind::Page,
            "how-to-consult",
            "title: 相談のしかた\nsummary: はじめて相談する方へ。\norder: 1\n",
            "# はじめに\n\n電話でも、来所でも大丈夫です。[^1]\n\n[^1]: 予約が必要な窓口もあります。\n",
        ),
    ]
}

fn site_with(base_url: &str) -> Site {
    let now: jiff::Timestamp = "2026-11-21T03:00:00Z".parse().unwrap();
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(9));
    Site::new(config(base_url), tz, entries(), now)
}

fn site() -> Site {
    site_with("https://portal.example.jp/")
}

fn builtin() -> Theme {
    Theme::resolve(Path::new("/nonexistent-portal-root"), "hiroshima").expect("built-in theme")
}

fn page<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let f = files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        panic!(
            "no {path}; have: {:?}",
            files.iter().map(|f| &f.path).collect::<Vec<_>>()
        )
    });
    std::str::from_utf8(&f.bytes).unwrap()
}

fn render() -> Vec<OutputFile> {
    render_site(&site(), &builtin()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn entry_page_has_contact_hours_notices_and_map() {
    let files = render();
    let html = page(&files, "centers/chubu-center/index.html");
    assert!(html.contains("href=\"tel:0825550101\""), "tel link");
    assert!(html.contains("href=\"tel:0120555010\""), "second tel link");
    assert!(html.contains("月〜金 9:00〜17:00"), "weekly hours");
    assert!(
        html.contains("毎月第2土曜 10:00〜12:00<span class=\"hours-note\">(家族相談の日)</span>"),
        "monthly hours with note"
    );
    assert!(html.contains("祝日・年末年始は休み"), "hours_note");
    assert!(
        html.contains(
            "この情報は2024年1月10日に確認されたものです。最新の情報は直接お問い合わせください"
        ),
        "stale notice"
    );
    assert!(
        html.contains(
            "https://www.openstreetmap.org/?mlat=34.3948&amp;mlon=132.4635#map=17/34.3948/132.4635"
        ),
        "OSM link"
    );
    // Furigana over each kanji run only, hidden from screen readers, which
    // read the plain name once.
    assert!(html.contains(
        "<h1><span class=\"entry-ruby\" aria-hidden=\"true\"><span class=\"ruby-phrase\"><ruby>広島<rp>(</rp><rt>ひろしま</rt><rp>)</rp></ruby>ひきこもり</span><wbr><span class=\"ruby-phrase\"><ruby>相談支援<rp>(</rp><rt>そうだんしえん</rt><rp>)</rp></ruby>センター</span><wbr><span class=\"ruby-phrase\">(<ruby>中部<rp>(</rp><rt>ちゅうぶ</rt><rp>)</rp></ruby>)</span></span><span class=\"visually-hidden\">広島ひきこもり相談支援センター(中部)</span></h1>"
    ), "{html}");
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    assert!(
        html.contains("href=\"https://chubu.example.jp/\" rel=\"noopener noreferrer\""),
        "website"
    );
    assert!(html.contains("href=\"mailto:chubu@example.jp\""), "mail");
    assert!(html.contains("15歳以上"), "ages");
    assert!(
        html.contains("<a href=\"/foot-and-work/\"")
            || html.contains(
                "<a href=\"/organizations/foot-and-work/\">特定非営利活動法人 FOOT&amp;WORK</a>"
            ),
        "operator link"
    );
    // The report link names the entry in its percent-encoded subject.
    let subject = urls::encode_component("情報の誤りの報告: 広島ひきこもり相談支援センター(中部)");
    assert!(
        html.contains(&format!(
            "mailto:portal@example.jp?subject={subject}&amp;body="
        )),
        "report link"
    );
    // Events held here.
    assert!(
        html.contains("ここで開かれるイベント") && html.contains("/events/forum-2026/"),
        "events here"
    );
    // Category links are percent-encoded.
    assert!(html.contains(&format!(
        "href=\"/categories/{}/\"",
        urls::encode_path("ひきこもり")
    )));
    // The fresh entry has no stale notice.
    let fresh = page(&files, "organizations/foot-and-work/index.html");
    assert!(!fresh.contains("notice-stale"));
    assert!(fresh.contains("主催するイベント") && fresh.contains("/events/forum-2026/"));
    assert!(fresh.contains("運営している窓口・居場所") && fresh.contains("/centers/chubu-center/"));
}

#[test]
fn event_page_in_plain_japanese() {
    let files = render();
    let html = page(&files, "events/forum-2026/index.html");
    assert!(html.contains("2026年12月5日(土) 13:30〜16:30"), "{html}");
    assert!(html.contains("datetime=\"2026-12-05T13:30+09:00\""));
    assert!(html.contains("会場でもオンラインでも参加できます"));
    assert!(html
        .contains("<a href=\"/centers/chubu-center/\">広島ひきこもり相談支援センター(中部)</a>"));
    assert!(html.contains("広島県広島市中区八丁堀1-1"), "place address");
    assert!(html.contains("80人"));
    assert!(html.contains("href=\"https://example.jp/forum/\""));
    let old = page(&files, "events/old-seminar/index.html");
    assert!(old.contains("このイベントは終了しました"));
    assert!(old.contains("電話で前日まで"));
    let list = page(&files, "events/index.html");
    // The page's body: the head's description names both parts too.
    let body = &list[list.find("<main").unwrap()..];
    let (upcoming, past) = body.split_once("終わったイベント").unwrap();
    assert!(upcoming.contains("forum-2026") && !upcoming.contains("old-seminar"));
    assert!(past.contains("old-seminar"));
}

#[test]
fn closed_and_paused_in_lists() {
    let files = render();
    let list = page(&files, "centers/index.html");
    assert!(list.contains("chubu-center"));
    assert!(!list.contains("higashi-closed"), "closed entry listed");
    let closed = page(&files, "centers/higashi-closed/index.html");
    assert!(closed.contains("この窓口は閉鎖しました"));
    let cafes = page(&files, "cafeterias/index.html");
    assert!(cafes.contains("higashi-shokudo") && cafes.contains("休止中"));
    // 五十音: は行 (はつかいち) before ひ (ひがし) — both in は行.
    let a = cafes.find("hatsukaichi-ibasho").unwrap();
    let b = cafes.find("higashi-shokudo").unwrap();
    assert!(a < b);
    let area = page(&files, "areas/広島市/東区/index.html");
    assert!(!area.contains("higashi-closed"));
}

#[test]
fn area_hierarchy() {
    let files = render();
    let parent = page(&files, "areas/広島市/index.html");
    assert!(
        parent.contains("/centers/chubu-center/"),
        "中区 entry on 広島市"
    );
    assert!(
        parent.contains("/cafeterias/higashi-shokudo/"),
        "東区 entry on 広島市"
    );
    assert!(!parent.contains("/cafeterias/hatsukaichi-ibasho/"));
    let ward = format!("href=\"/areas/{}/\"", urls::encode_path("広島市/中区"));
    assert!(parent.contains(&ward), "link to ward");
    let naka = page(&files, "areas/広島市/中区/index.html");
    assert!(
        naka.contains("/centers/chubu-center/") && !naka.contains("/cafeterias/higashi-shokudo/")
    );
    assert!(
        naka.contains("/events/forum-2026/"),
        "upcoming event in area"
    );
    assert!(
        !naka.contains("/events/old-seminar/"),
        "past event not in browse"
    );
    assert!(page(&files, "areas/index.html").contains(&ward));
    for p in [
        "categories/index.html",
        "categories/食/index.html",
        "audience/家族/index.html",
        "methods/電話/index.html",
    ] {
        page(&files, p);
    }
}

#[test]
fn markdown_body_is_sanitized() {
    let files = render();
    let html = page(&files, "centers/chubu-center/index.html");
    assert!(!html.contains("alert("), "script survived");
    assert!(!html.contains("javascript:"), "javascript: link survived");
    assert!(html.contains("<a href=\"https://example.jp/\" rel=\"noopener noreferrer\">安全</a>"));
    // The only scripts are the theme's own external ones, and the JSON-LD
    // data block (which the browser does not run).
    for tag in html.split("<script").skip(1) {
        assert!(
            (tag.starts_with(" src=\"/") || tag.starts_with(" type=\"application/ld+json\">"))
                && tag.contains("</script>"),
            "{tag}"
        );
    }
    assert_eq!(html.matches("application/ld+json").count(), 1);
    assert!(html.contains(&format!(
        "<script src=\"/{}\" defer></script>",
        hashed(&files, "site.js")
    )));
    // 「受付中」 by opening.js, from the hours.
    assert!(html.contains(&format!(
        "<script src=\"/{}\" defer></script>",
        hashed(&files, "opening.js")
    )));
    assert!(html.contains("<p class=\"open-now\" data-hours=\"{&quot;rules&quot;:[{&quot;close&quot;:&quot;17:00&quot;"), "{html}");
    assert!(!html.contains("style=\""), "no inline styles");
    let pg = page(&files, "pages/how-to-consult/index.html");
    assert!(pg.contains("<h2>はじめに</h2>") && pg.contains("id=\"fn-1\""));
}

#[test]
fn base_path_prefixes_links() {
    let files = render_site(&site_with("https://city.example.jp/sub/"), &builtin()).unwrap();
    let html = page(&files, "centers/chubu-center/index.html");
    assert!(html.contains("<meta name=\"tsunagu-base\" content=\"/sub/\">"));
    assert!(html.contains(&format!("href=\"/sub/{}\"", hashed(&files, "style.css"))));
    assert!(html.contains("href=\"/sub/organizations/foot-and-work/\""));
    assert!(html.contains("href=\"/sub/centers/\""));
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://city.example.jp/sub/centers/chubu-center/\">"
    ));
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        for (pos, _) in text.match_indices("href=\"/") {
            assert!(
                text[pos..].starts_with("href=\"/sub/"),
                "{}: unprefixed link at {}",
                f.path,
                &text[pos..pos + 60.min(text.len() - pos)]
            );
        }
        for (pos, _) in text.match_indices("action=\"/") {
            assert!(text[pos..].starts_with("action=\"/sub/"), "{}", f.path);
        }
    }
    let search = page(&files, "search/index.html");
    assert!(search.contains(&format!(
        "<script src=\"/sub/{}\" defer></script>",
        crate::search_assets::search_js_hashed_path(false)
    )));
    let sitemap = page(&files, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://city.example.jp/sub/</loc>"));
    assert!(sitemap.contains(
        "<loc>https://city.example.jp/sub/centers/chubu-center/</loc><lastmod>2024-01-10</lastmod>"
    ));
    assert!(page(&files, "robots.txt").contains("Sitemap: https://city.example.jp/sub/sitemap.xml"));
}

#[test]
fn every_page_has_csp_landmarks_and_hotlines() {
    let files = render();
    let html_files: Vec<&OutputFile> = files.iter().filter(|f| f.path.ends_with(".html")).collect();
    assert!(html_files.len() > 20);
    for f in html_files {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        assert!(text.contains(CSP), "{}: CSP meta", f.path);
        assert!(text.contains("<html lang=\"ja\">"), "{}", f.path);
        assert!(
            text.contains("<a class=\"skip-link\" href=\"#main\">"),
            "{}",
            f.path
        );
        assert!(text.contains("<main id=\"main\""), "{}", f.path);
        assert!(
            text.contains("<header") && text.contains("<nav") && text.contains("<footer"),
            "{}",
            f.path
        );
        assert_eq!(text.matches("<h1").count(), 1, "{}: one h1", f.path);
        assert!(
            text.contains("href=\"tel:0120279338\""),
            "{}: hotline",
            f.path
        );
        assert!(
            text.contains("data-quick-exit>すぐに閉じる</a>"),
            "{}: quick exit",
            f.path
        );
        assert!(
            !text.contains("style=\"") && !text.contains("<style"),
            "{}: inline style",
            f.path
        );
        assert!(!text.contains("<script>"), "{}: inline script", f.path);
        // No request to another host: the only absolute URLs are links.
        for attr in ["src=\"http", "href=\"//", "src=\"//"] {
            assert!(!text.contains(attr), "{}: {attr}", f.path);
        }
        assert_eq!(text.matches("id=\"hotlines\"").count(), 1, "{}", f.path);
    }
}

#[test]
fn top_page() {
    let files = render();
    let html = page(&files, "index.html");
    assert!(html.contains("<form class=\"search-form\" method=\"get\" action=\"/search/\""));
    assert!(html.contains("name=\"q\""));
    assert!(html.contains("悩みを聞いてほしい") && html.contains("支援につなげたい"));
    assert!(html.contains(&format!(
        "href=\"/audience/{}/\"",
        urls::encode_path("家族")
    )));
    assert!(html.contains("/pages/how-to-consult/"));
    assert!(
        html.contains("/events/forum-2026/") && !html.contains("/events/old-seminar/\""),
        "upcoming only"
    );
    let recent = html.split("最近確認した情報").nth(1).unwrap();
    let recent = recent.split("</section>").next().unwrap();
    let a = recent.find("/cafeterias/hatsukaichi-ibasho/").unwrap();
    let b = recent.find("/organizations/foot-and-work/").unwrap();
    assert!(a < b, "verified desc");
    assert!(!recent.contains("higashi-closed"));
    // Events are listed once, in their own section.
    assert!(
        !recent.contains("/events/"),
        "an event repeated in 最近確認した情報"
    );
}

#[test]
fn search_404_sitemap_static() {
    let files = render();
    let search = page(&files, "search/index.html");
    assert!(search.contains(&format!(
        "<script src=\"/{}\" defer></script>",
        crate::search_assets::search_js_hashed_path(false)
    )));
    assert!(search.contains("name=\"q\""), "search-app.html included");
    let nf = page(&files, "404.html");
    assert!(
        nf.contains("ページが見つかりません")
            && nf.contains("noindex")
            && !nf.contains("rel=\"canonical\"")
    );
    let sitemap = page(&files, "sitemap.xml");
    assert!(sitemap.contains(&format!(
        "<loc>https://portal.example.jp/areas/{}/</loc>",
        urls::encode_path("広島市/中区")
    )));
    assert!(!sitemap.contains("404"));
    assert!(
        !sitemap.contains("<lastmod>2026-") || sitemap.contains("<lastmod>2026-11-18</lastmod>")
    );
    for p in ["style.css", "site.js", "favicon.svg", "robots.txt"] {
        page(&files, p);
    }
    let js = page(&files, "site.js");
    assert!(js.contains("'serviceWorker' in navigator") && js.contains("base + 'sw.js'"));
}

#[test]
fn renders_are_byte_identical() {
    let a = render();
    let b = render();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.path, y.path);
        assert!(x.bytes == y.bytes, "{} differs", x.path);
    }
    let mut sorted: Vec<&str> = a.iter().map(|f| f.path.as_str()).collect();
    sorted.sort();
    assert_eq!(
        sorted,
        a.iter().map(|f| f.path.as_str()).collect::<Vec<_>>()
    );
}

fn temp_portal(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("tsunagu-render-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_changed_stylesheet_gets_a_new_name_on_every_page_and_the_rest_keep_theirs() {
    let before = render();
    let root = temp_portal("restyle");
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/style.css"), "body{color:#000}").unwrap();
    let after = render_site(&site(), &Theme::resolve(&root, "hiroshima").unwrap()).unwrap();
    let (old_css, new_css) = (hashed(&before, "style.css"), hashed(&after, "style.css"));
    assert_ne!(old_css, new_css);
    assert_eq!(hashed(&before, "site.js"), hashed(&after, "site.js"));
    assert!(
        !after.iter().any(|f| f.path == old_css),
        "the old name is not written"
    );
    let pages: Vec<&OutputFile> = after.iter().filter(|f| f.path.ends_with(".html")).collect();
    assert!(pages.len() > 5);
    for f in pages {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        if !text.contains("rel=\"stylesheet\"") {
            continue; // a portal's own bare template
        }
        assert!(text.contains(&format!("href=\"/{new_css}\"")), "{}", f.path);
        assert!(!text.contains(&old_css), "{}", f.path);
    }
}

#[test]
fn asset_names_an_unknown_file_with_its_path() {
    let root = temp_portal("asset-unknown");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "<link href=\"{{ base }}{{ asset(path='nosuch.css') }}\">",
    )
    .unwrap();
    let err = render_site(&site(), &Theme::resolve(&root, "hiroshima").unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("asset(path=\"nosuch.css\"): there is no static/nosuch.css in the theme or the portal's static/ folder"),
        "{err}"
    );
}

#[test]
fn portal_overrides() {
    let root = temp_portal("override");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "<p>{{ site.title }}: 見つかりません {{ \"<b>\" }}</p>",
    )
    .unwrap();
    std::fs::write(root.join("static/style.css"), "body{color:#000}").unwrap();
    std::fs::write(root.join("static/extra.txt"), "extra").unwrap();
    let theme = Theme::resolve(&root, "hiroshima").unwrap();
    let files = render_site(&site(), &theme).unwrap();
    // Autoescape stays on for overrides.
    assert_eq!(
        page(&files, "404.html"),
        "<p>テスト支援ポータル: 見つかりません &lt;b&gt;</p>"
    );
    assert_eq!(page(&files, "style.css"), "body{color:#000}");
    assert_eq!(page(&files, "extra.txt"), "extra");
    assert!(
        page(&files, "index.html").contains("悩みを聞いてほしい"),
        "other templates stay built-in"
    );

    // The portal's own themes/NAME replaces the built-in file by file.
    std::fs::create_dir_all(root.join("themes/hiroshima/templates")).unwrap();
    std::fs::write(
        root.join("themes/hiroshima/templates/page.html"),
        "PAGE {{ entry.name }}",
    )
    .unwrap();
    let theme = Theme::resolve(&root, "hiroshima").unwrap();
    let files = render_site(&site(), &theme).unwrap();
    assert_eq!(
        page(&files, "pages/how-to-consult/index.html"),
        "PAGE 相談のしかた"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn template_errors_are_clear() {
    let root = temp_portal("errors");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/entry.html"), "{% if %}broken").unwrap();
    let err = Theme::resolve(&root, "hiroshima").unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, RenderError::Template { .. }), "{msg}");
    assert!(
        msg.contains("entry.html")
            && msg.contains(&root.join("templates/entry.html").display().to_string()),
        "{msg}"
    );

    std::fs::write(
        root.join("templates/entry.html"),
        "{{ entry.no.such.field }}",
    )
    .unwrap();
    let theme = Theme::resolve(&root, "hiroshima").unwrap();
    let err = render_site(&site(), &theme).unwrap_err();
    let msg = err.to_string();
    // Pages render in parallel: whichever entry.html page failed first is named.
    assert!(
        msg.contains("entry.html")
            && ["centers/", "organizations/", "cafeterias/"]
                .iter()
                .any(|k| msg.contains(&format!("while rendering `{k}"))),
        "{msg}"
    );

    std::fs::write(
        root.join("templates/entry.html"),
        "{% extends \"nope.html\" %}",
    )
    .unwrap();
    let msg = Theme::resolve(&root, "hiroshima").unwrap_err().to_string();
    assert!(
        msg.contains("entry.html") && msg.contains("nope.html"),
        "{msg}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn unknown_theme() {
    let root = temp_portal("unknown");
    std::fs::create_dir_all(root.join("themes/mine/templates")).unwrap();
    let err = Theme::resolve(&root, "nosuch").unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, RenderError::UnknownTheme { .. }));
    assert!(
        msg.contains("nosuch") && msg.contains("hiroshima") && msg.contains("mine"),
        "{msg}"
    );
    assert!(Theme::resolve(&root, "../hiroshima").is_err());
    // A portal-only theme must have every template.
    let msg = Theme::resolve(&root, "mine").unwrap_err().to_string();
    assert!(
        msg.contains("index.html") && msg.contains("entry.html"),
        "{msg}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn event_page_calendar_attendance_and_apply() {
    let files = render();
    let html = page(&files, "events/forum-2026/index.html");
    // 「カレンダーに追加」 links the event's own .ics, which the feeds write.
    assert!(
        html.contains("<a class=\"button-link\" href=\"/events/forum-2026/event.ics\" type=\"text/calendar\">カレンダーに追加</a>"),
        "{html}"
    );
    assert_eq!(
        crate::output::paths::event_ics("forum-2026"),
        "events/forum-2026/event.ics"
    );
    assert!(html.contains(
        "<p class=\"attendance attendance-both\">会場でもオンラインでも参加できます</p>"
    ));
    assert!(html.contains("<dt>オンライン</dt><dd><a href=\"https://live.example.jp/forum\""));
    assert!(html.contains("<dt>申込</dt><dd><a href=\"https://example.jp/forum/\""));
    // A past event: how it was applied for stays, but no calendar link.
    let old = page(&files, "events/old-seminar/index.html");
    assert!(
        old.contains("<dt>申込</dt><dd>電話で前日まで</dd>"),
        "{old}"
    );
    assert!(old.contains("attendance-in_person\">会場で参加"));
    assert!(!old.contains("カレンダーに追加"));
    // The list links the subscribable calendar of every event.
    let list = page(&files, "events/index.html");
    assert!(list.contains(
        "<link rel=\"alternate\" type=\"text/calendar\" title=\"テスト支援ポータル イベント\" href=\"/events.ics\">"
    ));
    assert!(list.contains(
        "<a href=\"/events.ics\" type=\"text/calendar\">すべてのイベントをカレンダーで見る</a>"
    ));
    assert_eq!(crate::output::paths::EVENTS_ICS, "events.ics");
    // Under a sub-path the link keeps the base.
    let sub = render_site(&site_with("https://city.example.jp/sub/"), &builtin()).unwrap();
    assert!(page(&sub, "events/forum-2026/index.html")
        .contains("href=\"/sub/events/forum-2026/event.ics\""));
    assert!(page(&sub, "events/index.html").contains("href=\"/sub/events.ics\""));
}

#[test]
fn share_links_and_copy_button() {
    let files = render();
    for p in [
        "centers/chubu-center/index.html",
        "events/forum-2026/index.html",
        "pages/how-to-consult/index.html",
    ] {
        let html = page(&files, p);
        let dir = p.trim_end_matches("index.html");
        let permalink = format!("https://portal.example.jp/{dir}");
        // A plain link to LINE with the encoded page address; nothing from LINE loads.
        assert!(
            html.contains(&format!(
                "href=\"https://social-plugins.line.me/lineit/share?url={}\" rel=\"noopener noreferrer\">LINEで送る",
                urls::encode_component(&permalink)
            )),
            "{p}"
        );
        assert!(
            !html.contains("src=\"https://"),
            "{p}: a third-party script"
        );
        // The copy button waits for site.js; the address is there to copy by hand.
        assert!(html.contains(&format!(
            "<li data-copy-item hidden><button type=\"button\" class=\"share-copy\" data-copy-link=\"{permalink}\">リンクをコピー</button></li>"
        )), "{p}");
        assert!(html.contains(&format!(
            "<span class=\"share-url-text\">{permalink}</span>"
        )));
        assert!(html.contains("<p class=\"share-status\" role=\"status\" data-copy-status></p>"));
    }
}

#[test]
fn large_text_toggle_and_feed_link_on_every_page() {
    let files = render();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        assert!(
            text.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"テスト支援ポータル 新着情報\" href=\"/feed.xml\">"),
            "{}: Atom link",
            f.path
        );
        // textsize.js in the head, not deferred, before the first paint.
        let head = text.split("</head>").next().unwrap();
        assert!(
            head.contains(&format!(
                "<script src=\"/{}\"></script>",
                hashed(&files, "textsize.js")
            )),
            "{}",
            f.path
        );
        assert!(
            text.contains("<button type=\"button\" class=\"text-size-toggle\" aria-pressed=\"false\" data-text-size hidden>文字を大きく</button>"),
            "{}",
            f.path
        );
    }
    assert_eq!(crate::output::paths::FEED, "feed.xml");
    let js = page(&files, "textsize.js");
    assert!(js.contains("localStorage") && js.contains("aria-pressed"));
    let sub = render_site(&site_with("https://city.example.jp/sub/"), &builtin()).unwrap();
    let top = page(&sub, "index.html");
    assert!(
        top.contains("href=\"/sub/feed.xml\"")
            && top.contains(&format!("src=\"/sub/{}\"", hashed(&sub, "textsize.js")))
    );
}

#[test]
fn print_lists_per_area() {
    let files = render();
    // 広島市 lists its wards' entries; closed and event entries are left out.
    let city = page(&files, "areas/広島市/print/index.html");
    assert!(
        city.contains("<h1>広島市の相談先・居場所 印刷用一覧</h1>"),
        "{city}"
    );
    assert!(city.contains("広島ひきこもり相談支援センター(中部)"));
    assert!(city.contains("ひがし みんな食堂") && city.contains("休止中"));
    assert!(city.contains("特定非営利活動法人 FOOT&amp;WORK"));
    assert!(!city.contains("東区の閉鎖した窓口"), "closed entry listed");
    assert!(
        !city.contains("ひきこもり支援フォーラム"),
        "events are not on paper"
    );
    assert!(!city.contains("廿日市の居場所カフェ"), "another area");
    // Contact and hours, and the absolute address of each page.
    assert!(city.contains(
        "<a href=\"tel:0825550101\">082-555-0101</a> / <a href=\"tel:0120555010\">0120-555-010</a>"
    ));
    assert!(city.contains("月〜金 9:00〜17:00<br>毎月第2土曜 10:00〜12:00(家族相談の日)"));
    assert!(city.contains("祝日・年末年始は休み"));
    assert!(city.contains("広島県広島市中区八丁堀1-1"));
    assert!(city.contains(">https://portal.example.jp/centers/chubu-center/</a>"));
    assert!(
        city.contains("ひろしまひきこもりそうだんしえんせんたーちゅうぶ"),
        "kana"
    );
    // 五十音 within a kind: centers first, then cafeterias, then organizations.
    let a = city.find("相談窓口(").unwrap();
    let b = city.find("食堂・居場所(").unwrap();
    let c = city.find("団体(").unwrap();
    assert!(a < b && b < c);
    let ward = page(&files, "areas/広島市/東区/print/index.html");
    assert!(ward.contains("ひがし みんな食堂") && !ward.contains("相談支援センター(中部)"));
    page(&files, "areas/廿日市市/print/index.html");
    // Each area page links its print list.
    let area = page(&files, "areas/広島市/中区/index.html");
    assert!(area.contains(&format!(
        "<a href=\"/areas/{}/print/\">この地域の印刷用一覧</a>",
        urls::encode_path("広島市/中区")
    )));
    assert!(!page(&files, "categories/食/index.html").contains("印刷用一覧"));
}

#[test]
fn entry_pages_carry_json_ld() {
    let files = render();
    let block = |p: &str| -> serde_json::Value {
        let html = page(&files, p);
        let start = html
            .find("<script type=\"application/ld+json\">")
            .unwrap_or_else(|| panic!("{p}"))
            + "<script type=\"application/ld+json\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        serde_json::from_str(&html[start..end]).unwrap()
    };
    let center = block("centers/chubu-center/index.html");
    assert_eq!(center["@type"], "Organization");
    assert_eq!(
        center["location"]["openingHoursSpecification"][0]["opens"],
        "09:00:00"
    );
    // `&` in a name is written \u0026 inside the script element.
    assert!(page(&files, "centers/chubu-center/index.html").contains("FOOT\\u0026WORK"));
    let event = block("events/forum-2026/index.html");
    assert_eq!(event["@type"], "Event");
    assert_eq!(event["startDate"], "2026-12-05T13:30+09:00");
    assert_eq!(
        event["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );
    assert_eq!(event["location"][0]["@type"], "Place");
    assert_eq!(event["location"][1]["url"], "https://live.example.jp/forum");
    assert_eq!(event["organizer"]["name"], "特定非営利活動法人 FOOT&WORK");
    assert_eq!(event["maximumAttendeeCapacity"], 80);
    assert!(!page(&files, "pages/how-to-consult/index.html").contains("ld+json"));
    assert!(!page(&files, "centers/higashi-closed/index.html").contains("ld+json"));
}

#[test]
fn snapshot_entry_page() {
    let files = render();
    insta::assert_snapshot!(
        "entry_page",
        unhashed(&files, page(&files, "centers/chubu-center/index.html"))
    );
}

#[test]
fn snapshot_top_page() {
    let files = render();
    insta::assert_snapshot!("top_page", unhashed(&files, page(&files, "index.html")));
}

/// 10,000 entries: run with `cargo test --release --lib render::tests::scale -- --ignored --nocapture`.
#[test]
#[ignore]
fn scale() {
    let base = entries();
    let mut many = Vec::new();
    for i in 0..10_000 {
        let mut e = base[i % base.len()].clone();
        e.slug = Slug::parse(&format!("{}-{i}", e.slug)).unwrap();
        e.fields.place = None;
        e.fields.operator = None;
        e.fields.organizer = None;
        if e.kind == Kind::Page {
            e.kind = Kind::Center;
            e.fields.name = Some(format!("窓口{i}"));
        }
        many.push(e);
    }
    let now: jiff::Timestamp = "2026-11-21T03:00:00Z".parse().unwrap();
    let site = Site::new(
        config("https://portal.example.jp/"),
        jiff::tz::TimeZone::fixed(jiff::tz::offset(9)),
        many,
        now,
    );
    let theme = builtin();
    // CPU time of the process (user + system), from /proc, in clock ticks (1/100 s).
    let cpu = || -> u64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let f: Vec<&str> = rest.split_whitespace().collect();
        f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
            + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
    };
    for _ in 0..3 {
        let (t, c) = (std::time::Instant::now(), cpu());
        let files = render_site(&site, &theme).unwrap();
        let (elapsed, ticks) = (t.elapsed(), cpu() - c);
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        let entry = files
            .iter()
            .find(|f| f.path.starts_with("centers/"))
            .map(|f| f.bytes.len())
            .unwrap_or(0);
        eprintln!(
            "{} files, {bytes} bytes (an entry page: {entry}) in {elapsed:?} wall, {} ms CPU",
            files.len(),
            ticks * 10
        );
    }
}

/// Single-threaded cost of one entry page: `TSUNAGU_BENCH_PORTAL=/path cargo test --release --lib render::tests::bench_entry -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_entry() {
    let root = std::env::var("TSUNAGU_BENCH_PORTAL").unwrap_or_else(|_| "/nonexistent".into());
    let theme = Theme::resolve(Path::new(&root), "hiroshima").unwrap();
    let site = site();
    let p = super::pages::bench_prepare(&site, &theme);
    for (name, i) in [("center", 0usize), ("event", 5)] {
        let t = std::time::Instant::now();
        let n: u32 = std::env::var("TSUNAGU_BENCH_N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2000);
        let mut bytes = 0;
        for _ in 0..n {
            bytes += p(i).len();
        }
        eprintln!(
            "{name}: {:?} per page ({} bytes)",
            t.elapsed() / n,
            bytes / n as usize
        );
    }
}

/// The content-hashed name pages load `path` by: from the bytes written
/// under the plain name, so the test fails if the two ever disagree.
fn hashed(files: &[OutputFile], path: &str) -> String {
    let plain = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not in the output"));
    let name = crate::output::fingerprint::hashed_path(path, &plain.bytes).expect("a hashed kind");
    assert!(
        files
            .iter()
            .any(|f| f.path == name && f.bytes == plain.bytes),
        "{name} written beside {path}"
    );
    name
}

/// `html` with every content-hashed asset name written as `name.HASH.ext`,
/// so a snapshot of a page does not change with every stylesheet edit
/// (the names themselves are tested in
/// `a_changed_stylesheet_gets_a_new_name_on_every_page_and_the_rest_keep_theirs`).
fn unhashed(files: &[OutputFile], html: &str) -> String {
    let mut text = html.to_string();
    for f in files
        .iter()
        .filter(|f| crate::output::fingerprint::is_hashed_name(&f.path))
    {
        if let Some((stem, rest)) = f
            .path
            .rsplit_once('.')
            .and_then(|(a, ext)| a.rsplit_once('.').map(|(s, _)| (s, ext)))
        {
            text = text.replace(&f.path, &format!("{stem}.HASH.{rest}"));
        }
    }
    text
}

#[test]
fn event_pages_use_event_labels_and_the_organizers_phone() {
    let files = render();
    let html = page(&files, "events/forum-2026/index.html");
    let main = &html[html.find("<article").unwrap()..html.find("</article>").unwrap()];
    for label in [
        "参加方法",
        "<dt>申込</dt>",
        "<dt>費用</dt><dd>無料</dd>",
        "問い合わせ",
    ] {
        assert!(main.contains(label), "{label} missing:\n{main}");
    }
    // Labels of a consultation center have no place on an event.
    for label in ["相談の方法", "匿名", "連絡先"] {
        assert!(!main.contains(label), "{label} on an event page:\n{main}");
    }
    // The event has no phone: its organizer's, named as who answers.
    assert!(main.contains("href=\"tel:0825550821\""), "{main}");
    assert!(
        main.contains("主催の <a href=\"/organizations/foot-and-work/\">"),
        "{main}"
    );
    // A center keeps its own phone and heading.
    let center = page(&files, "centers/chubu-center/index.html");
    assert!(center.contains(">連絡先</h2>") && !center.contains("主催の "));
}
