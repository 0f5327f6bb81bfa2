use super::{Candidate, Check, Checker, call_span, declare_rule};
use crate::model::Kind;

declare_rule! {
    /// ## What it does
    /// Flags `sc.broadcast(x)` / `spark.sparkContext.broadcast(x)` where `x` was
    /// collected from Spark data that is not evidently small: `collect()`,
    /// `collectAsList()`, `collectAsMap()`, `toPandas()`, directly, through a
    /// variable, or through what is built from them (`dict(...)`, a comprehension,
    /// `.toMap`, `.toSet`).
    ///
    /// ## Why is this bad?
    /// The collect brings the whole dataset into the driver, and the broadcast then
    /// serializes a second copy there before sending it to every executor: the
    /// driver holds the data twice, and it grows with the table.
    ///
    /// ## Example
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// rates = dict(spark.table("fx_rates").select("ccy", "rate").collect())
    /// rates_bc = sc.broadcast(rates)
    /// to_usd = F.udf(lambda ccy, amount: amount * rates_bc.value[ccy], "double")
    /// converted = spark.table("payments").select("payment_id", to_usd("ccy", "amount").alias("usd"))
    /// converted.write.parquet("payments_usd")
    /// ```
    /// ```scala
    /// val rates = spark.table("fx_rates").as[(String, Double)].collect().toMap
    /// val ratesBc = spark.sparkContext.broadcast(rates)
    /// ```
    ///
    /// ## Use instead
    /// Join against the DataFrame instead (with a broadcast hint if it is small),
    /// so the data never passes through the driver.
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// payments = spark.table("payments")
    /// converted = payments.join(spark.table("fx_rates"), "ccy").select(
    ///     "payment_id", (F.col("amount") * F.col("rate")).alias("usd")
    /// )
    /// converted.write.parquet("payments_usd")
    /// ```
    pub static BROADCAST_COLLECTED = {
        code: "SG202",
        name: "broadcast-collected",
        severity: Error,
        help: "join against the DataFrame (with a broadcast hint if it is small) instead of collecting and re-broadcasting: the driver holds the data twice",
        check: Check::Query(check),
    };
}

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let (Some(receiver), Some(args)) = (candidate.get("receiver"), candidate.get("args")) else {
        return;
    };
    let model = checker.model;
    if model.value(receiver).kind != Kind::Context {
        return;
    }
    let Some(arg) = model.argument(args, 0, &["value"]) else {
        return;
    };
    let value = model.value(arg);
    if value.kind != Kind::Collected || value.is_small() {
        return;
    }
    checker.report(
        call_span(candidate),
        "broadcast of data collected from unbounded Spark data: the driver holds it twice"
            .to_string(),
    );
}
