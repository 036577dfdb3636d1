//! Site paths that more than one stage needs to know: a page links to a
//! file another stage writes. Kept here, with the writer, so the stages
//! depend on the output layer and never on each other.

/// The calendar with every event.
pub const EVENTS_ICS: &str = "events.ics";

/// One event's calendar (linked from its page as 「カレンダーに追加」).
pub fn event_ics(slug: &str) -> String {
    format!("events/{slug}/event.ics")
}

/// The Atom feed (linked from every page's head).
pub const FEED: &str = "feed.xml";
