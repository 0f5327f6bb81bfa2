//! The corpus is the test suite: every file under `corpus/` carries its expected
//! findings as `expect:` comments. Each expectation is Reported or Missing; each
//! finding that no comment expects is Noisy. Any Missing or Noisy fails the test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sparkguard::config::Settings;
use sparkguard::diagnostic::Diagnostic;
use sparkguard::engine;
use sparkguard::engine::FileKind;
use sparkguard::report::{self, Sources};

fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if matches!(
                FileKind::of(&path),
                Some(FileKind::Source(_) | FileKind::Launch(_))
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// (1-based line, code) → how many findings are expected there.
fn expectations(text: &str, comment_prefix: &str) -> BTreeMap<(u32, String), usize> {
    let marker = format!("{comment_prefix} expect:");
    let mut expected = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.find(&marker) else {
            continue;
        };
        let own_line = line[..pos].trim().is_empty();
        let target = if own_line { i + 2 } else { i + 1 } as u32;
        for code in line[pos + marker.len()..]
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|c| c.starts_with("SG"))
        {
            *expected.entry((target, code.to_string())).or_insert(0) += 1;
        }
    }
    expected
}

/// The findings the `expect:` comments describe: in test code (the default
/// `test-paths`), what `--check-tests` reports.
fn check(path: &Path, display: &str, text: &str) -> Vec<Diagnostic> {
    let settings = Settings {
        check_tests: Settings::default().is_test_path(Path::new(display)),
        ..Settings::default()
    };
    check_with(path, display, text, &settings)
}

fn check_with(path: &Path, display: &str, text: &str, settings: &Settings) -> Vec<Diagnostic> {
    match FileKind::of(path).unwrap() {
        FileKind::Source(language) => engine::check_source(display, language, text, settings),
        FileKind::Launch(kind) => engine::check_launch_source(display, kind, text, settings),
        FileKind::Jupyter => unreachable!("notebooks have their own test"),
    }
}

fn display_path(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .display()
        .to_string()
}

/// The rendered `full` output of every corpus file with findings, so a change of
/// message, help or span shows in review.
#[test]
fn corpus_full_output_snapshots() {
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let display = display_path(&path);
        let diagnostics = check(&path, &display, &text);
        if diagnostics.is_empty() {
            continue;
        }
        let mut sources = Sources::new();
        sources.insert(&display, &text);
        let mut out = Vec::new();
        report::full::render(&diagnostics, &sources, false, &mut out).unwrap();
        let name = display.replace(['/', '.'], "_");
        insta::with_settings!({ snapshot_path => "snapshots/corpus", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, String::from_utf8(out).unwrap());
        });
    }
}

/// The corpus's test trees (`corpus/python/tests/`, `corpus/scala/src/test/`) hold
/// findings for `--check-tests`, and none by default.
#[test]
fn corpus_test_code_is_silent_by_default() {
    let defaults = Settings::default();
    let mut test_files = 0;
    let mut problems = Vec::new();
    for path in corpus_files() {
        let display = display_path(&path);
        if !defaults.is_test_path(Path::new(&display)) {
            continue;
        }
        test_files += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: usize = expectations(&text, comment_prefix(&path)).values().sum();
        assert!(
            expected > 0,
            "{display}: a test file of the corpus expects nothing with --check-tests"
        );
        for d in check_with(&path, &display, &text, &defaults) {
            problems.push(format!(
                "{display}:{}: {} {}",
                d.start.line, d.code, d.message
            ));
        }
    }
    assert!(test_files >= 3, "the corpus has {test_files} test files");
    assert!(
        problems.is_empty(),
        "findings in test code by default:\n{}",
        problems.join("\n")
    );
}

fn comment_prefix(path: &Path) -> &'static str {
    match FileKind::of(path) {
        Some(FileKind::Source(language)) => language.comment_prefix(),
        _ => "#",
    }
}

#[test]
fn corpus_has_no_missing_and_no_noisy_findings() {
    let files = corpus_files();
    assert!(!files.is_empty(), "the corpus is empty");
    let mut problems = Vec::new();
    let mut reported = 0;
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let display = display_path(path);
        let mut expected = expectations(&text, comment_prefix(path));
        for d in check(path, &display, &text) {
            let key = (d.start.line, d.code.to_string());
            match expected.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    reported += 1;
                    *per_rule.entry(d.code.to_string()).or_default() += 1;
                }
                _ => problems.push(format!(
                    "Noisy   {display}:{}:{}: {} {}",
                    d.start.line, d.start.column, d.code, d.message
                )),
            }
        }
        for ((line, code), n) in expected {
            for _ in 0..n {
                problems.push(format!("Missing {display}:{line}: {code}"));
            }
        }
    }
    eprintln!(
        "corpus: {} files, {reported} expected findings reported",
        files.len()
    );
    for (code, n) in &per_rule {
        eprintln!("  {code}: {n}");
    }
    assert!(
        problems.is_empty(),
        "{} corpus problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
