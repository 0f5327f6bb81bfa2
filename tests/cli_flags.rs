//! The flags a ruff user reaches for, run on the real binary: standard input with
//! `--stdin-filename`, `--watch`, `-o`, `--extend-select` and `ALL`, `--preview`,
//! `--color`, `--show-settings`, `--show-files`, `--add-noqa`, the fix and docs link
//! in the JSON formats, the `--statistics` total and `sparkguard version`.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::Finished as Run;
use support::{BOUNDED, COLLECT};
use tempfile::TempDir;

/// One SG307 finding, whose fix is safe.
const COUNT_FOR_EMPTINESS: &str = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
orders = spark.table(\"orders\")
if orders.count() == 0:
    print(\"none\")
";

/// One SG105 finding (a preview rule): a per-key result of unknown size collected.
const PER_KEY: &str = "\
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
spark = SparkSession.builder.getOrCreate()
orders = spark.table(\"orders\")
by_group = orders.groupBy(\"campaign\").agg(F.sum(\"amount\")).collect()
";

struct Project {
    dir: TempDir,
}

impl Project {
    fn new() -> Self {
        Project {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    fn with(self, path: &str, contents: &str) -> Self {
        self.write(path, contents);
        self
    }

    fn write(&self, path: &str, contents: &str) {
        let full = self.dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(full, contents).unwrap();
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path)).unwrap()
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sparkguard"));
        command
            .args(args)
            .current_dir(self.root())
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR");
        command
    }

    fn run(&self, args: &[&str]) -> Run {
        let output = self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .expect("run sparkguard");
        Run::from(output)
    }

    /// Runs with `stdin` as standard input.
    fn run_with_stdin(&self, args: &[&str], stdin: impl AsRef<[u8]>) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sparkguard");
        // A run refused before reading closes the pipe: that is its answer.
        let _ = child.stdin.take().unwrap().write_all(stdin.as_ref());
        Run::from(child.wait_with_output().expect("run sparkguard"))
    }
}

fn concise<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["check", "--output-format", "concise"];
    all.extend_from_slice(args);
    all
}

// ---------------------------------------------------------------------------
// Standard input

#[test]
fn dash_checks_standard_input_as_python() {
    let project = Project::new();
    let run = project.run_with_stdin(&concise(&["-"]), COLLECT);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.starts_with("-:3:30: SG101 "), "{}", run.stdout);
}

#[test]
fn stdin_filename_decides_the_config_the_display_path_and_test_code() {
    let project = Project::new().with("jobs/sparkguard.toml", "ignore = [\"SG101\"]\n");
    // The config next to the named file applies, though the file does not exist.
    let run = project.run_with_stdin(&concise(&["--stdin-filename", "jobs/daily.py"]), COLLECT);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "");
    // Elsewhere the finding is shown under the given name, with `-` or without.
    let run = project.run_with_stdin(
        &concise(&["--stdin-filename", "etl/daily.py", "-"]),
        COLLECT,
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.starts_with("etl/daily.py:3:30: SG101 "),
        "{}",
        run.stdout
    );
    // A test path is test code: the Spark rules are silent.
    let run = project.run_with_stdin(
        &concise(&["--stdin-filename", "tests/test_daily.py"]),
        COLLECT,
    );
    assert_eq!(run.code, 0, "{run:?}");
    // The name's extension decides the language.
    let scala = "import org.apache.spark.sql.SparkSession\nobject Job {\n  val spark = SparkSession.builder.getOrCreate()\n  val rows = spark.table(\"events\").collect()\n}\n";
    let run = project.run_with_stdin(&concise(&["--stdin-filename", "Job.scala"]), scala);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.starts_with("Job.scala:4:"), "{}", run.stdout);
}

#[test]
fn stdin_with_paths_or_file_writing_flags_is_a_usage_error() {
    let project = Project::new().with("a.py", COLLECT);
    let run = project.run_with_stdin(&["check", "--stdin-filename", "x.py", "a.py"], COLLECT);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("--stdin-filename reads the file from standard input"),
        "{}",
        run.stderr
    );
    let run = project.run_with_stdin(&["check", "--add-noqa", "-"], COLLECT);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("--add-noqa works on files"),
        "{}",
        run.stderr
    );
    // Bytes that are not text are an error naming the buffer.
    let run = project.run_with_stdin(&["check", "--stdin-filename", "x.py"], b"rows = \xff\xfe\n");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.starts_with("error: x.py: "), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// Watch mode

#[test]
fn watch_checks_again_after_a_file_changes() {
    let project = Project::new().with("job.py", BOUNDED);
    let mut child = project
        .command(&["check", "--watch", "--output-format", "concise", "."])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sparkguard --watch");
    // stderr carries each run's summary and then the watching line.
    let (sender, receiver) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            if sender.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let next_run = || {
        let mut lines = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match receiver.recv_timeout(left) {
                Ok(line) if line == "Watching for file changes." => return lines,
                Ok(line) => lines.push(line),
                Err(_) => return vec!["timed out".to_string()],
            }
        }
    };
    let first = next_run();
    // The change: the job now collects a whole table.
    project.write("job.py", COLLECT);
    let second = next_run();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(first, ["All checks passed."]);
    assert_eq!(second, ["Found 1 finding in 1 file."]);
}

// ---------------------------------------------------------------------------
// Output file, selection, preview, color

#[test]
fn output_file_takes_the_findings() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&[
        "check",
        "--output-format",
        "json",
        "-o",
        "out/findings.json",
        "job.py",
    ]);
    assert!(run.code == 2, "the directory does not exist: {run:?}");
    assert!(
        run.stderr
            .contains("out/findings.json: cannot write the output file"),
        "{}",
        run.stderr
    );
    let run = project.run(&[
        "check",
        "--output-format",
        "json",
        "--output-file",
        "findings.json",
        "job.py",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "");
    let findings: Value = serde_json::from_str(&project.read("findings.json")).unwrap();
    assert_eq!(findings[0]["code"], "SG101");
    // The human format goes there without colors, whatever --color says.
    let run = project.run(&["check", "--color", "always", "-o", "full.txt", "job.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    let full = project.read("full.txt");
    assert!(full.contains("SG101") && !full.contains('\u{1b}'), "{full}");
}

#[test]
fn extend_select_adds_to_select_and_all_selects_every_rule() {
    let project = Project::new()
        .with("job.py", &format!("{COLLECT}import os  # noqa: SG199\n"))
        .with("counts.py", COUNT_FOR_EMPTINESS);
    let codes = |run: &Run| -> Vec<String> {
        run.stdout
            .lines()
            .map(|line| line.split(' ').nth(1).unwrap_or_default().to_string())
            .collect()
    };
    let run = project.run(&concise(&["--select", "SG9", "job.py", "counts.py"]));
    assert_eq!(codes(&run), ["SG901"], "{run:?}");
    let run = project.run(&concise(&[
        "--select",
        "SG9",
        "--extend-select",
        "SG101",
        "job.py",
        "counts.py",
    ]));
    assert_eq!(codes(&run), ["SG101", "SG901"], "{run:?}");
    let run = project.run(&concise(&["--select", "ALL", "job.py", "counts.py"]));
    assert_eq!(codes(&run), ["SG307", "SG101", "SG901"], "{run:?}");
    // In the config too, with `--ignore` still on top.
    project.write(
        "sparkguard.toml",
        "select = [\"SG3\"]\nextend-select = [\"SG1\"]\n",
    );
    let run = project.run(&concise(&["--ignore", "SG307", "job.py", "counts.py"]));
    assert_eq!(codes(&run), ["SG101"], "{run:?}");
    project.write("sparkguard.toml", "select = [\"ALL\"]\n");
    let run = project.run(&concise(&["job.py", "counts.py"]));
    assert_eq!(codes(&run), ["SG307", "SG101", "SG901"], "{run:?}");
    // A typo is still refused.
    let run = project.run(&concise(&["--extend-select", "SG1O1", "job.py"]));
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("unknown rule code or prefix `SG1O1` in --extend-select"),
        "{}",
        run.stderr
    );
}

#[test]
fn preview_rules_run_only_with_preview_or_their_exact_code() {
    let project = Project::new().with("job.py", PER_KEY);
    let has_sg105 = |run: &Run| run.stdout.contains(": SG105 ");
    assert!(!has_sg105(&project.run(&concise(&["job.py"]))));
    assert!(!has_sg105(
        &project.run(&concise(&["--select", "ALL", "job.py"]))
    ));
    assert!(!has_sg105(
        &project.run(&concise(&["--select", "SG1", "job.py"]))
    ));
    assert!(has_sg105(&project.run(&concise(&["--preview", "job.py"]))));
    assert!(has_sg105(&project.run(&concise(&[
        "--preview",
        "--select",
        "SG1",
        "job.py"
    ]))));
    assert!(has_sg105(
        &project.run(&concise(&["--select", "SG105", "job.py"]))
    ));
    project.write("sparkguard.toml", "preview = true\n");
    assert!(has_sg105(&project.run(&concise(&["job.py"]))));
}

#[test]
fn color_always_and_never_win_over_the_environment() {
    let project = Project::new().with("job.py", COLLECT);
    let colored = |run: &Run| run.stdout.contains('\u{1b}');
    // Piped: no colors unless asked for.
    assert!(!colored(&project.run(&["check", "job.py"])));
    let mut command = project.command(&["check", "--color", "always", "job.py"]);
    command.env("NO_COLOR", "1");
    assert!(colored(&Run::from(command.output().unwrap())));
    let mut command = project.command(&["check", "--color", "never", "job.py"]);
    command.env("FORCE_COLOR", "1");
    assert!(!colored(&Run::from(command.output().unwrap())));
    let mut command = project.command(&["check", "job.py"]);
    command.env("FORCE_COLOR", "1");
    assert!(colored(&Run::from(command.output().unwrap())));
    let mut command = project.command(&["check", "--color", "auto", "job.py"]);
    command.env("FORCE_COLOR", "1").env("NO_COLOR", "1");
    assert!(!colored(&Run::from(command.output().unwrap())));
    let run = project.run(&["check", "--color", "sometimes", "job.py"]);
    assert_eq!(run.code, 2, "{run:?}");
}

// ---------------------------------------------------------------------------
// What would be checked, and how

#[test]
fn show_files_lists_what_would_be_checked() {
    let project = Project::new()
        .with("jobs/a.py", COLLECT)
        .with("jobs/b.scala", "object B\n")
        .with("jobs/notes.txt", "not checked")
        .with("build/gen.py", COLLECT)
        .with("sparkguard.toml", "exclude = [\"build/\"]\n");
    let run = project.run(&["check", "--show-files"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "jobs/a.py\njobs/b.scala\n");
    let run = project.run(&["check", "--show-files", "missing.py"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("missing.py: no such file or directory"),
        "{}",
        run.stderr
    );
}

/// `parse-only --walk` counts every node of every tree, anonymous tokens and
/// comments included: `x = 1  # c` is a module, an expression statement, an
/// assignment, `x`, `=`, `1` and the comment.
#[test]
fn parse_only_walk_visits_every_node() {
    let project = Project::new()
        .with("a.py", "x = 1  # c\n")
        .with("b.py", "x = 1  # c\n");
    let run = project.run(&["parse-only", "--walk"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "parsed 2 of 2 files, 14 nodes\n");
    let run = project.run(&["parse-only"]);
    assert_eq!(run.stdout, "parsed 2 of 2 files\n");
}

#[test]
fn show_settings_prints_the_resolved_config_of_a_file() {
    let project = Project::new().with("jobs/a.py", COLLECT).with(
        "jobs/pyproject.toml",
        "[tool.sparkguard]\nselect = [\"SG1\"]\ntake-threshold = 500\n",
    );
    let run = project.run(&["check", "--show-settings", "--ignore", "SG104", "jobs/a.py"]);
    assert_eq!(run.code, 0, "{run:?}");
    let text = &run.stdout;
    assert!(
        text.starts_with("Resolved settings for: jobs/a.py\n"),
        "{text}"
    );
    assert!(text.contains("pyproject.toml\n"), "{text}");
    assert!(
        text.contains("Rules that run: SG101, SG102, SG103\n"),
        "{text}"
    );
    assert!(text.contains("\nselect = [\"SG1\"]\n"), "{text}");
    assert!(text.contains("\nignore = [\"SG104\"]\n"), "{text}");
    assert!(text.contains("\ntake-threshold = 500\n"), "{text}");
    assert!(text.contains("\npreview = false\n"), "{text}");
    let run = project.run(&["check", "--show-settings", "empty/"]);
    assert_eq!(run.code, 2, "{run:?}");
}

// ---------------------------------------------------------------------------
// --add-noqa

#[test]
fn add_noqa_silences_every_finding_once() {
    let job = "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
rows = spark.table(\"events\").collect()
pdf = spark.table(\"events\").toPandas()  # noqa: E501
both = spark.table(\"a\").collect() + spark.table(\"b\").toPandas()  # keep
query = spark.table(\"c\").collect(), \"\"\"a
string\"\"\"
";
    let scala = "import org.apache.spark.sql.SparkSession\nobject Job {\n  val spark = SparkSession.builder.getOrCreate()\n  val rows = spark.table(\"events\").collect()\n}\n";
    let project = Project::new().with("job.py", job).with("Job.scala", scala);
    let run = project.run(&["check", "--add-noqa", "."]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "Added 5 noqa directives to 2 files.\n");
    assert_eq!(
        project.read("job.py"),
        "\
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
rows = spark.table(\"events\").collect()  # noqa: SG101
pdf = spark.table(\"events\").toPandas()  # noqa: E501, SG102
both = spark.table(\"a\").collect() + spark.table(\"b\").toPandas()  # keep  # noqa: SG101, SG102
# sparkguard: ignore[SG101]
query = spark.table(\"c\").collect(), \"\"\"a
string\"\"\"
"
    );
    assert!(
        project
            .read("Job.scala")
            .contains(".collect()  // noqa: SG101\n"),
        "{}",
        project.read("Job.scala")
    );
    // Everything is silenced now, and a second run adds nothing.
    let run = project.run(&["check", "."]);
    assert_eq!(run.code, 0, "{run:?}");
    let before = project.read("job.py");
    let run = project.run(&["check", "--add-noqa", "."]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "Added 0 noqa directives to 0 files.\n");
    assert_eq!(project.read("job.py"), before);
}

#[test]
fn add_noqa_writes_into_notebook_cells_and_databricks_notebooks() {
    let notebook = r##"{"cells": [
  {"cell_type": "markdown", "metadata": {}, "source": ["# Daily"]},
  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
   "source": ["rows = spark.table(\"events\").collect()\n", "print(len(rows))"]}],
 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
"##;
    let databricks = "# Databricks notebook source\nrows = spark.table(\"events\").collect()\n";
    let project = Project::new()
        .with("explore.ipynb", notebook)
        .with("daily.py", databricks);
    let run = project.run(&["check", "--add-noqa", "."]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "Added 2 noqa directives to 2 files.\n");
    let written = project.read("explore.ipynb");
    assert!(
        written.contains(r#""rows = spark.table(\"events\").collect()  # noqa: SG101\n""#),
        "{written}"
    );
    serde_json::from_str::<Value>(&written).expect("still notebook JSON");
    assert!(
        project
            .read("daily.py")
            .ends_with(".collect()  # noqa: SG101\n")
    );
    let run = project.run(&["check", "."]);
    assert_eq!(run.code, 0, "{run:?}");
}

// ---------------------------------------------------------------------------
// What the formats carry

#[test]
fn json_findings_carry_their_fix_and_docs_link() {
    let project = Project::new().with("job.py", COUNT_FOR_EMPTINESS);
    let run = project.run(&["check", "--output-format", "json", "job.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    let findings: Value = serde_json::from_str(&run.stdout).unwrap();
    let finding = &findings[0];
    assert_eq!(finding["code"], "SG307");
    let fix = &finding["fix"];
    assert_eq!(fix["applicability"], "safe", "{fix}");
    let edit = &fix["edits"][0];
    assert_eq!(edit["location"]["line"], 4, "{fix}");
    assert!(
        edit["content"].as_str().unwrap().contains("isEmpty"),
        "{fix}"
    );
    assert!(
        finding["url"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules/SG307-count-for-emptiness.md")
    );
    // json-lines carries the same object.
    let run = project.run(&["check", "--output-format", "json-lines", "job.py"]);
    let line: Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(&line, finding);
}

#[test]
fn statistics_end_with_the_total_and_mark_what_is_fixable() {
    let project = Project::new()
        .with("a.py", COLLECT)
        .with("b.py", COUNT_FOR_EMPTINESS);
    let run = project.run(&["check", "--statistics", "a.py", "b.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        "1  SG101      collect-to-driver\n1  SG307  [*] count-for-emptiness\n\
         Found 2 findings. [*] 1 fixable with --fix.\n"
    );
}

#[test]
fn version_is_a_subcommand_and_a_flag() {
    let project = Project::new();
    let run = project.run(&["version"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        format!("sparkguard {}\n", env!("CARGO_PKG_VERSION"))
    );
    let flag = project.run(&["--version"]);
    assert_eq!(flag.stdout, run.stdout);
}
