//! The Spark model of one file: what every rule needs to know, computed once and
//! shared. Which expressions are Spark values (a session, a DataFrame, an RDD, ...),
//! whether a dataset is evidently small, which integers and strings are known
//! constants, and whether the file is Spark code at all.
//!
//! The facts are language-neutral (`Value`, `Kind`); each language reads its own
//! syntax into them (`python`), and the Spark API table (`api`) says what each method
//! returns.

pub mod api;
pub mod python;
pub mod scala;
pub mod scope;
pub mod sql;

use tree_sitter::{Node, Tree};

use crate::lang::Language;

/// What a Spark-aware reader knows an expression to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Nothing is known.
    Unknown,
    Session,
    Context,
    /// `SparkSession.builder` and its configuration chain.
    Builder,
    /// `spark.read` / `readStream` and their options.
    Reader,
    /// `df.write` and its options.
    Writer,
    /// A DataFrame or Dataset.
    DataFrame,
    Rdd,
    /// Grouped data; `global` when grouped by no key (one group in all).
    Grouped {
        global: bool,
    },
    Broadcast,
    /// A pandas DataFrame or Series: local data, never distributed.
    Pandas,
    /// A Delta table handle (`DeltaTable.forPath`).
    DeltaTable,
    /// A known value that is not Spark data: a number, a list, a local result.
    Other,
}

/// The model's verdict on one expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Value {
    pub kind: Kind,
    /// Evidently small: limited, aggregated to one row, or built from literal data.
    /// Unknown size is not bounded.
    pub bounded: bool,
}

impl Value {
    pub const UNKNOWN: Value = Value::of(Kind::Unknown);
    pub const OTHER: Value = Value::of(Kind::Other);

    pub const fn of(kind: Kind) -> Value {
        Value {
            kind,
            bounded: false,
        }
    }

    pub const fn bounded(kind: Kind) -> Value {
        Value {
            kind,
            bounded: true,
        }
    }

    pub fn with_bounded(self, bounded: bool) -> Value {
        Value { bounded, ..self }
    }

    /// A DataFrame, Dataset or RDD: data that lives on the executors.
    pub fn is_distributed(self) -> bool {
        matches!(self.kind, Kind::DataFrame | Kind::Rdd)
    }

    /// Distributed data of unknown or large size.
    pub fn is_unbounded_data(self) -> bool {
        self.is_distributed() && !self.bounded
    }

    /// What the value is, for messages.
    pub fn describe(self) -> &'static str {
        match self.kind {
            Kind::Rdd => "RDD",
            _ => "DataFrame",
        }
    }
}

/// Settings the model depends on.
#[derive(Clone, Copy, Debug)]
pub struct ModelOptions {
    /// Counts at or below this are small (`limit(n)`, `take(n)`, `spark.range(n)`).
    pub small_count: i64,
    /// The file is a notebook: `spark` and `sc` are predefined and no import is needed.
    pub notebook: bool,
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            small_count: 10_000,
            notebook: false,
        }
    }
}

/// A comment in the file, for suppressions.
#[derive(Clone, Debug)]
pub struct Comment {
    pub range: std::ops::Range<usize>,
    /// The comment stands alone on its line (it applies to the next line).
    pub own_line: bool,
}

/// The model of one file.
pub enum SparkModel<'tree> {
    Python(python::PythonModel<'tree>),
    Scala(scala::ScalaModel<'tree>),
}

/// Calls the same method on whichever language's model this is.
macro_rules! dispatch {
    ($self:ident, $model:ident => $body:expr) => {
        match $self {
            SparkModel::Python($model) => $body,
            SparkModel::Scala($model) => $body,
        }
    };
}

impl<'tree> SparkModel<'tree> {
    pub fn build(
        language: Language,
        text: &'tree str,
        tree: &'tree Tree,
        options: ModelOptions,
    ) -> SparkModel<'tree> {
        match language {
            Language::Python => SparkModel::Python(python::PythonModel::build(text, tree, options)),
            Language::Scala => SparkModel::Scala(scala::ScalaModel::build(text, tree, options)),
        }
    }

    /// Whether Spark rules apply: the file imports Spark (or is a notebook).
    pub fn is_spark_code(&self) -> bool {
        dispatch!(self, model => model.is_spark_code())
    }

    /// What the expression `node` is.
    pub fn value(&self, node: Node<'tree>) -> Value {
        dispatch!(self, model => model.value(node))
    }

    /// The integer `node` evaluates to, when it is a known constant.
    pub fn int_value(&self, node: Node<'tree>) -> Option<i64> {
        dispatch!(self, model => model.int_value(node))
    }

    /// The text `node` evaluates to, when it is a known string constant.
    pub fn string_value(&self, node: Node<'tree>) -> Option<String> {
        dispatch!(self, model => model.string_value(node))
    }

    /// The argument at `index` of a call's argument list, or the keyword argument
    /// named one of `keywords`.
    pub fn argument(
        &self,
        args: Node<'tree>,
        index: usize,
        keywords: &[&str],
    ) -> Option<Node<'tree>> {
        dispatch!(self, model => model.argument(args, index, keywords))
    }

    /// The source text of `node`.
    pub fn text(&self, node: Node<'tree>) -> &'tree str {
        dispatch!(self, model => model.text(node))
    }

    pub fn comments(&self) -> &[Comment] {
        dispatch!(self, model => &model.comments)
    }

    /// Whether `range` lies inside a region the parser could not read: nothing
    /// found there is trusted.
    pub fn in_syntax_error(&self, range: &std::ops::Range<usize>) -> bool {
        let errors = dispatch!(self, model => &model.errors);
        errors
            .iter()
            .any(|e| e.start <= range.start && range.end <= e.end)
    }

    pub fn options(&self) -> &ModelOptions {
        dispatch!(self, model => &model.options)
    }
}
