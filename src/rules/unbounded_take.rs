use super::{Candidate, Check, Checker, call_span, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags `take(n)`, `head(n)`, `tail(n)`, `takeOrdered(n, ...)`, `top(n)` and
    /// `takeSample(_, n)` on a DataFrame, Dataset or RDD when `n` is larger than the
    /// `take-threshold` setting (10000 by default) or is not a known constant.
    ///
    /// ## Why is this bad?
    /// These actions return their rows to the driver as a local array. With a small
    /// literal count they are the right way to peek at data; with a count that comes
    /// from a caller, a config value or a large literal they are a `collect()` by
    /// another name. `head()` and `first()` without a count return one row and are
    /// never flagged.
    ///
    /// ## Example
    /// ```python
    /// def sample_rows(df, n):
    ///     return df.take(n)
    ///
    /// preview = spark.table("events").head(1_000_000)
    /// ```
    /// ```scala
    /// val preview = spark.table("events").head(1000000)
    /// ```
    ///
    /// ## Use instead
    /// Keep large results distributed: `df.limit(n)` followed by a write, or
    /// `df.sample(fraction)`. Give peeks a small constant count.
    /// ```python
    /// spark.table("events").limit(1_000_000).write.parquet("preview")
    /// peek = spark.table("events").take(20)
    /// ```
    pub static UNBOUNDED_TAKE = {
        code: "SG103",
        name: "unbounded-take",
        severity: Warning,
        help: "keep large results distributed with `limit(n)` and a write, or `sample`; give peeks a small constant count",
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
    let value = checker.model.value(receiver);
    if !value.is_unbounded_data() {
        return;
    }
    let method = checker.model.text(method);
    // Where the count is passed.
    let (index, keywords): (usize, &[&str]) = match method {
        "takeSample" => (1, &["num"]),
        _ => (0, &["num", "n"]),
    };
    let Some(count) = checker.model.argument(args, index, keywords) else {
        // `head()` / `tail()` without a count: one row, or not a call we know.
        return;
    };
    let threshold = checker.take_threshold;
    let message = match checker.model.int_value(count) {
        Some(n) if n <= threshold => return,
        Some(n) => format!(
            "`{method}({n})` brings {n} rows into the driver, more than take-threshold ({threshold})"
        ),
        None => format!(
            "`{method}({})` brings a number of rows into the driver that is not a known constant",
            checker.model.text(count)
        ),
    };
    checker.report(call_span(candidate), message);
}
