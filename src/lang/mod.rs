//! The languages sparkguard reads: their grammars, comment syntax, file extensions,
//! the rule queries written for them, and their Spark API tables.

pub mod node;
pub mod python;
pub mod scala;

use std::path::Path;

pub use node::{FastMap, NodeExt};

/// A language sparkguard analyses.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Language {
    Python,
    Scala,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Python, Language::Scala];

    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Scala => "scala",
        }
    }

    pub fn grammar(self) -> tree_sitter::Language {
        match self {
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::Scala => tree_sitter_scala::LANGUAGE.into(),
        }
    }

    /// The line-comment marker.
    pub fn comment_prefix(self) -> &'static str {
        match self {
            Language::Python => "#",
            Language::Scala => "//",
        }
    }

    /// Whether `text` may be Spark code: it names a Spark package somewhere. The
    /// model decides for real from the imports; this only lets the engine skip
    /// files that cannot be.
    pub fn may_be_spark(self, text: &str) -> bool {
        let markers: &[&str] = match self {
            // `delta` alone would match every `timedelta`.
            Language::Python => &["pyspark", "from delta", "import delta", "dlt", "databricks"],
            Language::Scala => &["org.apache.spark", "io.delta", "com.databricks"],
        };
        markers.iter().any(|marker| text.contains(marker))
    }

    /// The rule queries for this language: (rule name, query source). Each file is
    /// `queries/<language>/<rule-name>.scm`.
    pub fn queries(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Language::Python => python::QUERIES,
            Language::Scala => scala::QUERIES,
        }
    }
}

/// What a path holds, judged by its extension.
pub fn language_of_path(path: &Path) -> Option<Language> {
    match path.extension()?.to_str()? {
        "py" | "pyi" => Some(Language::Python),
        "scala" | "sc" => Some(Language::Scala),
        _ => None,
    }
}
