//! Scala: the rule queries. Each method-call rule matches three shapes: a call
//! (`df.collect()`), a field access (`df.collect`) and a postfix call (`df collect`).

/// `queries/scala/<rule-name>.scm`, one per rule that has Scala candidates.
pub static QUERIES: &[(&str, &str)] = &[
    (
        "collect-to-driver",
        include_str!("../../queries/scala/collect-to-driver.scm"),
    ),
    (
        "unbounded-take",
        include_str!("../../queries/scala/unbounded-take.scm"),
    ),
    (
        "collect-as-map",
        include_str!("../../queries/scala/collect-as-map.scm"),
    ),
    (
        "broadcast-unbounded",
        include_str!("../../queries/scala/broadcast-unbounded.scm"),
    ),
    (
        "broadcast-collected",
        include_str!("../../queries/scala/broadcast-collected.scm"),
    ),
    (
        "sql-broadcast-hint",
        include_str!("../../queries/scala/sql-broadcast-hint.scm"),
    ),
];
