"""SG105 collect-per-key (off by default): per-key results whose key cardinality is unknown."""
from operator import add

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("sg105").getOrCreate()
orders = spark.table("orders")

# --- must fire -------------------------------------------------------------------

by_group = orders.groupBy("campaign").agg(F.sum("amount").alias("total")).collect()  # expect: SG105
by_code = orders.groupBy(F.col("promo_code")).count().toPandas()  # expect: SG105
codes = orders.select("promo_code").distinct().collect()  # expect: SG105
pairs = orders.rdd.map(lambda r: (r.promo_code, r.amount)).reduceByKey(add).collect()  # expect: SG105
# A generic alias says nothing of the values; a categorical one does.
per_bucket = orders.groupBy(orders["shelf"].alias("key")).count().collect()  # expect: SG105
per_day = orders.groupBy(F.col("created").alias("day")).count().collect()
# In SQL too: a distinct column whose name says nothing of its values.
sql_codes = spark.sql("select distinct `promo_code` from orders").collect()  # expect: SG105
sql_by_group = spark.sql("SELECT campaign, sum(amount) FROM orders GROUP BY campaign").collect()  # expect: SG105

# --- must not fire ----------------------------------------------------------------

# A categorical key: few rows, whatever the input.
by_country = orders.groupBy("country").agg(F.sum("amount")).collect()
by_status = orders.groupBy(F.col("status"), "year").count().toPandas()
by_partition = orders.groupBy(F.spark_partition_id()).count().collect()
statuses = orders.select("status").distinct().collect()

# An identifier key is SG101, not SG105.
by_user = orders.groupBy("user_id").count().collect()  # expect: SG101

# Per-key data that is written, not collected.
orders.groupBy("campaign").agg(F.sum("amount")).write.parquet("/out/by_group")
