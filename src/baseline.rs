//! The baseline: a file recording the findings a project has accepted for now, so that
//! a check reports only the new ones. `--write-baseline FILE` records the current
//! findings; `--baseline FILE` hides those it holds.
//!
//! Entries match by fingerprint (see [`crate::report::fingerprint`]), which leaves
//! line numbers out: lines inserted above a recorded finding do not bring it back.
//! The file is JSON, its entries sorted and free of line numbers and messages, so
//! re-writing it after edits that do not add or remove findings gives the same bytes,
//! and a diff of it in review shows exactly the findings that came or went.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::report::fingerprint::Fingerprint;

/// The format version written and accepted.
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct File {
    sparkguard_baseline: u32,
    findings: Vec<Entry>,
}

/// One recorded finding. Only `fingerprint` decides a match; the rest is for people
/// reading the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Entry {
    path: String,
    code: String,
    #[serde(default)]
    line: String,
    fingerprint: String,
}

/// The fingerprints a baseline file holds.
#[derive(Debug, Default)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

impl Baseline {
    /// Reads the baseline at `path`; the error names the file and what is wrong.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("{shown}: cannot read the baseline: {err}"))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|err| format!("{shown}: not a sparkguard baseline: {err}"))?;
        if file.sparkguard_baseline != VERSION {
            return Err(format!(
                "{shown}: baseline format {} is not supported (this sparkguard reads format {VERSION})",
                file.sparkguard_baseline
            ));
        }
        Ok(Baseline {
            fingerprints: file
                .findings
                .into_iter()
                .map(|entry| entry.fingerprint)
                .collect(),
        })
    }

    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }

    /// Whether the baseline holds the finding with this fingerprint.
    pub fn contains(&self, fingerprint: &Fingerprint) -> bool {
        self.fingerprints.contains(&fingerprint.hash)
    }
}

/// The baseline text for `diagnostics` and their fingerprints (same order).
pub fn to_text(diagnostics: &[Diagnostic], fingerprints: &[Fingerprint]) -> String {
    let mut findings: Vec<Entry> = diagnostics
        .iter()
        .zip(fingerprints)
        .map(|(diagnostic, fingerprint)| Entry {
            path: fingerprint.path.clone(),
            code: diagnostic.code.to_string(),
            line: fingerprint.line.clone(),
            fingerprint: fingerprint.hash.clone(),
        })
        .collect();
    findings.sort();
    let file = File {
        sparkguard_baseline: VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("a baseline serializes");
    text.push('\n');
    text
}

/// Writes the baseline for `diagnostics` to `path`, replacing the file atomically so
/// an interrupted run never leaves half a baseline.
pub fn write(
    path: &Path,
    diagnostics: &[Diagnostic],
    fingerprints: &[Fingerprint],
) -> Result<(), String> {
    let shown = path.display();
    let fail = |err: std::io::Error| format!("{shown}: cannot write the baseline: {err}");
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    temporary
        .write_all(to_text(diagnostics, fingerprints).as_bytes())
        .map_err(fail)?;
    temporary.persist(path).map_err(|err| fail(err.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::report::Sources;
    use crate::report::artifact::ProjectRoot;
    use crate::report::fingerprint::fingerprints;
    use crate::report::tests::finding;

    #[test]
    fn written_entries_are_sorted_and_read_back() {
        let text = "b = df.collect()\na = df.collect()\n";
        let diagnostics = vec![
            finding("job.py", text, "collect()"),
            Diagnostic {
                range: 21..30,
                ..finding("job.py", text, "collect()")
            },
        ];
        let mut sources = Sources::new();
        sources.insert("job.py", text);
        let root = ProjectRoot::new(PathBuf::from("/repo"), PathBuf::from("/repo"));
        let found = fingerprints(&diagnostics, &sources, &root);
        let written = to_text(&diagnostics, &found);
        let first = written.find("a = df.collect()").unwrap();
        let second = written.find("b = df.collect()").unwrap();
        assert!(first < second, "{written}");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        write(&path, &diagnostics, &found).unwrap();
        let baseline = Baseline::read(&path).unwrap();
        assert_eq!(baseline.len(), 2);
        assert!(found.iter().all(|f| baseline.contains(f)));
    }

    #[test]
    fn a_file_that_is_not_a_baseline_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        std::fs::write(&path, "[1, 2]").unwrap();
        let err = Baseline::read(&path).unwrap_err();
        assert!(
            err.contains("baseline.json: not a sparkguard baseline"),
            "{err}"
        );
        std::fs::write(&path, r#"{"sparkguard-baseline": 9, "findings": []}"#).unwrap();
        let err = Baseline::read(&path).unwrap_err();
        assert!(err.contains("format 9 is not supported"), "{err}");
    }
}
