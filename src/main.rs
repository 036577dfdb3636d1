// A build allocates and frees millions of small strings (template
// contexts, tokens); mimalloc does that much faster than the system
// allocator (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's own entry point (in the library the `mimalloc` crate links).
extern "C" {
    fn mi_collect(force: bool);
}

/// Returns the memory freed so far to the system at once (mimalloc would
/// otherwise keep it for up to a second), so a finished stage's memory
/// does not add to the next stage's peak.
fn release_memory() {
    // SAFETY: mi_collect takes no pointers and may be called from any
    // thread at any time.
    unsafe { mi_collect(true) }
}

fn main() -> std::process::ExitCode {
    tsunagu::pipeline::set_release_memory(release_memory);
    tsunagu::cli::main()
}
