//! Hover and code actions, computed from the findings a document holds: the rule's
//! documentation on hover (the text `sparkguard rule CODE` prints), its fix as a
//! quickfix (preferred when safe; an unsafe one is offered, never preferred), a
//! suppression comment for the flagged line in the file's language, and every safe
//! fix at once (`source.fixAll.sparkguard`, through `fix::fix_text`: never an unsafe
//! one, whatever the config says).

use crate::lang::NodeExt;
use std::ops::Range;
use std::path::Path;

use serde_json::{Value, json};
use tree_sitter::Tree;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Edit};
use crate::engine::FileKind;
use crate::fix;
use crate::lang::Language;
use crate::rules::{self, unused_suppression::UNUSED_SUPPRESSION};
use crate::source::LineIndex;
use crate::source::notebook;

use super::text::differing_span;
use super::{Doc, convert, doc_kind};

/// The code action kind of "fix all safe fixes".
pub const FIX_ALL_KIND: &str = "source.fixAll.sparkguard";

/// Whether an action of `kind` is wanted when the client asks `only` for some.
pub fn wanted(only: Option<&[String]>, kind: &str) -> bool {
    match only {
        None => true,
        Some(only) => only
            .iter()
            .any(|want| kind == want || kind.starts_with(&format!("{want}."))),
    }
}

pub fn has_safe_fix(doc: &Doc) -> bool {
    doc.held
        .items
        .iter()
        .any(|item| item.diagnostic.fix.as_ref().is_some_and(|fix| fix.safe))
}

/// The text with every safe fix applied, when that changes anything.
pub fn fix_all_text(path: &Path, text: &str, settings: &Settings) -> Option<String> {
    // Fixing on save applies what needs no review: `unsafe-fixes` is for the CLI.
    let safe_only = Settings {
        unsafe_fixes: false,
        ..settings.clone()
    };
    let outcome = fix::fix_text(path, &path.to_string_lossy(), text, &safe_only).ok()?;
    (outcome.text != text).then_some(outcome.text)
}

/// The rule docs of the findings under `offset`, or of a code written in a
/// suppression comment there.
pub fn hover(doc: &Doc, offset: usize, markdown: bool) -> Value {
    let text = &doc.text.text;
    let mut value = String::new();
    let mut range = None;
    let mut shown: Vec<&str> = Vec::new();
    for item in &doc.held.items {
        let diagnostic = &item.diagnostic;
        if !(diagnostic.range.start <= offset && offset <= diagnostic.range.end)
            || shown.contains(&diagnostic.code)
        {
            continue;
        }
        shown.push(diagnostic.code);
        let Some(rule) = rules::by_code(diagnostic.code) else {
            continue;
        };
        if !value.is_empty() {
            value.push_str("\n\n---\n\n");
        }
        value.push_str(&rule_heading(rule, markdown));
        value.push_str(&format!(
            "\n\n{}\n\nhelp: {}\n\n{}",
            diagnostic.message,
            diagnostic.help,
            rule.docs_text()
        ));
        range.get_or_insert_with(|| item.lsp["range"].clone());
    }
    if value.is_empty()
        && let Some((rule, span)) = code_at(text, offset)
    {
        value = format!("{}\n\n{}", rule_heading(rule, markdown), rule.docs_text());
        range = Some(convert::range(text, &doc.text.index, &span));
    }
    if value.is_empty() {
        return Value::Null;
    }
    let kind = if markdown { "markdown" } else { "plaintext" };
    let mut hover = json!({"contents": {"kind": kind, "value": value}});
    if let Some(range) = range {
        hover["range"] = range;
    }
    hover
}

fn rule_heading(rule: &rules::Rule, markdown: bool) -> String {
    if markdown {
        format!(
            "**{}** `{}` ({})",
            rule.code,
            rule.name,
            rule.severity.as_str()
        )
    } else {
        format!("{} {} ({})", rule.code, rule.name, rule.severity.as_str())
    }
}

/// A rule code written at `offset` (in a suppression comment).
fn code_at(text: &str, offset: usize) -> Option<(&'static rules::Rule, Range<usize>)> {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let mut start = offset;
    while start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
        start -= 1;
    }
    let mut end = offset;
    while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
        end += 1;
    }
    let word = text.get(start..end)?;
    let rule = rules::by_code(&word.to_ascii_uppercase())?;
    Some((rule, start..end))
}

/// The code actions for the findings touching `range` in `doc`. `fix_all` is the
/// text with every safe fix applied (for a file); `cells` are the cells of the
/// notebook `doc` belongs to, if it is a cell.
pub fn code_actions(
    doc: &Doc,
    range: Range<usize>,
    only: Option<&[String]>,
    fix_all: Option<String>,
    cells: &[&Doc],
) -> Vec<Value> {
    let mut actions = Vec::new();
    let quickfix = wanted(only, "quickfix");
    for item in &doc.held.items {
        let diagnostic = &item.diagnostic;
        let touches = diagnostic.range.start <= range.end && range.start <= diagnostic.range.end;
        if !touches || !quickfix {
            continue;
        }
        if let Some(fix) = &diagnostic.fix {
            // An unsafe fix may change what the code does: offered, never preferred,
            // so an editor's "apply the preferred fix" never picks it.
            let title = if fix.safe {
                fix.title.clone()
            } else {
                format!("{} (unsafe)", fix.title)
            };
            actions.push(action(
                &title,
                "quickfix",
                Some(&item.lsp),
                fix.safe,
                json!({ doc.uri.clone(): text_edits(doc, &fix.edits) }),
            ));
        }
        if diagnostic.code == UNUSED_SUPPRESSION.code {
            continue;
        }
        if let Some(edit) = suppression(doc, diagnostic) {
            actions.push(action(
                &format!("Ignore {} on this line", diagnostic.code),
                "quickfix",
                Some(&item.lsp),
                false,
                json!({ doc.uri.clone(): text_edits(doc, &[edit]) }),
            ));
        }
    }
    if wanted(only, FIX_ALL_KIND) {
        let changes = match fix_all {
            Some(fixed) => {
                let (start, old_end, new_end) = differing_span(&doc.text.text, &fixed);
                let edit = Edit {
                    range: start..old_end,
                    replacement: fixed[start..new_end].to_string(),
                };
                Some(json!({ doc.uri.clone(): text_edits(doc, &[edit]) }))
            }
            None if !cells.is_empty() => notebook_fix_all(cells),
            None => None,
        };
        if let Some(changes) = changes {
            actions.push(action(
                "Fix all safe sparkguard findings",
                FIX_ALL_KIND,
                None,
                false,
                changes,
            ));
        }
    }
    actions
}

/// Every safe fix of every cell, one round: fixes that overlap another are left for
/// the next request.
fn notebook_fix_all(cells: &[&Doc]) -> Option<Value> {
    let mut changes = serde_json::Map::new();
    for cell in cells {
        let mut taken: Vec<Edit> = Vec::new();
        for item in &cell.held.items {
            let Some(fix) = item.diagnostic.fix.as_ref().filter(|fix| fix.safe) else {
                continue;
            };
            let clash = fix.edits.iter().any(|edit| {
                taken.iter().any(|other| {
                    edit.range.start < other.range.end && other.range.start < edit.range.end
                        || edit.range == other.range
                })
            });
            if !clash {
                taken.extend(fix.edits.iter().cloned());
            }
        }
        if !taken.is_empty() {
            changes.insert(cell.uri.clone(), Value::Array(text_edits(cell, &taken)));
        }
    }
    (!changes.is_empty()).then_some(Value::Object(changes))
}

fn action(
    title: &str,
    kind: &str,
    diagnostic: Option<&Value>,
    preferred: bool,
    changes: Value,
) -> Value {
    let mut action = json!({
        "title": title,
        "kind": kind,
        "edit": {"changes": changes},
    });
    if let Some(diagnostic) = diagnostic {
        action["diagnostics"] = json!([diagnostic]);
    }
    if preferred {
        action["isPreferred"] = json!(true);
    }
    action
}

fn text_edits(doc: &Doc, edits: &[Edit]) -> Vec<Value> {
    edits
        .iter()
        .map(|edit| {
            json!({
                "range": convert::range(&doc.text.text, &doc.text.index, &edit.range),
                "newText": edit.replacement,
            })
        })
        .collect()
}

/// The edit that adds `sparkguard: ignore[CODE]` for the finding's line, in the
/// comment syntax of the code on that line. `None` where no comment can be written
/// safely (a SQL cell, a shell line continued with `\`).
fn suppression(doc: &Doc, diagnostic: &Diagnostic) -> Option<Edit> {
    let text = &doc.text.text;
    let index = &doc.text.index;
    let offset = diagnostic.range.start;
    let code = diagnostic.code;
    if doc.notebook.is_some() {
        let prefix = if doc.language_id == "scala" {
            "//"
        } else {
            "#"
        };
        return Some(line_suppression(text, index, offset, code, prefix, false));
    }
    match doc_kind(doc)? {
        FileKind::Jupyter => {
            let notebook = notebook::parse_ipynb(text).ok()?;
            let language = cell_language(&notebook, diagnostic)?;
            let at = json_line_end(text, offset)?;
            Some(Edit {
                range: at..at,
                replacement: format!("  {} sparkguard: ignore[{code}]", language.comment_prefix()),
            })
        }
        FileKind::Launch(_) => {
            let line = index.line_range(text, index.line_of(offset));
            if text[line].trim_end().ends_with('\\') {
                return None;
            }
            Some(line_suppression(text, index, offset, code, "#", false))
        }
        FileKind::Source(language) => {
            if let Some(notebook) = notebook::parse_databricks(text) {
                let language = cell_language(&notebook, diagnostic)?;
                return Some(line_suppression(
                    text,
                    index,
                    offset,
                    code,
                    language.comment_prefix(),
                    false,
                ));
            }
            let line = index.line_range(text, index.line_of(offset));
            // Documents that are not being edited keep no tree: parse it here.
            let parsed;
            let tree = match &doc.text.tree {
                Some(tree) => Some(tree),
                None => {
                    parsed = crate::parse::parse(language, text);
                    parsed.as_ref()
                }
            };
            let own_line = text[line.clone()].trim_end().ends_with('\\')
                || tree.is_some_and(|tree| ends_inside_string(tree, line.end));
            Some(line_suppression(
                text,
                index,
                offset,
                code,
                language.comment_prefix(),
                own_line,
            ))
        }
    }
}

/// The language of the code cell a notebook finding is in; `None` for a SQL cell.
fn cell_language(notebook: &notebook::Notebook, diagnostic: &Diagnostic) -> Option<Language> {
    let cell = diagnostic.cell?.cell;
    notebook
        .sources
        .iter()
        .find(|source| source.cells().contains(&cell))
        .map(|source| source.language)
}

/// Whether the line ending at `line_end` ends inside a string literal that goes on
/// (a comment written there would become part of the string).
fn ends_inside_string(tree: &Tree, line_end: usize) -> bool {
    let Some(mut node) = tree
        .root_node()
        .descendant_for_byte_range(line_end.saturating_sub(1), line_end)
    else {
        return false;
    };
    loop {
        if node.kind_name().contains("string") && node.end_byte() > line_end {
            return true;
        }
        match node.parent() {
            Some(parent) => node = parent,
            None => return false,
        }
    }
}

/// A suppression at the end of the finding's line (merged into a directive already
/// there), or on a line of its own above it.
fn line_suppression(
    text: &str,
    index: &LineIndex,
    offset: usize,
    code: &str,
    prefix: &str,
    own_line: bool,
) -> Edit {
    let line = index.line_range(text, index.line_of(offset));
    let content = &text[line.clone()];
    if let Some(at) = content.find("sparkguard: ignore[")
        && let Some(close) = content[at..].find(']')
    {
        let insert = line.start + at + close;
        return Edit {
            range: insert..insert,
            replacement: format!(", {code}"),
        };
    }
    if own_line {
        let indent = &content[..content.len() - content.trim_start().len()];
        return Edit {
            range: line.start..line.start,
            replacement: format!("{indent}{prefix} sparkguard: ignore[{code}]\n"),
        };
    }
    let end = line.start + content.trim_end().len();
    Edit {
        range: end..line.end,
        replacement: format!("  {prefix} sparkguard: ignore[{code}]"),
    }
}

/// In a notebook's JSON text, where the source line holding `offset` ends: before
/// its `\n` escape, or before the string's closing quote.
fn json_line_end(text: &str, offset: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = offset;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Some(i),
            b'\\' if matches!(bytes.get(i + 1), Some(b'n' | b'r')) => return Some(i),
            b'\\' => i += 2,
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressions_go_at_the_end_or_join_a_directive() {
        let text = "rows = df.collect()\nx = df.collect()  # sparkguard: ignore[SG102]\r\n";
        let index = LineIndex::new(text);
        let edit = line_suppression(text, &index, 7, "SG101", "#", false);
        let fixed = fix::apply_edits(text, &[edit]).unwrap();
        assert!(fixed.starts_with("rows = df.collect()  # sparkguard: ignore[SG101]\n"));
        let at = text.find("x =").unwrap();
        let edit = line_suppression(text, &index, at, "SG101", "#", false);
        let fixed = fix::apply_edits(text, &[edit]).unwrap();
        assert!(
            fixed.ends_with("# sparkguard: ignore[SG102, SG101]\r\n"),
            "{fixed}"
        );
        let text = "    q = spark.sql(\"\"\"\n select 1\"\"\").collect()\n";
        let index = LineIndex::new(text);
        let edit = line_suppression(text, &index, 4, "SG101", "#", true);
        assert_eq!(
            fix::apply_edits(text, &[edit]).unwrap(),
            format!("    # sparkguard: ignore[SG101]\n{text}")
        );
    }

    #[test]
    fn a_line_ending_in_a_multiline_string_is_seen() {
        let text = "q = spark.sql(\"\"\"\nselect 1\"\"\").collect()\nx = 1\n";
        let tree = crate::parse::parse(Language::Python, text).unwrap();
        assert!(ends_inside_string(&tree, text.find('\n').unwrap()));
        let second = text[text.find('\n').unwrap() + 1..].find('\n').unwrap();
        assert!(!ends_inside_string(
            &tree,
            text.find('\n').unwrap() + 1 + second
        ));
    }

    #[test]
    fn json_lines_end_before_their_escape() {
        let text = r#"["rows = df.collect() # \"q\"\n", "x"]"#;
        assert_eq!(json_line_end(text, 2), text.find(r"\n"));
        assert_eq!(
            json_line_end(text, text.find('x').unwrap()),
            Some(text.len() - 2)
        );
    }

    #[test]
    fn only_filters_by_kind_prefix() {
        let only = vec!["source.fixAll".to_string()];
        assert!(wanted(Some(&only), FIX_ALL_KIND));
        assert!(!wanted(Some(&only), "quickfix"));
        assert!(wanted(None, "quickfix"));
        assert!(wanted(None, FIX_ALL_KIND));
    }
}
