//! Writes the test fixture (`tests/fixtures/docs.json` and
//! `synonyms.json`) as a bundle, for the wasm smoke test and for size
//! measurements.
//!
//! ```text
//! cargo run -p tsunagu-search --example write-fixture-bundle -- OUT [--synthetic N] [--tiers] [--docs FILE]
//! ```
//!
//! `OUT` gets both tiers in one bundle, or with `--tiers` tier 1 only,
//! and the body tier goes to `OUT` with `-body` before the extension
//! (`index.bin` → `index-body.bin`), as a site ships them.
//! `--synthetic N` adds N generated entries with Japanese text of a
//! realistic length, to measure the index size of a larger site.
//! `--docs FILE` indexes the documents of a JSON file instead of the
//! fixture: an array of documents, or `{"docs": [...], "synonyms": {...}}`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tsunagu_search::{build_bundle, build_bundles, SearchDoc, Synonyms};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("write-fixture-bundle: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .map(PathBuf::from)
        .ok_or("usage: write-fixture-bundle OUT [--synthetic N]")?;
    let mut synthetic = 0usize;
    let mut tiers = false;
    let mut docs_file: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tiers" => tiers = true,
            "--docs" => docs_file = Some(args.next().ok_or("--docs needs a file")?.into()),
            "--synthetic" => {
                synthetic = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--synthetic needs a number")?;
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let read = |name: &str| {
        std::fs::read_to_string(fixtures.join(name)).map_err(|e| format!("{name}: {e}"))
    };
    let (mut docs, synonyms): (Vec<SearchDoc>, Synonyms) = match docs_file {
        Some(file) => {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let bad = |e: serde_json::Error| format!("{}: {e}", file.display());
            if value.is_array() {
                (
                    serde_json::from_value(value).map_err(bad)?,
                    Synonyms::default(),
                )
            } else {
                (
                    serde_json::from_value(value["docs"].clone()).map_err(bad)?,
                    serde_json::from_value(value["synonyms"].clone()).map_err(bad)?,
                )
            }
        }
        None => (
            serde_json::from_str(&read("docs.json")?).map_err(|e| format!("docs.json: {e}"))?,
            serde_json::from_str(&read("synonyms.json")?)
                .map_err(|e| format!("synonyms.json: {e}"))?,
        ),
    };
    docs.extend((0..synthetic).map(generated));
    let write = |path: &Path, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        println!(
            "{} documents, {} bytes → {}",
            docs.len(),
            bytes.len(),
            path.display()
        );
        Ok::<(), String>(())
    };
    if tiers {
        let bundles = build_bundles(&docs, &synonyms).map_err(|e| e.to_string())?;
        write(&out, &bundles.index)?;
        write(&body_path(&out), &bundles.body)?;
    } else {
        let bundle = build_bundle(&docs, &synonyms).map_err(|e| e.to_string())?;
        write(&out, &bundle)?;
    }
    Ok(())
}

/// `dir/index.bin` → `dir/index-body.bin`.
fn body_path(out: &Path) -> PathBuf {
    let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("index");
    let name = match out.extension().and_then(|e| e.to_str()) {
        Some(ext) => format!("{stem}-body.{ext}"),
        None => format!("{stem}-body"),
    };
    out.with_file_name(name)
}

/// A deterministic made-up entry: a name, a summary of about 60
/// characters and a body of about 400, drawn from the vocabulary of the
/// portals (so bigram statistics resemble real content).
fn generated(i: usize) -> SearchDoc {
    const PLACES: [&str; 10] = [
        "広島",
        "呉",
        "福山",
        "尾道",
        "三原",
        "東広島",
        "廿日市",
        "安芸",
        "府中",
        "三次",
    ];
    const WARDS: [&str; 8] = [
        "中区",
        "東区",
        "南区",
        "西区",
        "安佐南区",
        "安佐北区",
        "安芸区",
        "佐伯区",
    ];
    const THINGS: [&str; 12] = [
        "ひきこもり相談窓口",
        "家族会",
        "子ども食堂",
        "若者サポートステーション",
        "居場所カフェ",
        "フリースペース",
        "保健福祉センター",
        "生活困窮者自立支援窓口",
        "地域包括支援センター",
        "不登校親の会",
        "就労体験プログラム",
        "オンライン交流会",
    ];
    const SENTENCES: [&str; 12] = [
        "ひきこもりの状態にある本人や家族からの相談を受け付けています。",
        "電話、メール、来所での相談に応じます。秘密は守られます。",
        "同じ悩みを持つ家族どうしで話し合う例会を毎月開いています。",
        "地域の子どもから高齢者まで誰でも利用できる食堂です。",
        "就労に向けた体験プログラムやボランティア活動を紹介します。",
        "専門の相談員が訪問による支援も行っています。",
        "利用は無料です。予約が必要な場合があります。",
        "不登校やひきこもりの経験者が運営するフリースペースです。",
        "オンラインでの参加や匿名での相談もできます。",
        "医療機関や福祉サービスとの連携を図っています。",
        "ボードゲームや手芸、料理などのプログラムがあります。",
        "初めての方は見学だけでも歓迎します。",
    ];
    let place = PLACES[i % PLACES.len()];
    let thing = THINGS[(i / 3) % THINGS.len()];
    let kind = ["center", "organization", "cafeteria", "event", "page"][i % 5];
    let body: String = (0..8)
        .map(|k| SENTENCES[(i * 7 + k * 5) % SENTENCES.len()])
        .collect();
    SearchDoc {
        slug: format!("generated-{i}"),
        kind: kind.to_owned(),
        name: format!("{place}{thing}{}", i / 30 + 1),
        kana: None,
        summary: format!(
            "{place}市内で活動する{thing}です。{}",
            SENTENCES[i % SENTENCES.len()]
        ),
        body,
        categories: vec![thing.to_owned()],
        keywords: vec![],
        audience: vec![["本人", "家族", "支援者"][i % 3].to_owned()],
        methods: vec![["電話", "来所", "オンライン", "訪問"][i % 4].to_owned()],
        area: Some(if place == "広島" {
            format!("広島市/{}", WARDS[i % WARDS.len()])
        } else {
            format!("{place}市")
        }),
        free: Some(i % 2 == 0),
        anonymous: Some(i % 3 == 0),
        url: format!("generated/{i}/"),
        starts: (kind == "event").then_some(1_700_000_000 + (i as i64) * 86_400),
        ends: None,
        ..SearchDoc::default()
    }
}
