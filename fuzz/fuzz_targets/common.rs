//! What every target asserts about a checked text: findings lie inside it, on
//! character boundaries, with positions that agree with their byte ranges.

#![allow(dead_code)]

use std::path::Path;

use sparkguard::config::Settings;
use sparkguard::diagnostic::Diagnostic;
use sparkguard::engine;
use sparkguard::source::LineIndex;

/// Checks `text` as the file `name`; an error (not a notebook, too deep) is fine.
pub fn check_as(name: &str, text: &str) -> Vec<Diagnostic> {
    match engine::check_text(Path::new(name), name, text, &Settings::default()) {
        Ok(diagnostics) => {
            assert_inside(text, &diagnostics);
            diagnostics
        }
        Err(message) => {
            assert!(!message.is_empty());
            Vec::new()
        }
    }
}

pub fn assert_inside(text: &str, diagnostics: &[Diagnostic]) {
    let index = LineIndex::new(text);
    for d in diagnostics {
        assert!(
            d.range.start <= d.range.end && d.range.end <= text.len(),
            "{}: range {:?} outside a text of {} bytes",
            d.code,
            d.range,
            text.len()
        );
        assert!(text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end));
        assert!(d.start <= d.end, "{}: start {:?} after end {:?}", d.code, d.start, d.end);
        assert!(d.start.line >= 1 && d.start.column >= 1);
        assert!((d.end.line as usize) <= index.line_count());
        assert!(!d.message.is_empty() && !d.message.ends_with('.'));
    }
}

/// The text of fuzz bytes: lossy, so every input reaches the analysis.
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}
