//! `concise`: one line per finding, `path:line:col: CODE message`, the shape editors
//! and `grep` understand. A Jupyter notebook's lines are JSON, meaningless to a
//! reader, so its findings name the cell instead: `path:cell 3:line 2: CODE message`.

use std::io::{self, Write};

use crate::diagnostic::Diagnostic;

pub fn render(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in diagnostics {
        match diagnostic.cell {
            Some(cell) if diagnostic.path.ends_with(".ipynb") => writeln!(
                out,
                "{}:cell {}:line {}: {} {}",
                diagnostic.path, cell.cell, cell.line, diagnostic.code, diagnostic.message
            )?,
            _ => writeln!(
                out,
                "{}:{}:{}: {} {}",
                diagnostic.path,
                diagnostic.start.line,
                diagnostic.start.column,
                diagnostic.code,
                diagnostic.message
            )?,
        }
    }
    Ok(())
}
