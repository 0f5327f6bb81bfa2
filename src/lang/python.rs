//! Python: the rule queries and the PySpark API table — which methods return a
//! DataFrame, an RDD or grouped data, and which of them bound the data.

/// `queries/python/<rule-name>.scm`, one per rule that has Python candidates.
pub static QUERIES: &[(&str, &str)] = &[
    (
        "collect-to-driver",
        include_str!("../../queries/python/collect-to-driver.scm"),
    ),
    (
        "topandas-to-driver",
        include_str!("../../queries/python/topandas-to-driver.scm"),
    ),
    (
        "unbounded-take",
        include_str!("../../queries/python/unbounded-take.scm"),
    ),
    (
        "collect-as-map",
        include_str!("../../queries/python/collect-as-map.scm"),
    ),
    (
        "broadcast-unbounded",
        include_str!("../../queries/python/broadcast-unbounded.scm"),
    ),
    (
        "broadcast-collected",
        include_str!("../../queries/python/broadcast-collected.scm"),
    ),
    (
        "sql-broadcast-hint",
        include_str!("../../queries/python/sql-broadcast-hint.scm"),
    ),
];
