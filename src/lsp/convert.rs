//! From the engine's plain data to the protocol's: byte offsets to LSP positions
//! (0-based lines, UTF-16 columns), and a `Diagnostic` to an LSP diagnostic.

use std::ops::Range;

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::unused_suppression::UNUSED_SUPPRESSION;
use crate::source::LineIndex;

/// The name every diagnostic gives as its `source`.
pub const SOURCE: &str = "sparkguard";

pub fn position(text: &str, index: &LineIndex, offset: usize) -> Value {
    let (line, character) = index.utf16_position(text, offset);
    json!({"line": line, "character": character})
}

pub fn range(text: &str, index: &LineIndex, range: &Range<usize>) -> Value {
    json!({
        "start": position(text, index, range.start),
        "end": position(text, index, range.end.max(range.start)),
    })
}

fn severity(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Info => 3,
    }
}

/// A place `relatedInformation` points at: the document, its range, what is there.
pub struct RelatedPlace {
    pub uri: String,
    pub range: Value,
    pub message: String,
}

/// The LSP form of `diagnostic`, whose byte ranges point into `text`. The help line
/// follows the message (editors show both); `data` keeps the rule's name and help
/// apart for clients that want them.
pub fn diagnostic(
    diagnostic: &Diagnostic,
    text: &str,
    index: &LineIndex,
    related: Vec<RelatedPlace>,
) -> Value {
    let mut out = json!({
        "range": range(text, index, &diagnostic.range),
        "severity": severity(diagnostic.severity),
        "code": diagnostic.code,
        "source": SOURCE,
        "message": format!("{}\nhelp: {}", diagnostic.message, diagnostic.help),
        "data": {
            "name": diagnostic.name,
            "help": diagnostic.help,
            "fixable": diagnostic.fix.as_ref().is_some_and(|fix| fix.safe),
        },
    });
    if diagnostic.code == UNUSED_SUPPRESSION.code {
        // An unused suppression is code that does nothing: editors grey it out.
        out["tags"] = json!([1]);
    }
    if !related.is_empty() {
        out["relatedInformation"] = related
            .into_iter()
            .map(|place| {
                json!({
                    "location": {"uri": place.uri, "range": place.range},
                    "message": place.message,
                })
            })
            .collect();
    }
    out
}

/// A diagnostic for a document that could not be checked at all (a notebook whose
/// JSON is broken): at the start, with the reason.
pub fn unreadable(message: &str) -> Value {
    json!({
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "severity": 1,
        "source": SOURCE,
        "message": message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_utf16_on_non_ascii_lines() {
        let text = "x = 'é𝄞'; rows = df.collect()\n";
        let index = LineIndex::new(text);
        let at = text.find("df").unwrap();
        // é is one unit, 𝄞 two: "df" is 17 characters but 18 UTF-16 units in.
        assert_eq!(
            position(text, &index, at),
            json!({"line": 0, "character": 18})
        );
        assert_eq!(text[..at].chars().count(), 17);
    }
}
