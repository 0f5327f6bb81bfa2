//! `gitlab`: a GitLab Code Quality report (a JSON array in the Code Climate issue
//! shape), which a CI job publishes as `artifacts:reports:codequality`. GitLab
//! compares reports of the source and target branches by `fingerprint`, so each is the
//! shared line-move-stable fingerprint; paths are relative to the repository root, as
//! GitLab resolves them.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Checked;
use crate::diagnostic::Severity;
use crate::rules;

pub fn render(checked: &Checked<'_>, out: &mut dyn Write) -> io::Result<()> {
    let fingerprints = checked.fingerprints;
    let issues: Vec<Value> = checked
        .diagnostics
        .iter()
        .zip(fingerprints)
        .map(|(diagnostic, fingerprint)| {
            let family = rules::by_code(diagnostic.code).map_or("meta", |rule| rule.family());
            json!({
                "type": "issue",
                "description": format!("{}: {}", diagnostic.code, diagnostic.message),
                "check_name": diagnostic.code,
                "content": { "body": format!("`{}`: {}", diagnostic.name, diagnostic.help) },
                "categories": categories(family),
                "fingerprint": fingerprint.hash,
                "severity": severity(diagnostic.severity),
                "location": {
                    "path": fingerprint.path,
                    "lines": { "begin": diagnostic.start.line, "end": diagnostic.end.line },
                },
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

/// GitLab's five levels; sparkguard's three map onto the middle ones.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// Code Climate categories of a rule family.
fn categories(family: &str) -> &'static [&'static str] {
    match family {
        "driver-collection" | "broadcast" | "driver-config" => &["Bug Risk", "Performance"],
        "stage-heavy" => &["Performance"],
        _ => &["Style"],
    }
}
