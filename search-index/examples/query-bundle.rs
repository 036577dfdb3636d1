//! Runs one query against a bundle and prints the JSON result, the same
//! JSON the browser receives.
//!
//! ```text
//! cargo run -p tsunagu-search --example query-bundle -- index.bin '{"text":"相談","kind":"center"}'
//! ```

use std::process::ExitCode;

use tsunagu_search::{Index, Query};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(query)) = (args.next(), args.next()) else {
        eprintln!("usage: query-bundle BUNDLE QUERY_JSON");
        return ExitCode::FAILURE;
    };
    let result = std::fs::read(&path)
        .map_err(|e| format!("{path}: {e}"))
        .and_then(|bytes| Index::open(bytes).map_err(|e| e.to_string()))
        .and_then(|index| {
            let query: Query = serde_json::from_str(&query).map_err(|e| e.to_string())?;
            index.search(&query).map_err(|e| e.to_string())
        })
        .and_then(|results| serde_json::to_string_pretty(&results).map_err(|e| e.to_string()));
    match result {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("query-bundle: {message}");
            ExitCode::FAILURE
        }
    }
}
