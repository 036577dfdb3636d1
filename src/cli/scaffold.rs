//! `tsunagu new` and `tsunagu init`.

use crate::pipeline::BuildContext;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// center, organization, event, cafeteria or page
    pub kind: String,
    /// The file name without extension: lowercase a-z, 0-9 and -
    pub slug: String,
    /// The entry's name (a page's title).
    #[arg(long)]
    pub name: Option<String>,
    /// The portal folder.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// Folder for the new portal (created if missing).
    pub dir: PathBuf,
}

fn today() -> Result<jiff::civil::Date, ExitCode> {
    BuildContext::now_from_env()
        .map(|now| {
            now.to_zoned(jiff::tz::TimeZone::get("Asia/Tokyo").unwrap_or(jiff::tz::TimeZone::UTC))
                .date()
        })
        .map_err(|d| {
            eprintln!("error: {}", d.message);
            ExitCode::FAILURE
        })
}

pub fn run_new(args: NewArgs) -> ExitCode {
    let today = match today() {
        Ok(t) => t,
        Err(code) => return code,
    };
    let vocabulary = std::fs::read_to_string(args.root.join("site.toml"))
        .ok()
        .and_then(|t| crate::validate::validate_config(&t).ok())
        .map(|(c, _, _)| c.vocabulary);
    match crate::scaffold::new_entry(
        &args.root,
        &args.kind,
        &args.slug,
        args.name.as_deref(),
        vocabulary.as_ref(),
        today,
    ) {
        Ok(path) => {
            eprintln!(
                "created {}\nnext: fill in the fields, then run `tsunagu check`",
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn run_init(args: InitArgs) -> ExitCode {
    let today = match today() {
        Ok(t) => t,
        Err(code) => return code,
    };
    match crate::scaffold::init_portal(&args.dir, today) {
        Ok(files) => {
            for f in &files {
                eprintln!("created {}", f.display());
            }
            eprintln!("next: cd {} && tsunagu serve", args.dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
