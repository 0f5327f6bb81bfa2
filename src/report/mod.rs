//! Renderers: every output format is a function of the sorted findings (and, for the
//! human form, the checked text), writing to any `Write`. Nothing here decides what a
//! finding is or which files are checked; the CLI hands over the final list.
//!
//! Adding a format means one `OutputFormat` variant, one file here, and one arm in
//! [`render`] (the compiler points at the arm).

pub mod concise;
pub mod full;
pub mod github;
pub mod json;
pub mod json_lines;
pub mod rule_docs;
pub mod statistics;

use std::collections::HashMap;
use std::io::{self, Write};

use crate::diagnostic::Diagnostic;

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
}

/// The checked text of each file, by display path, for renderers that show source.
#[derive(Debug, Default)]
pub struct Sources<'a> {
    by_path: HashMap<&'a str, &'a str>,
}

impl<'a> Sources<'a> {
    pub fn new() -> Self {
        Sources::default()
    }

    pub fn insert(&mut self, path: &'a str, text: &'a str) {
        self.by_path.insert(path, text);
    }

    pub fn get(&self, path: &str) -> Option<&'a str> {
        self.by_path.get(path).copied()
    }
}

/// What a renderer may take into account besides the findings themselves.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// Whether ANSI colors may be written (the caller checked the terminal and
    /// `NO_COLOR`).
    pub color: bool,
}

/// Writes `diagnostics`, already sorted, in `format`.
pub fn render(
    format: OutputFormat,
    diagnostics: &[Diagnostic],
    sources: &Sources<'_>,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Full => full::render(diagnostics, sources, options.color, out),
        OutputFormat::Concise => concise::render(diagnostics, out),
        OutputFormat::Json => json::render(diagnostics, out),
        OutputFormat::JsonLines => json_lines::render(diagnostics, out),
        OutputFormat::Github => github::render(diagnostics, out),
    }
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
}
