//! Finds and validates `sparkguard.toml`, `.sparkguard.toml` and `[tool.sparkguard]`
//! in `pyproject.toml`, and resolves them into the `Settings` one file is checked with.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Severity;
use crate::rules::Rule;

/// The settings one file is checked with.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The directory of the config file these settings came from (globs are relative
    /// to it), or the current directory when there is none.
    pub root: PathBuf,
    /// Codes or code prefixes (`SG1`, `SG101`) to run; empty means all.
    pub select: Vec<String>,
    /// Codes or code prefixes never to run.
    pub ignore: Vec<String>,
    /// Counts at or below this are small for `take(n)`, `head(n)`, `limit(n)`.
    pub take_threshold: i64,
    pub severity: HashMap<String, Severity>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            root: PathBuf::from("."),
            select: Vec::new(),
            ignore: Vec::new(),
            take_threshold: 10_000,
            severity: HashMap::new(),
        }
    }
}

impl Settings {
    /// Whether `rule` runs on `path`.
    pub fn rule_enabled(&self, rule: &Rule, _path: &Path) -> bool {
        let selected =
            self.select.is_empty() || self.select.iter().any(|p| rule.code.starts_with(p.as_str()));
        selected && !self.ignore.iter().any(|p| rule.code.starts_with(p.as_str()))
    }

    pub fn severity_of(&self, rule: &Rule) -> Severity {
        self.severity.get(rule.code).copied().unwrap_or(rule.severity)
    }
}
