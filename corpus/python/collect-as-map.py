"""SG104 collect-as-map: maps of every key built in the driver."""
from operator import add

from pyspark import SparkContext
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
events = sc.textFile("hdfs:///events").map(lambda line: line.split(","))

# --- must fire -------------------------------------------------------------------

names = events.map(lambda e: (e[0], e[1])).collectAsMap()  # expect: SG104
per_user = events.map(lambda e: (e[0], 1)).countByKey()  # expect: SG104
per_value = events.map(lambda e: e[2]).countByValue()  # expect: SG104
from_df = spark.table("users").rdd.map(lambda r: (r.id, r.name)).collectAsMap()  # expect: SG104


def lookup(pairs):
    return pairs.collectAsMap()  # expect: SG104


# --- must not fire ----------------------------------------------------------------

small = sc.parallelize([("a", 1), ("b", 2)]).collectAsMap()
counts = events.map(lambda e: (e[0], 1)).reduceByKey(add)
local = {"a": 1}
local_counts = list(local.items()).count(("a", 1))
