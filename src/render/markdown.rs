//! Markdown bodies: to sanitized HTML for pages, to plain text for search.
//!
//! pulldown-cmark with tables, footnotes and strikethrough; the HTML is then
//! cleaned by ammonia so raw HTML in an entry can never run in a family's
//! browser: no scripts, styles, event handlers or forms; links only to
//! http, https, mailto, tel and relative URLs, each with
//! `rel="noopener noreferrer"`; images only from the portal itself.
//! Headings are demoted one level when the body uses `#` (the page's own
//! `<h1>` is the entry's name), and footnotes get ids prefixed `fn-` /
//! `fnref-` so they can never collide with the page's own ids (`main`).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
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
            ok.then(|| Cow::Borrowed(value))
        }
        // No request to any other host: images only from the portal itself.
        ("img", "src") => {
            let v = value.trim();
            let external = v.starts_with("//") || v.contains(':');
            (!external).then(|| Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    });
    b
});

/// Markdown to sanitized HTML.
pub fn to_html(md: &str) -> String {
    let demote = Parser::new_ext(md, options()).any(|e| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    // Footnote numbers in order of first reference, then of definition.
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    for e in Parser::new_ext(md, options()) {
        if let Event::FootnoteReference(label) = e {
            let n = numbers.len() + 1;
            numbers.entry(label.to_string()).or_insert(n);
        }
    }
    let mut referenced: HashSet<usize> = HashSet::new();
    let mut open_footnote: Vec<usize> = Vec::new();
    let events = strike_only_double(md).map(|e| match e {
        Event::Start(Tag::Heading { level, id, classes, attrs }) if demote => {
            Event::Start(Tag::Heading { level: demoted(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) if demote => Event::End(TagEnd::Heading(demoted(level))),
        Event::FootnoteReference(label) => {
            let n = numbers.get(label.as_ref()).copied().unwrap_or(0);
            let id = if referenced.insert(n) { format!(" id=\"fnref-{n}\"") } else { String::new() };
            Event::InlineHtml(format!("<sup class=\"footnote-ref\"{id}><a href=\"#fn-{n}\">{n}</a></sup>").into())
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
                format!("<a class=\"footnote-back\" href=\"#fnref-{n}\" aria-label=\"本文に戻る\">↩</a>")
            } else {
                String::new()
            };
            Event::Html(format!("{back}</div>\n").into())
        }
        e => e,
    });
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    CLEANER.clean(&html).to_string()
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

fn demoted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
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
    fn plain_text() {
        let md = "## 見出し\n\n**太字**と[リンク](https://example.jp/)。\n<div>raw</div>\n\n- 一\n- 二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let t = to_plain_text(md);
        assert_eq!(t, "見出し\n太字とリンク。\n一\n二\na b\n1 2");
    }
}
