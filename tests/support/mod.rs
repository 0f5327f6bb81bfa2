//! What the tests that drive outside tools (pre-commit, maturin, pip) share: finding
//! the tool `scripts/test` installed, skipping loudly without it (failing in CI),
//! and running a long command with a time limit.

#![allow(dead_code)] // each test binary uses a part

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

pub const CRATE_ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A PySpark file with one `collect-to-driver` finding, on line 3, column 30.
pub const COLLECT: &str = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
rows = spark.table(\"events\").collect()
";

/// The same job, bounded before it is collected: nothing to report.
pub const BOUNDED: &str = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
rows = spark.table(\"events\").limit(10).collect()
";

/// The release builds of the install tests (pre-commit's `cargo install`, maturin,
/// pip) share this target directory, so the dependencies are compiled once.
pub fn shared_release_target() -> PathBuf {
    Path::new(CRATE_ROOT).join("target/precommit")
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The executable named by the environment variable `var`, or `None` after saying
/// loudly that the test is skipped. In CI a missing tool is a failure.
pub fn tool(var: &str, what: &str) -> Option<PathBuf> {
    let path = std::env::var_os(var).map(PathBuf::from);
    if let Some(path) = path.filter(|p| p.is_file()) {
        return Some(path);
    }
    if in_ci() {
        panic!(
            "{var} is unset or missing; CI runs the tests with scripts/test, which installs {what}"
        );
    }
    say(&format!(
        "\n********************************************************************\n\
         SKIPPED: {what} not installed; run scripts/test\n\
         ********************************************************************\n"
    ));
    None
}

/// Writes to the real stderr: the test harness captures `eprintln!` of passing tests,
/// and a skip or a cache hit must be seen.
pub fn say(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// What one run of sparkguard printed and how it exited, each stream on its own.
#[derive(Debug)]
pub struct Finished {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Finished {
    fn from(output: Output) -> Self {
        Finished {
            code: output.status.code().expect("exited normally"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

pub struct Run {
    pub status: ExitStatus,
    /// stdout and stderr, interleaved as written.
    pub output: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.status.success()
    }
}

/// Runs `cmd` with no stdin, both streams into `log`, and kills it after `timeout`.
pub fn run_logged(cmd: &mut Command, log: &Path, timeout: Duration) -> Run {
    // One file for both streams keeps them in order; a file, unlike a pipe, needs
    // no reader thread while a build runs.
    let file = fs::File::create(log).unwrap();
    cmd.stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file);
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|err| panic!("start {cmd:?}: {err}"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{cmd:?} did not finish in {timeout:?}:\n{}",
                fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    Run {
        status,
        output: fs::read_to_string(log).unwrap_or_default(),
    }
}

/// Drops variables that a surrounding git (say, a hook running this suite) sets,
/// which would point a child's git at the wrong repository.
pub fn clear_git_env(cmd: &mut Command) {
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
    ] {
        cmd.env_remove(var);
    }
}
