use tree_sitter::Node;

use crate::model::SparkModel;

use super::{Candidate, Check, Checker, call_span, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags `broadcast(df)` (`pyspark.sql.functions.broadcast`,
    /// `org.apache.spark.sql.functions.broadcast`, under any alias) and
    /// `df.hint("broadcast")` (also `"broadcastjoin"` and `"mapjoin"`) when the
    /// broadcast side is evidently unbounded: a table or file read, maybe filtered,
    /// joined or deduplicated, or cut by a `limit` of unknown count. A side nothing
    /// is known about (a parameter with no caller that says more, a DataFrame built
    /// from rows of unknown origin) is not reported: the hint is then the only
    /// evidence of its size there is, and it says small.
    ///
    /// ## Why is this bad?
    /// A broadcast join first collects the whole broadcast side into the driver,
    /// then ships a copy to every executor. The hint overrides Spark's own size
    /// estimate, so a side that has grown past a few hundred megabytes takes the
    /// driver down with an `OutOfMemoryError` (or fails the job on
    /// `spark.driver.maxResultSize`) instead of falling back to a sort-merge join.
    ///
    /// ## Example
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// orders = spark.table("orders")
    /// enriched = orders.join(F.broadcast(spark.table("customers")), "customer_id")
    /// enriched.write.parquet("enriched_orders")
    /// ```
    /// ```scala
    /// import org.apache.spark.sql.functions.broadcast
    ///
    /// val orders = spark.table("orders")
    /// orders.join(broadcast(spark.table("customers")), "customer_id").write.parquet("enriched_orders")
    /// ```
    ///
    /// ## Use instead
    /// Drop the hint and let adaptive execution choose the join, reduce the side
    /// first (filter, aggregate, limit), or, when the table really is small, declare
    /// it in the `small-tables` setting.
    /// ```python
    /// orders = spark.table("orders")
    /// enriched = orders.join(spark.table("customers"), "customer_id")
    /// enriched.write.parquet("enriched_orders")
    /// ```
    pub static BROADCAST_UNBOUNDED = {
        code: "SG201",
        name: "broadcast-unbounded",
        severity: Error,
        help: "remove the hint and let adaptive execution choose, reduce the side first (filter + aggregate + limit), or declare the table small in config `small-tables`",
        check: Check::Query(check),
    };
}

/// Join hints that broadcast their side.
const BROADCAST_HINTS: &[&str] = &["broadcast", "broadcastjoin", "mapjoin"];

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let Some(args) = candidate.get("args") else {
        return;
    };
    let model = checker.model;
    let side = if let Some(function) = candidate.get("function") {
        // `broadcast(df)`: only the Spark function, under whatever name.
        let is_broadcast = model.function_name(function).is_some_and(|name| {
            name == "pyspark.sql.functions.broadcast"
                || name == "org.apache.spark.sql.functions.broadcast"
        });
        if !is_broadcast {
            return;
        }
        match model.argument(args, 0, &["df"]) {
            Some(arg) => model.value(arg),
            None => return,
        }
    } else {
        // `df.hint("broadcast")`
        let (Some(receiver), Some(name)) = (
            candidate.get("receiver"),
            model.argument(args, 0, &["name"]),
        ) else {
            return;
        };
        let hint = model.string_value(name).map(|h| h.to_ascii_lowercase());
        if !hint.is_some_and(|h| BROADCAST_HINTS.contains(&h.as_str())) {
            return;
        }
        model.value(receiver)
    };
    if !side.is_unbounded_data() {
        return;
    }
    let what = match side.size {
        crate::model::Size::Capped(None) => {
            "a DataFrame cut by a `limit` of unknown count".to_string()
        }
        // Nothing known but the author's hint, which says small.
        crate::model::Size::Unknown if side.origin.is_none() => return,
        _ => checker.rows(side),
    };
    let message = format!(
        "broadcast of {what}: the driver collects all of it before every executor gets a copy"
    );
    // A DataFrame made from driver data has no table name to declare small.
    let side_node = candidate
        .get("function")
        .and_then(|_| model.argument(args, 0, &["df"]))
        .or_else(|| candidate.get("receiver"));
    if side_node.is_some_and(|node| built_from_driver_data(model, node, 0)) {
        checker.report_about(call_span(candidate), message, side);
        if let Some(finding) = checker.findings.last_mut() {
            finding.help = Some(
                "it is built from data in the driver: broadcast it only when that collection is known to be small, else remove the hint and let adaptive execution choose"
                    .to_string(),
            );
        }
        return;
    }
    checker.report_about(call_span(candidate), message, side);
}

/// Calls that make a DataFrame or RDD out of data the driver holds.
const FROM_DRIVER_DATA: &[&str] = &["createDataFrame", "parallelize", "makeRDD", "toDF", "toDS"];

/// Whether the DataFrame `node` names was made from driver data, through variables.
fn built_from_driver_data(model: &SparkModel<'_>, node: Node<'_>, depth: u32) -> bool {
    if depth > 8 {
        return false;
    }
    let chain = model.method_chain(node);
    if let Some(first) = chain.calls.first() {
        return FROM_DRIVER_DATA.contains(&first.name);
    }
    match model.definition(chain.root) {
        Some(definition) if definition != chain.root => {
            built_from_driver_data(model, definition, depth + 1)
        }
        _ => false,
    }
}
