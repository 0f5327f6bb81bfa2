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
    /// for name in feature_names:
    ///     df = df.withColumn(name, F.col("raw")[name])
    ///
    /// result = spark.table(first)
    /// for t in tables:
    ///     result = result.unionByName(spark.table(t))
    /// ```
    /// ```scala
    /// val wide = featureNames.foldLeft(df)((acc, n) => acc.withColumn(n, col("raw")(n)))
    /// ```
    ///
    /// ## Use instead
    /// Build the expressions in the loop and apply them once; read many inputs in
    /// one call (`spark.read.parquet(*paths)`) or one SQL `UNION ALL`; in iterative
    /// algorithms, `checkpoint()` or `localCheckpoint()` every few iterations.
    /// ```python
    /// df = df.select("*", *[F.col("raw")[n].alias(n) for n in feature_names])
    /// result = spark.sql(" UNION ALL ".join(f"SELECT * FROM {t}" for t in tables))
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
    } else if candidate.get("init").is_some() || candidate.get("items").is_some() {
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
    if let Some(function) = candidate.get("function") {
        let name = model.function_name(function);
        if name.as_deref() != Some("functools.reduce") {
            return;
        }
    }
    let items = candidate.get("items");
    if items.is_some_and(|i| model.is_small_iterable(i)) {
        return;
    }
    let init = candidate.get("init");
    let init_distributed = init.is_some_and(|i| model.value(i).is_distributed());
    let items_distributed = items.is_some_and(|i| model.elements_distributed(i));
    let Some(f) = candidate.get("f") else {
        return;
    };
    // What the folding function does to the accumulator.
    let method = if let Some((params, body)) = model.lambda_parts(f) {
        let Some(acc) = params.first() else {
            return;
        };
        let chain = model.method_chain(body);
        if chain.root.kind() != "identifier" || model.text(chain.root) != *acc {
            return;
        }
        chain.calls.iter().find(|c| GROWTH.contains(&c.name)).map(|c| c.name)
    } else {
        // `DataFrame.unionByName`, `_ union _`
        let text = model.text(f);
        GROWTH
            .iter()
            .copied()
            .find(|g| text.ends_with(&format!("DataFrame.{g}")) || text.contains(&format!(" {g} ")))
    };
    let Some(method) = method else {
        return;
    };
    let dataframe_text = model.text(f).contains("DataFrame.");
    if !(init_distributed || items_distributed || dataframe_text || DATAFRAME_ONLY.contains(&method) && init.is_some()) {
        return;
    }
    let span = match candidate.get("method").or(candidate.get("function")) {
        Some(m) => m.start_byte()..violation.end_byte(),
        None => violation.byte_range(),
    };
    checker.report(
        span,
        format!("folding `{method}()` over a collection nests the plan one step per item"),
    );
}
