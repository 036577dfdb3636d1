// A build allocates and frees millions of small strings (template
// contexts, tokens); mimalloc does that much faster than the system
// allocator (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's own entry point (in the library the `mimalloc` crate links).
extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (mimalloc.h of the
/// v3 library that libmimalloc-sys 0.1.49, pinned in Cargo.lock, builds).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
/// How long freed memory may stay committed before mimalloc returns it,
/// in ms. Its default (1 s) is longer than most of a build's stages, so
/// memory one batch of pages freed still counted while the long list
/// pages rendered; 0 (at once) costs system time on every free (see
/// docs/benchmarks.md, build notes).
const PURGE_DELAY_MS: std::ffi::c_long = 100;

fn main() -> std::process::ExitCode {
    // SAFETY: sets one of mimalloc's numeric options; mimalloc reads it
    // whenever it decides to purge, so setting it now is in time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) }
    tsunagu::cli::main()
}
