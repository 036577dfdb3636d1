//! The command line: parse arguments, call the library, print diagnostics.
//! Each command lives in its own short file.

mod build;
mod check;
mod import;
mod scaffold;
mod schema;
mod search;
mod serve;
mod stale;

use crate::diagnostics::{self, Diagnostics, Format, SourceMap};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "tsunagu",
    version,
    about = "つなぐ — build regional support-resource portals from YAML and Markdown entries"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command that reads a portal shares.
#[derive(clap::Args, Debug, Clone)]
pub struct PortalArgs {
    /// The portal folder (with site.toml and content/).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// How problems are printed.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Include entries marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the portal into public/ (or --out).
    #[command(
        after_help = "Example:\n  tsunagu build --root my-portal --out my-portal/public\n  tsunagu build --base-url https://preview.example.jp/"
    )]
    Build(build::BuildArgs),
    /// Check every entry without writing anything; exit 1 on any error.
    #[command(
        after_help = "Example:\n  tsunagu check --format github   # annotations in GitHub Actions"
    )]
    Check(check::CheckArgs),
    /// Search the built portal's index, exactly as the search page does.
    #[command(
        after_help = "Example:\n  tsunagu search ひきこもり 家族\n  tsunagu search --json --kind event --area 広島市 相談会"
    )]
    Search(search::SearchArgs),
    /// Build and preview the portal on http://127.0.0.1:1111/.
    #[command(after_help = "Example:\n  tsunagu serve --root my-portal --port 8080")]
    Serve(serve::ServeArgs),
    /// List entries whose `verified` date is missing or too old, oldest first.
    #[command(
        after_help = "Example:\n  tsunagu stale --days 180\n  tsunagu stale --format csv > recheck.csv"
    )]
    Stale(stale::StaleArgs),
    /// Write a new entry with every field present and explained; never overwrites.
    #[command(
        after_help = "Example:\n  tsunagu new center aki-soudan --name \"安芸区ひきこもり相談窓口\""
    )]
    New(scaffold::NewArgs),
    /// Create a new portal folder that builds as it is.
    #[command(after_help = "Example:\n  tsunagu init my-portal && cd my-portal && tsunagu serve")]
    Init(scaffold::InitArgs),
    /// Import entries from a spreadsheet (CSV in the standard open-data columns).
    #[command(after_help = "Example:\n  tsunagu import csv shisetsu.csv --kind center --dry-run")]
    Import(import::ImportArgs),
    /// Print the JSON Schema for entries (for editors' YAML completion).
    #[command(after_help = "Example:\n  tsunagu schema --root . > entry.schema.json")]
    Schema(schema::SchemaArgs),
    /// Print shell completions.
    #[command(
        after_help = "Example:\n  tsunagu completions bash > ~/.local/share/bash-completion/completions/tsunagu"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Search(args) => search::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Stale(args) => stale::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Import(args) => import::run(args),
        Command::New(args) => scaffold::run_new(args),
        Command::Init(args) => scaffold::run_init(args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "tsunagu", &mut buf);
            print_stdout(&String::from_utf8_lossy(&buf))
        }
    }
}

/// Prints diagnostics to stderr (human, github) or stdout (json, so it
/// can be piped), colored only on a terminal and not when NO_COLOR is set.
pub(crate) fn report(diags: &Diagnostics, sources: &SourceMap, format: Format) {
    let result = match format {
        Format::Json => {
            diagnostics::emit(&mut std::io::stdout().lock(), diags, sources, format, false)
        }
        _ => {
            let stderr = std::io::stderr();
            let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
            diagnostics::emit(&mut stderr.lock(), diags, sources, format, color)
        }
    };
    if let Err(e) = result {
        eprintln!("tsunagu: could not print diagnostics: {e}");
    }
}

/// Writes a command's result to stdout. A closed pipe (`tsunagu search … | head`)
/// is a normal end, not an error and never a panic.
pub(crate) fn print_stdout(text: &str) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tsunagu: cannot write to stdout: {e}");
            ExitCode::FAILURE
        }
    }
}
