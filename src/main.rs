/// mimalloc: a build allocates and frees millions of small strings and
/// template values from two or more threads, where it is much faster than
/// the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(openfolio::cli::main());
}
