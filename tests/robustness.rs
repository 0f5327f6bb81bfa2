//! Broken input never crashes the checker: every corpus file cut short at many
//! points, and with lines shuffled out, is checked without a panic, and every
//! finding's range lies on character boundaries inside the text.

use std::path::{Path, PathBuf};

use sparkguard::config::Settings;
use sparkguard::engine::{self, FileKind};

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

fn check(path: &Path, text: &str) {
    let display = path.display().to_string();
    let Ok(diagnostics) = engine::check_text(path, &display, text, &Settings::default()) else {
        return; // a notebook cut short is invalid JSON: an error, not a crash
    };
    for d in diagnostics {
        assert!(
            d.range.start <= d.range.end
                && d.range.end <= text.len()
                && text.is_char_boundary(d.range.start)
                && text.is_char_boundary(d.range.end),
            "{display}: {} has a bad range {:?}",
            d.code,
            d.range
        );
    }
}

#[test]
fn truncated_files_never_panic() {
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let step = (text.len() / 23).max(1);
        let mut cut = 0;
        while cut < text.len() {
            let mut end = cut;
            while !text.is_char_boundary(end) {
                end += 1;
            }
            check(&path, &text[..end]);
            cut += step;
        }
    }
}

#[test]
fn files_with_lines_missing_never_panic() {
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for skip in [2, 3, 5, 7] {
            let kept: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| i % skip != 1)
                .map(|(_, l)| *l)
                .collect();
            check(&path, &kept.join("\n"));
        }
    }
}

/// Inputs the fuzzers flagged (crashes, slow units), kept as regression tests: each
/// is checked without a panic, its findings inside its text, in well under the
/// per-file budget.
#[test]
fn fuzzer_findings_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let start = std::time::Instant::now();
        check(&path, &text);
        let took = start.elapsed();
        assert!(took.as_secs() < 10, "{}: {took:?}", path.display());
        count += 1;
    }
    assert!(count > 0);
}
