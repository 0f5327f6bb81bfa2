//! The command line as users run it: the real binary on small files in a temporary
//! directory, checking each output format, the exit codes and what goes to which
//! stream.

mod support;

use std::fmt;
use std::path::Path;
use std::process::Command;
use support::Finished as Run;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;
use support::{BOUNDED, COLLECT};
use tempfile::TempDir;

/// The keys every JSON finding has, in this order.
const KEYS: [&str; 12] = [
    "code",
    "name",
    "severity",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "message",
    "help",
    "fix",
    "url",
];

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
        let full = self.dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(full, contents).unwrap();
        self
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `sparkguard ARGS` in the project directory, colors off whatever the
    /// environment says.
    fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run sparkguard");
        Run::from(output)
    }
}

/// A JSON object with its keys in the order they were written (a
/// `serde_json::Value` would sort them).
#[derive(Debug)]
struct Object(Vec<(String, Value)>);

impl Object {
    fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|(key, _)| key.as_str()).collect()
    }
}

impl std::ops::Index<&str> for Object {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
            .unwrap_or(&Value::Null)
    }
}

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(Object(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

fn object(json: &str) -> Object {
    serde_json::from_str(json).unwrap_or_else(|err| panic!("{err}: {json}"))
}

fn objects(json: &str) -> Vec<Object> {
    serde_json::from_str(json).unwrap_or_else(|err| panic!("{err}: {json}"))
}

fn assert_finding_object(value: &Object, path: &str) {
    assert_eq!(value.keys(), KEYS);
    assert_eq!(value["code"], "SG101");
    assert_eq!(value["name"], "collect-to-driver");
    assert_eq!(value["severity"], "error");
    assert_eq!(value["path"], path);
    assert_eq!(value["line"], 3);
    assert_eq!(value["column"], 30);
    assert_eq!(value["end_line"], 3);
    assert_eq!(value["end_column"], 39);
    assert!(value["message"].as_str().unwrap().contains("collect()"));
    assert!(!value["help"].as_str().unwrap().is_empty());
    assert!(value["fix"].is_null(), "SG101 has no fix here");
    assert!(
        value["url"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules/SG101-collect-to-driver.md")
    );
}

// ---------------------------------------------------------------------------
// Output formats

#[test]
fn full_format_shows_the_snippet_and_a_summary_on_stderr() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--no-color", "job.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!run.stdout.contains('\u{1b}'), "no colors: {}", run.stdout);
    insta::assert_snapshot!("full_format", run.stdout);
    assert_eq!(run.stderr, "Found 1 finding in 1 file.\n");
}

#[test]
fn full_format_quiet_drops_the_summary() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--quiet", "job.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("SG101 (collect-to-driver)"));
    assert_eq!(run.stderr, "");
}

#[test]
fn concise_format_is_one_line_per_finding() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--output-format", "concise", "job.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(
        lines[0].starts_with("job.py:3:30: SG101 `collect()`"),
        "{}",
        lines[0]
    );
    assert_eq!(
        run.stderr, "Found 1 finding in 1 file.\n",
        "the summary ends it"
    );
}

#[test]
fn json_format_is_one_array_with_fixed_keys() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--output-format", "json", "job.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.starts_with("[\n  {\n    \"code\""),
        "{}",
        run.stdout
    );
    let items = objects(&run.stdout);
    assert_eq!(items.len(), 1);
    assert_finding_object(&items[0], "job.py");
    assert_eq!(run.stderr, "");
}

#[test]
fn json_format_without_findings_is_an_empty_array() {
    let project = Project::new().with("job.py", BOUNDED);
    let run = project.run(&["check", "--output-format", "json", "job.py"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "[]\n");
}

#[test]
fn json_lines_format_is_one_object_per_line() {
    let project = Project::new().with("a.py", COLLECT).with("b.py", COLLECT);
    let run = project.run(&["check", "--output-format", "json-lines", "."]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_finding_object(&object(lines[0]), "a.py");
    assert_finding_object(&object(lines[1]), "b.py");
}

#[test]
fn github_format_is_a_workflow_command() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--output-format", "github", "job.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let prefix = "::error file=job.py,line=3,col=30,endLine=3,endColumn=39,\
                  title=SG101 (collect-to-driver)::`collect()`";
    assert!(lines[0].starts_with(prefix), "{}", lines[0]);
    assert!(lines[0].contains("%0Ahelp: "), "{}", lines[0]);
}

#[test]
fn github_format_escapes_the_file_property() {
    let project = Project::new().with("a,b.py", COLLECT);
    let run = project.run(&["check", "--output-format", "github", "a,b.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.starts_with("::error file=a%2Cb.py,line=3,"),
        "{}",
        run.stdout
    );
}

#[test]
fn findings_are_sorted_by_path_then_line() {
    let two = format!("{COLLECT}more = spark.table(\"clicks\").collect()\n");
    let project = Project::new()
        .with("b.py", COLLECT)
        .with("a.py", &two)
        .with("sub/c.py", COLLECT);
    let run = project.run(&["check", "--output-format", "concise", "sub", "b.py", "a.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    let positions: Vec<&str> = run
        .stdout
        .lines()
        .map(|line| line.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        positions,
        ["a.py:3:30", "a.py:4:30", "b.py:3:30", "sub/c.py:3:30"]
    );
}

// ---------------------------------------------------------------------------
// Statistics

#[test]
fn statistics_count_findings_per_rule() {
    let project = Project::new().with("a.py", COLLECT).with("b.py", COLLECT);
    let run = project.run(&["check", "--statistics", "a.py", "b.py"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        "2  SG101  collect-to-driver\nFound 2 findings.\n"
    );
    assert_eq!(
        run.stderr,
        "0 of 2 checked files were treated as test code: the Spark rules are silent there (--check-tests reports them).\n"
    );
}

#[test]
fn statistics_in_json() {
    let project = Project::new().with("a.py", COLLECT).with("b.py", COLLECT);
    let run = project.run(&[
        "check",
        "--statistics",
        "--output-format",
        "json",
        "a.py",
        "b.py",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let items = objects(&run.stdout);
    assert_eq!(items.len(), 1);
    let value = &items[0];
    assert_eq!(value.keys(), ["code", "name", "count", "fixable"]);
    assert_eq!(value["code"], "SG101");
    assert_eq!(value["name"], "collect-to-driver");
    assert_eq!(value["count"], 2);
}

// ---------------------------------------------------------------------------
// Exit codes and errors

#[test]
fn clean_files_exit_0() {
    let project = Project::new().with("job.py", BOUNDED);
    let run = project.run(&["check", "job.py"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "All checks passed.\n");
}

#[test]
fn an_empty_file_is_clean() {
    let project = Project::new().with("empty.py", "");
    let run = project.run(&["check", "empty.py"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "");
}

#[test]
fn the_default_path_is_the_current_directory() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--output-format", "concise"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("job.py:3:30: SG101"), "{}", run.stdout);
}

#[test]
fn exit_zero_keeps_findings_but_exits_0() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&[
        "check",
        "--exit-zero",
        "--output-format",
        "concise",
        "job.py",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("SG101"));
}

#[test]
fn exit_zero_does_not_hide_errors() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--exit-zero", "job.py", "missing.py"]);
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn a_file_that_is_not_utf8_is_an_error_and_the_others_are_still_checked() {
    let project = Project::new()
        .with(
            "bad.py",
            b"from pyspark.sql import SparkSession\nx = '\xff\xfe'\n",
        )
        .with("good.py", COLLECT);
    let run = project.run(&["check", "--output-format", "concise", "bad.py", "good.py"]);
    assert_eq!(run.code, 2, "an error wins over findings: {run:?}");
    assert!(run.stderr.starts_with("error: bad.py: "), "{}", run.stderr);
    assert!(run.stderr.contains("UTF-8"), "{}", run.stderr);
    assert!(
        run.stdout.starts_with("good.py:3:30: SG101"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_missing_path_is_an_error() {
    let project = Project::new();
    let run = project.run(&["check", "missing.py"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with("error: missing.py: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn the_summary_counts_errors() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "job.py", "missing.py"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .ends_with("Found 1 finding in 1 file; 1 error.\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let project = Project::new();
    let run = project.run(&["check", "--output-format", "xml"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("xml"), "{}", run.stderr);
    let run = project.run(&["check", "--no-such-flag"]);
    assert_eq!(run.code, 2, "{run:?}");
    let run = project.run(&["--help"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("check"), "{}", run.stdout);
    let run = project.run(&["check", "--help"]);
    assert_eq!(run.code, 0, "{run:?}");
    for flag in ["--output-format", "--select", "--statistics", "--exit-zero"] {
        assert!(run.stdout.contains(flag), "{flag} in {}", run.stdout);
    }
}

// ---------------------------------------------------------------------------
// Selecting rules and config

#[test]
fn ignore_and_select_choose_the_rules() {
    let project = Project::new().with("job.py", COLLECT);
    let concise = ["check", "--output-format", "concise"];

    let run = project.run(&[&concise[..], &["--ignore", "SG101", "job.py"]].concat());
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{run:?}");

    let run = project.run(&[&concise[..], &["--select", "SG9", "job.py"]].concat());
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{run:?}");

    // Comma-separated and repeatable.
    let run = project.run(&[&concise[..], &["--select", "SG9,SG101", "job.py"]].concat());
    assert_eq!(run.code, 1, "{run:?}");
    let run = project.run(
        &[
            &concise[..],
            &["--select", "SG9", "--select", "SG1", "job.py"],
        ]
        .concat(),
    );
    assert_eq!(run.code, 1, "{run:?}");
}

#[test]
fn an_unknown_code_in_select_is_an_error() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--select", "XX1", "job.py"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("XX1"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_config_error_exits_2_and_names_the_file() {
    let project = Project::new()
        .with("sparkguard.toml", "selectt = [\"SG1\"]\n")
        .with("job.py", COLLECT);
    let run = project.run(&["check", "job.py"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("sparkguard.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("selectt"), "{}", run.stderr);
}

#[test]
fn a_missing_config_file_exits_2() {
    let project = Project::new().with("job.py", COLLECT);
    let run = project.run(&["check", "--config", "nope.toml", "job.py"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("nope.toml"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_config_file_applies_its_ignore() {
    let project = Project::new()
        .with("sparkguard.toml", "ignore = [\"SG101\"]\n")
        .with("job.py", COLLECT);
    let run = project.run(&["check", "job.py"]);
    assert_eq!(run.code, 0, "{run:?}");
}

// ---------------------------------------------------------------------------
// Rule docs

#[test]
fn rule_prints_the_header_and_docs() {
    let project = Project::new();
    let run = project.run(&["rule", "SG101"]);
    assert_eq!(run.code, 0, "{run:?}");
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("SG101 collect-to-driver (default severity: error)")
    );
    let rule = sparkguard::rules::by_code("SG101").unwrap();
    assert!(run.stdout.contains(&rule.docs_text()));
    assert!(run.stdout.contains("## What it does"), "{}", run.stdout);
}

#[test]
fn rule_accepts_a_name() {
    let project = Project::new();
    let run = project.run(&["rule", "collect-to-driver"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("SG101 collect-to-driver"));
}

#[test]
fn rule_in_json() {
    let project = Project::new();
    let run = project.run(&["rule", "SG101", "--output-format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let value = object(&run.stdout);
    assert_eq!(
        value.keys(),
        ["code", "name", "severity", "help", "docs", "preview", "url"]
    );
    assert_eq!(value["code"], "SG101");
    assert_eq!(value["name"], "collect-to-driver");
    assert_eq!(value["severity"], "error");
}

#[test]
fn an_unknown_rule_is_an_error() {
    let project = Project::new();
    let run = project.run(&["rule", "SG999"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("unknown rule `SG999`"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn rules_lists_every_rule() {
    let project = Project::new();
    let run = project.run(&["rules"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), sparkguard::rules::RULES.len());
    assert!(
        lines[0].starts_with("SG101  collect-to-driver  "),
        "{}",
        lines[0]
    );
}

#[test]
fn rules_in_json() {
    let project = Project::new();
    let run = project.run(&["rules", "--output-format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let codes: Vec<String> = objects(&run.stdout)
        .iter()
        .map(|item| {
            assert_eq!(
                item.keys(),
                ["code", "name", "severity", "help", "docs", "preview", "url"]
            );
            assert!(item["docs"].as_str().unwrap().contains("## What it does"));
            item["code"].as_str().unwrap().to_string()
        })
        .collect();
    let expected: Vec<&str> = sparkguard::rules::RULES
        .iter()
        .map(|rule| rule.code)
        .collect();
    assert_eq!(codes, expected);
}
