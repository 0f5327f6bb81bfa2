# A script that runs Spark in its own process: the builder sets a local master and
# starts the driver JVM itself when `python clean-local-script.py` runs, so the driver
# memory it asks for is honoured (SG401 stays silent).
from pyspark.sql import SparkSession

spark = (
    SparkSession.builder.master("local[4]")
    .appName("local-report")
    .config("spark.driver.memory", "6g")
    .getOrCreate()
)

daily = spark.read.parquet("data/events").groupBy("day").count()
daily.write.mode("overwrite").parquet("data/daily")
