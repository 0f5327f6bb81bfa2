use super::{Candidate, Check, Checker, argumentless_call, call_span, declare_rule};
use crate::model::{Kind, Size, Value};

declare_rule! {
    /// ## What it does
    /// Flags `collectAsMap()`, `countByKey()` and `countByValue()` on an RDD that is
    /// not evidently small.
    ///
    /// ## Why is this bad?
    /// Each of these builds one hash map in the driver with an entry per distinct key
    /// (or value) of the whole RDD. The number of keys grows with the data, and the
    /// map is built in one JVM: a key space of tens of millions of users is an
    /// `OutOfMemoryError` in the driver.
    ///
    /// ## Example
    /// ```python
    /// visits = spark.table("events").select("user_id").rdd
    /// users = spark.table("users").select("user_id", "name").rdd
    /// counts = visits.map(lambda e: (e.user_id, 1)).countByKey()
    /// names = users.map(lambda u: (u.user_id, u.name)).collectAsMap()
    /// named = {user: (n, names[user]) for user, n in counts.items()}
    /// ```
    ///
    /// ## Use instead
    /// Aggregate on the executors and keep the result distributed: `reduceByKey`
    /// (or `df.groupBy(key).count()`), then join or write it.
    /// ```python
    /// from operator import add
    ///
    /// visits = spark.table("events").select("user_id").rdd
    /// counts = visits.map(lambda e: (e.user_id, 1)).reduceByKey(add).toDF(["user_id", "visits"])
    /// named = counts.join(spark.table("users").select("user_id", "name"), "user_id")
    /// named.write.parquet("visits_by_user")
    /// ```
    pub static COLLECT_AS_MAP = {
        code: "SG104",
        name: "collect-as-map",
        severity: Warning,
        help: "aggregate with `reduceByKey` (or `groupBy(key).count()`) and join or write the result instead of building a map in the driver",
        check: Check::Query(check),
    };
}

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let Some((receiver, method)) = argumentless_call(checker, candidate) else {
        return;
    };
    let value = checker.model.value(receiver);
    // The method names are unique to the RDD API: an unknown receiver in Spark code
    // is an RDD; a known non-RDD value (a DataFrame, pandas, a local result) is not.
    let result = match value.kind {
        Kind::Rdd => checker
            .model
            .value(candidate.get("violation").unwrap_or(receiver)),
        Kind::Unknown => Value::of(Kind::Collected),
        _ => return,
    };
    // One entry per distinct key (or value): small when the key is categorical.
    if result.is_small() {
        return;
    }
    let message = match result.size {
        Size::PerKey(_) => format!(
            "`{method}()` builds a map in the driver with {}",
            checker.rows(result).replacen("one row", "one entry", 1)
        ),
        _ if result.origin.is_some() => format!(
            "`{method}()` builds a map in the driver of every key of {}",
            checker.rows(result).trim_start_matches("every row of ")
        ),
        _ => format!("`{method}()` builds a map of every key of an unbounded RDD in the driver"),
    };
    checker.report_about(call_span(candidate), message, result);
}
