"""SG103 unbounded-take: take/head/tail with a large or unknown count."""
import pandas as pd
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
events = spark.table("events")

# --- must fire -------------------------------------------------------------------


def sample_rows(df, n):
    return df.take(n)  # expect: SG103


huge = events.head(1_000_000)  # expect: SG103
last = events.tail(n_rows)  # expect: SG103
ordered = events.rdd.takeOrdered(500_000, key=lambda r: -r.amount)  # expect: SG103
top = events.rdd.map(lambda r: r.amount).top(200000)  # expect: SG103
sampled = events.rdd.takeSample(False, 10**6)  # expect: SG103
by_keyword = events.take(num=BIG)  # expect: SG103
computed = events.take(100 * 1000)  # expect: SG103

BIG = 50_000_000

# --- must not fire ----------------------------------------------------------------

LIMIT = 10
peek = events.take(5)
peek_const = events.take(LIMIT)
one = events.head()
first_rows = events.head(20)


def preview(df, n=20):
    return df.take(n)


pdf = pd.read_csv("local.csv")
pandas_head = pdf.head(1_000_000)
pandas_take = pdf.take([0, 1, 2])
items = [1, 2, 3]
bounded_first = events.limit(10).take(n_rows)
literal = spark.sparkContext.parallelize([3, 1, 2]).top(n_rows)
