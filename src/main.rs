// One allocator for the whole process: the trees tree-sitter builds and frees for
// every file are most of a run's allocations, and mimalloc serves those small
// blocks with less work than the system allocator. It is built without
// transparent huge pages (`no_thp`): with them, every arena it maps is backed by
// 2 MiB pages, and a run's peak memory grows by half.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: how long, in milliseconds, freed memory is
/// held before it is given back to the system.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The purge delay of a run: a run frees each file's tree and model and builds the
/// next file's at once, so most freed memory is taken again within milliseconds;
/// what a tenth of a second has not taken is given back. The allocator's own delay,
/// a second, held the freed memory of a whole phase of the run, and raised a run's
/// peak by a third; no delay at all costs several percent of CPU in system calls.
/// `MIMALLOC_PURGE_DELAY` in the environment still decides.
const RUN_PURGE_DELAY_MS: std::ffi::c_long = 100;

fn main() -> std::process::ExitCode {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of the allocator's options, which it reads at each purge.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, RUN_PURGE_DELAY_MS) };
    }
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
