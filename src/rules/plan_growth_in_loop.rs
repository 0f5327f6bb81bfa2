use super::{Candidate, Check, Checker, chain_call_span, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a DataFrame reassigned from itself on every iteration of a loop
    /// (`df = df.withColumn(...)` in a `for` or `while`) through `withColumn`,
    /// `withColumnRenamed`, `withColumns`, `select`, `drop`, `union`, `unionByName`,
    /// `unionAll` or `join`, and the same growth through `functools.reduce` or
    /// Scala's `foldLeft`/`reduce` over a collection of columns or DataFrames.
    /// Loops over a small literal collection (`loop-threshold`, 10 items by default)
    /// and loops that checkpoint the DataFrame are not flagged.
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
    pub static PLAN_GROWTH_IN_LOOP = {
        code: "SG301",
        name: "plan-growth-in-loop",
        severity: Warning,
        help: "build the expressions in the loop and apply one `select(*exprs)` / `withColumns({...})` (Spark 3.3+); read all inputs in one call or one SQL `UNION ALL`; in iterative algorithms `checkpoint()`/`localCheckpoint()` every k iterations",
        check: Check::Query(check),
    };
}

/// Methods that add a step to a plan.
const GROWTH: &[&str] = &[
    "withColumn",
    "withColumnRenamed",
    "withColumns",
    "withColumnsRenamed",
    "select",
    "drop",
    "union",
    "unionByName",
    "unionAll",
    "join",
];

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

/// `df = df.withColumn(...)` inside a loop.
fn reassigned_in_loop(
    checker: &mut Checker<'_, '_>,
    target: tree_sitter::Node<'_>,
    value: tree_sitter::Node<'_>,
) {
    let model = checker.model;
    let Some(lp) = model.loop_around(&value.byte_range()) else {
        return;
    };
    let chain = model.method_chain(value);
    let name = model.text(target);
    if chain.root.kind() != "identifier" || model.text(chain.root) != name {
        return;
    }
    if !model.value(chain.root).is_distributed() {
        return;
    }
    let Some(growth) = chain.calls.iter().find(|c| GROWTH.contains(&c.name)) else {
        return;
    };
    // An iterative algorithm that checkpoints the carried DataFrame cuts its plan.
    let body = &model.source()[lp.body.clone()];
    if body.contains("checkpoint(") || body.contains("localCheckpoint") {
        return;
    }
    checker.report(
        chain_call_span(growth),
        format!(
            "`{}()` on `{name}` inside a loop adds a step to its plan on every iteration",
            growth.name
        ),
    );
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
            .and_then(|a| model.argument(a, 0, &[]));
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
/// `{ case (acc, c) => ... }`, `_ union _`, `_.join(_, "k")`, `DataFrame.unionByName`.
fn folding_growth<'t>(
    model: &crate::model::SparkModel<'t>,
    f: tree_sitter::Node<'t>,
) -> Option<&'static str> {
    let growth_of = |name: &str| GROWTH.iter().copied().find(|g| *g == name);
    if let Some((params, body)) = model.lambda_parts(f) {
        let acc = params.first()?;
        let chain = model.method_chain(body);
        if chain.root.kind() != "identifier" || model.text(chain.root) != *acc {
            return None;
        }
        return chain.calls.iter().find_map(|c| growth_of(c.name));
    }
    // A Scala argument list or block holding the function.
    let mut inner = f;
    while matches!(
        inner.kind(),
        "arguments" | "block" | "parenthesized_expression"
    ) && inner.named_child_count() == 1
    {
        inner = inner.named_child(0)?;
    }
    match inner.kind() {
        // `_ union _`
        "infix_expression" => {
            let left = inner.child_by_field_name("left")?;
            let operator = inner.child_by_field_name("operator")?;
            (left.kind() == "wildcard")
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
            (chain.root.kind() == "wildcard")
                .then(|| chain.calls.iter().find_map(|c| growth_of(c.name)))
                .flatten()
        }
    }
}
