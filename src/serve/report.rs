//! What one preview rebuild tells the editor: the terminal line and the
//! pages the open tabs should reload.

use crate::diagnostics::{Diagnostics, SourceMap};
use std::time::Duration;

/// The result of one rebuild, for the terminal line and the browser.
#[derive(Debug)]
pub struct Report {
    /// What changed, e.g. `content/centers/x.yaml`, or `site.toml` for a full rebuild.
    pub what: String,
    /// Whether everything was rebuilt.
    pub full: bool,
    /// Files written (pages, and for a full rebuild every output file).
    pub written: usize,
    pub elapsed: Duration,
    /// This run's diagnostics (errors and warnings), for the terminal.
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
    /// The errors still standing (this run's and earlier unfixed ones);
    /// empty when the preview shows the current files.
    pub banner: Option<(Diagnostics, SourceMap)>,
    /// Whether the served files changed (the tabs should reload).
    pub changed: bool,
    /// Where the time went (`check`, `render`, `write`), for developers.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Report {
    /// The terminal line: `更新: content/centers/x.yaml → 12 ページ (34 ms)`.
    pub fn line(&self) -> String {
        let ms = self.elapsed.as_millis();
        if self.banner.is_some() && !self.changed {
            return format!(
                "エラー: {} → 前回の正常な版を表示中 (ブラウザにも表示) ({ms} ms)",
                self.what
            );
        }
        let head = if self.full {
            "全体を再ビルド"
        } else {
            "更新"
        };
        let still = if self.banner.is_some() {
            " (ほかのファイルのエラーが残っています)"
        } else {
            ""
        };
        format!(
            "{head}: {} → {} ページ ({ms} ms){still}",
            self.what, self.written
        )
    }
}

/// Files an incremental rebuild has just put in place, handed to the
/// caller as soon as they are on disk (the edited entry's own page first,
/// then the lists and other pages), so the tabs showing them can reload.
#[derive(Debug)]
pub struct Written {
    /// Site-relative URL paths of the pages written or removed, raw UTF-8
    /// (`/centers/x/`, `/categories/食/`, `/404.html`).
    pub pages: Vec<String>,
    /// The errors still standing (see [`Report::banner`]).
    pub banner: Option<(Diagnostics, SourceMap)>,
}

/// The URL path of an output file: `centers/x/index.html` → `/centers/x/`.
pub(super) fn page_url(file: &str) -> String {
    format!("/{}", file.strip_suffix("index.html").unwrap_or(file))
}

/// `a`, or `a ほか2件` for several.
pub(super) fn describe(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} ほか{}件", rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_batches() {
        assert_eq!(describe(&["a".into()]), "a");
        assert_eq!(describe(&["a".into(), "b".into(), "c".into()]), "a ほか2件");
    }
}
