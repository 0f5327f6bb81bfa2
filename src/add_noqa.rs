//! `check --add-noqa`: writes a suppression for every current finding into the
//! source, so sparkguard can be adopted on an old code base and hold the line from
//! there (each suppression stays visible, and SG901 reports it once it silences
//! nothing).
//!
//! A finding is silenced on the line it starts on. The suppression goes at the end
//! of that line, in the file's own comment syntax (`  # noqa: SG101`,
//! `  // noqa: SG101`); a `noqa` or `sparkguard: ignore[...]` already there gets the
//! new codes added to its list instead. A line that ends inside a string or with a
//! `\` continuation cannot take a comment at its end: it gets
//! `# sparkguard: ignore[SG101]` on its own line above it, when that line can take
//! one (its start is not inside a string, and the line before does not continue into
//! it). A finding whose line can take neither is left and said so. In a Jupyter
//! notebook the suppression goes at the end of the cell line, inside the JSON string
//! holding it; a cell line that cannot take it there is left, since the cell would
//! need a new line. Running it twice adds nothing the second time, since every
//! finding is silenced by then.

use crate::lang::NodeExt;
use std::collections::BTreeMap;
use std::path::Path;

use tree_sitter::{Node, Tree};

use crate::diagnostic::Diagnostic;
use crate::engine::{FileKind, FileReport};
use crate::lang::Language;
use crate::source::LineIndex;
use crate::suppress;

/// Findings no suppression silences: unused suppressions (reported after
/// suppressions are applied) and syntax errors (a file that does not parse should
/// be fixed, not silenced).
const NOT_SUPPRESSIBLE: &[&str] = &["SG901", "SG902"];

/// What adding suppressions to one file did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Added {
    /// The new text.
    pub text: String,
    /// Lines that got a suppression, new or merged.
    pub lines: usize,
    /// (where, why) for the findings no suppression could be placed for: `line 3`,
    /// or `cell 2, line 4` in a notebook.
    pub skipped: Vec<(String, String)>,
}

/// Adds suppressions for `diagnostics` (the findings of this one file, whose ranges
/// are byte offsets into `text`) to `text`, written in `language`.
pub fn add_noqa(language: Language, text: &str, diagnostics: &[Diagnostic]) -> Added {
    let index = LineIndex::new(text);
    let mut by_line: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
    for diagnostic in diagnostics {
        if NOT_SUPPRESSIBLE.contains(&diagnostic.code) {
            continue;
        }
        let codes = by_line
            .entry(index.line_of(diagnostic.range.start))
            .or_default();
        if !codes.contains(&diagnostic.code) {
            codes.push(diagnostic.code);
        }
    }
    let mut added = Added {
        text: text.to_string(),
        ..Added::default()
    };
    if by_line.is_empty() {
        return added;
    }
    let Some(tree) = crate::parse::parse(language, text) else {
        added.skipped = by_line
            .keys()
            .map(|line| {
                (
                    format!("line {}", line + 1),
                    "the file could not be parsed".to_string(),
                )
            })
            .collect();
        return added;
    };
    let place = Placer {
        language,
        text,
        tree: &tree,
        index: &index,
        own_line: true,
    };
    // From the last line up, so the offsets of the lines above stay valid.
    for (&line, codes) in by_line.iter_mut().rev() {
        codes.sort_unstable();
        match place.edit(line, codes) {
            Ok(Some((at, insert))) => {
                added.text.insert_str(at, &insert);
                added.lines += 1;
            }
            Ok(None) => {}
            Err(reason) => added.skipped.push((format!("line {}", line + 1), reason)),
        }
    }
    added.skipped.reverse();
    added
}

/// What `--add-noqa` did across the files.
#[derive(Debug, Default)]
pub struct Tally {
    /// Suppressions written (a line counts once however many codes it got).
    pub lines: usize,
    pub files: usize,
    /// (path, what) for findings left unsuppressed.
    pub notes: Vec<(String, String)>,
    /// (path, what) for files that could not be written.
    pub errors: Vec<(String, String)>,
}

impl Tally {
    /// `Added 3 noqa directives to 2 files.`
    pub fn summary(&self) -> String {
        let directives = if self.lines == 1 {
            "directive"
        } else {
            "directives"
        };
        let files = if self.files == 1 { "file" } else { "files" };
        format!(
            "Added {} noqa {directives} to {} {files}.",
            self.lines, self.files
        )
    }
}

/// Adds the suppressions for `diagnostics` (sorted by path) to the files they are
/// in, writing each changed file back in its encoding. `paths` maps display paths
/// to the files on disk; `reports` holds the text each file was checked as, which
/// must still be what the file holds.
pub fn write_files(
    paths: &[(&str, &Path)],
    reports: &[FileReport],
    diagnostics: &[Diagnostic],
) -> Tally {
    let mut tally = Tally::default();
    for report in reports {
        let found: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.path == report.display_path && !NOT_SUPPRESSIBLE.contains(&d.code))
            .cloned()
            .collect();
        if found.is_empty() {
            continue;
        }
        let display = report.display_path.clone();
        let Some(&(_, path)) = paths.iter().find(|(shown, _)| *shown == display) else {
            continue;
        };
        let language = match FileKind::of(path) {
            Some(FileKind::Source(language)) => Some(language),
            Some(FileKind::Jupyter) => None,
            _ => {
                tally.notes.push((
                    display,
                    format!(
                        "{} left unsuppressed: the file takes no suppressions",
                        count(found.len())
                    ),
                ));
                continue;
            }
        };
        match write_one(path, language, &report.text, &found) {
            Ok(added) => {
                for (place, reason) in added.skipped {
                    tally.notes.push((
                        display.clone(),
                        format!("{place}: no suppression added: {reason}"),
                    ));
                }
                if added.lines > 0 {
                    tally.lines += added.lines;
                    tally.files += 1;
                }
            }
            Err(message) => tally.errors.push((display, message)),
        }
    }
    tally
}

fn count(findings: usize) -> String {
    if findings == 1 {
        "1 finding".to_string()
    } else {
        format!("{findings} findings")
    }
}

/// Adds one file's suppressions and writes it back (a byte-order mark and a PEP 263
/// encoding are kept).
fn write_one(
    path: &Path,
    language: Option<Language>,
    checked: &str,
    diagnostics: &[Diagnostic],
) -> Result<Added, String> {
    let bytes = std::fs::read(path).map_err(|err| format!("cannot read file: {err}"))?;
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let (text, encoding) = crate::source::decode_with_encoding(bytes)?;
    if text != checked {
        return Err("the file changed while it was checked; nothing added".to_string());
    }
    let added = match language {
        Some(language) => add_noqa(language, &text, diagnostics),
        None => add_to_notebook(&text, diagnostics)?,
    };
    if added.lines == 0 {
        return Ok(added);
    }
    let mut contents = Vec::new();
    if bom {
        contents.extend_from_slice(b"\xEF\xBB\xBF");
    }
    contents.extend_from_slice(&crate::source::encode(&added.text, encoding)?);
    crate::fix::write_atomically(path, &contents)
        .map_err(|err| format!("cannot write the file: {err}"))?;
    Ok(added)
}

/// Adds suppressions for `diagnostics` to the cells of the Jupyter notebook `json`.
/// Each goes at the end of the finding's cell line, inside the JSON string that holds
/// the line (what is inserted needs no escaping); a line that cannot take it there
/// is skipped, since a suppression above it would be a new line in the cell.
pub fn add_to_notebook(json: &str, diagnostics: &[Diagnostic]) -> Result<Added, String> {
    let notebook = crate::source::notebook::parse_ipynb(json)?;
    let mut edits: Vec<(usize, String)> = Vec::new();
    let mut skipped = Vec::new();
    for source in &notebook.sources {
        let lines = source.map.lines();
        let mut by_line: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
        for diagnostic in diagnostics {
            let Some(cell) = diagnostic.cell else {
                continue;
            };
            if NOT_SUPPRESSIBLE.contains(&diagnostic.code) {
                continue;
            }
            let Some(line) = lines
                .iter()
                .position(|line| line.cell == cell.cell && line.cell_line == cell.line)
            else {
                continue;
            };
            let codes = by_line.entry(line).or_default();
            if !codes.contains(&diagnostic.code) {
                codes.push(diagnostic.code);
            }
        }
        if by_line.is_empty() {
            continue;
        }
        let where_ =
            |line: usize| format!("cell {}, line {}", lines[line].cell, lines[line].cell_line);
        let Some(tree) = crate::parse::parse(source.language, &source.text) else {
            for line in by_line.keys() {
                skipped.push((where_(*line), "the cell could not be parsed".to_string()));
            }
            continue;
        };
        let index = LineIndex::new(&source.text);
        let place = Placer {
            language: source.language,
            text: &source.text,
            tree: &tree,
            index: &index,
            own_line: false,
        };
        for (&line, codes) in by_line.iter_mut() {
            codes.sort_unstable();
            match place.edit(line, codes) {
                Ok(Some((at, insert))) => edits.push((source.map.file_offset(at, true), insert)),
                Ok(None) => {}
                Err(reason) => skipped.push((where_(line), reason)),
            }
        }
    }
    let mut text = json.to_string();
    let lines = edits.len();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    for (at, insert) in edits {
        text.insert_str(at, &insert);
    }
    Ok(Added {
        text,
        lines,
        skipped,
    })
}

struct Placer<'a> {
    language: Language,
    text: &'a str,
    tree: &'a Tree,
    index: &'a LineIndex,
    /// Whether a suppression may go on a line of its own above the finding.
    own_line: bool,
}

impl Placer<'_> {
    /// Where to insert what for the findings `codes` on 0-based `line`; `None` when
    /// the line already suppresses them all.
    fn edit(&self, line: usize, codes: &[&str]) -> Result<Option<(usize, String)>, String> {
        let range = self.index.line_range(self.text, line);
        let content = &self.text[range.clone()];
        let prefix = self.language.comment_prefix();
        if content.trim_start().starts_with(&format!("{prefix} MAGIC")) {
            return Err("a Databricks magic line cannot take a suppression".to_string());
        }
        let end = range.start + content.trim_end().len();
        if let Some(comment) = self.trailing_comment(range.start, end) {
            let comment_text = &self.text[comment.start_byte()..comment.end_byte()];
            let (bare, listed, insert_at) = suppress::trailing_directive(comment_text);
            if bare {
                return Ok(None);
            }
            let missing: Vec<&str> = codes
                .iter()
                .copied()
                .filter(|code| !listed.iter().any(|listed| listed == code))
                .collect();
            if missing.is_empty() {
                return Ok(None);
            }
            if let Some(offset) = insert_at {
                let at = comment.start_byte() + offset;
                return Ok(Some((at, format!(", {}", missing.join(", ")))));
            }
            // A comment that is not a suppression: the new one follows it.
            return Ok(Some((
                end,
                format!("  {prefix} noqa: {}", missing.join(", ")),
            )));
        }
        if !self.inside_string(end) && !self.continues(line) {
            return Ok(Some((
                end,
                format!("  {prefix} noqa: {}", codes.join(", ")),
            )));
        }
        // The end of the line is taken: the line above, when the start of this one
        // is free.
        if !self.own_line {
            return Err(
                "the line ends inside a string or a continuation, and a notebook cell takes no new line"
                    .to_string(),
            );
        }
        let continued_into = line > 0 && self.continues(line - 1);
        if self.inside_string(range.start) || continued_into {
            return Err(
                "neither the end of the line nor a line above it can take a comment (a string or a continuation runs through)"
                    .to_string(),
            );
        }
        let indent: String = content
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let newline = if self.text[range.end..].starts_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        Ok(Some((
            range.start,
            format!(
                "{indent}{prefix} sparkguard: ignore[{}]{newline}",
                codes.join(", ")
            ),
        )))
    }

    /// The comment that ends the line `start..end`, if one does.
    fn trailing_comment(&self, start: usize, end: usize) -> Option<Node<'_>> {
        if end == start {
            return None;
        }
        let mut node = self
            .tree
            .root_node()
            .descendant_for_byte_range(end - 1, end)?;
        loop {
            if node.kind_name().contains("comment") {
                return (node.end_byte() == end).then_some(node);
            }
            node = node.parent()?;
        }
    }

    /// Whether `offset` lies strictly inside a string literal (a multi-line string
    /// spans the line break).
    fn inside_string(&self, offset: usize) -> bool {
        let Some(mut node) = self
            .tree
            .root_node()
            .descendant_for_byte_range(offset, offset)
        else {
            return false;
        };
        loop {
            if matches!(
                node.kind_name(),
                "string"
                    | "string_content"
                    | "interpolated_string"
                    | "interpolated_string_expression"
            ) && node.start_byte() < offset
                && node.end_byte() > offset
            {
                return true;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => return false,
            }
        }
    }

    /// Whether 0-based `line` ends with a Python `\` line continuation.
    fn continues(&self, line: usize) -> bool {
        if self.language != Language::Python {
            return false;
        }
        let range = self.index.line_range(self.text, line);
        let content = self.text[range.clone()].trim_end();
        content.ends_with('\\')
            && self
                .trailing_comment(range.start, range.start + content.len())
                .is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::finding;

    fn added(text: &str, needles: &[(&'static str, &str)]) -> Added {
        let diagnostics: Vec<Diagnostic> = needles
            .iter()
            .map(|(code, needle)| Diagnostic {
                code,
                ..finding("a.py", text, needle)
            })
            .collect();
        add_noqa(Language::Python, text, &diagnostics)
    }

    #[test]
    fn appends_a_noqa_in_the_comment_syntax_of_the_file() {
        let result = added("rows = df.collect()\n", &[("SG101", "collect()")]);
        assert_eq!(result.text, "rows = df.collect()  # noqa: SG101\n");
        assert_eq!(result.lines, 1);
        let text = "val rows = df.collect()\n";
        let diagnostic = finding("a.scala", text, "collect()");
        let scala = add_noqa(Language::Scala, text, &[diagnostic]);
        assert_eq!(scala.text, "val rows = df.collect()  // noqa: SG101\n");
    }

    #[test]
    fn merges_with_a_suppression_already_on_the_line() {
        let text = "rows = df.collect().toPandas()  # noqa: E501, SG102\n";
        let result = added(text, &[("SG101", "collect()"), ("SG102", "toPandas()")]);
        assert_eq!(
            result.text,
            "rows = df.collect().toPandas()  # noqa: E501, SG102, SG101\n"
        );
        let text = "rows = df.collect()  # sparkguard: ignore[SG103]\n";
        let result = added(text, &[("SG101", "collect()")]);
        assert_eq!(
            result.text,
            "rows = df.collect()  # sparkguard: ignore[SG103, SG101]\n"
        );
        let text = "rows = df.collect()  # the nightly job\n";
        let result = added(text, &[("SG101", "collect()")]);
        assert_eq!(
            result.text,
            "rows = df.collect()  # the nightly job  # noqa: SG101\n"
        );
    }

    #[test]
    fn a_line_ending_in_a_string_gets_the_suppression_above_it() {
        let text = "if True:\n    report(df.collect(), \"\"\"rows\nof the day\"\"\")\n";
        let result = added(text, &[("SG101", "collect()")]);
        assert_eq!(
            result.text,
            "if True:\n    # sparkguard: ignore[SG101]\n    report(df.collect(), \"\"\"rows\nof the day\"\"\")\n"
        );
        let text = "rows = df.collect() + \\\n    more\n";
        let result = added(text, &[("SG101", "collect()")]);
        assert_eq!(
            result.text,
            "# sparkguard: ignore[SG101]\nrows = df.collect() + \\\n    more\n"
        );
    }

    #[test]
    fn a_line_with_no_free_place_is_reported() {
        let text = "x = 1 + \\\n    len(df.collect()) + \\\n    2\n";
        let result = added(text, &[("SG101", "collect()")]);
        assert_eq!(result.text, text);
        assert_eq!(result.skipped.len(), 1);
        assert_eq!(result.skipped[0].0, "line 2");
    }

    #[test]
    fn a_notebook_cell_line_gets_its_suppression_inside_the_json_string() {
        let notebook = r#"{"cells": [
  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
   "source": ["from pyspark.sql import SparkSession\n", "rows = spark.table(\"t\").collect()\n", "pdf = spark.table(\"t\").toPandas()  # noqa: E501"]}],
 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        let settings = crate::config::Settings::default();
        let found = crate::engine::check_notebook_source("a.ipynb", notebook, &settings).unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        let added = add_to_notebook(notebook, &found).unwrap();
        assert_eq!(added.lines, 2);
        assert!(
            added
                .text
                .contains(r#""rows = spark.table(\"t\").collect()  # noqa: SG101\n""#),
            "{}",
            added.text
        );
        assert!(
            added.text.contains(r#"toPandas()  # noqa: E501, SG102"]"#),
            "{}",
            added.text
        );
        let again =
            crate::engine::check_notebook_source("a.ipynb", &added.text, &settings).unwrap();
        assert!(again.is_empty(), "{again:?}");
    }

    #[test]
    fn unused_suppressions_and_syntax_errors_are_left() {
        let text = "x = 1  # noqa: SG101\n";
        let result = added(text, &[("SG901", "SG101")]);
        assert_eq!(
            result,
            Added {
                text: text.to_string(),
                ..Added::default()
            }
        );
    }
}
