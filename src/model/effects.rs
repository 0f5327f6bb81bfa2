//! What each public method of the Spark API does to the rows it is called on, class by
//! class: the catalogue `api::method` is checked against. The classes and their
//! methods are listed in `spark_api.txt` (extracted from the pyspark sdist by
//! `scripts/spark-api`) and `scala_api.txt` (Scala-only methods, kept by hand); the
//! tests fail on a listed method this catalogue does not classify, and on one whose
//! result in `api::method` does not agree with its class.

/// What a method does, as far as the size of the data is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A transformation whose result has at most the rows of its receiver.
    Keeps,
    /// A transformation that brings the rows down to one per key, or one in all.
    Shrinks,
    /// A transformation of two sides (a join, a union): as big as the larger.
    Combines,
    /// A transformation that may return more rows than it got.
    Grows,
    /// Several datasets, each with at most the receiver's rows (`randomSplit`).
    Splits,
    /// Grouped data: rows by key, waiting for an aggregation.
    Groups,
    /// An action that brings rows to the driver.
    Collects,
    /// An action that brings one value to the driver (a count, a sum, a row).
    Scalar,
    /// Loads data: a reader, a table, a query.
    Reads,
    /// Makes distributed data of its own or from what the driver holds.
    Creates,
    /// A few rows of metadata (the catalog, table details).
    Metadata,
    /// Writes data out, or configures a write.
    Writes,
    /// Another entry point: a session, a context, a reader, a configuration.
    Handle,
    /// The same rows as another kind of frame (pandas-on-Spark, Spark).
    Converts,
    /// No rows at all: a schema, a plan, a setting, a side effect on the executors.
    Local,
}

use Effect::*;

/// The classes of the catalogue, as `spark_api.txt` and `scala_api.txt` name them.
pub const CLASSES: &[&str] = &[
    "DataFrame",
    "DataFrameNaFunctions",
    "DataFrameStatFunctions",
    "GroupedData",
    "PandasCogroupedOps",
    "RDD",
    "SparkSession",
    "SparkContext",
    "DataFrameReader",
    "DataFrameWriter",
    "DataFrameWriterV2",
    "DataStreamReader",
    "DataStreamWriter",
    "SQLContext",
    "HiveContext",
    "Catalog",
    "pandas.DataFrame",
    "Dataset",
    "KeyValueGroupedDataset",
    "Graph",
    "DeltaTable",
];

/// What `method` of `class` does; `None` when the catalogue does not know it.
pub fn classify(class: &str, method: &str) -> Option<Effect> {
    match class {
        "DataFrame" | "Dataset" | "DataFrameNaFunctions" | "DataFrameStatFunctions" => {
            dataframe(method)
        }
        "GroupedData" | "KeyValueGroupedDataset" | "PandasCogroupedOps" => grouped(method),
        "RDD" | "Graph" => rdd(method),
        "SparkSession" | "SQLContext" | "HiveContext" => session(method),
        "SparkContext" => context(method),
        "DataFrameReader" | "DataStreamReader" => reader(method),
        "DataFrameWriter" | "DataFrameWriterV2" | "DataStreamWriter" => Some(Writes),
        "Catalog" => catalog(method),
        "pandas.DataFrame" => pandas_on_spark(method),
        "DeltaTable" => delta_table(method),
        _ => None,
    }
}

fn dataframe(method: &str) -> Option<Effect> {
    Some(match method {
        "alias"
        | "as"
        | "cache"
        | "checkpoint"
        | "coalesce"
        | "drop"
        | "dropDuplicates"
        | "dropDuplicatesWithinWatermark"
        | "drop_duplicates"
        | "dropna"
        | "except"
        | "exceptAll"
        | "fill"
        | "fillna"
        | "filter"
        | "hint"
        | "intersect"
        | "intersectAll"
        | "limit"
        | "localCheckpoint"
        | "map"
        | "na"
        | "observe"
        | "offset"
        | "orderBy"
        | "persist"
        | "repartition"
        | "repartitionById"
        | "repartitionByRange"
        | "replace"
        | "sample"
        | "sampleBy"
        | "select"
        | "selectExpr"
        | "sort"
        | "sortWithinPartitions"
        | "stat"
        | "subtract"
        | "to"
        | "toDF"
        | "toJSON"
        | "transform"
        | "unpersist"
        | "where"
        | "withColumn"
        | "withColumnRenamed"
        | "withColumns"
        | "withColumnsRenamed"
        | "withMetadata"
        | "withWatermark"
        | "rdd"
        | "javaRDD"
        | "toJavaRDD"
        | "zipWithIndex" => Keeps,
        "agg" | "describe" | "summary" | "distinct" | "crosstab" | "freqItems" => Shrinks,
        "crossJoin" | "join" | "joinWith" | "lateralJoin" | "nearestByJoin" | "union"
        | "unionAll" | "unionByName" | "zip" => Combines,
        "explode" | "flatMap" | "mapPartitions" | "mapInArrow" | "mapInPandas" | "melt"
        | "unpivot" | "transpose" => Grows,
        "randomSplit" | "randomSplitAsList" => Splits,
        "groupBy" | "groupby" | "groupingSets" | "cube" | "rollup" | "groupByKey" => Groups,
        "collect" | "collectAsList" | "toPandas" | "toArrow" | "toLocalIterator" | "take"
        | "takeAsList" | "head" | "tail" => Collects,
        "count" | "first" | "isEmpty" | "reduce" | "approxQuantile" | "corr" | "cov" => Scalar,
        "write" | "writeStream" | "writeTo" | "mergeInto" => Writes,
        "sparkSession" => Handle,
        "pandas_api" | "to_pandas_on_spark" => Converts,
        "columns"
        | "dtypes"
        | "schema"
        | "printSchema"
        | "explain"
        | "isLocal"
        | "isStreaming"
        | "inputFiles"
        | "sameSemantics"
        | "semanticHash"
        | "storageLevel"
        | "executionInfo"
        | "colRegex"
        | "metadataColumn"
        | "exists"
        | "scalar"
        | "asTable"
        | "show"
        | "foreach"
        | "foreachPartition"
        | "createGlobalTempView"
        | "createOrReplaceGlobalTempView"
        | "createOrReplaceTempView"
        | "createTempView"
        | "registerTempTable"
        | "plot"
        | "queryExecution"
        | "encoder"
        | "apply"
        | "col" => Local,
        _ => return None,
    })
}

fn grouped(method: &str) -> Option<Effect> {
    Some(match method {
        "agg" | "avg" | "count" | "max" | "mean" | "min" | "sum" | "mapGroups"
        | "mapGroupsWithState" | "reduceGroups" | "keys" => Shrinks,
        // A function of each group may give any number of rows.
        "apply"
        | "applyInArrow"
        | "applyInPandas"
        | "applyInPandasWithState"
        | "flatMapGroups"
        | "flatMapGroupsWithState"
        | "flatMapSortedGroups"
        | "transformWithState"
        | "transformWithStateInPandas" => Grows,
        "pivot" | "mapValues" | "keyAs" => Groups,
        "cogroup" | "cogroupSorted" => Combines,
        _ => return None,
    })
}

fn rdd(method: &str) -> Option<Effect> {
    Some(match method {
        "cache"
        | "checkpoint"
        | "coalesce"
        | "filter"
        | "glom"
        | "keyBy"
        | "keys"
        | "localCheckpoint"
        | "map"
        | "mapValues"
        | "partitionBy"
        | "persist"
        | "repartition"
        | "repartitionAndSortWithinPartitions"
        | "sample"
        | "sampleByKey"
        | "setName"
        | "sortBy"
        | "sortByKey"
        | "subtract"
        | "subtractByKey"
        | "unpersist"
        | "values"
        | "zipWithIndex"
        | "zipWithUniqueId"
        | "intersection"
        | "barrier"
        | "withResources"
        | "toDF"
        | "toDS"
        | "toJavaRDD" => Keeps,
        // GraphX: a graph's vertices, edges and triplets, and the graphs and vertex
        // RDDs its operators make, are as big as the graph.
        "vertices"
        | "edges"
        | "triplets"
        | "degrees"
        | "inDegrees"
        | "outDegrees"
        | "mapVertices"
        | "mapEdges"
        | "mapTriplets"
        | "reverse"
        | "subgraph"
        | "mask"
        | "groupEdges"
        | "joinVertices"
        | "outerJoinVertices"
        | "aggregateMessages"
        | "collectNeighborIds"
        | "collectNeighbors"
        | "collectEdges"
        | "pageRank"
        | "staticPageRank"
        | "personalizedPageRank"
        | "connectedComponents"
        | "stronglyConnectedComponents"
        | "triangleCount"
        | "pregel"
        | "unpersistVertices"
        | "removeSelfEdges"
        | "convertToCanonicalEdges" => Keeps,
        "aggregateByKey" | "combineByKey" | "foldByKey" | "groupByKey" | "reduceByKey"
        | "distinct" | "groupBy" => Shrinks,
        "cartesian" | "cogroup" | "fullOuterJoin" | "groupWith" | "join" | "leftOuterJoin"
        | "rightOuterJoin" | "union" | "zip" | "zipPartitions" => Combines,
        "flatMap"
        | "flatMapValues"
        | "pipe"
        | "mapPartitions"
        | "mapPartitionsWithIndex"
        | "mapPartitionsWithSplit" => Grows,
        "randomSplit" => Splits,
        "collect"
        | "collectAsMap"
        | "collectWithJobGroup"
        | "countByKey"
        | "countByValue"
        | "take"
        | "takeOrdered"
        | "takeSample"
        | "toLocalIterator"
        | "top"
        | "lookup"
        | "reduceByKeyLocally" => Collects,
        "aggregate"
        | "count"
        | "countApprox"
        | "countApproxDistinct"
        | "first"
        | "fold"
        | "isEmpty"
        | "max"
        | "mean"
        | "meanApprox"
        | "min"
        | "reduce"
        | "sampleStdev"
        | "sampleVariance"
        | "stats"
        | "stdev"
        | "sum"
        | "sumApprox"
        | "treeAggregate"
        | "treeReduce"
        | "variance"
        | "histogram"
        | "numEdges"
        | "numVertices"
        | "pickRandomVertex" => Scalar,
        "saveAsHadoopDataset"
        | "saveAsHadoopFile"
        | "saveAsNewAPIHadoopDataset"
        | "saveAsNewAPIHadoopFile"
        | "saveAsPickleFile"
        | "saveAsSequenceFile"
        | "saveAsTextFile"
        | "saveAsObjectFile" => Writes,
        "context" | "sparkContext" => Handle,
        "foreach"
        | "foreachPartition"
        | "cleanShuffleDependencies"
        | "getCheckpointFile"
        | "getNumPartitions"
        | "getResourceProfile"
        | "getStorageLevel"
        | "id"
        | "isCheckpointed"
        | "isLocallyCheckpointed"
        | "name"
        | "toDebugString" => Local,
        _ => return None,
    })
}

fn session(method: &str) -> Option<Effect> {
    Some(match method {
        "sql" | "table" | "createExternalTable" | "parquetFile" | "jsonFile" | "load" | "jdbc" => {
            Reads
        }
        "createDataFrame" | "createDataset" | "emptyDataFrame" | "emptyDataset" | "range"
        | "applySchema" | "inferSchema" | "jsonRDD" => Creates,
        "tables" => Metadata,
        "read" | "readStream" | "builder" | "catalog" | "conf" | "active" | "getActiveSession"
        | "newSession" | "getOrCreate" | "sparkContext" => Handle,
        "addArtifact"
        | "addArtifacts"
        | "addTag"
        | "clearProgressHandlers"
        | "clearTags"
        | "client"
        | "copyFromLocalToFs"
        | "dataSource"
        | "getTags"
        | "interruptAll"
        | "interruptOperation"
        | "interruptTag"
        | "profile"
        | "registerProgressHandler"
        | "removeProgressHandler"
        | "removeTag"
        | "stop"
        | "streams"
        | "tvf"
        | "udf"
        | "udtf"
        | "version"
        | "cacheTable"
        | "clearCache"
        | "dropTempTable"
        | "getConf"
        | "refreshTable"
        | "registerDataFrameAsTable"
        | "registerFunction"
        | "registerJavaFunction"
        | "setConf"
        | "tableNames"
        | "uncacheTable" => Local,
        _ => return None,
    })
}

fn context(method: &str) -> Option<Effect> {
    Some(match method {
        "textFile" | "wholeTextFiles" | "binaryFiles" | "binaryRecords" | "sequenceFile"
        | "objectFile" | "pickleFile" | "hadoopFile" | "hadoopRDD" | "newAPIHadoopFile"
        | "newAPIHadoopRDD" => Reads,
        "parallelize" | "makeRDD" | "range" | "emptyRDD" => Creates,
        "union" => Combines,
        // The results of a function run on each partition, as a list in the driver.
        "runJob" => Collects,
        "broadcast" | "getConf" | "getOrCreate" => Handle,
        "accumulator"
        | "addArchive"
        | "addFile"
        | "addJobTag"
        | "addPyFile"
        | "applicationId"
        | "cancelAllJobs"
        | "cancelJobGroup"
        | "cancelJobsWithTag"
        | "clearJobTags"
        | "defaultMinPartitions"
        | "defaultParallelism"
        | "dump_profiles"
        | "getCheckpointDir"
        | "getJobTags"
        | "getLocalProperty"
        | "getSystemProperty"
        | "listArchives"
        | "listFiles"
        | "removeJobTag"
        | "resources"
        | "setCheckpointDir"
        | "setInterruptOnCancel"
        | "setJobDescription"
        | "setJobGroup"
        | "setLocalProperty"
        | "setLogLevel"
        | "setSystemProperty"
        | "show_profiles"
        | "sparkUser"
        | "startTime"
        | "statusTracker"
        | "stop"
        | "uiWebUrl"
        | "version" => Local,
        _ => return None,
    })
}

fn reader(method: &str) -> Option<Effect> {
    Some(match method {
        "avro" | "changes" | "csv" | "delta" | "jdbc" | "json" | "load" | "orc" | "parquet"
        | "table" | "text" | "textFile" | "xml" | "binaryFile" => Reads,
        "format" | "option" | "options" | "schema" | "name" => Handle,
        _ => return None,
    })
}

fn catalog(method: &str) -> Option<Effect> {
    Some(match method {
        "createExternalTable" | "createTable" | "table" => Reads,
        "getDatabase" | "getFunction" | "getTable" | "getTableProperties" | "listCatalogs"
        | "listColumns" | "listDatabases" | "listFunctions" | "listPartitions" | "listTables"
        | "listViews" => Metadata,
        "analyzeTable"
        | "cacheTable"
        | "clearCache"
        | "createDatabase"
        | "currentCatalog"
        | "currentDatabase"
        | "databaseExists"
        | "dropDatabase"
        | "dropGlobalTempView"
        | "dropTable"
        | "dropTempView"
        | "dropView"
        | "functionExists"
        | "getCreateTableString"
        | "isCached"
        | "recoverPartitions"
        | "refreshByPath"
        | "refreshTable"
        | "registerFunction"
        | "setCurrentCatalog"
        | "setCurrentDatabase"
        | "tableExists"
        | "truncateTable"
        | "uncacheTable" => Local,
        _ => return None,
    })
}

/// `DeltaTable` (delta-spark): a handle on a table; `toDF` reads it.
fn delta_table(method: &str) -> Option<Effect> {
    Some(match method {
        "toDF" => Reads,
        "detail" => Metadata,
        // The whole commit log: `history(n)` is the last `n` commits.
        "history" => Reads,
        "forPath"
        | "forName"
        | "alias"
        | "merge"
        | "whenMatchedUpdate"
        | "whenNotMatchedInsert" => Handle,
        "delete"
        | "update"
        | "vacuum"
        | "optimize"
        | "restoreToVersion"
        | "generate"
        | "upgradeTableProtocol"
        | "execute" => Writes,
        _ => return None,
    })
}

/// A pandas-on-Spark DataFrame (`pyspark.pandas.DataFrame`): distributed like a Spark
/// DataFrame, but its `to_*` conversions to local objects bring every row to the
/// driver.
fn pandas_on_spark(method: &str) -> Option<Effect> {
    Some(match method {
        "to_pandas" | "to_numpy" | "values" | "to_dict" | "to_records" | "to_clipboard"
        | "to_html" | "to_latex" | "to_markdown" | "to_string" | "to_excel" | "to_feather"
        | "to_hdf" | "to_stata" | "iterrows" | "itertuples" => Collects,
        "to_csv" | "to_json" | "to_parquet" | "to_orc" | "to_delta" | "to_table"
        | "to_spark_io" => Writes,
        "to_spark" | "spark" => Converts,
        "from_dict" | "from_records" => Creates,
        "agg" | "aggregate" | "all" | "any" | "corr" | "corrwith" | "count" | "cov"
        | "describe" | "idxmax" | "idxmin" | "kurt" | "kurtosis" | "max" | "mean" | "median"
        | "min" | "mode" | "nunique" | "prod" | "product" | "quantile" | "sem" | "skew" | "std"
        | "sum" | "var" | "pivot" | "pivot_table" => Shrinks,
        "join" | "merge" | "dot" | "align" | "combine_first" | "update" => Combines,
        "explode" | "melt" | "stack" | "unstack" | "T" | "transpose" => Grows,
        "groupby" | "resample" => Groups,
        "bool" | "equals" | "first_valid_index" | "last_valid_index" => Scalar,
        "abs" | "add" | "add_prefix" | "add_suffix" | "apply" | "applymap" | "assign"
        | "astype" | "at" | "at_time" | "backfill" | "between_time" | "bfill" | "clip" | "copy"
        | "cummax" | "cummin" | "cumprod" | "cumsum" | "diff" | "div" | "divide" | "drop"
        | "drop_duplicates" | "droplevel" | "dropna" | "duplicated" | "eq" | "eval" | "ewm"
        | "expanding" | "ffill" | "fillna" | "filter" | "first" | "floordiv" | "ge" | "get"
        | "gt" | "head" | "iat" | "iloc" | "interpolate" | "isin" | "isna" | "isnull" | "last"
        | "le" | "loc" | "lt" | "map" | "mask" | "mod" | "mul" | "multiply" | "ne" | "nlargest"
        | "notna" | "notnull" | "nsmallest" | "pad" | "pct_change" | "pipe" | "pop" | "pow"
        | "query" | "radd" | "rank" | "rdiv" | "reindex" | "reindex_like" | "rename"
        | "rename_axis" | "replace" | "reset_index" | "rfloordiv" | "rmod" | "rmul" | "rolling"
        | "round" | "rpow" | "rsub" | "rtruediv" | "sample" | "select_dtypes" | "set_index"
        | "shift" | "sort_index" | "sort_values" | "squeeze" | "sub" | "subtract" | "swapaxes"
        | "swaplevel" | "tail" | "take" | "transform" | "truediv" | "truncate" | "where" | "xs" => {
            Keeps
        }
        "axes" | "columns" | "dtypes" | "empty" | "index" | "info" | "insert" | "items"
        | "keys" | "ndim" | "shape" | "size" | "style" | "hist" | "boxplot" | "kde" => Local,
        _ => return None,
    })
}

#[cfg(test)]
#[path = "effects_tests.rs"]
mod tests;
