"""Per-key results are as big as their key has values: named identifiers are large."""
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("per-key").getOrCreate()
events = spark.read.parquet("s3://lake/events")

# --- must fire -------------------------------------------------------------------

per_user = events.groupBy("user_id").agg(F.count("*").alias("n")).collect()  # expect: SG101
per_email = events.groupBy(F.col("email")).count().toPandas()  # expect: SG102
per_session = events.groupBy(events.session_id, "country").count().collect()  # expect: SG101
urls = events.select("url").distinct().collect()  # expect: SG101
visitors = events.dropDuplicates(["visitor_id"]).collect()  # expect: SG101
by_user_rdd = events.rdd.map(lambda r: (r.user_id, 1)).countByKey()  # expect: SG104
F.broadcast(events.select("customer_id").distinct())  # expect: SG201
events.groupBy("user_id").count().coalesce(1).write.csv("/out/users")  # expect: SG309
# The same in SQL: one row per distinct identifier.
sql_users = spark.sql("SELECT DISTINCT user_id FROM events").collect()  # expect: SG101
sql_per_user = spark.sql("SELECT user_id, count(*) AS n FROM events GROUP BY user_id").toPandas()  # expect: SG102

# --- must not fire ----------------------------------------------------------------

per_country = events.groupBy("country").agg(F.count("*").alias("n")).collect()
per_day = events.groupBy(F.to_date("ts").alias("day")).count().toPandas()
per_type = events.groupBy("event_type", "device_type").count().collect()
types = events.select("event_type").distinct().collect()
by_type_rdd = events.rdd.map(lambda r: (r.event_type, 1)).countByKey()
by_status = events.rdd.map(lambda r: r["status"]).countByValue()
F.broadcast(events.select("region").distinct())
events.groupBy("country").count().coalesce(1).write.csv("/out/countries")
sql_countries = spark.sql("SELECT DISTINCT country FROM events").collect()
sql_per_type = spark.sql("""
    SELECT e.event_type, count(*) AS n
    FROM events e
    GROUP BY e.event_type
    ORDER BY n DESC
""").collect()
