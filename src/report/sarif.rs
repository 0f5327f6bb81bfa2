//! `sarif`: SARIF 2.1.0 (OASIS), what GitHub code scanning uploads and SARIF viewers
//! read. One run: the driver with every rule's metadata (from the rule's own docs),
//! one result per finding, and one invocation whose notifications are the files that
//! could not be checked.
//!
//! Artifact URIs are relative to the project root and name it through the
//! `SRCROOT` base id, so a viewer on another machine resolves them against its own
//! checkout; `originalUriBaseIds` says where the root was on this one. Columns count
//! Unicode code points (`columnKind`), as every other sparkguard output does.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::Checked;
use super::fingerprint::SARIF_KEY;
use crate::diagnostic::{CellPosition, Diagnostic, Fix, Position, Severity};
use crate::rules::{RULES, Rule};
use crate::source::LineIndex;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id artifact URIs are relative to.
pub const ROOT_BASE_ID: &str = "SRCROOT";

pub fn render(checked: &Checked<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(checked))?;
    writeln!(out)
}

/// The whole SARIF log.
pub fn log(checked: &Checked<'_>) -> Value {
    let fingerprints = checked.fingerprints;
    let mut indexes: HashMap<&str, LineIndex> = HashMap::new();
    let results: Vec<Value> = checked
        .diagnostics
        .iter()
        .zip(fingerprints)
        .map(|(diagnostic, fingerprint)| {
            let mut result = json!({
                "ruleId": diagnostic.code,
                "level": level(diagnostic.severity),
                "message": { "text": format!("{}\nhelp: {}", diagnostic.message, diagnostic.help) },
                "locations": [location(checked, diagnostic)],
                "partialFingerprints": { SARIF_KEY: fingerprint.hash },
            });
            if let Some(index) = RULES.iter().position(|rule| rule.code == diagnostic.code) {
                result["ruleIndex"] = json!(index);
            }
            if !diagnostic.related.is_empty() {
                let related: Vec<Value> = diagnostic
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, related)| {
                        let mut value = json!({
                            "id": id,
                            "physicalLocation": physical_location(
                                checked,
                                &diagnostic.path,
                                related.start,
                                related.end,
                            ),
                            "message": { "text": related.message },
                        });
                        if let Some(cell) = related.cell {
                            value["properties"] = cell_properties(cell);
                        }
                        value
                    })
                    .collect();
                result["relatedLocations"] = json!(related);
            }
            let safe_fix = diagnostic.fix.as_ref().filter(|fix| fix.safe);
            if let (Some(fix), Some(text)) = (safe_fix, checked.sources.get(&diagnostic.path)) {
                let index = indexes
                    .entry(diagnostic.path.as_str())
                    .or_insert_with(|| LineIndex::new(&text));
                result["fixes"] = json!([sarif_fix(checked, diagnostic, fix, &text, index)]);
            }
            if let Some(cell) = diagnostic.cell {
                result["properties"] = cell_properties(cell);
            }
            result
        })
        .collect();

    let notifications: Vec<Value> = checked
        .errors
        .iter()
        .map(|error| {
            json!({
                "level": "error",
                "message": { "text": format!("{}: {}", error.display_path, error.message) },
                "locations": [{
                    "physicalLocation": { "artifactLocation": artifact(checked, &error.display_path) },
                }],
            })
        })
        .collect();

    let mut driver = json!({
        "name": "sparkguard",
        "version": crate::VERSION,
        "semanticVersion": crate::VERSION,
        "rules": RULES.iter().map(|rule| descriptor(rule)).collect::<Vec<_>>(),
    });
    if let Some(uri) = information_uri() {
        driver["informationUri"] = json!(uri);
    }

    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [{
                "executionSuccessful": checked.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": {
                ROOT_BASE_ID: { "uri": checked.root.uri() },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// The project's address, from `repository` in Cargo.toml; none when it is unset.
pub fn information_uri() -> Option<&'static str> {
    Some(env!("CARGO_PKG_REPOSITORY")).filter(|uri| !uri.is_empty())
}

/// A rule's `reportingDescriptor`: its metadata and docs.
fn descriptor(rule: &Rule) -> Value {
    let docs = rule.docs_text();
    let text = plain_text(&docs);
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary() },
        "fullDescription": { "text": text, "markdown": docs },
        "help": {
            "text": format!("{}\n\n{}", rule.help, text),
            "markdown": format!("{}\n\n{}", rule.help, docs),
        },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "tags": [rule.family()] },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The docs without markdown markup: headings end in a colon, code fences go and
/// their lines are indented.
fn plain_text(markdown: &str) -> String {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push(format!("    {line}"));
        } else if let Some(heading) = line.strip_prefix("## ") {
            // "Why is this bad?" keeps its question mark; the others get a colon.
            if heading.ends_with(['?', ':', '.']) {
                out.push(heading.to_string());
            } else {
                out.push(format!("{heading}:"));
            }
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

fn location(checked: &Checked<'_>, diagnostic: &Diagnostic) -> Value {
    json!({
        "physicalLocation": physical_location(checked, &diagnostic.path, diagnostic.start, diagnostic.end),
    })
}

fn physical_location(checked: &Checked<'_>, path: &str, start: Position, end: Position) -> Value {
    json!({
        "artifactLocation": artifact(checked, path),
        "region": region(start, end),
    })
}

/// An `artifactLocation`: root-relative with the base id, or an absolute URI for a
/// file outside the root.
fn artifact(checked: &Checked<'_>, path: &str) -> Value {
    match checked.root.relative(path) {
        Some(relative) => json!({
            "uri": super::artifact::encode_path(&relative),
            "uriBaseId": ROOT_BASE_ID,
        }),
        None => json!({ "uri": checked.root.absolute_uri(path) }),
    }
}

/// SARIF regions end one column past the last character, as `end` does.
fn region(start: Position, end: Position) -> Value {
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn cell_properties(cell: CellPosition) -> Value {
    json!({ "cell": cell.cell, "cellLine": cell.line })
}

/// A safe fix as one artifact change: each edit replaces a region of the file.
fn sarif_fix(
    checked: &Checked<'_>,
    diagnostic: &Diagnostic,
    fix: &Fix,
    text: &str,
    index: &LineIndex,
) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|edit| {
            json!({
                "deletedRegion": region(
                    index.position(text, edit.range.start),
                    index.position(text, edit.range.end),
                ),
                "insertedContent": { "text": edit.replacement },
            })
        })
        .collect();
    json!({
        "description": { "text": fix.title },
        "artifactChanges": [{
            "artifactLocation": artifact(checked, &diagnostic.path),
            "replacements": replacements,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_the_markup() {
        let markdown = "## What it does\nFlags `x`.\n\n## Example\n```python\nx()\n```";
        assert_eq!(
            plain_text(markdown),
            "What it does:\nFlags `x`.\n\nExample:\n    x()"
        );
    }

    #[test]
    fn every_rule_has_a_one_line_summary() {
        for rule in RULES {
            let summary = rule.summary();
            assert!(
                !summary.is_empty() && !summary.contains('\n'),
                "{}",
                rule.code
            );
        }
    }
}
