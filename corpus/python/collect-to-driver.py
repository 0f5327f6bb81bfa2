"""SG101 collect-to-driver: collect() of data that is not evidently small."""
import gc

import polars as pl
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("sg101").getOrCreate()

# --- must fire -------------------------------------------------------------------

events = spark.read.parquet("s3://lake/events")
rows = events.collect()  # expect: SG101

inline = spark.table("events").collect()  # expect: SG101

csv_rows = spark.read.format("csv").option("header", "true").load("/data/in.csv").collect()  # expect: SG101

filtered = spark.table("events").filter(F.col("country") == "NZ").collect()  # expect: SG101

unique = spark.table("events").select("user_id").distinct().collect()  # expect: SG101

mapped = spark.table("events").rdd.map(lambda r: r.user_id).collect()  # expect: SG101

from_sql = spark.sql("SELECT * FROM events WHERE day = '2024-01-01'").collect()  # expect: SG101

lines = spark.sparkContext.textFile("hdfs:///logs").collect()  # expect: SG101

grouped = spark.table("events").groupBy("user_id").agg(F.count("*").alias("n")).collect()  # expect: SG101

joined = events.join(spark.table("users"), "user_id").collect()  # expect: SG101

gathered = events.agg(F.collect_list("user_id")).collect()  # expect: SG101

chained = (
    spark.table("events")
    .where("amount > 10")
    .withColumn("day", F.to_date("ts"))
    # expect: SG101
    .collect()
)


def load_events() -> DataFrame:
    return spark.table("events")


def load_users():
    return spark.read.json("/data/users")


helper_rows = load_events().collect()  # expect: SG101
helper_rows2 = load_users().collect()  # expect: SG101


def export(df: DataFrame):
    return df.collect()  # expect: SG101


def export_untyped(frame: "DataFrame"):
    return frame.collect()  # expect: SG101


def by_convention(users_df):
    # A parameter named like a DataFrame, in Spark code, with nothing saying otherwise.
    return users_df.collect()  # expect: SG101


as_list = events.collectAsList()  # expect: SG101


def preview_big(df):
    # A cap above `take-threshold`: flagged, and the message says so.
    return df.limit(50_000).collect()  # expect: SG101

# A list of plain columns, or a comprehension over them, is every row.
spark.table("events").select([F.col("user_id"), F.col("ts")]).collect()  # expect: SG101
spark.table("events").select([F.upper(F.col(c)) for c in ["a", "b"]]).collect()  # expect: SG101

# --- must not fire ----------------------------------------------------------------

gc.collect()
lazy = pl.scan_csv("x.csv").filter(pl.col("a") > 1).collect()
eager = pl.read_csv("x.csv").lazy().collect()


class Accumulator:
    def collect(self):
        return []


Accumulator().collect()
values = [1, 2, 3]
values.count(1)

top = spark.table("events").limit(10).collect()

agg_row = spark.table("events").agg(F.max("ts")).collect()
count_row = spark.table("events").select(F.count("*")).collect()
aliased = spark.table("events").select(F.count("*").alias("n"), F.max("ts").alias("latest")).collect()
# A list of aggregates, written out or built, is one row too.
null_counts = spark.table("events").select([F.sum(F.col(c).isNull().cast("int")).alias(c) for c in ["a", "b"]]).collect()
bounds_exprs = [F.min("ts").alias("first"), F.max("ts").alias("last")]
bounds = spark.table("events").select(bounds_exprs).collect()
math_agg = events.select((F.max("ts") - F.min("ts")).alias("span")).collect()
expr_agg = events.selectExpr("count(*) AS n", "max(ts)").collect()
global_group = events.groupBy().agg(F.sum("amount")).collect()
global_count = events.groupBy().count().collect()
sql_count = spark.sql("SELECT COUNT(*) FROM events").collect()
sql_limit = spark.sql("SELECT * FROM events ORDER BY ts DESC LIMIT 20").collect()
sql_no_table = spark.sql("SELECT current_version().dbr_version").collect()[0][0]
literal_rdd = spark.sparkContext.parallelize([1, 2, 3]).collect()
literal_df = spark.createDataFrame([(1, "a"), (2, "b")], ["id", "v"]).collect()
small_range = spark.range(100).collect()
summary = events.describe().collect()
streamed = events.toLocalIterator()
first = events.first()
one = events.head()
pdf = events.limit(100).toPandas()
local_list = pdf.values.tolist()
bounded_join = spark.range(5).join(spark.range(3), "id").collect()



def preview(df, n):
    # A cap whose size the caller decides: the author bounded it.
    return df.limit(n).collect()


LIMIT_ROWS = 50
limited_const = spark.table("events").limit(LIMIT_ROWS).collect()
