//! `grouped`: the findings under a header line per file, each as
//! `  line:col CODE message`, a blank line between files. Notebook findings name the
//! cell (`  cell 2:line 4 CODE message`), as `concise` does.

use std::io::{self, Write};

use crate::diagnostic::Diagnostic;

pub fn render(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    // The findings are sorted by path, so each file's are together.
    let mut current: Option<&str> = None;
    for diagnostic in diagnostics {
        if current != Some(diagnostic.path.as_str()) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}:", diagnostic.path)?;
            current = Some(&diagnostic.path);
        }
        let position = match diagnostic.cell {
            Some(cell) if diagnostic.path.ends_with(".ipynb") => {
                format!("cell {}:line {}", cell.cell, cell.line)
            }
            _ => format!("{}:{}", diagnostic.start.line, diagnostic.start.column),
        };
        writeln!(
            out,
            "  {position} {} {}",
            diagnostic.code, diagnostic.message
        )?;
    }
    Ok(())
}
