//! The open-data format both directions share: the columns of the
//! 自治体標準オープンデータセット, the CSV codec (formula guard, encodings)
//! and kana conversion. The output stage that writes `data/*` is
//! [`crate::export`]; the CSV authoring tool that reads a list back into
//! entries is [`crate::import`]. This module writes nothing and reads no
//! files.

pub mod csv;
pub mod kana;
pub mod schedule;

/// The columns of `data/public-facilities.csv`: the 公共施設一覧 of the
/// 自治体標準オープンデータセット (デジタル庁), in its order, then `種別`
/// (not in the standard: the kind, so the import can tell centers from
/// cafeterias).
pub const FACILITY_COLUMNS: &[&str] = &[
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "名称",
    "名称_カナ",
    "名称_英語",
    "POIコード",
    "住所",
    "方書",
    "緯度",
    "経度",
    "電話番号",
    "内線番号",
    "法人番号",
    "団体名",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "説明",
    "バリアフリー情報",
    "URL",
    "備考",
    "種別",
];

/// The columns of `data/events.csv`: the イベント一覧 of the
/// 自治体標準オープンデータセット, in its order.
pub const EVENT_COLUMNS: &[&str] = &[
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金（基本）",
    "料金（詳細）",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
];

/// A column name as the import compares it: trimmed, full-width ASCII
/// (Ａ-Ｚ, （）) made half-width, spaces removed.
pub fn normalize_header(s: &str) -> String {
    s.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}
