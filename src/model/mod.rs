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
pub mod python;
pub mod scala;
pub mod scope;
pub mod settings;
pub mod sql;

#[cfg(test)]
mod loop_tests;

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
    /// Cut by `limit(n)` with a count that is not a known constant: not bounded,
    /// but the author chose a cap, and messages say so.
    pub limited: bool,
    /// Its lineage has a shuffle (a join, an aggregation, a sort, `distinct`,
    /// `repartition`): recomputing it is expensive.
    pub shuffled: bool,
    /// Cached, persisted or checkpointed: actions on it reuse the stored data.
    pub cached: bool,
}

impl Value {
    pub const UNKNOWN: Value = Value::of(Kind::Unknown);
    pub const OTHER: Value = Value::of(Kind::Other);

    pub const fn of(kind: Kind) -> Value {
        Value {
            kind,
            bounded: false,
            limited: false,
            shuffled: false,
            cached: false,
        }
    }

    pub const fn bounded(kind: Kind) -> Value {
        Value {
            kind,
            bounded: true,
            limited: false,
            shuffled: false,
            cached: false,
        }
    }

    pub fn with_bounded(self, bounded: bool) -> Value {
        Value { bounded, ..self }
    }

    /// What one of several values is (the returns of a function): the known kind,
    /// bounded only when every distributed one is.
    pub fn merge(values: impl IntoIterator<Item = Value>) -> Value {
        let mut result: Option<Value> = None;
        for value in values {
            if value.kind == Kind::Unknown {
                continue;
            }
            result = Some(match result {
                None => value,
                Some(prev) if prev.kind == value.kind => {
                    prev.with_bounded(prev.bounded && value.bounded)
                }
                Some(prev) if prev.is_distributed() => prev.with_bounded(false),
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

    /// Distributed data of unknown or large size.
    pub fn is_unbounded_data(self) -> bool {
        self.is_distributed() && !self.bounded
    }

    /// How the value's rows are described in a message: "every row of an unbounded
    /// DataFrame", or the rows a `limit` of unknown count lets through.
    pub fn rows_phrase(self) -> String {
        if self.limited {
            "as many rows as a `limit` of unknown count lets through".to_string()
        } else {
            format!("every row of an unbounded {}", self.describe())
        }
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
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            small_count: 10_000,
            launch: context::Launch::Script,
            small_tables: Default::default(),
            loop_threshold: 10,
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
        let errors = dispatch!(self, model => &model.errors);
        errors
            .iter()
            .any(|e| e.start <= range.start && range.end <= e.end)
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
            .filter(|root| root.kind() == "identifier")
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

    /// The function (or class, or file) whose body holds `offset`.
    pub fn body_at(&self, offset: usize) -> usize {
        dispatch!(self, model => model.body_at(offset))
    }

    pub fn options(&self) -> &ModelOptions {
        dispatch!(self, model => &model.options)
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
