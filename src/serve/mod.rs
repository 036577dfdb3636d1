//! `tsunagu serve`: the live preview an editor watches while saving.
//!
//! - [`http`]: the bounded HTTP server of the preview folder;
//! - [`live`]: the live-reload script and its event stream;
//! - [`changes`]: which rebuild a changed path needs;
//! - [`preview`]: the kept site and the rebuild of what a change touches;
//! - [`background`]: the search index and data files, rebuilt off the
//!   path of the page reload.
//!
//! It may not write output files except through [`crate::output`], and
//! it never prints: the CLI (`src/cli/serve.rs`) reports what it returns.

pub mod http;
pub mod live;

pub use http::{Limits, PreviewServer};
pub use live::Live;
