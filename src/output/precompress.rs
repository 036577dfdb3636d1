//! Compressed copies beside the files a host serves most and that
//! compress well: the theme's CSS, JavaScript and SVG, the search module
//! and its glue, and the search index. A plain static host (many Apache
//! and nginx setups, S3) sends files as they are; with `name.br` and
//! `name.gz` beside them it can send those instead (docs/publishing.md
//! has each host's setting), so a family's phone downloads a third of the
//! bytes.
//!
//! The copies are byte-stable: brotli and gzip at fixed levels, the gzip
//! header without a time or a name. Levels were picked by measurement
//! (docs/benchmarks.md, "Precompression"): small files get the strongest
//! levels, large ones (the wasm, the index at 10,000 entries) levels that
//! keep the build within its time budget. A file whose bytes equal the
//! previous output's reuses that output's copies instead of compressing
//! again. HTML, calendars, feeds and open data are left to the host.

use serde::Deserialize;
use std::io::Write;

/// A compressed encoding a host can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Encoding {
    /// Brotli, `name.br`.
    #[serde(rename = "br")]
    Brotli,
    /// gzip, `name.gz`.
    #[serde(rename = "gzip")]
    Gzip,
}

impl Encoding {
    /// What is appended to the file's name.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
        }
    }
}

/// Files smaller than this gain too little to be worth a copy.
pub const MIN_BYTES: usize = 1024;
/// Above this, the faster levels (the strongest brotli level takes about
/// 2 s for the 1 MB search module on the 2-core machine).
const LARGE_BYTES: usize = 256 * 1024;

/// Whether the output file at `path` gets compressed copies.
pub fn wanted(path: &str, len: usize) -> bool {
    len >= MIN_BYTES
        && (path.starts_with("search-index/")
            || [".css", ".js", ".mjs", ".svg", ".wasm"]
                .iter()
                .any(|ext| path.ends_with(ext)))
}

/// A compressed copy made ahead of time: the search module's, checked in
/// beside it at the strongest levels (`search-index/wasm/dist/`), so no
/// build spends its time on the largest asset and families get the
/// smallest download (brotli 11: 297 KiB against 330 KiB at level 5).
#[derive(Debug, Clone, Copy)]
pub struct PreparedCopy {
    /// The file the copy is of.
    pub original: &'static [u8],
    pub encoding: Encoding,
    pub bytes: &'static [u8],
}

/// `bytes` compressed with `encoding`, the same bytes for the same input.
/// (It writes into memory; the error is the encoder's own.)
pub fn compress(bytes: &[u8], encoding: Encoding) -> std::io::Result<Vec<u8>> {
    compress_at(bytes, encoding, bytes.len() > LARGE_BYTES)
}

/// `bytes` at the strongest levels whatever their size (brotli 11, gzip 9):
/// for copies made once, ahead of time ([`PreparedCopy`]).
pub fn compress_strongest(bytes: &[u8], encoding: Encoding) -> std::io::Result<Vec<u8>> {
    compress_at(bytes, encoding, false)
}

fn compress_at(bytes: &[u8], encoding: Encoding, large: bool) -> std::io::Result<Vec<u8>> {
    match encoding {
        Encoding::Brotli => {
            let mut out = Vec::with_capacity(bytes.len() / 3);
            {
                let quality = if large { 5 } else { 11 };
                let mut w = brotli::CompressorWriter::new(&mut out, 4096, quality, 22);
                w.write_all(bytes)?;
                w.flush()?;
            }
            Ok(out)
        }
        Encoding::Gzip => {
            let level = if large { 6 } else { 9 };
            let mut e = flate2::GzBuilder::new().mtime(0).write(
                Vec::with_capacity(bytes.len() / 3),
                flate2::Compression::new(level),
            );
            e.write_all(bytes)?;
            e.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_are_stable_and_decompress_to_the_original() {
        let text: Vec<u8> = "ひきこもり相談 style { color: #333 } "
            .repeat(400)
            .into_bytes();
        for enc in [Encoding::Brotli, Encoding::Gzip] {
            let a = compress(&text, enc).unwrap();
            assert_eq!(a, compress(&text, enc).unwrap(), "{enc:?} is byte-stable");
            assert!(a.len() < text.len() / 4, "{enc:?} compresses");
            let mut back = Vec::new();
            match enc {
                Encoding::Brotli => {
                    brotli::Decompressor::new(&a[..], 4096)
                        .read_to_end(&mut back)
                        .unwrap();
                }
                Encoding::Gzip => {
                    flate2::read::GzDecoder::new(&a[..])
                        .read_to_end(&mut back)
                        .unwrap();
                }
            }
            assert_eq!(back, text);
        }
        // The gzip header holds no time and no file name.
        let gz = compress(&text, Encoding::Gzip).unwrap();
        assert_eq!(&gz[4..8], &[0, 0, 0, 0]);
        assert_eq!(gz[3] & 0x08, 0);
    }

    #[test]
    fn only_assets_and_the_index_above_the_threshold() {
        assert!(wanted("style.css", 30_000));
        assert!(wanted("search/tsunagu_search.wasm", 1_000_000));
        assert!(wanted("search-index/index.bin", 600_000));
        assert!(!wanted("style.css", 500));
        assert!(!wanted("centers/a/index.html", 50_000));
        assert!(!wanted("data/entries.json", 2_000_000));
        assert!(!wanted("events.ics", 20_000));
    }
}
