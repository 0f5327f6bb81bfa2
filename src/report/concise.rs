//! `concise`: one line per finding, `path:line:col: CODE message`, the shape editors
//! and `grep` understand.

use std::io::{self, Write};

use crate::diagnostic::Diagnostic;

pub fn render(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in diagnostics {
        writeln!(
            out,
            "{}:{}:{}: {} {}",
            diagnostic.path,
            diagnostic.start.line,
            diagnostic.start.column,
            diagnostic.code,
            diagnostic.message
        )?;
    }
    Ok(())
}
