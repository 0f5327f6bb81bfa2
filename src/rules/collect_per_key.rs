use super::{Candidate, Check, Checker, argumentless_call, call_span, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags `collect()`, `collectAsList()` and `toPandas()` of a per-key result
    /// (`groupBy(k).agg(...)`, `select(k).distinct()`, `reduceByKey`) whose key has
    /// a cardinality nothing in the code tells: not a categorical name (country,
    /// status, year) and not an identifier (`user_id`, email). A preview rule: it runs
    /// with `--preview` (or `preview = true`), or when `SG105` is selected by its code.
    ///
    /// ## Why is this bad?
    /// A per-key result has one row per distinct key. With a key of a few values it
    /// is small; with a key of millions of values it is as big as the input, and the
    /// driver holds all of it. SG101 reports the keys that are evidently
    /// identifiers; this rule reports the rest, for teams that want every per-key
    /// collect reviewed. Config `low-cardinality-columns` and
    /// `high-cardinality-columns` say which columns are which.
    ///
    /// ## Example
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// orders = spark.table("orders")
    /// totals = orders.groupBy("campaign").agg(F.sum("amount")).collect()
    /// ```
    /// ```scala
    /// import org.apache.spark.sql.functions.sum
    ///
    /// val orders = spark.table("orders")
    /// val totals = orders.groupBy("campaign").agg(sum("amount")).collect()
    /// ```
    ///
    /// ## Use instead
    /// Write the result, or declare the key in `low-cardinality-columns` when it has
    /// few values.
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// orders = spark.table("orders")
    /// orders.groupBy("campaign").agg(F.sum("amount")).write.parquet("campaign_totals")
    /// ```
    pub static COLLECT_PER_KEY = {
        code: "SG105",
        name: "collect-per-key",
        severity: Info,
        help: "write the per-key result with `df.write`, or declare the key in `low-cardinality-columns` (or `high-cardinality-columns`) so the check knows its size",
        check: Check::Query(check),
        preview: true,
    };
}

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let Some((receiver, method)) = argumentless_call(checker, candidate) else {
        return;
    };
    let value = checker.model.value(receiver);
    if !value.is_distributed() || !value.is_per_key_of_unknown_cardinality() {
        return;
    }
    let message = format!("`{method}()` pulls {} into the driver", checker.rows(value));
    checker.report_about(call_span(candidate), message, value);
}
