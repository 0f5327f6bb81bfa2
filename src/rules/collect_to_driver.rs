use crate::lang::NodeExt;
use tree_sitter::Node;

use super::{Candidate, Check, Checker, argumentless_call, call_span, declare_rule};
use crate::diagnostic::{Edit, Fix};
use crate::model::SparkModel;
use crate::model::python::PythonModel;

declare_rule! {
    /// ## What it does
    /// Flags `collect()` and `collectAsList()` on a DataFrame, Dataset or RDD that is
    /// not evidently small.
    ///
    /// ## Why is this bad?
    /// `collect()` copies every row of a distributed dataset into the driver, one
    /// JVM with a fixed heap (`spark.driver.memory`, 1 GiB by default). On a table or
    /// file read the row count is unknown when the code is written and grows with the
    /// data; the job that worked in development dies with an `OutOfMemoryError` or a
    /// `maxResultSize` failure in production. Data that is limited, aggregated to one
    /// row, or built from literals is not flagged.
    ///
    /// ## Example
    /// ```python
    /// nz = spark.table("events").filter("country = 'NZ'").collect()
    /// spend = {}
    /// for row in nz:
    ///     spend[row.user_id] = spend.get(row.user_id, 0) + row.amount
    /// ```
    /// ```scala
    /// val rows = spark.table("events").filter($"country" === "NZ").collect()
    /// ```
    ///
    /// ## Use instead
    /// Keep the work distributed: write the result (`df.write.parquet(...)`),
    /// aggregate first, bound it (`df.limit(100).collect()`), stream it with
    /// `toLocalIterator()`, or run side effects on the executors with
    /// `foreach`/`foreachPartition`.
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// spend = spark.table("events").filter("country = 'NZ'").groupBy("user_id").agg(F.sum("amount"))
    /// spend.write.parquet("nz_spend")
    /// ```
    ///
    /// ## Fix
    /// Safe, where the rows are collected only to be counted: `len(df.collect())`
    /// becomes `df.count()`, and `rows = df.collect()` in a function, whose every use
    /// is `len(rows)`, becomes `rows = df.count()`, each `len(rows)` then read as
    /// `rows`. The number is the same, and no row travels to the driver. The same
    /// rewrite of a module-level `rows` is unsafe: another module may import it (a
    /// notebook's is safe).
    ///
    /// Unsafe (applied with `--unsafe-fixes`): Scala `df.collect().length` (or `.size`)
    /// becomes `df.count()`, which is a `Long` where `length` was an `Int`.
    pub static COLLECT_TO_DRIVER = {
        code: "SG101",
        name: "collect-to-driver",
        severity: Error,
        help: "write the result with `df.write`, aggregate first, bound it with `.limit(n).collect()`, stream with `toLocalIterator()`, or use `foreach`/`foreachPartition` for side effects",
        check: Check::Query(check),
    };
}

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let Some((receiver, method)) = argumentless_call(checker, candidate) else {
        return;
    };
    let value = checker.model.value(receiver);
    if !value.is_too_big_to_collect() {
        return;
    }
    let message = format!("`{method}()` pulls {} into the driver", checker.rows(value));
    checker.report_about(call_span(candidate), message, value);
    let (Some(call), Some(method)) = (candidate.get("violation"), candidate.get("method")) else {
        return;
    };
    let fix = match checker.model {
        SparkModel::Python(py) if method_is(py, method, "collect") => count_fix(py, call, method),
        SparkModel::Scala(_) if checker.model.text(method) == "collect" => {
            scala_count_fix(checker.model, call, method)
        }
        _ => None,
    };
    if let Some(finding) = checker.findings.last_mut() {
        finding.fix = fix;
    }
}

/// Scala `df.collect().length` / `.size` → `df.count()`. Unsafe: `count()` is a
/// `Long` where `length` was an `Int`, which code expecting an `Int` does not accept.
fn scala_count_fix<'t>(model: &SparkModel<'t>, call: Node<'t>, method: Node<'t>) -> Option<Fix> {
    if call.kind_name() != "call_expression" {
        return None;
    }
    let size = call
        .parent()
        .filter(|p| p.kind_name() == "field_expression" && p.field("value") == Some(call))?;
    let field = size.field("field")?;
    if !matches!(model.text(field), "length" | "size") {
        return None;
    }
    // `rows.length(...)`/`.size()` is some other call.
    if size
        .parent()
        .is_some_and(|p| p.kind_name() == "call_expression" && p.field("function") == Some(size))
    {
        return None;
    }
    Some(Fix {
        title: "Count on the executors: `df.count()` (a `Long`)".to_string(),
        edits: vec![
            Edit {
                range: method.byte_range(),
                replacement: "count".to_string(),
            },
            Edit {
                range: call.end_byte()..size.end_byte(),
                replacement: String::new(),
            },
        ],
        safe: false,
    })
}

fn method_is(py: &PythonModel<'_>, method: Node<'_>, name: &str) -> bool {
    py.text(method) == name
}

/// `len(x)` with the builtin `len` and one argument: the argument.
fn len_argument<'t>(py: &PythonModel<'t>, node: Node<'t>) -> Option<Node<'t>> {
    if node.kind_name() != "call" {
        return None;
    }
    let function = node.field("function")?;
    if function.kind_name() != "identifier" || py.text(function) != "len" || py.name_taken("len") {
        return None;
    }
    let args = node.field("arguments")?;
    if args.kind_name() != "argument_list" || args.named_child_count() != 1 {
        return None;
    }
    args.named_child(0)
        .filter(|arg| arg.kind_name() != "keyword_argument")
}

/// The call `len(...)` whose only argument is `node`. The text is asked first: a
/// node's parent is found by walking down from the root.
fn len_around<'t>(py: &PythonModel<'t>, node: Node<'t>) -> Option<Node<'t>> {
    if !py.source()[..node.start_byte()].trim_end().ends_with('(') {
        return None;
    }
    let call = node.parent()?.parent()?;
    (len_argument(py, call)? == node).then_some(call)
}

/// Edits that turn `len(inner)` into `inner`, keeping anything written inside.
fn unwrap_len(call: Node<'_>, inner: Node<'_>) -> [Edit; 2] {
    [
        Edit {
            range: call.start_byte()..inner.start_byte(),
            replacement: String::new(),
        },
        Edit {
            range: inner.end_byte()..call.end_byte(),
            replacement: String::new(),
        },
    ]
}

/// The fix when the collected rows are only counted: `len(df.collect())`, or
/// `rows = df.collect()` used only as `len(rows)`.
fn count_fix<'t>(py: &PythonModel<'t>, call: Node<'t>, method: Node<'t>) -> Option<Fix> {
    let rename = Edit {
        range: method.byte_range(),
        replacement: "count".to_string(),
    };
    if let Some(len_call) = len_around(py, call) {
        let mut edits = vec![rename];
        edits.extend(unwrap_len(len_call, call));
        return Some(Fix {
            title: "Count on the executors: `df.count()`".to_string(),
            edits,
            safe: true,
        });
    }
    // `rows = df.collect()`, a statement of its own: nothing but ` = ` between the
    // name and the call (no annotation), and nothing before the name on its line
    // (a chained `a = b = ...` has).
    let source = py.source();
    let target = py.assigned_name(call)?;
    let line_start = source[..target.start_byte()]
        .rfind('\n')
        .map_or(0, |at| at + 1);
    if source[target.end_byte()..call.start_byte()].trim() != "="
        || !source[line_start..target.start_byte()].trim().is_empty()
    {
        return None;
    }
    let binding = py.sole_binding(target, call.end_byte())?;
    let name = py.text(target);
    let mut edits = vec![rename];
    let mut uses = 0;
    for &offset in py.identifier_offsets(name) {
        // A name that is not a use of this binding (another function's `rows`, the
        // target itself) does not matter; any other use of it would see a number.
        if offset == target.start_byte() || py.binding_at(name, offset) != Some(binding) {
            continue;
        }
        let node = py.identifier_at(name, offset)?;
        let len_call = len_around(py, node)?;
        edits.extend(unwrap_len(len_call, node));
        uses += 1;
    }
    // A module-level list may be imported by another module, which this file cannot
    // see: there the fix is unsafe. Nothing imports a notebook's names.
    let module_level = binding.0 == 0 && !py.options.launch.is_notebook();
    (uses > 0).then(|| Fix {
        title: format!("Count on the executors: `{name} = df.count()`"),
        edits,
        safe: !module_level,
    })
}
