//! Real editors against `sparkguard server`: Neovim's built-in LSP client, headless,
//! driven by `tests/editors/neovim.lua`; and the VS Code extension in
//! `editors/vscode`, built into a `.vsix` (it cannot be run here, but it must build).
//!
//! `scripts/test` provides the tools and names them in `SPARKGUARD_NVIM` and
//! `SPARKGUARD_NPM`. Without them each test is skipped loudly, except in CI, where it
//! fails.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CRATE_ROOT: &str = env!("CARGO_MANIFEST_DIR");

const JOB: &str = "from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
events = spark.read.parquet(\"s3://bucket/events\")
rows = events.collect()
print(len(rows))
";

/// The tool named by `variable`, or `None` after saying loudly that the test is
/// skipped (a failure in CI).
fn tool(variable: &str, what: &str) -> Option<PathBuf> {
    match std::env::var_os(variable) {
        Some(path) if Path::new(&path).is_file() => Some(PathBuf::from(path)),
        _ => {
            let message = format!(
                "{variable} is not set to an executable: the {what} test needs it (scripts/test provides it)"
            );
            if std::env::var("CI").is_ok_and(|ci| ci == "true") {
                panic!("{message}");
            }
            eprintln!("\nWARNING: SKIPPED: {message}\n");
            None
        }
    }
}

/// Runs `command` to the end, killing it after `timeout`; returns (success, output).
fn run(command: &mut Command, timeout: Duration) -> (bool, String) {
    let out_path = tempfile::NamedTempFile::new().unwrap();
    let out = fs::File::create(out_path.path()).unwrap();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .expect("the command starts");
    let end = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > end {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = fs::read_to_string(out_path.path()).unwrap_or_default();
    match status {
        Some(status) => (status.success(), output),
        None => (false, format!("timed out after {timeout:?}\n{output}")),
    }
}

#[test]
fn neovim_shows_the_finding_hovers_and_applies_the_suppression() {
    let Some(nvim) = tool("SPARKGUARD_NVIM", "Neovim") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("job.py");
    fs::write(&file, JOB).unwrap();
    let script = Path::new(CRATE_ROOT).join("tests/editors/neovim.lua");
    let (ok, output) = run(
        Command::new(nvim)
            .args(["--headless", "--clean", "-u", "NONE", "-i", "NONE", "-c"])
            .arg(format!("luafile {}", script.display()))
            .env("SPARKGUARD_BIN", env!("CARGO_BIN_EXE_sparkguard"))
            .env("SPARKGUARD_FILE", &file)
            .env("SPARKGUARD_LINE", "4")
            .current_dir(dir.path()),
        Duration::from_secs(120),
    );
    assert!(ok, "Neovim test failed:\n{output}");
    for step in [
        "ok: SG101 on line 4",
        "ok: hover shows the docs",
        "ok: code action: Ignore SG101 on this line",
        "ok: saved with the suppression comment",
    ] {
        assert!(output.contains(step), "missing `{step}` in:\n{output}");
    }
    let saved = fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("rows = events.collect()  # sparkguard: ignore[SG101]\n"),
        "{saved}"
    );
}

#[test]
fn the_vscode_extension_builds_into_a_vsix() {
    let Some(npm) = tool("SPARKGUARD_NPM", "VS Code extension") else {
        return;
    };
    // Built in a copy under target/, so the source tree stays clean and the
    // installed packages are reused by the next run.
    let source = Path::new(CRATE_ROOT).join("editors/vscode");
    let build = Path::new(CRATE_ROOT).join("target/vscode-extension");
    fs::create_dir_all(build.join("src")).unwrap();
    for name in [
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        ".vscodeignore",
        "README.md",
        "src/extension.ts",
    ] {
        fs::copy(source.join(name), build.join(name)).unwrap();
    }
    let vsix = build.join("sparkguard.vsix");
    let _ = fs::remove_file(&vsix);
    // `npm ci` again only when the lock file changed since the last install.
    let lock = fs::read(source.join("package-lock.json")).unwrap();
    let stamp = build.join("node_modules/.installed-from-lock");
    if fs::read(&stamp).ok().as_deref() != Some(lock.as_slice()) {
        let (ok, output) = run(
            Command::new(&npm)
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&build),
            Duration::from_secs(600),
        );
        assert!(ok, "npm ci failed:\n{output}");
        fs::write(&stamp, &lock).unwrap();
    }
    let (ok, output) = run(
        Command::new(&npm)
            .args(["run", "package"])
            .current_dir(&build),
        Duration::from_secs(600),
    );
    assert!(ok, "packaging failed:\n{output}");
    let bytes = fs::read(&vsix).expect("the .vsix is written");
    assert!(bytes.starts_with(b"PK"), "not a zip archive");
    // Zip archives name their members in plain text.
    for member in [
        "extension/out/extension.js",
        "extension/package.json",
        "extension/node_modules/vscode-languageclient/",
    ] {
        assert!(
            bytes.windows(member.len()).any(|w| w == member.as_bytes()),
            "the .vsix lacks {member}"
        );
    }
}
