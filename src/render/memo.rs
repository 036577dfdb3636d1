//! Card HTML remembered across renders, for `tsunagu serve`.
//!
//! Every render prepares the card of every entry (`partials/card.html`,
//! [`super::pages`]), because list and browse pages show them. In a
//! one-off build that is done once; the preview renders again after every
//! save, and at 10,000 entries rendering the 10,000 cards through tera is
//! most of the time it takes to show the edited page. A card's HTML
//! depends only on what the template is given (`c`, `base`, `language`)
//! and on the theme, so a theme that serve keeps between saves remembers
//! each card's HTML under those inputs: unchanged entries cost a lookup,
//! and an edited entry has new inputs, so it can never get stale HTML.
//! Off by default; `tsunagu build` never keeps a theme long enough to gain.

use std::collections::HashMap;
use std::sync::Mutex;

/// More remembered cards than this (each save adds the edited entry's new
/// card; two and a half times the cards of a 100,000-entry portal, about
/// 2 KB each) and the memo starts over, so a preview left running for days
/// does not grow without bound.
const MAX_CARDS: usize = 250_000;

#[derive(Default)]
pub(crate) struct CardMemo {
    cards: Option<Mutex<HashMap<String, String>>>,
}

impl CardMemo {
    pub(crate) fn enabled() -> CardMemo {
        CardMemo {
            cards: Some(Mutex::new(HashMap::new())),
        }
    }

    /// The HTML remembered for `key` (the template's inputs, serialized),
    /// or `render`'s, remembered. Without a memo, or without a key, just
    /// `render`.
    pub(crate) fn get_or_render<E>(
        &self,
        key: impl FnOnce() -> Option<String>,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<String, E> {
        let Some(cards) = &self.cards else {
            return render();
        };
        let Some(key) = key() else {
            return render();
        };
        if let Some(html) = cards.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(html);
        }
        let html = render()?;
        if let Ok(mut m) = cards.lock() {
            if m.len() >= MAX_CARDS {
                m.clear();
            }
            m.insert(key, html.clone());
        }
        Ok(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_by_inputs_only_when_enabled() {
        let calls = std::cell::Cell::new(0);
        let render = |s: &str| {
            calls.set(calls.get() + 1);
            Ok::<_, ()>(s.to_string())
        };
        let off = CardMemo::default();
        off.get_or_render(|| Some("a".into()), || render("A"))
            .unwrap();
        off.get_or_render(|| Some("a".into()), || render("A"))
            .unwrap();
        assert_eq!(calls.get(), 2, "off: always rendered");

        let on = CardMemo::enabled();
        calls.set(0);
        assert_eq!(
            on.get_or_render(|| Some("a".into()), || render("A")),
            Ok("A".into())
        );
        assert_eq!(
            on.get_or_render(|| Some("a".into()), || render("X")),
            Ok("A".into())
        );
        assert_eq!(
            on.get_or_render(|| Some("b".into()), || render("B")),
            Ok("B".into())
        );
        assert_eq!(calls.get(), 2, "the second `a` came from the memo");
        assert_eq!(on.get_or_render(|| None, || render("C")), Ok("C".into()));
        assert_eq!(calls.get(), 3, "no key: rendered");
    }
}
