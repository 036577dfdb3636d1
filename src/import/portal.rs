//! What the portal already has, and the checks against it before anything
//! is written: existing files and validation with the rest of the portal.

use super::{Action, Level, Message, Report};
use crate::load::{self, FileFormat, Loaded, SourceFile};
use crate::model::Kind;
use crate::validate::{self, ValidateOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the portal already has.
pub(super) struct Portal {
    pub(super) loaded: Loaded,
    pub(super) config: crate::config::SiteConfig,
    /// Organization name → slug.
    pub(super) organizations: BTreeMap<String, String>,
}

pub(super) fn read_portal(root: &Path) -> Result<Portal, String> {
    let (loaded, _) = load::load(root).map_err(|d| d.message)?;
    let (config, _, _) = validate::validate_config(&loaded.site_toml).map_err(|errs| {
        let msgs: Vec<String> = errs.into_iter().map(|d| d.message).collect();
        format!(
            "site.toml has errors; fix them first (tsunagu check): {}",
            msgs.join("; ")
        )
    })?;
    let mut organizations = BTreeMap::new();
    for f in loaded.files.iter().filter(|f| f.kind == Kind::Organization) {
        let Ok(split) = load::split(f) else { continue };
        if let Ok(serde_yaml::Value::Mapping(m)) =
            serde_yaml::from_str::<serde_yaml::Value>(split.yaml)
        {
            if let Some(serde_yaml::Value::String(name)) = m.get("name") {
                organizations.insert(name.trim().to_string(), f.stem.clone());
            }
        }
    }
    Ok(Portal {
        loaded,
        config,
        organizations,
    })
}

/// Never overwrite without `force`; never reuse another kind's slug.
pub(super) fn existing_files(portal: &Portal, report: &mut Report, force: bool) {
    for p in report
        .files
        .iter_mut()
        .filter(|p| p.action == Action::Create)
    {
        let stem = p
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let kind_folder = p
            .path
            .parent()
            .and_then(|d| d.file_name())
            .map(|f| f.to_string_lossy().into_owned());
        let same: Vec<&SourceFile> = portal
            .loaded
            .files
            .iter()
            .filter(|f| f.stem == stem)
            .collect();
        let Some(existing) = same.first() else {
            continue;
        };
        if Some(existing.kind.folder().to_string()) != kind_folder {
            p.action = Action::Skip(format!(
                "the slug `{stem}` is already used by {} (slugs are unique across kinds); give the row another ID",
                existing.path.display()
            ));
            report.messages.push(Message {
                level: Level::Error,
                row: Some(p.row),
                column: None,
                text: match &p.action {
                    Action::Skip(r) => r.clone(),
                    _ => unreachable!(),
                },
            });
        } else if !force {
            p.action = Action::Skip(format!(
                "{} already exists (use --force to replace it)",
                existing.path.display()
            ));
            report.messages.push(Message {
                level: Level::Warning,
                row: Some(p.row),
                column: None,
                text: format!(
                    "{} already exists; not overwritten (use --force to replace it)",
                    existing.path.display()
                ),
            });
        } else {
            let replaced = (existing.path != p.path).then(|| existing.path.clone());
            p.action = Action::Overwrite { replaced };
        }
    }
}

/// Validates the new files together with the portal, exactly as
/// `tsunagu check` does; a file with an error is not written.
pub(super) fn validate_in_memory(portal: &Portal, report: &mut Report, now: jiff::Timestamp) {
    let replaced: BTreeSet<PathBuf> = report
        .files
        .iter()
        .filter_map(|p| match &p.action {
            Action::Overwrite { replaced } => {
                Some(replaced.clone().unwrap_or_else(|| p.path.clone()))
            }
            Action::Update => Some(p.path.clone()),
            _ => None,
        })
        .collect();
    let new: BTreeMap<PathBuf, usize> = report
        .files
        .iter()
        .filter(|p| !matches!(p.action, Action::Skip(_) | Action::Unchanged))
        .map(|p| (p.path.clone(), p.row))
        .collect();
    if new.is_empty() {
        return;
    }
    let mut files: Vec<SourceFile> = portal
        .loaded
        .files
        .iter()
        .filter(|f| !replaced.contains(&f.path))
        .cloned()
        .collect();
    for p in report.files.iter().filter(|p| new.contains_key(&p.path)) {
        let kind = p
            .path
            .parent()
            .and_then(|d| d.file_name())
            .and_then(|f| Kind::from_folder(&f.to_string_lossy()))
            .unwrap_or(Kind::Center);
        files.push(SourceFile {
            kind,
            path: p.path.clone(),
            stem: p
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            format: FileFormat::Markdown,
            text: p.text.clone(),
        });
    }
    let loaded = Loaded {
        site_toml: portal.loaded.site_toml.clone(),
        files,
    };
    let validated = validate::validate(&loaded, &ValidateOptions { drafts: true, now });
    let mut bad: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let mut elsewhere = 0;
    for d in validated.diagnostics.iter().filter(|d| d.is_error()) {
        match d.file.as_ref().filter(|f| new.contains_key(*f)) {
            Some(f) => bad.entry(f.clone()).or_default().push(match &d.field {
                Some(field) => format!("`{field}`: {}", d.message),
                None => d.message.clone(),
            }),
            None => elsewhere += 1,
        }
    }
    for p in &mut report.files {
        if let Some(errors) = bad.get(&p.path) {
            p.action = Action::Skip("it would not pass tsunagu check".into());
            report.messages.push(Message {
                level: Level::Error,
                row: Some(p.row),
                column: None,
                text: format!(
                    "not written: {} would not pass tsunagu check: {}",
                    p.path.display(),
                    errors.join("; ")
                ),
            });
        }
    }
    if elsewhere > 0 {
        report.messages.push(Message {
            level: Level::Warning,
            row: None,
            column: None,
            text: format!(
                "the portal already has {elsewhere} error(s) in other files; run `tsunagu check`"
            ),
        });
    }
}
