//! `--statistics`: how many findings each rule produced, instead of the findings.
//! Text is `count  code  [*] name`, one rule per line (`[*]` when some of the rule's
//! findings have a safe fix, which `--fix` applies), then the total; `json` is an
//! array of `{code, name, count, fixable}` and `json-lines` one such object per line.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::OutputFormat;
use crate::diagnostic::Diagnostic;

/// One rule's count.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub code: &'static str,
    pub name: &'static str,
    pub count: usize,
    /// How many of them have a fix that `--fix` applies.
    pub fixable: usize,
}

/// Whether `--fix` applies the finding's fix.
fn fixable(diagnostic: &Diagnostic) -> bool {
    diagnostic.fix.as_ref().is_some_and(|fix| fix.safe)
}

/// The counts, most frequent first, ties by code.
pub fn count(diagnostics: &[Diagnostic]) -> Vec<RuleCount> {
    let mut by_code: BTreeMap<&'static str, RuleCount> = BTreeMap::new();
    for diagnostic in diagnostics {
        by_code.entry(diagnostic.code).or_insert(RuleCount {
            code: diagnostic.code,
            name: diagnostic.name,
            count: 0,
            fixable: 0,
        });
        let entry = by_code.get_mut(diagnostic.code).expect("just inserted");
        entry.count += 1;
        entry.fixable += usize::from(fixable(diagnostic));
    }
    let mut counts: Vec<RuleCount> = by_code.into_values().collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    counts
}

pub fn render(
    format: OutputFormat,
    diagnostics: &[Diagnostic],
    out: &mut dyn Write,
) -> io::Result<()> {
    let counts = count(diagnostics);
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &counts)?;
            writeln!(out)
        }
        OutputFormat::JsonLines => {
            for count in &counts {
                serde_json::to_writer(&mut *out, count)?;
                writeln!(out)?;
            }
            Ok(())
        }
        // Every other format is read by people: aligned columns.
        _ => {
            let width = counts
                .iter()
                .map(|count| count.count.to_string().len())
                .max()
                .unwrap_or(1);
            let any_fixable = counts.iter().any(|count| count.fixable > 0);
            for count in &counts {
                // The marker column only when something is fixable, so lists
                // without fixes read as before.
                let marker = match (any_fixable, count.fixable > 0) {
                    (false, _) => "",
                    (true, true) => "[*] ",
                    (true, false) => "    ",
                };
                writeln!(
                    out,
                    "{:>width$}  {}  {marker}{}",
                    count.count, count.code, count.name
                )?;
            }
            let total: usize = counts.iter().map(|count| count.count).sum();
            let fixable: usize = counts.iter().map(|count| count.fixable).sum();
            let findings = if total == 1 { "finding" } else { "findings" };
            write!(out, "Found {total} {findings}.")?;
            if fixable > 0 {
                write!(out, " [*] {fixable} fixable with --fix.")?;
            }
            writeln!(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::finding;

    #[test]
    fn most_frequent_first_then_by_code() {
        let text = "a.collect()\n";
        let one = |code: &'static str| Diagnostic {
            code,
            ..finding("a.py", text, "collect()")
        };
        let diagnostics = [one("SG301"), one("SG102"), one("SG102"), one("SG101")];
        let codes: Vec<(&str, usize)> = count(&diagnostics)
            .iter()
            .map(|count| (count.code, count.count))
            .collect();
        assert_eq!(codes, [("SG102", 2), ("SG101", 1), ("SG301", 1)]);
    }

    #[test]
    fn counts_are_right_aligned() {
        let text = "a.collect()\n";
        let mut diagnostics = vec![finding("a.py", text, "collect()"); 10];
        diagnostics.push(Diagnostic {
            code: "SG102",
            name: "topandas-to-driver",
            ..finding("a.py", text, "collect()")
        });
        let mut out = Vec::new();
        render(OutputFormat::Concise, &diagnostics, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "10  SG101  collect-to-driver\n 1  SG102  topandas-to-driver\nFound 11 findings.\n"
        );
    }

    #[test]
    fn rules_with_a_safe_fix_are_marked_and_counted() {
        let text = "a.collect()\n";
        let fix = crate::diagnostic::Fix {
            title: "count instead".to_string(),
            edits: Vec::new(),
            safe: true,
        };
        let diagnostics = vec![
            Diagnostic {
                fix: Some(fix),
                ..finding("a.py", text, "collect()")
            },
            Diagnostic {
                code: "SG102",
                name: "topandas-to-driver",
                ..finding("a.py", text, "collect()")
            },
        ];
        let mut out = Vec::new();
        render(OutputFormat::Concise, &diagnostics, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1  SG101  [*] collect-to-driver\n1  SG102      topandas-to-driver\n\
             Found 2 findings. [*] 1 fixable with --fix.\n"
        );
    }
}
