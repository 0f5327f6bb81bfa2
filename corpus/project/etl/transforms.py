"""Transformations the loop job applies. What each does to its DataFrame argument
(adds a column, joins, unions) reaches the job's loops through the project index,
and what every caller passes decides how many times a loop here runs."""
from pyspark.sql import DataFrame
from pyspark.sql import Window
from pyspark.sql import functions as F


def add_audit_col(df: DataFrame, name) -> DataFrame:
    return df.withColumn(name, F.current_timestamp())


def join_dim(df, dim, key):
    joined = df.join(dim, key, "left")
    return joined


def union_two(left, right):
    return left.unionByName(right)


def load_part(spark, name):
    # Returns a fresh read, not its argument grown.
    return spark.table(name)


def row_count(df):
    return df.count()


def load_days(spark, days):
    # A list of DataFrames, one per day: a caller that folds it unions them.
    return [spark.read.parquet(f"lake/daily/{d}") for d in days]


def load_groups(groups):
    # A list of sets: `set.union` in a caller's fold is no plan.
    return [set(g) for g in groups]


# --- partition columns every caller in the project leaves out ----------------------


def rank_latest(df, partition_cols=()):
    # Its only caller, in another file, passes no columns: no partition at all.
    # expect: SG306
    window = Window.partitionBy(*partition_cols).orderBy(F.desc("ts"))
    return df.withColumn("rank", F.row_number().over(window))


def rank_by(df, partition_cols=()):
    # A caller in another file passes the columns: no finding.
    window = Window.partitionBy(*partition_cols).orderBy(F.desc("ts"))
    return df.withColumn("rank", F.row_number().over(window))


# --- trip counts from every call site in the project ---------------------------


def add_flags(df, flags):
    # Every caller passes a literal of at most 10 items: no finding.
    for flag in flags:
        df = df.withColumn(flag, F.lit(True))
    return df


def add_columns(df, names):
    # One caller passes `df.columns`: unknown, a finding.
    for name in names:
        df = df.withColumn(name, F.lit(None))  # expect: SG301
    return df


def add_many(df, names):
    # Its only caller passes twelve items.
    for name in names:
        df = df.withColumn(name, F.lit(0))  # expect: SG301
    return df


def add_unseen(df, names):
    # No caller anywhere in the project: unknown, a finding.
    for name in names:
        df = df.withColumn(name, F.lit(0))  # expect: SG301
    return df
