//! Source text and positions: decoding bytes into text (invalid UTF-8 is a per-file
//! error, never a crash) and the line index that turns byte offsets into 1-based
//! lines and columns, in Unicode scalar values for people and UTF-16 units for LSP.

pub mod notebook;

use encoding_rs::{Encoding, UTF_8};

use crate::diagnostic::Position;

/// Byte offsets of line starts, built once per file.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The byte range of 0-based `line`, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let mut end = self
            .starts
            .get(line + 1)
            .map(|next| next - 1)
            .unwrap_or(text.len());
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// 1-based line and column (in chars) of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        Position {
            line: line as u32 + 1,
            column: text[start..offset].chars().count() as u32 + 1,
        }
    }

    /// 0-based line and UTF-16 column, as LSP counts them.
    pub fn utf16_position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column: usize = text[start..offset].chars().map(char::len_utf16).sum();
        (line as u32, column as u32)
    }

    /// The byte offset of a 0-based line and UTF-16 column (clamped to the line).
    pub fn offset_of_utf16(&self, text: &str, line: u32, column: u32) -> usize {
        let line = line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line);
        let mut units = 0u32;
        for (i, ch) in text[range.clone()].char_indices() {
            if units >= column {
                return range.start + i;
            }
            units += ch.len_utf16() as u32;
        }
        range.end
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Decodes file bytes: UTF-8 (a leading byte-order mark is dropped), or the encoding
/// a PEP 263 coding declaration names on the first or second line
/// (`# -*- coding: latin-1 -*-`).
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    decode_with_encoding(bytes).map(|(text, _)| text)
}

/// As [`decode`], with the encoding the text was in (to write it back the same way).
pub fn decode_with_encoding(bytes: Vec<u8>) -> Result<(String, &'static Encoding), String> {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if let Some((label, line)) = coding_declaration(&bytes) {
        let encoding = encoding_for(&label).ok_or_else(|| {
            format!("unknown encoding `{label}` in the coding declaration on line {line}")
        })?;
        if bom && encoding != UTF_8 {
            return Err(format!(
                "the file starts with a UTF-8 byte-order mark but line {line} declares `{label}`"
            ));
        }
        if encoding != UTF_8 {
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes);
            if had_errors {
                return Err(format!(
                    "file is not valid {} (declared on line {line})",
                    encoding.name()
                ));
            }
            return Ok((text.into_owned(), encoding));
        }
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    let text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&err.as_bytes()[..offset]);
        let line = text.matches('\n').count() + 1;
        format!("file is not valid UTF-8 (first invalid byte at line {line}, byte offset {offset})")
    })?;
    Ok((text, UTF_8))
}

/// `text` in `encoding`, for writing back a file read in it. `Err` when a character
/// has no form in that encoding.
pub fn encode(text: &str, encoding: &'static Encoding) -> Result<Vec<u8>, String> {
    if encoding == UTF_8 {
        return Ok(text.as_bytes().to_vec());
    }
    let (bytes, _, unmappable) = encoding.encode(text);
    if unmappable {
        return Err(format!(
            "the fixed text has characters that {} cannot hold",
            encoding.name()
        ));
    }
    Ok(bytes.into_owned())
}

/// The encoding label a PEP 263 declaration gives, and its 1-based line: a comment
/// on line 1, or on line 2 after a comment or blank line 1, matching
/// `coding[:=]\s*([-\w.]+)`.
fn coding_declaration(bytes: &[u8]) -> Option<(String, usize)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut lines = bytes.split(|&b| b == b'\n');
    for number in 1..=2 {
        let line = lines.next()?;
        let trimmed = line.trim_ascii_start();
        if !trimmed.starts_with(b"#") {
            if number == 1 && trimmed.trim_ascii().is_empty() {
                continue;
            }
            return None;
        }
        if let Some(label) = coding_label(trimmed) {
            return Some((label, number));
        }
    }
    None
}

fn coding_label(comment: &[u8]) -> Option<String> {
    let mut rest = comment;
    while let Some(at) = rest.windows(6).position(|w| w == b"coding") {
        let after = &rest[at + 6..];
        if let Some(value) = after
            .strip_prefix(b":")
            .or_else(|| after.strip_prefix(b"="))
        {
            let value = value.trim_ascii_start();
            let end = value
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
                .unwrap_or(value.len());
            if end > 0 {
                return Some(String::from_utf8_lossy(&value[..end]).into_owned());
            }
        }
        rest = after;
    }
    None
}

/// The encoding of a Python codec name: Python's spellings (`latin-1`, `utf_8`,
/// `utf-8-sig`) and the standard labels.
fn encoding_for(label: &str) -> Option<&'static Encoding> {
    let name = label.to_ascii_lowercase().replace('_', "-");
    let name = match name.as_str() {
        "latin-1" | "latin1" | "l1" | "iso-8859-1" | "iso8859-1" | "8859" | "cp819" => "iso-8859-1",
        "utf-8-sig" | "utf8-sig" | "utf8" | "utf-8" | "u8" => "utf-8",
        "ascii" | "us-ascii" | "646" => "us-ascii",
        other => other,
    };
    Encoding::for_label(name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_chars_and_utf16() {
        let text = "a = 1\né𝄞x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), Position { line: 2, column: 3 });
        assert_eq!(index.utf16_position(text, x), (1, 3));
        assert_eq!(index.offset_of_utf16(text, 1, 3), x);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(
            index.position(text, text.len()),
            Position { line: 3, column: 1 }
        );
    }

    #[test]
    fn coding_declarations_are_honoured() {
        let latin = b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n".to_vec();
        let (text, encoding) = decode_with_encoding(latin.clone()).unwrap();
        assert!(text.ends_with("name = '\u{e9}t\u{e9}'\n"), "{text}");
        assert_eq!(encode(&text, encoding).unwrap(), latin);
        let second = b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '\x93'\n";
        assert!(decode(second.to_vec()).unwrap().contains('\u{201c}'));
        // Not on the first two lines, or after code: not a declaration.
        let late = b"import os\n# coding: latin-1\nx = '\xe9'\n";
        assert!(
            decode(late.to_vec())
                .unwrap_err()
                .contains("not valid UTF-8")
        );
        let unknown = decode(b"# coding: klingon\n".to_vec()).unwrap_err();
        assert_eq!(
            unknown,
            "unknown encoding `klingon` in the coding declaration on line 1"
        );
        let clash = decode(b"\xEF\xBB\xBF# coding: latin-1\n".to_vec()).unwrap_err();
        assert!(clash.contains("byte-order mark"), "{clash}");
        assert_eq!(
            decode(b"\xEF\xBB\xBF# coding: utf-8\nx\n".to_vec()).unwrap(),
            "# coding: utf-8\nx\n"
        );
        assert!(encode("\u{4e2d}", encoding).is_err());
    }

    #[test]
    fn crlf_lines_and_columns() {
        let text = "a = 1\r\nbb = x.collect()\r\n";
        let index = LineIndex::new(text);
        let at = text.find("x.").unwrap();
        assert_eq!(index.position(text, at), Position { line: 2, column: 6 });
        assert_eq!(index.line_range(text, 0), 0..5);
        assert_eq!(index.line_count(), 3);
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = decode(b"ok\n\xff\n".to_vec()).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert_eq!(decode(b"\xEF\xBB\xBFx".to_vec()).unwrap(), "x");
    }
}
