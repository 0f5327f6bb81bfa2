use super::{Candidate, Check, Checker, argumentless_call, call_span, declare_rule};

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
}
