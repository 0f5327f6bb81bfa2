use crate::lang::NodeExt;
use tree_sitter::Node;

use super::{Candidate, Check, Checker, chain_call_span, declare_rule};
use crate::diagnostic::{Edit, Fix};
use crate::model::SparkModel;
use crate::model::scope::Loop;

declare_rule! {
    /// ## What it does
    /// Flags a DataFrame reassigned from itself on every iteration of a loop
    /// (`df = df.withColumn(...)` in a `for`, `while`, Scala `.foreach` or `.map`)
    /// through `withColumn`, `withColumnRenamed`, `withColumns`, `select`, `drop`,
    /// `union`, `unionByName`, `unionAll` or `join` — written inline, in a
    /// conditional (`acc = acc.union(x) if acc else x`), or through a function
    /// that returns its argument grown (of the same file, or of another module the
    /// file imports, from the project index) — and the same growth through
    /// `functools.reduce` or Scala's `foldLeft`/`foldRight`/`fold`/`reduce`/
    /// `reduceLeft`/`reduceOption` (any arm of an `if` or `match`, a tuple
    /// accumulator, `_ union _`, a function that unions its two arguments). A join
    /// of another table per iteration grows the plan too, and so does a
    /// `withColumn`-family step on a parameter nothing types (only a DataFrame has
    /// those methods). One finding per loop, on its first growth step.
    ///
    /// Not flagged: loops over a small literal collection (`loop-threshold`, 10 items
    /// by default; also a parameter every call site in the project passes one for, and
    /// a list constant of another module), loops that checkpoint, a step that runs on
    /// one iteration at most (under `if c == "x"`, or followed by `break` or `return`),
    /// and steps on a name each iteration first binds afresh (`tdf = spark.table(t)`
    /// then `tdf = tdf.join(...)`). `df.columns`, `schema.fields`, parameters with no
    /// visible caller and data read at run time are of unknown size.
    ///
    /// ## Why is this bad?
    /// A DataFrame is a plan, not data: each iteration nests the previous plan one
    /// level deeper. The driver re-analyses and re-optimizes the whole tree on
    /// every step, so planning time grows quadratically, driver memory with it, and
    /// long loops end in `StackOverflowError` or minutes of planning before the
    /// first task runs. Unions built this way also produce one stage per input.
    ///
    /// ## Example
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// df = spark.table("events")
    /// for i in range(1, 21):
    ///     df = df.withColumn(f"amount_x{i}", F.col("amount") * i)
    /// df.write.parquet("features")
    ///
    /// days = [f"lake/daily/2026-01-{d:02d}" for d in range(1, 15)]
    /// result = spark.read.parquet(days[0])
    /// for path in days[1:]:
    ///     result = result.unionByName(spark.read.parquet(path))
    /// result.write.parquet("first_fortnight")
    /// ```
    /// ```scala
    /// import org.apache.spark.sql.functions.col
    ///
    /// val df = spark.table("events")
    /// val featureNames = (1 to 20).map(i => s"amount_x$i")
    /// val wide = featureNames.foldLeft(df)((acc, n) => acc.withColumn(n, col("amount") * 2))
    /// wide.write.parquet("features")
    /// ```
    ///
    /// ## Use instead
    /// Build the expressions in the loop and apply them once; read many inputs in
    /// one call (`spark.read.parquet(*paths)`) or one SQL `UNION ALL`; in iterative
    /// algorithms, `checkpoint()` or `localCheckpoint()` every few iterations.
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// df = spark.table("events")
    /// df = df.select("*", *[(F.col("amount") * i).alias(f"amount_x{i}") for i in range(1, 21)])
    /// df.write.parquet("features")
    ///
    /// days = [f"lake/daily/2026-01-{d:02d}" for d in range(1, 15)]
    /// result = spark.read.parquet(*days)
    /// result.write.parquet("first_fortnight")
    /// ```
    ///
    /// ## Fix
    /// Unsafe (applied with `--unsafe-fixes`): a Python `for` loop over a literal list
    /// whose whole body is `df = df.withColumn(name, expr)` becomes one
    /// `df = df.withColumns({name: expr for ... in [...]})`. `withColumns` needs Spark
    /// 3.3, and every expression then reads the columns as they were before the loop: a
    /// loop whose expressions read the columns it adds computes something else.
    pub static PLAN_GROWTH_IN_LOOP = {
        code: "SG301",
        name: "plan-growth-in-loop",
        severity: Warning,
        help: "build the expressions in the loop and apply one `select(*exprs)` / `withColumns({...})` (Spark 3.3+); read all inputs in one call or one SQL `UNION ALL`; in iterative algorithms `checkpoint()`/`localCheckpoint()` every k iterations",
        check: Check::Query(check),
    };
}

/// Methods that add a step to a plan.
const GROWTH: &[&str] = crate::model::scope::PLAN_GROWTH;

/// Growth methods no other common type has (`str.join`, `set.union` exist).
const DATAFRAME_ONLY: &[&str] = &[
    "withColumn",
    "withColumnRenamed",
    "withColumns",
    "withColumnsRenamed",
    "unionByName",
    "unionAll",
];

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    if let (Some(target), Some(value)) = (candidate.get("target"), candidate.get("value")) {
        reassigned_in_loop(checker, target, value);
    } else {
        folded(checker, candidate);
    }
}

/// One growth step of a loop: `df = df.withColumn(...)`, `acc = acc.union(x) if acc
/// else x`, `df = with_flag(df, c)` through a function that grows its argument.
struct Step<'l, 't> {
    lp: &'l Loop<'t>,
    span: std::ops::Range<usize>,
    method: &'static str,
    /// The function of the file that applies the step, when not written inline.
    via: Option<&'t str>,
}

fn growth_step<'l, 't>(
    model: &'l SparkModel<'t>,
    target: Node<'t>,
    value: Node<'t>,
) -> Option<Step<'l, 't>> {
    let lp = model.loop_around(&value.byte_range())?;
    let name = model.text(target);
    let results = model.result_expressions(value);
    // `acc = acc.union(part) if acc else part`: a DataFrame from the first
    // iteration on, whatever it started as.
    let carried_distributed = |root: Node<'t>| {
        model.value(root).is_distributed()
            || results.iter().any(|e| model.value(*e).is_distributed())
    };
    let step = results.iter().find_map(|&expr| {
        let chain = model.method_chain(expr);
        if chain.root.kind_name() == "identifier" && model.text(chain.root) == name {
            let growth = chain.calls.iter().find(|c| GROWTH.contains(&c.name))?;
            // `target = target.withColumn(...)` on a parameter nothing types: only a
            // DataFrame has `withColumn`.
            let dataframe_only = DATAFRAME_ONLY.contains(&growth.name)
                && model.value(chain.root).kind == crate::model::Kind::Unknown;
            if !carried_distributed(chain.root) && !dataframe_only {
                return None;
            }
            let method = GROWTH.iter().copied().find(|g| *g == growth.name)?;
            return Some((chain_call_span(growth), method, None));
        }
        // `df = with_flag(df, c)`: a function that returns its argument grown.
        let (function, args) = call_parts(expr)?;
        let growth = model.param_growth(function)?;
        let argument = model.argument(args, growth.param, &[])?;
        (argument.kind_name() == "identifier"
            && model.text(argument) == name
            && (model.value(argument).is_distributed() || DATAFRAME_ONLY.contains(&growth.method)))
        .then(|| (expr.byte_range(), growth.method, Some(model.text(function))))
    })?;
    // Checkpointing every few iterations cuts the lineage; a step taken on one
    // iteration only does not grow anything; nor does one on a name the iteration
    // binds afresh first (`tdf = distribution(sdf, c)` then `tdf = tdf.join(...)`).
    if model.cuts_lineage(lp)
        || model.runs_at_most_once(lp, value)
        || rebound_before(model, lp, target, value)
    {
        return None;
    }
    Some(Step {
        lp,
        span: step.0,
        method: step.1,
        via: step.2,
    })
}

/// Whether, in the same iteration and before the step at `value`, the loop binds
/// `target`'s name to something not built from it, in a block the step runs in:
/// then the plan starts over on every iteration and only grows by the steps one
/// iteration takes.
fn rebound_before<'t>(
    model: &SparkModel<'t>,
    lp: &Loop<'t>,
    target: Node<'t>,
    value: Node<'t>,
) -> bool {
    let name = model.text(target);
    let resets: Vec<Node<'t>> = model
        .reassignments_in(&lp.body)
        .into_iter()
        .filter(|r| {
            r.target.kind_name() == "identifier"
                && model.text(r.target) == name
                && r.value.end_byte() <= value.start_byte()
                && !super::mentions(model.text(r.value), &[name])
        })
        .map(|r| r.target)
        .collect();
    if resets.is_empty() {
        return false;
    }
    // The blocks between the step and the loop's body.
    let mut blocks = Vec::new();
    let mut node = value;
    while let Some(parent) = node.parent() {
        if parent.start_byte() < lp.body.start || parent.end_byte() > lp.body.end {
            break;
        }
        if matches!(
            parent.kind_name(),
            "block" | "template_body" | "indented_block"
        ) {
            blocks.push(parent.id());
        }
        node = parent;
    }
    resets.iter().any(|reset| {
        // The block the rebinding statement sits in.
        let mut node = *reset;
        for _ in 0..3 {
            let Some(parent) = node.parent() else {
                return false;
            };
            if matches!(
                parent.kind_name(),
                "block" | "template_body" | "indented_block"
            ) {
                return blocks.contains(&parent.id());
            }
            node = parent;
        }
        false
    })
}

/// The function and argument list of a call, in either language.
fn call_parts(node: Node<'_>) -> Option<(Node<'_>, Node<'_>)> {
    if !matches!(node.kind_name(), "call" | "call_expression") {
        return None;
    }
    Some((node.field("function")?, node.field("arguments")?))
}

/// `df = df.withColumn(...)` inside a loop: reported once per loop, on its first
/// growth step, with the others as related positions.
fn reassigned_in_loop(checker: &mut Checker<'_, '_>, target: Node<'_>, value: Node<'_>) {
    let model = checker.model;
    let Some(step) = growth_step(model, target, value) else {
        return;
    };
    let others: Vec<Step<'_, '_>> = model
        .reassignments_in(&step.lp.body)
        .into_iter()
        .filter(|r| r.target.id() != target.id())
        .filter_map(|r| growth_step(model, r.target, r.value))
        .filter(|s| s.lp.range == step.lp.range)
        .collect();
    if others.iter().any(|s| s.span.start < step.span.start) {
        return;
    }
    let name = model.text(target);
    let message = match step.via {
        Some(function) => format!(
            "`{function}()` returns `{name}` with a `{}()` step added, on every iteration of a loop",
            step.method
        ),
        None => format!(
            "`{}()` on `{name}` inside a loop adds a step to its plan on every iteration",
            step.method
        ),
    };
    let fix = match (step.via, step.method) {
        (None, "withColumn") => with_columns_fix(model, step.lp, target, value),
        _ => None,
    };
    checker.report(step.span.clone(), message);
    if let Some(finding) = checker.findings.last_mut() {
        finding.fix = fix;
        for other in &others {
            finding.related.push((
                other.span.clone(),
                format!("`{}()` grows the plan here too", other.method),
            ));
        }
    }
}

/// The fix of a Python loop over a literal list whose whole body is
/// `df = df.withColumn(name, expr)`: one `df = df.withColumns({name: expr for ... in
/// [...]})`. Unsafe: `withColumns` needs Spark 3.3, and every expression then reads
/// the columns as they were before the loop, where an iteration could read a column
/// an earlier one added.
fn with_columns_fix<'t>(
    model: &SparkModel<'t>,
    lp: &Loop<'t>,
    target: Node<'t>,
    value: Node<'t>,
) -> Option<Fix> {
    let SparkModel::Python(py) = model else {
        return None;
    };
    let iterable = lp.iterable?;
    if !matches!(iterable.kind_name(), "list" | "tuple") {
        return None;
    }
    let for_statement = iterable
        .parent()
        .filter(|p| p.kind_name() == "for_statement")?;
    if for_statement.byte_range() != lp.range
        || for_statement.field("alternative").is_some()
        || for_statement
            .child(0)
            .is_some_and(|first| first.kind_name() == "async")
    {
        return None;
    }
    let left = for_statement.field("left")?;
    let body = for_statement.field("body")?;
    // The loop body is this one assignment, with nothing else that the rewrite
    // would drop: a comment ending its line goes on to the new line, any other
    // comment in the loop keeps the loop as it is.
    let mut cursor = body.walk();
    let statements: Vec<Node<'t>> = body
        .named_children(&mut cursor)
        .filter(|node| node.kind_name() != "comment")
        .collect();
    let [statement] = statements.as_slice() else {
        return None;
    };
    let statement = *statement;
    if statement.kind_name() != "expression_statement" || statement.named_child(0) != value.parent()
    {
        return None;
    }
    let source = model.source();
    let line_end = source[statement.end_byte()..]
        .find('\n')
        .map_or(source.len(), |at| statement.end_byte() + at);
    let mut trailing = None;
    for comment in super::comments_in(model, &(lp.range.start..line_end.max(lp.range.end))) {
        if comment.range.start >= statement.end_byte() && comment.range.end <= line_end {
            trailing = Some(comment.range.clone());
        } else {
            return None;
        }
    }
    // `df = df.withColumn(name, expr)`, nothing chained before or after.
    let chain = model.method_chain(value);
    let [call] = chain.calls.as_slice() else {
        return None;
    };
    let args = call.args?;
    if call.node != value || chain.root.kind_name() != "identifier" || args.named_child_count() != 2
    {
        return None;
    }
    let (name, expr) = (args.named_child(0)?, args.named_child(1)?);
    if [name, expr].iter().any(|arg| {
        matches!(
            arg.kind_name(),
            "keyword_argument" | "list_splat" | "dictionary_splat"
        )
    }) {
        return None;
    }
    // The loop's names no longer exist after a comprehension: leave code that reads
    // them after the loop alone.
    for name in &lp.targets {
        let offsets = py.identifier_offsets(name);
        let inside = offsets
            .iter()
            .find(|&&at| body.start_byte() <= at && at < body.end_byte())?;
        let binding = py.binding_at(name, *inside)?;
        if offsets
            .iter()
            .filter(|&&at| at >= lp.range.end)
            .any(|&at| py.binding_at(name, at) == Some(binding))
        {
            return None;
        }
    }
    let df = model.text(target);
    let mut replacement = format!(
        "{df} = {df}.withColumns({{{}: {} for {} in {}}})",
        model.text(name),
        model.text(expr),
        model.text(left),
        model.text(iterable)
    );
    let mut range = lp.range.clone();
    if let Some(comment) = trailing {
        replacement.push_str("  ");
        replacement.push_str(&source[comment.clone()]);
        range.end = range.end.max(comment.end);
    }
    Some(Fix {
        title: "Add the columns in one `withColumns({...})` (Spark 3.3+)".to_string(),
        edits: vec![Edit { range, replacement }],
        safe: false,
    })
}

/// `functools.reduce(f, items, df)`, `cols.foldLeft(df)(f)`, `dfs.reduce(_ union _)`.
fn folded(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let model = checker.model;
    let Some(violation) = candidate.get("violation") else {
        return;
    };
    // The folding function, the collection and the initial value.
    let (f, items, init, name_start) = if let Some(function) = candidate.get("function") {
        // Python's `functools.reduce(f, items[, initial])`
        if model.function_name(function).as_deref() != Some("functools.reduce") {
            return;
        }
        let Some(args) = candidate.get("args") else {
            return;
        };
        (
            model.argument(args, 0, &["function"]),
            model.argument(args, 1, &["iterable", "sequence"]),
            model.argument(args, 2, &["initial"]),
            function.start_byte(),
        )
    } else {
        let Some(method) = candidate.get("method") else {
            return;
        };
        let init = candidate
            .get("init_args")
            .and_then(|a| model.argument(a, 0, &[]))
            // `foldLeft((df, Seq.empty[String]))`: the DataFrame is the tuple's first.
            .map(|i| match i.kind_name() {
                "tuple_expression" | "tuple" => i.named_child(0).unwrap_or(i),
                _ => i,
            });
        (
            candidate.get("f"),
            candidate.get("items"),
            init,
            method.start_byte(),
        )
    };
    let Some(f) = f else {
        return;
    };
    if items.is_some_and(|i| model.is_small_iterable(i)) {
        return;
    }
    let Some(method) = folding_growth(model, f) else {
        return;
    };
    let init_distributed = init.is_some_and(|i| model.value(i).is_distributed());
    let items_distributed = items.is_some_and(|i| model.elements_distributed(i));
    let dataframe_method = model.text(f).contains("DataFrame.");
    if !(init_distributed
        || items_distributed
        || dataframe_method
        || DATAFRAME_ONLY.contains(&method) && init.is_some())
    {
        return;
    }
    checker.report(
        name_start..violation.end_byte(),
        format!("folding `{method}()` over a collection nests the plan one step per item"),
    );
}

/// The growth method a folding function applies to its accumulator:
/// `lambda acc, c: acc.withColumn(...)`, `(acc, c) => acc.union(...)`,
/// `{ case (acc, c) => ... }` (each arm of an `if` or `match`, the first item of a
/// tuple), `_ union _`, `_.join(_, "k")`, `DataFrame.unionByName`, or a function of
/// the file that grows its first argument (`reduce(union_two)`).
fn folding_growth<'t>(model: &SparkModel<'t>, f: Node<'t>) -> Option<&'static str> {
    let growth_of = |name: &str| GROWTH.iter().copied().find(|g| *g == name);
    if let Some((params, body)) = model.lambda_parts(f) {
        let acc = *params.first()?;
        return model.result_expressions(body).into_iter().find_map(|expr| {
            let chain = model.method_chain(expr);
            if chain.root.kind_name() == "identifier" && model.text(chain.root) == acc {
                return chain.calls.iter().find_map(|c| growth_of(c.name));
            }
            let (function, args) = call_parts(expr)?;
            let growth = model.param_growth(function)?;
            let argument = model.argument(args, growth.param, &[])?;
            (model.text(argument) == acc).then_some(growth.method)
        });
    }
    // A Scala argument list or block holding the function.
    let mut inner = f;
    while matches!(
        inner.kind_name(),
        "arguments" | "block" | "parenthesized_expression" | "argument_list"
    ) && inner.named_child_count() == 1
    {
        inner = inner.named_child(0)?;
    }
    if let Some(growth) = model.param_growth(inner)
        && growth.param == 0
    {
        return Some(growth.method);
    }
    match inner.kind_name() {
        // `_ union _`
        "infix_expression" => {
            let left = inner.field("left")?;
            let operator = inner.field("operator")?;
            (left.kind_name() == "wildcard")
                .then(|| growth_of(model.text(operator)))
                .flatten()
        }
        // `DataFrame.unionByName`
        "attribute" | "field_expression" => {
            let text = model.text(inner);
            let (owner, method) = text.rsplit_once('.')?;
            (owner.ends_with("DataFrame") || owner.ends_with("Dataset"))
                .then(|| growth_of(method))
                .flatten()
        }
        // `_.join(_, "k")`
        _ => {
            let chain = model.method_chain(inner);
            (chain.root.kind_name() == "wildcard")
                .then(|| chain.calls.iter().find_map(|c| growth_of(c.name)))
                .flatten()
        }
    }
}
