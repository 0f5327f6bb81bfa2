//! The Spark API table: what a method returns, given what it is called on and what
//! its arguments are. Shared by every language; a language's reader supplies the
//! arguments through `Args`.

use super::scope::AggregateExpr;
use super::{Kind, ModelOptions, Value};

/// The arguments of one call, as the language's reader sees them. Each lookup takes
/// a positional index and the keyword names the parameter may be passed by.
pub trait Args {
    /// How many arguments there are (0 for a property access).
    fn count(&self) -> usize;
    /// A known integer constant.
    fn int(&self, index: usize, keywords: &[&str]) -> Option<i64>;
    /// A known string constant (the literal parts of an interpolated string too).
    fn string(&self, index: usize, keywords: &[&str]) -> Option<String>;
    /// What the argument is.
    fn value(&self, index: usize, keywords: &[&str]) -> Value;
    /// Literal data: a literal list, tuple, set, `Seq(...)`, or a small `range`.
    fn literal_data(&self, index: usize, keywords: &[&str]) -> bool;
    /// Each argument as an aggregate column expression (`None` for one that is
    /// not); `None` in all when the arguments cannot be listed (`*args`).
    fn aggregates(&self) -> Option<Vec<Option<AggregateExpr>>>;

    /// Every argument is an aggregate expression or literal, and one is an aggregate.
    fn aggregates_only(&self) -> bool {
        self.aggregates()
            .is_some_and(|all| AggregateExpr::all(all).is_some())
    }

    /// Some argument gathers rows into one value (`collect_list`, `collect_set`):
    /// one output row that still holds the whole input.
    fn gathers_rows(&self) -> bool {
        self.aggregates().is_some_and(|all| {
            all.iter()
                .any(|a| matches!(a, Some(AggregateExpr::Aggregate { gathers: true })))
        })
    }
}

/// Methods of a DataFrame that return a DataFrame with at most as many rows as the
/// receiver had (so a bounded receiver stays bounded).
const DATAFRAME_PRESERVING: &[&str] = &[
    "alias",
    "as",
    "cache",
    "checkpoint",
    "coalesce",
    "distinct",
    "drop",
    "dropDuplicates",
    "dropDuplicatesWithinWatermark",
    "drop_duplicates",
    "dropna",
    "exceptAll",
    "fillna",
    "filter",
    "hint",
    "intersect",
    "intersectAll",
    "localCheckpoint",
    "na",
    "observe",
    "offset",
    "orderBy",
    "persist",
    "repartition",
    "repartitionByRange",
    "replace",
    "sample",
    "sampleBy",
    "select",
    "selectExpr",
    "sort",
    "sortWithinPartitions",
    "subtract",
    "to",
    "toDF",
    "toDS",
    "transform",
    "unpersist",
    "where",
    "withColumn",
    "withColumnRenamed",
    "withColumns",
    "withColumnsRenamed",
    "withMetadata",
    "withWatermark",
    "map",
    "mapPartitions",
    "mapInPandas",
    "mapInArrow",
    "sortBy",
    "except",
];

/// Methods of a DataFrame that return a DataFrame built from two sides: bounded only
/// when both are.
const DATAFRAME_COMBINING: &[&str] = &[
    "crossJoin",
    "join",
    "joinWith",
    "lateralJoin",
    "union",
    "unionAll",
    "unionByName",
];

/// Methods of a DataFrame that may return more rows than they got.
const DATAFRAME_EXPANDING: &[&str] = &["flatMap", "explode", "unpivot", "melt"];

/// Reader methods that load data.
const READER_LOADS: &[&str] = &[
    "avro",
    "csv",
    "delta",
    "jdbc",
    "json",
    "load",
    "orc",
    "parquet",
    "table",
    "text",
    "textFile",
    "xml",
    "binaryFile",
    "changes",
];

/// RDD methods that return an RDD with at most as many elements as the receiver.
const RDD_PRESERVING: &[&str] = &[
    "aggregateByKey",
    "cache",
    "checkpoint",
    "coalesce",
    "collect", // Scala `collect(partialFunction)`: a transformation
    "combineByKey",
    "distinct",
    "filter",
    "foldByKey",
    "glom",
    "groupBy",
    "groupByKey",
    "keyBy",
    "keys",
    "localCheckpoint",
    "map",
    "mapPartitions",
    "mapPartitionsWithIndex",
    "mapValues",
    "partitionBy",
    "persist",
    "reduceByKey",
    "repartition",
    "repartitionAndSortWithinPartitions",
    "sample",
    "sampleByKey",
    "setName",
    "sortBy",
    "sortByKey",
    "subtract",
    "subtractByKey",
    "unpersist",
    "values",
    "zipWithIndex",
    "zipWithUniqueId",
    "intersection",
];

const RDD_COMBINING: &[&str] = &[
    "cartesian",
    "cogroup",
    "fullOuterJoin",
    "join",
    "leftOuterJoin",
    "rightOuterJoin",
    "union",
    "zip",
    "zipPartitions",
];

const RDD_EXPANDING: &[&str] = &["flatMap", "flatMapValues", "pipe"];

/// Methods of grouped data that return a DataFrame.
const GROUPED_TO_DATAFRAME: &[&str] = &[
    "agg",
    "apply",
    "applyInArrow",
    "applyInPandas",
    "applyInPandasWithState",
    "avg",
    "count",
    "flatMapGroups",
    "flatMapGroupsWithState",
    "keys",
    "mapGroups",
    "mapGroupsWithState",
    "max",
    "mean",
    "min",
    "reduceGroups",
    "sum",
    "transformWithStateInPandas",
];

/// Methods after which the data has been shuffled.
const SHUFFLING: &[&str] = &[
    "agg",
    "aggregateByKey",
    "cogroup",
    "combineByKey",
    "crossJoin",
    "cube",
    "distinct",
    "dropDuplicates",
    "drop_duplicates",
    "except",
    "exceptAll",
    "foldByKey",
    "fullOuterJoin",
    "groupBy",
    "groupByKey",
    "groupby",
    "intersect",
    "intersectAll",
    "intersection",
    "join",
    "joinWith",
    "leftOuterJoin",
    "orderBy",
    "reduceByKey",
    "repartition",
    "repartitionByRange",
    "rightOuterJoin",
    "rollup",
    "sort",
    "sortBy",
    "sortByKey",
    "subtract",
    "subtractByKey",
];

/// What calling (or reading the property) `method` on `receiver` gives.
pub fn method(receiver: Value, method: &str, args: &dyn Args, options: &ModelOptions) -> Value {
    let mut result = method_result(receiver, method, args, options);
    if matches!(
        result.kind,
        Kind::DataFrame | Kind::Rdd | Kind::Grouped { .. }
    ) {
        if SHUFFLING.contains(&method) || matches!(receiver.kind, Kind::Grouped { .. }) {
            result.shuffled = true;
            result.cached = false;
        } else if DATAFRAME_COMBINING.contains(&method) || RDD_COMBINING.contains(&method) {
            result.shuffled |= args.value(0, &["other"]).shuffled;
            result.cached = false;
        }
        match method {
            "cache" | "persist" | "checkpoint" | "localCheckpoint" => result.cached = true,
            "unpersist" => result.cached = false,
            _ => {}
        }
    }
    result
}

fn method_result(receiver: Value, method: &str, args: &dyn Args, options: &ModelOptions) -> Value {
    let small_count = |n: Option<i64>| options.is_small_count(n);
    let small_table = |index: usize, keywords: &[&str]| {
        args.string(index, keywords)
            .is_some_and(|name| options.is_small_table(&name))
    };
    match receiver.kind {
        Kind::Session => match method {
            "read" | "readStream" => Value::of(Kind::Reader),
            "table" => Value::of(Kind::DataFrame).with_bounded(small_table(0, &["tableName"])),
            "sql" => {
                let query = args.string(0, &["sqlQuery", "query"]);
                let bounded =
                    query.is_some_and(|q| super::sql::is_bounded(&q, options.small_count));
                Value::of(Kind::DataFrame).with_bounded(bounded)
            }
            "createDataFrame" | "createDataset" => {
                // Data already held by the driver: a literal, a local pandas frame or
                // list, or a bounded collect.
                let data = args.value(0, &["data"]);
                let local = match data.kind {
                    Kind::Pandas | Kind::Other => true,
                    Kind::Collected => data.bounded,
                    _ => false,
                };
                Value::of(Kind::DataFrame).with_bounded(args.literal_data(0, &["data"]) || local)
            }
            "emptyDataFrame" | "emptyDataset" => Value::bounded(Kind::DataFrame),
            "range" => Value::of(Kind::DataFrame).with_bounded(small_count(range_count(args))),
            "sparkContext" => Value::of(Kind::Context),
            "conf" => Value::of(Kind::RuntimeConf),
            "newSession" | "getActiveSession" | "active" => Value::of(Kind::Session),
            "builder" => Value::of(Kind::Builder),
            _ => Value::OTHER,
        },
        Kind::Builder => match method {
            "getOrCreate" | "create" => Value::of(Kind::Session),
            _ => Value::of(Kind::Builder),
        },
        Kind::Context => match method {
            "parallelize" | "makeRDD" => {
                Value::of(Kind::Rdd).with_bounded(args.literal_data(0, &["c", "seq"]))
            }
            "range" => Value::of(Kind::Rdd).with_bounded(small_count(range_count(args))),
            "emptyRDD" => Value::bounded(Kind::Rdd),
            "textFile" | "wholeTextFiles" | "binaryFiles" | "binaryRecords" | "sequenceFile"
            | "objectFile" | "pickleFile" | "hadoopFile" | "hadoopRDD" | "newAPIHadoopFile"
            | "newAPIHadoopRDD" | "union" => Value::of(Kind::Rdd),
            "broadcast" => Value::of(Kind::Broadcast),
            "getOrCreate" => Value::of(Kind::Context),
            "getConf" => Value::of(Kind::Conf),
            _ => Value::OTHER,
        },
        Kind::Reader => {
            if READER_LOADS.contains(&method) {
                Value::of(Kind::DataFrame)
                    .with_bounded(small_table(0, &["path", "paths", "tableName"]))
            } else {
                Value::of(Kind::Reader)
            }
        }
        Kind::DeltaTable => match method {
            "toDF" | "history" | "detail" => Value::of(Kind::DataFrame),
            "forPath" | "forName" | "alias" => Value::of(Kind::DeltaTable),
            _ => Value::OTHER,
        },
        Kind::DataFrame => match collected(receiver, method, args, options) {
            Some(collected) => collected,
            None => dataframe_method(receiver, method, args, small_count),
        },
        Kind::Grouped { global } => {
            if method == "pivot" || method == "mapValues" {
                receiver
            } else if GROUPED_TO_DATAFRAME.contains(&method) {
                let one_row = global && !(method == "agg" && args.gathers_rows());
                Value::of(Kind::DataFrame).with_bounded(receiver.bounded || one_row)
            } else {
                Value::UNKNOWN
            }
        }
        Kind::Rdd => {
            if let Some(collected) = collected(receiver, method, args, options) {
                collected
            } else if RDD_PRESERVING.contains(&method) {
                receiver
            } else if RDD_COMBINING.contains(&method) {
                let other = args.value(0, &["other"]);
                receiver.with_bounded(receiver.bounded && other.bounded)
            } else if RDD_EXPANDING.contains(&method) {
                Value::of(Kind::Rdd)
            } else if method == "toDF" || method == "toDS" {
                Value::of(Kind::DataFrame).with_bounded(receiver.bounded)
            } else if method == "context" || method == "sparkContext" {
                Value::of(Kind::Context)
            } else {
                Value::OTHER
            }
        }
        Kind::Pandas => Value::of(Kind::Pandas),
        // What is built from collected data is collected data.
        Kind::Collected if matches!(method, "toDF" | "toDS") => {
            Value::of(Kind::DataFrame).with_bounded(receiver.bounded)
        }
        Kind::Collected => receiver,
        Kind::Conf => Value::of(Kind::Conf),
        Kind::RuntimeConf => Value::OTHER,
        // A local collection made into a Dataset: its data is already in the driver.
        Kind::Other if matches!(method, "toDF" | "toDS") => {
            Value::of(Kind::DataFrame).with_bounded(receiver.bounded)
        }
        Kind::Writer => Value::of(Kind::Writer),
        Kind::Unknown | Kind::Other | Kind::Broadcast => Value::UNKNOWN,
    }
}

fn dataframe_method(
    receiver: Value,
    method: &str,
    args: &dyn Args,
    small_count: impl Fn(Option<i64>) -> bool,
) -> Value {
    let bounded = receiver.bounded;
    match method {
        "limit" => {
            let count = args.int(0, &["num", "n"]);
            Value {
                limited: receiver.limited || count.is_none(),
                ..receiver.with_bounded(bounded || small_count(count))
            }
        }
        "agg" => receiver.with_bounded(bounded || !args.gathers_rows()),
        "select" | "selectExpr" if args.aggregates_only() => {
            receiver.with_bounded(bounded || !args.gathers_rows())
        }
        "describe" | "summary" => Value::bounded(Kind::DataFrame),
        "groupBy" | "groupby" | "rollup" | "cube" | "groupingSets" | "groupByKey" => Value {
            kind: Kind::Grouped {
                global: args.count() == 0,
            },
            ..receiver
        },
        "rdd" | "javaRDD" => Value::of(Kind::Rdd).with_bounded(bounded),
        "write" | "writeStream" | "writeTo" | "mergeInto" => Value::of(Kind::Writer),
        "sparkSession" => Value::of(Kind::Session),
        _ if DATAFRAME_PRESERVING.contains(&method) => receiver,
        _ if DATAFRAME_COMBINING.contains(&method) => {
            let other = args.value(0, &["other"]);
            receiver.with_bounded(bounded && other.bounded)
        }
        _ if DATAFRAME_EXPANDING.contains(&method) => Value::of(Kind::DataFrame),
        // Other actions and properties: local results.
        "show" | "columns" | "schema" | "dtypes" | "foreach" | "foreachPartition"
        | "printSchema" | "explain" => Value::OTHER,
        _ => Value::UNKNOWN,
    }
}

/// What an action that brings data to the driver gives: collected data, bounded when
/// the source was or when it takes a small count. `None` for any other method.
fn collected(
    receiver: Value,
    method: &str,
    args: &dyn Args,
    options: &ModelOptions,
) -> Option<Value> {
    let bounded = match method {
        // Scala's `rdd.collect(partialFunction)` is a transformation.
        "collect" if args.count() > 0 => return None,
        "collect" | "collectAsList" | "collectAsMap" | "countByKey" | "countByValue"
        | "toPandas" | "toLocalIterator" => receiver.bounded,
        "take" | "head" | "tail" | "takeOrdered" | "top" | "takeAsList" => {
            // `head()` without a count is one row.
            receiver.bounded
                || args.count() == 0
                || options.is_small_count(args.int(0, &["num", "n"]))
        }
        "takeSample" => receiver.bounded || options.is_small_count(args.int(1, &["num"])),
        "first" | "count" | "isEmpty" | "reduce" | "fold" | "aggregate" | "sum" | "max" | "min"
        | "mean" => true,
        _ => return None,
    };
    Some(Value::of(Kind::Collected).with_bounded(bounded))
}

/// The number of elements `range(end)` / `range(start, end[, step])` produces.
fn range_count(args: &dyn Args) -> Option<i64> {
    match args.count() {
        1 => args.int(0, &["end"]),
        2..=4 => {
            let start = args.int(0, &["start"])?;
            let end = args.int(1, &["end"])?;
            let step = if args.count() >= 3 {
                args.int(2, &["step"])?
            } else {
                1
            };
            if step == 0 {
                return None;
            }
            Some(((end - start) / step).max(0))
        }
        _ => None,
    }
}

/// Aggregate functions of `pyspark.sql.functions` / `org.apache.spark.sql.functions`.
pub const AGGREGATE_FUNCTIONS: &[&str] = &[
    "any_value",
    "approx_count_distinct",
    "approxCountDistinct",
    "approx_percentile",
    "avg",
    "bit_and",
    "bit_or",
    "bit_xor",
    "bool_and",
    "bool_or",
    "corr",
    "count",
    "countDistinct",
    "count_distinct",
    "count_if",
    "covar_pop",
    "covar_samp",
    "every",
    "first",
    "first_value",
    "kurtosis",
    "last",
    "last_value",
    "max",
    "max_by",
    "mean",
    "median",
    "min",
    "min_by",
    "mode",
    "percentile",
    "percentile_approx",
    "product",
    "skewness",
    "some",
    "stddev",
    "stddev_pop",
    "stddev_samp",
    "sum",
    "sumDistinct",
    "sum_distinct",
    "variance",
    "var_pop",
    "var_samp",
    "collect_list",
    "collect_set",
    "array_agg",
    "listagg",
    "string_agg",
];

/// Aggregates whose one result row holds every input row.
pub const GATHERING_AGGREGATES: &[&str] = &[
    "collect_list",
    "collect_set",
    "array_agg",
    "listagg",
    "string_agg",
];
