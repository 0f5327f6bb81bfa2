//! `json`: one pretty-printed array of findings. The object shape is [`Record`],
//! shared with `json-lines`; its field order is the key order consumers see. A
//! finding's `fix` (or `null`) carries its edits with positions in the file, and
//! `url` the rule's documentation page.

use std::io::{self, Write};

use serde::Serialize;

use super::Sources;
use crate::diagnostic::Diagnostic;
use crate::rules;
use crate::source::LineIndex;

/// One finding as JSON. The keys and their order are part of the output contract:
/// add keys at the end, never rename or reorder.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub severity: &'a str,
    pub path: &'a str,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: &'a str,
    pub help: &'a str,
    /// Notebooks only: the 1-based cell and the line inside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell_line: Option<u32>,
    /// The finding's fix, `null` when it has none.
    pub fix: Option<FixRecord<'a>>,
    /// The rule's documentation page.
    pub url: String,
}

/// A fix as JSON: what it does, whether `--fix` applies it (`safe`) or only shows it
/// (`unsafe`), and its edits.
#[derive(Debug, Serialize)]
pub struct FixRecord<'a> {
    pub message: &'a str,
    pub applicability: &'static str,
    pub edits: Vec<EditRecord<'a>>,
}

/// One edit: the text that replaces the range from `location` to `end_location`
/// (1-based lines and columns, as the finding's; byte offsets in `start` and `end`).
#[derive(Debug, Serialize)]
pub struct EditRecord<'a> {
    pub content: &'a str,
    pub location: Location,
    pub end_location: Location,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Serialize)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

impl<'a> Record<'a> {
    /// The record of `diagnostic`, found in `text` (the checked text of its file;
    /// without it, edits have no line and column).
    pub fn new(diagnostic: &'a Diagnostic, text: Option<&str>) -> Self {
        let fix = diagnostic.fix.as_ref().map(|fix| {
            let index = text.map(LineIndex::new);
            let location = |offset: usize| match (&index, text) {
                (Some(index), Some(text)) => {
                    let position = index.position(text, offset);
                    Location {
                        line: position.line,
                        column: position.column,
                    }
                }
                _ => Location { line: 0, column: 0 },
            };
            FixRecord {
                message: &fix.title,
                applicability: if fix.safe { "safe" } else { "unsafe" },
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| EditRecord {
                        content: &edit.replacement,
                        location: location(edit.range.start),
                        end_location: location(edit.range.end),
                        start: edit.range.start,
                        end: edit.range.end,
                    })
                    .collect(),
            }
        });
        let url = rules::by_code(diagnostic.code)
            .map(crate::report::rule_docs::docs_url)
            .unwrap_or_default();
        Record {
            code: diagnostic.code,
            name: diagnostic.name,
            severity: diagnostic.severity.as_str(),
            path: &diagnostic.path,
            line: diagnostic.start.line,
            column: diagnostic.start.column,
            end_line: diagnostic.end.line,
            end_column: diagnostic.end.column,
            message: &diagnostic.message,
            help: &diagnostic.help,
            cell: diagnostic.cell.map(|cell| cell.cell),
            cell_line: diagnostic.cell.map(|cell| cell.line),
            fix,
            url,
        }
    }
}

pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let records: Vec<Record<'_>> = diagnostics
        .iter()
        .map(|diagnostic| Record::new(diagnostic, sources.get(&diagnostic.path).as_deref()))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &records)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::CellPosition;
    use crate::report::tests::finding;

    fn keys(json: &str) -> Vec<String> {
        // Keys in written order: each `"key":` at the top level of a compact object.
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort_by_key(|key| json.find(&format!("\"{key}\":")).unwrap());
        keys
    }

    #[test]
    fn cell_keys_appear_only_for_notebooks() {
        let text = "rows = df.collect()\n";
        let mut diagnostic = finding("a.py", text, "collect()");
        let plain = serde_json::to_string(&Record::new(&diagnostic, Some(text))).unwrap();
        assert_eq!(
            keys(&plain),
            [
                "code",
                "name",
                "severity",
                "path",
                "line",
                "column",
                "end_line",
                "end_column",
                "message",
                "help",
                "fix",
                "url"
            ]
        );
        diagnostic.cell = Some(CellPosition { cell: 4, line: 2 });
        let notebook = serde_json::to_string(&Record::new(&diagnostic, Some(text))).unwrap();
        let keys = keys(&notebook);
        assert_eq!(keys[10..], ["cell", "cell_line", "fix", "url"]);
        assert!(
            notebook.contains(r#","cell":4,"cell_line":2,"fix":null,"url":"#),
            "{notebook}"
        );
    }

    #[test]
    fn a_fix_carries_its_edits_with_positions_and_the_url_its_page() {
        let text = "import x\nn = len(df.collect())\n";
        let mut diagnostic = finding("a.py", text, "collect()");
        let start = text.find("len(").unwrap();
        diagnostic.fix = Some(crate::diagnostic::Fix {
            title: "count the rows on the executors".to_string(),
            edits: vec![crate::diagnostic::Edit {
                range: start..text.len() - 1,
                replacement: "df.count()".to_string(),
            }],
            safe: false,
        });
        let value = serde_json::to_value(Record::new(&diagnostic, Some(text))).unwrap();
        assert_eq!(
            value["fix"],
            serde_json::json!({
                "message": "count the rows on the executors",
                "applicability": "unsafe",
                "edits": [{
                    "content": "df.count()",
                    "location": {"line": 2, "column": 5},
                    "end_location": {"line": 2, "column": 22},
                    "start": start,
                    "end": text.len() - 1,
                }],
            })
        );
        assert!(
            value["url"]
                .as_str()
                .unwrap()
                .ends_with("docs/rules/SG101-collect-to-driver.md"),
            "{value}"
        );
    }
}
