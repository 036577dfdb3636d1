//! A cheap, linear look at an entry's YAML before any YAML parser runs.
//!
//! Two kinds of input are refused here instead of by the parser:
//!
//! - **Deep nesting** (`[[[[…`, `{a: {a: …`, `- - - …`). libyaml keeps a
//!   "possible simple key" per open flow level and re-checks all of them
//!   at every token, so a document nested N levels deep costs N² before
//!   serde_yaml's recursion limit (128) even applies: 10,000 levels took
//!   seconds, a 2 MB file about an hour. Counting the levels here costs
//!   one pass, and the parser never sees a document deeper than
//!   [`MAX_NESTING`], so its quadratic part is bounded by 64 × the size.
//! - **Anchors and aliases** (`&name`, `*name`). No entry needs them
//!   (docs/content.md never uses them), editors do not know them, and
//!   they are the means of a "billion laughs" bomb. A `*` or `&` at the
//!   start of a value is far more often meant as text (`*印は予約制`), so
//!   the message says to quote the value.
//!
//! The scan also remembers the innermost `[` or `{` still open at the
//! end, so an unclosed bracket is pointed at even when libyaml only says
//! "did not find expected node content" at the end of the input.
//!
//! It is a scanner, not a parser: it knows quoted scalars (with their
//! escapes, over several lines), comments, block scalars (`|`, `>`),
//! plain multi-line values and tags, which is enough to never mistake
//! text for structure in a valid entry. Its depth is an estimate that
//! never exceeds the real nesting by more than the block indentation
//! levels of continuation lines.

/// The deepest nesting an entry may have. A real entry needs 4
/// (`hours:` → a rule → `days:` → a list); 64 is far above that and
/// below serde_yaml's own limit of 128, so the editor always gets this
/// message, not the parser's.
pub const MAX_NESTING: usize = 64;

/// What [`scan`] found that must not reach the YAML parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hazard {
    /// Nesting crossed [`MAX_NESTING`] at this 1-based (line, column)
    /// of the YAML text.
    TooDeep { line: usize, column: usize },
    /// The first anchor (`&name`) or alias (`*name`).
    Alias {
        line: usize,
        column: usize,
        /// The indicator and name as written, e.g. `&a0` or `*a0`.
        written: String,
    },
}

/// The outcome of [`scan`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    pub hazard: Option<Hazard>,
    /// The innermost `[` or `{` never closed: (line, column, bracket).
    pub unclosed: Option<(usize, usize, char)>,
}

fn is_blank(c: Option<char>) -> bool {
    c.is_none_or(|c| c == ' ' || c == '\t')
}

/// The indentation from which lines belong to a value (a block scalar's
/// text, a plain value's next words): more than the node it is the value
/// of — its key, its `- `, or, when the value starts its line, the
/// enclosing block.
fn child_indent(
    key_col: Option<usize>,
    compact: usize,
    dash_col: usize,
    starts_line: bool,
    indent: usize,
    indents: &[usize],
) -> usize {
    if let Some(k) = key_col {
        k + 1
    } else if compact > 0 {
        dash_col + 1
    } else if starts_line {
        indents
            .iter()
            .rev()
            .find(|&&t| t < indent)
            .map_or(0, |t| t + 1)
    } else {
        indent + 1
    }
}

/// Scans `yaml` once. Lines and columns are 1-based, columns in
/// characters (as libyaml counts them).
pub fn scan(yaml: &str) -> Scan {
    // Open flow brackets, outermost first.
    let mut flow: Vec<(usize, usize, char)> = Vec::new();
    // Indentation of the enclosing block nodes.
    let mut indents: Vec<usize> = Vec::new();
    let mut quote: Option<char> = None;
    // Inside a block scalar: the indentation its content lines reach.
    let mut block_scalar: Option<usize> = None;
    // The previous line ended inside a plain value: lines indented at
    // least this much continue that text.
    let mut plain_from: Option<usize> = None;
    let mut at_node = true;
    let mut chars: Vec<char> = Vec::new();

    for (index, line) in yaml.split('\n').enumerate() {
        let lineno = index + 1;
        chars.clear();
        chars.extend(line.chars());
        let indent = chars.iter().take_while(|&&c| c == ' ').count();
        let rest_blank = chars[indent..].iter().all(|c| c.is_whitespace());
        if let Some(content) = block_scalar {
            if rest_blank || indent >= content {
                continue;
            }
            block_scalar = None;
        }
        let mut i = 0;
        let mut colons = 0;
        let mut compact = 0;
        if quote.is_none() && flow.is_empty() {
            if rest_blank || chars.get(indent) == Some(&'#') {
                continue;
            }
            if let Some(from) = plain_from {
                if indent >= from {
                    continue; // more words of the value above
                }
            }
            plain_from = None;
            while indents.last().is_some_and(|&t| t > indent) {
                indents.pop();
            }
            if indents.last().is_none_or(|&t| t < indent) {
                indents.push(indent);
            }
            i = indent;
            at_node = true;
        }
        let mut in_plain = false;
        // Where the line's first token is (after spaces and tabs).
        let content_start = indent
            + chars[indent..]
                .iter()
                .take_while(|&&c| c == ' ' || c == '\t')
                .count();
        // Where the node being read began (its tag, quote or first
        // character; `None` until it has one), the first key's column,
        // and the last `- ` indicator's column on this line.
        let mut node_col: Option<usize> = None;
        let mut key_col: Option<usize> = None;
        let mut dash_col = indent;
        while i < chars.len() {
            let c = chars[i];
            if let Some(q) = quote {
                if q == '"' && c == '\\' {
                    i += 2;
                    continue;
                }
                if c == q {
                    if q == '\'' && chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    quote = None;
                    at_node = false;
                }
                i += 1;
                continue;
            }
            let next = chars.get(i + 1).copied();
            let prev_blank = i == 0 || chars[i - 1] == ' ' || chars[i - 1] == '\t';
            let depth = |flow: usize, compact: usize, indents: usize| flow + compact + indents;
            match c {
                ' ' | '\t' => {}
                '#' if prev_blank => break,
                '[' | '{' if at_node || !flow.is_empty() => {
                    flow.push((lineno, i + 1, c));
                    in_plain = false;
                    if depth(flow.len(), compact, indents.len()) > MAX_NESTING {
                        return Scan {
                            hazard: Some(Hazard::TooDeep {
                                line: lineno,
                                column: i + 1,
                            }),
                            unclosed: None,
                        };
                    }
                    at_node = true;
                    node_col = None;
                }
                ']' | '}' if !flow.is_empty() => {
                    flow.pop();
                    at_node = false;
                    in_plain = false;
                }
                ',' if !flow.is_empty() => {
                    at_node = true;
                    node_col = None;
                    in_plain = false;
                }
                '"' | '\'' if at_node => {
                    node_col.get_or_insert(i);
                    quote = Some(c);
                    in_plain = false;
                }
                '&' | '*' if at_node => {
                    let written: String = chars[i..]
                        .iter()
                        .take_while(|&&c| !matches!(c, ' ' | '\t' | ',' | '[' | ']' | '{' | '}'))
                        .collect();
                    return Scan {
                        hazard: Some(Hazard::Alias {
                            line: lineno,
                            column: i + 1,
                            written,
                        }),
                        unclosed: None,
                    };
                }
                '!' if at_node => {
                    // A tag: the node itself follows it.
                    node_col.get_or_insert(i);
                    while i + 1 < chars.len() && !is_blank(chars.get(i + 1).copied()) {
                        i += 1;
                    }
                }
                '|' | '>' if at_node && flow.is_empty() => {
                    // Its lines are those indented more than the node it
                    // is the value of: the key, the `- `, or (alone on its
                    // line) the enclosing block.
                    block_scalar = Some(child_indent(
                        key_col,
                        compact,
                        dash_col,
                        node_col.unwrap_or(i) == content_start,
                        indent,
                        &indents,
                    ));
                    in_plain = false;
                    break;
                }
                '-' | '?' if at_node && flow.is_empty() && is_blank(next) => {
                    node_col = None;
                    if c == '-' {
                        dash_col = i;
                        compact += 1;
                        if depth(0, compact, indents.len()) > MAX_NESTING {
                            return Scan {
                                hazard: Some(Hazard::TooDeep {
                                    line: lineno,
                                    column: i + 1,
                                }),
                                unclosed: None,
                            };
                        }
                    }
                }
                ':' if is_blank(next) || !flow.is_empty() => {
                    in_plain = false;
                    if flow.is_empty() && at_node && node_col.is_none() {
                        // `: value` with an empty key: the value follows.
                    } else if flow.is_empty() {
                        // `a: b: c` is a value with `: ` in it (an error
                        // libyaml reports), not a second node.
                        colons += 1;
                        if colons == 1 {
                            key_col = Some(node_col.unwrap_or(i));
                        }
                        at_node = colons == 1;
                    } else {
                        at_node = true;
                    }
                    node_col = None;
                }
                _ => {
                    if at_node {
                        node_col.get_or_insert(i);
                    }
                    at_node = false;
                    in_plain = flow.is_empty();
                }
            }
            i += 1;
        }
        if in_plain && quote.is_none() && flow.is_empty() && block_scalar.is_none() {
            plain_from = Some(child_indent(
                key_col,
                compact,
                dash_col,
                node_col == Some(content_start),
                indent,
                &indents,
            ));
        }
    }
    Scan {
        hazard: None,
        unclosed: flow.last().copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hazard(yaml: &str) -> Option<Hazard> {
        scan(yaml).hazard
    }

    #[test]
    fn real_entries_pass() {
        for yaml in [
            "name: a\nkana: b\n",
            "name: a\nhours:\n  - {days: [mon, fri], open: \"15:00\", close: \"21:00\"}\n  - weekday: thu\n    nth: 3\n",
            "name: \"*印\"\nsummary: '&と*'\nnote: 予約 *要 & 確認\n",
            "summary: 注意\n  *予約が必要\n  &そのほか\nkana: b\n",
            "body: |\n  [[[[[[ *a &b\n  - - - - -\n\n  \"\nname: x\n",
            "phone: [\"082-1\", '0120-2']  # comment [ *x\nweb: https://a.jp/#x[\n",
            "summary: \"line one\n  [ *continued\"\nkana: b\n",
            "keywords: !!seq [a, b]\n",
            "hours:\n  - days: [mon]\n    note: x\n    open: \"9:00\"\n- 注意\n  *続き\n",
        ] {
            assert_eq!(scan(yaml), Scan::default(), "{yaml}");
        }
        let nested = format!(
            "k: {}{}\n",
            "[".repeat(MAX_NESTING - 1),
            "]".repeat(MAX_NESTING - 1)
        );
        assert_eq!(hazard(&nested), None);
    }

    #[test]
    fn deep_nesting_is_found_where_it_crosses_the_limit() {
        let flow = format!("name: a\nk: {}", "[".repeat(10_000));
        assert_eq!(
            hazard(&flow),
            Some(Hazard::TooDeep {
                line: 2,
                column: 4 + MAX_NESTING - 1
            })
        );
        let map = format!("geo: {}1", "{a: ".repeat(1000));
        assert!(matches!(
            hazard(&map),
            Some(Hazard::TooDeep { line: 1, .. })
        ));
        let block = format!("k:\n{}x\n", "- ".repeat(1000));
        // Line 2 is one indentation level; the 64th `- ` crosses.
        assert_eq!(
            hazard(&block),
            Some(Hazard::TooDeep {
                line: 2,
                column: 2 * (MAX_NESTING - 1) + 1
            })
        );
    }

    #[test]
    fn the_first_anchor_or_alias_is_named() {
        assert_eq!(
            hazard("name: x\nlol0: &a0 [a]\nlol1: [*a0, *a0]\n"),
            Some(Hazard::Alias {
                line: 2,
                column: 7,
                written: "&a0".into()
            })
        );
        assert_eq!(
            hazard("k: [x, *b]\n"),
            Some(Hazard::Alias {
                line: 1,
                column: 8,
                written: "*b".into()
            })
        );
        assert_eq!(
            hazard("- !!str &n x\n"),
            Some(Hazard::Alias {
                line: 1,
                column: 9,
                written: "&n".into()
            })
        );
    }

    #[test]
    fn keys_after_a_plain_value_in_a_list_item_are_scanned() {
        assert!(matches!(
            hazard("hours:\n  - note: x\n    open: *a\n"),
            Some(Hazard::Alias {
                line: 3,
                column: 11,
                ..
            })
        ));
    }

    /// What a real YAML parser (yaml-rust2) sees: whether the text is
    /// YAML at all, whether it uses an anchor or alias, and how deep it is.
    fn parsed(yaml: &str) -> Option<(bool, usize)> {
        use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
        use yaml_rust2::scanner::Marker;
        #[derive(Default)]
        struct R {
            /// The first node: an entry must be a mapping.
            first: Option<bool>,
            aliases: bool,
            depth: usize,
            max: usize,
        }
        impl MarkedEventReceiver for R {
            fn on_event(&mut self, ev: Event, _: Marker) {
                if matches!(
                    ev,
                    Event::Alias(_)
                        | Event::Scalar(..)
                        | Event::SequenceStart(..)
                        | Event::MappingStart(..)
                ) && self.first.is_none()
                {
                    self.first = Some(matches!(ev, Event::MappingStart(..)));
                }
                match ev {
                    Event::Alias(_) => self.aliases = true,
                    Event::Scalar(_, _, anchor, _) if anchor > 0 => self.aliases = true,
                    Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                        self.aliases |= anchor > 0;
                        self.depth += 1;
                        self.max = self.max.max(self.depth);
                    }
                    Event::SequenceEnd | Event::MappingEnd => self.depth -= 1,
                    _ => {}
                }
            }
        }
        let mut r = R::default();
        Parser::new_from_str(yaml).load(&mut r, true).ok()?;
        // Anything but one mapping is refused as `not-a-mapping` anyway.
        (r.first == Some(true)).then_some((r.aliases, r.max))
    }

    /// Against a real parser, on YAML-ish text that is a mapping (as every
    /// entry is): valid YAML without anchors and well under the limit is never refused (no false alarm on an
    /// editor's entry), and YAML with an anchor or alias always is.
    #[test]
    fn agrees_with_a_real_parser() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, RngSeed, TestRunner};
        let pieces = prop::sample::select(vec![
            "name: ",
            "summary: ",
            "\nkana: ",
            "\nhours:\n",
            "\n  - ",
            "\n    ",
            "- ",
            ": ",
            "[",
            "]",
            "{",
            "}",
            ", ",
            "\"",
            "'",
            "''",
            "\\\"",
            "&a ",
            "*a",
            "*印",
            "&と",
            " *",
            " &",
            "# c",
            " # c\n",
            "|\n  ",
            ">-\n  ",
            "!!str ",
            "? ",
            "\n",
            "\n  ",
            "text",
            "あいう",
            "a: b",
            "10:00",
            "https://x.jp/#a",
            "x#y",
            "-1",
            "\t",
            "\u{2028}",
        ]);
        // PROPTEST_CASES and PROPTEST_RNG_SEED (a number) for a longer hunt.
        let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        let mut runner = TestRunner::new(Config {
            cases: env("PROPTEST_CASES").map_or(3000, |c| c as u32),
            failure_persistence: None,
            rng_seed: RngSeed::Fixed(env("PROPTEST_RNG_SEED").unwrap_or(0x0067_7561_7264)),
            ..Config::default()
        });
        let result = runner.run(&prop::collection::vec(pieces, 0..40), |parts| {
            let yaml = parts.concat();
            if let Some((aliases, depth)) = parsed(&yaml) {
                let hazard = scan(&yaml).hazard;
                if !aliases && depth <= MAX_NESTING / 2 {
                    prop_assert_eq!(&hazard, &None, "refused valid YAML {:?}", yaml);
                }
                if aliases {
                    prop_assert!(
                        matches!(hazard, Some(Hazard::Alias { .. })),
                        "missed an anchor or alias in {:?}",
                        yaml
                    );
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    }

    #[test]
    fn the_innermost_unclosed_bracket_is_remembered() {
        assert_eq!(scan("name: x\nkana: {a: ").unclosed, Some((2, 7, '{')));
        assert_eq!(scan("k: [a, [b, c]\n").unclosed, Some((1, 4, '[')));
        assert_eq!(scan("k: [a, \"]\"\n").unclosed, Some((1, 4, '[')));
        assert_eq!(scan("k: [a]\n").unclosed, None);
    }
}
