fn main() -> std::process::ExitCode {
    sparkguard::cli::main()
}
