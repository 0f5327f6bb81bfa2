//! `github`: GitHub Actions workflow commands. Each line becomes an annotation on the
//! flagged line of the pull request:
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE (name)::MESSAGE`.

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};

pub fn render(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in diagnostics {
        // GitHub has no "info" level; `notice` is its mildest annotation.
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // The help goes on a second line of the annotation (an escaped newline), so
        // the remedy is shown right under what was found.
        let message = format!("{}\nhelp: {}", diagnostic.message, diagnostic.help);
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&diagnostic.path),
            diagnostic.start.line,
            diagnostic.start.column,
            diagnostic.end.line,
            diagnostic.end.column,
            escape_property(&format!("{} ({})", diagnostic.code, diagnostic.name)),
            escape_data(&message),
        )?;
    }
    Ok(())
}

/// Escapes the message part of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a `key=value` property: the message escapes plus the separators `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_separators_only_in_properties() {
        assert_eq!(escape_property("a%b,c:d\r\n"), "a%25b%2Cc%3Ad%0D%0A");
        assert_eq!(escape_data("a%b,c:d\r\n"), "a%25b,c:d%0D%0A");
    }
}
