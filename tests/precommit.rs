//! The pre-commit hooks as users get them: the real `pre-commit` reads
//! `.pre-commit-hooks.yaml`, installs this crate, and runs the hook on Python, Scala
//! and notebook files of a throwaway repository. Two hook ids, two installs: `sparkguard`
//! through pre-commit's `rust` language (`cargo install --path .`), `sparkguard-pip`
//! through its `python` language (`pip install .`, which builds the wheel with maturin).
//!
//! `scripts/test` provides pre-commit and names it in `SPARKGUARD_PRE_COMMIT`.
//! Without it the tests are skipped loudly, except in CI, where they fail.
//!
//! Each install is a release build. Two things keep repeated runs short: the child
//! cargo shares `target/precommit` as its target directory, so dependencies are
//! built once; and a marker file per hook and source tree records a pass, so an
//! unchanged tree is not tested twice (set `SPARKGUARD_PRE_COMMIT_RERUN=1` to force a run).

mod support;

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::{CRATE_ROOT, Run, clear_git_env, run_logged, say, shared_release_target, tool};

/// How long one `pre-commit try-repo` may take, build included.
const TIMEOUT: Duration = Duration::from_secs(20 * 60);

const JOB_PY: &str = "\
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
rows = spark.table(\"events\").collect()
";

const OTHER_PY: &str = "\
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
events = spark.read.parquet(\"/data/events\")
for row in events.collect():
    print(row)
";

const JOB_SCALA: &str = "\
import org.apache.spark.sql.SparkSession

object Job {
  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder.getOrCreate()
    val rows = spark.table(\"events\").collect()
  }
}
";

/// One code cell: `rows = spark.table("events").collect()`.
const REPORT_IPYNB: &str = r#"{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": ["rows = spark.table(\"events\").collect()\n"]
  }
 ],
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
"#;

const CLEAN_PY: &str = "\
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
sample = spark.table(\"events\").limit(10).collect()
";

#[test]
fn rust_hook_blocks_driver_collect_and_passes_clean_files() {
    hook_blocks_driver_collect_and_passes_clean_files("sparkguard", true);
}

#[test]
fn pip_hook_blocks_driver_collect() {
    hook_blocks_driver_collect_and_passes_clean_files("sparkguard-pip", false);
}

/// `check_clean_run`: after the run on files with findings, run the hook on a clean
/// file alone and expect it to pass.
fn hook_blocks_driver_collect_and_passes_clean_files(hook: &str, check_clean_run: bool) {
    let Some(pre_commit) = tool("SPARKGUARD_PRE_COMMIT", "pre-commit") else {
        return;
    };
    let root = Path::new(CRATE_ROOT);
    let tmp = tempfile::tempdir().expect("create a temporary directory");

    // `try-repo` on a dirty work tree commits only staged and tracked changes, so a
    // new untracked file is left out, and it fails outright when there is no commit
    // yet. A committed snapshot of the work tree tests what is on disk.
    let hook_repo = tmp.path().join("hook-repo");
    snapshot_work_tree(root, &hook_repo);
    let tree = git_stdout(&hook_repo, &["rev-parse", "HEAD^{tree}"]);

    let marker = shared_release_target()
        .join("passed")
        .join(format!("{hook}-{tree}"));
    let rerun = std::env::var_os("SPARKGUARD_PRE_COMMIT_RERUN").is_some_and(|v| v == "1");
    if marker.exists() && !rerun {
        say(&format!(
            "precommit: {hook} already passed for source tree {tree}; \
             SPARKGUARD_PRE_COMMIT_RERUN=1 runs it again"
        ));
        return;
    }

    let user_repo = tmp.path().join("user-repo");
    let try_repo = |files: &[&str]| try_repo(&pre_commit, &hook_repo, hook, &user_repo, files);
    fs::create_dir(&user_repo).unwrap();
    git(&user_repo, &["init", "--quiet"]);
    fs::write(user_repo.join("job.py"), JOB_PY).unwrap();
    fs::write(user_repo.join("other.py"), OTHER_PY).unwrap();
    fs::write(user_repo.join("clean.py"), CLEAN_PY).unwrap();
    fs::write(user_repo.join("Job.scala"), JOB_SCALA).unwrap();
    fs::write(user_repo.join("report.ipynb"), REPORT_IPYNB).unwrap();
    git(&user_repo, &["add", "--all"]);

    let started = Instant::now();
    let bad = try_repo(&[
        "job.py",
        "clean.py",
        "other.py",
        "Job.scala",
        "report.ipynb",
    ]);
    say(&format!(
        "precommit: try-repo {hook} with findings (install included) took {:.0?}",
        started.elapsed()
    ));
    assert!(
        !bad.success(),
        "the hook passed on files with findings:\n{}",
        bad.output
    );
    for expected in [
        "SG101",
        "job.py",
        "other.py",
        "Job.scala",
        "report.ipynb",
        "Failed",
    ] {
        assert!(
            bad.output.contains(expected),
            "pre-commit output does not mention {expected:?}:\n{}",
            bad.output
        );
    }
    assert!(
        !bad.output.contains("clean.py"),
        "the hook reported the clean file:\n{}",
        bad.output
    );

    // Every try-repo clones the hook repository anew, and cargo rebuilds a crate
    // whose path changed: each run is a release build of this crate. How the hook
    // passes a clean commit does not depend on how it was installed, so only the
    // first hook is run for that.
    if !check_clean_run {
        fs::create_dir_all(marker.parent().unwrap()).unwrap();
        fs::write(&marker, "").unwrap();
        return;
    }
    let started = Instant::now();
    let clean = try_repo(&["clean.py"]);
    say(&format!(
        "precommit: try-repo {hook} on a clean file took {:.0?}",
        started.elapsed()
    ));
    assert!(
        clean.success(),
        "the hook failed on a clean file:\n{}",
        clean.output
    );
    assert!(
        clean.output.contains("Passed"),
        "unexpected output:\n{}",
        clean.output
    );

    fs::create_dir_all(marker.parent().unwrap()).unwrap();
    fs::write(&marker, "").unwrap();
}

/// Runs `pre-commit try-repo <hook_repo> <hook> --files ...` in `user_repo`.
fn try_repo(
    pre_commit: &Path,
    hook_repo: &Path,
    hook: &str,
    user_repo: &Path,
    files: &[&str],
) -> Run {
    let root = Path::new(CRATE_ROOT);
    let log = user_repo.with_file_name(format!("pre-commit-{hook}.txt"));
    let mut cmd = Command::new(pre_commit);
    cmd.arg("try-repo")
        .arg(hook_repo)
        .args([hook, "--color", "never", "--files"])
        .args(files)
        .current_dir(user_repo)
        // Read by cargo under both installs: `cargo install` and maturin's build.
        .env("CARGO_TARGET_DIR", shared_release_target())
        .env("PRE_COMMIT_HOME", root.join("target/pre-commit-home"));
    clear_git_env(&mut cmd);
    run_logged(&mut cmd, &log, TIMEOUT)
}

/// Copies the crate's work tree (tracked and untracked files, minus what git
/// ignores) into a fresh repository at `dest` and commits it.
fn snapshot_work_tree(root: &Path, dest: &Path) {
    fs::create_dir_all(dest).unwrap();
    for rel in work_tree_files(root) {
        let from = root.join(&rel);
        if !from.is_file() {
            continue; // deleted from the work tree but still in the index
        }
        let to = dest.join(&rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(&from, &to).unwrap();
    }
    git(dest, &["init", "--quiet"]);
    git(dest, &["add", "--all"]);
    git(
        dest,
        &[
            "-c",
            "user.name=sparkguard tests",
            "-c",
            "user.email=tests@sparkguard.invalid",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            "snapshot",
        ],
    );
}

/// The work tree's files relative to `root`: from git when `root` is in a work tree,
/// else every file outside `target/` and `.git/`.
fn work_tree_files(root: &Path) -> Vec<PathBuf> {
    let mut cmd = Command::new("git");
    cmd.args([
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
    ])
    .current_dir(root);
    clear_git_env(&mut cmd);
    match cmd.output() {
        Ok(out) if out.status.success() => out
            .stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| PathBuf::from(String::from_utf8(name.to_vec()).unwrap()))
            .collect(),
        _ => {
            let mut files = Vec::new();
            walk(root, root, &mut files);
            files
        }
    }
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name();
        if path.is_dir() {
            if name != Some(OsStr::new("target")) && name != Some(OsStr::new(".git")) {
                walk(root, &path, files);
            }
        } else {
            files.push(path.strip_prefix(root).unwrap().to_path_buf());
        }
    }
}

fn git(dir: &Path, args: &[&str]) {
    git_stdout(dir, args);
}

fn git_stdout(dir: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    cmd.args(args).current_dir(dir);
    clear_git_env(&mut cmd);
    let out = cmd.output().expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
