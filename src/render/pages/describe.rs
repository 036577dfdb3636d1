//! Descriptions (`page.description`, the `<meta name="description">` and
//! `og:description` of a page) of the pages that list things, said from
//! what they list (the print lists too: render/print.rs): a search result or a shared link then tells a family
//! what the page holds (「広島市の相談窓口 12件、食堂・居場所 3件」)
//! before they open it. Entries are described by their `summary`; the
//! rest fall back to `site.toml`'s `description` (see [`Prep::job`]).

use super::*;

/// How many terms of a dimension index the description names before
/// 「ほか N件」: a description is cut around 120 characters by search
/// engines, and a long list of names says less than a few and a count.
const TERMS_NAMED: usize = 6;

/// The list of one kind (`centers/` …), over all its pages.
pub(super) fn list(kind: Kind, count: usize) -> String {
    if count == 0 {
        return format!("{}の一覧です。いまは掲載がありません。", kind.label());
    }
    match kind {
        Kind::Page => format!("{} {count}件の一覧です。", kind.label()),
        _ => format!("{} {count}件の一覧(五十音順)です。", kind.label()),
    }
}

/// The list of events: how many are to come and how many are over.
pub(super) fn events(upcoming: usize, past: usize) -> String {
    match (upcoming, past) {
        (0, 0) => "イベントの一覧です。いまは掲載がありません。".to_string(),
        (u, 0) => format!("これからのイベント {u}件の一覧です。"),
        (0, p) => {
            format!("これからのイベントはいまはありません。終わったイベント {p}件ものせています。")
        }
        (u, p) => format!("これからのイベント {u}件と、終わったイベント {p}件の一覧です。"),
    }
}

/// The browse page of one value: `subject` names the value as the page
/// title does (「広島市の」「電話で相談できる」), then the count of each
/// section (`(kind label, count)`, empty ones left out) and of the
/// upcoming events.
pub(super) fn term(subject: &str, sections: &[(&str, usize)], events: usize) -> String {
    let mut parts: Vec<String> = sections
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("{label} {n}件"))
        .collect();
    if events > 0 {
        parts.push(format!("これからのイベント {events}件"));
    }
    if parts.is_empty() {
        return format!("{subject}相談先・居場所です。いまは掲載がありません。");
    }
    format!("{subject}{}。", parts.join("、"))
}

/// The index of one dimension: its name and the first terms with their
/// counts (for areas, the top level).
pub(super) fn terms(dim_title: &str, terms: &[TermView]) -> String {
    if terms.is_empty() {
        return format!("{dim_title}。");
    }
    let named: Vec<String> = terms
        .iter()
        .take(TERMS_NAMED)
        .map(|t| format!("{} {}件", t.label, t.count))
        .collect();
    let rest = terms.len().saturating_sub(TERMS_NAMED);
    if rest > 0 {
        format!("{dim_title}: {}、ほか{rest}項目。", named.join("、"))
    } else {
        format!("{dim_title}: {}。", named.join("、"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browse_page_counts_what_it_lists_and_leaves_out_empty_sections() {
        let d = term(
            "広島市の",
            &[("相談窓口", 12), ("団体", 0), ("食堂・居場所", 3)],
            2,
        );
        assert_eq!(
            d,
            "広島市の相談窓口 12件、食堂・居場所 3件、これからのイベント 2件。"
        );
        let empty = term("安芸区の", &[("相談窓口", 0)], 0);
        assert!(empty.contains("掲載がありません"), "{empty}");
    }

    #[test]
    fn a_dimension_index_names_a_few_terms_then_how_many_more() {
        let t = |label: &str, count| TermView {
            name: label.to_string(),
            label: label.to_string(),
            url: String::new(),
            count,
            children: vec![],
        };
        let many: Vec<TermView> = (0..TERMS_NAMED + 2)
            .map(|i| t(&format!("区{i}"), i))
            .collect();
        let d = terms("地域からさがす", &many);
        assert!(d.starts_with("地域からさがす: 区0 0件、区1 1件"), "{d}");
        assert!(d.ends_with("ほか2項目。"), "{d}");
        assert!(!d.contains(&format!("区{}", TERMS_NAMED)), "{d}");
    }

    #[test]
    fn lists_say_how_many_and_an_empty_list_says_so() {
        assert_eq!(
            list(Kind::Center, 24),
            "相談窓口 24件の一覧(五十音順)です。"
        );
        assert!(list(Kind::Cafeteria, 0).contains("掲載がありません"));
        assert!(events(3, 0).contains("3件"));
        assert!(events(2, 5).contains("終わったイベント 5件"));
    }
}
