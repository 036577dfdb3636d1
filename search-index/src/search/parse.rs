//! Query parsing: the text split into words, synonyms expanded, each
//! spelling analysed like the documents and turned into tantivy queries
//! (phrases of bigrams, all bigrams, one-character prefixes).

use super::*;

/// One query word: its spellings (the word itself and synonym variants),
/// each analysed into query tokens.
pub(super) struct Word {
    pub(super) alternatives: Vec<Vec<Tok>>,
}

impl Index {
    /// Splits the query into words and expands synonyms.
    pub(super) fn plan(&self, text: &str) -> Vec<Word> {
        let normalized = normalize(text);
        let mut words: Vec<String> = normalized
            .split_whitespace()
            .take(MAX_WORDS)
            .map(str::to_owned)
            .collect();
        // A synonym that itself contains a space ("子ども 食堂") can only be
        // recognised on the whole query.
        let whole = words.join(" ");
        if words.len() > 1 && self.synonyms.iter().flatten().any(|m| *m == whole) {
            words = vec![whole];
        }
        words
            .iter()
            .filter_map(|word| {
                let alternatives: Vec<Vec<Tok>> = self
                    .spellings(word)
                    .iter()
                    .map(|spelling| analyze(spelling, Mode::Query))
                    .filter(|toks| !toks.is_empty())
                    .collect();
                (!alternatives.is_empty()).then_some(Word { alternatives })
            })
            .collect()
    }

    /// The word and its synonym variants: wherever a word contains a
    /// member of a group, each other member is substituted for it.
    pub(super) fn spellings(&self, word: &str) -> Vec<String> {
        let mut out = vec![word.to_owned()];
        for group in &self.synonyms {
            let mut added = Vec::new();
            for spelling in &out {
                // Longest member first, so "引き籠もり" wins over a shorter
                // member that is part of it.
                let found = group
                    .iter()
                    .filter(|m| spelling.contains(String::as_str(m)))
                    .max_by_key(|m| m.chars().count());
                if let Some(member) = found {
                    for other in group {
                        let variant = spelling.replace(String::as_str(member), other);
                        if !out.contains(&variant) && !added.contains(&variant) {
                            added.push(variant);
                        }
                    }
                }
            }
            out.extend(added);
            if out.len() >= MAX_ALTERNATIVES {
                out.truncate(MAX_ALTERNATIVES);
                break;
            }
        }
        out
    }

    /// The full-text part of a query: words combined with `occur` (Must =
    /// all words, Should = any), each word matching any of its spellings in
    /// any text field (the body too when `body` is given), with the field
    /// boosts.
    pub(super) fn text_query(
        &self,
        words: &[Word],
        occur: Occur,
        body: Option<(&Searcher, Field)>,
    ) -> Box<dyn TQuery> {
        let clauses = words
            .iter()
            .map(|word| {
                let mut per_word: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
                for toks in &word.alternatives {
                    for (field, options) in self.fields.text {
                        let q = if options.positions {
                            phrase_query(field, toks)
                        } else {
                            all_terms_query(field, toks)
                        };
                        if let Some(q) = q {
                            per_word
                                .push((Occur::Should, Box::new(BoostQuery::new(q, options.boost))));
                        }
                    }
                    if let Some((searcher, field)) = body {
                        if let Some(q) = all_terms_query(field, toks) {
                            let q = Box::new(BodyQuery {
                                searcher: searcher.clone(),
                                query: q,
                            });
                            per_word.push((
                                Occur::Should,
                                Box::new(BoostQuery::new(q, s::BODY_FIELD.boost)),
                            ));
                        }
                    }
                }
                (
                    occur,
                    Box::new(BooleanQuery::new(per_word)) as Box<dyn TQuery>,
                )
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }
}

/// The query for one spelling of a word in one field.
///
/// * one token of one character: a prefix query (a single typed character
///   matches every bigram starting with it, and the end-of-run unigram);
/// * one token: a term query;
/// * several: a phrase of the tokens at their positions, whose last token
///   is a prefix if it is a lone character (typing "ABC子" should find
///   "ABC子ども").
pub(super) fn phrase_query(field: Field, toks: &[Tok]) -> Option<Box<dyn TQuery>> {
    let term = |t: &Tok| Term::from_field_text(field, &t.text);
    match toks {
        [] => None,
        [only] if only.single_char => Some(prefix_query(field, &only.text)),
        [only] => Some(quiet_term(TermQuery::new(
            term(only),
            IndexRecordOption::WithFreqs,
        ))),
        [first, .., last] => {
            let terms: Vec<(usize, Term)> = toks
                .iter()
                .map(|t| (t.position - first.position, term(t)))
                .collect();
            if last.single_char {
                let mut q = PhrasePrefixQuery::new_with_offset(terms);
                q.set_max_expansions(MAX_PREFIX_EXPANSIONS);
                Some(quiet(q))
            } else {
                Some(quiet(PhraseQuery::new_with_offset(terms)))
            }
        }
    }
}

/// The query for one spelling of a word in a field without positions:
/// every token must occur somewhere in the field (a trailing lone
/// character as a prefix, as in [`phrase_query`]).
pub(super) fn all_terms_query(field: Field, toks: &[Tok]) -> Option<Box<dyn TQuery>> {
    let term = |t: &Tok| -> Box<dyn TQuery> {
        quiet_term(TermQuery::new(
            Term::from_field_text(field, &t.text),
            IndexRecordOption::WithFreqs,
        ))
    };
    match toks {
        [] => None,
        [only] if only.single_char => Some(prefix_query(field, &only.text)),
        [only] => Some(term(only)),
        [.., last] => {
            let mut seen: Vec<&str> = Vec::with_capacity(toks.len());
            let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::with_capacity(toks.len());
            for t in toks {
                if seen.contains(&t.text.as_str()) {
                    continue;
                }
                seen.push(&t.text);
                let q = if t.single_char && std::ptr::eq(t, last) {
                    prefix_query(field, &t.text)
                } else {
                    term(t)
                };
                clauses.push((Occur::Must, q));
            }
            Some(Box::new(BooleanQuery::new(clauses)))
        }
    }
}

/// All terms starting with `prefix`, as a constant-score range query over
/// the term dictionary: `[prefix, successor(prefix))`. Terms sort by UTF-8
/// bytes, i.e. by code point, so the range is exactly the prefixed terms.
pub(super) fn prefix_query(field: Field, prefix: &str) -> Box<dyn TQuery> {
    let lower = Bound::Included(Term::from_field_text(field, prefix));
    let upper = match successor(prefix) {
        Some(next) => Bound::Excluded(Term::from_field_text(field, &next)),
        None => Bound::Unbounded,
    };
    quiet(InvertedIndexRangeQuery::new(lower, upper))
}

/// The smallest string greater than every string starting with `prefix`.
pub(super) fn successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut code = last as u32 + 1;
        if (0xD800..=0xDFFF).contains(&code) {
            code = 0xE000;
        }
        if let Some(next) = char::from_u32(code) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

pub(super) fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successor_skips_surrogates() {
        assert_eq!(successor("a").as_deref(), Some("b"));
        assert_eq!(successor("\u{D7FF}").as_deref(), Some("\u{E000}"));
        assert_eq!(successor("\u{10FFFF}"), None);
    }
}
