"""Data that starts in the driver stays small through what is done to it."""
from operator import add

import pandas as pd
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("driver-data").getOrCreate()
sc = spark.sparkContext

# --- must not fire ----------------------------------------------------------------

words = "the quick brown fox jumps over the lazy dog".split(" ")
counts = sc.parallelize(words).map(lambda w: (w, 1)).reduceByKey(add).collect()

lines = []
for i in range(100):
    lines.append(f"line {i}")
pairs = sc.parallelize(lines).keyBy(lambda l: len(l)).mapValues(str.upper).collect()
piped = sc.parallelize(lines).pipe("cat").distinct().collect()
flat = sc.parallelize(lines).flatMap(lambda l: l.split()).collect()
left = sc.parallelize([("a", 1), ("b", 2)])
right = sc.parallelize([("a", "x")])
joined = left.join(right).collect()
unioned = left.union(right).values().collect()
keys = left.keys().collect()
as_map = left.collectAsMap()


def build_rows(n):
    return [(i, str(i)) for i in range(n)]


local = spark.createDataFrame(build_rows(10), ["id", "v"])
local.filter(F.col("v") != "3").collect()
local.toPandas()
local.coalesce(1).write.mode("overwrite").csv("/out/local")

pdf = pd.DataFrame({"a": [1, 2, 3]})
from_pandas = spark.createDataFrame(pdf)
from_pandas.repartition(1).write.mode("overwrite").parquet("/out/pdf")
from_pandas.collect()

seeded = spark.createDataFrame([(1, "a")], ["id", "v"]).union(spark.createDataFrame([(2, "b")], ["id", "v"]))
seeded.collect()
F.broadcast(seeded)

# Python's own iterators over local data are local data: a DataFrame or an RDD is not
# iterable in Python, so what `map`, `filter`, `zip` or `enumerate` yield came from the
# driver.
images = [("cat", 1), ("dog", 2)]
indexed = map(lambda pair: (pair[0], pair[1][0]), enumerate(images))
rows = map(lambda r: {"idx": r[0], "label": r[1]}, indexed)
spark.createDataFrame(rows).coalesce(1).write.mode("overwrite").parquet("/out/images")
spark.createDataFrame(zip(["a", "b"], [1, 2]), ["k", "v"]).collect()

# --- must fire --------------------------------------------------------------------

# ...but an iterator over collected rows is as big as what was collected.
every_event = map(lambda r: r.asDict(), spark.table("events").collect())  # expect: SG101
spark.createDataFrame(every_event).coalesce(1).write.mode("overwrite").json("/out/events")  # expect: SG309

# A union with a table is as big as the table.
mixed = seeded.union(spark.table("events").select("id", "v")).collect()  # expect: SG101
# A huge range is made lazily by Spark, not held by the driver.
huge = sc.parallelize(range(10**9)).map(lambda x: x * 2).collect()  # expect: SG101
# Data read from files is not driver data, whatever is done to it.
words_from_files = sc.textFile("hdfs:///books").flatMap(lambda l: l.split()).map(lambda word: (word, 1)).reduceByKey(add).collect()  # expect: SG101
