//! `sitemap.xml` and `robots.txt`.

use super::*;

pub(super) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn sitemap(site: &Site, pages: &[(String, Option<String>)]) -> String {
    let base_url = site.config.base_url();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, lastmod) in pages {
        out.push_str("<url><loc>");
        out.push_str(&xml_escape(&format!("{base_url}{path}")));
        out.push_str("</loc>");
        if let Some(d) = lastmod {
            out.push_str("<lastmod>");
            out.push_str(d);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`, unless the theme brings its own.
pub(super) fn robots_file(site: &Site, theme: &Theme) -> Option<OutputFile> {
    if theme.static_files().any(|(p, _)| p == "robots.txt") {
        return None;
    }
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url()
    );
    Some(OutputFile {
        path: "robots.txt".into(),
        bytes: robots.into_bytes(),
    })
}

impl Prep<'_> {
    /// `sitemap.xml`: every page but the 404, with `verified` as lastmod for entries.
    pub(super) fn sitemap_file(&self, keys: &[PageKey]) -> OutputFile {
        let site = self.site;
        let mut urls: Vec<(String, Option<String>)> = keys
            .iter()
            .filter(|k| **k != PageKey::NotFound)
            .filter_map(|k| {
                let file = self.file_of(k)?;
                let path = encode_path(file.strip_suffix("index.html").unwrap_or(&file));
                let lastmod = match k {
                    PageKey::Entry(i) => site.entries[*i].fields.verified.map(|d| d.to_string()),
                    _ => None,
                };
                Some((path, lastmod))
            })
            .collect();
        urls.sort();
        OutputFile {
            path: "sitemap.xml".into(),
            bytes: sitemap(site, &urls).into_bytes(),
        }
    }
}
