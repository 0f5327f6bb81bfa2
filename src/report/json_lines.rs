//! `json-lines`: one compact JSON object per finding per line, for streaming
//! consumers. Same object shape as `json`.

use std::io::{self, Write};

use super::json::Record;
use crate::diagnostic::Diagnostic;

pub fn render(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in diagnostics {
        serde_json::to_writer(&mut *out, &Record::new(diagnostic))?;
        writeln!(out)?;
    }
    Ok(())
}
