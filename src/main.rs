// One allocator for the whole process: the trees tree-sitter builds and frees for
// every file are most of a run's allocations, and mimalloc serves those small
// blocks with less work than the system allocator. It is built without
// transparent huge pages (`no_thp`): with them, every arena it maps is backed by
// 2 MiB pages, and a run's peak memory grows by half.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Before any tree-sitter call, as its allocator hook requires.
    // SAFETY: the four functions are one allocator's, aligned as malloc's are, and no
    // tree-sitter object exists yet.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: libmimalloc_sys::mi_malloc,
            calloc: libmimalloc_sys::mi_calloc,
            realloc: libmimalloc_sys::mi_realloc,
            free: libmimalloc_sys::mi_free,
        }));
    }
    sparkguard::cli::main()
}
