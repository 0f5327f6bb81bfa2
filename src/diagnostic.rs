//! The plain data every stage after the rules passes along: one finding, with its
//! rule, where it is and what to do about it. Renderers, the LSP server and tests
//! read this type; nothing here knows how a finding is displayed.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// How loudly a finding speaks. Every finding makes `check` exit 1 whatever its
/// severity; the severity is for editors and review bots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// A 1-based line and 1-based column counted in Unicode scalar values.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Where a finding sits inside a notebook: the 1-based cell (every cell counts,
/// markdown included) and the 1-based line inside that cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellPosition {
    pub cell: u32,
    pub line: u32,
}

/// One replacement of a byte range of the checked text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// A fix: the edits that together rewrite the flagged code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    /// Only safe fixes are applied by `--fix`; the others are shown, never written.
    pub safe: bool,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// The path as the user should see it: as given on the command line, or
    /// relative to the current directory.
    pub path: String,
    /// Byte range in the checked text.
    pub range: Range<usize>,
    /// Positions in the file on disk (for a Jupyter notebook: in the `.ipynb` JSON).
    pub start: Position,
    pub end: Position,
    /// What was found, one line, lowercase, no trailing period.
    pub message: String,
    /// The distributed alternative.
    pub help: String,
    pub fix: Option<Fix>,
    /// The notebook view of `start`, for notebooks only.
    pub cell: Option<CellPosition>,
    /// Other places the message speaks of (where the data was read, the first
    /// action), for editors and review bots that can point at them.
    pub related: Vec<Related>,
}

/// A second position a finding's message names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// Byte range in the checked text.
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    /// What is there, in a few words ("first action on `df`").
    pub message: String,
    /// The notebook view of `start`, for notebooks only.
    pub cell: Option<CellPosition>,
}

impl Diagnostic {
    /// The order every output uses: path, line, column, code.
    pub fn sort_key(&self) -> (&str, u32, u32, &'static str) {
        (&self.path, self.start.line, self.start.column, self.code)
    }
}
