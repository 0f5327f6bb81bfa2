//! `check --fix` and `check --diff` as users run them: the real binary on small files
//! in a temporary directory. What a fix writes, that nothing else is written, the exit
//! codes and the summary line.
//!
//! The tests in `mod count_for_emptiness` need the fix of SG307 (`df.count() == 0` →
//! `df.isEmpty()`); the others hold whatever rules carry fixes.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::Finished as Run;

use tempfile::TempDir;

/// The same job, bounded before it is collected: nothing to report.
const CLEAN: &str = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
rows = spark.table(\"events\").limit(10).collect()
";

/// One `collect-to-driver` finding (SG101), which has no fix.
const COLLECT: &str = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
rows = spark.table(\"events\").collect()
";

/// A temporary project directory.
struct Project {
    dir: TempDir,
}

impl Project {
    fn new() -> Self {
        Project {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    fn with(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let full = self.path(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(full, contents).unwrap();
        self
    }

    fn path(&self, path: &str) -> PathBuf {
        self.dir.path().join(path)
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.path(path)).unwrap()
    }

    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sparkguard"));
        command.current_dir(self.dir.path()).env("NO_COLOR", "1");
        command
    }

    /// Runs `sparkguard ARGS` in the project directory.
    fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command().args(args).output().expect("run sparkguard"))
    }

    /// The names in the project's top directory, sorted.
    fn listing(&self) -> Vec<String> {
        listing(self.dir.path())
    }
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn fix_on_a_clean_file_writes_nothing_and_exits_0() {
    let project = Project::new().with("job.py", CLEAN);
    let before = fs::metadata(project.path("job.py"))
        .unwrap()
        .modified()
        .unwrap();
    let run = project.run(&["check", "--fix", "job.py"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "Fixed 0 findings (0 remaining).\n");
    assert_eq!(project.read("job.py"), CLEAN);
    let after = fs::metadata(project.path("job.py"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(project.listing(), vec!["job.py"]);
}

#[test]
fn fix_reports_findings_without_a_safe_fix_and_exits_1() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--fix", "--output-format", "concise", "job.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.starts_with("job.py:3:30: SG101 "), "{run:?}");
    assert_eq!(run.stderr, "Fixed 0 findings (1 remaining).\n");
    assert_eq!(project.read("job.py"), COLLECT);
}

#[test]
fn fix_with_exit_zero_exits_0_despite_remaining_findings() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--fix", "--exit-zero", "job.py"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("SG101"), "{run:?}");
}

#[test]
fn quiet_drops_the_fix_summary() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--fix", "--quiet", "job.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr, "");
}

#[test]
fn diff_without_fixes_prints_nothing_and_exits_0() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--diff", "job.py"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "Would fix 0 findings (1 remaining).\n");
}

#[test]
fn fix_leaves_launch_files_alone() {
    let conf =
        "spark.driver.maxResultSize 0\nspark.executor.memory 2g  # sparkguard: ignore[SG101]\n";
    let project = Project::new().with("spark-defaults.conf", conf);
    let run = project.run(&["check", "--fix", "--unsafe-fixes", "spark-defaults.conf"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("SG402"), "{run:?}");
    assert!(run.stdout.contains("SG901"), "{run:?}");
    assert_eq!(project.read("spark-defaults.conf"), conf);
    // Nor are their findings counted as fixable.
    let run = project.run(&["check", "spark-defaults.conf"]);
    assert!(
        run.stderr.ends_with("Found 2 findings in 1 file.\n"),
        "{run:?}"
    );
}

#[test]
fn fix_on_a_broken_notebook_is_an_error() {
    let project = Project::new().with("broken.ipynb", "{\"cells\": [");
    let run = project.run(&["check", "--fix", "broken.ipynb"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.starts_with("error: broken.ipynb: "), "{run:?}");
    assert_eq!(project.read("broken.ipynb"), "{\"cells\": [");
}

/// Needs SG307 `count-for-emptiness` and its safe fix.
mod count_for_emptiness {
    use super::*;

    /// One SG307 finding, with its fix.
    const EMPTY: &str = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
df = spark.table(\"events\")
if df.count() == 0:
    print(\"empty\")
";

    const EMPTY_FIXED: &str = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
df = spark.table(\"events\")
if df.isEmpty():
    print(\"empty\")
";

    const EMPTY_DIFF: &str = "\
--- a/job.py
+++ b/job.py
@@ -1,5 +1,5 @@
 from pyspark.sql import SparkSession
 spark = SparkSession.builder.getOrCreate()
 df = spark.table(\"events\")
-if df.count() == 0:
+if df.isEmpty():
     print(\"empty\")
";

    #[test]
    fn fix_rewrites_a_count_to_is_empty_and_exits_0() {
        let project = Project::new().with("job.py", EMPTY);
        let run = project.run(&["check", "--fix", "job.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stdout, "");
        assert_eq!(run.stderr, "Fixed 1 finding (0 remaining).\n");
        // The whole file, nothing cut short, and no temporary file left beside it.
        assert_eq!(project.read("job.py"), EMPTY_FIXED);
        assert_eq!(project.listing(), vec!["job.py"]);
    }

    #[test]
    fn a_second_fix_changes_nothing() {
        let project = Project::new().with("job.py", EMPTY);
        assert_eq!(project.run(&["check", "--fix", "job.py"]).code, 0);
        let before = fs::metadata(project.path("job.py"))
            .unwrap()
            .modified()
            .unwrap();
        let run = project.run(&["check", "--fix", "job.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stderr, "Fixed 0 findings (0 remaining).\n");
        assert_eq!(project.read("job.py"), EMPTY_FIXED);
        let after = fs::metadata(project.path("job.py"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        // And there is nothing left to show.
        let run = project.run(&["check", "--diff", "job.py"]);
        assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{run:?}");
    }

    #[test]
    fn fix_rewrites_a_positive_count_to_not_is_empty() {
        let text = EMPTY.replace("df.count() == 0", "df.count() > 0");
        let project = Project::new().with("job.py", text);
        let run = project.run(&["check", "--fix", "job.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(
            project.read("job.py"),
            EMPTY.replace("df.count() == 0", "not df.isEmpty()")
        );
    }

    #[test]
    fn fix_reports_what_remains_and_exits_on_it() {
        let text = format!("{EMPTY}rows = df.collect()\n");
        let project = Project::new().with("job.py", text);
        let run = project.run(&["check", "--fix", "--output-format", "concise", "job.py"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.stderr, "Fixed 1 finding (1 remaining).\n");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 1, "{run:?}");
        assert!(lines[0].starts_with("job.py:6:11: SG101 "), "{run:?}");
        assert_eq!(
            project.read("job.py"),
            format!("{EMPTY_FIXED}rows = df.collect()\n")
        );
    }

    #[test]
    fn fix_counts_fixes_across_files() {
        let two = EMPTY.replace(
            "    print(\"empty\")\n",
            "    print(\"empty\")\nif df.count() == 0:\n    pass\n",
        );
        let project = Project::new()
            .with("a.py", EMPTY)
            .with("jobs/b.py", two)
            .with("clean.py", CLEAN);
        let run = project.run(&["check", "--fix", "."]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stderr, "Fixed 3 findings (0 remaining).\n");
        assert_eq!(project.read("a.py"), EMPTY_FIXED);
        assert!(!project.read("jobs/b.py").contains("count()"));
        assert_eq!(project.read("clean.py"), CLEAN);
    }

    #[test]
    fn diff_prints_the_fix_and_writes_nothing() {
        let project = Project::new().with("job.py", EMPTY);
        let run = project.run(&["check", "--diff", "job.py"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.stdout, EMPTY_DIFF);
        assert_eq!(run.stderr, "Would fix 1 finding (0 remaining).\n");
        assert_eq!(project.read("job.py"), EMPTY);
        assert_eq!(project.listing(), vec!["job.py"]);
    }

    #[test]
    fn diff_wins_over_fix() {
        let project = Project::new().with("job.py", EMPTY);
        let run = project.run(&["check", "--fix", "--diff", "job.py"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.stdout, EMPTY_DIFF);
        assert_eq!(project.read("job.py"), EMPTY);
    }

    #[test]
    fn diff_shows_each_changed_file_in_path_order() {
        let project = Project::new()
            .with("b.py", EMPTY)
            .with("a.py", EMPTY)
            .with("clean.py", CLEAN);
        let run = project.run(&["check", "--diff", "."]);
        assert_eq!(run.code, 1, "{run:?}");
        let headers: Vec<&str> = run
            .stdout
            .lines()
            .filter(|line| line.starts_with("--- ") || line.starts_with("+++ "))
            .collect();
        assert_eq!(
            headers,
            vec!["--- a/a.py", "+++ b/a.py", "--- a/b.py", "+++ b/b.py"]
        );
        assert_eq!(run.stderr, "Would fix 2 findings (0 remaining).\n");
    }

    #[test]
    fn diff_with_exit_zero_exits_0() {
        let project = Project::new().with("job.py", EMPTY);
        let run = project.run(&["check", "--diff", "--exit-zero", "job.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stdout, EMPTY_DIFF);
    }

    #[test]
    fn suppressed_and_deselected_findings_are_not_fixed() {
        let suppressed = EMPTY.replace(
            "if df.count() == 0:",
            "if df.count() == 0:  # sparkguard: ignore[SG307]",
        );
        let project = Project::new()
            .with("suppressed.py", &suppressed)
            .with("other.py", EMPTY);
        let run = project.run(&["check", "--fix", "suppressed.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(project.read("suppressed.py"), suppressed);
        let run = project.run(&["check", "--fix", "--select", "SG1", "other.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(project.read("other.py"), EMPTY);
    }

    #[test]
    fn fix_keeps_line_endings_and_a_byte_order_mark() {
        let crlf = format!("\u{feff}{}", EMPTY.replace('\n', "\r\n"));
        let project = Project::new().with("job.py", &crlf);
        let run = project.run(&["check", "--fix", "job.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(
            project.read("job.py"),
            format!("\u{feff}{}", EMPTY_FIXED.replace('\n', "\r\n"))
        );
    }

    #[test]
    fn fix_in_scala() {
        let text = "\
import org.apache.spark.sql.SparkSession

object Job {
  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder.getOrCreate()
    val df = spark.table(\"events\")
    if (df.count() == 0) println(\"empty\")
  }
}
";
        let project = Project::new().with("Job.scala", text);
        let run = project.run(&["check", "--fix", "Job.scala"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(
            project.read("Job.scala"),
            text.replace("df.count() == 0", "df.isEmpty")
        );
    }

    #[test]
    fn fix_in_a_jupyter_notebook_keeps_it_valid_json() {
        let notebook = serde_json::json!({
            "cells": [
                {"cell_type": "markdown", "metadata": {}, "source": ["# Events\n"]},
                {
                    "cell_type": "code",
                    "execution_count": null,
                    "metadata": {},
                    "outputs": [],
                    "source": [
                        "df = spark.table(\"events\")\n",
                        "if df.count() == 0:\n",
                        "    print(\"empty\")"
                    ]
                }
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5
        });
        let text = serde_json::to_string_pretty(&notebook).unwrap();
        let project = Project::new().with("events.ipynb", &text);
        let run = project.run(&["check", "--fix", "events.ipynb"]);
        assert_eq!(run.code, 0, "{run:?}");
        let fixed = project.read("events.ipynb");
        let parsed: serde_json::Value = serde_json::from_str(&fixed).expect("valid JSON");
        assert_eq!(
            parsed["cells"][1]["source"][1],
            serde_json::json!("if df.isEmpty():\n")
        );
        // Only the fixed line changed.
        assert_eq!(
            fixed,
            text.replace("if df.count() == 0:", "if df.isEmpty():")
        );
    }

    #[test]
    fn fix_in_a_databricks_source_notebook() {
        let text = "\
# Databricks notebook source
df = spark.table(\"events\")

# COMMAND ----------

if df.count() == 0:
    print(\"empty\")
";
        let project = Project::new().with("events.py", text);
        let run = project.run(&["check", "--fix", "events.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(
            project.read("events.py"),
            text.replace("df.count() == 0", "df.isEmpty()")
        );
    }

    #[cfg(unix)]
    #[test]
    fn fix_keeps_the_file_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let project = Project::new().with("job.py", EMPTY);
        let path = project.path("job.py");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o750)).unwrap();
        let run = project.run(&["check", "--fix", "job.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(project.read("job.py"), EMPTY_FIXED);
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o750);
    }

    /// Checks what a failed write left: the original as it was, no temporary file,
    /// an error and exit 2, and the finding still reported where it is on disk.
    fn assert_write_failed(project: &Project, dir: &str, run: &Run) {
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains(": cannot write the fixed file: "),
            "{run:?}"
        );
        assert!(
            run.stderr
                .contains("Fixed 0 findings (1 remaining); 1 error.")
        );
        assert!(
            run.stdout.starts_with(&format!("{dir}/job.py:4:")),
            "{run:?}"
        );
        assert!(run.stdout.contains(" SG307 "), "{run:?}");
        assert_eq!(project.read(&format!("{dir}/job.py")), EMPTY);
        assert_eq!(listing(&project.path(dir)), vec!["job.py"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_directory_leaves_the_original_untouched() {
        use std::os::unix::fs::PermissionsExt;
        let project = Project::new().with("locked/job.py", EMPTY);
        let dir = project.path("locked");
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
        // Whoever may write anywhere (root) is not stopped by the mode:
        // `a_failed_write_leaves_the_original_untouched` covers that case.
        let privileged = fs::write(dir.join("probe"), "").is_ok();
        let run = if privileged {
            fs::remove_file(dir.join("probe")).unwrap();
            None
        } else {
            Some(project.run(&[
                "check",
                "--fix",
                "--output-format",
                "concise",
                "locked/job.py",
            ]))
        };
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        match run {
            Some(run) => assert_write_failed(&project, "locked", &run),
            None => eprintln!("skipped: the directory stays writable for this user"),
        }
    }

    /// A file size limit of 0 makes writing the temporary file fail, even for root.
    #[cfg(unix)]
    #[test]
    fn a_failed_write_leaves_the_original_untouched() {
        let project = Project::new().with("jobs/job.py", EMPTY);
        let output = Command::new("sh")
            .arg("-c")
            // Ignored, SIGXFSZ turns into an EFBIG error from `write`.
            .arg("trap '' XFSZ; ulimit -f 0 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_sparkguard"))
            .args([
                "check",
                "--fix",
                "--output-format",
                "concise",
                "jobs/job.py",
            ])
            .current_dir(project.path(""))
            .env("NO_COLOR", "1")
            .output()
            .expect("run sparkguard under sh");
        assert_write_failed(&project, "jobs", &Run::from(output));
    }
}

/// Unsafe fixes, and the flags that decide what `--fix` applies and reports.
mod applicability {
    use super::*;

    /// One SG402 finding, whose fix is unsafe, and one SG307 finding, whose fix is safe.
    const MIXED: &str = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.config(\"spark.driver.maxResultSize\", \"0\").getOrCreate()
df = spark.table(\"events\")
if df.count() == 0:
    print(\"empty\")
";

    const SAFE_FIXED: &str = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.config(\"spark.driver.maxResultSize\", \"0\").getOrCreate()
df = spark.table(\"events\")
if df.isEmpty():
    print(\"empty\")
";

    #[test]
    fn fix_never_applies_an_unsafe_fix_and_says_how_many_are_hidden() {
        let project = Project::new().with("job.py", MIXED);
        let run = project.run(&["check", "--fix", "--output-format", "concise", "job.py"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.starts_with("job.py:2:37: SG402 "), "{run:?}");
        assert_eq!(
            run.stderr,
            "Fixed 1 finding (1 remaining).\n1 hidden fix can be enabled with --unsafe-fixes.\n"
        );
        assert_eq!(project.read("job.py"), SAFE_FIXED);
        // Again: the unsafe fix is still not applied, and still counted.
        let run = project.run(&["check", "--fix", "job.py"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(project.read("job.py"), SAFE_FIXED);
        assert!(
            run.stderr
                .ends_with("1 hidden fix can be enabled with --unsafe-fixes.\n")
        );
    }

    #[test]
    fn unsafe_fixes_applies_them_too() {
        let project = Project::new().with("job.py", MIXED);
        let run = project.run(&["check", "--fix", "--unsafe-fixes", "job.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stderr, "Fixed 2 findings (0 remaining).\n");
        assert_eq!(
            project.read("job.py"),
            SAFE_FIXED.replace("\"0\")", "\"1g\")")
        );
    }

    #[test]
    fn unsafe_fixes_in_the_config_applies_them_too() {
        let project = Project::new()
            .with("job.py", MIXED)
            .with("sparkguard.toml", "unsafe-fixes = true\n");
        let run = project.run(&["check", "--diff", "job.py"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(
            run.stdout.contains(
                "+spark = SparkSession.builder.config(\"spark.driver.maxResultSize\", \"1g\")"
            ),
            "{run:?}"
        );
        assert_eq!(run.stderr, "Would fix 2 findings (0 remaining).\n");
        assert_eq!(project.read("job.py"), MIXED);
    }

    #[test]
    fn diff_without_unsafe_fixes_shows_only_the_safe_ones() {
        let project = Project::new().with("job.py", MIXED);
        let run = project.run(&["check", "--diff", "job.py"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.contains("+if df.isEmpty():"), "{run:?}");
        assert!(!run.stdout.contains("1g"), "{run:?}");
        assert_eq!(
            run.stderr,
            "Would fix 1 finding (1 remaining).\n1 hidden fix can be enabled with --unsafe-fixes.\n"
        );
    }

    #[test]
    fn the_summary_of_a_check_counts_the_fixes() {
        let project = Project::new().with("job.py", MIXED);
        let run = project.run(&["check", "job.py"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(
            run.stderr.ends_with(
                "Found 2 findings in 1 file.\n1 fixable with --fix; 1 hidden fix can be enabled with --unsafe-fixes.\n"
            ),
            "{run:?}"
        );
        let run = project.run(&["check", "--unsafe-fixes", "job.py"]);
        assert!(
            run.stderr
                .ends_with("Found 2 findings in 1 file.\n2 fixable with --fix.\n"),
            "{run:?}"
        );
        // Nothing to fix: no such line.
        let project = Project::new().with("job.py", COLLECT);
        let run = project.run(&["check", "job.py"]);
        assert!(
            run.stderr.ends_with("Found 1 finding in 1 file.\n"),
            "{run:?}"
        );
    }

    #[test]
    fn fix_only_reports_nothing_else_and_exits_0() {
        let project = Project::new().with("job.py", MIXED);
        let run = project.run(&["check", "--fix-only", "job.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr,
            "Fixed 1 finding.\n1 hidden fix can be enabled with --unsafe-fixes.\n"
        );
        assert_eq!(project.read("job.py"), SAFE_FIXED);
        // An error still exits 2.
        let project = Project::new().with("broken.ipynb", "{");
        let run = project.run(&["check", "--fix-only", "broken.ipynb"]);
        assert_eq!(run.code, 2, "{run:?}");
    }

    #[test]
    fn exit_non_zero_on_fix_exits_1_when_something_was_fixed() {
        let fixable = MIXED.replace("\"0\"", "\"2g\"");
        let project = Project::new().with("job.py", &fixable);
        let run = project.run(&["check", "--fix", "--exit-non-zero-on-fix", "job.py"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.stderr, "Fixed 1 finding (0 remaining).\n");
        // Nothing left to fix: 0.
        let run = project.run(&["check", "--fix", "--exit-non-zero-on-fix", "job.py"]);
        assert_eq!(run.code, 0, "{run:?}");
        // With --fix-only too.
        let project = Project::new().with("job.py", &fixable);
        let run = project.run(&["check", "--fix-only", "--exit-non-zero-on-fix", "job.py"]);
        assert_eq!(run.code, 1, "{run:?}");
        // It contradicts --exit-zero.
        let run = project.run(&[
            "check",
            "--fix",
            "--exit-non-zero-on-fix",
            "--exit-zero",
            "job.py",
        ]);
        assert_eq!(run.code, 2, "{run:?}");
    }

    #[test]
    fn show_fixes_lists_what_was_fixed_per_file() {
        let project = Project::new()
            .with("b.py", MIXED)
            .with("a.py", MIXED)
            .with("clean.py", CLEAN);
        let run = project.run(&["check", "--fix", "--show-fixes", "--unsafe-fixes", "."]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(
            run.stderr,
            "Fixed 4 findings (0 remaining).\nFixed:\n- a.py:\n    1 × SG307 (count-for-emptiness)\n    1 × SG402 (unlimited-max-result-size)\n- b.py:\n    1 × SG307 (count-for-emptiness)\n    1 × SG402 (unlimited-max-result-size)\n"
        );
    }

    #[test]
    fn show_fixes_without_fix_lists_the_fixes_available() {
        let project = Project::new().with("job.py", MIXED);
        let run = project.run(&[
            "check",
            "--show-fixes",
            "--output-format",
            "concise",
            "job.py",
        ]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(
            run.stderr,
            "Found 2 findings in 1 file.\n1 fixable with --fix; 1 hidden fix can be enabled with --unsafe-fixes.\nFixes available:\n- job.py:\n    1 × SG307 (count-for-emptiness)\n    1 × SG402 (unlimited-max-result-size) [unsafe: needs --unsafe-fixes]\n"
        );
        assert_eq!(project.read("job.py"), MIXED);
    }

    #[test]
    fn the_flags_are_in_the_help() {
        let project = Project::new();
        let run = project.run(&["check", "--help"]);
        for flag in [
            "--unsafe-fixes",
            "--fix-only",
            "--exit-non-zero-on-fix",
            "--show-fixes",
        ] {
            assert!(run.stdout.contains(flag), "{flag} is not in --help");
        }
    }
}

/// A notebook's fixes edit one line of a cell: SG305 spells `add` as a lambda there
/// instead of adding an import line.
#[test]
fn group_by_key_fix_in_a_notebook_adds_no_import() {
    let notebook = serde_json::json!({
        "cells": [
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
             "source": ["import pyspark\n", "pairs = spark.table(\"sales\").rdd.map(lambda r: (r.store, r.amount))"]},
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
             "source": ["counts = pairs.groupByKey().mapValues(len)\n"]}
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5
    });
    let text = serde_json::to_string_pretty(&notebook).unwrap();
    let project = Project::new().with("counts.ipynb", &text);
    let run = project.run(&["check", "--fix", "counts.ipynb"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        project.read("counts.ipynb"),
        text.replace(
            "pairs.groupByKey().mapValues(len)",
            "pairs.mapValues(lambda _: 1).reduceByKey(lambda a, b: a + b)"
        )
    );
}

/// SG901's fix: removing what silences nothing keeps the rest of the comment.
#[test]
fn fix_removes_unused_suppressions() {
    let text = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
rows = spark.table(\"events\").limit(10).collect()  # sparkguard: ignore[SG101]
# sparkguard: ignore[SG101]
more = spark.table(\"events\").limit(10).collect()
pandas = spark.table(\"events\").toPandas()  # noqa: E501, SG102, SG101
";
    let project = Project::new().with("job.py", text);
    let run = project.run(&["check", "--fix", "job.py"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "Fixed 3 findings (0 remaining).\n");
    assert_eq!(
        project.read("job.py"),
        "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
rows = spark.table(\"events\").limit(10).collect()
more = spark.table(\"events\").limit(10).collect()
pandas = spark.table(\"events\").toPandas()  # noqa: E501, SG102
"
    );
}

/// `--fix` checks each round's text with the project's index, as `check` does: a
/// DataFrame returned by a helper of another file is known while fixing too.
#[test]
fn fix_sees_the_other_files_of_the_project() {
    let helpers = "\
from pyspark.sql import SparkSession


def load_events(spark):
    return spark.table(\"events\")
";
    let job = "\
from pyspark.sql import SparkSession

from helpers import load_events

spark = SparkSession.builder.getOrCreate()
events = load_events(spark)
if events.count() == 0:
    print(\"empty\")
";
    let project = Project::new()
        .with("helpers.py", helpers)
        .with("job.py", job);
    // `check` finds it through the index...
    let run = project.run(&["check", "--output-format", "concise", "."]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("job.py:7:4: SG307 "), "{run:?}");
    // ...and so do `--diff` and `--fix`.
    let run = project.run(&["check", "--diff", "."]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("+if events.isEmpty():"), "{run:?}");
    let run = project.run(&["check", "--fix", "."]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "Fixed 1 finding (0 remaining).\n");
    assert_eq!(
        project.read("job.py"),
        job.replace("events.count() == 0", "events.isEmpty()")
    );
    assert_eq!(project.read("helpers.py"), helpers);
}

/// The corpus fixed: every corpus file whose findings carry a fix is fixed as
/// `check --fix corpus/` fixes it (with the project's index), once with the safe
/// fixes only and once with `--unsafe-fixes`, and the diffs are snapshotted in
/// `tests/snapshots/fix/`. Each fixed text parses as well as the original did, a
/// second round changes nothing, and the safe run applies no unsafe fix.
mod corpus {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use sparkguard::config::Settings;
    use sparkguard::engine::{self, FileKind};
    use sparkguard::fix::{self, FixOutcome};
    use sparkguard::model::index::ProjectIndex;
    use sparkguard::source::notebook;

    fn corpus_files() -> Vec<PathBuf> {
        let mut files = Vec::new();
        let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if FileKind::of(&path).is_some() {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
    }

    fn display_path(path: &Path) -> String {
        path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .display()
            .to_string()
    }

    /// As the corpus test: every rule, test code checked where it is test code.
    fn settings(display: &str, unsafe_fixes: bool) -> Settings {
        Settings {
            select: sparkguard::rules::RULES
                .iter()
                .map(|rule| rule.code.to_string())
                .collect(),
            check_tests: Settings::default().is_test_path(Path::new(display)),
            unsafe_fixes,
            ..Settings::default()
        }
    }

    /// Syntax errors of a text, as the parser of its kind counts them (a notebook
    /// that is no longer JSON counts as broken).
    fn has_syntax_error(path: &Path, text: &str) -> bool {
        let tree_broken = |language, text: &str| {
            sparkguard::parse::parse(language, text).is_none_or(|tree| tree.root_node().has_error())
        };
        match FileKind::of(path).unwrap() {
            FileKind::Source(language) => tree_broken(language, text),
            FileKind::Jupyter => match notebook::parse_ipynb(text) {
                Ok(parsed) => parsed
                    .sources
                    .iter()
                    .any(|source| tree_broken(source.language, &source.text)),
                Err(_) => true,
            },
            FileKind::Launch(_) => false,
        }
    }

    #[test]
    fn corpus_fixes_snapshots_and_convergence() {
        let files = corpus_files();
        let budget = engine::TreeBudget::default();
        let mut texts = BTreeMap::new();
        let project = Arc::new(ProjectIndex::new(files.iter().filter_map(|path| {
            let display = display_path(path);
            let prepared =
                engine::prepare_file(path, &display, &settings(&display, false), &budget).unwrap();
            texts.insert(path.clone(), prepared.text.clone());
            prepared.facts
        })));
        let mut fixed_files = 0;
        let mut unsafe_files = 0;
        for path in &files {
            let display = display_path(path);
            let text = &texts[path];
            let fix_with = |text: &str, unsafe_fixes: bool| -> FixOutcome {
                fix::fix_text_in(
                    path,
                    &display,
                    text,
                    &settings(&display, unsafe_fixes),
                    &project,
                )
                .unwrap()
            };
            let found =
                engine::check_text_in(path, &display, text, &settings(&display, false), &project)
                    .unwrap();
            if found.iter().all(|d| d.fix.is_none()) {
                continue;
            }
            fixed_files += 1;
            let has_unsafe = found
                .iter()
                .any(|d| d.fix.as_ref().is_some_and(|f| !f.safe));
            unsafe_files += usize::from(has_unsafe);
            let mut snapshot = String::new();
            for unsafe_fixes in [false, true] {
                let outcome = fix_with(text, unsafe_fixes);
                let mode = if unsafe_fixes {
                    "--fix --unsafe-fixes"
                } else {
                    "--fix"
                };
                assert!(outcome.converged, "{display} {mode}: did not converge");
                assert!(
                    outcome.rejected.is_empty(),
                    "{display} {mode}: rejected {:?}",
                    outcome.rejected
                );
                if unsafe_fixes {
                    assert_eq!(outcome.applied_unsafe > 0, has_unsafe, "{display} {mode}");
                } else {
                    // Without the flag, an unsafe fix is never applied: a file whose
                    // fixes are all unsafe stays as it is.
                    assert_eq!(outcome.applied_unsafe, 0, "{display} {mode}");
                    if found.iter().all(|d| d.fix.as_ref().is_none_or(|f| !f.safe)) {
                        assert_eq!(&outcome.text, text, "{display} {mode}");
                    }
                }
                if !has_syntax_error(path, text) {
                    assert!(
                        !has_syntax_error(path, &outcome.text),
                        "{display} {mode}: the fixed text does not parse:\n{}",
                        outcome.text
                    );
                }
                // A second run changes nothing.
                let again = fix_with(&outcome.text, unsafe_fixes);
                assert_eq!(
                    again.fixed_count(),
                    0,
                    "{display} {mode}: a second run fixed more"
                );
                assert_eq!(again.text, outcome.text, "{display} {mode}");
                snapshot.push_str(&format!("# {mode}\n"));
                snapshot.push_str(&fix::unified_diff(&display, text, &outcome.text));
                snapshot.push('\n');
            }
            let name = display.replace(['/', '.'], "_");
            insta::with_settings!({ snapshot_path => "snapshots/fix", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name, snapshot);
            });
        }
        // Safe and unsafe fixes are both exercised.
        assert!(fixed_files >= 8, "{fixed_files} corpus files have fixes");
        assert!(
            unsafe_files >= 3,
            "{unsafe_files} corpus files have unsafe fixes"
        );
    }
}
