//! Scaffolding: a new entry with every field present and explained in
//! Japanese (`tsunagu new`), and a new portal (`tsunagu init`).

use crate::config::Vocabulary;
use crate::model::{Kind, Slug};
use crate::schema::SCHEMA_FILE;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("`{0}` is not a kind: use center, organization, event, cafeteria or page")]
    UnknownKind(String),
    #[error("{0}")]
    BadSlug(String),
    #[error("{} already exists; tsunagu never overwrites an entry (choose another slug or edit that file)", .0.display())]
    Exists(PathBuf),
    #[error("the slug `{slug}` is already used by {}; slugs must be unique across all kinds", .path.display())]
    SlugTaken { slug: String, path: PathBuf },
    #[error("{} already has a site.toml; `init` only creates new portals", .0.display())]
    PortalExists(PathBuf),
    #[error("--name: {0}")]
    BadName(String),
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `content/<kind>/<slug>.md` under `root` and returns its path.
pub fn new_entry(
    root: &Path,
    kind: &str,
    slug: &str,
    name: Option<&str>,
    vocabulary: Option<&Vocabulary>,
    today: jiff::civil::Date,
) -> Result<PathBuf, ScaffoldError> {
    let kind = Kind::parse(kind).ok_or_else(|| ScaffoldError::UnknownKind(kind.to_string()))?;
    let slug = Slug::parse(slug).map_err(ScaffoldError::BadSlug)?;
    if let Some(name) = name {
        check_name(name)?;
    }
    for k in Kind::ALL {
        for ext in ["md", "yaml", "yml"] {
            let p = root
                .join("content")
                .join(k.folder())
                .join(format!("{slug}.{ext}"));
            if p.exists() {
                return Err(if k == kind && ext == "md" {
                    ScaffoldError::Exists(p)
                } else {
                    ScaffoldError::SlugTaken {
                        slug: slug.to_string(),
                        path: p,
                    }
                });
            }
        }
    }
    let dir = root.join("content").join(kind.folder());
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let path = dir.join(format!("{slug}.md"));
    let text = entry_text(kind, name, vocabulary, today);
    // `create_new` so a file appearing meanwhile is never overwritten.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                ScaffoldError::Exists(path.clone())
            } else {
                ScaffoldError::Io {
                    path: path.clone(),
                    source: e,
                }
            }
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io(&path))?;
    Ok(path)
}

/// A name `check` would refuse is refused here, before a file is written:
/// empty, several lines, control or bidirectional characters.
fn check_name(name: &str) -> Result<(), ScaffoldError> {
    use crate::validate::text::{code_point, is_bidi_control, is_refused_control};
    if name.trim().is_empty() {
        return Err(ScaffoldError::BadName("the name is empty".into()));
    }
    if name.contains('\n') {
        return Err(ScaffoldError::BadName(
            "a name is one line: remove the line break".into(),
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| is_refused_control(*c) || is_bidi_control(*c))
    {
        return Err(ScaffoldError::BadName(format!(
            "the name holds the invisible character {}: retype it without",
            code_point(c)
        )));
    }
    Ok(())
}

/// `value` as a YAML double-quoted scalar: any text comes back exactly,
/// whatever it holds (`#`, `: `, quotes, a leading `*` or `&`, a
/// backslash). Characters YAML does not allow raw are escaped.
pub fn yaml_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            // YAML's printable set: tab, LF, CR, 0x20–0x7E, 0x85,
            // 0xA0–0xD7FF, 0xE000–0xFFFD, 0x10000 and above.
            c if matches!(c, ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
                || c >= '\u{10000}' =>
            {
                out.push(c)
            }
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn first(list: Option<&Vec<String>>, fallback: &str) -> String {
    list.and_then(|l| l.first().cloned())
        .unwrap_or_else(|| fallback.to_string())
}

/// The text of a new entry. Required fields have values; every other field
/// is present as a commented line with an example.
pub fn entry_text(
    kind: Kind,
    name: Option<&str>,
    vocabulary: Option<&Vocabulary>,
    today: jiff::civil::Date,
) -> String {
    let category = first(vocabulary.map(|v| &v.categories), "ひきこもり");
    let audience = first(vocabulary.map(|v| &v.audience), "家族");
    let method = first(vocabulary.map(|v| &v.methods), "電話");
    let area = first(vocabulary.map(|v| &v.areas), "広島市/中区");
    let mut s = String::from("---\n");
    s.push_str(&format!(
        "# yaml-language-server: $schema=../../{SCHEMA_FILE}\n"
    ));
    s.push_str(
        "# 「#」で始まる行はメモ(コメント)です。使う項目は「#」を消して書き換えてください。\n",
    );
    s.push_str("# Lines starting with # are comments: remove the # to use a field.\n\n");
    if kind == Kind::Page {
        s.push_str(&format!(
            "# タイトル(必須) / title (required)\ntitle: {}\n",
            yaml_quoted(name.unwrap_or("ページのタイトル"))
        ));
        s.push_str("# 一覧に出る一行の説明 / one line shown in lists\n# summary: \n");
        s.push_str("# 並び順(小さいほど先) / order in the list of pages\n# order: 10\n");
        s.push_str("# 検索用の追加キーワード / extra search words\n# keywords: []\n");
        s.push_str("# true にすると公開されません / true: not published\n# draft: true\n");
        s.push_str("---\n\nここに本文を書きます(Markdown)。\n");
        return s;
    }
    let lines: Vec<(&str, String)> = vec![
        ("名前(必須) / display name (required)", format!("name: {}", yaml_quoted(name.unwrap_or("(名称を入力してください)")))),
        ("よみがな(ひらがな)。五十音順と検索に使います / reading in hiragana", "# kana: ".into()),
        ("一覧に出る一行の説明(140字まで) / one line for lists (≤ 140 characters)", "# summary: ".into()),
        ("分野(site.toml の vocabulary.categories から) / categories", format!("# categories: [{category}]")),
        ("対象(vocabulary.audience から) / who it is for", format!("# audience: [{audience}]")),
        ("相談・参加の方法(vocabulary.methods から) / how to consult or join", format!("# methods: [{method}]")),
        ("地域(vocabulary.areas から一つ) / one area", format!("# area: {area}")),
        ("住所 / street address", "# address: ".into()),
        ("地図の位置(緯度・経度) / map position in degrees", "# geo: {lat: 34.3853, lon: 132.4553}".into()),
        ("行き方 / directions", "# access: ".into()),
        ("電話番号(複数なら [..]) / phone, or a list", "# phone: 082-000-0000".into()),
        ("メール / e-mail", "# email: info@example.jp".into()),
        ("ウェブサイト(https://...) / website", "# website: https://example.jp/".into()),
        ("費用 / fee", "# fee: 無料".into()),
        ("無料なら true / true when it costs nothing", "# free: true".into()),
        ("名前を言わずに相談できるなら true / anonymous consultation possible", "# anonymous: true".into()),
        (
            "受付時間(毎週: days、毎月第n: weekday と nth、nth: -1 は最終) / opening hours",
            "# hours:\n#   - {days: [mon, tue, wed, thu, fri], open: \"9:00\", close: \"17:00\"}\n#   - {weekday: thu, nth: 3, open: \"13:30\", close: \"16:30\", note: 家族の会}".into(),
        ),
        (
            "休館日(受付時間より優先)/ closed days that override the hours",
            "# closed:\n#   - 年末年始\n#   - {weekday: tue, nth: 3}\n#   - {date: 2027-01-15, note: 臨時休館}".into(),
        ),
        ("時間の補足 / notes on the hours", "# hours_note: 来所は予約制です".into()),
        ("バリアフリー情報 / accessibility", "# accessibility: 車いす可".into()),
        ("対応できる言語 / languages", "# languages: [日本語]".into()),
        ("対象年齢 / ages served", "# min_age: 18\n# max_age: 64".into()),
        ("状態: open(既定)/ paused(休止中)/ closed(閉鎖) / status", "# status: open".into()),
        ("運営団体(organizations/ のファイル名) / operator's slug", "# operator: ".into()),
        ("検索用の追加キーワード / extra search words", "# keywords: []".into()),
        ("情報を確認した日(確認したら書き換え) / date last confirmed", format!("# verified: {today}")),
        ("true にすると公開されません / true: not published", "# draft: true".into()),
    ];
    for (comment, line) in lines {
        s.push_str(&format!("# {comment}\n{line}\n"));
    }
    if kind == Kind::Event {
        let start = today
            .checked_add(jiff::Span::new().days(14))
            .unwrap_or(today);
        s.push_str("\n# --- イベントの項目 / event fields ---\n");
        s.push_str(&format!(
            "# 開始日時(必須) / starts (required)\nstarts: {start}T13:30\n"
        ));
        s.push_str(&format!("# 終了日時 / ends\n# ends: {start}T16:30\n"));
        s.push_str("# 会場(文章) / venue in words\n# venue: \n");
        s.push_str("# 会場が掲載中の窓口・食堂なら、そのファイル名 / place: slug of a center or cafeteria\n# place: \n");
        s.push_str(
            "# オンライン開催なら true か参加用URL / online: true or the link\n# online: true\n",
        );
        s.push_str("# 申し込み方法(文章かURL) / how to apply\n# registration: 電話で前日までにお申し込みください\n");
        s.push_str("# 定員 / capacity\n# capacity: 20\n");
        s.push_str("# 主催団体(organizations/ のファイル名) / organizer's slug\n# organizer: \n");
    }
    s.push_str("---\n\nここに本文を書きます(Markdown)。どんな所か、誰のためか、はじめての人はどうすればよいかを書いてください。\n");
    s
}

/// Creates a new portal in `dir`: site.toml, one entry of each kind, the
/// schema for editors, and a .gitignore. Returns the files written.
pub fn init_portal(dir: &Path, today: jiff::civil::Date) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.join("site.toml").exists() {
        return Err(ScaffoldError::PortalExists(dir.to_path_buf()));
    }
    let verified = today.to_string();
    let event_day = today
        .checked_add(jiff::Span::new().days(30))
        .unwrap_or(today);
    let files: Vec<(&str, String)> = vec![
        ("site.toml", SITE_TOML.to_string()),
        (".gitignore", "/public\n".to_string()),
        ("content/organizations/kazokukai.md", format!("---\n# yaml-language-server: $schema=../../{SCHEMA_FILE}\nname: 〇〇市ひきこもり家族会\nkana: まるまるしひきこもりかぞくかい\nsummary: ひきこもりの家族が集まって話せる会です。\ncategories: [ひきこもり]\naudience: [家族]\narea: 〇〇市/中央区\nverified: {verified}\n---\n\n毎月、家族どうしで話せる例会を開いています。\n")),
        ("content/centers/soudan-center.md", format!("---\n# yaml-language-server: $schema=../../{SCHEMA_FILE}\nname: 〇〇市ひきこもり相談窓口\nkana: まるまるしひきこもりそうだんまどぐち\nsummary: ご本人とご家族の相談を受け付けます。名前を言わなくても相談できます。\ncategories: [ひきこもり]\naudience: [本人, 家族]\nmethods: [電話, 来所]\narea: 〇〇市/中央区\nphone: 03-0000-0000\nfree: true\nanonymous: true\nhours:\n  - {{days: [mon, tue, wed, thu, fri], open: \"9:00\", close: \"17:00\"}}\nclosed:\n  - 年末年始\nhours_note: 祝日は休み\noperator: kazokukai\nverified: {verified}\n---\n\n電話でも来所でも相談できます。\n")),
        ("content/events/kazoku-kataru-kai.md", format!("---\n# yaml-language-server: $schema=../../{SCHEMA_FILE}\nname: 家族で語る会\nkana: かぞくでかたるかい\nsummary: ひきこもりの家族どうしで、気持ちを話し合う会です。\ncategories: [ひきこもり]\naudience: [家族]\nmethods: [来所]\narea: 〇〇市/中央区\nstarts: {event_day}T13:30\nends: {event_day}T15:30\nplace: soudan-center\norganizer: kazokukai\nfree: true\nregistration: 電話で前日までにお申し込みください\n---\n\nはじめての方も歓迎します。\n")),
        ("content/cafeterias/minna-shokudo.yaml", format!("# yaml-language-server: $schema=../../{SCHEMA_FILE}\nname: みんな食堂\nkana: みんなしょくどう\nsummary: 子どもも大人も一緒に食べられる地域食堂です。\ncategories: [食, 居場所]\naudience: [誰でも]\narea: 〇〇市/北区\nfee: 子ども無料・大人300円\nhours:\n  - {{weekday: sat, nth: 2, open: \"11:30\", close: \"13:30\"}}\nverified: {verified}\nbody: |\n  月に一度、みんなでごはんを食べる場所です。\n")),
        ("content/pages/about.md", "---\ntitle: このサイトについて\norder: 1\n---\n\nこのサイトは、地域の相談先や居場所をまとめたものです。\n".to_string()),
        (SCHEMA_FILE, String::new()),
        (".github/workflows/tsunagu.yml", WORKFLOW.to_string()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let text = if rel == SCHEMA_FILE {
            schema_for_new_portal()
        } else {
            text
        };
        std::fs::write(&path, text).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

fn schema_for_new_portal() -> String {
    match crate::validate::validate_config(SITE_TOML) {
        Ok((config, _, _)) => crate::schema::entry_schema_text(Some(&config.vocabulary)),
        Err(_) => crate::schema::entry_schema_text(None),
    }
}

/// The CI workflow of a new portal: check, build, publish to GitHub Pages.
/// Documented in docs/publishing.md and run by tests/workflow.rs.
const WORKFLOW: &str = include_str!("../docs/workflow-example.yml");

/// site.toml of a new portal, every setting explained.
const SITE_TOML: &str = r#"# ポータルの設定 / portal settings. 詳しくは docs/content.md を参照。

# サイト名 / the portal's name
title = "〇〇市 ひきこもり支援情報"
# ポータルの説明(検索エンジンやリンクのプレビューに出ます)/ one sentence for search engines and link previews
description = "〇〇市のひきこもりの相談窓口・家族会・居場所・イベントの情報をまとめたサイトです。"
# 公開するURL(最後は /)/ where it is published, ending in /
base_url = "https://portal.example.jp/"
language = "ja"
# 時刻のないイベントの時間帯 / timezone of event times
timezone = "Asia/Tokyo"
# テーマ(組み込みは hiroshima)/ theme
theme = "hiroshima"
# 確認日(verified)がこれより古いと警告 / warn when verified is older than this
stale_after_days = 365
# 一覧の1ページに出す件数(多いときはページ送り)/ entries per list page
list_page_size = 50
# 各ページに「情報の誤りを報告」リンク(任意)/ optional report link
# report_email = "portal@example.jp"
# 「すぐに閉じる」ボタンの行き先(任意)/ optional quick-exit button
# quick_exit_url = "https://weather.example.jp/"

# エントリーで使える値の一覧 / the values entries may use
[vocabulary]
# 分野 / categories
categories = ["ひきこもり", "メンタルヘルス", "生活困窮", "子育て", "就労", "居場所", "食"]
# 対象 / audience
audience = ["本人", "家族", "支援者", "誰でも"]
# 相談・参加の方法 / methods
methods = ["電話", "メール", "来所", "訪問", "オンライン"]
# 地域。「/」で階層(市/区)/ areas; "/" makes a hierarchy
areas = ["〇〇市/中央区", "〇〇市/北区"]

# 検索で同じ言葉として扱うグループ / search synonyms
[synonyms]
groups = [["ひきこもり", "引きこもり", "引き籠もり"], ["子ども食堂", "こども食堂", "子供食堂"]]

# 全ページに表示する相談電話 / crisis lines on every page
[[hotlines]]
name = "よりそいホットライン"
phone = "0120-279-338"
hours = "24時間"
"#;
