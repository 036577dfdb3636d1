//! `tsunagu_search.wasm`: the search of [`tsunagu_search`] behind a plain
//! C ABI, for `search.js`.
//!
//! No wasm-bindgen: the module has no imports at all and five small
//! exports, so the JS side is a few lines of glue, needs no generated
//! bindings and no extra build tool (see `search-index/README.md`).
//!
//! Protocol (all lengths in bytes, strings UTF-8):
//!
//! 1. `ptr = ts_alloc(len)`; copy the bytes of `index.bin` to `ptr`;
//!    `ts_open(ptr, len)` takes ownership of that buffer and returns 0 on
//!    success. On failure it returns 1 and the result (`ts_result_ptr()`,
//!    `ts_result_len()`) is `{"error": "..."}`.
//! 2. Optionally, later (after the first results are shown), the body
//!    tier: `ptr = ts_alloc(len)`, copy `index-body.bin` there,
//!    `ts_open_body(ptr, len)`; 0 on success, else 1 with the error as the
//!    result (the index keeps working without the body).
//! 3. For each query: `ptr = ts_alloc(len)`, copy the query JSON there,
//!    `out = ts_search(ptr, len)`, read `ts_result_len()` bytes at `out`
//!    (JSON: a `SearchResults`, or `{"error": "..."}`), then
//!    `ts_free(ptr, len)`. The result stays valid until the next call.
//!
//! The module is single-threaded, so the state lives in thread-locals.

use std::cell::RefCell;

use tsunagu_search::{normalize, Index, Query};

thread_local! {
    static INDEX: RefCell<Option<Index>> = const { RefCell::new(None) };
    static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Allocates `len` zeroed bytes for the caller to fill.
#[no_mangle]
pub extern "C" fn ts_alloc(len: usize) -> *mut u8 {
    Box::into_raw(vec![0u8; len].into_boxed_slice()).cast::<u8>()
}

/// Frees a buffer from [`ts_alloc`] (not one passed to [`ts_open`]).
///
/// # Safety
/// `ptr` and `len` must come from one earlier `ts_alloc(len)` call and
/// the buffer must not have been freed or given to `ts_open`.
#[no_mangle]
pub unsafe extern "C" fn ts_free(ptr: *mut u8, len: usize) {
    if !ptr.is_null() {
        // SAFETY: per the contract, this is the boxed slice from ts_alloc.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) });
    }
}

/// Opens the index in the buffer (which it takes over). 0 = success.
///
/// # Safety
/// `ptr` and `len` must come from one earlier `ts_alloc(len)` call; the
/// caller must not use or free the buffer afterwards.
#[no_mangle]
pub unsafe extern "C" fn ts_open(ptr: *mut u8, len: usize) -> i32 {
    if ptr.is_null() {
        set_error("no index bytes");
        return 1;
    }
    // SAFETY: per the contract, this is the boxed slice from ts_alloc.
    let bytes = unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) };
    match Index::open(bytes.into_vec()) {
        Ok(index) => {
            INDEX.with(|slot| *slot.borrow_mut() = Some(index));
            set_result(b"{}".to_vec());
            0
        }
        Err(e) => {
            set_error(&e.to_string());
            1
        }
    }
}

/// Adds the body tier in the buffer (which it takes over) to the open
/// index. 0 = success.
///
/// # Safety
/// As for [`ts_open`].
#[no_mangle]
pub unsafe extern "C" fn ts_open_body(ptr: *mut u8, len: usize) -> i32 {
    if ptr.is_null() {
        set_error("no index bytes");
        return 1;
    }
    // SAFETY: per the contract, this is the boxed slice from ts_alloc.
    let bytes = unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) };
    let outcome = INDEX.with(|slot| match slot.borrow_mut().as_mut() {
        Some(index) => index.add_body(bytes.into_vec()).map_err(|e| e.to_string()),
        None => Err("the index is not open".to_owned()),
    });
    match outcome {
        Ok(()) => {
            set_result(b"{}".to_vec());
            0
        }
        Err(message) => {
            set_error(&message);
            1
        }
    }
}

/// Runs the query JSON at `ptr` and returns a pointer to the result JSON
/// (length: [`ts_result_len`]).
///
/// # Safety
/// `ptr` must point to `len` readable bytes (e.g. from `ts_alloc`).
#[no_mangle]
pub unsafe extern "C" fn ts_search(ptr: *const u8, len: usize) -> *const u8 {
    // SAFETY: per the contract.
    let input = unsafe { input(ptr, len) };
    let outcome = serde_json::from_slice::<Query>(input)
        .map_err(|e| format!("invalid query: {e}"))
        .and_then(|query| {
            INDEX.with(|slot| match slot.borrow().as_ref() {
                Some(index) => index.search(&query).map_err(|e| e.to_string()),
                None => Err("the index is not open".to_owned()),
            })
        })
        .and_then(|results| serde_json::to_vec(&results).map_err(|e| e.to_string()));
    match outcome {
        Ok(json) => set_result(json),
        Err(message) => set_error(&message),
    }
    result_ptr()
}

/// The analyser's normalisation of the UTF-8 text at `ptr` (NFKC,
/// katakana → hiragana, lower case), as a result string.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn ts_normalize(ptr: *const u8, len: usize) -> *const u8 {
    // SAFETY: per the contract.
    let input = unsafe { input(ptr, len) };
    set_result(normalize(&String::from_utf8_lossy(input)).into_bytes());
    result_ptr()
}

/// Length of the last result.
#[no_mangle]
pub extern "C" fn ts_result_len() -> usize {
    RESULT.with(|r| r.borrow().len())
}

/// Pointer to the last result (e.g. the error JSON after `ts_open`
/// returned 1).
#[no_mangle]
pub extern "C" fn ts_result_ptr() -> *const u8 {
    result_ptr()
}

/// # Safety
/// `ptr` must point to `len` readable bytes, or be null.
unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() {
        &[]
    } else {
        // SAFETY: per the contract.
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

fn set_result(bytes: Vec<u8>) {
    RESULT.with(|r| *r.borrow_mut() = bytes);
}

fn set_error(message: &str) {
    let json = serde_json::json!({ "error": message });
    set_result(json.to_string().into_bytes());
}

fn result_ptr() -> *const u8 {
    RESULT.with(|r| r.borrow().as_ptr())
}

/// getrandom's "custom" backend (selected in `.cargo/config.toml`).
///
/// There is no randomness source without JS imports, and reading an index
/// needs none (tantivy draws random UUIDs only for new segments), so any
/// request fails cleanly instead. getrandom 0.3 and 0.4 both call this
/// same symbol with their own `Error`, a `NonZeroI32` newtype in both
/// (checked below), so one definition serves both.
///
/// # Safety
/// Called by getrandom with a valid buffer; it is not touched.
#[no_mangle]
unsafe extern "Rust" fn __getrandom_v03_custom(
    _dest: *mut u8,
    _len: usize,
) -> Result<(), getrandom::Error> {
    Err(getrandom::Error::UNSUPPORTED)
}

const _: () = {
    use std::mem::{align_of, size_of};
    type V03 = Result<(), getrandom::Error>;
    type V04 = Result<(), getrandom04::Error>;
    assert!(size_of::<V03>() == size_of::<V04>() && align_of::<V03>() == align_of::<V04>());
};
