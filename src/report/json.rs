//! `json`: one pretty-printed array of findings. The object shape is [`Record`],
//! shared with `json-lines`; its field order is the key order consumers see.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::Diagnostic;

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
}

impl<'a> Record<'a> {
    pub fn new(diagnostic: &'a Diagnostic) -> Self {
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
        }
    }
}

pub fn render(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    let records: Vec<Record<'_>> = diagnostics.iter().map(Record::new).collect();
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
        let plain = serde_json::to_string(&Record::new(&diagnostic)).unwrap();
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
                "help"
            ]
        );
        diagnostic.cell = Some(CellPosition { cell: 4, line: 2 });
        let notebook = serde_json::to_string(&Record::new(&diagnostic)).unwrap();
        let keys = keys(&notebook);
        assert_eq!(keys[10..], ["cell", "cell_line"]);
        assert!(
            notebook.ends_with(r#","cell":4,"cell_line":2}"#),
            "{notebook}"
        );
    }
}
