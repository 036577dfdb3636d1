//! The browser side of search, built from `search-index/wasm/` and embedded
//! in the binary so a portal folder anywhere gets search with no extra tools.
//! (Wired to the checked-in build once it lands.)

/// Tera template for the search page body (form, results, noscript).
pub const SEARCH_APP_TEMPLATE: &str =
    "<form method=\"get\" action=\"\"><input type=\"search\" name=\"q\"></form>";
