//! `azure`: Azure Pipelines logging commands. Each line becomes an issue on the run,
//! linked to the file and line:
//! `##vso[task.logissue type=error;sourcepath=PATH;linenumber=L;columnnumber=C;code=CODE;]MESSAGE`.

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};

pub fn render(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in diagnostics {
        // Azure knows errors and warnings only.
        let kind = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning | Severity::Info => "warning",
        };
        writeln!(
            out,
            "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={};]{}",
            escape_property(&diagnostic.path),
            diagnostic.start.line,
            diagnostic.start.column,
            escape_property(diagnostic.code),
            escape_data(&format!(
                "{} ({}): {}",
                diagnostic.code, diagnostic.name, diagnostic.message
            )),
        )?;
    }
    Ok(())
}

/// Escapes the message of a logging command: `%` first, so the escapes that follow
/// are not escaped again, then the line breaks that would end the command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus the separators `;` and `]`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(';', "%3B").replace(']', "%5D")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_separators_only_in_properties() {
        assert_eq!(escape_property("a%b;c]d\r\n"), "a%AZP25b%3Bc%5Dd%0D%0A");
        assert_eq!(escape_data("a%b;c]d\r\n"), "a%AZP25b;c]d%0D%0A");
    }
}
