"""SG301 plan-growth-in-loop: a DataFrame whose plan grows one step per loop iteration."""
import functools
import operator
from functools import reduce

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("sg301").getOrCreate()

events = spark.table("events")
FEATURES = [f"f_{i}" for i in range(200)]
KEEP = ["user_id", "ts", "amount"]

# --- must fire -------------------------------------------------------------------


def add_features(df: DataFrame, names) -> DataFrame:
    for name in names:
        df = df.withColumn(name, F.col("raw")[name])  # expect: SG301
    return df


def rename_all(df: DataFrame, mapping: dict) -> DataFrame:
    for old, new in mapping.items():
        df = df.withColumnRenamed(old, new)  # expect: SG301
    return df


def add_flags(df: DataFrame, thresholds) -> DataFrame:
    for t in thresholds:
        df = df.withColumns({f"over_{t}": F.col("amount") > t})  # expect: SG301
    return df


def add_lags(events_df, n_lags):
    for i in range(n_lags):
        events_df = events_df.select("*", F.lit(i).alias(f"lag_{i}"))  # expect: SG301
    return events_df


def drop_sensitive(users_df, columns):
    for c in columns:
        users_df = users_df.drop(c)  # expect: SG301
    return users_df


# A range over 11 items is past the small-loop threshold of 10.
wide = events
for i in range(11):
    wide = wide.withColumn(f"bucket_{i}", F.col("amount") > i * 10)  # expect: SG301

# So is a literal list of 12 names.
for name in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]:
    wide = wide.withColumn(name, F.col("raw")[name])  # expect: SG301

# A chain reports its first growth step.
for name in FEATURES:
    wide = wide.filter(F.col(name).isNotNull()).withColumn(name, F.trim(name)).drop("tmp")  # expect: SG301

# Spread over lines: reported on the line of the growing method.
for name in FEATURES:
    wide = (
        wide
        .filter(F.col("raw").isNotNull())
        # expect: SG301
        .withColumn(name, F.col("raw")[name])
    )

# Growing a union, one table per year.
history = spark.table("raw.events_2000")
for year in range(2001, 2025):
    history = history.union(spark.table(f"raw.events_{year}"))  # expect: SG301


def load_all(tables):
    combined = spark.table(tables[0])
    for t in tables[1:]:
        combined = combined.unionByName(spark.table(t), allowMissingColumns=True)  # expect: SG301
    return combined


def load_paths(paths):
    daily = spark.read.parquet(paths[0])
    for p in paths[1:]:
        daily = daily.unionAll(spark.read.parquet(p))  # expect: SG301
    return daily


# An iterative algorithm that never cuts its lineage.
def propagate_labels(edges: DataFrame, max_iter: int) -> DataFrame:
    labels = edges.select(F.col("src").alias("id"), F.col("src").alias("label"))
    i = 0
    while i < max_iter:
        labels = labels.join(edges, labels.id == edges.src).groupBy("dst").agg(F.min("label").alias("label"))  # expect: SG301
        i += 1
    return labels


# Nested loops: the inner one grows the plan.
def pivot_by_hand(df: DataFrame, days, metrics) -> DataFrame:
    for day in days:
        for metric in metrics:
            df = df.withColumn(f"{metric}_{day}", F.when(F.col("day") == day, F.col(metric)))  # expect: SG301
    return df


# Folds over columns or DataFrames.
zeroed = functools.reduce(lambda acc, c: acc.withColumn(c, F.lit(0)), FEATURES, events)  # expect: SG301
renamed = reduce(lambda acc, c: acc.withColumnRenamed(c, c.lower()), events.columns, events)  # expect: SG301

raw_tables = [t.name for t in spark.catalog.listTables("raw")]
frames = [spark.read.parquet(f"s3://lake/raw/{t}") for t in raw_tables]
stacked = functools.reduce(DataFrame.unionByName, frames)  # expect: SG301
stacked_all = reduce(DataFrame.union, [spark.table(t) for t in raw_tables])  # expect: SG301
# expect: SG301
merged = functools.reduce(
    lambda acc, df: acc.unionByName(df, allowMissingColumns=True),
    frames,
)
# A comment among the arguments changes nothing.
# expect: SG301
merged_days = functools.reduce(
    # one union per table
    DataFrame.unionByName,
    frames,
)


def join_features(feature_tables: list[DataFrame]) -> DataFrame:
    return reduce(lambda a, b: a.join(b, "user_id"), feature_tables)  # expect: SG301


# A fresh start only on some iterations: the others keep growing the same plan.
restarted = events
for name in FEATURES:
    if name.endswith("_0"):
        restarted = spark.table("events")
    restarted = restarted.withColumn(name, F.lit(0))  # expect: SG301


# --- must not fire ----------------------------------------------------------------

# Each iteration binds `pair` afresh before joining: three steps per plan, whatever
# the number of iterations.
pairs = []
for name in FEATURES:
    pair = events.select("user_id", name)
    pair = pair.join(spark.table("users"), "user_id")
    pair = pair.withColumn("feature", F.lit(name))
    pairs.append(pair)

# A loop over a small literal collection or a small range.
trimmed = events
for c in ["country", "city", "region"]:
    trimmed = trimmed.withColumn(c, F.lower(F.col(c)))
for i in range(10):
    trimmed = trimmed.withColumn(f"lag_{i}", F.lit(i))
for i in range(2, 5):
    trimmed = trimmed.withColumn(f"pow_{i}", F.pow("amount", i))
for old, new in {"ts": "event_time", "amt": "amount"}.items():
    trimmed = trimmed.withColumnRenamed(old, new)
for i, c in enumerate(("a", "b")):
    trimmed = trimmed.withColumn(c, F.lit(i))
# A module constant bound once to a short literal list is just as small.
for c in KEEP:
    trimmed = trimmed.withColumn(c, F.col(c).cast("string"))
narrow = functools.reduce(lambda acc, c: acc.withColumn(c, F.lit(None)), ["x", "y"], events)

# The expressions are built in the loop and applied once.
exprs = [F.col("raw")[n].alias(n) for n in FEATURES]
featured = events.select("*", *exprs)
flags = {}
for t in FEATURES:
    flags[f"has_{t}"] = F.col(t).isNotNull()
flagged = events.withColumns(flags)

# A fresh DataFrame per iteration, from values that are not carried over.
base = spark.table("ref.base")
outputs = {}
for batch_path in FEATURES:
    batch = spark.read.parquet(batch_path)
    merged_batch = base.unionByName(batch)
    outputs[batch_path] = merged_batch
for name in FEATURES:
    projected = events.withColumn(name, F.col("raw")[name])
    outputs[name] = projected

# Iterative algorithms that cut the lineage.
ranks = spark.table("graph.ranks")
links = spark.table("graph.links")
for _ in range(50):
    ranks = ranks.join(links, "page").groupBy("dst").agg(F.sum("rank").alias("rank")).localCheckpoint()
labels_df = spark.table("graph.labels")
for i in range(100):
    labels_df = labels_df.join(links, "page")
    if i % 10 == 0:
        labels_df = labels_df.checkpoint()

# Folds that build a column expression, or combine Python values.
not_null = functools.reduce(operator.and_, [F.col(c).isNotNull() for c in FEATURES])
any_set = reduce(lambda a, b: a | b, [F.col(c) > 0 for c in FEATURES])
total = functools.reduce(lambda a, b: a + b, range(100), 0)
all_ids = reduce(lambda acc, s: acc.union(s), [set(x) for x in FEATURES], set())

# Plain Python objects with union / join / drop.
seen = set()
for batch in FEATURES:
    seen = seen.union(batch.split("_"))
header = ""
for name in FEATURES:
    header = ",".join([header, name])
summary_df = pd.DataFrame({"f_0": [1], "f_1": [2]})
for c in FEATURES:
    summary_df = summary_df.drop(columns=[c], errors="ignore")
pdf = pd.read_csv("local.csv")
for path in FEATURES:
    pdf = pdf.join(pd.read_csv(path), rsuffix="_r")

# DataFrames built into a list, then read in one call.
dfs = []
for t in FEATURES:
    dfs.append(spark.table(t).filter(F.col("day") == "2024-01-01"))
all_paths = spark.read.parquet(*[f"s3://lake/{t}" for t in FEATURES])

# Reassigned from itself, but not in a loop.
events = events.withColumn("day", F.to_date("ts"))
events = events.drop("raw")
