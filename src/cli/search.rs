//! `tsunagu search`: the browser's query, run on the built index.

use std::path::PathBuf;
use std::process::ExitCode;
use tsunagu_search::{Hit, PastEvents, Query};

#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    /// The portal folder.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The built site (default: ROOT/public).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print a JSON array (slug, kind, name, url, score, …), best first.
    #[arg(long)]
    pub json: bool,
    /// Only this kind: center, organization, event, cafeteria, page.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Only this area; a parent (広島市) includes its wards.
    #[arg(long, value_name = "AREA")]
    pub area: Option<String>,
    /// Only this category (分類), as written in site.toml's vocabulary.
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Only entries for this audience (対象), e.g. 家族.
    #[arg(long, value_name = "AUDIENCE")]
    pub audience: Option<String>,
    /// Only entries offering this way of consulting (相談方法), e.g. 電話.
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,
    /// Only past events (終了したイベント). Without it, past events are
    /// included after everything else, marked 終了, as on the search page.
    #[arg(long)]
    pub past: bool,
    /// How many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// What to look for (several words: all must match).
    #[arg(required = true)]
    pub query: Vec<String>,
}

pub fn run(args: SearchArgs) -> ExitCode {
    if let Some(kind) = &args.kind {
        if crate::model::Kind::parse(kind).is_none() {
            eprintln!(
                "error: unknown kind `{kind}`: use center, organization, event, cafeteria or page"
            );
            return ExitCode::FAILURE;
        }
    }
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    // Both tiers: the first-results index and the body text.
    let index = match crate::index::open_built(&out) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}\nhelp: run `tsunagu build` (with this version of tsunagu) first");
            return ExitCode::FAILURE;
        }
    };
    let now = match crate::pipeline::BuildContext::now_from_env() {
        Ok(n) => n,
        Err(d) => {
            eprintln!("error: {}", d.message);
            return ExitCode::FAILURE;
        }
    };
    let query = Query {
        text: args.query.join(" "),
        kind: args.kind,
        category: args.category,
        area: args.area,
        audience: args.audience,
        method: args.method,
        now: Some(now.as_second()),
        past_events: if args.past {
            PastEvents::Only
        } else {
            PastEvents::Last
        },
        limit: args.limit,
        ..Query::default()
    };
    let results = match index.search(&query) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if args.json {
        return match serde_json::to_string_pretty(&results.hits) {
            Ok(s) => super::print_stdout(&(s + "\n")),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut text = String::new();
    if results.partial {
        text.push_str("完全に一致する結果がありません。一部の言葉に一致した結果を表示しています (no exact matches; showing results for some of your words)\n");
    }
    text.push_str(&format!(
        "{} 件 ({} results)\n",
        results.total, results.total
    ));
    for (i, hit) in results.hits.iter().enumerate() {
        // The area as the site writes it (広島市 安芸区).
        let area = hit.area.as_deref().unwrap_or("").replace('/', " ");
        text.push_str(&format!(
            "{:>2}. {}{} [{}] {}  /{}  ({:.2})\n",
            i + 1,
            past_label(hit),
            hit.name,
            hit.kind,
            area,
            hit.url,
            hit.score
        ));
        if !hit.summary.is_empty() {
            text.push_str(&format!("    {}\n", hit.summary));
        }
    }
    super::print_stdout(&text)
}

/// 「[終了 2025年3月1日] 」 before a past event, as the search page labels it
/// (dates in Japan time, like the page).
fn past_label(hit: &Hit) -> String {
    if !hit.past {
        return String::new();
    }
    let date = hit
        .starts
        .and_then(|t| jiff::Timestamp::from_second(t).ok())
        .and_then(|t| {
            jiff::tz::TimeZone::get("Asia/Tokyo")
                .ok()
                .map(|tz| t.to_zoned(tz))
        })
        .map(|z| format!(" {}年{}月{}日", z.year(), z.month(), z.day()))
        .unwrap_or_default();
    format!("[終了{date}] ")
}
