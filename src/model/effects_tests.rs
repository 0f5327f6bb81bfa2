//! The API-completeness test: every method of `spark_api.txt` (the pyspark release it
//! names) and of `scala_api.txt` is classified, and `api::method` agrees with the
//! class it is given.

use super::*;
use crate::model::api::{self, Args};
use crate::model::scope::AggregateExpr;
use crate::model::{Kind, ModelOptions, Origin, Size, Value};

const PYSPARK: &str = include_str!("spark_api.txt");
const SCALA: &str = include_str!("scala_api.txt");

/// `(section, method)` for every method a list names.
fn listed(text: &str) -> Vec<(&str, &str)> {
    let mut section = "";
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        out.push((section, line));
    }
    out
}

/// A call with no arguments: what the tables say without any.
struct NoArgs;

impl Args for NoArgs {
    fn count(&self) -> usize {
        0
    }
    fn int(&self, _: usize, _: &[&str]) -> Option<i64> {
        None
    }
    fn string(&self, _: usize, _: &[&str]) -> Option<String> {
        None
    }
    fn value(&self, _: usize, _: &[&str]) -> Value {
        Value::UNKNOWN
    }
    fn literal_data(&self, _: usize, _: &[&str]) -> bool {
        false
    }
    fn call_range(&self) -> Option<std::ops::Range<usize>> {
        Some(0..1)
    }
    fn aggregates(&self) -> Option<Vec<Option<AggregateExpr>>> {
        Some(Vec::new())
    }
}

/// The kind the model gives an instance of `class`; `None` for a class it has no
/// kind of its own for (pandas-on-Spark frames are local `Pandas` values to it).
fn kind_of(class: &str) -> Option<Kind> {
    Some(match class {
        "DataFrame" | "Dataset" | "DataFrameNaFunctions" | "DataFrameStatFunctions" => {
            Kind::DataFrame
        }
        "GroupedData" | "KeyValueGroupedDataset" | "PandasCogroupedOps" => {
            Kind::Grouped { global: false }
        }
        "RDD" | "Graph" => Kind::Rdd,
        "SparkSession" | "SQLContext" | "HiveContext" => Kind::Session,
        "SparkContext" => Kind::Context,
        "DataFrameReader" | "DataStreamReader" => Kind::Reader,
        "DataFrameWriter" | "DataFrameWriterV2" | "DataStreamWriter" => Kind::Writer,
        "Catalog" => Kind::Catalog,
        "DeltaTable" => Kind::DeltaTable,
        _ => return None,
    })
}

/// Why `result` (of a large receiver) and `from_small` (of a small one) do not fit
/// `effect`; `None` when they do.
fn disagreement(effect: Effect, result: Value, from_small: Value) -> Option<&'static str> {
    let distributed = |v: Value| v.is_distributed();
    let handle = |v: Value| {
        matches!(
            v.kind,
            Kind::Session
                | Kind::Context
                | Kind::Reader
                | Kind::Writer
                | Kind::Catalog
                | Kind::Conf
                | Kind::RuntimeConf
                | Kind::Builder
                | Kind::Broadcast
                | Kind::DeltaTable
        )
    };
    match effect {
        Keeps | Shrinks | Splits if !distributed(result) => Some("not distributed data"),
        Keeps | Shrinks | Splits if !from_small.is_small() => Some("small data did not stay small"),
        Combines if !distributed(result) && !matches!(result.kind, Kind::Grouped { .. }) => {
            Some("not distributed data")
        }
        Grows if !distributed(result) => Some("not distributed data"),
        Grows if result.is_small() => Some("large data became small"),
        Groups if !matches!(result.kind, Kind::Grouped { .. }) => Some("not grouped data"),
        Collects if result.kind != Kind::Collected => Some("not collected data"),
        Scalar if !matches!(result.kind, Kind::Collected | Kind::Other) => {
            Some("not a local value")
        }
        Scalar if result.kind == Kind::Collected && !result.is_small() => {
            Some("a scalar that is not small")
        }
        Reads if !distributed(result) || result.is_small() => Some("not a large read"),
        Reads if result.origin.is_none() && result.size == Size::Large => {
            Some("a read whose messages cannot name it")
        }
        Creates if !distributed(result) => Some("not distributed data"),
        Metadata if !result.is_small() => Some("metadata that is not small"),
        Writes if !matches!(result.kind, Kind::Writer | Kind::Other) => Some("not a writer"),
        Handle if !handle(result) => Some("not an entry point"),
        Converts if !matches!(result.kind, Kind::Pandas | Kind::DataFrame) => Some("not a frame"),
        Local if result.kind != Kind::Other => Some("not a local value"),
        _ => None,
    }
}

#[test]
fn the_lists_name_their_release_and_known_classes() {
    let header = PYSPARK.lines().next().unwrap_or("");
    assert!(
        header.starts_with("# pyspark ") && header.contains(':'),
        "spark_api.txt must start with the pyspark version it was extracted from: {header}"
    );
    for (section, _) in listed(PYSPARK).into_iter().chain(listed(SCALA)) {
        assert!(CLASSES.contains(&section), "unknown class [{section}]");
    }
    assert!(
        listed(PYSPARK).len() > 500,
        "the pyspark list is incomplete"
    );
}

#[test]
fn every_listed_method_is_classified() {
    let missing: Vec<String> = listed(PYSPARK)
        .into_iter()
        .chain(listed(SCALA))
        .filter(|(class, method)| classify(class, method).is_none())
        .map(|(class, method)| format!("{class}.{method}"))
        .collect();
    assert!(
        missing.is_empty(),
        "{} listed methods the tables do not classify: {}",
        missing.len(),
        missing.join(", ")
    );
}

#[test]
fn the_model_agrees_with_the_classification() {
    let options = ModelOptions::default();
    let mut wrong = Vec::new();
    for (class, method) in listed(PYSPARK).into_iter().chain(listed(SCALA)) {
        let (Some(kind), Some(effect)) = (kind_of(class), classify(class, method)) else {
            continue;
        };
        let large = Value::read(kind, Origin::new(0..1, "table"));
        let small = Value::sized(kind, Size::Driver);
        let result = api::method(large, method, &NoArgs, &options);
        let from_small = api::method(small, method, &NoArgs, &options);
        if let Some(why) = disagreement(effect, result, from_small) {
            wrong.push(format!(
                "{class}.{method} ({effect:?}): {why}, got {:?} {:?}",
                result.kind, result.size
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} methods whose model result does not fit their class:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn unknown_methods_are_not_classified() {
    assert_eq!(classify("DataFrame", "frobnicate"), None);
    assert_eq!(classify("NoSuchClass", "collect"), None);
    assert_eq!(classify("RDD", "collect"), Some(Collects));
    assert_eq!(classify("DataFrame", "limit"), Some(Keeps));
}
