//! `site.toml`: the portal's settings, vocabulary, synonyms and hotlines.

use crate::model::{HttpUrl, PhoneNumber};
use serde::{Deserialize, Serialize};

/// The whole of `site.toml`. Unknown keys are errors so a typo never
/// silently drops a setting.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The portal's name, shown in every page header. Required.
    pub title: String,
    /// Absolute URL the portal is published at, ending in `/`
    /// (`https://portal.example.jp/` or `https://city.example.jp/hikikomori/`).
    /// `--base-url` overrides it. Required.
    pub base_url: HttpUrl,
    /// Language of the pages (`lang` attribute). Default `ja`.
    #[serde(default = "default_language")]
    pub language: String,
    /// IANA timezone; event times without an offset are in this zone.
    /// Default `Asia/Tokyo`.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Theme name: the portal's own `themes/NAME/` if present, else the
    /// built-in theme of that name. Default `hiroshima`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// A `verified` date older than this many days is a warning and the
    /// entry page shows a notice. Default 365.
    #[serde(default = "default_stale_after_days")]
    pub stale_after_days: u32,
    /// How many entries a list or browse page shows; longer lists go on
    /// to `page/2/`, `page/3/`… Old phones on mobile data open a page of
    /// 50 cards (about 30 KB) at once, where one page of a 4,000-entry
    /// list was several MB. At least 1. Default 50.
    #[serde(default = "default_list_page_size")]
    pub list_page_size: std::num::NonZeroUsize,
    /// Optional: every entry page gets 「情報の誤りを報告」 (a mailto link).
    pub report_email: Option<crate::model::Email>,
    /// Optional: a 「すぐに閉じる」 button on every page that leaves for this URL.
    pub quick_exit_url: Option<HttpUrl>,
    /// Optional: a short description for the top page and `<meta name=description>`.
    pub description: Option<String>,
    /// The closed sets of values entries may use. Required.
    pub vocabulary: Vocabulary,
    /// Search synonym groups. Default: none.
    #[serde(default)]
    pub synonyms: Synonyms,
    /// Crisis lines shown on every page. Default: none (a warning).
    #[serde(default)]
    pub hotlines: Vec<Hotline>,
    /// How the output is prepared for a static host (`[build]`).
    #[serde(default)]
    pub build: BuildSettings,
    /// What the named closures 年末年始 and お盆 mean here (`[closures]`).
    #[serde(default)]
    pub closures: ClosureSettings,
}

/// `[closures]`: the spans entries mean by `closed: [年末年始]` and
/// `closed: [お盆]`, because not every municipality closes the same days.
/// Default: 年末年始 12-29..01-03 (the national government's 年末年始の休日),
/// お盆 08-13..08-16.
#[derive(Debug, Clone, Copy, Deserialize, Default)]
#[serde(from = "RawClosureSettings")]
pub struct ClosureSettings {
    pub spans: crate::model::NamedSpans,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClosureSettings {
    /// e.g. `year_end = "12-28..01-04"`.
    year_end: Option<crate::model::YearlySpan>,
    /// e.g. `obon = "08-13..08-15"`.
    obon: Option<crate::model::YearlySpan>,
}

impl From<RawClosureSettings> for ClosureSettings {
    fn from(r: RawClosureSettings) -> ClosureSettings {
        let d = crate::model::NamedSpans::default();
        ClosureSettings {
            spans: crate::model::NamedSpans {
                year_end: r.year_end.unwrap_or(d.year_end),
                obon: r.obon.unwrap_or(d.obon),
            },
        }
    }
}

/// `[build]`: how the output is prepared for the host that serves it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildSettings {
    /// Compressed copies written beside the theme's CSS, JavaScript and
    /// SVG, the search module and the search index (over 1 KiB): `"br"`
    /// (`name.br`) and `"gzip"` (`name.gz`), for hosts that serve them
    /// (docs/publishing.md). Default `["br", "gzip"]`; `[]` writes none.
    /// `tsunagu build --no-precompress` writes none for one build.
    #[serde(default = "default_precompress")]
    pub precompress: Vec<crate::output::precompress::Encoding>,
}

impl Default for BuildSettings {
    fn default() -> BuildSettings {
        BuildSettings {
            precompress: default_precompress(),
        }
    }
}

fn default_precompress() -> Vec<crate::output::precompress::Encoding> {
    use crate::output::precompress::Encoding;
    vec![Encoding::Brotli, Encoding::Gzip]
}

fn default_language() -> String {
    "ja".into()
}
fn default_timezone() -> String {
    "Asia/Tokyo".into()
}
fn default_theme() -> String {
    "hiroshima".into()
}
fn default_stale_after_days() -> u32 {
    365
}
fn default_list_page_size() -> std::num::NonZeroUsize {
    std::num::NonZeroUsize::MIN.saturating_add(49)
}

/// Every value an entry may use in `categories`, `audience`, `methods`
/// and `area`. Areas use `/` for a hierarchy (`広島市/中区`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub audience: Vec<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub areas: Vec<String>,
}

impl Vocabulary {
    /// Every area and every ancestor of one (`広島市/中区` → `広島市`),
    /// in first-seen order: the browse pages of the area hierarchy.
    pub fn area_nodes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for area in &self.areas {
            let mut prefix = String::new();
            for part in area.split('/') {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                if !out.contains(&prefix) {
                    out.push(prefix.clone());
                }
            }
        }
        out
    }
}

/// Groups of words search treats as one (ひきこもり = 引きこもり).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Synonyms {
    #[serde(default)]
    pub groups: Vec<Vec<String>>,
}

/// A crisis line shown on every page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hotline {
    pub name: String,
    pub phone: PhoneNumber,
    /// When it answers, in words (「24時間」「毎日16時〜21時」).
    pub hours: Option<String>,
    /// Who it is for, in words (optional).
    pub note: Option<String>,
}

impl SiteConfig {
    /// The path part of `base_url`, always starting and ending with `/`
    /// (`/` or `/hikikomori/`): pages link with it so the portal works
    /// under a sub-path.
    pub fn base_path(&self) -> String {
        let url = self.base_url.as_str();
        let after_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
        let path = after_scheme
            .find('/')
            .map(|i| &after_scheme[i..])
            .unwrap_or("/");
        let path = path.split(['?', '#']).next().unwrap_or("/");
        if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        }
    }

    /// The absolute base URL ending in `/`.
    pub fn base_url(&self) -> String {
        let url = self.base_url.as_str();
        if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        }
    }
}
