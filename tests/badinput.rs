//! The bad-input matrix: each unreadable, huge, deep or broken input sits in its own
//! directory next to a good file with one finding. For every case the run ends by
//! itself (exit 0, 1 or 2, never a signal, never a panic message) within its time
//! budget, still reports the good file's finding, names each file it could not check
//! with the reason, and reports the case's own finding where it has one. A last run
//! over every case at once must do the same.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GOOD: &str = "from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\nrows = spark.read.parquet(\"s3://b/events\").collect()\n";
const HEAD: &str =
    "from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\n";

/// Budgets are for an optimized build; the unoptimized test build gets more.
fn budget(secs: u64) -> Duration {
    let factor = if cfg!(debug_assertions) { 6 } else { 1 };
    Duration::from_secs(secs * factor)
}

struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    /// A finding expected in a file other than good.py.
    own_finding: bool,
    /// Files that must be named on stderr as not checked, with words of the reason.
    errors: Vec<(&'static str, &'static str)>,
    secs: u64,
}

fn case(
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    own_finding: bool,
    secs: u64,
) -> Case {
    Case {
        name,
        files,
        own_finding,
        errors: Vec::new(),
        secs,
    }
}

/// A small deterministic generator, so the binary cases are the same every run.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn notebook(cells: serde_json::Value) -> Vec<u8> {
    serde_json::json!({
        "cells": cells,
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5
    })
    .to_string()
    .into_bytes()
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut c = case(
        "invalid-utf8",
        vec![("bad.py", [HEAD.as_bytes(), b"x = '\xff\xfe'\n"].concat())],
        false,
        10,
    );
    c.errors.push(("bad.py", "not valid UTF-8"));
    cases.push(c);
    cases.push(case("binary", vec![("bin.py", noise(8192, 7))], false, 10));
    cases.push(case("nul-only", vec![("nul.py", vec![0])], false, 10));
    cases.push(case(
        "empty",
        vec![
            ("empty.py", vec![]),
            ("empty.scala", vec![]),
            ("empty.ipynb", vec![]),
        ],
        false,
        10,
    ));
    let mut big = String::from(HEAD);
    let mut i = 0;
    while big.len() < 10_000_000 {
        big.push_str(&format!(
            "df_{i} = spark.table('t{i}').filter('x > {i}').select('a', 'b')\nn_{i} = df_{i}.limit(5).collect()\n"
        ));
        i += 1;
    }
    big.push_str("rows = spark.table('warehouse.events').collect()\n");
    cases.push(case(
        "10MB-file",
        vec![("big.py", big.into_bytes())],
        true,
        30,
    ));
    let line = format!(
        "{HEAD}x = [{}]\nrows = spark.table('e').collect()\n",
        "1, ".repeat(1_700_000)
    );
    cases.push(case(
        "5MB-line",
        vec![("line.py", line.into_bytes())],
        true,
        30,
    ));
    let parens = format!("{HEAD}x = {}1{}\n", "(".repeat(10_000), ")".repeat(10_000));
    let mut c = case(
        "deep-parens",
        vec![("paren.py", parens.into_bytes())],
        false,
        20,
    );
    c.errors
        .push(("paren.py", "brackets nest 10000 levels deep"));
    cases.push(c);
    let calls = format!("{HEAD}x = {}1{}\n", "f(".repeat(10_000), ")".repeat(10_000));
    cases.push(case(
        "deep-calls",
        vec![("calls.py", calls.into_bytes())],
        false,
        20,
    ));
    let mut deep = String::from(HEAD);
    for k in 0..5000 {
        deep.push_str(&" ".repeat(k));
        deep.push_str("if x:\n");
    }
    deep.push_str(&" ".repeat(5000));
    deep.push_str("rows = spark.table('t').collect()\n");
    let mut c = case(
        "deep-blocks-then-code",
        vec![("deep.py", deep.into_bytes())],
        false,
        20,
    );
    c.errors
        .push(("deep.py", "indented blocks nest 5000 levels deep"));
    cases.push(c);
    let chain = format!(
        "{HEAD}rows = spark.table('t'){}.collect()\n",
        ".filter('x > 1')".repeat(20_000)
    );
    cases.push(case(
        "long-chain",
        vec![("chain.py", chain.into_bytes())],
        true,
        30,
    ));
    let scala_chain = format!(
        "import org.apache.spark.sql.SparkSession\nobject J {{\n  val spark = SparkSession.builder.getOrCreate()\n  val rows = spark.table(\"t\"){}.collect()\n}}\n",
        ".filter(\"x > 1\")".repeat(20_000)
    );
    cases.push(case(
        "scala-long-chain",
        vec![("Chain.scala", scala_chain.into_bytes())],
        true,
        30,
    ));
    let braces = format!(
        "object A {{ val x = {}1{} }}\n",
        "{".repeat(10_000),
        "}".repeat(10_000)
    );
    cases.push(case(
        "scala-deep-braces",
        vec![("Deep.scala", braces.into_bytes())],
        false,
        20,
    ));
    let crlf = [
        b"\xef\xbb\xbf".as_slice(),
        GOOD.replace('\n', "\r\n").as_bytes(),
    ]
    .concat();
    cases.push(case("bom-crlf", vec![("crlf.py", crlf)], true, 10));
    let latin = [
        b"# -*- coding: latin-1 -*-\n".as_slice(),
        HEAD.as_bytes(),
        b"name = '\xe9t\xe9'\nrows = spark.table('e').collect()\n",
    ]
    .concat();
    cases.push(case("latin1-declared", vec![("latin.py", latin)], true, 10));
    let mut c = case(
        "ipynb-invalid-json",
        vec![(
            "broken.ipynb",
            b"{\"cells\": [ {\"cell_type\": \"code\", ".to_vec(),
        )],
        false,
        10,
    );
    c.errors.push(("broken.ipynb", "JSON"));
    cases.push(c);
    cases.push(case(
        "ipynb-wrong-shape",
        vec![("shape.ipynb", b"{\"cells\": 5, \"nbformat\": 4}".to_vec())],
        false,
        10,
    ));
    cases.push(case(
        "ipynb-source-number",
        vec![(
            "num.ipynb",
            notebook(serde_json::json!([{"cell_type": "code", "source": 5, "metadata": {}, "outputs": []}])),
        )],
        false,
        10,
    ));
    let text: Vec<String> = vec!["x".repeat(100); 50_000];
    cases.push(case(
        "ipynb-huge-output",
        vec![(
            "out.ipynb",
            notebook(serde_json::json!([{
                "cell_type": "code", "metadata": {}, "execution_count": 1,
                "source": ["rows = spark.table('e').collect()\n"],
                "outputs": [{"output_type": "stream", "name": "stdout", "text": text}]
            }])),
        )],
        true,
        20,
    ));
    cases.push(case(
        "databricks-broken-sql",
        vec![(
            "nb.py",
            b"# Databricks notebook source\nrows = spark.table('e').collect()\n# COMMAND ----------\n# MAGIC %sql\n# MAGIC SELECT /*+ BROADCAST(x FROM (((\n".to_vec(),
        )],
        true,
        10,
    ));
    let broken = format!("{HEAD}def broken(:\n    pass\nrows = spark.table('e').collect()\n");
    cases.push(case(
        "syntax-error-then-finding",
        vec![("err.py", broken.into_bytes())],
        true,
        10,
    ));
    cases.push(case(
        "conf-garbage",
        vec![("spark-defaults.conf", noise(4096, 11))],
        false,
        10,
    ));
    cases.push(case(
        "sh-garbage",
        vec![(
            "submit.sh",
            b"spark-submit --conf spark.driver.memory=\xff\xff --conf\n".to_vec(),
        )],
        false,
        10,
    ));
    cases
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn run(dir: &Path, limit: Duration) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
        .args(["check", "--output-format", "json-lines", "."])
        .current_dir(dir)
        // The per-file budget is for an optimized build too: keep it out of the way
        // of the unoptimized one (the case limits above still bound each run).
        .env("SPARKGUARD_FILE_BUDGET", limit.as_secs().to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the pipes on threads, so a full pipe never stalls the child.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut out_pipe, &mut text).ok();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut err_pipe, &mut text).ok();
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    Run {
        code: status.and_then(|s| s.code()),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        took,
    }
}

fn finding_paths(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["path"].as_str().unwrap_or("").to_string()
        })
        .collect()
}

fn write(dir: &Path, rel: &str, data: &[u8]) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, data).unwrap();
}

#[test]
fn every_bad_input_is_survived_named_and_bounded() {
    let root = tempfile::tempdir().unwrap();
    let mut cases = cases();
    for case in &cases {
        let dir = root.path().join(case.name);
        write(&dir, "good.py", GOOD.as_bytes());
        for (rel, data) in &case.files {
            write(&dir, rel, data);
        }
    }
    // A symlink loop, and a directory nobody may read.
    let loop_dir = root.path().join("symlink-loop");
    write(&loop_dir, "good.py", GOOD.as_bytes());
    std::fs::create_dir_all(loop_dir.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", loop_dir.join("sub/up")).unwrap();
    cases.push(case("symlink-loop", Vec::new(), false, 10));
    let locked_dir = root.path().join("unreadable-dir");
    write(&locked_dir, "good.py", GOOD.as_bytes());
    write(&locked_dir, "locked/x.py", GOOD.as_bytes());
    let locked = locked_dir.join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Running as root reads it anyway: then it is one more good file.
    let root_user = std::fs::read_dir(&locked).is_ok();
    let mut c = case("unreadable-dir", Vec::new(), false, 10);
    if !root_user {
        c.errors.push(("locked", "ermission denied"));
    }
    cases.push(c);

    let mut failures = Vec::new();
    for case in &cases {
        let limit = budget(case.secs);
        let run = run(&root.path().join(case.name), limit);
        let mut why = Vec::new();
        match run.code {
            None => why.push(format!("no answer within {limit:?}")),
            Some(0..=2) => {}
            Some(code) => why.push(format!("exit {code}")),
        }
        if run.stderr.contains("panicked") || run.stderr.contains("RUST_BACKTRACE") {
            why.push(format!(
                "panic: {}",
                run.stderr.lines().next().unwrap_or("")
            ));
        }
        let paths = finding_paths(&run.stdout);
        if run.code.is_some() && !paths.iter().any(|p| p.ends_with("good.py")) {
            why.push("good.py's finding is missing".to_string());
        }
        if case.own_finding && run.code.is_some() && paths.iter().all(|p| p.ends_with("good.py")) {
            why.push("its own finding is missing".to_string());
        }
        for (file, reason) in &case.errors {
            let named = run.stderr.lines().any(|line| {
                line.starts_with("error:") && line.contains(file) && line.contains(reason)
            });
            if !named {
                why.push(format!(
                    "{file} not named with `{reason}` on stderr: {}",
                    run.stderr.trim()
                ));
            }
            if run.code.is_some() && run.code != Some(2) {
                why.push(format!("exit {:?} with an unreadable file", run.code));
            }
        }
        if !why.is_empty() {
            failures.push(format!(
                "{}: {} ({:.1?})",
                case.name,
                why.join("; "),
                run.took
            ));
        }
    }
    // Every case at once.
    let all = run(root.path(), budget(120));
    let goods = finding_paths(&all.stdout)
        .iter()
        .filter(|p| p.ends_with("good.py"))
        .count();
    if !matches!(all.code, Some(0..=2)) || all.stderr.contains("panicked") || goods < cases.len() {
        failures.push(format!(
            "all at once: exit {:?}, {goods}/{} good findings ({:.1?})",
            all.code,
            cases.len(),
            all.took
        ));
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_closed_stdout_ends_quietly_with_the_usual_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(HEAD);
    for i in 0..5000 {
        text.push_str(&format!("rows_{i} = spark.table('t{i}').collect()\n"));
    }
    write(dir.path(), "many.py", text.as_bytes());
    let mut child = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
        .args(["check", "--output-format", "concise", "many.py"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, as `head -1` does, and close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        !stderr.contains("error") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&first).starts_with("many.py:3:"));
}

#[test]
fn progress_never_shows_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let chain = format!(
        "{HEAD}rows = spark.table('t'){}.collect()\n",
        ".filter('x > 1')".repeat(2000)
    );
    for i in 0..20 {
        write(dir.path(), &format!("job_{i}.py"), chain.as_bytes());
    }
    let output = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
        .args(["check", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("checked ") && !stderr.contains('\r'),
        "{stderr}"
    );
    assert!(
        stderr
            .trim_end()
            .ends_with("Found 20 findings in 20 files."),
        "{stderr}"
    );
}

#[test]
fn a_file_past_its_budget_is_an_error_and_the_others_are_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.py", GOOD.as_bytes());
    let mut big = String::from(HEAD);
    for i in 0..20_000 {
        big.push_str(&format!(
            "df_{i} = spark.table('t{i}').groupBy('k').count()\nn_{i} = df_{i}.collect()\n"
        ));
    }
    write(dir.path(), "big.py", big.as_bytes());
    let output = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
        .args(["check", "--output-format", "concise", "."])
        .current_dir(dir.path())
        .env("SPARKGUARD_FILE_BUDGET", "0.3")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: big.py: analysis stopped after 0.3 s"),
        "{stderr}"
    );
    assert!(stdout.contains("good.py:3:"), "{stdout}");
    assert!(!stdout.contains("big.py"), "{stdout}");
}

/// Every report format draws a finding at the end of a 20,000-call chain on one
/// line (past column 65,535), with the finding's position, and exits 1.
#[test]
fn every_format_reports_a_finding_past_column_65535() {
    let dir = tempfile::tempdir().unwrap();
    let chain = format!(
        "{HEAD}rows = spark.table('t'){}.collect()\n",
        ".filter('x > 1')".repeat(20_000)
    );
    write(dir.path(), "chain.py", chain.as_bytes());
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
        let output = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
            .args(["check", "--no-cache", "--output-format", format, "chain.py"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{format}: {stderr}");
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert!(stdout.contains("chain.py"), "{format}: {stdout}");
    }
}
