use super::{Candidate, Check, Checker, declare_rule};
use crate::diagnostic::{Edit, Fix};
use crate::lang::Language;
use crate::lang::NodeExt;

declare_rule! {
    /// ## What it does
    /// Flags counting a DataFrame or RDD to learn whether it is empty:
    /// `df.count() == 0`, `> 0`, `!= 0`, `>= 1`, `< 1`, `if df.count():`,
    /// `not df.count()`, `len(df.collect()) == 0`, Scala `df.count() == 0` /
    /// `> 0`. The fix rewrites the test with `isEmpty` (PySpark 3.3 and later; every
    /// Scala Dataset and RDD).
    ///
    /// ## Why is this bad?
    /// `count()` reads and counts every row of every partition to answer a yes/no
    /// question; `len(df.collect())` even brings every row to the driver first.
    /// `isEmpty()` stops at the first row it finds.
    ///
    /// ## Example
    /// ```python
    /// new_orders = spark.table("orders").filter("status = 'new'")
    /// if new_orders.count() == 0:
    ///     print("no new orders")
    /// else:
    ///     new_orders.write.parquet("new_orders")
    /// ```
    /// ```scala
    /// val newOrders = spark.table("orders").filter($"status" === "new")
    /// if (newOrders.count() > 0) newOrders.write.parquet("new_orders")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// new_orders = spark.table("orders").filter("status = 'new'")
    /// if new_orders.isEmpty():
    ///     print("no new orders")
    /// else:
    ///     new_orders.write.parquet("new_orders")
    /// ```
    /// ```scala
    /// val newOrders = spark.table("orders").filter($"status" === "new")
    /// if (!newOrders.isEmpty) newOrders.write.parquet("new_orders")
    /// ```
    ///
    /// ## Fix
    /// Safe: the test becomes `df.isEmpty()` / `not df.isEmpty()` (Scala `df.isEmpty` /
    /// `!df.isEmpty`).
    pub static COUNT_FOR_EMPTINESS = {
        code: "SG307",
        name: "count-for-emptiness",
        severity: Warning,
        help: "use `df.isEmpty()` (PySpark 3.3+, `ds.isEmpty` in Scala): it stops at the first row instead of counting all of them",
        check: Check::Query(check),
    };
}

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let (Some(receiver), Some(count), Some(violation)) = (
        candidate.get("receiver"),
        candidate.get("count"),
        candidate.get("violation"),
    ) else {
        return;
    };
    let model = checker.model;
    // `df.limit(1).count() == 0` counts at most a row: an emptiness test already.
    let value = model.value(receiver);
    if !value.is_distributed() || value.is_small() {
        return;
    }
    // What the test asks: is it empty (true) or not empty (false)?
    let empty = match candidate.get("number") {
        Some(number) => {
            let Some(n) = model.int_value(number) else {
                return;
            };
            // A chained comparison (`0 < df.count() < 10`) is not an emptiness test.
            if violation.kind_name() == "comparison_operator" && violation.named_child_count() > 2 {
                return;
            }
            let count_first = count.start_byte() < number.start_byte();
            let (left, right) = if count_first {
                (count, number)
            } else {
                (number, count)
            };
            let operator = model.source()[left.end_byte()..right.start_byte()].trim();
            let operator = if count_first {
                operator.to_string()
            } else {
                flip(operator)
            };
            match (operator.as_str(), n) {
                ("==", 0) | ("<", 1) | ("<=", 0) => true,
                ("!=", 0) | (">", 0) | (">=", 1) => false,
                _ => return,
            }
        }
        // `not df.count()` asks for emptiness; `if df.count():` for the opposite.
        None => violation.kind_name() == "not_operator",
    };
    let subject = model.text(receiver);
    let scala = model.language() == Language::Scala;
    let replacement = match (scala, empty) {
        (false, true) => format!("{subject}.isEmpty()"),
        (false, false) => format!("not {subject}.isEmpty()"),
        (true, true) => format!("{subject}.isEmpty"),
        (true, false) => format!("!{subject}.isEmpty"),
    };
    let found = model
        .text(violation)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let fix = Fix {
        title: format!("Replace with `{replacement}`"),
        edits: vec![Edit {
            range: violation.byte_range(),
            replacement: replacement.clone(),
        }],
        safe: true,
    };
    let shown = if found.len() > 60 {
        "this test".to_string()
    } else {
        format!("`{found}`")
    };
    checker.report_with_fix(
        violation.byte_range(),
        format!("{shown} counts every row to learn whether there is one"),
        fix,
    );
}

/// The operator that says the same with its operands swapped.
fn flip(operator: &str) -> String {
    match operator {
        "<" => ">",
        ">" => "<",
        "<=" => ">=",
        ">=" => "<=",
        other => other,
    }
    .to_string()
}
