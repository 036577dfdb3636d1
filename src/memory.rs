//! Handing memory a finished build stage freed back to the system.
//!
//! The `tsunagu` binary allocates with mimalloc (`src/main.rs`), which
//! keeps freed memory for reuse for a while; memory a stage freed then
//! still counts in the process's resident size and adds to the next
//! stage's peak (docs/benchmarks.md, build notes). Where mimalloc is not
//! the global allocator (library users, tests), collecting its empty
//! heaps does nothing, so the call is always safe to make.

// Link mimalloc's library, whose entry point is declared below, into
// every program that uses this crate.
extern crate mimalloc;

extern "C" {
    /// mimalloc's `mi_collect`: returns freed memory to the system.
    fn mi_collect(force: bool);
}

/// Returns the memory freed so far to the system now.
pub fn release_freed() {
    // SAFETY: mi_collect takes no pointers and may be called from any
    // thread at any time.
    unsafe { mi_collect(true) }
}
