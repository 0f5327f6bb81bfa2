fn main() -> std::process::ExitCode {
    arenas_per_worker();
    sparkguard::cli::main()
}

/// glibc gives a thread that allocates while another holds the heap an arena of its
/// own, up to eight per core, and keeps what is freed in each: a run's long-lived
/// results (what the first pass keeps, the project index) end up spread over more
/// arenas than there are workers, between the trees freed around them, and the
/// process holds far more memory than it uses. As many arenas as there are cores
/// keep that memory together without making the workers wait for one another (one
/// arena would: it costs half as much CPU again on two cores).
fn arenas_per_worker() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let arenas = std::ffi::c_int::try_from(cores).unwrap_or(std::ffi::c_int::MAX);
        // SAFETY: `mallopt` only sets an allocator parameter; nothing has spawned a
        // thread yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}
