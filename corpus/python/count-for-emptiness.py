"""SG307 count-for-emptiness: counting every row to learn whether there is one."""
import logging

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

log = logging.getLogger(__name__)
spark = SparkSession.builder.appName("sg307").getOrCreate()

orders = spark.table("sales.orders")
new_orders = orders.filter(F.col("status") == "new")
lines = spark.sparkContext.textFile("hdfs:///logs")

# --- must fire -------------------------------------------------------------------

if new_orders.count() == 0:  # expect: SG307
    log.info("nothing to do")
if new_orders.count() > 0:  # expect: SG307
    log.info("work to do")
if new_orders.count() != 0:  # expect: SG307
    log.info("work to do")
if new_orders.count() >= 1:  # expect: SG307
    log.info("work to do")
if new_orders.count() < 1:  # expect: SG307
    log.info("nothing to do")
if new_orders.count() <= 0:  # expect: SG307
    log.info("nothing to do")
if 0 == new_orders.count():  # expect: SG307
    log.info("nothing to do")
if 0 < new_orders.count():  # expect: SG307
    log.info("work to do")
if new_orders.count():  # expect: SG307
    log.info("work to do")
if not new_orders.count():  # expect: SG307
    log.info("nothing to do")
if len(new_orders.collect()) == 0:  # expect: SG101, SG307
    log.info("nothing to do")

is_empty = orders.filter(F.col("amount") < 0).count() == 0  # expect: SG307
has_errors = lines.filter(lambda line: "ERROR" in line).count() > 0  # expect: SG307


def has_rows(df: DataFrame) -> bool:
    return df.count() > 0  # expect: SG307


def check_no_negative(df: DataFrame) -> None:
    assert df.filter(F.col("amount") < 0).count() == 0, "negative amounts"  # expect: SG307


def publish(events_df):
    if events_df.filter(F.col("day") == "2024-01-01").count() == 0:  # expect: SG307
        return
    events_df.write.mode("append").saveAsTable("marts.events")


# --- must not fire ----------------------------------------------------------------

# The idioms that stop at the first row.
if new_orders.isEmpty():
    log.info("nothing to do")
if not new_orders.head(1):
    log.info("nothing to do")
if len(new_orders.take(1)) == 0:
    log.info("nothing to do")
if new_orders.rdd.isEmpty():
    log.info("nothing to do")
if lines.isEmpty():
    log.info("nothing to do")
# Counting at most one row costs what isEmpty() costs.
if new_orders.limit(1).count() == 0:
    log.info("nothing to do")

# The count is needed anyway: computed once and reused.
n = new_orders.count()
if n == 0:
    log.info("nothing to do")
log.info("%d new orders", n)

# Not an emptiness test.
if new_orders.count() > 5:
    log.info("a busy day")
if new_orders.count() == 1:
    log.info("exactly one")
if new_orders.count() >= 0:
    log.info("always")
if new_orders.count() <= 1:
    log.info("at most one")
if 0 < new_orders.count() < 10:
    log.info("a few")
threshold = 100
if new_orders.count() > threshold:
    log.info("over threshold")

# Not Spark counts.
values = ["a", "b", "a"]
if values.count("a") == 0:
    log.info("no a")
if "a,b".count(",") > 0:
    log.info("has commas")
pdf = pd.read_csv("local.csv")
if pdf["amount"].count() == 0:
    log.info("empty column")
per_day = orders.groupBy("day").agg(F.count("*").alias("n")).filter(F.col("n") > 0)
