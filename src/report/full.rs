//! `full`: the human form. Each finding is drawn by miette: the code and rule name,
//! the message, the source snippet with the span marked, and the help.
//!
//! The core `Diagnostic` stays plain data; [`Snippet`] is the adapter that lends it
//! miette's view, borrowing the checked text of its file.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::Sources;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::LineIndex;

pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources<'_>,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let handler = handler(color);
    // The line index of the file being drawn, so drawing a snippet reads only the
    // lines around it: thousands of findings in a 10 MB file stay linear. The
    // findings come file by file, so one file's index is held at a time.
    let mut current: Option<(&str, LineIndex)> = None;
    for diagnostic in diagnostics {
        let mut text = String::new();
        let drawn = match sources.get(&diagnostic.path) {
            Some(source) if !source.is_empty() => {
                let source = &*source;
                if current
                    .as_ref()
                    .is_some_and(|(path, _)| *path != diagnostic.path)
                {
                    current = None;
                }
                let (_, index) = current
                    .get_or_insert_with(|| (diagnostic.path.as_str(), LineIndex::new(source)));
                let index = &*index;
                // A drawing that fails, or panics in the layout, falls back below.
                !too_wide(source, index, diagnostic)
                    && crate::guard::isolate(crate::guard::DEFAULT_BUDGET, || {
                        handler
                            .render_report(&mut text, &Snippet::new(diagnostic, source, index))
                            .is_ok()
                    })
                    .unwrap_or(false)
            }
            _ => false,
        };
        if !drawn {
            // No text to show, or a span miette refuses: never lose the finding.
            text = fallback(diagnostic);
        }
        writeln!(out, "{}", text.trim_end())?;
        writeln!(out)?;
    }
    Ok(())
}

/// Lines longer than this (in bytes) are not drawn: a snippet of a generated or
/// minified line helps nobody, and the drawing's layout cannot take columns past
/// 65,535 (a 20,000-call chain on one line aborted the run).
const MAX_DRAWN_LINE: usize = 2_000;

/// Whether a line the snippet of `diagnostic` would show (its own lines and one of
/// context on each side) is longer than [`MAX_DRAWN_LINE`].
fn too_wide(source: &str, index: &LineIndex, diagnostic: &Diagnostic) -> bool {
    let range = clamp(source, diagnostic.range.clone());
    let lines = index.line_count();
    let first = index.line_of(range.start).saturating_sub(1);
    let last = (index.line_of(range.end) + 1).min(lines.saturating_sub(1));
    (first..=last).any(|line| {
        let start = index.line_start(line);
        let end = if line + 1 < lines {
            index.line_start(line + 1)
        } else {
            source.len()
        };
        end.saturating_sub(start) > MAX_DRAWN_LINE
    })
}

/// The handler every `full` rendering goes through. Lines are never wrapped, so the
/// output does not depend on the terminal width.
pub fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_wrap_lines(false)
        .with_links(false)
        // The snippet header carries our own `path:line:col` (see `Snippet::new`),
        // so miette's own start position is not added to it.
        .without_primary_span_start()
}

/// The same parts without the snippet, for when it cannot be drawn.
fn fallback(diagnostic: &Diagnostic) -> String {
    format!(
        "{} ({})\n\n  × {}\n  --> {}:{}:{}\n  help: {}\n",
        diagnostic.code,
        diagnostic.name,
        diagnostic.message,
        diagnostic.path,
        diagnostic.start.line,
        diagnostic.start.column,
        diagnostic.help
    )
}

/// A finding as miette sees it.
#[derive(Debug)]
struct Snippet<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedText<'a>,
    span: SourceSpan,
}

impl<'a> Snippet<'a> {
    fn new(diagnostic: &'a Diagnostic, text: &'a str, index: &'a LineIndex) -> Self {
        let range = clamp(text, diagnostic.range.clone());
        // The snippet is headed by the position the other formats print, so a finding
        // reads the same in every format (columns in characters). A Jupyter notebook
        // is named by cell and line, as in `concise`, with the JSON position (the
        // snippet's own line numbers) after it; a Databricks notebook by its lines,
        // with the cell after them.
        let position = format!("{}:{}", diagnostic.start.line, diagnostic.start.column);
        let name = match diagnostic.cell {
            Some(cell) if diagnostic.path.ends_with(".ipynb") => format!(
                "{}:cell {}:line {} (at {position})",
                diagnostic.path, cell.cell, cell.line
            ),
            Some(cell) => format!(
                "{}:{position} (cell {}, line {})",
                diagnostic.path, cell.cell, cell.line
            ),
            None => format!("{}:{position}", diagnostic.path),
        };
        Snippet {
            diagnostic,
            source: NamedText { name, text, index },
            span: SourceSpan::new(range.start.into(), range.end - range.start),
        }
    }
}

/// Keeps a byte range inside `text` and on character boundaries.
fn clamp(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let floor = |mut offset: usize| {
        offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let start = floor(range.start);
    let end = floor(range.end).max(start);
    start..end
}

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Snippet<'_> {}

impl miette::Diagnostic for Snippet<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{} ({})",
            self.diagnostic.code, self.diagnostic.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.diagnostic.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label =
            LabeledSpan::new_primary_with_span(Some(self.diagnostic.name.to_string()), self.span);
        Some(Box::new(std::iter::once(label)))
    }
}

/// Borrowed text that names itself in the snippet header.
#[derive(Debug)]
struct NamedText<'a> {
    name: String,
    text: &'a str,
    index: &'a LineIndex,
}

impl SourceCode for NamedText<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        // Only the lines the snippet shows are handed to miette (which would count
        // lines from the start of the text for every finding).
        let len = self.text.len();
        let start = span.offset().min(len);
        let end = (span.offset() + span.len()).min(len);
        let lines = self.index.line_count();
        let first = self
            .index
            .line_of(start)
            .saturating_sub(context_lines_before);
        let last = self.index.line_of(end) + context_lines_after + 1;
        let window_start = self.index.line_start(first);
        let window_end = if last + 1 < lines {
            self.index.line_start(last + 1)
        } else {
            len
        };
        let window = &self.text[window_start..window_end];
        let local = SourceSpan::new((start - window_start).into(), end - start);
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let absolute = SourceSpan::new(
            (inner.span().offset() + window_start).into(),
            inner.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            absolute,
            inner.line() + first,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::finding;

    fn full(diagnostic: &Diagnostic, text: Option<&str>, color: bool) -> String {
        let mut sources = Sources::new();
        if let Some(text) = text {
            sources.insert(&diagnostic.path, text);
        }
        let mut out = Vec::new();
        render(std::slice::from_ref(diagnostic), &sources, color, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_very_long_line_is_reported_without_its_snippet() {
        let text = format!(
            "rows = spark.table('t'){}.collect()\n",
            ".filter('x > 1')".repeat(5_000)
        );
        let diagnostic = finding("t.py", &text, "collect()");
        let out = full(&diagnostic, Some(&text), false);
        assert!(out.contains("--> t.py:1:"), "{out}");
        assert!(!out.contains(".filter"), "{out}");
    }

    #[test]
    fn header_uses_character_columns() {
        // `é` is two bytes: counted in bytes, `collect` would start at column 14.
        let text = "x = 'é'; df.collect()\n";
        let diagnostic = finding("a.py", text, "collect()");
        assert_eq!(diagnostic.start.column, 13);
        let out = full(&diagnostic, Some(text), false);
        assert!(out.contains("[a.py:1:13]"), "{out}");
        assert!(out.contains("help: aggregate first"), "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
    }

    #[test]
    fn color_only_when_asked() {
        let text = "df.collect()\n";
        let diagnostic = finding("a.py", text, "collect()");
        assert!(full(&diagnostic, Some(text), true).contains('\u{1b}'));
    }

    #[test]
    fn a_span_past_the_end_is_clamped() {
        let text = "df.collect()\n";
        let mut diagnostic = finding("a.py", text, "collect()");
        diagnostic.range = 3..400;
        let out = full(&diagnostic, Some(text), false);
        assert!(out.contains("SG101 (collect-to-driver)"), "{out}");
        assert!(out.contains("df.collect()"), "{out}");
    }

    #[test]
    fn without_the_text_the_finding_is_still_printed() {
        let text = "df.collect()\n";
        let diagnostic = finding("a.py", text, "collect()");
        let out = full(&diagnostic, None, false);
        assert!(out.contains("SG101 (collect-to-driver)"), "{out}");
        assert!(out.contains("pulls every row"), "{out}");
        assert!(out.contains("--> a.py:1:4"), "{out}");
        assert!(out.contains("help: aggregate first"), "{out}");
    }
}
