//! `json-lines`: one compact JSON object per finding per line, for streaming
//! consumers. Same object shape as `json`.

use std::io::{self, Write};

use super::Sources;
use super::json::Record;
use crate::diagnostic::Diagnostic;

pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for diagnostic in diagnostics {
        let record = Record::new(diagnostic, sources.get(&diagnostic.path).as_deref());
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    Ok(())
}
