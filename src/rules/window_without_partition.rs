use super::{Candidate, Check, Checker, declare_rule};
use crate::lang::NodeExt;

declare_rule! {
    /// ## What it does
    /// Flags a window specification built with `orderBy`, `rowsBetween` or
    /// `rangeBetween` and no `partitionBy` (`Window.orderBy("ts")`).
    ///
    /// ## Why is this bad?
    /// A window without partitions is one partition: Spark moves every row of the
    /// DataFrame to a single task to sort it there (and logs "No Partition Defined
    /// for Window operation!"). The job runs on one core and fails or spills once
    /// the data outgrows one executor.
    ///
    /// ## Example
    /// ```python
    /// from pyspark.sql import Window, functions as F
    ///
    /// w = Window.orderBy("event_time")
    /// seq = spark.table("events").withColumn("seq", F.row_number().over(w))
    /// seq.write.parquet("events_seq")
    /// ```
    ///
    /// ## Use instead
    /// Partition the window by the key the computation is per.
    /// ```python
    /// from pyspark.sql import Window, functions as F
    ///
    /// w = Window.partitionBy("user_id").orderBy("event_time")
    /// seq = spark.table("events").withColumn("seq", F.row_number().over(w))
    /// seq.write.parquet("events_seq")
    /// ```
    pub static WINDOW_WITHOUT_PARTITION = {
        code: "SG306",
        name: "window-without-partition",
        severity: Warning,
        help: "add `partitionBy(...)`: without it every row moves to one partition",
        check: Check::Query(check),
    };
}

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let (Some(window), Some(violation)) = (candidate.get("window"), candidate.get("violation"))
    else {
        return;
    };
    let model = checker.model;
    // `Window`, an alias of it, or its qualified name; never a local value.
    let is_spark_window = model.function_name(window).is_some_and(|name| {
        (name == "Window" && model.text(window) == "Window")
            || name.starts_with("pyspark.") && name.ends_with(".Window")
            || name.starts_with("org.apache.spark.") && name.ends_with(".Window")
    });
    if !is_spark_window {
        return;
    }
    // The whole chain `Window.a(..).b(..)`: walk out from its first call.
    let mut methods = Vec::new();
    let mut partition_calls = Vec::new();
    let mut node = violation;
    loop {
        if let Some(name) = method_name(model, node) {
            methods.push(name);
            if name == "partitionBy" {
                partition_calls.push(node);
            }
        }
        let Some(parent) = node.parent() else { break };
        let continues = match parent.kind_name() {
            "attribute" => parent.field("object") == Some(node),
            "field_expression" => parent.field("value") == Some(node),
            "call" | "call_expression" => parent.field("function") == Some(node),
            _ => false,
        };
        if !continues {
            break;
        }
        node = parent;
    }
    if !methods
        .iter()
        .any(|m| matches!(*m, "orderBy" | "rowsBetween" | "rangeBetween"))
    {
        return;
    }
    let message = if partition_calls.is_empty() {
        "window ordered without `partitionBy` sorts every row in a single partition".to_string()
    } else {
        // `partitionBy(*cols)` partitions by nothing when `cols` is empty.
        let empty: Vec<&str> = partition_calls
            .iter()
            .filter_map(|call| always_empty_partition(model, *call))
            .collect();
        match empty.first() {
            Some(name) => format!(
                "window partitioned by `{name}`, which is empty unless a caller passes it (none in the project does): it sorts every row in a single partition"
            ),
            None => return,
        }
    };
    checker.report(window.start_byte()..node.end_byte(), message);
}

/// The parameter a `partitionBy(*cols)` call spreads when that partitions by
/// nothing: `cols` defaults to an empty tuple or list and every call of its function
/// in the project leaves it out. A method's callers are not in sight, nor are those
/// of a function handed on as a value or with no caller at all: no finding for them.
fn always_empty_partition<'t>(
    model: &crate::model::SparkModel<'t>,
    call: tree_sitter::Node<'t>,
) -> Option<&'t str> {
    let args = call.field("arguments")?;
    let mut cursor = args.walk();
    let spreads: Vec<tree_sitter::Node<'t>> = args.named_children(&mut cursor).collect();
    let [splat] = spreads.as_slice() else {
        return None;
    };
    if splat.kind_name() != "list_splat" {
        return None;
    }
    let name = splat
        .named_child(0)
        .filter(|n| n.kind_name() == "identifier")?;
    let default = model.omitted_param_default(name)?;
    let empty_default =
        matches!(default.kind_name(), "tuple" | "list") && default.named_child_count() == 0;
    empty_default.then(|| model.text(name))
}

/// The method a call node calls (`Window.orderBy(..)` → `orderBy`).
fn method_name<'t>(
    model: &crate::model::SparkModel<'t>,
    node: tree_sitter::Node<'t>,
) -> Option<&'t str> {
    if !matches!(node.kind_name(), "call" | "call_expression") {
        return None;
    }
    let function = node.field("function")?;
    let name = function
        .field("attribute")
        .or_else(|| function.field("field"))?;
    Some(model.text(name))
}
