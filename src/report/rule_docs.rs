//! What `sparkguard rule CODE` and `sparkguard rules` print: a rule's metadata and
//! docs, from the same text every other surface uses.

use std::io::{self, Write};

use serde::Serialize;

use crate::rules::Rule;

/// How `rule` and `rules` print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DocsFormat {
    /// Plain text for people
    #[default]
    Text,
    /// JSON objects with `code`, `name`, `severity`, `help` and `docs`
    Json,
}

#[derive(Debug, Serialize)]
struct RuleRecord<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    help: &'a str,
    docs: String,
}

impl<'a> RuleRecord<'a> {
    fn new(rule: &'a Rule) -> Self {
        RuleRecord {
            code: rule.code,
            name: rule.name,
            severity: rule.severity.as_str(),
            help: rule.help,
            docs: rule.docs_text(),
        }
    }
}

/// One rule: a header line with its code, name and default severity, then its docs.
pub fn render_rule(rule: &Rule, format: DocsFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        DocsFormat::Text => {
            writeln!(
                out,
                "{} {} (default severity: {})",
                rule.code,
                rule.name,
                rule.severity.as_str()
            )?;
            writeln!(out)?;
            writeln!(out, "{}", rule.docs_text())
        }
        DocsFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &RuleRecord::new(rule))?;
            writeln!(out)
        }
    }
}

/// Every rule, one per line: `CODE  name  help`, names padded so the help lines up.
pub fn render_rules(rules: &[&Rule], format: DocsFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        DocsFormat::Text => {
            let width = rules.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
            for rule in rules {
                writeln!(out, "{}  {:<width$}  {}", rule.code, rule.name, rule.help)?;
            }
            Ok(())
        }
        DocsFormat::Json => {
            let records: Vec<RuleRecord<'_>> =
                rules.iter().map(|rule| RuleRecord::new(rule)).collect();
            serde_json::to_writer_pretty(&mut *out, &records)?;
            writeln!(out)
        }
    }
}
