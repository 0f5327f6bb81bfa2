"""SG309 repartition-to-one: coalesce(1) / repartition(1) on data that is not evidently small."""
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("sg309").getOrCreate()
sc = spark.sparkContext

events = spark.table("events")
ONE_FILE = 1

# --- must fire -------------------------------------------------------------------

events.coalesce(1).write.mode("overwrite").csv("/exports/events")  # expect: SG309
events.repartition(1).write.mode("overwrite").parquet("/exports/events_parquet")  # expect: SG309
by_key = events.repartition(1, "user_id")  # expect: SG309
keyword = events.coalesce(numPartitions=1)  # expect: SG309
constant = events.coalesce(ONE_FILE)  # expect: SG309
per_user = events.groupBy("user_id").agg(F.sum("amount").alias("total")).coalesce(1)  # expect: SG309
joined = events.join(spark.table("users"), "user_id").repartition(1)  # expect: SG309
sc.textFile("hdfs:///logs").coalesce(1).saveAsTextFile("hdfs:///logs-merged")  # expect: SG309

(
    spark.read.parquet("s3://lake/raw/orders")
    .filter(F.col("status") == "paid")
    .coalesce(1)  # expect: SG309
    .write.mode("overwrite")
    .csv("s3://exports/paid_orders")
)


def export_single_file(report_df, path):
    report_df.coalesce(1).write.mode("overwrite").option("header", "true").csv(path)  # expect: SG309


def to_one(df: DataFrame) -> DataFrame:
    return df.repartition(1)  # expect: SG309


# --- must not fire ----------------------------------------------------------------

ten = events.coalesce(10)
many = events.repartition(200)
by_column = events.repartition("day")
by_columns = events.repartition(64, "day", "country")

# Evidently small data in one file is fine.
events.agg(F.sum("amount").alias("total"), F.max("ts").alias("latest")).coalesce(1).write.mode("overwrite").json("/exports/totals")
events.select(F.count("*").alias("n")).repartition(1).write.mode("overwrite").csv("/exports/count")
events.limit(100).coalesce(1).write.mode("overwrite").csv("/exports/sample")
spark.createDataFrame([("a", 1), ("b", 2)], ["k", "v"]).coalesce(1).write.mode("overwrite").csv("/exports/lookup")
spark.range(5).repartition(1)
events.describe("amount").coalesce(1).write.mode("overwrite").csv("/exports/describe")

# The column function coalesce is not a repartition.
filled = events.select(F.coalesce(F.col("amount"), F.lit(1)).alias("amount"))
filled_str = events.withColumn("qty", F.coalesce("qty", F.lit(1)))
