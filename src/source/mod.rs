//! Source text and positions: decoding bytes into text (invalid UTF-8 is a per-file
//! error, never a crash) and the line index that turns byte offsets into 1-based
//! lines and columns, in Unicode scalar values for people and UTF-16 units for LSP.

pub mod notebook;

use crate::diagnostic::Position;

/// Byte offsets of line starts, built once per file.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
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

/// Decodes file bytes as UTF-8 (a leading byte-order mark is dropped).
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&err.as_bytes()[..offset]);
        let line = text.matches('\n').count() + 1;
        format!("file is not valid UTF-8 (first invalid byte at line {line}, byte offset {offset})")
    })
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
    fn invalid_utf8_names_the_line() {
        let err = decode(b"ok\n\xff\n".to_vec()).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert_eq!(decode(b"\xEF\xBB\xBFx".to_vec()).unwrap(), "x");
    }
}
