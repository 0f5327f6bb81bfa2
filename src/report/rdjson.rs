//! `rdjson` and `rdjsonl`: reviewdog's diagnostic format, read by
//! `reviewdog -f=rdjson` (one `DiagnosticResult` document) and `-f=rdjsonl` (one
//! `Diagnostic` per line). Positions are 1-based lines and 1-based columns counted
//! in UTF-8 bytes, as the format defines; ranges end exclusively. Safe fixes become
//! `suggestions`, which reviewdog posts as suggested changes. Paths are display paths
//! (relative to the current directory), which reviewdog resolves itself.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Checked, byte_column};
use crate::diagnostic::{Diagnostic, Severity};

pub fn render(checked: &Checked<'_>, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics: Vec<Value> = checked
        .diagnostics
        .iter()
        .map(|diagnostic| record(checked, diagnostic, false))
        .collect();
    let document = json!({
        "source": source(),
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

pub fn render_lines(checked: &Checked<'_>, out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in checked.diagnostics {
        serde_json::to_writer(&mut *out, &record(checked, diagnostic, true))?;
        writeln!(out)?;
    }
    Ok(())
}

fn source() -> Value {
    let mut source = json!({ "name": "sparkguard" });
    if let Some(uri) = super::sarif::information_uri() {
        source["url"] = json!(uri);
    }
    source
}

/// One `Diagnostic`. A line of `rdjsonl` stands alone, so it names its source too.
fn record(checked: &Checked<'_>, diagnostic: &Diagnostic, with_source: bool) -> Value {
    let checked_text = checked.sources.get(&diagnostic.path);
    let text = checked_text.as_deref().unwrap_or("");
    let range = |start: crate::diagnostic::Position,
                 start_byte: usize,
                 end: crate::diagnostic::Position,
                 end_byte: usize| {
        json!({
            "start": { "line": start.line, "column": byte_column(text, start_byte) },
            "end": { "line": end.line, "column": byte_column(text, end_byte) },
        })
    };
    let mut record = json!({
        "message": format!("{}\nhelp: {}", diagnostic.message, diagnostic.help),
        "location": {
            "path": diagnostic.path,
            "range": range(diagnostic.start, diagnostic.range.start, diagnostic.end, diagnostic.range.end),
        },
        "severity": severity(diagnostic.severity),
    });
    if with_source {
        record["source"] = source();
    }
    record["code"] = json!({ "value": diagnostic.code });
    if let Some(fix) = diagnostic.fix.as_ref().filter(|fix| fix.safe) {
        let index = crate::source::LineIndex::new(text);
        let suggestions: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "range": range(
                        index.position(text, edit.range.start),
                        edit.range.start,
                        index.position(text, edit.range.end),
                        edit.range.end,
                    ),
                    "text": edit.replacement,
                })
            })
            .collect();
        record["suggestions"] = json!(suggestions);
    }
    if !diagnostic.related.is_empty() {
        let related: Vec<Value> = diagnostic
            .related
            .iter()
            .map(|related| {
                json!({
                    "message": related.message,
                    "location": {
                        "path": diagnostic.path,
                        "range": range(related.start, related.range.start, related.end, related.range.end),
                    },
                })
            })
            .collect();
        record["related_locations"] = json!(related);
    }
    record
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}
