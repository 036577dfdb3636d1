//! Re-import as a sync. Each imported entry records its `source`: the
//! list's name, the row's key and, per field, a hash of the value as last
//! imported. Importing the list again finds the entry by that key (so an
//! editor may rename the file), and for each field:
//!
//! - the list gives the same value as last time → nothing happens;
//! - the list changed it and the entry still holds the last imported value
//!   → the field is updated (or removed when the list no longer gives it);
//! - the list changed it but an editor changed it too → the editor's value
//!   stays, with a warning, unless `--overwrite FIELD` names the field.
//!
//! Fields the list never gave (the body, `verified`, categories an editor
//! added) are never touched. The file is edited block by block (one
//! top-level key and its indented lines), so the editor's comments, order
//! and formatting of every other field stay as they were.

use super::row::fnv1a;
use super::yaml::scalar;
use super::{Level, Message};
use crate::load::{FileFormat, SourceFile};
use crate::model::ImportSource;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The key `source` is written under; never hashed.
const SOURCE_KEY: &str = "source";

/// An entry of the portal that came from this list.
pub(super) struct Existing {
    pub(super) path: PathBuf,
    pub(super) text: String,
    pub(super) source: ImportSource,
}

/// The portal's entries from `dataset`, by row key. Two entries with one
/// key are reported (and the first, in path order, is the one synced).
pub(super) fn existing(
    files: &[SourceFile],
    dataset: &str,
    messages: &mut Vec<Message>,
) -> BTreeMap<String, Existing> {
    let mut out: BTreeMap<String, Existing> = BTreeMap::new();
    for f in files.iter().filter(|f| f.format == FileFormat::Markdown) {
        let Some((front, _)) = split_front(&f.text) else {
            continue;
        };
        let Some(source) = read_source(front) else {
            continue;
        };
        if source.dataset != dataset {
            continue;
        }
        if let Some(first) = out.get(&source.key) {
            messages.push(Message {
                level: Level::Warning,
                row: None,
                column: None,
                text: format!(
                    "{} and {} both say they are row 「{}」 of {dataset}; only {} is updated (merge the two, see tsunagu check)",
                    first.path.display(),
                    f.path.display(),
                    source.key,
                    first.path.display()
                ),
            });
            continue;
        }
        out.insert(
            source.key.clone(),
            Existing {
                path: f.path.clone(),
                text: f.text.clone(),
                source,
            },
        );
    }
    out
}

fn read_source(front: &str) -> Option<ImportSource> {
    let map: serde_yaml::Mapping = serde_yaml::from_str(front).ok()?;
    let value = map.get(SOURCE_KEY)?.clone();
    serde_yaml::from_value(value).ok()
}

/// `(front matter, rest after the closing ---)` of a `.md` file.
pub(super) fn split_front(text: &str) -> Option<(&str, &str)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let start = first_end + 1;
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            return Some((&text[start..offset], &text[offset..]));
        }
        offset += line.len();
    }
    None
}

/// One top-level key with its indented lines; the comments and blank
/// lines just above it are its `lead`, kept when the value is replaced.
#[derive(Debug, Clone)]
struct Block {
    key: Option<String>,
    lead: String,
    text: String,
}

fn blocks(front: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut pending = String::new();
    for line in front.split_inclusive('\n') {
        let starts_key = !line.starts_with([' ', '\t', '#', '-', '\r', '\n'])
            && !line.is_empty()
            && line.contains(':');
        let loose = line.trim().is_empty() || line.starts_with('#');
        if starts_key {
            let key = line[..line.find(':').unwrap_or(0)]
                .trim()
                .trim_matches(['"', '\''])
                .to_string();
            out.push(Block {
                key: Some(key),
                lead: std::mem::take(&mut pending),
                text: line.to_string(),
            });
        } else if loose {
            pending.push_str(line);
        } else if let Some(last) = out.last_mut() {
            last.text.push_str(&std::mem::take(&mut pending));
            last.text.push_str(line);
        } else {
            pending.push_str(line);
        }
    }
    if !pending.is_empty() {
        out.push(Block {
            key: None,
            lead: pending,
            text: String::new(),
        });
    }
    out
}

/// Field → hash of its value, read as YAML, so quoting and layout do not
/// count as a change.
fn hashes(front: &str) -> BTreeMap<String, String> {
    let Ok(map) = serde_yaml::from_str::<serde_yaml::Mapping>(front) else {
        return BTreeMap::new();
    };
    map.iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v)))
        .filter(|(k, _)| k != SOURCE_KEY)
        .map(|(k, v)| (k, value_hash(v)))
        .collect()
}

fn value_hash(v: &serde_yaml::Value) -> String {
    let canonical = serde_json::to_string(v).unwrap_or_else(|_| format!("{v:?}"));
    format!("{:08x}", fnv1a(&canonical) >> 32)
}

/// The `source:` block for these hashes.
fn source_block(dataset: &str, key: &str, imported: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = imported
        .iter()
        .map(|(k, h)| format!("{k}: \"{h}\""))
        .collect();
    format!(
        "{SOURCE_KEY}:\n  dataset: {}\n  key: {}\n  imported: {{{}}}\n",
        scalar(dataset),
        serde_json::to_string(key).unwrap_or_else(|_| format!("{key:?}")),
        pairs.join(", ")
    )
}

/// A new entry's text with its `source`.
pub(super) fn with_source(text: &str, dataset: &str, key: &str) -> String {
    let Some((front, rest)) = split_front(text) else {
        return text.to_string();
    };
    format!(
        "---\n{front}{}{rest}",
        source_block(dataset, key, &hashes(front))
    )
}

/// One field a re-import changes, for the report and `--dry-run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    /// The entry's lines for the field before (None: it had none).
    pub old: Option<String>,
    /// After (None: removed, the list no longer gives it).
    pub new: Option<String>,
}

/// What a re-import does to one existing entry.
pub(super) struct Update {
    /// The new file text; None when nothing changes.
    pub(super) text: Option<String>,
    pub(super) changes: Vec<FieldChange>,
}

/// Merges the row as the list gives it now (`fresh`: a whole new entry
/// file without `source`) into the existing entry.
pub(super) fn update(
    old: &Existing,
    fresh: &str,
    overwrite: &BTreeSet<String>,
    row: usize,
    messages: &mut Vec<Message>,
) -> Update {
    let unchanged = Update {
        text: None,
        changes: Vec::new(),
    };
    let (Some((cur_front, rest)), Some((new_front, _))) =
        (split_front(&old.text), split_front(fresh))
    else {
        return unchanged;
    };
    let new_hashes = hashes(new_front);
    let cur_hashes = hashes(cur_front);
    let new_blocks = blocks(new_front);
    let mut cur_blocks = blocks(cur_front);
    let mut stored = old.source.imported.clone();
    let mut changes = Vec::new();
    let fields: BTreeSet<&String> = new_hashes
        .keys()
        .chain(old.source.imported.keys())
        .collect();
    for f in fields {
        let (was, now, cur) = (
            old.source.imported.get(f),
            new_hashes.get(f),
            cur_hashes.get(f),
        );
        if was == now {
            continue;
        }
        let editor_changed = cur != was;
        if cur == now {
            // The editor already wrote what the list now says.
        } else if editor_changed && !overwrite.contains(f.as_str()) {
            let list_says = new_blocks
                .iter()
                .find(|b| b.key.as_deref() == Some(f.as_str()))
                .map(|b| b.text.trim().to_string())
                .unwrap_or_else(|| format!("(no `{f}`)"));
            messages.push(Message {
                level: Level::Warning,
                row: Some(row),
                column: None,
                text: format!(
                    "{}: `{f}` was changed by an editor since the last import, and the list changed it too ({list_says}); the editor's value is kept (to take the list's, run again with --overwrite {f})",
                    old.path.display()
                ),
            });
        } else {
            let at = cur_blocks
                .iter()
                .position(|b| b.key.as_deref() == Some(f.as_str()));
            let new_block = new_blocks
                .iter()
                .find(|b| b.key.as_deref() == Some(f.as_str()));
            let old_text = at.map(|i| cur_blocks[i].text.clone());
            match (at, new_block) {
                (Some(i), Some(nb)) => cur_blocks[i].text = nb.text.clone(),
                (Some(i), None) => cur_blocks[i].text.clear(),
                (None, Some(nb)) => {
                    let before = cur_blocks
                        .iter()
                        .position(|b| b.key.as_deref() == Some(SOURCE_KEY))
                        .unwrap_or(cur_blocks.len());
                    cur_blocks.insert(
                        before,
                        Block {
                            lead: String::new(),
                            ..nb.clone()
                        },
                    );
                }
                (None, None) => {}
            }
            changes.push(FieldChange {
                field: f.clone(),
                old: old_text.map(|t| t.trim_end().to_string()),
                new: new_block.map(|b| b.text.trim_end().to_string()),
            });
        }
        match now {
            Some(h) => stored.insert(f.clone(), h.clone()),
            None => stored.remove(f),
        };
    }
    if changes.is_empty() && stored == old.source.imported {
        return unchanged;
    }
    let source = source_block(&old.source.dataset, &old.source.key, &stored);
    match cur_blocks
        .iter_mut()
        .find(|b| b.key.as_deref() == Some(SOURCE_KEY))
    {
        Some(b) => b.text = source,
        None => cur_blocks.push(Block {
            key: Some(SOURCE_KEY.into()),
            lead: String::new(),
            text: source,
        }),
    }
    let front: String = cur_blocks
        .iter()
        .flat_map(|b| [b.lead.as_str(), b.text.as_str()])
        .collect();
    Update {
        text: Some(format!("---\n{front}{rest}")),
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn existing(text: &str) -> Existing {
        let (front, _) = split_front(text).unwrap();
        Existing {
            path: "content/centers/a.md".into(),
            text: text.to_string(),
            source: read_source(front).unwrap(),
        }
    }

    #[test]
    fn an_unchanged_list_changes_nothing() {
        let fresh = "---\nname: 相談室\naddress: 広島市中区1\n---\n";
        let first = with_source(fresh, "公共施設一覧", "341002-1");
        let mut msgs = Vec::new();
        let u = update(&existing(&first), fresh, &BTreeSet::new(), 2, &mut msgs);
        assert!(u.text.is_none() && u.changes.is_empty() && msgs.is_empty());
    }

    #[test]
    fn the_list_updates_what_no_editor_touched_and_keeps_what_one_did() {
        let fresh = "---\nname: 相談室\naddress: 広島市中区1\nphone: 082-555-0100\n---\n";
        let first = with_source(fresh, "公共施設一覧", "341002-1");
        // An editor changes the phone, adds verified and a body.
        let edited = first
            .replace("phone: 082-555-0100", "# 確認済み\nphone: 082-555-0199")
            .replace("source:", "verified: 2026-11-01\nsource:")
            + "本文\n";
        let again = "---\nname: 相談室\naddress: 広島市中区2\nphone: 082-555-0111\n---\n";
        let mut msgs = Vec::new();
        let u = update(&existing(&edited), again, &BTreeSet::new(), 2, &mut msgs);
        let text = u.text.unwrap();
        assert!(text.contains("address: 広島市中区2"), "{text}");
        assert!(text.contains("# 確認済み\nphone: 082-555-0199"), "{text}");
        assert!(
            text.contains("verified: 2026-11-01") && text.ends_with("本文\n"),
            "{text}"
        );
        assert_eq!(u.changes.len(), 1);
        assert_eq!(u.changes[0].field, "address");
        assert!(
            msgs.iter().any(|m| m.text.contains("--overwrite phone")),
            "{msgs:?}"
        );
        // Named with --overwrite, the list's phone wins.
        let force: BTreeSet<String> = ["phone".to_string()].into();
        let u = update(&existing(&edited), again, &force, 2, &mut Vec::new());
        assert!(u.text.unwrap().contains("phone: 082-555-0111"));
    }

    #[test]
    fn a_field_the_list_drops_is_removed_unless_edited() {
        let fresh = "---\nname: 相談室\nfee: 500円\n---\n";
        let first = with_source(fresh, "d", "1");
        let u = update(
            &existing(&first),
            "---\nname: 相談室\n---\n",
            &BTreeSet::new(),
            2,
            &mut Vec::new(),
        );
        let text = u.text.unwrap();
        assert!(!text.contains("fee:"), "{text}");
        assert!(!read_source(split_front(&text).unwrap().0)
            .unwrap()
            .imported
            .contains_key("fee"));
    }
}
