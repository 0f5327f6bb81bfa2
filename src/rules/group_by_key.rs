use super::{Candidate, Check, Checker, declare_rule};
use crate::model::Kind;

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
        .or_else(|| (!matches!(args.kind(), "arguments" | "argument_list")).then_some(args));
    let Some(function) = function else {
        return;
    };
    if !reduces(model, function) {
        return;
    }
    checker.report(
        group_call.name_node.start_byte()..group_call.node.end_byte(),
        "`groupByKey()` ships every value of a key to one place only to reduce them".to_string(),
    );
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
        body.kind(),
        "arguments" | "block" | "parenthesized_expression"
    ) && body.named_child_count() == 1
    {
        match body.named_child(0) {
            Some(inner) => body = inner,
            None => return false,
        }
    }
    // `(key, reduction)`: the value part decides.
    if matches!(body.kind(), "tuple" | "tuple_expression")
        && let Some(last) = body.named_child(body.named_child_count().saturating_sub(1) as u32)
    {
        body = last;
    }
    let last_name = |node: tree_sitter::Node<'t>| -> Option<&'t str> {
        let text = model.text(node);
        Some(text.rsplit('.').next().unwrap_or(text))
    };
    match body.kind() {
        // `sum(vs) / len(vs)`, `vs.sum / vs.size`
        "binary_operator" | "infix_expression" => ["left", "right"].iter().any(|side| {
            body.child_by_field_name(side)
                .is_some_and(|operand| reduces(model, operand))
        }),
        // `sum`, `statistics.mean`
        "identifier" | "attribute" => last_name(body).is_some_and(|n| REDUCERS.contains(&n)),
        // `sum(vs)`, `max(kv[1])`
        "call" => body
            .child_by_field_name("function")
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
