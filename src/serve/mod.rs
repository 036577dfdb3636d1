//! `tsunagu serve`: the live preview an editor watches while saving.
//!
//! - [`http`]: the bounded HTTP server of the preview folder;
//! - [`live`]: the live-reload script and its event stream;
//! - [`changes`]: which rebuild a changed path needs;
//! - [`preview`]: the kept site and the rebuild of what a change touches;
//! - [`affected`]: what an entry change touches (the pages to render
//!   again, the site as the reference checks see it);
//! - [`report`]: what a rebuild tells the editor (terminal line, pages to
//!   reload);
//! - [`background`]: the search index and data files, rebuilt off the
//!   path of the page reload.
//!
//! It may not write output files except through [`crate::output`], and
//! it never prints: the CLI (`src/cli/serve.rs`) reports what it returns.

mod affected;
pub mod background;
pub mod changes;
pub mod http;
pub mod live;
pub mod preview;
pub mod report;

pub use changes::{classify_path, PathClass};
pub use http::{Limits, PreviewServer};
pub use live::Live;
pub use preview::{EntryChange, Preview};
pub use report::{Report, Written};

/// What the preview's own threads have to say (they never print): the CLI
/// takes the receiver from [`Preview::notices`] and reports each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The background worker rebuilt the data stages: `written` files
    /// changed.
    DataUpdated {
        written: usize,
        elapsed: std::time::Duration,
    },
    /// It could not; the search in the preview stays as it was.
    DataFailed(String),
    /// A helper thread could not start or stopped; the preview still works,
    /// more slowly or with older search.
    Degraded(String),
}
