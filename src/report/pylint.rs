//! `pylint`: `path:line: [CODE] message`, the shape of pylint's parseable output that
//! many editors and CI log parsers match. Lines are those of the file on disk (for a
//! Jupyter notebook, of the `.ipynb` JSON), so the pattern always holds.

use std::io::{self, Write};

use crate::diagnostic::Diagnostic;

pub fn render(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in diagnostics {
        writeln!(
            out,
            "{}:{}: [{}] {}",
            diagnostic.path, diagnostic.start.line, diagnostic.code, diagnostic.message
        )?;
    }
    Ok(())
}
