//! `tsunagu schema`: the JSON Schema for entries.

use super::write_result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct SchemaArgs {
    /// Take the vocabulary (categories, areas, …) from this portal's site.toml.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Write the schema to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: SchemaArgs) -> ExitCode {
    let vocabulary = match &args.root {
        None => None,
        Some(root) => {
            let path = root.join("site.toml");
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            };
            match crate::validate::validate_config(&text) {
                Ok((config, _, _)) => Some(config.vocabulary),
                Err(diags) => {
                    let mut all = crate::diagnostics::Diagnostics::default();
                    all.extend(diags);
                    let mut sources = crate::diagnostics::SourceMap::default();
                    sources.insert("site.toml", text);
                    super::report(&all, &sources, crate::diagnostics::Format::Human);
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    write_result(
        &crate::schema::entry_schema_text(vocabulary.as_ref()),
        args.output.as_deref(),
    )
}
