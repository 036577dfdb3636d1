//! `index.bin`: the single-file container the browser downloads.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! magic    8 bytes  "TSNGIDX\0"
//! version  u32      FORMAT_VERSION
//! crc32    u32      CRC-32 of every byte after this field
//! count    u32      number of entries
//! count × { name_len u32, name (UTF-8), data_len u32, data }
//! ```
//!
//! Entries of `index.bin` (tier 1) are tantivy's `meta.json` and segment
//! files plus [`SETTINGS_ENTRY`] (synonyms and other query-time
//! settings); those of `index-body.bin` (tier 2) are the same for the body
//! index, each name prefixed with [`BODY_PREFIX`], plus
//! [`BODY_SETTINGS_ENTRY`]. A bundle with both sets of entries holds the
//! whole index in one file (tools and tests). The
//! checksum makes truncated or damaged downloads fail cleanly in
//! [`unpack`] instead of reaching tantivy's decoders.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};

use crate::SearchError;

/// First bytes of every bundle.
pub(crate) const MAGIC: &[u8; 8] = b"TSNGIDX\0";
/// Bumped whenever the layout, the schema or the analysis changes, so an
/// old `index.bin` cached by a browser is refused instead of misread.
pub(crate) const FORMAT_VERSION: u32 = 4;
/// Name of the entry holding [`crate::Settings`] as JSON (tier 1).
pub(crate) const SETTINGS_ENTRY: &str = "tsunagu.json";
/// Every entry of the body tier (`index-body.bin`) is named with this
/// prefix, so one bundle can also hold both tiers.
pub(crate) const BODY_PREFIX: &str = "body/";
/// Name (after [`BODY_PREFIX`]) of the entry holding
/// [`crate::BodySettings`] as JSON.
pub(crate) const BODY_SETTINGS_ENTRY: &str = "tsunagu-body.json";
const HEADER_LEN: usize = 8 + 4 + 4;

/// Serialises named entries into a bundle. Entries are written in the
/// (sorted) order of the map, so equal input gives equal bytes.
#[cfg(feature = "writer")]
pub(crate) fn pack(entries: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>, SearchError> {
    let too_big = |what: &str| SearchError::Build(format!("{what} is too large for the bundle"));
    let mut body = Vec::new();
    let count = u32::try_from(entries.len()).map_err(|_| too_big("the entry count"))?;
    body.extend_from_slice(&count.to_le_bytes());
    for (name, data) in entries {
        let name_len = u32::try_from(name.len()).map_err(|_| too_big(name))?;
        let data_len = u32::try_from(data.len()).map_err(|_| too_big(name))?;
        body.extend_from_slice(&name_len.to_le_bytes());
        body.extend_from_slice(name.as_bytes());
        body.extend_from_slice(&data_len.to_le_bytes());
        body.extend_from_slice(data);
    }
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Splits a bundle into its entries without copying them: every entry is
/// a slice of the one buffer.
pub(crate) fn unpack(bundle: Vec<u8>) -> Result<BTreeMap<String, OwnedBytes>, SearchError> {
    if bundle.len() < HEADER_LEN || &bundle[..8] != MAGIC {
        return Err(SearchError::NotABundle);
    }
    let version = read_u32(&bundle, 8)?;
    if version != FORMAT_VERSION {
        return Err(SearchError::UnsupportedVersion {
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let crc = read_u32(&bundle, 12)?;
    if crc32fast::hash(&bundle[HEADER_LEN..]) != crc {
        return Err(SearchError::Corrupt(
            "checksum mismatch (truncated or damaged download?)".into(),
        ));
    }
    let bytes = OwnedBytes::new(bundle);
    let mut pos = HEADER_LEN;
    let count = read_u32(&bytes, pos)?;
    pos += 4;
    let mut entries = BTreeMap::new();
    for _ in 0..count {
        let name_len = read_u32(&bytes, pos)? as usize;
        pos += 4;
        let name = bytes
            .get(pos..pos.saturating_add(name_len))
            .ok_or_else(truncated)?;
        let name = std::str::from_utf8(name)
            .map_err(|_| SearchError::Corrupt("entry name is not UTF-8".into()))?
            .to_owned();
        pos += name_len;
        let data_len = read_u32(&bytes, pos)? as usize;
        pos += 4;
        let end = pos.checked_add(data_len).ok_or_else(truncated)?;
        if end > bytes.len() {
            return Err(truncated());
        }
        entries.insert(name, bytes.slice(pos..end));
        pos = end;
    }
    if pos != bytes.len() {
        return Err(SearchError::Corrupt(
            "trailing bytes after the last entry".into(),
        ));
    }
    Ok(entries)
}

fn truncated() -> SearchError {
    SearchError::Corrupt("an entry runs past the end of the bundle".into())
}

fn read_u32(bytes: &[u8], at: usize) -> Result<u32, SearchError> {
    let slice = bytes.get(at..at.saturating_add(4)).ok_or_else(truncated)?;
    let mut buf = [0u8; 4];
    buf.copy_from_slice(slice);
    Ok(u32::from_le_bytes(buf))
}

/// A read-only tantivy [`Directory`] over in-memory files.
///
/// tantivy's own `RamDirectory` copies every file on insertion and is
/// writable; this one serves slices of the downloaded bundle as they are,
/// needs no threads, file system or locks, and so works in
/// `wasm32-unknown-unknown`. Any attempt to write is an error.
#[derive(Clone)]
pub(crate) struct BundleDirectory {
    files: Arc<BTreeMap<PathBuf, OwnedBytes>>,
}

impl BundleDirectory {
    pub(crate) fn new(files: BTreeMap<PathBuf, OwnedBytes>) -> Self {
        BundleDirectory {
            files: Arc::new(files),
        }
    }

    fn get(&self, path: &Path) -> Result<&OwnedBytes, OpenReadError> {
        self.files
            .get(path)
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }
}

impl fmt::Debug for BundleDirectory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BundleDirectory")
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn read_only() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "the search index is read-only",
    )
}

impl Directory for BundleDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        Ok(Arc::new(self.get(path)?.clone()))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.files.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        Ok(self.get(path)?.as_slice().to_vec())
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        // Readers take the meta lock while loading; with immutable files
        // there is nothing to protect, and no lock file can be written.
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        // The files never change, so there is nothing to watch.
        Ok(WatchHandle::empty())
    }
}

#[cfg(all(test, feature = "writer"))]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut entries = BTreeMap::new();
        entries.insert("a".to_string(), b"hello".to_vec());
        entries.insert("b".to_string(), Vec::new());
        pack(&entries).expect("pack")
    }

    #[test]
    fn round_trips() {
        let entries = unpack(sample()).expect("unpack");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries["a"].as_slice(), b"hello");
        assert_eq!(entries["b"].as_slice(), b"");
    }

    #[test]
    fn every_truncation_and_bit_flip_is_an_error() {
        let good = sample();
        for len in 0..good.len() {
            assert!(unpack(good[..len].to_vec()).is_err(), "truncated to {len}");
        }
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x40;
            assert!(unpack(bad).is_err(), "flipped byte {i}");
        }
    }
}
