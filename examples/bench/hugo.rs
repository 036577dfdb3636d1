//! The same entries as a minimal Hugo site, for the comparison: content
//! files with front matter, `categories` and `areas` taxonomies (the
//! browse pages tsunagu also makes), and a trivial layout for list and
//! single pages. Single pages carry `data-pagefind-body` so Pagefind
//! indexes entries only, as tsunagu's search index does.

use crate::gen::{write_fields, GenEntry, Kind, Val};
use std::io;
use std::path::Path;

const CONFIG: &str = r#"baseURL = "https://bench.example.jp/"
languageCode = "ja"
defaultContentLanguage = "ja"
hasCJKLanguage = true
title = "つなぐ ベンチマーク用ポータル (Hugo)"
disableKinds = ["RSS"]
enableRobotsTXT = false

[taxonomies]
category = "categories"
area = "areas"
"#;

const BASEOF: &str = r#"<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#;

const SINGLE: &str = r#"{{ define "main" }}
<article data-pagefind-body>
<h1>{{ .Title }}</h1>
{{ with .Params.kana }}<p class="kana">{{ . }}</p>{{ end }}
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
<dl>
{{ with .GetTerms "categories" }}<dt>分野</dt><dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}
{{ with .GetTerms "areas" }}<dt>地域</dt><dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}
{{ with .Params.audience }}<dt>対象</dt><dd>{{ delimit . "・" }}</dd>{{ end }}
{{ with .Params.methods }}<dt>相談方法</dt><dd>{{ delimit . "・" }}</dd>{{ end }}
{{ with .Params.starts }}<dt>日時</dt><dd>{{ . }}{{ with $.Params.ends }} 〜 {{ . }}{{ end }}</dd>{{ end }}
{{ with .Params.venue }}<dt>会場</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.address }}<dt>住所</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.access }}<dt>交通</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.phone }}<dt>電話</dt><dd>{{ range . }}<a href="tel:{{ replace . "-" "" }}">{{ . }}</a> {{ end }}</dd>{{ end }}
{{ with .Params.email }}<dt>メール</dt><dd><a href="mailto:{{ . }}">{{ . }}</a></dd>{{ end }}
{{ with .Params.website }}<dt>ウェブサイト</dt><dd><a href="{{ . }}">{{ . }}</a></dd>{{ end }}
{{ with .Params.hours }}<dt>受付時間</dt><dd><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul></dd>{{ end }}
{{ with .Params.hours_note }}<dt>休み</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.fee }}<dt>費用</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.registration }}<dt>申し込み</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.accessibility }}<dt>バリアフリー</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.languages }}<dt>言語</dt><dd>{{ delimit . "・" }}</dd>{{ end }}
{{ with .Params.verified }}<dt>確認日</dt><dd>{{ . }}</dd>{{ end }}
</dl>
{{ .Content }}
</article>
{{ end }}
"#;

const LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }} — {{ . }}{{ end }}</li>
{{ end }}
</ul>
{{ end }}
"#;

const HOME: &str = r#"{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ul>
{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>
{{ end }}
</ul>
{{ end }}
"#;

/// Writes config, layouts and section index files.
pub fn write_skeleton(site: &Path) -> io::Result<()> {
    std::fs::create_dir_all(site.join("layouts/_default"))?;
    std::fs::write(site.join("config.toml"), CONFIG)?;
    std::fs::write(site.join("layouts/_default/baseof.html"), BASEOF)?;
    std::fs::write(site.join("layouts/_default/single.html"), SINGLE)?;
    std::fs::write(site.join("layouts/_default/list.html"), LIST)?;
    std::fs::write(site.join("layouts/index.html"), HOME)?;
    for kind in Kind::ALL {
        let dir = site.join("content").join(kind.folder());
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("_index.md"),
            format!("---\ntitle: {}\n---\n", kind.label()),
        )?;
    }
    Ok(())
}

/// One entry as a Hugo content file.
pub fn content_file(e: &GenEntry) -> String {
    let mut fm: Vec<(&str, Val)> = Vec::with_capacity(e.fields.len() + 2);
    for (k, v) in &e.fields {
        match *k {
            "name" | "title" => fm.push(("title", v.clone())),
            "order" => fm.push(("weight", v.clone())),
            "area" => {
                if let Val::Text(a) = v {
                    fm.push(("areas", Val::List(vec![a.clone()])));
                }
            }
            "hours" => fm.push(("hours", Val::List(e.hours_text.clone()))),
            // Always a list, so the layout has one shape to range over.
            "phone" => match v {
                Val::Raw(p) | Val::Text(p) => fm.push(("phone", Val::List(vec![p.clone()]))),
                other => fm.push(("phone", other.clone())),
            },
            _ => fm.push((k, v.clone())),
        }
    }
    let mut out = String::with_capacity(e.body.len() + 1500);
    out.push_str("---\n");
    write_fields(&mut out, fm.iter().map(|(k, v)| (*k, v)));
    out.push_str("---\n");
    out.push_str(&e.body);
    out.push('\n');
    out
}
