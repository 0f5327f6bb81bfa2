"""SG308 cross-join: a cartesian product of two sides that are not evidently small."""
import os
import threading

from pyspark import SparkConf
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

spark = (
    SparkSession.builder.appName("sg308")
    .config("spark.sql.crossJoin.enabled", "true")  # expect: SG308
    .getOrCreate()
)

customers = spark.table("dim.customers")
products = spark.table("dim.products")
stores = spark.read.parquet("s3://lake/dim/stores")
calendar = spark.table("dim.calendar")

# --- must fire -------------------------------------------------------------------

pairs = customers.crossJoin(products)  # expect: SG308
no_condition = customers.join(products)  # expect: SG308
how_cross = customers.join(products, how="cross")  # expect: SG308
self_pairs = customers.alias("a").crossJoin(customers.alias("b"))  # expect: SG308
filtered_pairs = customers.filter(F.col("active")).crossJoin(products.select("product_id"))  # expect: SG308

grid = (
    stores
    .select("store_id")
    .crossJoin(calendar)  # expect: SG308
)


def all_pairs(left_df, right_df):
    return left_df.crossJoin(right_df)  # expect: SG308


def pair_up(left: DataFrame, right: DataFrame) -> DataFrame:
    return left.join(right, how="cross")  # expect: SG308


spark.conf.set("spark.sql.crossJoin.enabled", "true")  # expect: SG308
spark.conf.set("spark.sql.crossJoin.enabled", True)  # expect: SG308
conf = SparkConf().set("spark.sql.crossJoin.enabled", "true")  # expect: SG308

# --- must not fire ----------------------------------------------------------------

# One side is evidently small.
with_digits = customers.crossJoin(spark.range(10))
with_literal = customers.crossJoin(spark.createDataFrame([("a",), ("b",)], ["variant"]))
with_top = customers.crossJoin(products.orderBy(F.desc("sales")).limit(5))
with_broadcast = customers.join(F.broadcast(products.limit(100)), how="cross")
with_stats = customers.crossJoin(customers.agg(F.max("signup_ts").alias("latest")))
small_first = spark.range(3).crossJoin(products)

# Joins with a condition.
by_key = customers.join(products, "id")
by_keys = customers.join(products, ["country", "segment"])
by_expr = customers.join(products, customers.favourite == products.product_id, "left")
by_keywords = customers.join(products, on="id", how="inner")

# The setting switched off.
spark.conf.set("spark.sql.crossJoin.enabled", "false")

# Joins that are not Spark joins.
names = ", ".join(["a", "b"])
path = os.path.join("/tmp", "out")
worker = threading.Thread(target=print)
worker.start()
worker.join()
worker.join(timeout=5)
