use super::{Candidate, Check, Checker, declare_rule};

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
        let continues = match parent.kind() {
            "attribute" => parent.child_by_field_name("object") == Some(node),
            "field_expression" => parent.child_by_field_name("value") == Some(node),
            "call" | "call_expression" => parent.child_by_field_name("function") == Some(node),
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
                "window partitioned by `{name}`, which is empty unless a caller passes it (none in this file does): it sorts every row in a single partition"
            ),
            None => return,
        }
    };
    checker.report(window.start_byte()..node.end_byte(), message);
}

/// The parameter a `partitionBy(*cols)` call spreads when that partitions by
/// nothing: `cols` defaults to an empty tuple or list and every call of its function
/// in the file leaves it out. A method's callers may live in other files, and so may
/// those of a function with no caller here: no finding for them.
fn always_empty_partition<'t>(
    model: &crate::model::SparkModel<'t>,
    call: tree_sitter::Node<'t>,
) -> Option<&'t str> {
    let args = call.child_by_field_name("arguments")?;
    let mut cursor = args.walk();
    let spreads: Vec<tree_sitter::Node<'t>> = args.named_children(&mut cursor).collect();
    let [splat] = spreads.as_slice() else {
        return None;
    };
    if splat.kind() != "list_splat" {
        return None;
    }
    let name_node = splat.named_child(0).filter(|n| n.kind() == "identifier")?;
    let name = model.text(name_node);
    // The function whose parameter it is.
    let mut function = call.parent();
    while let Some(node) = function {
        if node.kind() == "function_definition" {
            break;
        }
        function = node.parent();
    }
    let function = function?;
    let params = function.child_by_field_name("parameters")?;
    let mut cursor = params.walk();
    let (index, param) = params
        .named_children(&mut cursor)
        .enumerate()
        .find(|(_, p)| {
            p.child_by_field_name("name")
                .is_some_and(|n| model.text(n) == name)
        })?;
    let default = param.child_by_field_name("value")?;
    let empty_default =
        matches!(default.kind(), "tuple" | "list") && default.named_child_count() == 0;
    if !empty_default {
        return None;
    }
    let function_name = model.text(function.child_by_field_name("name")?);
    // A method is called through objects that other modules hold: the callers in
    // this file are not all of its callers.
    let mut enclosing = function.parent();
    while let Some(node) = enclosing {
        match node.kind() {
            "class_definition" => return None,
            "function_definition" | "module" => break,
            _ => enclosing = node.parent(),
        }
    }
    let position = index;
    let mut calls = 0;
    let mut stack = vec![model_root(function)];
    while let Some(node) = stack.pop() {
        if node.kind() == "call"
            && let Some(callee) = node.child_by_field_name("function")
        {
            let called = match callee.kind() {
                "identifier" => Some(model.text(callee)),
                "attribute" => callee
                    .child_by_field_name("attribute")
                    .map(|a| model.text(a)),
                _ => None,
            };

            if called == Some(function_name) {
                calls += 1;
                let arguments = node.child_by_field_name("arguments")?;
                let mut cursor = arguments.walk();
                let passes = arguments
                    .named_children(&mut cursor)
                    .enumerate()
                    .any(|(i, arg)| match arg.kind() {
                        "keyword_argument" => arg
                            .child_by_field_name("name")
                            .is_some_and(|n| model.text(n) == name),
                        "list_splat" | "dictionary_splat" => true,
                        _ => i >= position,
                    });
                if passes {
                    return None;
                }
            }
        }
        // Passed along as a value (`map(rank, frames)`): its callers are unknown.
        if node.kind() == "identifier"
            && model.text(node) == function_name
            && node.parent().is_some_and(|parent| {
                !matches!(parent.kind(), "call" | "function_definition" | "attribute")
            })
        {
            return None;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    (calls > 0).then_some(name)
}

/// The root of the tree `node` belongs to.
fn model_root(node: tree_sitter::Node<'_>) -> tree_sitter::Node<'_> {
    let mut root = node;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    root
}

/// The method a call node calls (`Window.orderBy(..)` → `orderBy`).
fn method_name<'t>(
    model: &crate::model::SparkModel<'t>,
    node: tree_sitter::Node<'t>,
) -> Option<&'t str> {
    if !matches!(node.kind(), "call" | "call_expression") {
        return None;
    }
    let function = node.child_by_field_name("function")?;
    let name = function
        .child_by_field_name("attribute")
        .or_else(|| function.child_by_field_name("field"))?;
    Some(model.text(name))
}
