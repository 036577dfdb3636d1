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
use std::path::{Path, PathBuf};
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

// Every command's `--help` ends with examples, each with a comment in
// Japanese and English: editors copy these lines. `tests/cli_output.rs`
// fails for a command (or sub-command) without an `例 / Examples:` section.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the portal into public/ (or --out).
    #[command(after_help = "例 / Examples:
  # public/ に公開用のサイトを作る / build the site into public/
  tsunagu build --root my-portal
  # プレビュー用の URL で作る / build for a preview address
  tsunagu build --base-url https://preview.example.jp/ --out preview
  # 段階ごとの時間を表示 / print how long each stage took
  tsunagu build --timings")]
    Build(build::BuildArgs),
    /// Check every entry without writing anything; exit 1 on any error.
    #[command(after_help = "例 / Examples:
  # 全部の情報を確認する / check every entry
  tsunagu check --root my-portal
  # GitHub Actions で行に注釈をつける / annotations in GitHub Actions
  tsunagu check --format github
  # 1行に1つの JSON / one JSON object per problem
  tsunagu check --format json > problems.jsonl")]
    Check(check::CheckArgs),
    /// Search the built portal's index, exactly as the search page does.
    #[command(after_help = "例 / Examples:
  # サイトの検索ページと同じ結果 / the same results as the search page
  tsunagu search ひきこもり 家族
  # 広島市のイベントだけ、JSON で / events in 広島市 only, as JSON
  tsunagu search --json --kind event --area 広島市 相談会")]
    Search(search::SearchArgs),
    /// Build and preview the portal on http://127.0.0.1:1111/.
    #[command(after_help = "例 / Examples:
  # http://127.0.0.1:1111/ で確認し、保存するたびに更新 / preview, reloaded on every save
  tsunagu serve --root my-portal
  # 別のポートで、ブラウザーを開く / another port, and open the browser
  tsunagu serve --port 8080 --open")]
    Serve(serve::ServeArgs),
    /// List entries whose `verified` date is missing or too old, oldest first.
    #[command(after_help = "例 / Examples:
  # 180日以上確認していない情報 / entries not verified for 180 days
  tsunagu stale --days 180
  # Excel で開ける確認リスト / a re-check list that opens in Excel
  tsunagu stale --format csv --output recheck.csv")]
    Stale(stale::StaleArgs),
    /// Write a new entry with every field present and explained; never overwrites.
    #[command(after_help = "例 / Examples:
  # 相談窓口を1件追加 / add a center
  tsunagu new center aki-soudan --name \"安芸区ひきこもり相談窓口\"
  # イベントを1件追加 / add an event
  tsunagu new event 2026-12-kazokukai --name \"家族会 12月\"")]
    New(scaffold::NewArgs),
    /// Create a new portal folder that builds as it is.
    #[command(after_help = "例 / Examples:
  # 新しいポータルを作ってプレビュー / create a portal and preview it
  tsunagu init my-portal && cd my-portal && tsunagu serve")]
    Init(scaffold::InitArgs),
    /// Import entries from a spreadsheet (CSV in the standard open-data columns).
    #[command(after_help = "例 / Examples:
  # 書き込まずに確認 / see what would be written, write nothing
  tsunagu import csv shisetsu.csv --kind center --dry-run")]
    Import(import::ImportArgs),
    /// Print the JSON Schema for entries (for editors' YAML completion).
    #[command(after_help = "例 / Examples:
  # このポータルの分類・地域つきのスキーマ / with this portal's categories and areas
  tsunagu schema --root . --output entry.schema.json")]
    Schema(schema::SchemaArgs),
    /// Print shell completions.
    #[command(after_help = "例 / Examples:
  # bash の補完を入れる / install bash completions
  tsunagu completions bash > ~/.local/share/bash-completion/completions/tsunagu
  # zsh
  tsunagu completions zsh > ~/.zfunc/_tsunagu")]
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
/// "Now" for a command (`SOURCE_DATE_EPOCH` or the clock); a bad
/// `SOURCE_DATE_EPOCH` is reported in `format` and ends the command.
fn now_or_exit(
    format: crate::diagnostics::Format,
) -> Result<jiff::Timestamp, std::process::ExitCode> {
    crate::pipeline::BuildContext::now_from_env().map_err(|d| {
        let mut diags = crate::diagnostics::Diagnostics::default();
        diags.push(d);
        report(&diags, &crate::diagnostics::SourceMap::default(), format);
        std::process::ExitCode::FAILURE
    })
}

pub(crate) fn report(diags: &Diagnostics, sources: &SourceMap, format: Format) {
    let result = match format {
        Format::Json => {
            diagnostics::emit(&mut std::io::stdout().lock(), diags, sources, format, false)
        }
        _ => {
            let stderr = std::io::stderr();
            let no_color = std::env::var_os("NO_COLOR");
            let color = use_color(stderr.is_terminal(), no_color.as_deref());
            diagnostics::emit(&mut stderr.lock(), diags, sources, format, color)
        }
    };
    if let Err(e) = result {
        eprintln!("tsunagu: could not print diagnostics: {e}");
    }
}

/// Color only for a terminal, and never when `NO_COLOR` is set to a
/// non-empty value (<https://no-color.org>: an empty `NO_COLOR` does not
/// count). Logs, pipes and CI consoles get plain text.
pub(crate) fn use_color(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Where a command's text output goes: stdout, or `--output FILE`.
///
/// A file is written atomically (a temporary file in the same folder,
/// then renamed over the target), so an editor's schema or a re-check
/// list being read never appears half-written, and a failed run leaves
/// the previous file as it was. Exists because redirecting with `>` in
/// Windows PowerShell 5 writes UTF-16, which editors then cannot read.
pub(crate) fn write_result(text: &str, output: Option<&Path>) -> ExitCode {
    let Some(path) = output else {
        return print_stdout(text);
    };
    match write_atomically(path, text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "error: cannot write {}: {e}\nhelp: check that the folder exists and can be written to",
                path.display()
            );
            ExitCode::FAILURE
        }
    }
}

/// Writes `bytes` to `path` through a temporary sibling and a rename.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tsunagu-{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            // The temporary file is ours; a failure to remove it (it may
            // never have been created) changes nothing for the user.
            if tmp.exists() {
                if let Err(rm) = std::fs::remove_file(&tmp) {
                    eprintln!("warning: could not remove {}: {rm}", tmp.display());
                }
            }
            Err(e)
        }
    }
}

/// `1 entry`, `5 entries`: summary lines are read by people.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn color_only_on_a_terminal_without_no_color() {
        assert!(use_color(true, None));
        assert!(!use_color(false, None));
        assert!(!use_color(true, Some(OsStr::new("1"))));
        assert!(!use_color(false, Some(OsStr::new("1"))));
        // An empty NO_COLOR is "not set" (no-color.org).
        assert!(use_color(true, Some(OsStr::new(""))));
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("recheck.csv");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, "新しい内容".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "新しい内容");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("recheck.csv")]);
    }

    #[test]
    fn atomic_write_into_a_missing_folder_fails_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-folder/schema.json");
        assert!(write_atomically(&path, b"{}").is_err());
        assert!(!dir.path().join("no-such-folder").exists());
    }
}
