//! Themes: built-in ones embedded at compile time, layered with the
//! portal's own files, compiled once into one [`tera::Tera`].

use super::RenderError;
use crate::load::inputs::PortalFolder;
use crate::output::{fingerprint, minify};
use include_dir::{include_dir, Dir};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes");

/// Templates every theme must have (after layering).
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "list.html",
    "events.html",
    "entry.html",
    "event.html",
    "page.html",
    "terms.html",
    "term.html",
    "search.html",
    "404.html",
];

/// Where one theme file came from, for error messages.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    BuiltIn(String),
    Portal(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::BuiltIn(p) => write!(f, "{p} (built-in theme)"),
            Origin::Portal(p) => write!(f, "{}", p.display()),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ThemeFile {
    pub bytes: Vec<u8>,
    pub origin: Origin,
}

/// A resolved theme: its templates compiled into tera, its static files.
pub struct Theme {
    pub(crate) name: String,
    /// `templates/…` and `static/…` paths → contents, after layering.
    pub(crate) files: BTreeMap<String, ThemeFile>,
    pub(crate) tera: tera::Tera,
    /// Static file path → its content-hashed copy's path
    /// (`style.css` → `style.0123456789.css`), for the kinds
    /// [`crate::output::fingerprint`] hashes.
    pub(crate) hashed: BTreeMap<String, String>,
    /// Card HTML remembered between renders (off unless
    /// [`Theme::remember_cards`]; see `render/memo.rs`).
    pub(crate) card_memo: super::memo::CardMemo,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("name", &self.name)
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The names of the built-in themes.
pub fn builtin_names() -> Vec<String> {
    let mut names: Vec<String> = BUILTIN
        .dirs()
        .filter_map(|d| d.path().file_name()?.to_str().map(str::to_string))
        .collect();
    names.sort();
    names
}

fn collect_builtin(
    dir: &'static Dir<'static>,
    out: &mut BTreeMap<String, ThemeFile>,
    strip: &Path,
) {
    for f in dir.files() {
        let Ok(rel) = f.path().strip_prefix(strip) else {
            continue;
        };
        let Some(rel) = rel.to_str() else { continue };
        let rel = rel.replace('\\', "/");
        if (rel.starts_with("templates/") || rel.starts_with("static/")) && !hidden(&rel) {
            out.insert(
                rel,
                ThemeFile {
                    bytes: f.contents().to_vec(),
                    origin: Origin::BuiltIn(format!("themes/{}", f.path().display())),
                },
            );
        }
    }
    for d in dir.dirs() {
        collect_builtin(d, out, strip);
    }
}

fn hidden(rel: &str) -> bool {
    rel.split('/')
        .any(|p| p.starts_with('.') || p.ends_with('~'))
}

/// Adds every file under `dir` as `prefix/<relative path>`, replacing
/// files of the same name. Only what [`crate::load::inputs`] lets a
/// build read: a link that leaves the portal, a FIFO or a device is an
/// error naming it, never published.
fn collect_dir(
    portal: &PortalFolder,
    dir: &Path,
    prefix: &str,
    out: &mut BTreeMap<String, ThemeFile>,
) -> Result<(), RenderError> {
    if !dir.is_dir() && std::fs::symlink_metadata(dir).is_err() {
        return Ok(());
    }
    for item in portal.walk(dir) {
        let item = item.map_err(|problem| RenderError::Input { problem })?;
        let Ok(rel) = item.path.strip_prefix(dir) else {
            continue;
        };
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = format!("{prefix}/{}", rel.join("/"));
        if hidden(&rel) {
            continue;
        }
        let bytes = std::fs::read(&item.path).map_err(|e| RenderError::Io {
            path: item.path.clone(),
            message: e.to_string(),
        })?;
        out.insert(
            rel,
            ThemeFile {
                bytes,
                origin: Origin::Portal(item.path),
            },
        );
    }
    Ok(())
}

/// How the theme's static files are prepared for the output.
#[derive(Debug, Clone, Copy)]
pub struct AssetOptions {
    /// CSS and JavaScript without comments and whitespace
    /// ([`crate::output::minify`]). True for builds and the preview unless
    /// `--no-minify`.
    pub minify: bool,
}

impl Theme {
    /// From now on, remember each card's HTML by its inputs, so later
    /// renders with this theme render only the cards that changed: for
    /// `tsunagu serve`, which keeps one theme while the editor saves.
    pub fn remember_cards(&mut self) {
        self.card_memo = super::memo::CardMemo::enabled();
    }

    /// The built-in theme of that name (embedded at compile time from
    /// `themes/NAME/`), with the portal's own `themes/NAME/` (if present,
    /// it replaces the built-in one file by file), then `templates/` and
    /// `static/` at the portal root overriding files of the same name. An
    /// unknown name (no portal `themes/NAME` and no built-in) is an error
    /// listing the known ones.
    /// The static files are kept exactly as written (tests, and
    /// `--no-minify`); the build uses [`Theme::resolve_with`].
    pub fn resolve(portal_root: &Path, name: &str) -> Result<Theme, RenderError> {
        Theme::resolve_with(portal_root, name, AssetOptions { minify: false })
    }

    /// [`Theme::resolve`], with the static files prepared as `options` says.
    pub fn resolve_with(
        portal_root: &Path,
        name: &str,
        options: AssetOptions,
    ) -> Result<Theme, RenderError> {
        let plain_name = !name.is_empty()
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.');
        let builtin = if plain_name {
            BUILTIN.get_dir(name)
        } else {
            None
        };
        let portal_theme = portal_root.join("themes").join(name);
        let has_portal_theme = plain_name && portal_theme.is_dir();
        if builtin.is_none() && !has_portal_theme {
            let mut known: BTreeSet<String> = builtin_names().into_iter().collect();
            if let Ok(rd) = std::fs::read_dir(portal_root.join("themes")) {
                for e in rd.flatten() {
                    if e.path().is_dir() {
                        if let Some(n) = e.file_name().to_str() {
                            if !n.starts_with('.') {
                                known.insert(n.to_string());
                            }
                        }
                    }
                }
            }
            return Err(RenderError::UnknownTheme {
                name: name.to_string(),
                known: known.into_iter().collect::<Vec<_>>().join(", "),
            });
        }
        let mut files = BTreeMap::new();
        if let Some(dir) = builtin {
            collect_builtin(dir, &mut files, dir.path());
        }
        let portal = PortalFolder::new(portal_root);
        if has_portal_theme {
            collect_dir(
                &portal,
                &portal_theme.join("templates"),
                "templates",
                &mut files,
            )?;
            collect_dir(&portal, &portal_theme.join("static"), "static", &mut files)?;
        }
        collect_dir(
            &portal,
            &portal_root.join("templates"),
            "templates",
            &mut files,
        )?;
        collect_dir(&portal, &portal_root.join("static"), "static", &mut files)?;
        if options.minify {
            for (key, file) in files.iter_mut() {
                let Some(path) = key.strip_prefix("static/") else {
                    continue;
                };
                match minify::minify(path, &file.bytes) {
                    Ok(Some(bytes)) => file.bytes = bytes,
                    Ok(None) => {}
                    Err(message) => {
                        return Err(RenderError::Minify {
                            file: file.origin.to_string(),
                            message,
                        })
                    }
                }
            }
        }
        let mut tera = build_tera(name, &files)?;
        let hashed: BTreeMap<String, String> = files
            .iter()
            .filter_map(|(k, f)| {
                let path = k.strip_prefix("static/")?;
                Some((path.to_string(), fingerprint::hashed_path(path, &f.bytes)?))
            })
            .collect();
        let mut names = AssetNames::default();
        for (path, _) in files
            .iter()
            .filter_map(|(k, f)| k.strip_prefix("static/").map(|p| (p, f)))
        {
            let url = hashed
                .get(path)
                .cloned()
                .unwrap_or_else(|| path.to_string());
            names.0.insert(path.to_string(), url);
        }
        names.0.insert(
            crate::search_assets::SEARCH_JS_PATH.to_string(),
            crate::search_assets::search_js_hashed_path(options.minify),
        );
        tera.register_function("asset", names);
        Ok(Theme {
            name: name.to_string(),
            files,
            tera,
            hashed,
            card_memo: Default::default(),
        })
    }

    /// The theme's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Static files: output path (relative to the output root) → contents;
    /// each under its own name and, for the kinds pages load, under its
    /// content-hashed name too (see [`crate::output::fingerprint`]).
    pub(crate) fn static_files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter_map(|(k, f)| k.strip_prefix("static/").map(|p| (p, f.bytes.as_slice())))
            .flat_map(|(p, bytes)| {
                let hashed = self.hashed.get(p).map(|h| (h.as_str(), bytes));
                std::iter::once((p, bytes)).chain(hashed)
            })
    }

    /// The file a template came from (for messages).
    pub(crate) fn template_origin(&self, template: &str) -> String {
        template_origin(&self.files, template)
    }
}

fn template_origin(files: &BTreeMap<String, ThemeFile>, template: &str) -> String {
    match files.get(&format!("templates/{template}")) {
        Some(f) => f.origin.to_string(),
        None if template == SEARCH_APP => "search-app.html (built into tsunagu)".to_string(),
        None => format!("templates/{template}"),
    }
}

pub(crate) const SEARCH_APP: &str = "search-app.html";

/// tera's built-in functions a theme may not call. `get_env` reads the
/// build machine's environment: CI builds every pull request, so one
/// template could print a secret into the published site. (Reading files
/// is not possible in tera at all; `range` and `throw` stay.)
const REFUSED_FUNCTIONS: &[&str] = &["get_env"];

/// The first call of a refused function in a template's source, with its
/// line: `get_env(` with any spaces before the parenthesis.
fn refused_call(text: &str) -> Option<(&'static str, usize)> {
    for function in REFUSED_FUNCTIONS {
        let mut from = 0;
        while let Some(at) = text[from..].find(function) {
            let start = from + at;
            let end = start + function.len();
            from = end;
            let before = text[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if text[end..].trim_start().starts_with('(') {
                return Some((function, text[..start].matches('\n').count() + 1));
            }
        }
    }
    None
}

/// `asset(path="style.css")`: the name a page loads a static file by,
/// relative to the site base (`{{ base }}{{ asset(path="style.css") }}`):
/// the content-hashed copy where there is one, so hosts can cache it for
/// a year and a changed file still reaches every visitor (the page naming
/// it is always revalidated). Through this one function, a theme or a
/// portal's `static/` override gets the right name without knowing it.
#[derive(Default)]
struct AssetNames(BTreeMap<String, String>);

impl tera::Function for AssetNames {
    fn call(
        &self,
        args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let Some(path) = args.get("path").and_then(|v| v.as_str()) else {
            return Err(tera::Error::msg(
                "asset() needs the file's path under static/, e.g. asset(path=\"style.css\")",
            ));
        };
        let path = path.trim_start_matches('/');
        match self.0.get(path) {
            Some(url) => Ok(tera::Value::String(url.clone())),
            None => Err(tera::Error::msg(format!(
                "asset(path=\"{path}\"): there is no static/{path} in the theme or the portal's static/ folder"
            ))),
        }
    }
}

/// What a refused function does if it is called anyway.
struct RefusedFunction(&'static str);

impl tera::Function for RefusedFunction {
    fn call(
        &self,
        _: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        Err(tera::Error::msg(format!(
            "`{}()` is not available in tsunagu templates",
            self.0
        )))
    }
}

/// Escapes text for HTML text and quoted attributes, dropping C0 control
/// characters. Unlike tera's default it leaves `/` alone so URLs stay
/// readable.
pub fn escape_html(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len() + 16);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            // Control characters (validation refuses them; this is the
            // last line of defence): nothing, never raw into a page.
            0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F => "",
            _ => continue,
        };
        // Only ASCII bytes are replaced, so the slices stay on char boundaries.
        out.push_str(&input[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&input[start..]);
    out
}

/// The whole chain of a tera error, outermost first.
pub(crate) fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// `urlencode` filter (tera's own is behind a feature we do not enable):
/// percent-encodes everything but unreserved characters.
fn urlencode_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let s = tera::try_get_value!("urlencode", "value", String, value);
    Ok(tera::Value::String(super::urls::encode_component(&s)))
}

fn build_tera(theme: &str, files: &BTreeMap<String, ThemeFile>) -> Result<tera::Tera, RenderError> {
    let mut sources: Vec<(String, String)> = Vec::new();
    for (path, file) in files {
        let Some(name) = path.strip_prefix("templates/") else {
            continue;
        };
        let text = String::from_utf8(file.bytes.clone()).map_err(|_| RenderError::Template {
            template: name.to_string(),
            file: file.origin.to_string(),
            page: None,
            message: "the file is not UTF-8 text".to_string(),
        })?;
        sources.push((name.to_string(), text));
    }
    if !files.contains_key(&format!("templates/{SEARCH_APP}")) {
        sources.push((
            SEARCH_APP.to_string(),
            crate::search_assets::SEARCH_APP_TEMPLATE.to_string(),
        ));
    }
    let missing: Vec<&str> = REQUIRED_TEMPLATES
        .iter()
        .copied()
        .filter(|t| !sources.iter().any(|(n, _)| n == t))
        .collect();
    if !missing.is_empty() {
        return Err(RenderError::MissingTemplates {
            theme: theme.to_string(),
            missing: missing.join(", "),
        });
    }
    for (name, text) in &sources {
        if let Some((function, line)) = refused_call(text) {
            return Err(RenderError::Template {
                template: name.clone(),
                file: template_origin(files, name),
                page: None,
                message: format!(
                    "line {line}: `{function}()` is not available in tsunagu templates: a template cannot read the environment of the machine that builds the site (a template in a pull request could publish CI secrets); put the value in site.toml and use `site.…`"
                ),
            });
        }
    }
    let mut tera = tera::Tera::default();
    // Behind the check above: a call that slipped past it fails the page.
    for function in REFUSED_FUNCTIONS {
        tera.register_function(function, RefusedFunction(function));
    }
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("urlencode", urlencode_filter);
    tera.register_filter("phrases", super::japanese::phrases_filter);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        // A syntax error: parse each template alone to name its file.
        for (name, text) in &sources {
            if let Err(e) = tera::Template::new(name, None, text) {
                return Err(RenderError::Template {
                    template: name.clone(),
                    file: template_origin(files, name),
                    page: None,
                    message: format!("syntax error\n{}", error_chain(&e).trim_start()),
                });
            }
        }
        let message = error_chain(&e);
        // Inheritance and macro errors name the template in quotes.
        let template = sources
            .iter()
            .map(|(n, _)| n.as_str())
            .find(|n| message.contains(&format!("'{n}'")) || message.contains(&format!("`{n}`")))
            .unwrap_or("(theme)")
            .to_string();
        return Err(RenderError::Template {
            file: template_origin(files, &template),
            template,
            page: None,
            message,
        });
    }
    Ok(tera)
}
