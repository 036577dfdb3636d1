//! `tsunagu stale`: the editors' re-check list — entries whose `verified`
//! date is missing or older than the limit, oldest first, with the numbers
//! to call.

use super::{report, write_result};
use crate::diagnostics::Format;
use crate::model::{Entry, Kind};
use crate::pipeline::{self, BuildContext};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct StaleArgs {
    /// The portal folder.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Older than this many days (default: site.toml's stale_after_days).
    #[arg(long)]
    pub days: Option<u32>,
    /// `text` for people, `csv` for a spreadsheet (UTF-8 with BOM, so Excel opens it).
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Write the list to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Csv,
}

pub fn run(args: StaleArgs) -> ExitCode {
    let now = match BuildContext::now_from_env() {
        Ok(n) => n,
        Err(d) => {
            eprintln!("error: {}", d.message);
            return ExitCode::FAILURE;
        }
    };
    let ctx = BuildContext {
        out: args.root.join("public"),
        force_out: false,
        precompress: false,
        minify: true,
        root: args.root.clone(),
        base_url: None,
        drafts: true,
        now,
        progress: crate::progress::silent(),
    };
    let outcome = pipeline::check(&ctx);
    let Some(site) = outcome.site.as_ref() else {
        report(&outcome.diagnostics, &outcome.sources, Format::Human);
        eprintln!("fix the errors above first: the list needs a portal that checks clean");
        return ExitCode::FAILURE;
    };
    let limit = i64::from(args.days.unwrap_or(site.config.stale_after_days));
    let age = |e: &Entry| {
        e.fields
            .verified
            .and_then(|d| site.today.since(d.0).ok())
            .map(|s| i64::from(s.get_days()))
    };
    let mut rows: Vec<(&Entry, Option<i64>)> = site
        .entries
        .iter()
        .filter(|e| !matches!(e.kind, Kind::Page | Kind::Event))
        .map(|e| (e, age(e)))
        .filter(|(_, a)| a.is_none_or(|a| a > limit))
        .collect();
    // Never verified first, then oldest first; slug breaks ties.
    rows.sort_by(|(a, aa), (b, ba)| {
        ba.unwrap_or(i64::MAX)
            .cmp(&aa.unwrap_or(i64::MAX))
            .then(a.slug.cmp(&b.slug))
    });
    let phones = |e: &Entry| {
        e.fields
            .phone
            .as_ref()
            .map(|p| {
                p.as_slice()
                    .iter()
                    .map(|n| n.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .unwrap_or_default()
    };
    let text = match args.format {
        ListFormat::Csv => {
            let mut out = String::from("\u{feff}verified,days,kind,slug,name,phone,email,file\r\n");
            for (e, a) in &rows {
                let cells = [
                    e.fields.verified.map(|d| d.to_string()).unwrap_or_default(),
                    a.map(|a| a.to_string()).unwrap_or_default(),
                    e.kind.as_str().to_string(),
                    e.slug.to_string(),
                    e.name().to_string(),
                    phones(e),
                    e.fields
                        .email
                        .as_ref()
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_default(),
                    e.source.to_string_lossy().replace('\\', "/"),
                ];
                out.push_str(
                    &cells
                        .iter()
                        .map(|c| csv_cell(c))
                        .collect::<Vec<_>>()
                        .join(","),
                );
                out.push_str("\r\n");
            }
            out
        }
        ListFormat::Text => {
            let mut out = format!(
                "確認が必要な情報 (not verified within {limit} days): {}\n",
                rows.len()
            );
            for (e, a) in &rows {
                let when = match (e.fields.verified, a) {
                    (Some(d), Some(a)) => format!("{d} ({a}日前)"),
                    _ => "未確認 (never)".to_string(),
                };
                out.push_str(&format!(
                    "{when}  {}  [{}]  {}  {}\n",
                    e.name(),
                    e.kind,
                    phones(e),
                    e.source.display()
                ));
            }
            out
        }
    };
    write_result(&text, args.output.as_deref())
}

/// RFC 4180 quoting: wrap in quotes when needed, double inner quotes.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
