//! Index: the search bundle written beside the site (`search-index/index.bin`).
//! (Wired to the `tsunagu-search` crate once it lands.)

use crate::render::OutputFile;
use crate::site::Site;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Search(String),
}

pub fn build_index(_site: &Site) -> Result<Vec<OutputFile>, IndexError> {
    Ok(Vec::new())
}
