//! `tsunagu import csv FILE --kind KIND`: a spreadsheet → entry files.

use crate::import::{self, Action, Level, Options};
use crate::model::Kind;
use crate::pipeline::BuildContext;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub format: ImportFormat,
}

#[derive(clap::Subcommand, Debug)]
pub enum ImportFormat {
    /// A CSV file (UTF-8, UTF-8 with BOM, or Shift_JIS as Excel saves it).
    #[command(
        after_help = "自治体標準オープンデータセット (公共施設一覧 / イベント一覧) の列名をそのまま読みます。
Columns of the standard open-data sets (公共施設一覧 / イベント一覧) are read by default.

例 / Examples:
  # 書き込まずに確認 / see what would be written, write nothing
  tsunagu import csv shisetsu.csv --kind center --dry-run
  # 列名の対応表を使う / with a column mapping
  tsunagu import csv shokudo.csv --kind cafeteria --map mapping.toml
  # 取り込み直し(同期): 一覧の変更だけを反映し、編集した欄は残す
  # re-import (sync): apply the list's changes, keep editors' changes
  tsunagu import csv shisetsu.csv --kind center --dry-run
  tsunagu import csv shisetsu.csv --kind center
  # 編集した電話番号も一覧の値に戻す / let the list's phone replace an edited one
  tsunagu import csv shisetsu.csv --kind center --overwrite phone"
    )]
    Csv(CsvArgs),
}

#[derive(clap::Args, Debug)]
pub struct CsvArgs {
    /// The CSV file.
    pub file: PathBuf,
    /// The kind of every row: center, organization, event or cafeteria
    /// (a 種別 column overrides it row by row).
    #[arg(long, value_parser = parse_kind)]
    pub kind: Kind,
    /// A mapping.toml: `[columns]` with `"列名" = "field"`.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Print what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace a file with the same name that did not come from this list
    /// (the whole file is replaced). Entries imported before are synced
    /// instead, field by field, without this flag.
    #[arg(long)]
    pub force: bool,
    /// The list's name recorded in each entry's `source` (default: the
    /// mapping's `dataset`, else 公共施設一覧 / イベント一覧).
    #[arg(long, value_name = "NAME")]
    pub dataset: Option<String>,
    /// Fields where the list's new value replaces an editor's change
    /// (e.g. `--overwrite phone,address`). Without it, editors' changes stay.
    #[arg(long, value_name = "FIELD,...", value_delimiter = ',')]
    pub overwrite: Vec<String>,
    /// The portal folder.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    let k = Kind::parse(s).or_else(|| Kind::from_folder(s));
    match k {
        Some(Kind::Page) => Err("pages cannot be imported (write them by hand)".into()),
        Some(k) => Ok(k),
        None => Err(format!(
            "`{s}` is not a kind: use center, organization, event or cafeteria"
        )),
    }
}

pub fn run(args: ImportArgs) -> ExitCode {
    let ImportFormat::Csv(args) = args.format;
    let now = match BuildContext::now_from_env() {
        Ok(n) => n,
        Err(d) => {
            eprintln!("error: {}", d.message);
            return ExitCode::FAILURE;
        }
    };
    let opts = Options {
        root: args.root.clone(),
        file: args.file.clone(),
        kind: args.kind,
        map: args.map.clone(),
        dry_run: args.dry_run,
        force: args.force,
        dataset: args.dataset.clone(),
        overwrite: args.overwrite.clone(),
        now,
    };
    let report = match import::run(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "{}: {} として読みました / read as {} ({} rows)",
        args.file.display(),
        report.encoding.describe(),
        report.encoding.describe(),
        report.rows
    );
    for m in &report.messages {
        let level = match m.level {
            Level::Info => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        let place = match (m.row, &m.column) {
            (Some(r), Some(c)) => format!("{r}行目「{c}」 (row {r}, column {c}): "),
            (Some(r), None) => format!("{r}行目 (row {r}): "),
            (None, Some(c)) => format!("「{c}」: "),
            (None, None) => String::new(),
        };
        eprintln!("{level}: {place}{}", m.text);
    }
    let mut out = String::new();
    let mut writes = 0;
    for p in &report.files {
        let path = p.path.display();
        match &p.action {
            Action::Skip(why) => eprintln!("skip: {path}: {why}"),
            Action::Unchanged => {}
            Action::Update => {
                writes += 1;
                let verb = if args.dry_run {
                    "would update"
                } else {
                    "updated"
                };
                let fields: Vec<&str> = p.changes.iter().map(|c| c.field.as_str()).collect();
                eprintln!(
                    "{verb}: {path} ({})",
                    if fields.is_empty() {
                        "source only".to_string()
                    } else {
                        fields.join(", ")
                    }
                );
                if args.dry_run {
                    out.push_str(&format!("# {path} (row {})\n", p.row));
                    for c in &p.changes {
                        for l in c.old.iter().flat_map(|t| t.lines()) {
                            out.push_str(&format!("- {l}\n"));
                        }
                        for l in c.new.iter().flat_map(|t| t.lines()) {
                            out.push_str(&format!("+ {l}\n"));
                        }
                    }
                    out.push('\n');
                }
            }
            Action::Create | Action::Overwrite { .. } => {
                writes += 1;
                let verb = match (&p.action, args.dry_run) {
                    (Action::Create, true) => "would write",
                    (Action::Create, false) => "wrote",
                    (_, true) => "would replace",
                    (_, false) => "replaced",
                };
                if let Action::Overwrite {
                    replaced: Some(old),
                } = &p.action
                {
                    eprintln!("{verb}: {path} (removing {})", old.display());
                } else {
                    eprintln!("{verb}: {path}");
                }
                if args.dry_run {
                    out.push_str(&format!("# {path}\n{}\n", p.text));
                }
            }
        }
    }
    for g in &report.gone {
        if args.dry_run {
            out.push_str(&format!(
                "# gone: {} (row {} of {})\n",
                g.path.display(),
                g.key,
                report.dataset
            ));
        }
    }
    eprintln!(
        "{}: 追加 {} / 変更 {} / 変更なし {} / 一覧から消えた {} (added / changed / unchanged / gone)",
        report.dataset,
        report.count(|a| matches!(a, Action::Create | Action::Overwrite { .. })),
        report.count(|a| *a == Action::Update),
        report.count(|a| *a == Action::Unchanged),
        report.gone.len()
    );
    if args.dry_run {
        eprintln!("dry run: {writes} file(s) would be written; nothing was written");
    } else {
        eprintln!(
            "{} file(s) written into {}; check them with `tsunagu check --root {}`",
            report.written,
            args.root.join("content").display(),
            args.root.display()
        );
    }
    let code = super::print_stdout(&out);
    if report.has_errors() {
        ExitCode::FAILURE
    } else {
        code
    }
}
