//! tsunagu (つなぐ): a static-site generator for regional support-resource
//! portals.
//!
//! The pipeline is visible in the module layout:
//! `load` (read files) → `validate` (strict types + diagnostics) →
//! `render` (HTML via the theme) → `index` (the search bundle) →
//! `output` (the only writer: checked target, atomic swap). `pipeline` runs them
//! in order with one [`pipeline::BuildContext`]; `cli` only parses
//! arguments and calls the library.

pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod export;
pub mod feeds;
pub mod holidays;
pub mod import;
pub mod index;
pub mod load;
pub mod memory;
pub mod model;
pub mod opendata;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search_assets;
pub mod serve;
pub mod site;
pub mod validate;
