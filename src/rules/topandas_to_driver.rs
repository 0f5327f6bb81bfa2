use super::{Candidate, Check, Checker, argumentless_call, call_span, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags `toPandas()` on a DataFrame that is not evidently small.
    ///
    /// ## Why is this bad?
    /// `toPandas()` collects every row into the driver and then builds a pandas
    /// DataFrame from them in the driver's Python process: the data is held at least
    /// twice, once as rows (or Arrow batches) and once as pandas columns. On a table
    /// or file read it is the most common way a PySpark job kills its driver.
    ///
    /// ## Example
    /// ```python
    /// def score(pdf):
    ///     return pdf.assign(score=pdf["amount"] * 0.01)
    ///
    /// pdf = score(spark.table("events").select("event_id", "amount").toPandas())
    /// ```
    ///
    /// ## Use instead
    /// Run the pandas code on the executors with `mapInPandas` / `applyInPandas`, use
    /// the pandas API on Spark (`df.pandas_api()`), or bound the data first
    /// (`df.limit(n).toPandas()`, with Arrow enabled).
    /// ```python
    /// def score(pdf):
    ///     return pdf.assign(score=pdf["amount"] * 0.01)
    ///
    /// def score_batches(batches):
    ///     for pdf in batches:
    ///         yield score(pdf)
    ///
    /// scored = spark.table("events").select("event_id", "amount").mapInPandas(
    ///     score_batches, "event_id long, amount long, score double"
    /// )
    /// scored.write.parquet("scored")
    /// ```
    pub static TOPANDAS_TO_DRIVER = {
        code: "SG102",
        name: "topandas-to-driver",
        severity: Error,
        help: "use `df.pandas_api()`, `mapInPandas`/`applyInPandas` to run pandas per partition, or `df.limit(n).toPandas()` with Arrow enabled",
        check: Check::Query(check),
    };
}

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let Some((receiver, _)) = argumentless_call(checker, candidate) else {
        return;
    };
    let value = checker.model.value(receiver);
    if value.kind != crate::model::Kind::DataFrame || !value.is_too_big_to_collect() {
        return;
    }
    checker.report_about(
        call_span(candidate),
        format!(
            "`toPandas()` copies {} into driver memory",
            checker.rows(value)
        ),
        value,
    );
}
