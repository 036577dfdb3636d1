//! Minified CSS and JavaScript for the theme's static files and the search
//! glue: on an old phone on mobile data every kilobyte of the first page
//! counts (the theme's stylesheet shrinks by about a fifth, the scripts by
//! about two fifths, before compression).
//!
//! The `minifier` crate removes comments and whitespace token by token; it
//! does not rename or restructure, so what runs is the code as written
//! (the browser tests run against the minified build). A file it cannot
//! read is an error naming the file, never silently copied: an editor's
//! `static/style.css` with a syntax error should be fixed, or the build run
//! with `--no-minify` to look at it.

/// `bytes` minified when `path` is CSS or JavaScript, else `None` (the
/// file is copied as it is). Text that is not UTF-8 is copied as it is too:
/// it is not CSS or JavaScript a browser would read anyway.
pub fn minify(path: &str, bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let kind = match path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()) {
        Some(e) if e == "css" => Kind::Css,
        Some(e) if e == "js" || e == "mjs" => Kind::Js,
        _ => return Ok(None),
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(None);
    };
    let out = match kind {
        Kind::Css => minifier::css::minify(text).map(|m| m.to_string()),
        Kind::Js => minifier::js::minify(text).map(|m| m.to_string()),
    }
    .map_err(|e| e.to_string())?;
    // It leaves a space where a leading comment was.
    Ok(Some(out.trim().as_bytes().to_vec()))
}

enum Kind {
    Css,
    Js,
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn css_and_js_lose_comments_and_spaces_and_keep_their_meaning() {
        let css = minify("a/style.css", b"/* note */\nbody {\n  color : #000 ;\n}\n")
            .unwrap()
            .unwrap();
        assert_eq!(String::from_utf8(css).unwrap(), "body{color:#000;}");
        let js = minify(
            "site.js",
            b"// note\nvar a = 1 ;\nfunction f ( x ) {\n  return x + a ;\n}\n",
        )
        .unwrap()
        .unwrap();
        let js = String::from_utf8(js).unwrap();
        assert!(!js.contains("note") && js.contains("return x+a"), "{js}");
    }

    #[test]
    fn other_files_are_left_alone() {
        assert_eq!(minify("robots.txt", b"User-agent: *").unwrap(), None);
        assert_eq!(minify("logo.svg", b"<svg/>").unwrap(), None);
        assert_eq!(minify("x.css", &[0xff, 0xfe]).unwrap(), None);
    }
}
