//! Renderers: every output format is a function of what a check produced — the
//! sorted findings, the checked text, the files that could not be checked and the
//! project root review bots resolve paths against — writing to any `Write`. Nothing
//! here decides what a finding is or which files are checked; the CLI hands over the
//! final list.
//!
//! Adding a format means one `OutputFormat` variant, one file here, and one arm in
//! [`render`] (the compiler points at the arm).

pub mod artifact;
pub mod azure;
pub mod concise;
pub mod fingerprint;
pub mod full;
pub mod github;
pub mod gitlab;
pub mod grouped;
pub mod json;
pub mod json_lines;
pub mod junit;
pub mod pylint;
pub mod rdjson;
pub mod rule_docs;
pub mod sarif;
pub mod statistics;

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, Write};
use std::rc::Rc;

use crate::diagnostic::Diagnostic;
use crate::engine::FileError;
use artifact::ProjectRoot;

/// How `check` prints its findings. The doc comment of each variant is its help text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// The source snippet with the span marked, the message and the help
    #[default]
    Full,
    /// One line per finding: `path:line:col: CODE message`
    Concise,
    /// One JSON array of findings
    Json,
    /// One JSON object per line
    JsonLines,
    /// GitHub Actions workflow commands, shown as annotations on the pull request
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// reviewdog's diagnostic format, one JSON document (`reviewdog -f=rdjson`)
    Rdjson,
    /// reviewdog's diagnostic format, one JSON object per line (`reviewdog -f=rdjsonl`)
    Rdjsonl,
    /// GitLab Code Quality report
    Gitlab,
    /// JUnit XML: one test case per checked file, one failure per finding
    Junit,
    /// Findings grouped under their file
    Grouped,
    /// `path:line: [CODE] message`, as pylint's parseable output
    Pylint,
    /// Azure Pipelines logging commands, shown as issues on the run
    Azure,
}

impl OutputFormat {
    /// Whether the format prints each finding's fingerprint (see [`fingerprint`]).
    pub fn prints_fingerprints(self) -> bool {
        matches!(self, OutputFormat::Sarif | OutputFormat::Gitlab)
    }
}

/// The checked text of each file, by display path, for renderers that show source.
///
/// A text is either held, or read again from its file when a renderer asks for it
/// (a file with findings, whose text the run does not hold: see
/// [`crate::project::Reread`]). Renderers go through the findings in path order,
/// so the text last read is kept for the next ask and one file's text at a time is
/// held, however many files have findings.
#[derive(Debug, Default)]
pub struct Sources<'a> {
    by_path: HashMap<&'a str, Source<'a>>,
    last: RefCell<Option<(&'a str, Rc<str>)>>,
}

#[derive(Debug)]
enum Source<'a> {
    Held(&'a str),
    OnDisk(&'a crate::project::Reread),
}

/// A file's text as [`Sources`] gives it: held by the run, or read again.
#[derive(Clone, Debug)]
pub enum SourceText<'a> {
    Held(&'a str),
    Read(Rc<str>),
}

impl std::ops::Deref for SourceText<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            SourceText::Held(text) => text,
            SourceText::Read(text) => text,
        }
    }
}

impl<'a> Sources<'a> {
    pub fn new() -> Self {
        Sources::default()
    }

    pub fn insert(&mut self, path: &'a str, text: &'a str) {
        self.by_path.insert(path, Source::Held(text));
    }

    /// The text of `path` is on disk, to be read again when asked for.
    pub fn insert_on_disk(&mut self, path: &'a str, reread: &'a crate::project::Reread) {
        self.by_path.insert(path, Source::OnDisk(reread));
    }

    /// The text of `path`; `None` when the file is not one checked, or its text can
    /// no longer be read as it was checked.
    pub fn get(&self, path: &str) -> Option<SourceText<'a>> {
        let (&key, source) = self.by_path.get_key_value(path)?;
        match source {
            Source::Held(text) => Some(SourceText::Held(text)),
            Source::OnDisk(reread) => {
                let mut last = self.last.borrow_mut();
                if let Some((held, text)) = last.as_ref()
                    && *held == key
                {
                    return Some(SourceText::Read(text.clone()));
                }
                // The last text goes before the next is read.
                *last = None;
                let text: Rc<str> = reread.load()?.into();
                *last = Some((key, text.clone()));
                Some(SourceText::Read(text))
            }
        }
    }

    /// The display paths of every checked file, sorted.
    pub fn paths(&self) -> Vec<&'a str> {
        let mut paths: Vec<&'a str> = self.by_path.keys().copied().collect();
        paths.sort_unstable();
        paths
    }
}

/// Everything a check produced that a renderer may show.
#[derive(Clone, Copy, Debug)]
pub struct Checked<'a> {
    /// The findings, sorted by [`Diagnostic::sort_key`].
    pub diagnostics: &'a [Diagnostic],
    /// The fingerprint of each finding, in the same order (see [`fingerprint`]).
    pub fingerprints: &'a [fingerprint::Fingerprint],
    /// The checked text of every file that was checked, findings or not.
    pub sources: &'a Sources<'a>,
    /// The files that could not be checked, in path order.
    pub errors: &'a [FileError],
    /// What review formats make paths relative to.
    pub root: &'a ProjectRoot,
}

/// What a renderer may take into account besides the findings themselves.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// Whether ANSI colors may be written (the caller checked the terminal and
    /// `NO_COLOR`).
    pub color: bool,
}

/// Writes what `checked` holds in `format`.
pub fn render(
    format: OutputFormat,
    checked: &Checked<'_>,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let diagnostics = checked.diagnostics;
    match format {
        OutputFormat::Full => full::render(diagnostics, checked.sources, options.color, out),
        OutputFormat::Concise => concise::render(diagnostics, checked.sources, out),
        OutputFormat::Json => json::render(diagnostics, checked.sources, out),
        OutputFormat::JsonLines => json_lines::render(diagnostics, checked.sources, out),
        OutputFormat::Github => github::render(diagnostics, out),
        OutputFormat::Sarif => sarif::render(checked, out),
        OutputFormat::Rdjson => rdjson::render(checked, out),
        OutputFormat::Rdjsonl => rdjson::render_lines(checked, out),
        OutputFormat::Gitlab => gitlab::render(checked, out),
        OutputFormat::Junit => junit::render(checked, out),
        OutputFormat::Grouped => grouped::render(diagnostics, out),
        OutputFormat::Pylint => pylint::render(diagnostics, out),
        OutputFormat::Azure => azure::render(diagnostics, out),
    }
}

/// The byte column (1-based) of `offset` on its line of `text`, as reviewdog counts.
pub(crate) fn byte_column(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    let line_start = text.as_bytes()[..offset]
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |i| i + 1);
    (offset - line_start) as u32 + 1
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::diagnostic::{Diagnostic, Position, Severity};

    /// A finding on `text` at the byte range of the first `needle`.
    pub(crate) fn finding(path: &str, text: &str, needle: &str) -> Diagnostic {
        let start = text.find(needle).expect("needle in text");
        let end = start + needle.len();
        let position = |offset: usize| {
            let before = &text[..offset];
            let line = before.matches('\n').count() as u32 + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            Position {
                line,
                column: text[line_start..offset].chars().count() as u32 + 1,
            }
        };
        Diagnostic {
            code: "SG101",
            name: "collect-to-driver",
            severity: Severity::Error,
            path: path.to_string(),
            range: start..end,
            start: position(start),
            end: position(end),
            message: "`collect()` pulls every row into the driver".to_string(),
            help: "aggregate first".to_string(),
            fix: None,
            cell: None,
            related: Vec::new(),
        }
    }

    /// The fingerprints are made only for the formats that say they print them, so
    /// every format that prints one must say so.
    #[test]
    fn the_formats_that_print_fingerprints_say_so() {
        use super::*;
        use clap::ValueEnum;
        let text = "rows = df.collect()\n";
        let diagnostics = [finding("jobs/a.py", text, "collect()")];
        let fingerprints = [fingerprint::Fingerprint {
            hash: "0123456789abcdef".to_string(),
            path: "jobs/a.py".to_string(),
            line: "rows = df.collect()".to_string(),
        }];
        let mut sources = Sources::new();
        sources.insert("jobs/a.py", text);
        let root = ProjectRoot::new(std::env::temp_dir(), std::env::temp_dir());
        let checked = Checked {
            diagnostics: &diagnostics,
            fingerprints: &fingerprints,
            sources: &sources,
            errors: &[],
            root: &root,
        };
        for &format in OutputFormat::value_variants() {
            let mut out = Vec::new();
            render(format, &checked, RenderOptions { color: false }, &mut out).unwrap();
            let printed = String::from_utf8(out).unwrap().contains("0123456789abcdef");
            assert_eq!(printed, format.prints_fingerprints(), "{format:?}");
        }
    }
}
