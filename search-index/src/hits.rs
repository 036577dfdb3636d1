//! `hits.bin`: what a result shows, per document, in document-id order.
//!
//! tantivy's document store would do, but reading it needs its block
//! cache, its document deserialiser (JSON values and all) and, for the
//! store to compress well over HTTP, no compression of its own; a flat
//! table is smaller to ship and to compile into the wasm module.
//!
//! Layout: one record per document, each `varint(len) record`; a record is
//! the fields of [`StoredHit`] in declaration order, each `varint(len)
//! bytes` (UTF-8). `kana` and `area` are empty when absent; `starts` and
//! `ends` are decimal, empty when absent. Consecutive records are similar
//! (same kinds, URL prefixes, areas), which gzip and brotli exploit.

use tantivy::directory::OwnedBytes;

use crate::{SearchError, StoredHit};

/// Name of the entry in `index.bin`.
pub(crate) const HITS_ENTRY: &str = "hits.bin";

/// Encodes the records of `hits`, in order.
#[cfg(feature = "writer")]
pub(crate) fn encode(hits: &[StoredHit]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut record = Vec::new();
    for hit in hits {
        record.clear();
        let starts = hit.starts.map(|t| t.to_string()).unwrap_or_default();
        let ends = hit.ends.map(|t| t.to_string()).unwrap_or_default();
        for field in [
            hit.slug.as_str(),
            &hit.kind,
            &hit.name,
            hit.kana.as_deref().unwrap_or(""),
            &hit.url,
            hit.area.as_deref().unwrap_or(""),
            &hit.summary,
            &starts,
            &ends,
            hit.phone.as_deref().unwrap_or(""),
            hit.tel.as_deref().unwrap_or(""),
            hit.hours.as_deref().unwrap_or(""),
        ] {
            put_varint(&mut record, field.len());
            record.extend_from_slice(field.as_bytes());
        }
        put_varint(&mut out, record.len());
        out.extend_from_slice(&record);
    }
    out
}

#[cfg(feature = "writer")]
fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The opened table: the bytes and where each record is.
pub(crate) struct Hits {
    bytes: OwnedBytes,
    /// `records[doc]` is the byte range of the record of `doc`.
    records: Vec<std::ops::Range<usize>>,
}

impl Hits {
    /// Indexes the records; fails unless there are exactly `count`.
    pub(crate) fn open(bytes: OwnedBytes, count: usize) -> Result<Hits, SearchError> {
        let mut records = Vec::with_capacity(count);
        let mut pos = 0;
        while pos < bytes.len() {
            let (len, after) = varint(&bytes, pos)?;
            let end = after.checked_add(len).filter(|&e| e <= bytes.len());
            let end = end.ok_or_else(|| corrupt("a record runs past the end"))?;
            records.push(after..end);
            pos = end;
        }
        if records.len() != count {
            return Err(corrupt("the number of records differs from the index"));
        }
        Ok(Hits { bytes, records })
    }

    /// The record of document `doc`.
    pub(crate) fn get(&self, doc: usize) -> Result<StoredHit, SearchError> {
        let record = self
            .records
            .get(doc)
            .ok_or_else(|| corrupt("no record for a document"))?;
        let mut fields = Fields {
            bytes: &self.bytes[..record.end],
            pos: record.start,
        };
        let slug = fields.text()?;
        let kind = fields.text()?;
        let name = fields.text()?;
        let kana = fields.text()?;
        let url = fields.text()?;
        let area = fields.text()?;
        let summary = fields.text()?;
        let starts = fields.number()?;
        let ends = fields.number()?;
        let phone = fields.text()?;
        let tel = fields.text()?;
        let hours = fields.text()?;
        let some = |s: String| (!s.is_empty()).then_some(s);
        Ok(StoredHit {
            slug,
            kind,
            name,
            kana: some(kana),
            url,
            area: some(area),
            summary,
            starts,
            ends,
            phone: some(phone),
            tel: some(tel),
            hours: some(hours),
        })
    }
}

impl Hits {
    /// For each document, when it is an event: its start (the browse
    /// order of events; `i64::MAX` without one) and the time after which
    /// it is past (its end, else its start; `None` without either).
    pub(crate) fn event_times(&self) -> Result<Vec<Option<EventTimes>>, SearchError> {
        self.records
            .iter()
            .map(|record| {
                let mut fields = Fields {
                    bytes: &self.bytes[..record.end],
                    pos: record.start,
                };
                fields.raw()?; // slug
                if fields.raw()? != "event" {
                    return Ok(None);
                }
                for _ in 0..5 {
                    fields.raw()?; // name, kana, url, area, summary
                }
                let starts = fields.number()?;
                let ends = fields.number()?;
                Ok(Some(EventTimes {
                    start: starts.unwrap_or(i64::MAX),
                    until: ends.or(starts),
                }))
            })
            .collect()
    }
}

/// See [`Hits::event_times`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventTimes {
    pub start: i64,
    pub until: Option<i64>,
}

struct Fields<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Fields<'_> {
    fn raw(&mut self) -> Result<&str, SearchError> {
        let (len, after) = varint(self.bytes, self.pos)?;
        let end = after.checked_add(len).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| corrupt("a field runs past its record"))?;
        self.pos = end;
        std::str::from_utf8(&self.bytes[after..end]).map_err(|_| corrupt("a field is not UTF-8"))
    }

    fn text(&mut self) -> Result<String, SearchError> {
        self.raw().map(str::to_owned)
    }

    fn number(&mut self) -> Result<Option<i64>, SearchError> {
        match self.raw()? {
            "" => Ok(None),
            digits => digits
                .parse()
                .map(Some)
                .map_err(|_| corrupt("a time is not a number")),
        }
    }
}

/// Reads a LEB128 `usize` at `pos`; returns it and the position after it.
fn varint(bytes: &[u8], mut pos: usize) -> Result<(usize, usize), SearchError> {
    let mut value = 0usize;
    let mut shift = 0u32;
    loop {
        let byte = *bytes
            .get(pos)
            .ok_or_else(|| corrupt("a length runs past the end"))?;
        pos += 1;
        if shift > 28 {
            return Err(corrupt("a length is too large"));
        }
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, pos));
        }
        shift += 7;
    }
}

fn corrupt(what: &str) -> SearchError {
    SearchError::Corrupt(format!("{HITS_ENTRY}: {what}"))
}

#[cfg(all(test, feature = "writer"))]
mod tests {
    use super::*;

    fn sample() -> Vec<StoredHit> {
        vec![
            StoredHit {
                slug: "a".into(),
                kind: "event".into(),
                name: "相談会".into(),
                kana: Some("そうだんかい".into()),
                url: "events/a/".into(),
                area: Some("広島市/中区".into()),
                summary: "x".repeat(300),
                starts: Some(-5),
                ends: Some(1_750_000_000),
                phone: Some("082-555-0101".into()),
                tel: Some("tel:+81825550101".into()),
                hours: Some(r#"{"tz":"Asia/Tokyo","rules":[]}"#.into()),
            },
            StoredHit {
                slug: "b".into(),
                kind: "page".into(),
                ..StoredHit::default()
            },
        ]
    }

    #[test]
    fn round_trips() {
        let bytes = encode(&sample());
        let hits = Hits::open(OwnedBytes::new(bytes), 2).expect("open");
        for (doc, want) in sample().iter().enumerate() {
            let got = hits.get(doc).expect("get");
            assert_eq!(
                serde_json::to_value(got).ok(),
                serde_json::to_value(want).ok()
            );
        }
        assert!(hits.get(2).is_err());
    }

    #[test]
    fn wrong_counts_and_truncations_are_errors() {
        let bytes = encode(&sample());
        assert!(Hits::open(OwnedBytes::new(bytes.clone()), 3).is_err());
        for len in 1..bytes.len() {
            let opened = Hits::open(OwnedBytes::new(bytes[..len].to_vec()), 2);
            if let Ok(hits) = opened {
                let _ = (hits.get(0), hits.get(1));
            }
        }
        assert!(Hits::open(OwnedBytes::new(vec![0xff; 8]), 1).is_err());
    }
}
