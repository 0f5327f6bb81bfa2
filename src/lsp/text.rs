//! One open text document as the editor sees it: its text, kept in step with every
//! change the client sends, and the syntax tree of the last check, told of each
//! change with `Tree::edit` so the next check parses only what changed. Also the
//! `file://` URI ↔ path conversions.

use crate::lang::NodeExt;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde_json::Value;
use tree_sitter::{InputEdit, Point, Tree};

use crate::source::LineIndex;

/// The text of one document and what is known about it.
pub struct TextDoc {
    pub text: String,
    pub index: LineIndex,
    /// A hash of `text`: results are kept per content, so an undo back to checked
    /// text, or a save, needs no new check.
    pub hash: u64,
    /// The tree of a recent parse, edited to match `text`; `None` until the first
    /// check, and for files that are not parsed as one program (notebooks).
    pub tree: Option<Tree>,
    /// The edits since the last check, (start, old end, new end) each, while every
    /// one of them was inside a line comment that holds no suppression; `None` once
    /// one was not (or when there is no tree to tell). Such edits cannot change a
    /// finding, only move the ones after them.
    pub comment_edits: Option<Vec<(usize, usize, usize)>>,
}

impl TextDoc {
    pub fn new(text: String) -> TextDoc {
        TextDoc {
            index: LineIndex::new(&text),
            hash: content_hash(&text),
            text,
            tree: None,
            comment_edits: None,
        }
    }

    /// Applies one `TextDocumentContentChangeEvent`: a range and its new text, or
    /// the whole new text. A full replacement is narrowed to the part that differs,
    /// so the tree can still be edited rather than dropped.
    pub fn apply_change(&mut self, change: &Value) -> Result<(), String> {
        let new = change
            .get("text")
            .and_then(Value::as_str)
            .ok_or("a content change without `text`")?;
        let (start, end, inserted) = match change.get("range") {
            Some(range) if !range.is_null() => {
                let start = self.offset_at(&range["start"])?;
                let end = self.offset_at(&range["end"])?.max(start);
                (start, end, new)
            }
            _ => {
                let (start, old_end, new_end) = differing_span(&self.text, new);
                (start, old_end, &new[start..new_end])
            }
        };
        self.replace(start..end, inserted);
        Ok(())
    }

    /// The byte offset of an LSP position (UTF-16 columns, clamped to the line).
    pub fn offset_at(&self, position: &Value) -> Result<usize, String> {
        let line = position.get("line").and_then(Value::as_u64);
        let character = position.get("character").and_then(Value::as_u64);
        match (line, character) {
            (Some(line), Some(character)) => Ok(self.index.offset_of_utf16(
                &self.text,
                line.min(u32::MAX as u64) as u32,
                character.min(u32::MAX as u64) as u32,
            )),
            _ => Err("a position needs `line` and `character`".to_string()),
        }
    }

    fn replace(&mut self, range: std::ops::Range<usize>, inserted: &str) {
        let in_comment = self.inside_line_comment(&range, inserted);
        match &mut self.comment_edits {
            Some(edits) if in_comment => {
                edits.push((range.start, range.end, range.start + inserted.len()))
            }
            _ => self.comment_edits = None,
        }
        if let Some(tree) = &mut self.tree {
            let start_position = point_at(&self.text, range.start);
            let old_end_position = point_at(&self.text, range.end);
            let new_end_position = advance(start_position, inserted);
            tree.edit(&InputEdit {
                start_byte: range.start,
                old_end_byte: range.end,
                new_end_byte: range.start + inserted.len(),
                start_position,
                old_end_position,
                new_end_position,
            });
        }
        self.text.replace_range(range, inserted);
        self.index = LineIndex::new(&self.text);
        self.hash = content_hash(&self.text);
    }
}

impl TextDoc {
    /// Whether replacing `range` with `inserted` only changes the text of one line
    /// comment (after its `#` or `//`, not on the first line, where a Databricks
    /// header sits), and the comment holds no suppression before or after.
    fn inside_line_comment(&self, range: &std::ops::Range<usize>, inserted: &str) -> bool {
        let Some(tree) = &self.tree else {
            return false;
        };
        let removed = &self.text[range.clone()];
        if inserted.contains(['\n', '\r']) || removed.contains(['\n', '\r']) {
            return false;
        }
        // An insertion at the end of a comment touches its last character.
        let probe = range.start.min(range.end.saturating_sub(1))..range.end;
        let Some(mut node) = tree
            .root_node()
            .descendant_for_byte_range(probe.start, probe.end)
        else {
            return false;
        };
        while node.kind_name() != "comment" {
            match node.parent() {
                Some(parent) => node = parent,
                None => return false,
            }
        }
        let comment = node.byte_range();
        let Some(old_text) = self.text.get(comment.clone()) else {
            return false;
        };
        let marker = if old_text.starts_with('#') {
            1
        } else if old_text.starts_with("//") {
            2
        } else {
            return false;
        };
        if node.start_position().row == 0
            || range.start < comment.start + marker
            || range.end > comment.end
        {
            return false;
        }
        let new_text = format!(
            "{}{inserted}{}",
            &self.text[comment.start..range.start],
            &self.text[range.end..comment.end]
        );
        let directive = |text: &str| {
            let lower = text.to_ascii_lowercase();
            lower.contains("sparkguard") || lower.contains("noqa")
        };
        !directive(old_text) && !directive(&new_text)
    }
}

/// Where `offset` of the text before `edits` is after them.
pub fn shift_offset(offset: usize, edits: &[(usize, usize, usize)]) -> usize {
    let mut offset = offset;
    for &(start, old_end, new_end) in edits {
        if offset >= old_end {
            offset = offset - old_end + new_end;
        } else if offset > start {
            offset = start;
        }
    }
    offset
}

pub fn content_hash(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The span where `old` and `new` differ: (start, end in `old`, end in `new`), on
/// character boundaries of both.
pub fn differing_span(old: &str, new: &str) -> (usize, usize, usize) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
        start -= 1;
    }
    let room = a.len().min(b.len()) - start;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    (start, a.len() - suffix, b.len() - suffix)
}

/// Tree-sitter's point (row, byte column) of a byte offset.
fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let column = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(offset, |nl| offset - nl - 1);
    Point { row, column }
}

/// The point after `inserted` is written at `start`.
fn advance(start: Point, inserted: &str) -> Point {
    match inserted.rfind('\n') {
        None => Point {
            row: start.row,
            column: start.column + inserted.len(),
        },
        Some(nl) => Point {
            row: start.row + inserted.matches('\n').count(),
            column: inserted.len() - nl - 1,
        },
    }
}

/// The path of a `file://` URI (percent-escapes decoded); `None` for other schemes.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file://host/path`: only the local host is a path here.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(slash) if &rest[..slash] == "localhost" => &rest[slash..],
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut bytes = Vec::with_capacity(path.len());
    let raw = path.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%'
            && let Some(byte) = raw
                .get(i + 1..i + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            bytes.push(byte);
            i += 3;
            continue;
        }
        bytes.push(raw[i]);
        i += 1;
    }
    let text = String::from_utf8(bytes).ok()?;
    Some(PathBuf::from(text))
}

/// The `file://` URI of an absolute path, percent-escaping what a URI cannot hold.
pub fn path_to_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(byte as char)
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn incremental_changes_count_utf16_units() {
        let mut doc = TextDoc::new("a = 'é𝄞'\nrows = df.collect()\n".to_string());
        // Replace the 𝄞 (two UTF-16 units at columns 6..8) with x.
        doc.apply_change(&json!({
            "range": {"start": {"line": 0, "character": 6}, "end": {"line": 0, "character": 8}},
            "text": "x"
        }))
        .unwrap();
        assert_eq!(doc.text, "a = 'éx'\nrows = df.collect()\n");
        doc.apply_change(&json!({"text": "a = 1\nrows = df.collect()\n"}))
            .unwrap();
        assert_eq!(doc.text, "a = 1\nrows = df.collect()\n");
        assert_eq!(doc.hash, content_hash("a = 1\nrows = df.collect()\n"));
    }

    #[test]
    fn an_edited_tree_reparses_to_the_same_tree_as_a_fresh_parse() {
        use crate::lang::Language;
        use crate::parse;
        let old = "def f(df):\n    return df.collect()\n";
        let mut doc = TextDoc::new(old.to_string());
        doc.tree = parse::parse(Language::Python, old);
        doc.apply_change(&json!({
            "range": {"start": {"line": 1, "character": 13}, "end": {"line": 1, "character": 13}},
            "text": ".limit(10)\n    x = (1,\n 2)"
        }))
        .unwrap();
        let reused = parse::reparse(Language::Python, &doc.text, doc.tree.as_ref()).unwrap();
        let fresh = parse::parse(Language::Python, &doc.text).unwrap();
        assert_eq!(
            reused.root_node().to_sexp(),
            fresh.root_node().to_sexp(),
            "{}",
            doc.text
        );
    }

    #[test]
    fn edits_inside_a_comment_are_told_apart() {
        use crate::lang::Language;
        let text = "import pyspark\nrows = df.collect()  # keep\n# note\n";
        let mut doc = TextDoc::new(text.to_string());
        doc.tree = crate::parse::parse(Language::Python, text);
        doc.comment_edits = Some(Vec::new());
        let at = |needle: &str| text.find(needle).unwrap();
        // Typing at the end of a comment, and inside another.
        doc.replace(at("keep") + 4..at("keep") + 4, "ing");
        let note = doc.text.find("note").unwrap();
        doc.replace(note + 1..note + 2, "a");
        assert_eq!(
            doc.text,
            "import pyspark\nrows = df.collect()  # keeping\n# nate\n"
        );
        assert_eq!(doc.comment_edits.as_ref().map(Vec::len), Some(2));
        assert_eq!(
            shift_offset(text.len(), doc.comment_edits.as_ref().unwrap()),
            doc.text.len()
        );
        // A suppression written into a comment is not a comment edit.
        doc.replace(
            doc.text.find("nate").unwrap()..doc.text.find("nate").unwrap(),
            "noqa: ",
        );
        assert!(doc.comment_edits.is_none());

        let mut doc = TextDoc::new(text.to_string());
        doc.tree = crate::parse::parse(Language::Python, text);
        doc.comment_edits = Some(Vec::new());
        // Deleting the `#` turns the comment into code.
        let hash = text.find("# note").unwrap();
        doc.replace(hash..hash + 1, "");
        assert!(doc.comment_edits.is_none());
    }

    #[test]
    fn the_differing_span_keeps_characters_whole() {
        assert_eq!(differing_span("abc", "abc"), (3, 3, 3));
        assert_eq!(differing_span("abXc", "abYYc"), (2, 3, 4));
        // é and è share their first byte.
        assert_eq!(differing_span("é", "è"), (0, 2, 2));
        assert_eq!(differing_span("aa", "aaa"), (2, 2, 3));
    }

    #[test]
    fn uris_and_paths_round_trip() {
        let path = Path::new("/tmp/my jobs/étl.py");
        let uri = path_to_uri(path);
        assert_eq!(uri, "file:///tmp/my%20jobs/%C3%A9tl.py");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        assert_eq!(
            uri_to_path("file://localhost/a/b.py").unwrap(),
            Path::new("/a/b.py")
        );
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
    }
}
