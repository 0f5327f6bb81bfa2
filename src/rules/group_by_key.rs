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
    /// totals = sales.map(lambda s: (s.store, s.amount)).groupByKey().mapValues(sum)
    /// ```
    /// ```scala
    /// val totals = sales.map(s => (s.store, s.amount)).groupByKey().mapValues(_.sum)
    /// ```
    ///
    /// ## Use instead
    /// `reduceByKey` or `aggregateByKey` combine values on each partition before the
    /// shuffle.
    /// ```python
    /// totals = sales.map(lambda s: (s.store, s.amount)).reduceByKey(add)
    /// ```
    pub static GROUP_BY_KEY = {
        code: "SG305",
        name: "group-by-key",
        severity: Warning,
        help: "use `reduceByKey` / `aggregateByKey`: they combine values before the shuffle",
        check: Check::Query(check),
    };
}

/// Text in the function passed to `mapValues`/`map` that reduces a group.
const PYTHON_REDUCTIONS: &[&str] = &["sum(", "len(", "max(", "min(", "reduce(", "mean("];
const PYTHON_REDUCERS: &[&str] = &["sum", "len", "max", "min"];
const SCALA_REDUCTIONS: &[&str] = &[
    ".sum", ".size", ".length", ".max", ".min", ".reduce", ".foldLeft", ".fold(", ".count(",
    ".product",
];

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let (Some(receiver), Some(method), Some(grouped), Some(args)) = (
        candidate.get("receiver"),
        candidate.get("method"),
        candidate.get("grouped"),
        candidate.get("args"),
    ) else {
        return;
    };
    let model = checker.model;
    if model.value(receiver).kind != Kind::Rdd {
        return;
    }
    let Some(function) = model.argument(args, 0, &["f"]) else {
        return;
    };
    let text = model.text(function);
    let reduces = match model.language() {
        crate::lang::Language::Python => {
            PYTHON_REDUCERS.contains(&text) || PYTHON_REDUCTIONS.iter().any(|r| text.contains(r))
        }
        crate::lang::Language::Scala => SCALA_REDUCTIONS.iter().any(|r| text.contains(r)),
    };
    if !reduces {
        return;
    }
    checker.report(
        method.start_byte()..grouped.end_byte(),
        "`groupByKey()` ships every value of a key to one place only to reduce them".to_string(),
    );
}
