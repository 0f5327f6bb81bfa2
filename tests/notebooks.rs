//! Notebooks end to end: the `.ipynb` files and Databricks source notebooks under
//! `corpus/notebooks/`, checked as the CLI checks them.
//!
//! A `.ipynb` carries its expectations in a sidecar `NAME.ipynb.expect`: lines
//! `cell C line L CODE`, optionally followed by `at LINE:COLUMN`, the position in the
//! JSON text itself; or `error: MESSAGE` for a file that is not a valid notebook.
//! Databricks notebooks use `expect:` comments on their own lines, as the rest of the
//! corpus does (`# expect:` or `// expect:`, whichever the cell's language allows).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sparkguard::config::Settings;
use sparkguard::diagnostic::{CellPosition, Diagnostic, Position};
use sparkguard::engine::{self, FileReport};
use sparkguard::lang::Language;
use sparkguard::parse;
use sparkguard::report::{self, Sources};
use sparkguard::source::LineIndex;
use sparkguard::source::notebook::{self, Notebook};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/notebooks")
}

/// A corpus notebook, or a broken one kept out of the corpus (so that checking
/// `corpus/` shows findings, not errors) under `tests/fixtures/notebooks`.
fn corpus_path(name: &str) -> PathBuf {
    let path = corpus_dir().join(name);
    if path.exists() {
        return path;
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/notebooks")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(corpus_path(name)).unwrap()
}

/// Checks a corpus notebook as the CLI does.
fn check(name: &str) -> Result<FileReport, String> {
    let display = format!("corpus/notebooks/{name}");
    engine::check_file(&corpus_path(name), &display, &Settings::default())
        .map_err(|err| err.message)
}

/// Every diagnostic's byte range is valid in the checked text and starts where its
/// position says, so renderers can show it.
fn assert_ranges_are_sound(report: &FileReport) {
    let index = LineIndex::new(&report.text);
    for d in &report.diagnostics {
        let range = d.range.clone();
        assert!(
            range.start <= range.end && range.end <= report.text.len(),
            "{}: range {range:?} out of the text",
            d.path
        );
        assert!(
            report.text.is_char_boundary(range.start) && report.text.is_char_boundary(range.end),
            "{}: range {range:?} splits a character",
            d.path
        );
        assert_eq!(index.position(&report.text, range.start), d.start, "{d:?}");
        assert_eq!(index.position(&report.text, range.end), d.end, "{d:?}");
        assert!(
            d.cell.is_some(),
            "a notebook finding without its cell: {d:?}"
        );
    }
}

/// One sidecar expectation.
#[derive(Debug)]
struct Expected {
    cell: u32,
    line: u32,
    code: String,
    at: Option<Position>,
}

enum Sidecar {
    Findings(Vec<Expected>),
    Error(String),
}

fn sidecar(name: &str) -> Sidecar {
    let text = std::fs::read_to_string(corpus_path(&format!("{name}.expect")))
        .unwrap_or_else(|err| panic!("{name}.expect: {err}"));
    let mut expected = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(message) = line.strip_prefix("error:") {
            return Sidecar::Error(message.trim().to_string());
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let bad = || -> ! { panic!("{name}.expect: cannot read `{line}`") };
        let number = |word: &str| word.parse::<u32>().unwrap_or_else(|_| bad());
        match words[..] {
            ["cell", cell, "line", l, code] | ["cell", cell, "line", l, code, "at", _] => {
                let at = words.get(6).map(|pos| {
                    let (line, column) = pos.split_once(':').unwrap_or_else(|| bad());
                    Position {
                        line: number(line),
                        column: number(column),
                    }
                });
                expected.push(Expected {
                    cell: number(cell),
                    line: number(l),
                    code: code.to_string(),
                    at,
                });
            }
            _ => bad(),
        }
    }
    Sidecar::Findings(expected)
}

/// Every expectation of a `.ipynb` is Reported at its cell, line and position; every
/// other finding is Noisy.
fn assert_ipynb_expectations(name: &str) -> FileReport {
    let expected = match sidecar(name) {
        Sidecar::Findings(expected) => expected,
        Sidecar::Error(message) => panic!("{name}: expected an error: {message}"),
    };
    let report = check(name).unwrap_or_else(|err| panic!("{name}: {err}"));
    assert_ranges_are_sound(&report);
    let mut problems = Vec::new();
    let mut found: Vec<Option<&Diagnostic>> = report.diagnostics.iter().map(Some).collect();
    for e in &expected {
        let hit = found.iter_mut().find(|d| {
            d.is_some_and(|d| {
                d.code == e.code
                    && d.cell
                        == Some(CellPosition {
                            cell: e.cell,
                            line: e.line,
                        })
            })
        });
        match hit.and_then(Option::take) {
            None => problems.push(format!(
                "Missing {name}: cell {} line {} {}",
                e.cell, e.line, e.code
            )),
            Some(d) => {
                if let Some(at) = e.at
                    && at != d.start
                {
                    problems.push(format!(
                        "Moved   {name}: cell {} line {} {} at {}:{}, expected {}:{}",
                        e.cell, e.line, e.code, d.start.line, d.start.column, at.line, at.column
                    ));
                }
            }
        }
    }
    for d in found.into_iter().flatten() {
        let cell = d.cell.unwrap();
        problems.push(format!(
            "Noisy   {name}: cell {} line {} {} at {}:{}: {}",
            cell.cell, cell.line, d.code, d.start.line, d.start.column, d.message
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    report
}

/// (file line, code) → count, from `expect:` comments in any of the notebook's languages.
fn inline_expectations(text: &str) -> BTreeMap<(u32, String), usize> {
    let mut expected = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = ["# expect:", "// expect:"]
            .iter()
            .filter_map(|marker| line.find(marker).map(|pos| (pos, marker.len())))
            .min()
        else {
            continue;
        };
        let own_line = line[..pos.0].trim().is_empty();
        let target = if own_line { i + 2 } else { i + 1 } as u32;
        for code in line[pos.0 + pos.1..]
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|c| c.starts_with("SG"))
        {
            *expected.entry((target, code.to_string())).or_insert(0) += 1;
        }
    }
    expected
}

fn assert_databricks_expectations(name: &str) -> FileReport {
    let report = check(name).unwrap_or_else(|err| panic!("{name}: {err}"));
    assert_ranges_are_sound(&report);
    let mut expected = inline_expectations(&report.text);
    let mut problems = Vec::new();
    for d in &report.diagnostics {
        match expected.get_mut(&(d.start.line, d.code.to_string())) {
            Some(n) if *n > 0 => *n -= 1,
            _ => problems.push(format!(
                "Noisy   {name}:{}:{}: {} {}",
                d.start.line, d.start.column, d.code, d.message
            )),
        }
    }
    for ((line, code), n) in expected {
        for _ in 0..n {
            problems.push(format!("Missing {name}:{line}: {code}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    report
}

fn find<'r>(report: &'r FileReport, code: &str, cell: u32, line: u32) -> &'r Diagnostic {
    report
        .diagnostics
        .iter()
        .find(|d| d.code == code && d.cell == Some(CellPosition { cell, line }))
        .unwrap_or_else(|| {
            panic!(
                "no {code} at cell {cell} line {line}: {:#?}",
                report.diagnostics
            )
        })
}

/// The text of 1-based `line` of `text`, from 1-based character `column` on.
fn from_column(text: &str, line: u32, column: u32) -> &str {
    let line = text.lines().nth(line as usize - 1).unwrap();
    let skip: usize = line
        .chars()
        .take(column as usize - 1)
        .map(char::len_utf8)
        .sum();
    &line[skip..]
}

// ---- the corpus ----------------------------------------------------------------------

#[test]
fn every_corpus_notebook_has_expectations() {
    let mut notebooks = 0;
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".ipynb") {
            notebooks += 1;
            assert!(
                corpus_path(&format!("{name}.expect")).exists(),
                "{name} has no {name}.expect"
            );
        } else if let Some(notebook) = name.strip_suffix(".expect") {
            assert!(
                corpus_path(notebook).exists(),
                "{name} expects a missing file"
            );
        } else if name.ends_with(".py") || name.ends_with(".scala") {
            assert!(
                notebook::is_databricks_source(&read(&name)),
                "{name} is not a Databricks notebook"
            );
        }
    }
    assert!(notebooks >= 4, "only {notebooks} .ipynb files");
}

#[test]
fn nbformat4_with_markdown_magics_and_sql_cells() {
    assert_ipynb_expectations("explore.ipynb");
}

#[test]
fn nbformat3_worksheets_and_input() {
    let report = assert_ipynb_expectations("nbformat3.ipynb");
    // The heading cell counts: the code that follows it is cell 2.
    assert_eq!(
        report.diagnostics[0].cell,
        Some(CellPosition { cell: 2, line: 2 })
    );
}

#[test]
fn single_string_sources() {
    let report = assert_ipynb_expectations("single-string.ipynb");
    let d = find(&report, "SG101", 2, 3);
    assert!(from_column(&report.text, d.start.line, d.start.column).starts_with("collect()\\n\""));
}

#[test]
fn scala_kernel_and_a_python_cell_in_it() {
    assert_ipynb_expectations("scala-kernel.ipynb");
    let notebook = notebook::parse_ipynb(&read("scala-kernel.ipynb")).unwrap();
    let languages: Vec<(Language, Vec<u32>)> = notebook
        .sources
        .iter()
        .map(|s| (s.language, s.cells()))
        .collect();
    assert_eq!(
        languages,
        [
            (Language::Python, vec![5]),
            (Language::Scala, vec![2, 3, 6])
        ]
    );
}

#[test]
fn invalid_json_is_an_error_naming_the_problem() {
    let Sidecar::Error(message) = sidecar("invalid.ipynb") else {
        panic!("invalid.ipynb.expect should expect an error");
    };
    let err = check("invalid.ipynb").unwrap_err();
    assert_eq!(err, message);
    // Valid JSON that is not a notebook is an error too, never a crash.
    let err = engine::check_notebook_source("x.ipynb", "[1, 2]", &Settings::default()).unwrap_err();
    assert!(err.contains("not a Jupyter notebook"), "{err}");
    let err = engine::check_notebook_source("x.ipynb", "", &Settings::default()).unwrap_err();
    assert!(err.starts_with("invalid notebook JSON: "), "{err}");
}

#[test]
fn databricks_python_notebook() {
    let report = assert_databricks_expectations("databricks-etl.py");
    // Cells are counted by separators; lines inside a cell from the line after it.
    let d = find(&report, "SG101", 3, 2);
    assert_eq!(
        d.start,
        Position {
            line: 14,
            column: 15
        }
    );
    assert_eq!(find(&report, "SG901", 8, 4).start.line, 43);
}

#[test]
fn databricks_scala_notebook() {
    assert_databricks_expectations("databricks-report.scala");
}

#[test]
fn a_notebook_that_never_shows_spark_is_not_spark_code() {
    // polars' `collect()`, pandas' `head(n)` and a `%%sql` broadcast hint for another
    // engine: nothing to say.
    let report = assert_ipynb_expectations("polars-not-spark.ipynb");
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn a_python_kernel_honours_driver_memory_set_in_the_builder() {
    let report = assert_ipynb_expectations("local-driver-memory.ipynb");
    assert!(report.diagnostics.iter().all(|d| d.code != "SG401"));
}

#[test]
fn a_databricks_notebook_ignores_driver_memory_set_in_code() {
    let report = assert_databricks_expectations("databricks-driver-memory.py");
    let d = find(&report, "SG401", 2, 4);
    assert!(d.message.contains("already started"), "{}", d.message);
}

#[test]
fn a_jupyter_notebook_that_uses_the_predefined_session_is_spark_code() {
    let notebook = r##"{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
      "execution_count": null, "source": ["rows = spark.table(\"events\").collect()"]}],
      "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"##;
    let found = engine::check_notebook_source("a.ipynb", notebook, &Settings::default()).unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "SG101");
    // A local variable of that name is not the kernel's session.
    let shadowed = notebook.replace("rows = spark", "spark = make_session()\\nrows = spark");
    let found = engine::check_notebook_source("a.ipynb", &shadowed, &Settings::default()).unwrap();
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn corpus_test_sees_databricks_notebooks_through_check_source() {
    // tests/corpus.rs checks every `.py`/`.scala` with `check_source`: it must give the
    // same findings as `check_file`.
    for name in ["databricks-etl.py", "databricks-report.scala"] {
        let report = check(name).unwrap();
        let language = sparkguard::lang::language_of_path(Path::new(name)).unwrap();
        let direct = engine::check_source(
            &report.display_path,
            language,
            &report.text,
            &Settings::default(),
        );
        assert_eq!(direct, report.diagnostics, "{name}");
    }
}

// ---- positions -----------------------------------------------------------------------

#[test]
fn ipynb_columns_count_the_json_escapes_before_the_call() {
    let report = check("explore.ipynb").unwrap();
    let d = find(&report, "SG101", 7, 1);
    let json_line = report.text.lines().nth(d.start.line as usize - 1).unwrap();
    // The source line is `print("rows: \"all\"", spark.table("events").collect())`:
    // its quotes and backslashes are escaped in the JSON, which moves the column.
    assert!(
        json_line.contains(r#"\"rows: \\\"all\\\"\""#),
        "{json_line}"
    );
    assert_eq!(
        d.start,
        Position {
            line: 78,
            column: 59
        }
    );
    assert!(from_column(&report.text, 78, 59).starts_with("collect())\\n\""));
    assert_eq!(&report.text[d.range.clone()], "collect()");
    assert_eq!(
        d.end,
        Position {
            line: 78,
            column: 68
        }
    );

    // Raw non-ASCII counts as one column; `\t` and `\u00e9` as written.
    let d = find(&report, "SG103", 7, 2);
    assert_eq!(
        d.start,
        Position {
            line: 79,
            column: 60
        }
    );
    assert_eq!(&report.text[d.range.clone()], "take(limit_rows)");
}

#[test]
fn databricks_magic_cells_point_past_the_magic_prefix() {
    let report = check("databricks-etl.py").unwrap();
    // `# MAGIC val scalaRows = spark.table("events").collect()` in a `%scala` cell.
    let d = find(&report, "SG101", 5, 3);
    assert_eq!(
        d.start,
        Position {
            line: 26,
            column: 47
        }
    );
    assert!(from_column(&report.text, 26, 47).starts_with("collect()"));
    assert_eq!(&report.text[d.range.clone()], "collect()");
    // `# DBTITLE` and `# MAGIC %python` come first in that cell.
    let d = find(&report, "SG102", 6, 4);
    assert_eq!(
        d.start,
        Position {
            line: 33,
            column: 22
        }
    );
    assert!(from_column(&report.text, 33, 22).starts_with("toPandas()"));

    // `// MAGIC ` in a Scala notebook's `%python` cell.
    let report = check("databricks-report.scala").unwrap();
    let d = find(&report, "SG104", 3, 6);
    assert_eq!(
        d.start,
        Position {
            line: 18,
            column: 58
        }
    );
    assert!(from_column(&report.text, 18, 58).starts_with("collectAsMap()"));
}

#[test]
fn full_output_shows_the_notebook_line() {
    let report = check("explore.ipynb").unwrap();
    let mut sources = Sources::new();
    sources.insert(&report.display_path, &report.text);
    let mut out = Vec::new();
    report::full::render(&report.diagnostics, &sources, false, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("corpus/notebooks/explore.ipynb:cell 2:line 4 (at 21:20)"),
        "{out}"
    );
    assert!(out.contains(r#""rows = events.collect()""#), "{out}");
}

// ---- cells -----------------------------------------------------------------------------

#[test]
fn suppressions_work_inside_cells() {
    let report = check("explore.ipynb").unwrap();
    let in_cell_8: Vec<(u32, &str)> = report
        .diagnostics
        .iter()
        .filter_map(|d| d.cell.filter(|c| c.cell == 8).map(|c| (c.line, d.code)))
        .collect();
    // Lines 3 (trailing) and 5 (comment on the line before) are silenced; the
    // `noqa` on line 6 silences nothing there.
    assert_eq!(in_cell_8, [(6, "SG901")]);

    let report = check("databricks-report.scala").unwrap();
    assert!(
        !report.diagnostics.iter().any(|d| d.code == "SG102"),
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn magic_lines_leave_no_syntax_errors() {
    for name in [
        "explore.ipynb",
        "scala-kernel.ipynb",
        "single-string.ipynb",
        "nbformat3.ipynb",
    ] {
        let notebook = notebook::parse_ipynb(&read(name)).unwrap();
        assert_sources_parse(name, &notebook);
    }
    // A line inside brackets that starts with `!=` is code, not a shell escape.
    let notebook = notebook::parse_ipynb(&read("explore.ipynb")).unwrap();
    assert!(
        notebook.sources[0]
            .text
            .contains("\n        != spark.table(\"b\").count())\n")
    );
    assert!(notebook.sources[0].text.contains("\n    pass\n"));
    for name in ["databricks-etl.py", "databricks-report.scala"] {
        let notebook = notebook::parse_databricks(&read(name)).unwrap();
        assert_sources_parse(name, &notebook);
    }
}

fn assert_sources_parse(name: &str, notebook: &Notebook) {
    for source in &notebook.sources {
        let tree = parse::parse(source.language, &source.text).unwrap();
        assert!(
            !tree.root_node().has_error(),
            "{name}: the {:?} source does not parse:\n{}",
            source.language,
            source.text
        );
        // Nothing of a magic, shell or markdown line is left (`!=` is an operator).
        for line in source.text.lines() {
            let trimmed = line.trim_start();
            let shell = trimmed.starts_with('!') && !trimmed.starts_with("!=");
            assert!(
                !shell && !trimmed.starts_with('%') && !trimmed.contains("MAGIC"),
                "{name}: `{line}` left in the {:?} source",
                source.language
            );
        }
    }
}

#[test]
fn shell_markdown_and_raw_cells_are_skipped() {
    let notebook = notebook::parse_ipynb(&read("explore.ipynb")).unwrap();
    assert_eq!(notebook.cell_count, 10);
    let python = &notebook.sources[0];
    assert_eq!(python.language, Language::Python);
    // 4 is `%%sh`, 5 is `%%sql`, 1 and 6 markdown, 10 raw.
    assert_eq!(python.cells(), [2, 3, 7, 8, 9]);
    assert!(!python.text.contains("ls -la"));
}

#[test]
fn sql_cells_are_kept_for_sql_rules() {
    let notebook = notebook::parse_ipynb(&read("explore.ipynb")).unwrap();
    assert_eq!(notebook.sql_cells.len(), 1);
    let sql = &notebook.sql_cells[0];
    assert_eq!(sql.cell, 5);
    assert_eq!(
        sql.text,
        "\nSELECT /*+ BROADCAST(u) */ e.*, u.name\nFROM events e JOIN users u ON e.user_id = u.id\n"
    );
    // SQL positions map back like code positions.
    let hint = sql.text.find("BROADCAST").unwrap();
    assert_eq!(
        sql.map.cell_position(hint),
        CellPosition { cell: 5, line: 2 }
    );
    let text = read("explore.ipynb");
    let range = sql.map.file_range(hint..hint + "BROADCAST(u)".len());
    assert_eq!(&text[range], "BROADCAST(u)");

    let notebook = notebook::parse_databricks(&read("databricks-etl.py")).unwrap();
    let cells: Vec<u32> = notebook.sql_cells.iter().map(|s| s.cell).collect();
    assert_eq!(cells, [4]);
    assert!(
        notebook.sql_cells[0]
            .text
            .contains("SELECT /*+ BROADCAST(u) */ *  -- # expect: SG203\nFROM")
    );
}

#[test]
fn display_is_bounded() {
    // `display(df)` shows a bounded preview: no finding on either notebook's display line.
    let report = check("explore.ipynb").unwrap();
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.cell == Some(CellPosition { cell: 8, line: 1 }))
    );
    let report = check("databricks-etl.py").unwrap();
    assert!(!report.diagnostics.iter().any(|d| d.start.line == 10));
}

// ---- the binary ------------------------------------------------------------------------

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, from) in files {
        let to = dir.path().join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(corpus_path(from), to).unwrap();
    }
    dir
}

#[test]
fn json_output_gives_cell_and_cell_line() {
    let dir = project(&[
        ("nb/explore.ipynb", "explore.ipynb"),
        ("nb/etl.py", "databricks-etl.py"),
    ]);
    let (code, stdout, stderr) = run(dir.path(), &["check", "--output-format", "json", "nb"]);
    assert_eq!(code, 1, "{stderr}");
    let findings: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let findings = findings.as_array().unwrap();
    let at = |path: &str, line: u64| {
        findings
            .iter()
            .find(|f| f["path"] == path && f["line"] == line)
            .unwrap_or_else(|| panic!("no finding at {path}:{line} in {stdout}"))
    };
    let f = at("nb/explore.ipynb", 78);
    assert_eq!(
        (f["column"].as_u64(), f["code"].as_str()),
        (Some(59), Some("SG101"))
    );
    assert_eq!(
        (f["cell"].as_u64(), f["cell_line"].as_u64()),
        (Some(7), Some(1))
    );
    let f = at("nb/etl.py", 26);
    assert_eq!(
        (f["column"].as_u64(), f["code"].as_str()),
        (Some(47), Some("SG101"))
    );
    assert_eq!(
        (f["cell"].as_u64(), f["cell_line"].as_u64()),
        (Some(5), Some(3))
    );
    assert!(
        findings
            .iter()
            .all(|f| f.get("cell").is_some() && f.get("cell_line").is_some()),
        "{stdout}"
    );
}

#[test]
fn select_and_exclude_apply_to_notebooks() {
    let dir = project(&[
        ("nb/explore.ipynb", "explore.ipynb"),
        ("nb/old/nbformat3.ipynb", "nbformat3.ipynb"),
        ("nb/etl.py", "databricks-etl.py"),
    ]);
    std::fs::write(
        dir.path().join("sparkguard.toml"),
        "select = [\"SG102\"]\nexclude = [\"nb/old/\"]\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["check", "--output-format", "json", "nb"]);
    assert_eq!(code, 1, "{stderr}");
    let findings: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<(String, u64)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["code"], "SG102", "{stdout}");
            (
                f["path"].as_str().unwrap().to_string(),
                f["cell"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("nb/etl.py".to_string(), 6),
            ("nb/explore.ipynb".to_string(), 3)
        ]
    );
}

#[test]
fn an_invalid_notebook_is_a_per_file_error() {
    let dir = project(&[
        ("bad.ipynb", "invalid.ipynb"),
        ("good.ipynb", "nbformat3.ipynb"),
    ]);
    let (code, stdout, stderr) = run(dir.path(), &["check", "--output-format", "concise", "."]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("bad.ipynb: invalid notebook JSON: expected `,` or `}` at line 7 column 4"),
        "{stderr}"
    );
    // The good notebook is still checked.
    assert!(
        stdout.contains("good.ipynb:cell 2:line 2:15: SG101"),
        "{stdout}"
    );
}

#[test]
fn a_message_names_places_as_the_finding_is_shown() {
    // Jupyter: by cell and line, since the code was joined from cells.
    let notebook = r##"{"cells": [
      {"cell_type": "markdown", "metadata": {}, "source": ["# Daily"]},
      {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
       "source": ["from pyspark.sql import functions as F\n",
                  "daily = spark.table('events').groupBy('day').agg(F.sum('x'))\n"]},
      {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
       "source": ["daily.count()\n"]},
      {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
       "source": ["daily.show()\n"]}],
      "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"##;
    let found = engine::check_notebook_source("a.ipynb", notebook, &Settings::default()).unwrap();
    let d = found.iter().find(|d| d.code == "SG303").expect("SG303");
    assert!(
        d.message.contains("(first on cell 3, line 1)"),
        "{}",
        d.message
    );
    assert_eq!(d.related.len(), 1);
    assert_eq!(d.related[0].cell, Some(CellPosition { cell: 3, line: 1 }));
    // Databricks: by file line, as its findings are.
    let databricks = "# Databricks notebook source\nfrom pyspark.sql import functions as F\n\
        daily = spark.table('events').groupBy('day').agg(F.sum('x'))\n\n\
        # COMMAND ----------\n\ndaily.count()\n\n# COMMAND ----------\n\ndaily.show()\n";
    let found = engine::check_source("a.py", Language::Python, databricks, &Settings::default());
    let d = found.iter().find(|d| d.code == "SG303").expect("SG303");
    assert!(d.message.contains("(first on line 7)"), "{}", d.message);
    assert_eq!(d.related[0].start.line, 7);
}
