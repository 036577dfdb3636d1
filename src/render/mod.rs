//! Render: the validated [`Site`] to HTML and static files, through the theme.
//! (Being written: see the theme/render work.)

use crate::site::Site;

/// One file of the output, path relative to the output root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template `{template}`: {message}")]
    Template { template: String, message: String },
}

pub fn render_site(_site: &Site) -> Result<Vec<OutputFile>, RenderError> {
    Ok(Vec::new())
}
