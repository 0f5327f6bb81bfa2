"""SG305 group-by-key: the fixes, and the shapes they leave alone."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("sg305-fixes").getOrCreate()
sales = spark.table("sales").rdd.map(lambda r: (r.store_id, r.amount))

# --- fixed, safe: counting each group -------------------------------------------

counts = sales.groupByKey().mapValues(len)  # expect: SG305
per_partition = sales.groupByKey(64).mapValues(lambda vs: len(vs))  # expect: SG305
named = sales.groupByKey(numPartitions=32).mapValues(len)  # expect: SG305

# --- fixed, unsafe: `sum` starts from 0, `reduceByKey(add)` does not ------------

totals = sales.groupByKey().mapValues(sum)  # expect: SG305
totals_by_lambda = sales.groupByKey().mapValues(lambda vs: sum(vs))  # expect: SG305

# --- flagged, not fixed ----------------------------------------------------------

# The groups are bound to a name that other code may use.
grouped = sales.groupByKey()  # expect: SG305
grouped_counts = grouped.mapValues(len)

# A reduction the fix does not rewrite.
peaks = sales.groupByKey().mapValues(max)  # expect: SG305
by_tuple = sales.groupByKey().map(lambda kv: (kv[0], sum(kv[1])))  # expect: SG305

# A comment inside the chain would be lost.
commented = (
    sales
    .groupByKey()  # expect: SG305
    # one total per store
    .mapValues(sum)
)
