"""SG302 action-in-loop: a Spark action that rereads the same input on every iteration."""
import logging
from datetime import date, timedelta

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

log = logging.getLogger(__name__)
spark = SparkSession.builder.appName("sg302").getOrCreate()

events = spark.table("events")
start = date(2024, 1, 1)
days = [(start + timedelta(days=i)).isoformat() for i in range(365)]
with open("countries.txt") as fh:
    countries = [line.strip() for line in fh]

# --- must fire -------------------------------------------------------------------

report = {}
for d in days:
    report[d] = events.filter(F.col("day") == d).count()  # expect: SG302

for d in days:
    rows = events.filter(F.col("day") == d).collect()  # expect: SG101, SG302
    log.info("%s: %d", d, len(rows))

for c in countries:
    frame = events.filter(F.col("country") == c).toPandas()  # expect: SG102, SG302
    frame.to_csv(f"/tmp/{c}.csv")

# One finding per loop, on its first action; the others are related positions.
for c in countries:
    events.filter(F.col("country") == c).show()  # expect: SG302
    sample = events.filter(F.col("country") == c).take(5)
    top = events.filter(F.col("country") == c).orderBy(F.desc("amount")).first()
    latest = events.where(F.col("country") == c).head()

# One write per day of the same input: one partitioned write does it in one job.
for d in days:
    events.filter(F.col("day") == d).write.mode("overwrite").parquet(f"s3://lake/out/day={d}")  # expect: SG302
for d in days:
    (
        events.filter(F.col("day") == d)
        .write.format("delta")
        .mode("overwrite")
        # expect: SG302
        .save(f"/mnt/delta/daily/{d}")
    )

# A name bound inside the loop to a filter of the same input.
for d in days:
    today = events.filter(F.col("day") == d)
    today.write.mode("append").saveAsTable("marts.daily")  # expect: SG302

# The same table, named by a constant, reread on every iteration.
for d in days:
    n = spark.table("events").filter(F.col("day") == d).count()  # expect: SG302

# The loop variable is in the query text, but every iteration scans the same table.
for d in days:
    row = spark.sql(f"SELECT count(*) AS n FROM events WHERE day = '{d}'").first()  # expect: SG302


def send(row):
    pass


for c in countries:
    events.filter(F.col("country") == c).foreach(send)  # expect: SG302

# Comprehensions are loops too.
per_day = {d: events.filter(F.col("day") == d).count() for d in days}  # expect: SG302
firsts = [events.where(F.col("country") == c).first() for c in countries]  # expect: SG302

# An action in a `while` condition runs once per iteration.
pending = spark.table("jobs.queue").filter(F.col("status") == "new")
while pending.count() > 0:  # expect: SG302, SG307
    pending.write.mode("append").saveAsTable("jobs.claimed")
    pending = spark.table("jobs.queue").filter(F.col("status") == "new")


def daily_counts(df: DataFrame, day_list):
    out = {}
    for d in day_list:
        out[d] = df.filter(F.col("day") == d).count()  # expect: SG302
    return out


i = 0
while i < len(days):
    events.filter(F.col("day") == days[i]).write.mode("append").saveAsTable("marts.replay")  # expect: SG302
    i += 1

# --- must not fire ----------------------------------------------------------------

# The loop variable is the data: every iteration works on another DataFrame.
for frame in [events, spark.table("users"), spark.table("orders"), spark.table("items"),
              spark.table("a"), spark.table("b"), spark.table("c"), spark.table("d"),
              spark.table("e"), spark.table("f"), spark.table("g")]:
    frame.write.mode("overwrite").parquet("/tmp/out")
summaries = {name: df.toPandas() for name, df in frames_by_name.items()}  # expect: SG102

# A small literal collection or a small range.
for c in ["NZ", "AU", "US"]:
    log.info("%s: %d", c, events.filter(F.col("country") == c).count())
for i in range(3):
    events.filter(F.col("bucket") == i).show()

# Each iteration reads a different source, named by the loop variable.
tables = [t.name for t in spark.catalog.listTables("raw")]
for t in tables:
    log.info("%s has %d rows", t, spark.table(t).count())
for t in tables:
    spark.table(f"raw.{t}").write.mode("overwrite").saveAsTable(f"bronze.{t}")
for d in days:
    spark.read.parquet(f"s3://lake/events/day={d}").write.mode("overwrite").saveAsTable("staging.events")
for t in tables:
    src = spark.read.format("delta").load(f"/mnt/raw/{t}")
    src.write.mode("overwrite").parquet(f"/mnt/bronze/{t}")

# Data built in the driver per item, written to an output a name derived from the
# loop variable gives: each iteration makes its own output.
splits = load_splits("mnist")
for split, rows in splits.items():
    split_url = "{}/{}".format("s3://lake/mnist", split)
    spark.createDataFrame(rows, ["id", "v"]).coalesce(4).write.parquet(split_url)

# The loop builds DataFrame expressions into a list: no job runs.
dfs = []
for t in tables:
    dfs.append(spark.table(t).filter(F.col("day") == "2024-01-01"))
filtered = [events.filter(F.col("day") == d) for d in days]

# The iterable is evaluated once, before the loop.
for row in events.take(20):
    log.info("sample %s", row)
for row in events.toLocalIterator():
    log.info("row %s", row)
ids = [r.user_id for r in events.select("user_id").limit(10).collect()]

# Actions outside any loop, and Python or pandas look-alikes inside loops.
total = events.count()
words = ["a", "b", "a"]
for w in words:
    n = words.count(w)
pdf = pd.read_csv("local.csv")
for c in days:
    pdf[c].head()
    pdf.count()
collected = events.limit(100).toPandas()
for c in days:
    collected.head()
