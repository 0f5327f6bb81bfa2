fn main() -> std::process::ExitCode {
    one_heap();
    sparkguard::cli::main()
}

/// glibc gives each thread that allocates while another holds the heap an arena of
/// its own, up to eight per core, and keeps what is freed in each: a run's long-lived
/// results end up spread over every arena between the trees freed around them, and
/// the process holds far more memory than it uses. One arena keeps that memory
/// together; the workers allocate little enough that they rarely wait for it.
fn one_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets an allocator parameter; nothing has spawned a
    // thread yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}
