//! Properties of the whole pipeline on corpus files mutated at random: checking never
//! panics, every finding lies inside the text it was found in, `--fix` output parses
//! as well as its input did, and a second `--fix` changes nothing.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sparkguard::config::Settings;
use sparkguard::engine::{self, FileKind};
use sparkguard::fix;
use sparkguard::lang::Language;
use sparkguard::parse;

fn corpus_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if FileKind::of(&path).is_some() {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files.sort();
    files
}

/// Pieces that break or bend code where they land.
const PIECES: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "\"",
    "'",
    "\"\"\"",
    "\n",
    "\r\n",
    "    ",
    "\t",
    "\\",
    ".collect()",
    ".count()",
    ".cache()",
    "for x in xs:\n    ",
    "if x:\n",
    "def f(:\n",
    "# sparkguard: ignore[SG101]",
    "# noqa: SG1",
    "// sparkguard: ignore[SG101]",
    "é",
    "𝄞",
    "\u{0}",
    "print \"x\"\n",
    "# COMMAND ----------\n",
    "%sql SELECT 1\n",
    "},",
    "\"source\": 5",
];

#[derive(Clone, Debug)]
enum Mutation {
    /// Insert a piece at a fraction of the text.
    Insert(f64, usize),
    /// Delete from one fraction of the text to another.
    Delete(f64, f64),
    /// Repeat the line at a fraction of the text.
    Repeat(f64, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, 0..PIECES.len()).prop_map(|(at, piece)| Mutation::Insert(at, piece)),
        (0.0..1.0, 0.0..0.2).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (0.0..1.0, 1..20usize).prop_map(|(at, times)| Mutation::Repeat(at, times)),
    ]
}

fn boundary(text: &str, fraction: f64) -> usize {
    let mut at = ((text.len() as f64) * fraction) as usize;
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    for mutation in mutations {
        match *mutation {
            Mutation::Insert(at, piece) => {
                let at = boundary(&text, at);
                text.insert_str(at, PIECES[piece]);
            }
            Mutation::Delete(at, len) => {
                let start = boundary(&text, at);
                let end = boundary(&text, (at + len).min(1.0)).max(start);
                text.replace_range(start..end, "");
            }
            Mutation::Repeat(at, times) => {
                let at = boundary(&text, at);
                let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                let line = text[start..end].to_string();
                text.insert_str(end, &line.repeat(times));
            }
        }
    }
    text
}

/// How many `ERROR` and missing nodes the text's tree has (`None`: not parsed).
fn parse_errors(path: &Path, text: &str) -> Option<usize> {
    let language = match FileKind::of(path)? {
        FileKind::Source(language) => language,
        _ => return None,
    };
    let tree = parse::parse(language, text)?;
    let mut count = 0;
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            count += 1;
        }
        if (node.has_error() && cursor.goto_first_child()) || cursor.goto_next_sibling() {
            continue;
        }
        loop {
            if !cursor.goto_parent() {
                return Some(count);
            }
            if cursor.goto_next_sibling() {
                break;
            }
        }
    }
}

fn assert_inside(text: &str, diagnostics: &[sparkguard::diagnostic::Diagnostic]) {
    let lines = text.split('\n').count() as u32;
    for d in diagnostics {
        assert!(
            d.range.start <= d.range.end && d.range.end <= text.len(),
            "{} range {:?} outside {} bytes",
            d.code,
            d.range,
            text.len()
        );
        assert!(text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end));
        assert!(d.start <= d.end && d.start.line >= 1 && d.end.line <= lines);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_corpus_files_check_and_fix_cleanly(
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let files = corpus_files();
        let (path, original) = &files[file.index(files.len())];
        let text = apply(original, &mutations);
        let display = path.display().to_string();
        let settings = Settings::default();
        if let Ok(diagnostics) = engine::check_text(path, &display, &text, &settings) {
            assert_inside(&text, &diagnostics);
        }
        let Ok(first) = fix::fix_text(path, &display, &text, &settings) else {
            return Ok(());
        };
        assert_inside(&first.text, &first.remaining);
        // A fix never makes the text parse worse than it did.
        if let (Some(before), Some(after)) = (parse_errors(path, &text), parse_errors(path, &first.text)) {
            prop_assert!(after <= before, "{display}: --fix made {before} parse errors {after}");
        }
        if first.converged {
            let second = fix::fix_text(path, &display, &first.text, &settings).unwrap();
            prop_assert_eq!(second.fixed_count(), 0, "{}: a second --fix changed it again", display);
            prop_assert_eq!(&second.text, &first.text);
        }
    }
}

#[test]
fn every_language_has_corpus_files_to_mutate() {
    let files = corpus_files();
    for language in [Language::Python, Language::Scala] {
        assert!(
            files
                .iter()
                .any(|(path, _)| FileKind::of(path) == Some(FileKind::Source(language))),
            "no {} corpus file",
            language.name()
        );
    }
}
