//! The corpus is the test suite: every file under `corpus/` carries its expected
//! findings as `expect:` comments. Each expectation is Reported or Missing; each
//! finding that no comment expects is Noisy. Any Missing or Noisy fails the test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sparkguard::cache::Cache;
use sparkguard::config::Settings;
use sparkguard::diagnostic::Diagnostic;
use sparkguard::engine;
use sparkguard::engine::FileKind;
use sparkguard::model::index::ProjectIndex;
use sparkguard::project;
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

/// The corpus runs every rule, those that are off by default too; in test code (the
/// default `test-paths`) it reports what `--check-tests` reports.
fn corpus_settings(display: &str) -> Settings {
    Settings {
        select: sparkguard::rules::RULES
            .iter()
            .map(|rule| rule.code.to_string())
            .collect(),
        check_tests: Settings::default().is_test_path(Path::new(display)),
        ..Settings::default()
    }
}

fn check_with(path: &Path, display: &str, text: &str, settings: &Settings) -> Vec<Diagnostic> {
    match FileKind::of(path).unwrap() {
        FileKind::Source(language) => engine::check_source(display, language, text, settings),
        FileKind::Launch(kind) => engine::check_launch_source(display, kind, text, settings),
        FileKind::Jupyter => unreachable!("notebooks have their own test"),
    }
}

/// Every corpus file checked as one project, as `sparkguard check corpus/` does: a
/// first pass reads and parses each file and extracts its facts, the project index
/// joins them, and each file is checked with it (the files of `corpus/project/` use
/// each other's constants and functions). Results by display path.
fn check_all(files: &[PathBuf]) -> BTreeMap<String, (String, Vec<Diagnostic>)> {
    check_all_with(files, &engine::TreeBudget::default())
}

/// As [`check_all`], keeping trees from the first pass only while `budget` lasts.
fn check_all_with(
    files: &[PathBuf],
    budget: &engine::TreeBudget,
) -> BTreeMap<String, (String, Vec<Diagnostic>)> {
    let prepared: Vec<(Settings, engine::Prepared)> = files
        .iter()
        .map(|path| {
            let display = display_path(path);
            let settings = corpus_settings(&display);
            let prepared = engine::prepare_file(path, &display, &settings, budget).unwrap();
            (settings, prepared)
        })
        .collect();
    let project = Arc::new(ProjectIndex::new(
        prepared.iter().filter_map(|(_, p)| p.facts.clone()),
    ));
    prepared
        .into_iter()
        .map(|(settings, p)| {
            let text = p.text.clone();
            let report = engine::check_prepared(p, &settings, &project).unwrap();
            (report.display_path, (text, report.diagnostics))
        })
        .collect()
}

fn display_path(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .display()
        .to_string()
}

/// A file whose tree the first pass could not keep is parsed again in the second,
/// with the same findings.
#[test]
fn corpus_findings_do_not_depend_on_the_tree_budget() {
    let files = corpus_files();
    let kept = check_all_with(&files, &engine::TreeBudget::new(usize::MAX));
    let dropped = check_all_with(&files, &engine::TreeBudget::new(0));
    assert_eq!(kept.len(), dropped.len());
    for (path, (_, diagnostics)) in &kept {
        assert_eq!(diagnostics, &dropped[path].1, "{path}");
    }
}

/// The parse gate skips files that name no Spark package and hold no suppression:
/// with it open, so that every file is parsed and checked, the corpus finds the
/// same, in the passes that keep every tree and in the streaming ones alike.
#[test]
fn corpus_findings_do_not_depend_on_the_parse_gate() {
    let files = corpus_files();
    let gated = check_all(&files);
    let open = engine::with_open_gate(|| check_all(&files));
    assert_eq!(gated.len(), open.len());
    for (path, (_, diagnostics)) in &gated {
        assert_eq!(diagnostics, &open[path].1, "{path}");
    }
    let (streamed, _) = stream_all(&files, None);
    let (streamed_open, _) = engine::with_open_gate(|| stream_all(&files, None));
    assert_eq!(streamed, streamed_open);
    // The gate has something to prove: some corpus files are ones it closes on.
    let skipped = files
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            sparkguard::lang::language_of_path(path).is_some_and(|language| {
                !language.may_be_spark(&text) && !sparkguard::suppress::may_suppress(&text)
            })
        })
        .count();
    assert!(skipped > 0, "no corpus file the gate skips");
}

/// Each file's test-code flag and findings, by display path.
type Streamed = BTreeMap<String, (bool, Vec<Diagnostic>)>;

/// Every corpus file checked as `sparkguard check` does: the streaming passes of
/// `sparkguard::project`, with `cache` if any. Results by display path, and how
/// many files took each route.
fn stream_all(files: &[PathBuf], cache: Option<&Cache>) -> (Streamed, [usize; 3]) {
    let mut pending: Vec<(Settings, project::Pending)> = files
        .iter()
        .map(|path| {
            let display = display_path(path);
            let settings = corpus_settings(&display);
            let pending = project::first_pass(path, &display, &settings, cache).unwrap();
            (settings, pending)
        })
        .collect();
    let index = Arc::new(ProjectIndex::for_one_run(
        pending.iter_mut().filter_map(|(_, p)| p.facts.take()),
    ));
    let mut routes = [0; 3];
    let results = pending
        .into_iter()
        .map(|(settings, p)| {
            let path = p.path.clone();
            let (report, route, reread) =
                project::second_pass(p, &settings, &index, cache).unwrap();
            routes[route as usize] += 1;
            // The text that renderers show is read again for the findings, whatever
            // the route, and only for them.
            assert_eq!(report.text, "", "{}", report.display_path);
            assert_eq!(
                reread.is_some(),
                !report.diagnostics.is_empty(),
                "{}: {route:?}",
                report.display_path
            );
            if let Some(reread) = reread {
                let text = std::fs::read_to_string(&path).unwrap();
                assert_eq!(
                    reread.load(),
                    Some(text),
                    "{}: {route:?}",
                    report.display_path
                );
            }
            (report.display_path, (report.test_code, report.diagnostics))
        })
        .collect();
    (results, routes)
}

/// The streaming passes check a file once against its own facts and again only
/// when the project's index answers its lookups otherwise; the cache gives back
/// what they found. Whatever the route, every corpus file's findings are those of
/// the passes that keep every tree and check each file once with the whole index.
#[test]
fn streamed_and_cached_findings_are_those_of_kept_trees() {
    let files = corpus_files();
    let kept = check_all_with(&files, &engine::TreeBudget::new(usize::MAX));
    let expected: BTreeMap<String, Vec<Diagnostic>> = kept
        .into_iter()
        .map(|(path, (_, diagnostics))| (path, diagnostics))
        .collect();
    let same = |what: &str, got: &Streamed| {
        assert_eq!(got.len(), expected.len(), "{what}");
        for (path, diagnostics) in &expected {
            assert_eq!(diagnostics, &got[path].1, "{what}: {path}");
        }
    };
    let (streamed, [cached, once, again]) = stream_all(&files, None);
    same("streamed", &streamed);
    assert_eq!(cached, 0);
    // The corpus's project files read each other's constants and helpers: some are
    // checked again, most are not.
    assert!(again > 0 && once > again, "once {once}, again {again}");
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().join("cache"));
    let (cold, [cached, ..]) = stream_all(&files, Some(&cache));
    same("cold cache", &cold);
    assert_eq!(cached, 0);
    let (warm, [cached, once, again]) = stream_all(&files, Some(&cache));
    same("warm cache", &warm);
    assert_eq!((cached, once, again), (files.len(), 0, 0));
    for (path, (test_code, _)) in &cold {
        assert_eq!(*test_code, warm[path].0, "{path}: test code");
    }
}

/// The rendered `full` output of every corpus file with findings, so a change of
/// message, help or span shows in review.
#[test]
fn corpus_full_output_snapshots() {
    for (display, (text, diagnostics)) in check_all(&corpus_files()) {
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
    let mut checked = check_all(&files);
    for path in &files {
        let display = display_path(path);
        let (text, diagnostics) = checked.remove(&display).unwrap();
        let mut expected = expectations(&text, comment_prefix(path));
        for d in diagnostics {
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
