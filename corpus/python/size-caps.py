"""`limit(n)` is a cap the author chose; above `take-threshold` the message says so."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("caps").getOrCreate()
events = spark.table("events")


def sample(n):
    # --- must not fire ------------------------------------------------------------
    return events.limit(n).collect()


small = events.limit(500).collect()
events.limit(100).coalesce(1).write.csv("/out/sample")

# --- must fire --------------------------------------------------------------------

big = events.limit(1_000_000).collect()  # expect: SG101
big_pandas = events.orderBy("ts").limit(50_000).toPandas()  # expect: SG102
