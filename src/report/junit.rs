//! `junit`: JUnit XML, for CI systems that show test reports (GitLab's
//! `artifacts:reports:junit`, Jenkins, Azure Pipelines). Each checked file is a test
//! case that passes when it has no findings; each finding is a `<failure>` of its
//! file's case; a file that could not be checked is an `<error>`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::Checked;
use crate::diagnostic::Diagnostic;

pub fn render(checked: &Checked<'_>, out: &mut dyn Write) -> io::Result<()> {
    // Every checked file, with its findings (already in output order) and errors.
    let mut cases: BTreeMap<&str, (Vec<&Diagnostic>, Vec<&str>)> = BTreeMap::new();
    for path in checked.sources.paths() {
        cases.entry(path).or_default();
    }
    for diagnostic in checked.diagnostics {
        cases
            .entry(&diagnostic.path)
            .or_default()
            .0
            .push(diagnostic);
    }
    for error in checked.errors {
        cases
            .entry(&error.display_path)
            .or_default()
            .1
            .push(&error.message);
    }
    let tests = cases.len();
    let failures = checked.diagnostics.len();
    let errors = checked.errors.len();
    let counts = format!(r#"tests="{tests}" failures="{failures}" errors="{errors}""#);

    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="sparkguard" {counts}>"#)?;
    writeln!(out, r#"  <testsuite name="sparkguard" {counts}>"#)?;
    for (path, (diagnostics, messages)) in &cases {
        let path = escape(path);
        write!(
            out,
            r#"    <testcase name="{path}" classname="sparkguard" file="{path}""#
        )?;
        if diagnostics.is_empty() && messages.is_empty() {
            writeln!(out, "/>")?;
            continue;
        }
        writeln!(out, ">")?;
        for diagnostic in diagnostics {
            let position = match diagnostic.cell {
                Some(cell) if diagnostic.path.ends_with(".ipynb") => {
                    format!("cell {}:line {}", cell.cell, cell.line)
                }
                _ => format!("{}:{}", diagnostic.start.line, diagnostic.start.column),
            };
            let body = format!(
                "{}:{position}: {} ({}) {}\nhelp: {}",
                diagnostic.path,
                diagnostic.code,
                diagnostic.name,
                diagnostic.message,
                diagnostic.help
            );
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                diagnostic.code,
                escape(&format!("{} {}", diagnostic.code, diagnostic.message)),
                escape(&body)
            )?;
        }
        for message in messages {
            writeln!(out, r#"      <error message="{}"/>"#, escape(message))?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// Escapes text for an XML attribute or element. Characters XML 1.0 forbids
/// (control characters other than tab and line breaks) become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"'\u{1}\n"),
            "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}&#10;"
        );
    }
}
