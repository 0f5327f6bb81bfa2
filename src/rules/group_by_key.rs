use crate::lang::NodeExt;
use tree_sitter::Node;

use super::{Candidate, Check, Checker, declare_rule};
use crate::diagnostic::{Edit, Fix};
use crate::model::scope::ChainCall;
use crate::model::{Kind, SparkModel};

declare_rule! {
    /// ## What it does
    /// Flags RDD `groupByKey()` whose groups are then reduced to one value:
    /// `mapValues(sum)`, `mapValues(len)`, `map(lambda kv: (kv[0], sum(kv[1])))`,
    /// Scala `.mapValues(_.sum)`, `.mapValues(_.size)`.
    ///
    /// ## Why is this bad?
    /// `groupByKey` shuffles every value across the network and materializes each
    /// key's complete list in one executor's memory before the reduction runs. A
    /// hot key with millions of values spills or fails the task, and the shuffle
    /// moves far more data than the result needs.
    ///
    /// ## Example
    /// ```python
    /// sales = spark.table("sales").rdd
    /// totals = sales.map(lambda s: (s.store, s.amount)).groupByKey().mapValues(sum)
    /// totals.saveAsTextFile("store_totals")
    /// ```
    /// ```scala
    /// val sales = spark.table("sales").as[(String, Long)].rdd
    /// val totals = sales.groupByKey().mapValues(_.sum)
    /// totals.saveAsTextFile("store_totals")
    /// ```
    ///
    /// ## Use instead
    /// `reduceByKey` or `aggregateByKey` combine values on each partition before the
    /// shuffle.
    /// ```python
    /// from operator import add
    ///
    /// sales = spark.table("sales").rdd
    /// totals = sales.map(lambda s: (s.store, s.amount)).reduceByKey(add)
    /// totals.saveAsTextFile("store_totals")
    /// ```
    ///
    /// ## Fix
    /// Where the groups are reduced inline (`rdd.groupByKey().mapValues(...)`):
    /// - safe: `mapValues(len)` becomes `mapValues(lambda _: 1).reduceByKey(add)`, Scala
    ///   `mapValues(_.size)` becomes `mapValues(_ => 1).reduceByKey(_ + _)`, and Scala
    ///   `mapValues(_.sum)` becomes `reduceByKey(_ + _)`: the same counts, the same sums;
    /// - unsafe (applied with `--unsafe-fixes`): Python `mapValues(sum)` becomes
    ///   `reduceByKey(add)`. For numbers the result is the same, but `sum` starts from
    ///   `0`: a key whose only value is `True` gives `1` before and `True` after.
    ///
    /// `add` is `operator.add`, through the file's import of it or an import the fix
    /// adds. A `groupByKey(n)` keeps its partition count: `reduceByKey(add, n)`.
    pub static GROUP_BY_KEY = {
        code: "SG305",
        name: "group-by-key",
        severity: Warning,
        help: "use `reduceByKey` / `aggregateByKey`: they combine values before the shuffle",
        check: Check::Query(check),
    };
}

/// Functions that reduce a group of values to one value.
const REDUCERS: &[&str] = &[
    "sum",
    "len",
    "max",
    "min",
    "mean",
    "median",
    "fsum",
    "reduce",
    "size",
    "length",
    "product",
    "reduceLeft",
    "foldLeft",
    "fold",
    "count",
    "average",
    "avg",
    "prod",
];

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let Some(args) = candidate.get("args") else {
        return;
    };
    let model = checker.model;
    // The `groupByKey()` call: inline, or what a name was bound to.
    let grouped = match candidate.get("grouped") {
        Some(grouped) => grouped,
        None => match candidate
            .get("grouped_name")
            .and_then(|n| model.definition(n))
        {
            Some(definition) => definition,
            None => return,
        },
    };
    let chain = model.method_chain(grouped);
    let Some(group_call) = chain.calls.last().filter(|c| c.name == "groupByKey") else {
        return;
    };
    // Only the RDD API: a Dataset's `groupByKey` is typed grouping, not this.
    let receiver_calls = &chain.calls[..chain.calls.len() - 1];
    let receiver = receiver_calls.last().map_or(chain.root, |c| c.node);
    if model.value(receiver).kind != Kind::Rdd {
        return;
    }
    let function = model
        .argument(args, 0, &["f"])
        .or_else(|| (!matches!(args.kind_name(), "arguments" | "argument_list")).then_some(args));
    let Some(function) = function else {
        return;
    };
    if !reduces(model, function) {
        return;
    }
    let span = group_call.name_node.start_byte()..group_call.node.end_byte();
    let message =
        "`groupByKey()` ships every value of a key to one place only to reduce them".to_string();
    // Only the inline form: a name bound to the groups may be used elsewhere too.
    let fix = candidate
        .get("grouped")
        .and(candidate.get("violation"))
        .and_then(|violation| reduce_fix(model, group_call, args, function, violation));
    match fix {
        Some(fix) => checker.report_with_fix(span, message, fix),
        None => checker.report(span, message),
    }
}

/// How each group is reduced, when a fix can say the same with `reduceByKey`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reduction {
    Sum,
    Count,
}

/// The fix for `rdd.groupByKey(...).mapValues(f)` (`violation` is the `mapValues`
/// call) where `f` sums or counts each group.
fn reduce_fix<'t>(
    model: &SparkModel<'t>,
    group_call: &ChainCall<'t>,
    args: Node<'t>,
    function: Node<'t>,
    violation: Node<'t>,
) -> Option<Fix> {
    let then = model.method_chain(violation).calls.last()?.name;
    if then != "mapValues" || args.named_child_count() != 1 {
        return None;
    }
    let range = group_call.name_node.start_byte()..violation.end_byte();
    // A comment inside the rewritten chain would be lost.
    if !super::comments_in(model, &range).is_empty() {
        return None;
    }
    // What `groupByKey` was given (a partition count, a partitioner) goes on to
    // `reduceByKey`, after the function.
    let group_args = match group_call.args {
        Some(list) => {
            let text = model.text(list);
            text.strip_prefix('(')?.strip_suffix(')')?.trim()
        }
        None => "",
    };
    let (replacement, title, safe, extra) = match model {
        SparkModel::Python(py) => {
            let reduction = python_reduction(py, function)?;
            let (add, import) = python_add(py)?;
            let tail = if group_args.is_empty() {
                format!("reduceByKey({add})")
            } else {
                format!("reduceByKey({add}, {group_args})")
            };
            match reduction {
                Reduction::Sum => (tail, "Replace with `reduceByKey(add)`", false, import),
                Reduction::Count => (
                    format!("mapValues(lambda _: 1).{tail}"),
                    "Replace with `mapValues(lambda _: 1).reduceByKey(add)`",
                    true,
                    import,
                ),
            }
        }
        SparkModel::Scala(_) => {
            let reduction = match model.text(function).trim() {
                "_.sum" => Reduction::Sum,
                "_.size" | "_.length" => Reduction::Count,
                _ => return None,
            };
            // `groupByKey(partitioner)` maps to `reduceByKey(partitioner, f)`: only a
            // partition count keeps the argument order.
            if !group_args.is_empty() && !group_args.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let tail = if group_args.is_empty() {
                "reduceByKey(_ + _)".to_string()
            } else {
                format!("reduceByKey(_ + _, {group_args})")
            };
            match reduction {
                Reduction::Sum => (tail, "Replace with `reduceByKey(_ + _)`", true, None),
                Reduction::Count => (
                    format!("mapValues(_ => 1).{tail}"),
                    "Replace with `mapValues(_ => 1).reduceByKey(_ + _)`",
                    true,
                    None,
                ),
            }
        }
    };
    let mut edits = vec![Edit { range, replacement }];
    edits.extend(extra);
    Some(Fix {
        title: title.to_string(),
        edits,
        safe,
    })
}

/// `sum`, `len`, `lambda vs: sum(vs)`, `lambda vs: len(vs)`: the builtins, not a
/// name the file binds or imports.
fn python_reduction<'t>(
    py: &crate::model::python::PythonModel<'t>,
    function: Node<'t>,
) -> Option<Reduction> {
    let builtin = |node: Node<'t>| -> Option<Reduction> {
        if node.kind_name() != "identifier" {
            return None;
        }
        let name = py.text(node);
        if py.name_taken(name) {
            return None;
        }
        match name {
            "sum" => Some(Reduction::Sum),
            "len" => Some(Reduction::Count),
            _ => None,
        }
    };
    if let Some(reduction) = builtin(function) {
        return Some(reduction);
    }
    let (params, body) = py.lambda_parts(function)?;
    let [param] = params.as_slice() else {
        return None;
    };
    if body.kind_name() != "call" {
        return None;
    }
    let args = body.field("arguments")?;
    let only = args
        .named_child(0)
        .filter(|_| args.named_child_count() == 1)?;
    if only.kind_name() != "identifier" || py.text(only) != *param {
        return None;
    }
    builtin(body.field("function")?)
}

/// How the fix spells `operator.add` in this file, and the import it adds for it:
/// the file's own import; else `add` with `from operator import add` added after
/// the first top-level import; else (in a notebook too) a lambda.
fn python_add(py: &crate::model::python::PythonModel<'_>) -> Option<(String, Option<Edit>)> {
    if let Some(spelling) = py.spelling_of("operator.add") {
        return Some((spelling, None));
    }
    let lambda = || Some(("lambda a, b: a + b".to_string(), None));
    // A notebook's fix edits one line of a cell at a time: no line can be added.
    if py.name_taken("add") || py.options.launch.is_notebook() {
        return lambda();
    }
    let root = py.root();
    let mut cursor = root.walk();
    let first_import = root.named_children(&mut cursor).find(|node| {
        matches!(
            node.kind_name(),
            "import_statement" | "import_from_statement" | "future_import_statement"
        )
    });
    let Some(import) = first_import else {
        return lambda();
    };
    let text = py.source();
    let line_end = text[import.end_byte()..]
        .find('\n')
        .map(|at| import.end_byte() + at + 1)?;
    let edit = Edit {
        range: line_end..line_end,
        replacement: "from operator import add\n".to_string(),
    };
    Some(("add".to_string(), Some(edit)))
}

/// Whether the function passed to `mapValues`/`map` reduces each group to one
/// value: `sum`, `len`, `lambda vs: max(vs)`, `lambda kv: (kv[0], sum(kv[1]))`,
/// `_.sum`, `vs => vs.size`, `{ case (k, vs) => (k, vs.sum) }`.
fn reduces<'t>(model: &crate::model::SparkModel<'t>, function: tree_sitter::Node<'t>) -> bool {
    let mut body = match model.lambda_parts(function) {
        Some((_, body)) => body,
        None => function,
    };
    // Unwrap a block or argument list holding one expression.
    while matches!(
        body.kind_name(),
        "arguments" | "block" | "parenthesized_expression"
    ) && body.named_child_count() == 1
    {
        match body.named_child(0) {
            Some(inner) => body = inner,
            None => return false,
        }
    }
    // `(key, reduction)`: the value part decides.
    if matches!(body.kind_name(), "tuple" | "tuple_expression")
        && let Some(last) = body.named_child(body.named_child_count().saturating_sub(1) as u32)
    {
        body = last;
    }
    let last_name = |node: tree_sitter::Node<'t>| -> Option<&'t str> {
        let text = model.text(node);
        Some(text.rsplit('.').next().unwrap_or(text))
    };
    match body.kind_name() {
        // `sum(vs) / len(vs)`, `vs.sum / vs.size`
        "binary_operator" | "infix_expression" => ["left", "right"].iter().any(|side| {
            body.field(side)
                .is_some_and(|operand| reduces(model, operand))
        }),
        // `sum`, `statistics.mean`
        "identifier" | "attribute" => last_name(body).is_some_and(|n| REDUCERS.contains(&n)),
        // `sum(vs)`, `max(kv[1])`
        "call" => body
            .field("function")
            .and_then(last_name)
            .is_some_and(|n| REDUCERS.contains(&n)),
        // `_.sum`, `vs.size`, `_.reduce(_ + _)`: the last call decides
        "field_expression" | "call_expression" | "postfix_expression" => model
            .method_chain(body)
            .calls
            .last()
            .is_some_and(|c| REDUCERS.contains(&c.name)),
        _ => false,
    }
}
