"""SG301 plan-growth-in-loop: the shapes a growing loop takes besides `df = df.withColumn(...)`."""
import functools
from functools import reduce

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("sg301-shapes").getOrCreate()

events = spark.table("events")
tables = [t.name for t in spark.catalog.listTables("raw")]
frames = [spark.table(t) for t in tables]

# --- must fire -------------------------------------------------------------------

# A reduction named by the DataFrame method, or by a lambda over two DataFrames.
stacked = reduce(DataFrame.unionByName, frames)  # expect: SG301
joined = functools.reduce(lambda a, b: a.union(b), frames)  # expect: SG301


# A function of this file that unions its two arguments, passed to `reduce`.
def _append(left, right):
    return left.unionByName(right, allowMissingColumns=True)


appended = reduce(_append, frames)  # expect: SG301


# A list of DataFrames built with `append`, joined by a nested function.
def side_by_side(dfs):
    parts = []
    for df in dfs:
        parts.append(df.withColumn("_row", F.monotonically_increasing_id()))

    def _join(left, right):
        return left.join(right, "_row", "outer")

    return reduce(_join, parts)  # expect: SG301


# A conditional reassignment that starts from nothing.
acc = None
for t in tables:
    part = spark.table(t)
    acc = acc.union(part) if acc else part  # expect: SG301

# An accumulator that starts from the first element of a list of DataFrames.
first = frames[0]
for f in frames[1:]:
    first = first.unionByName(f)  # expect: SG301

# A `while` loop with no visible bound.
rows = events
while rows.count() > 0:  # expect: SG302, SG307
    rows = rows.join(spark.table("pending"), "id")  # expect: SG301

# A per-iteration join of a different table still nests the plan.
wide = events
for t in tables:
    wide = wide.join(spark.table(t), "user_id")  # expect: SG301


# A helper of this file that returns its DataFrame argument with a column added.
def with_flag(df: DataFrame, name: str) -> DataFrame:
    return df.withColumn(f"has_{name}", F.col(name).isNotNull())


def add_all_flags(df: DataFrame, names) -> DataFrame:
    for name in names:
        df = with_flag(df, name)  # expect: SG301
    return df


# Several growth steps in one loop: one finding, on the first.
def clean(df: DataFrame, names) -> DataFrame:
    for name in names:
        df = df.withColumn(name, F.trim(name))  # expect: SG301
        df = df.withColumnRenamed(name, name.lower())
        if name.startswith("x"):
            df = df.drop(name)
    return df



# Nothing types `target`, but only a DataFrame has `withColumn`.
def fill_missing(target, values):
    for name, value in values.items():
        target = target.withColumn(name, F.coalesce(F.col(name), F.lit(value)))  # expect: SG301
    return target


# --- must not fire ----------------------------------------------------------------

# `union` on something nothing types may be a set's.
def merge_groups(acc, groups):
    for group in groups:
        acc = acc.union(group)
    return acc


# A reduction of column expressions, or of Python values, with a function of this file.
def _both(a, b):
    return a & b


condition = reduce(_both, [F.col(c).isNotNull() for c in tables])
total = reduce(lambda a, b: a + b, [1, 2, 3])
names = []
for t in tables:
    names.append(t.upper())
joined_names = reduce(lambda a, b: a.join(b), names)

# A conditional that picks a fresh DataFrame each time, never the carried one.
latest = None
for t in tables:
    latest = spark.table(t) if t.endswith("_v2") else latest

# The growth step runs at most once: only for one column name, or just before leaving.
for c in events.columns:
    if c == "amount":
        events = events.withColumn(c, F.col(c).cast("double"))
for c in events.columns:
    if c.startswith("tmp_"):
        events = events.drop(c)
        break


# A helper that returns a new DataFrame unrelated to its argument.
def read_one(df: DataFrame, name: str) -> DataFrame:
    return spark.table(name)


def reread(df: DataFrame, names) -> DataFrame:
    for name in names:
        df = read_one(df, name)
    return df


# Writing the carried DataFrame out and reading it back cuts the lineage too.
def iterate_on_disk(df: DataFrame, steps) -> DataFrame:
    for i in steps:
        df = df.join(spark.table("edges"), "id")
        df.write.mode("overwrite").parquet(f"/tmp/step_{i}")
        df = spark.read.parquet(f"/tmp/step_{i}")
    return df


# Checkpointing every few iterations cuts the lineage.
def iterate(df: DataFrame, steps) -> DataFrame:
    for i in steps:
        df = df.join(spark.table("edges"), "id")
        if i % 10 == 0:
            df = df.localCheckpoint()
    return df
