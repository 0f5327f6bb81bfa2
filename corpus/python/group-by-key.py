"""SG305 group-by-key: RDD groupByKey() whose groups are then reduced to one value."""
import functools
import itertools
import operator
import statistics
from operator import add

import pandas as pd
from pyspark import RDD
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("sg305").getOrCreate()
sc = spark.sparkContext

sales = sc.textFile("hdfs:///sales").map(lambda line: line.split(",")).map(lambda f: (f[0], float(f[1])))

# --- must fire -------------------------------------------------------------------

totals = sales.groupByKey().mapValues(sum)  # expect: SG305
counts = sales.groupByKey().mapValues(len)  # expect: SG305
peaks = sales.groupByKey().mapValues(lambda vs: max(vs))  # expect: SG305
lows = sales.groupByKey().mapValues(min)  # expect: SG305
means = sales.groupByKey().mapValues(lambda vs: sum(vs) / len(vs))  # expect: SG305
averages = sales.groupByKey().mapValues(statistics.mean)  # expect: SG305
products = sales.groupByKey().mapValues(lambda vs: functools.reduce(operator.mul, vs, 1))  # expect: SG305
by_tuple = sales.groupByKey().map(lambda kv: (kv[0], sum(kv[1])))  # expect: SG305
by_size = sales.groupByKey().map(lambda kv: (kv[0], len(list(kv[1]))))  # expect: SG305
by_unpack = sales.groupByKey().map(lambda kv: (kv[0], max(kv[1])))  # expect: SG305
partitioned = sales.groupByKey(numPartitions=64).mapValues(sum)  # expect: SG305

by_store = (
    sales
    .groupByKey()  # expect: SG305
    .mapValues(sum)
)

from_frame = (
    spark.table("sales")
    .rdd.map(lambda r: (r.store_id, r.amount))
    # expect: SG305
    .groupByKey()
    .mapValues(sum)
)


def store_totals(pairs: RDD):
    return pairs.groupByKey().mapValues(sum)  # expect: SG305


grouped = sales.groupByKey()  # expect: SG305
grouped_totals = grouped.mapValues(sum)

# --- must not fire ----------------------------------------------------------------

# The groups are kept whole: no reduction that reduceByKey could do.
as_lists = sales.groupByKey().mapValues(list)
as_sorted = sales.groupByKey().mapValues(sorted)
as_sets = sales.groupByKey().mapValues(set)
as_tuples = sales.groupByKey().map(lambda kv: (kv[0], list(kv[1])))
by_length = sales.groupByKey().mapValues(lambda vs: sorted(vs, key=len))
positive = sales.groupByKey().mapValues(lambda vs: [v for v in vs if v > 0])
flattened = sales.groupByKey().flatMap(lambda kv: [(kv[0], v) for v in kv[1]])
# Each value's own length, not the group's size.
lengths = sales.groupByKey().mapValues(lambda vs: [len(str(v)) for v in vs])

# Reductions that combine before the shuffle.
reduced = sales.reduceByKey(add)
aggregated = sales.aggregateByKey((0.0, 0), lambda acc, v: (acc[0] + v, acc[1] + 1), lambda a, b: (a[0] + b[0], a[1] + b[1]))
combined = sales.combineByKey(lambda v: v, lambda acc, v: acc + v, lambda a, b: a + b)

# A reduction without a groupByKey before it.
lens = sales.mapValues(len)

# DataFrames, pandas and itertools group differently.
per_store = spark.table("sales").groupBy("store_id").agg(F.sum("amount"))
pdf = pd.read_csv("sales.csv")
pandas_totals = pdf.groupby("store_id")["amount"].sum()
local = {k: sum(v for _, v in g) for k, g in itertools.groupby(sorted([("a", 1), ("a", 2)]), key=lambda kv: kv[0])}
