//! The Spark model of one file: what every rule needs to know, computed once and
//! shared. Which expressions are Spark values (a session, a DataFrame, an RDD, ...),
//! whether a dataset is evidently small, which integers and strings are known
//! constants, and whether the file is Spark code at all.
//!
//! The facts are language-neutral (`Value`, `Kind`); each language reads its own
//! syntax into them (`python`), and the Spark API table (`api`) says what each method
//! returns.

pub mod api;
pub mod args;
pub mod context;
pub mod effects;
pub mod index;
pub mod keys;
pub mod python;
pub mod scala;
pub mod scope;
pub mod settings;
pub mod sql;

#[cfg(test)]
mod loop_tests;

use crate::lang::NodeExt;
use tree_sitter::{Node, Tree};

use crate::lang::Language;

/// What a Spark-aware reader knows an expression to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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
    /// Local data of a library other than Spark: a pandas DataFrame or Series, a
    /// polars, DuckDB or Daft frame. Never distributed Spark data, whatever its name.
    Pandas,
    /// A Delta table handle (`DeltaTable.forPath`).
    DeltaTable,
    /// Local data an action brought to the driver (`collect()`, `toPandas()`,
    /// `collectAsMap()`, and what is built from them); `bounded` says whether the
    /// Spark data it came from was evidently small.
    Collected,
    /// A `SparkConf`.
    Conf,
    /// `spark.conf`: the running session's settings.
    RuntimeConf,
    /// `spark.catalog`: table and database metadata.
    Catalog,
    /// A known value that is not Spark data: a number, a list, a local result.
    Other,
}

/// How many rows (or elements) a dataset has, as far as the code shows: a small
/// lattice from one row to large. Every rule that asks "is it small?" asks this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Size {
    /// At most one row: a global aggregate, `describe`/`summary`, a SQL command,
    /// an action's single result.
    One(OneRow),
    /// A few rows, for a reason the code states.
    Few(FewRows),
    /// Built from data the driver already held (a literal, a local list, a pandas
    /// frame) and everything derived from it.
    Driver,
    /// One row per distinct value of a key.
    PerKey(Key),
    /// Cut by `limit(n)`: the author chose a cap. `n` is the count when it is a
    /// known constant (then above `take-threshold`, or it would be `Few`).
    Capped(Option<i64>),
    /// Nothing says how big it is.
    Unknown,
    /// A table or file read, and what keeps its rows.
    Large,
}

/// Why a dataset is one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum OneRow {
    Aggregate,
    Describe,
    SqlCommand,
    Action,
}

/// Why a dataset is a few rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FewRows {
    /// `limit(n)` / `take(n)` / `LIMIT n` with a small constant.
    Limit,
    /// `spark.range(n)` with a small `n`.
    Range,
    /// A table or path named in `small-tables`.
    SmallTable,
    /// A filter that fixes an identifier column to one value, `lookup(key)`.
    PointLookup,
    /// Catalog and table metadata (`spark.catalog.*`, `DeltaTable.detail()`).
    Metadata,
}

/// How many distinct values a key column has, estimated from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Cardinality {
    /// A categorical column: country, status, year, `spark_partition_id()`.
    Low,
    /// Nothing in the name says.
    Unknown,
    /// An entity identifier: `user_id`, email, url, word.
    High,
}

/// The key of a per-key result: where it is written (for messages) and its
/// estimated cardinality.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Key {
    /// Byte range of the key's name (or expression) in the file; empty when the key
    /// is not written in this file.
    pub start: u32,
    pub end: u32,
    pub cardinality: Cardinality,
}

impl Key {
    pub fn new(range: std::ops::Range<usize>, cardinality: Cardinality) -> Key {
        Key {
            start: range.start as u32,
            end: range.end as u32,
            cardinality,
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The combined key of several columns: as fine as its finest part.
    pub fn combine(self, other: Key) -> Key {
        Key {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
            cardinality: match (self.cardinality, other.cardinality) {
                (Cardinality::High, _) | (_, Cardinality::High) => Cardinality::High,
                (Cardinality::Low, Cardinality::Low) => Cardinality::Low,
                _ => Cardinality::Unknown,
            },
        }
    }
}

impl Size {
    /// Evidently small: one row, a few rows, driver data, or one row per value of
    /// a categorical key.
    pub fn is_small(self) -> bool {
        match self {
            Size::One(_) | Size::Few(_) | Size::Driver => true,
            Size::PerKey(key) => key.cardinality == Cardinality::Low,
            Size::Capped(_) | Size::Unknown | Size::Large => false,
        }
    }

    /// An order from smallest to largest, for combining.
    fn rank(self) -> u8 {
        match self {
            Size::One(_) => 0,
            Size::Few(_) => 1,
            Size::Driver => 2,
            Size::PerKey(Key {
                cardinality: Cardinality::Low,
                ..
            }) => 3,
            Size::Capped(_) => 4,
            Size::PerKey(Key {
                cardinality: Cardinality::Unknown,
                ..
            }) => 5,
            Size::PerKey(Key {
                cardinality: Cardinality::High,
                ..
            }) => 6,
            Size::Unknown => 7,
            Size::Large => 8,
        }
    }

    /// The size of data built from two sides (a union, a join, one of several
    /// returns): the larger.
    pub fn max(self, other: Size) -> Size {
        if self.rank() >= other.rank() {
            self
        } else {
            other
        }
    }

    /// At most as many rows as `self` and as `other`: the smaller.
    pub fn min(self, other: Size) -> Size {
        if self.rank() <= other.rank() {
            self
        } else {
            other
        }
    }
}

/// Where a dataset's rows were read, for messages: the read call and what it read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    pub start: u32,
    pub end: u32,
    /// What was read: "table", "parquet file", "SQL query", ...
    pub what: &'static str,
    /// What was done to the rows since.
    pub since: Since,
    /// The range is a call of a function (of another file) that makes the read.
    pub through_call: bool,
}

/// What was done to a dataset's rows since they were read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Since {
    Nothing,
    Filtered,
    /// One of the parts `randomSplit` made.
    Split,
    Transformed,
    Joined,
}

impl Origin {
    pub fn new(range: std::ops::Range<usize>, what: &'static str) -> Origin {
        Origin {
            start: range.start as u32,
            end: range.end as u32,
            what,
            since: Since::Nothing,
            through_call: false,
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The same rows after `method`.
    fn after(self, method: &str) -> Origin {
        let since = match method {
            "filter" | "where" | "dropna" | "distinct" | "dropDuplicates" | "sample" => {
                Since::Filtered
            }
            "randomSplit" | "randomSplitAsList" => Since::Split,
            "join" | "crossJoin" | "union" | "unionAll" | "unionByName" | "leftOuterJoin"
            | "rightOuterJoin" | "fullOuterJoin" | "cartesian" => Since::Joined,
            "cache" | "persist" | "checkpoint" | "localCheckpoint" | "alias" | "as" | "hint"
            | "unpersist" | "repartition" | "coalesce" | "orderBy" | "sort" | "setName" => {
                return self;
            }
            _ => Since::Transformed,
        };
        Origin {
            since: self.since.max(since),
            ..self
        }
    }
}

impl Since {
    fn max(self, other: Since) -> Since {
        let rank = |s: Since| match s {
            Since::Nothing => 0,
            Since::Filtered => 1,
            Since::Split => 1,
            Since::Transformed => 2,
            Since::Joined => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// The model's verdict on one expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Value {
    pub kind: Kind,
    /// How many rows (elements) it has: meaningful for Spark data and for data
    /// collected from it.
    pub size: Size,
    /// Its lineage has a shuffle (a join, an aggregation, a sort, `distinct`,
    /// `repartition`): recomputing it is expensive.
    pub shuffled: bool,
    /// Cached, persisted or checkpointed: actions on it reuse the stored data.
    pub cached: bool,
    /// Where its rows were read, when this file shows it.
    pub origin: Option<Origin>,
    /// What identifies a row for a per-key operation: the grouping key of grouped
    /// data, the selected columns of a DataFrame, the key of a pair RDD (or the
    /// element of a plain one).
    pub key: Option<Key>,
}

impl Value {
    pub const UNKNOWN: Value = Value::of(Kind::Unknown);
    pub const OTHER: Value = Value::of(Kind::Other);

    pub const fn of(kind: Kind) -> Value {
        Value::sized(kind, Size::Unknown)
    }

    pub const fn sized(kind: Kind, size: Size) -> Value {
        Value {
            kind,
            size,
            shuffled: false,
            cached: false,
            origin: None,
            key: None,
        }
    }

    pub fn with_size(self, size: Size) -> Value {
        Value { size, ..self }
    }

    /// Evidently small (see [`Size::is_small`]).
    pub fn is_small(self) -> bool {
        self.size.is_small()
    }

    /// Data read at `origin`: large, and messages name the read.
    pub fn read(kind: Kind, origin: Origin) -> Value {
        Value {
            origin: Some(origin),
            ..Value::sized(kind, Size::Large)
        }
    }

    /// The same rows after `method`: its origin records what was done.
    pub fn after(self, method: &str) -> Value {
        Value {
            origin: self.origin.map(|o| o.after(method)),
            ..self
        }
    }

    /// What one of several values is (the returns of a function): the known kind,
    /// as large as the largest distributed one.
    pub fn merge(values: impl IntoIterator<Item = Value>) -> Value {
        let mut result: Option<Value> = None;
        for value in values {
            if value.kind == Kind::Unknown {
                continue;
            }
            result = Some(match result {
                None => value,
                Some(prev) if prev.kind == value.kind => Value {
                    origin: if prev.size.max(value.size) == prev.size {
                        prev.origin
                    } else {
                        value.origin
                    },
                    ..prev.with_size(prev.size.max(value.size))
                },
                Some(prev) if prev.is_distributed() => prev.with_size(Size::Unknown),
                Some(_) => value,
            });
        }
        result.unwrap_or(Value::UNKNOWN)
    }

    /// What a name is by Spark code's conventions when nothing else says: `spark`
    /// and `sqlContext` a session, `sc` a context, a DataFrame-like name (each
    /// language's own, `dataframe_name`) a DataFrame. A known value stays as it is.
    pub fn or_by_convention(self, name: &str, dataframe_name: bool) -> Value {
        if self.kind != Kind::Unknown {
            return self;
        }
        match name {
            "spark" | "sqlContext" => Value::of(Kind::Session),
            "sc" => Value::of(Kind::Context),
            _ if dataframe_name => Value::of(Kind::DataFrame),
            _ => self,
        }
    }

    /// A DataFrame, Dataset or RDD: data that lives on the executors.
    pub fn is_distributed(self) -> bool {
        matches!(self.kind, Kind::DataFrame | Kind::Rdd)
    }

    /// Distributed data that is not evidently small.
    pub fn is_unbounded_data(self) -> bool {
        self.is_distributed() && !self.is_small()
    }

    /// Distributed data that is big enough for the driver-collection rules: not
    /// small, not capped by a `limit` of unknown count, and not a per-key result
    /// of unknown key cardinality (SG105 reports those).
    pub fn is_too_big_to_collect(self) -> bool {
        self.is_unbounded_data()
            && !matches!(self.size, Size::Capped(None))
            && !self.is_per_key_of_unknown_cardinality()
    }

    /// One row per value of a key whose cardinality nothing in the code tells.
    pub fn is_per_key_of_unknown_cardinality(self) -> bool {
        matches!(
            self.size,
            Size::PerKey(Key {
                cardinality: Cardinality::Unknown,
                ..
            })
        )
    }

    /// How the value's rows are described in a message, with `text` the checked
    /// source and `place` naming an offset's place as the finding is shown: "every
    /// row of the parquet file read on line 12 that passes its filters", "one row
    /// per distinct `user_id`".
    pub fn rows_phrase(
        self,
        text: &str,
        options: &ModelOptions,
        place: &dyn Fn(usize) -> String,
    ) -> String {
        match self.size {
            Size::Capped(Some(n)) => format!(
                "up to {n} rows (a `limit` above `take-threshold`, {})",
                options.small_count
            ),
            Size::Capped(None) => {
                "as many rows as a `limit` of unknown count lets through".to_string()
            }
            Size::PerKey(key) => {
                // The key's columns as written, without quotes: `a`, or `a`, `b`
                // and 3 more.
                let names: Vec<&str> = text
                    .get(key.range())
                    .unwrap_or("")
                    .split(',')
                    .map(|n| n.trim().trim_matches(|c| c == '"' || c == '\''))
                    .filter(|n| !n.is_empty())
                    .collect();
                let columns = match names.as_slice() {
                    [] => "key".to_string(),
                    [one] => format!("`{one}`"),
                    [a, b] => format!("`{a}`, `{b}`"),
                    [a, b, c] => format!("`{a}`, `{b}`, `{c}`"),
                    [a, b, rest @ ..] => format!("`{a}`, `{b}` and {} more", rest.len()),
                };
                let what = match key.cardinality {
                    Cardinality::High => " (an identifier)",
                    Cardinality::Unknown => " (a key of unknown cardinality)",
                    Cardinality::Low => "",
                };
                format!("one row per distinct {columns}{what}")
            }
            _ => match self.origin {
                Some(origin) => {
                    let verb = if origin.what.starts_with("SQL") {
                        "run"
                    } else {
                        "read"
                    };
                    let by = if origin.through_call {
                        let call = text.get(origin.range()).unwrap_or("").trim();
                        let call = call.split('(').next().unwrap_or(call);
                        format!(" by `{call}()`")
                    } else {
                        String::new()
                    };
                    let source = format!(
                        "the {} {verb}{by} on {}",
                        origin.what,
                        place(origin.start as usize)
                    );
                    match origin.since {
                        Since::Nothing | Since::Transformed => format!("every row of {source}"),
                        Since::Filtered => format!("every row of {source} that passes its filters"),
                        Since::Split => format!("every row of a random split of {source}"),
                        Since::Joined => format!("every row of a join of {source}"),
                    }
                }
                None => format!("every row of an unbounded {}", self.describe()),
            },
        }
    }

    /// The place the message's rows were read, for a finding's related positions.
    pub fn related(self) -> Option<(std::ops::Range<usize>, String)> {
        let origin = self.origin?;
        let verb = if origin.what.starts_with("SQL") {
            "run"
        } else {
            "read"
        };
        Some((origin.range(), format!("the {} {verb} here", origin.what)))
    }

    /// What the value is, for messages.
    pub fn describe(self) -> &'static str {
        match self.kind {
            Kind::Rdd => "RDD",
            _ => "DataFrame",
        }
    }
}

/// Whether a name holds a DataFrame by the conventions of Spark code, one rule for
/// every name in both languages: its last word, or its first word, is `df`, `sdf` or
/// `dataframe` (`df`, `df2`, `summary_df`, `df_summary`, `dfSummary`, `summaryDF`,
/// `input_dataframe`), unless a word names another library's frame (`pandas_df`,
/// `pl_df`) or the last word names something a DataFrame has (`df_count`,
/// `df_columns`, `dfSchema`). Words are split at `_` and at camel-case humps, and
/// trailing digits do not count.
pub fn is_dataframe_name(name: &str) -> bool {
    const FRAME: &[&str] = &["df", "sdf", "dataframe"];
    const OTHER_LIBRARY: &[&str] = &["pd", "pdf", "pandas", "pl", "polars", "duckdb", "arrow"];
    const PART_OF_A_FRAME: &[&str] = &[
        "count", "cnt", "counts", "name", "names", "col", "cols", "column", "columns", "schema",
        "list", "lst", "dict", "map", "path", "paths", "size", "len", "length", "rows", "row",
        "id", "ids", "type", "types", "fields", "keys", "key", "str", "string", "info", "dtypes",
    ];
    let words = name_words(name);
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    if words
        .iter()
        .any(|word| OTHER_LIBRARY.contains(&word.as_str()))
    {
        return false;
    }
    FRAME.contains(&last.as_str())
        || (FRAME.contains(&first.as_str()) && !PART_OF_A_FRAME.contains(&last.as_str()))
}

/// The lowercase words of an identifier, split at `_` and camel-case humps
/// (`summaryDFList` → `summary`, `df`, `list`), trailing digits dropped.
fn name_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            words.push(std::mem::take(&mut current));
            continue;
        }
        let hump = i > 0
            && c.is_uppercase()
            && (chars[i - 1].is_lowercase()
                || chars[i - 1].is_ascii_digit()
                || (chars[i - 1].is_uppercase()
                    && chars.get(i + 1).is_some_and(|next| next.is_lowercase())));
        if hump {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    words.push(current);
    words
        .into_iter()
        .map(|word| {
            word.trim_end_matches(|c: char| c.is_ascii_digit())
                .to_string()
        })
        .filter(|word| !word.is_empty())
        .collect()
}

/// Settings the model depends on.
#[derive(Clone, Debug)]
pub struct ModelOptions {
    /// Counts at or below this are small (`limit(n)`, `take(n)`, `spark.range(n)`).
    pub small_count: i64,
    /// How the file is started. In notebooks `spark` and `sc` are predefined and no
    /// import is needed (a Jupyter notebook must still show that it uses Spark).
    pub launch: context::Launch,
    /// Table names and path globs whose reads are small (config `small-tables`).
    pub small_tables: std::sync::Arc<Vec<String>>,
    /// Loops over at most this many literal items are small (config `loop-threshold`).
    pub loop_threshold: i64,
    /// Columns with few distinct values (config `low-cardinality-columns`).
    pub low_cardinality: std::sync::Arc<Vec<String>>,
    /// Columns with many distinct values (config `high-cardinality-columns`).
    pub high_cardinality: std::sync::Arc<Vec<String>>,
    /// What the other files of the project tell (empty when checking one file).
    pub project: std::sync::Arc<index::ProjectIndex>,
    /// The checked file's path as the index knows it.
    pub file: std::sync::Arc<str>,
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            small_count: 10_000,
            launch: context::Launch::Script,
            small_tables: Default::default(),
            loop_threshold: 10,
            low_cardinality: Default::default(),
            high_cardinality: Default::default(),
            project: Default::default(),
            file: "".into(),
        }
    }
}

impl ModelOptions {
    /// Whether `n` is a small count.
    pub fn is_small_count(&self, n: Option<i64>) -> bool {
        n.is_some_and(|n| (0..=self.small_count).contains(&n))
    }

    /// Whether a table name or path is declared small. Patterns may use `*`; table
    /// names compare without case.
    pub fn is_small_table(&self, name: &str) -> bool {
        self.small_tables
            .iter()
            .any(|pattern| glob_match(&pattern.to_lowercase(), &name.to_lowercase()))
    }
}

/// `*` matches any run of characters (`/` included); everything else is literal.
fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// A comment in the file, for suppressions.
#[derive(Clone, Debug)]
pub struct Comment {
    pub range: std::ops::Range<usize>,
    /// The comment stands alone on its line (it applies to the next line).
    pub own_line: bool,
}

/// For each binding (as `binding_id` gives it), the indices in `action_sites` of the
/// calls whose chain starts at a use of it, in source order.
pub type ActionIndex = std::cell::OnceCell<std::collections::HashMap<(usize, usize), Vec<usize>>>;

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

    /// Sees the project through `project` from now on (the second pass reuses the
    /// first pass's model): what was computed without it is forgotten.
    pub fn rebind(&mut self, project: std::sync::Arc<index::ProjectIndex>) {
        dispatch!(self, model => model.rebind(project))
    }

    /// Forgets the values computed while extracting facts (see `rebind`).
    pub fn forget_values(&mut self) {
        dispatch!(self, model => model.forget_values())
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

    /// The whole checked text.
    pub fn source(&self) -> &'tree str {
        dispatch!(self, model => model.source())
    }

    /// The source text of `node`.
    pub fn text(&self, node: Node<'tree>) -> &'tree str {
        dispatch!(self, model => model.text(node))
    }

    /// The qualified name a called expression spells through the imports.
    pub fn function_name(&self, node: Node<'tree>) -> Option<String> {
        dispatch!(self, model => model.function_name(node))
    }

    /// The string literals whose text makes up `node`'s string value.
    pub fn string_parts(&self, node: Node<'tree>) -> Vec<Node<'tree>> {
        dispatch!(self, model => model.string_parts(node))
    }

    pub fn language(&self) -> Language {
        match self {
            SparkModel::Python(_) => Language::Python,
            SparkModel::Scala(_) => Language::Scala,
        }
    }

    /// The Spark settings the file makes in code.
    pub fn settings(&self) -> Vec<settings::Setting> {
        dispatch!(self, model => model.settings())
    }

    pub fn comments(&self) -> &[Comment] {
        dispatch!(self, model => &model.comments)
    }

    /// Whether `range` lies in test code the syntax shows: a test function, fixture,
    /// test class or suite, or a helper that compares DataFrames for tests.
    pub fn in_test_code(&self, range: &std::ops::Range<usize>) -> bool {
        let regions = dispatch!(self, model => &model.test_regions);
        context::within(regions, range)
    }

    /// Whether the syntax shows test code anywhere in the file.
    pub fn has_test_code(&self) -> bool {
        dispatch!(self, model => !model.test_regions.is_empty())
    }

    /// Whether `range` lies inside a region the parser could not read: nothing
    /// found there is trusted.
    pub fn in_syntax_error(&self, range: &std::ops::Range<usize>) -> bool {
        dispatch!(self, model => model.error_regions.holds(range))
    }

    /// The first region the parser could not read, if any.
    pub fn first_syntax_error(&self) -> Option<std::ops::Range<usize>> {
        dispatch!(self, model => model.error_regions.first().cloned())
    }

    /// Regions no query needs to look inside (long literal lists of numbers), in
    /// source order, outermost only.
    /// The nodes where a rule query's pattern may start, in tree order (see
    /// [`crate::query::RuleQuery::each_match_among`]).
    pub fn query_roots(&self) -> &[Node<'tree>] {
        dispatch!(self, model => &model.query_roots)
    }

    pub fn skippable(&self) -> &[std::ops::Range<usize>] {
        dispatch!(self, model => &model.literal_runs)
    }

    /// The first construct only Python 2 has (`print "x"`), and what to call it.
    pub fn python2_construct(&self) -> Option<(Node<'tree>, &'static str)> {
        match self {
            SparkModel::Python(model) => model.python2,
            SparkModel::Scala(_) => None,
        }
    }

    /// How many levels deep the syntax tree goes.
    pub fn tree_depth(&self) -> usize {
        dispatch!(self, model => model.depth)
    }

    /// The root of the method chain `node` ends: `method_chain(node).root`, without
    /// walking the chain again for each of its calls.
    pub fn chain_root(&self, node: Node<'tree>) -> Node<'tree> {
        dispatch!(self, model => model.chain_root(node))
    }

    /// The innermost loop that is not small and runs `range` on each iteration, in
    /// the same function.
    pub fn loop_around(&self, range: &std::ops::Range<usize>) -> Option<&scope::Loop<'tree>> {
        dispatch!(self, model => model.loop_around(range))
    }

    /// Whether `l`'s body sleeps (a poll) or reads a clock (a benchmark): loops
    /// that run their job on purpose.
    pub fn pacing(&self, l: &scope::Loop<'tree>) -> scope::Pacing {
        dispatch!(self, model => model.pacing(l))
    }

    /// Whether `l`'s body checkpoints a DataFrame (`checkpoint()`,
    /// `localCheckpoint()`): an iterative algorithm that keeps its plan short.
    pub fn checkpoints(&self, l: &scope::Loop<'tree>) -> bool {
        self.action_sites().iter().any(|site| {
            matches!(site.name, "checkpoint" | "localCheckpoint")
                && l.body.start <= site.call.start_byte()
                && site.call.end_byte() <= l.body.end
        })
    }

    /// Whether `l`'s body cuts the lineage it carries: it checkpoints a DataFrame,
    /// or writes one and reads the result back into the same name.
    pub fn cuts_lineage(&self, l: &scope::Loop<'tree>) -> bool {
        let inside =
            |node: Node<'tree>| l.body.start <= node.start_byte() && node.end_byte() <= l.body.end;
        let sites: Vec<&scope::ActionSite<'tree>> = self
            .action_sites()
            .iter()
            .filter(|site| inside(site.call))
            .collect();
        if self.checkpoints(l) {
            return true;
        }
        // `df.write.parquet(p)` then `df = spark.read.parquet(p)`
        let written: Vec<&str> = sites
            .iter()
            .filter(|site| scope::WRITES.contains(&site.name))
            .map(|site| self.method_chain(site.receiver).root)
            .filter(|root| root.kind_name() == "identifier")
            .map(|root| self.text(root))
            .collect();
        !written.is_empty()
            && self.reassignments_in(&l.body).iter().any(|r| {
                let root = self.method_chain(r.value).root;
                written.contains(&self.text(r.target))
                    && matches!(self.value(root).kind, Kind::Session | Kind::Reader)
            })
    }

    /// Whether the code at `node` runs on at most one iteration of `l`.
    pub fn runs_at_most_once(&self, l: &scope::Loop<'tree>, node: Node<'tree>) -> bool {
        dispatch!(self, model => model.runs_at_most_once(l, node))
    }

    /// Names reassigned from an expression within `range`, in source order.
    pub fn reassignments_in(
        &self,
        range: &std::ops::Range<usize>,
    ) -> Vec<scope::Reassignment<'tree>> {
        dispatch!(self, model => model.reassignments_in(range))
    }

    /// What the function a call names does to its parameters: which one it returns
    /// with a plan step added. Known for functions of this file.
    pub fn param_growth(&self, callee: Node<'tree>) -> Option<scope::ParamGrowth> {
        dispatch!(self, model => model.param_growth(callee))
    }

    /// What every visible call passes for the parameter the identifier `node`
    /// names; `None` when it is no parameter or no call is visible.
    pub fn param_arguments(&self, node: Node<'tree>) -> Option<Vec<Node<'tree>>> {
        dispatch!(self, model => model.param_arguments(node))
    }

    /// For a use of a parameter: its default, when every call of its function
    /// (across the project, through the index) leaves it out. Python only.
    pub fn omitted_param_default(&self, node: Node<'tree>) -> Option<Node<'tree>> {
        match self {
            SparkModel::Python(model) => model.omitted_param_default(node),
            SparkModel::Scala(_) => None,
        }
    }

    /// The expressions `node` may evaluate to: the arms of a conditional, a block's
    /// last expression, a tuple's first item.
    pub fn result_expressions(&self, node: Node<'tree>) -> Vec<Node<'tree>> {
        dispatch!(self, model => model.result_expressions(node))
    }

    /// The method chain `node` ends, from its root outwards.
    pub fn method_chain(&self, node: Node<'tree>) -> scope::Chain<'tree> {
        dispatch!(self, model => model.method_chain(node))
    }

    /// A lambda's parameter names (in order) and body.
    pub fn lambda_parts(&self, node: Node<'tree>) -> Option<(Vec<&'tree str>, Node<'tree>)> {
        dispatch!(self, model => model.lambda_parts(node))
    }

    /// Whether the items of a collection are DataFrames or RDDs.
    pub fn elements_distributed(&self, node: Node<'tree>) -> bool {
        dispatch!(self, model => model.elements_distributed(node))
    }

    /// Whether `node` iterates over a small literal collection.
    pub fn is_small_iterable(&self, node: Node<'tree>) -> bool {
        dispatch!(self, model => model.is_small_iterable(node))
    }

    /// Which definition a use of an identifier sees; equal for two uses of the
    /// same definition.
    pub fn binding_id(&self, node: Node<'tree>) -> Option<(usize, usize)> {
        dispatch!(self, model => model.binding_id(node))
    }

    /// The expression the identifier `node` was last bound to.
    pub fn definition(&self, node: Node<'tree>) -> Option<Node<'tree>> {
        dispatch!(self, model => model.definition(node))
    }

    /// Whether code at offsets `a` and `b` sits in different branches of one `if`,
    /// so never runs together.
    pub fn exclusive(&self, a: usize, b: usize) -> bool {
        dispatch!(self, model => model.exclusive(a, b))
    }

    /// Whether `node` is the function a call calls: Scala's `df.collect` in
    /// `df.collect()`, which a query also matches on its own. (Python's queries only
    /// ever capture the call.)
    pub fn is_callee(&self, node: Node<'tree>) -> bool {
        match self {
            SparkModel::Python(_) => false,
            SparkModel::Scala(model) => model.is_callee(node),
        }
    }

    /// The calls of actions and writes in the file, in source order.
    pub fn action_sites(&self) -> &[scope::ActionSite<'tree>] {
        dispatch!(self, model => model.action_sites())
    }

    /// The action sites (indices into `action_sites`, in source order) whose method
    /// chain starts at an identifier bound by `binding`. Indexed once per file, so a
    /// rule asking for each candidate does not scan every site of the file.
    pub fn actions_on(&self, binding: (usize, usize)) -> &[usize] {
        let index = dispatch!(self, model => &model.action_index);
        let index = index.get_or_init(|| {
            let mut index: std::collections::HashMap<(usize, usize), Vec<usize>> =
                std::collections::HashMap::new();
            for (i, site) in self.action_sites().iter().enumerate() {
                let root = self.chain_root(site.receiver);
                if root.kind_name() == "identifier"
                    && let Some(binding) = self.binding_id(root)
                {
                    index.entry(binding).or_default().push(i);
                }
            }
            index
        });
        index.get(&binding).map_or(&[], Vec::as_slice)
    }

    /// The function (or class, or file) whose body holds `offset`.
    pub fn body_at(&self, offset: usize) -> usize {
        dispatch!(self, model => model.body_at(offset))
    }

    pub fn options(&self) -> &ModelOptions {
        dispatch!(self, model => &model.options)
    }

    /// What this file tells the rest of the project (see [`index`]).
    pub fn facts(&self, path: &str) -> index::FileFacts {
        let mut facts = dispatch!(self, model => model.facts());
        facts.path = path.to_string();
        facts.hash = index::content_hash(self.source());
        facts.language = Some(self.language());
        facts
    }
}

#[cfg(test)]
mod tests {
    use super::is_dataframe_name;

    #[test]
    fn one_naming_rule_for_dataframes() {
        for name in [
            "df",
            "df2",
            "sdf",
            "summary_df",
            "df_summary",
            "dfSummary",
            "summaryDF",
            "summaryDf",
            "input_dataframe",
            "eventsDF1",
        ] {
            assert!(is_dataframe_name(name), "{name}");
        }
        for name in [
            "pdf",
            "pandas_df",
            "pl_df",
            "df_count",
            "df_columns",
            "dfSchema",
            "udf",
            "rows",
            "dataframes_list",
            "address",
        ] {
            assert!(!is_dataframe_name(name), "{name}");
        }
    }
}
