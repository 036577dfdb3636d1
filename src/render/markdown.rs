//! Markdown bodies: to sanitized HTML for pages, to plain text for search.
//!
//! pulldown-cmark with tables, footnotes and strikethrough; the HTML is then
//! cleaned by ammonia so raw HTML in an entry can never run in a family's
//! browser: no scripts, styles, event handlers or forms; links only to
//! http, https, mailto, tel and relative URLs, each with
//! `rel="noopener noreferrer"`; images only from the portal itself.
//! Heading levels are mapped so the page outline never skips a level:
//! the body's top level is `<h2>` (the page's own `<h1>` is the entry's
//! name; [`to_html_at`] picks another level) and each deeper level is at
//! most one below the heading it sits under, whatever sizes the editor
//! picked by looks (`####` for "a small heading"). Footnotes get ids prefixed `fn-` /
//! `fnref-` so they can never collide with the page's own ids (`main`).

use super::theme::escape_html;
use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    // Landmarks and image maps inside a body would confuse screen-reader
    // navigation of the page; their content is kept, the tags dropped.
    b.rm_tags(["nav", "header", "footer", "aside", "article", "area", "map"]);
    b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
    b.url_relative(ammonia::UrlRelative::PassThrough);
    b.link_rel(Some("noopener noreferrer"));
    b.add_tag_attributes("sup", ["id"]);
    b.add_tag_attributes("div", ["id"]);
    b.add_allowed_classes("sup", ["footnote-ref"]);
    b.add_allowed_classes("div", ["footnote"]);
    b.add_allowed_classes("span", ["footnote-label"]);
    b.add_allowed_classes("a", ["footnote-back"]);
    b.add_tag_attributes("a", ["aria-label"]);
    b.attribute_filter(|element, attribute, value| match (element, attribute) {
        // Only our own footnote ids.
        (_, "id") => {
            let ok = value
                .strip_prefix("fnref-")
                .or_else(|| value.strip_prefix("fn-"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            ok.then_some(Cow::Borrowed(value))
        }
        // No request to any other host: images only from the portal itself.
        ("img", "src") => {
            let v = value.trim();
            let external = v.starts_with("//") || v.contains(':');
            (!external).then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    });
    b
});

/// Markdown to sanitized HTML.
///
/// Bodies without raw HTML and without images (nearly all of them) take a
/// fast path: pulldown-cmark escapes every text and attribute itself, and
/// links are written here with the same URL policy ammonia applies, so
/// the HTML parser of ammonia is only needed when an editor wrote HTML.
pub fn to_html(md: &str) -> String {
    to_html_at(md, 2)
}

/// [`to_html`] with the body's top heading level at `top` (2–6), e.g. 3
/// when the body sits under a 「くわしく」 `<h2>`. See [`outline_levels`].
pub fn to_html_at(md: &str, top: u8) -> String {
    let events: Vec<Event<'_>> = strike_only_double(md).collect();
    let mut written: Vec<u8> = Vec::new();
    let mut needs_cleaner = false;
    // Footnote numbers in order of first reference, then of definition.
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    for e in &events {
        match e {
            Event::Start(Tag::Heading { level, .. }) => written.push(*level as u8),
            Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::Image { .. }) => {
                needs_cleaner = true
            }
            Event::FootnoteReference(label) => {
                let n = numbers.len() + 1;
                numbers.entry(label.to_string()).or_insert(n);
            }
            _ => {}
        }
    }
    let fast = !needs_cleaner;
    let mut levels = outline_levels(&written, top).into_iter();
    let mut open_heading = HeadingLevel::H2;
    let mut referenced: HashSet<usize> = HashSet::new();
    let mut open_footnote: Vec<usize> = Vec::new();
    let events = events.into_iter().map(|e| match e {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            // Headings do not nest: the end tag is the next heading end.
            open_heading = heading_level(levels.next().unwrap_or(level as u8));
            Event::Start(Tag::Heading { level: open_heading, id, classes, attrs })
        }
        Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Heading(open_heading)),
        Event::FootnoteReference(label) => {
            let n = numbers.get(label.as_ref()).copied().unwrap_or(0);
            let id = if referenced.insert(n) { format!(" id=\"fnref-{n}\"") } else { String::new() };
            let rel = if fast { " rel=\"noopener noreferrer\"" } else { "" };
            Event::InlineHtml(format!("<sup class=\"footnote-ref\"{id}><a href=\"#fn-{n}\"{rel}>{n}</a></sup>").into())
        }
        Event::Start(Tag::FootnoteDefinition(label)) => {
            let next = numbers.len() + 1;
            let n = *numbers.entry(label.to_string()).or_insert(next);
            open_footnote.push(n);
            Event::Html(format!("<div class=\"footnote\" id=\"fn-{n}\"><span class=\"footnote-label\">{n}</span>").into())
        }
        Event::End(TagEnd::FootnoteDefinition) => {
            let n = open_footnote.pop().unwrap_or(0);
            let back = if referenced.contains(&n) {
                let rel = if fast { " rel=\"noopener noreferrer\"" } else { "" };
                format!("<a class=\"footnote-back\" href=\"#fnref-{n}\"{rel} aria-label=\"本文に戻る\">↩</a>")
            } else {
                String::new()
            };
            Event::Html(format!("{back}</div>\n").into())
        }
        // Fast path only: what ammonia would otherwise do.
        Event::Start(Tag::Link { link_type, dest_url, title, .. }) if fast => {
            let href = if link_type == LinkType::Email { format!("mailto:{dest_url}") } else { dest_url.to_string() };
            let mut a = String::from("<a");
            if url_allowed(&href) {
                a.push_str(" href=\"");
                a.push_str(&escape_html(&href));
                a.push('"');
            }
            if !title.is_empty() {
                a.push_str(" title=\"");
                a.push_str(&escape_html(&title));
                a.push('"');
            }
            a.push_str(" rel=\"noopener noreferrer\">");
            Event::InlineHtml(a.into())
        }
        Event::End(TagEnd::Link) if fast => Event::InlineHtml("</a>".into()),
        // No `style="text-align"` (the CSP forbids inline styles) and no code classes.
        Event::Start(Tag::Table(aligns)) if fast => Event::Start(Tag::Table(vec![Alignment::None; aligns.len()])),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) if fast => Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)),
        e => e,
    });
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    if fast {
        html
    } else {
        CLEANER.clean(&html).to_string()
    }
}

/// The URL policy of the cleaner: http, https, mailto, tel and relative
/// URLs. Browsers ignore ASCII whitespace and control characters inside a
/// scheme (`java\tscript:`), so they are ignored here too.
fn url_allowed(url: &str) -> bool {
    let compact: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let scheme_end = compact.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if compact[i..].starts_with(':') => {
            let scheme = compact[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// The events of `md`, with strikethrough only for `~~double~~` tildes:
/// in Japanese a single `~` is a wave dash (「10時~12時」「~家族ができること~」),
/// so a single-tilde "strikethrough" gets its tildes back as text.
fn strike_only_double(md: &str) -> impl Iterator<Item = Event<'_>> {
    let mut stack: Vec<bool> = Vec::new();
    Parser::new_ext(md, options())
        .into_offset_iter()
        .map(move |(e, range)| match e {
            Event::Start(Tag::Strikethrough) => {
                let double = md[range.start..].starts_with("~~");
                stack.push(double);
                if double {
                    e
                } else {
                    Event::Text(md[range.start..range.start + 1].to_string().into())
                }
            }
            Event::End(TagEnd::Strikethrough) => {
                if stack.pop().unwrap_or(true) {
                    e
                } else {
                    Event::Text(md[range.end - 1..range.end].to_string().into())
                }
            }
            e => e,
        })
}

/// The levels to write for a body's headings (`written`, 1–6, in order)
/// so that the first is `top` and none is more than one below the one
/// before it: each heading goes one below the nearest earlier heading
/// the editor wrote bigger (its parent), or to `top` when there is none.
/// Siblings the editor wrote the same size stay siblings. Capped at 6.
///
/// `## a`, `#### b`, `### c` at top 2 → 2, 3, 3.
/// `#### a`, `###### b` at top 2 → 2, 3.
pub fn outline_levels(written: &[u8], top: u8) -> Vec<u8> {
    let top = top.clamp(1, 6);
    // (level as written, level given) of the open ancestors.
    let mut parents: Vec<(u8, u8)> = Vec::new();
    written
        .iter()
        .map(|&w| {
            while parents.last().is_some_and(|&(pw, _)| pw >= w) {
                parents.pop();
            }
            let given = parents.last().map_or(top, |&(_, pg)| (pg + 1).min(6));
            parents.push((w, given));
            given
        })
        .collect()
}

fn heading_level(level: u8) -> HeadingLevel {
    match level {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Markdown to plain text for the search index: the words only, blocks on
/// their own lines, no markup, no raw HTML, no URLs.
pub fn to_plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut in_html_block = false;
    for e in strike_only_double(md) {
        match e {
            Event::Text(t) | Event::Code(t) if !in_html_block => out.push_str(&t),
            Event::Text(_) | Event::Code(_) => {}
            Event::SoftBreak => out.push(' '),
            Event::HardBreak | Event::Rule => out.push('\n'),
            Event::Start(Tag::HtmlBlock) => in_html_block = true,
            Event::End(TagEnd::HtmlBlock) => in_html_block = false,
            Event::Start(Tag::TableCell) => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => out.push('\n'),
            _ => {}
        }
    }
    // Collapse runs of whitespace within lines; drop empty lines.
    let mut text = String::with_capacity(out.len());
    for line in out.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&words.join(" "));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes() {
        let md = "# 見出し\n\nこんにちは<script>alert(1)</script> [x](javascript:alert(1)) \
                  [y](data:text/html,hi) [z](vbscript:msgbox) <a href=\"JaVaScRiPt:alert(1)\" onclick=\"x()\">a</a>\n\n\
                  <img src=\"https://tracker.example/x.png\" onerror=\"alert(1)\"><style>body{}</style>\n\n\
                  [ok](https://example.jp/) [tel](tel:0120279338) [mail](mailto:a@example.jp) [rel](../pages/about/)";
        let html = to_html(md);
        assert!(!html.to_lowercase().contains("<script"), "{html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(!html.contains("vbscript"), "{html}");
        assert!(
            !html.contains("onclick") && !html.contains("onerror"),
            "{html}"
        );
        assert!(!html.contains("tracker.example"), "{html}");
        assert!(!html.contains("<style"), "{html}");
        assert!(html.contains("<h2>見出し</h2>"), "{html}");
        assert!(
            html.contains("href=\"https://example.jp/\" rel=\"noopener noreferrer\""),
            "{html}"
        );
        assert!(html.contains("href=\"tel:0120279338\""), "{html}");
        assert!(html.contains("href=\"mailto:a@example.jp\""), "{html}");
        assert!(html.contains("href=\"../pages/about/\""), "{html}");
    }

    #[test]
    fn fast_path_applies_the_same_url_policy() {
        // No raw HTML and no image: the cleaner is not involved.
        let md = "[a](javascript:alert(1)) [b](<java\tscript:alert(1)>) <JAVASCRIPT:alert(1)> [c](VBScript:x) \
                  [d](data:text/html;base64,PHNjcmlwdD4=) [e](https://example.jp/?a=1&b=\"2\" \"t<i>\") <info@example.jp> \
                  [f](tel:0120279338) [g](../pages/about/) [h](#fn-1)\n\n```js\nalert(1)\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n";
        let html = to_html(md);
        for href in html.split("href=\"").skip(1) {
            let url = href.split('"').next().unwrap().to_lowercase();
            assert!(
                !url.contains("script") && !url.starts_with("data:"),
                "{html}"
            );
        }
        assert!(
            html.contains("<a rel=\"noopener noreferrer\">a</a>"),
            "{html}"
        );
        assert!(html.contains("href=\"https://example.jp/?a=1&amp;b=&quot;2&quot;\" title=\"t&lt;i&gt;\" rel=\"noopener noreferrer\""), "{html}");
        assert!(html.contains("href=\"mailto:info@example.jp\""), "{html}");
        assert!(
            html.contains("href=\"tel:0120279338\"") && html.contains("href=\"../pages/about/\""),
            "{html}"
        );
        assert!(
            !html.contains("style=") && !html.contains("class=\"language-"),
            "{html}"
        );
        assert!(html.contains("<pre><code>alert(1)"), "{html}");
        assert!(
            url_allowed("/centers/foo/") && url_allowed("a/b:c") && url_allowed("HTTPS://x.jp")
        );
        assert!(
            !url_allowed(" javascript:x")
                && !url_allowed("jav\nascript:x")
                && !url_allowed("file:///etc/passwd")
        );
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let md = "本文[^a]と[^main]。\n\n| 年齢 | 人数 |\n|---|---|\n| 15〜39 | 54万 |\n\n~~古い~~ 講演「ひきこもり ~長期化させないために~」 10時~12時\n\n[^a]: 注1\n[^main]: 注2\n";
        let html = to_html(md);
        assert!(
            html.contains("<table>") && html.contains("<td>15〜39</td>"),
            "{html}"
        );
        assert!(html.contains("<del>古い</del>"), "{html}");
        assert!(
            html.contains("講演「ひきこもり ~長期化させないために~」 10時~12時"),
            "{html}"
        );
        assert!(html.contains("<sup class=\"footnote-ref\" id=\"fnref-1\"><a href=\"#fn-1\" rel=\"noopener noreferrer\">1</a></sup>"), "{html}");
        assert!(
            html.contains("<div class=\"footnote\" id=\"fn-2\">"),
            "{html}"
        );
        assert!(!html.contains("id=\"main\""), "{html}");
    }

    #[test]
    fn heading_levels() {
        assert!(to_html("# a\n\n## b\n").contains("<h2>a</h2>\n<h3>b</h3>"));
        assert!(to_html("## a\n\n### b\n").contains("<h2>a</h2>\n<h3>b</h3>"));
        assert!(to_html_at("## a\n\n### b\n", 3).contains("<h3>a</h3>\n<h4>b</h4>"));
        // Small headings picked by looks move up to where they belong.
        assert!(to_html_at("#### a\n", 3).contains("<h3>a</h3>"));
        assert!(to_html_at("# a\n\n###### b\n", 3).contains("<h3>a</h3>\n<h4>b</h4>"));
        assert!(to_html("#### 小見出し\n\n本文\n\n###### もっと小さい\n")
            .contains("<h2>小見出し</h2>\n<p>本文</p>\n<h3>もっと小さい</h3>"));
        // Raw HTML takes the sanitizer path; the levels are the same.
        let html = to_html("<b>x</b>\n\n### a\n\n##### b\n");
        assert!(
            html.contains("<h2>a</h2>") && html.contains("<h3>b</h3>"),
            "{html}"
        );
    }

    /// Outline levels of a body after `<h1>` (top 2) or under an `<h2>`
    /// (top 3): never a skip, siblings stay siblings, parents stay parents.
    #[test]
    fn outline_levels_never_skip() {
        let cases: &[(&[u8], u8, &[u8])] = &[
            (&[], 2, &[]),
            (&[1, 2, 2, 3, 1], 2, &[2, 3, 3, 4, 2]),
            (&[4, 6], 2, &[2, 3]),
            (&[2, 4, 3], 2, &[2, 3, 3]),
            (&[3, 3, 6, 5, 4, 3], 2, &[2, 2, 3, 3, 3, 2]),
            (&[6, 1], 2, &[2, 2]),
            (&[1, 2, 3, 4, 5, 6], 2, &[2, 3, 4, 5, 6, 6]),
            (&[5, 6, 2, 6], 3, &[3, 4, 3, 4]),
        ];
        for (written, top, want) in cases {
            assert_eq!(&outline_levels(written, *top), want, "{written:?} at {top}");
        }
        // Exhaustively for short bodies: the first is `top`, no step down
        // is more than one, and no level exceeds 6.
        for n in 0..6u32.pow(4) {
            let written: Vec<u8> = (0..4).map(|i| (n / 6u32.pow(i) % 6) as u8 + 1).collect();
            for top in [2, 3] {
                let got = outline_levels(&written, top);
                assert_eq!(got[0], top, "{written:?}");
                for pair in got.windows(2) {
                    assert!(
                        pair[1] <= pair[0] + 1 && pair[1] >= top,
                        "{written:?} → {got:?}"
                    );
                }
                assert!(got.iter().all(|&l| l <= 6));
            }
        }
    }

    #[test]
    fn plain_text() {
        let md = "## 見出し\n\n**太字**と[リンク](https://example.jp/)。\n<div>raw</div>\n\n- 一\n- 二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let t = to_plain_text(md);
        assert_eq!(t, "見出し\n太字とリンク。\n一\n二\na b\n1 2");
    }
}
