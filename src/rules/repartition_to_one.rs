use super::{Candidate, Check, Checker, call_span, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags `coalesce(1)` and `repartition(1)` on a DataFrame or RDD that is not
    /// evidently small (a `groupBy(key)` aggregate is not: it has a row per key).
    ///
    /// ## Why is this bad?
    /// One partition is one task: the whole dataset flows through a single core and
    /// a single executor's memory and disk, usually just to get one output file.
    /// `coalesce(1)` is worse than it looks, because it also collapses the stage
    /// before it (back to the last shuffle, the final step of an aggregation
    /// included) into that one task.
    ///
    /// ## Example
    /// ```python
    /// events = spark.table("events")
    /// events.coalesce(1).write.csv("exports/events")
    /// ```
    ///
    /// ## Use instead
    /// Write partitioned output; when one file is required, merge the parts after
    /// the job, or bound the data first.
    /// ```python
    /// events = spark.table("events")
    /// events.write.partitionBy("day").parquet("exports/events")
    /// ```
    pub static REPARTITION_TO_ONE = {
        code: "SG309",
        name: "repartition-to-one",
        severity: Warning,
        help: "write partitioned output; merge files after the job if one file is required",
        check: Check::Query(check),
    };
}

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let (Some(receiver), Some(method), Some(args)) = (
        candidate.get("receiver"),
        candidate.get("method"),
        candidate.get("args"),
    ) else {
        return;
    };
    let model = checker.model;
    let Some(count) = model.argument(args, 0, &["numPartitions"]) else {
        return;
    };
    if model.int_value(count) != Some(1) {
        return;
    }
    let value = model.value(receiver);
    // A `limit(n)` of unknown n is a cap the author chose: one task for it is fine.
    if !value.is_unbounded_data() || matches!(value.size, crate::model::Size::Capped(_)) {
        return;
    }
    let method = model.text(method);
    checker.report(
        call_span(candidate),
        format!("`{method}(1)` funnels an unbounded dataset through a single task"),
    );
}
