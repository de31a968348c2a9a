//! The `wippy` binary: everything is in the library; this only hands over to the CLI.

/// mimalloc serves both Rust and every process's Lua heap: many small, short-lived allocations
/// spread over worker threads, where it is faster and keeps less memory per idle process than
/// the system allocator (measured with the spawn_idle bench; see the issue notes and
/// `src/alloc.rs` for why it is not the `mimalloc` crate's wrapper).
#[global_allocator]
static ALLOC: wippy::alloc::Allocator = wippy::alloc::Allocator;

fn main() {
    std::process::exit(wippy::cli::main());
}
