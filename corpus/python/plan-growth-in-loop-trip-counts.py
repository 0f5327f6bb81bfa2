"""SG301 plan-growth-in-loop: how many times a loop runs decides whether its growth matters."""
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("sg301-trips").getOrCreate()

events = spark.table("events")

# --- must fire -------------------------------------------------------------------

# The columns and fields of a DataFrame: as many as the data has.
for c in events.columns:
    events = events.withColumn(c, F.trim(F.col(c)))  # expect: SG301
for field in events.schema.fields:
    events = events.withColumnRenamed(field.name, field.name.lower())  # expect: SG301


# A parameter whose callers pass a long list, or that no caller in the file shows.
def add_lags(df: DataFrame, lags) -> DataFrame:
    for i in lags:
        df = df.withColumn(f"lag_{i}", F.lag("amount", i).over(W))  # expect: SG301
    return df


def cast_all(df: DataFrame, names) -> DataFrame:
    for n in names:
        df = df.withColumn(n, F.col(n).cast("string"))  # expect: SG301
    return df


W = None
lagged = add_lags(events, list(range(1, 40)))
lagged_few = add_lags(events, [1, 2])

# Data read at run time.
for row in spark.table("ref.columns").collect():  # expect: SG101
    events = events.withColumn(row.name, F.lit(None))  # expect: SG301


# --- must not fire ----------------------------------------------------------------

# A parameter every caller in the file passes a short literal list for.
def with_keys(df: DataFrame, keys) -> DataFrame:
    for k in keys:
        df = df.withColumn(k, F.upper(F.col(k)))
    return df


keyed = with_keys(events, ["country", "city"])
keyed_again = with_keys(events, keys=("region",))

# Literal collections and ranges of at most ten items.
for i in range(5):
    events = events.withColumn(f"bucket_{i}", F.col("amount") > i)
for c in ("a", "b", "c"):
    events = events.withColumn(c, F.lit(c))
