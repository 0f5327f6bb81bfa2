//! The per-file pipeline: text → tree → Spark model → rule candidates and checks →
//! suppressions → diagnostics with positions. Every front end (CLI, editor server,
//! notebooks, tests) comes through `check_source`.

use std::path::Path;

use streaming_iterator::StreamingIterator;
use tree_sitter::QueryCursor;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::lang::{self, Language};
use crate::model::{ModelOptions, SparkModel};
use crate::parse;
use crate::rules::{Candidate, Checker, Finding};
use crate::source::{self, LineIndex};
use crate::suppress;

/// The outcome of checking one file on disk.
#[derive(Debug)]
pub struct FileReport {
    pub display_path: String,
    /// The text that was checked, for renderers that show source.
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// A file that could not be checked, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub display_path: String,
    pub message: String,
}

/// Reads, decodes and checks one file.
pub fn check_file(
    path: &Path,
    display_path: &str,
    settings: &Settings,
) -> Result<FileReport, FileError> {
    let fail = |message: String| FileError {
        display_path: display_path.to_string(),
        message,
    };
    let language = lang::language_of_path(path)
        .ok_or_else(|| fail("not a Python or Scala file".to_string()))?;
    let bytes = std::fs::read(path).map_err(|err| fail(format!("cannot read file: {err}")))?;
    let text = source::decode(bytes).map_err(fail)?;
    let diagnostics = check_source(display_path, language, &text, settings);
    Ok(FileReport {
        display_path: display_path.to_string(),
        text,
        diagnostics,
    })
}

/// Reads, decodes and parses one file without analysing it (for benchmarks).
pub fn parse_file(path: &Path) -> Result<tree_sitter::Tree, String> {
    let language = lang::language_of_path(path).ok_or("not a Python or Scala file")?;
    let bytes = std::fs::read(path).map_err(|err| err.to_string())?;
    let text = source::decode(bytes)?;
    parse::parse(language, &text).ok_or_else(|| "the parser gave up".to_string())
}

/// Checks in-memory text as if it were the file `display_path`.
pub fn check_source(
    display_path: &str,
    language: Language,
    text: &str,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let findings = findings(language, text, settings, Path::new(display_path));
    let index = LineIndex::new(text);
    let mut diagnostics: Vec<Diagnostic> = findings
        .into_iter()
        .map(|finding| to_diagnostic(finding, display_path, text, &index, settings))
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics
}

/// Runs the rules and the suppression pass; findings are in byte ranges of `text`.
pub fn findings(language: Language, text: &str, settings: &Settings, path: &Path) -> Vec<Finding> {
    let Some(tree) = parse::parse(language, text) else {
        return Vec::new();
    };
    let options = ModelOptions {
        small_count: settings.take_threshold,
        notebook: false,
    };
    let model = SparkModel::build(language, text, &tree, options);
    let mut found = Vec::new();
    if model.is_spark_code() {
        let rule_query = parse::rule_query(language);
        let mut cursor = QueryCursor::new();
        let names = rule_query.query.capture_names();
        let mut matches = cursor.matches(&rule_query.query, tree.root_node(), text.as_bytes());
        while let Some(m) = matches.next() {
            let rule = rule_query.pattern_rules[m.pattern_index];
            if !settings.rule_enabled(rule, path) {
                continue;
            }
            let Some(check) = rule.check else { continue };
            // What the parser could not read is never the sole reason for a finding.
            if m.captures()
                .iter()
                .any(|c| model.in_syntax_error(&c.node.byte_range()))
            {
                continue;
            }
            let candidate = Candidate {
                captures: m
                    .captures()
                    .iter()
                    .map(|c| (names[c.index as usize], c.node))
                    .collect(),
            };
            let mut checker = Checker {
                model: &model,
                take_threshold: settings.take_threshold,
                rule,
                findings: Vec::new(),
            };
            check(&mut checker, &candidate);
            found.extend(checker.findings);
        }
    }
    // One call can match a pattern twice (e.g. through alternations): keep one.
    found.sort_by(|a, b| (a.range.start, a.rule.code).cmp(&(b.range.start, b.rule.code)));
    found.dedup_by(|a, b| a.range == b.range && a.rule.code == b.rule.code);
    suppress::apply(language, text, &model, found, settings, path)
}

fn to_diagnostic(
    finding: Finding,
    display_path: &str,
    text: &str,
    index: &LineIndex,
    settings: &Settings,
) -> Diagnostic {
    let rule = finding.rule;
    Diagnostic {
        code: rule.code,
        name: rule.name,
        severity: settings.severity_of(rule),
        path: display_path.to_string(),
        start: index.position(text, finding.range.start),
        end: index.position(text, finding.range.end),
        range: finding.range,
        message: finding.message,
        help: finding.help.unwrap_or_else(|| rule.help.to_string()),
        fix: finding.fix,
        cell: None,
    }
}
