//! The Spark API table: what a method returns, given what it is called on and what
//! its arguments are. Shared by every language; a language's reader supplies the
//! arguments through `Args`.

use super::effects::{self, Effect};
use super::scope::AggregateExpr;
use super::{FewRows, Key, Kind, ModelOptions, OneRow, Origin, Size, Value};

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
    /// The byte range of the whole call, for messages that name it.
    fn call_range(&self) -> Option<std::ops::Range<usize>> {
        None
    }
    /// The argument is a `range` too large to be small (made lazily by Spark).
    fn large_range(&self, _index: usize, _keywords: &[&str]) -> bool {
        false
    }
    /// The key columns the arguments name (`groupBy("country", "year")`), combined;
    /// `None` when there are none or they cannot be listed.
    fn keys(&self) -> Option<Key> {
        None
    }
    /// The key a function argument makes of each element: of `lambda r: (r.k, 1)`
    /// the `r.k` when `pair`, else of `lambda r: r.k` the `r.k`.
    fn lambda_key(&self, _index: usize, _keywords: &[&str], _pair: bool) -> Option<Key> {
        None
    }
    /// The argument is a filter condition that fixes an identifier column to one
    /// value (`col("id") == x`, `"user_id = 42"`).
    fn point_lookup(&self, _index: usize, _keywords: &[&str]) -> bool {
        false
    }
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
const DATAFRAME_EXPANDING: &[&str] = &[
    "flatMap",
    "explode",
    "unpivot",
    "melt",
    "transpose",
    // A function of each partition may give any number of rows.
    "mapPartitions",
    "mapInPandas",
    "mapInArrow",
];

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

const RDD_EXPANDING: &[&str] = &[
    "flatMap",
    "flatMapValues",
    "pipe",
    "mapPartitions",
    "mapPartitionsWithIndex",
    "mapPartitionsWithSplit",
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

/// What a read of `what` gives: large data whose messages name the read, or few
/// rows when the table or path is declared small.
fn read(kind: Kind, what: &'static str, small: bool, args: &dyn Args) -> Value {
    if small {
        return Value::sized(kind, Size::Few(FewRows::SmallTable));
    }
    match args.call_range() {
        Some(range) => Value::read(kind, Origin::new(range, what)),
        None => Value::sized(kind, Size::Large),
    }
}

/// What a reader method reads, for messages.
fn read_what(method: &str) -> &'static str {
    match method {
        "table" => "table",
        "parquet" => "parquet file",
        "csv" => "CSV file",
        "json" => "JSON file",
        "orc" => "ORC file",
        "avro" => "Avro file",
        "text" | "textFile" => "text file",
        "xml" => "XML file",
        "jdbc" => "JDBC table",
        "delta" => "Delta table",
        "binaryFile" => "binary files",
        _ => "data source",
    }
}

/// The size of data made from a local value the driver holds: driver-sized, unless
/// it is a large `range` (which Spark makes lazily) or distributed data already.
fn from_driver(data: Value, large_range: bool) -> Size {
    if large_range {
        return Size::Large;
    }
    match data.kind {
        Kind::DataFrame | Kind::Rdd => data.size,
        // Collected data is only as small as what it was collected from.
        Kind::Collected if !data.is_small() => data.size,
        _ => Size::Driver,
    }
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
            "table" => read(
                Kind::DataFrame,
                "table",
                small_table(0, &["tableName"]),
                args,
            ),
            "sql" => {
                let query = args.string(0, &["sqlQuery", "query"]);
                match query.and_then(|q| super::sql::size(&q, options)) {
                    Some(size) => Value::sized(Kind::DataFrame, size),
                    None => read(Kind::DataFrame, "SQL query", false, args),
                }
            }
            "createDataFrame" | "createDataset" => {
                // Data already held by the driver: a literal, a local pandas frame or
                // list, rows collected from small data.
                let data = args.value(0, &["data"]);
                let size = if args.literal_data(0, &["data"]) {
                    Size::Driver
                } else if data.kind == Kind::Unknown {
                    // It may be an RDD as well as a local collection.
                    Size::Unknown
                } else {
                    from_driver(data, args.large_range(0, &["data"]))
                };
                Value::sized(Kind::DataFrame, size)
            }
            "emptyDataFrame" | "emptyDataset" => {
                Value::sized(Kind::DataFrame, Size::Few(FewRows::Limit))
            }
            "range" => Value::sized(
                Kind::DataFrame,
                if small_count(range_count(args)) {
                    Size::Few(FewRows::Range)
                } else {
                    Size::Large
                },
            ),
            "sparkContext" => Value::of(Kind::Context),
            "conf" => Value::of(Kind::RuntimeConf),
            "catalog" => Value::of(Kind::Catalog),
            "newSession" | "getActiveSession" | "active" | "getOrCreate" => {
                Value::of(Kind::Session)
            }
            "builder" => Value::of(Kind::Builder),
            // The legacy `SQLContext` / `HiveContext` entry points.
            "createExternalTable" => read(
                Kind::DataFrame,
                "table",
                small_table(0, &["tableName"]),
                args,
            ),
            "parquetFile" => read(Kind::DataFrame, "parquet file", false, args),
            "jsonFile" => read(Kind::DataFrame, "JSON file", false, args),
            "load" | "jdbc" => read(Kind::DataFrame, read_what(method), false, args),
            // Rows of an RDD given a schema: as big as the RDD.
            "inferSchema" | "applySchema" | "jsonRDD" => {
                let data = args.value(0, &["rdd", "json"]);
                Value::sized(Kind::DataFrame, from_driver(data, false))
            }
            "tables" => Value::sized(Kind::DataFrame, Size::Few(FewRows::Metadata)),
            _ => Value::OTHER,
        },
        // `spark.catalog.listTables()` and friends: metadata, a few rows.
        Kind::Catalog => match method {
            "listTables" | "listDatabases" | "listColumns" | "listFunctions" | "listCatalogs"
            | "getTable" | "getDatabase" | "getFunction" | "getTableProperties"
            | "listPartitions" | "listViews" => {
                Value::sized(Kind::DataFrame, Size::Few(FewRows::Metadata))
            }
            "table" | "createTable" | "createExternalTable" => read(
                Kind::DataFrame,
                "table",
                small_table(0, &["tableName"]),
                args,
            ),
            _ => Value::OTHER,
        },
        Kind::Builder => match method {
            "getOrCreate" | "create" => Value::of(Kind::Session),
            _ => Value::of(Kind::Builder),
        },
        Kind::Context => match method {
            // A local collection spread over the cluster: the driver held it.
            "parallelize" | "makeRDD" => {
                let data = args.value(0, &["c", "seq"]);
                let size = if args.literal_data(0, &["c", "seq"]) {
                    Size::Driver
                } else {
                    from_driver(data, args.large_range(0, &["c", "seq"]))
                };
                Value::sized(Kind::Rdd, size)
            }
            "range" => Value::sized(
                Kind::Rdd,
                if small_count(range_count(args)) {
                    Size::Few(FewRows::Range)
                } else {
                    Size::Large
                },
            ),
            "emptyRDD" => Value::sized(Kind::Rdd, Size::Few(FewRows::Limit)),
            "textFile" | "wholeTextFiles" => read(Kind::Rdd, "text file", false, args),
            "binaryFiles" | "binaryRecords" | "sequenceFile" | "objectFile" | "pickleFile"
            | "hadoopFile" | "hadoopRDD" | "newAPIHadoopFile" | "newAPIHadoopRDD" => {
                read(Kind::Rdd, "files", false, args)
            }
            "union" => Value::of(Kind::Rdd),
            // The results of a function of each partition, as a list in the driver.
            "runJob" => {
                let data = args.value(0, &["rdd"]);
                Value {
                    kind: Kind::Collected,
                    ..data
                }
            }
            "broadcast" => Value::of(Kind::Broadcast),
            "getOrCreate" => Value::of(Kind::Context),
            "getConf" => Value::of(Kind::Conf),
            _ => Value::OTHER,
        },
        Kind::Reader => {
            if READER_LOADS.contains(&method) {
                let small = small_table(0, &["path", "paths", "tableName"]);
                read(Kind::DataFrame, read_what(method), small, args)
            } else {
                Value::of(Kind::Reader)
            }
        }
        Kind::DeltaTable => match method {
            "toDF" => read(Kind::DataFrame, "Delta table", false, args),
            // One row of table details; `history(n)` the last `n` commits.
            "detail" => Value::sized(Kind::DataFrame, Size::One(OneRow::Describe)),
            "history" if small_count(args.int(0, &["limit"])) => {
                Value::sized(Kind::DataFrame, Size::Few(FewRows::Metadata))
            }
            // The whole commit log.
            "history" => read(Kind::DataFrame, "Delta table history", false, args),
            "forPath" | "forName" | "alias" | "merge" => Value::of(Kind::DeltaTable),
            _ if method.starts_with("when") => Value::of(Kind::DeltaTable),
            _ => Value::OTHER,
        },
        Kind::DataFrame => match collected(receiver, method, args, options) {
            Some(collected) => collected,
            None => dataframe_method(receiver, method, args, options),
        },
        Kind::Grouped { global } => match effects::classify("GroupedData", method) {
            // Still grouped: pivoted, re-keyed, or paired with other grouped data.
            Some(Effect::Groups | Effect::Combines) => receiver,
            Some(Effect::Shrinks) => {
                let size = if global && !(method == "agg" && args.gathers_rows()) {
                    Size::One(OneRow::Aggregate)
                } else {
                    per_key(receiver)
                };
                Value {
                    key: receiver.key,
                    ..Value::sized(Kind::DataFrame, size)
                }
            }
            // A function of each group: any number of rows per group.
            Some(Effect::Grows) => Value {
                origin: receiver.origin,
                ..Value::sized(Kind::DataFrame, expanded(receiver))
            },
            _ => Value::UNKNOWN,
        },
        Kind::Rdd => rdd_method(receiver, method, args, options),
        Kind::Pandas => Value::of(Kind::Pandas),
        // What is built from collected data is collected data.
        Kind::Collected if matches!(method, "toDF" | "toDS") => {
            Value::sized(Kind::DataFrame, from_driver(receiver, false))
        }
        Kind::Collected => receiver,
        Kind::Conf => Value::of(Kind::Conf),
        Kind::RuntimeConf => Value::OTHER,
        // A local collection made into a Dataset: its data is already in the driver.
        Kind::Other if matches!(method, "toDF" | "toDS") => {
            Value::sized(Kind::DataFrame, Size::Driver)
        }
        Kind::Writer => Value::of(Kind::Writer),
        Kind::Unknown | Kind::Other | Kind::Broadcast => Value::UNKNOWN,
    }
}

/// One row per distinct key of `data` (grouped data, or a DataFrame or pair RDD
/// with a key): as small as the data when that is small, else sized by the key's
/// cardinality.
fn per_key(data: Value) -> Size {
    if data.is_small() {
        return data.size;
    }
    match data.key {
        Some(key) => data.size.min(Size::PerKey(key)),
        None => data.size,
    }
}

/// The size after a method that may return more rows than it got: small data
/// stays in the driver's reach, anything else is no longer known.
fn expanded(receiver: Value) -> Size {
    if receiver.is_small() {
        Size::Driver
    } else if receiver.size == Size::Large {
        Size::Large
    } else {
        Size::Unknown
    }
}

fn rdd_method(receiver: Value, method: &str, args: &dyn Args, options: &ModelOptions) -> Value {
    if let Some(collected) = collected(receiver, method, args, options) {
        return collected;
    }
    let keep = |key: Option<Key>| Value {
        key,
        ..receiver.after(method)
    };
    match method {
        // A function of each element: the key is what the function makes.
        "map" | "keyBy" => keep(args.lambda_key(0, &["f"], method == "map")),
        "mapValues" | "filter" | "sample" | "sortByKey" | "partitionBy" | "sampleByKey"
        | "subtractByKey" => keep(receiver.key),
        "keys" => keep(receiver.key),
        // One element per distinct key.
        "reduceByKey" | "aggregateByKey" | "combineByKey" | "foldByKey" | "groupByKey" => Value {
            size: per_key(receiver),
            ..keep(receiver.key)
        },
        "distinct" => Value {
            size: per_key(receiver),
            ..keep(receiver.key)
        },
        _ if RDD_PRESERVING.contains(&method) => keep(None),
        _ if RDD_COMBINING.contains(&method) => {
            let other = args.value(0, &["other"]);
            Value {
                size: receiver.size.max(other.size),
                ..keep(receiver.key)
            }
        }
        _ if RDD_EXPANDING.contains(&method) => Value {
            size: expanded(receiver),
            ..keep(None)
        },
        "toDF" | "toDS" => Value {
            kind: Kind::DataFrame,
            ..keep(None)
        },
        "context" | "sparkContext" => Value::of(Kind::Context),
        _ => by_effect(receiver, method, effects::classify("RDD", method), args),
    }
}

fn dataframe_method(
    receiver: Value,
    method: &str,
    args: &dyn Args,
    options: &ModelOptions,
) -> Value {
    let small = receiver.is_small();
    let after = receiver.after(method);
    match method {
        "limit" => {
            let count = args.int(0, &["num", "n"]);
            let size = if small {
                receiver.size
            } else if options.is_small_count(count) {
                Size::Few(FewRows::Limit)
            } else {
                receiver.size.min(Size::Capped(count))
            };
            after.with_size(size)
        }
        "agg" if !args.gathers_rows() => {
            after.with_size(receiver.size.min(Size::One(OneRow::Aggregate)))
        }
        "agg" => after,
        "select" | "selectExpr" if args.aggregates_only() => {
            if args.gathers_rows() {
                after
            } else {
                after.with_size(receiver.size.min(Size::One(OneRow::Aggregate)))
            }
        }
        "select" => Value {
            key: args.keys(),
            ..after
        },
        "filter" | "where" if args.point_lookup(0, &["condition"]) => {
            after.with_size(receiver.size.min(Size::Few(FewRows::PointLookup)))
        }
        "distinct" => Value {
            size: per_key(receiver),
            ..after
        },
        "dropDuplicates" | "drop_duplicates" if args.count() > 0 => {
            let keyed = Value {
                key: args.keys(),
                ..receiver
            };
            Value {
                size: per_key(keyed),
                ..after
            }
        }
        "describe" | "summary" => Value::sized(Kind::DataFrame, Size::One(OneRow::Describe)),
        "groupBy" | "groupby" | "rollup" | "cube" | "groupingSets" | "groupByKey" => Value {
            kind: Kind::Grouped {
                global: args.count() == 0,
            },
            key: if method == "groupByKey" {
                args.lambda_key(0, &["func"], false)
            } else {
                args.keys()
            },
            ..after
        },
        "rdd" | "javaRDD" => Value {
            kind: Kind::Rdd,
            key: None,
            ..receiver
        },
        "write" | "writeStream" | "writeTo" | "mergeInto" => Value::of(Kind::Writer),
        "sparkSession" => Value::of(Kind::Session),
        "withColumn" | "withColumns" | "withColumnRenamed" | "withColumnsRenamed" | "drop"
        | "toDF" | "alias" | "as" | "cache" | "persist" | "hint" => after,
        _ if DATAFRAME_PRESERVING.contains(&method) => Value { key: None, ..after },
        _ if DATAFRAME_COMBINING.contains(&method) => {
            let other = args.value(0, &["other"]);
            Value {
                size: receiver.size.max(other.size),
                key: None,
                ..after
            }
        }
        _ if DATAFRAME_EXPANDING.contains(&method) => Value {
            size: expanded(receiver),
            key: None,
            ..after
        },
        "pandas_api" | "to_pandas_on_spark" => Value::of(Kind::Pandas),
        _ => by_effect(
            receiver,
            method,
            effects::classify("DataFrame", method),
            args,
        ),
    }
}

/// What a method the tables have no arm of their own for gives, by what the API
/// catalogue says it does to the receiver's rows.
fn by_effect(receiver: Value, method: &str, effect: Option<Effect>, args: &dyn Args) -> Value {
    let after = Value {
        key: None,
        ..receiver.after(method)
    };
    let Some(effect) = effect else {
        return Value::UNKNOWN;
    };
    match effect {
        Effect::Keeps | Effect::Shrinks | Effect::Splits => after,
        Effect::Combines => {
            let other = args.value(0, &["other"]);
            after.with_size(receiver.size.max(other.size))
        }
        Effect::Grows => after.with_size(expanded(receiver)),
        Effect::Groups => Value {
            kind: Kind::Grouped { global: false },
            ..after
        },
        Effect::Collects => Value {
            kind: Kind::Collected,
            shuffled: false,
            cached: false,
            ..receiver
        },
        Effect::Scalar => Value::sized(Kind::Collected, Size::One(OneRow::Action)),
        Effect::Metadata => Value::sized(Kind::DataFrame, Size::Few(FewRows::Metadata)),
        Effect::Writes => Value::of(Kind::Writer),
        Effect::Reads | Effect::Creates | Effect::Handle | Effect::Converts => Value::UNKNOWN,
        Effect::Local => Value::OTHER,
    }
}

/// What an action that brings data to the driver gives: collected data, as small as
/// its source, or a few rows when it takes a small count. `None` for any other
/// method.
fn collected(
    receiver: Value,
    method: &str,
    args: &dyn Args,
    options: &ModelOptions,
) -> Option<Value> {
    let size = match method {
        // Scala's `rdd.collect(partialFunction)` is a transformation.
        "collect" if args.count() > 0 => return None,
        "collect" | "collectAsList" | "toPandas" | "toLocalIterator" => receiver.size,
        // One entry per distinct key (or value).
        "collectAsMap" | "countByKey" | "countByValue" => per_key(receiver),
        "take" | "head" | "tail" | "takeOrdered" | "top" | "takeAsList" => {
            // `head()` without a count is one row.
            if args.count() == 0 {
                Size::One(OneRow::Action)
            } else if options.is_small_count(args.int(0, &["num", "n"])) {
                receiver.size.min(Size::Few(FewRows::Limit))
            } else {
                receiver.size
            }
        }
        "takeSample" if options.is_small_count(args.int(1, &["num"])) => {
            receiver.size.min(Size::Few(FewRows::Limit))
        }
        "takeSample" => receiver.size,
        // The values of one key of a pair RDD.
        "lookup" => receiver.size.min(Size::Few(FewRows::PointLookup)),
        "first" | "count" | "isEmpty" | "reduce" | "fold" | "aggregate" | "sum" | "max" | "min"
        | "mean" => Size::One(OneRow::Action),
        _ => return None,
    };
    Some(Value {
        kind: Kind::Collected,
        size,
        shuffled: false,
        cached: false,
        origin: receiver.origin,
        key: receiver.key,
    })
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

/// Whether `method` returns at most the rows (or elements) it was called on: a
/// transformation that keeps or drops rows, or an action that brings them back.
pub fn keeps_rows(method: &str) -> bool {
    DATAFRAME_PRESERVING.contains(&method)
        || RDD_PRESERVING.contains(&method)
        || matches!(
            method,
            "limit"
                | "collect"
                | "collectAsList"
                | "collectAsMap"
                | "toPandas"
                | "toLocalIterator"
                | "take"
                | "head"
                | "tail"
                | "rdd"
                | "withColumn"
                | "withColumns"
        )
}
