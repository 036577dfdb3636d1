// A build allocates and frees millions of small strings (template
// contexts, tokens); mimalloc does that much faster than the system
// allocator (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tsunagu::cli::main()
}
