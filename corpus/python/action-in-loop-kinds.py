"""SG302 action-in-loop: which actions in loops run a needless job, and which loops are meant to."""
import time

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("sg302-kinds").getOrCreate()

events = spark.table("events")
rules = [r.asDict() for r in spark.table("ref.rules").collect()]  # expect: SG101
days = [r.day for r in spark.table("ref.days").collect()]  # expect: SG101

# --- must fire -------------------------------------------------------------------

# The same DataFrame counted on every iteration of a loop over rules.
for rule in rules:
    total = events.count()  # expect: SG302
    failed = events.filter(F.expr(rule["expr"])).count()
    print(rule["name"], failed / total)

# Several actions in one loop: one finding, on the first.
for d in days:
    events.filter(F.col("day") == d).show()  # expect: SG302
    events.filter(F.col("day") == d).count()

# Timing each iteration does not make a loop a benchmark when its job differs per
# iteration.
for d in days:
    started = time.time()
    events.filter(F.col("day") == d).count()  # expect: SG302
    print(d, time.time() - started)

# Each iteration builds new data in the driver and writes it: a job per batch, but no
# input is read again.
for batch in days:
    spark.createDataFrame([(batch, 1)], ["day", "n"]).write.mode("append").saveAsTable("marts.days")  # expect: SG302

# A condition runs on every iteration, even when its branch leaves the loop.
for d in days:
    if events.filter(F.col("day") == d).count() > 1000:  # expect: SG302
        events.filter(F.col("day") == d).show()
        break

# --- must not fire ----------------------------------------------------------------

# An action on one iteration only.
for c in events.columns:
    if c == "user_id":
        print(events.select(c).distinct().count())

# The input is cached: filtering it per iteration reads the cache.
daily = spark.table("daily").cache()
for d in days:
    print(daily.filter(F.col("day") == d).count())

# Metadata-only commands.
for t in days:
    spark.sql(f"DESCRIBE TABLE {t}").show()
    spark.sql(f"SHOW PARTITIONS {t}").show()
    spark.catalog.listColumns(t)

# Each iteration runs another query, named by the loop variable, also through a
# session an object holds.
for rule in rules:
    spark.sql(rule["query"]).collect()  # expect: SG101


def run_checks(ctx, checks):
    for check in checks:
        found = ctx.spark.sql(check["query"])
        print(found.first())

# A poll that sleeps between attempts, and a benchmark that times itself.
for attempt in days:
    if spark.table("jobs.status").filter(F.col("state") == "done").count() >= 100:
        break
    time.sleep(30)
for run in days:
    started = time.perf_counter()
    events.groupBy("user_id").count().collect()  # expect: SG101
    print(run, time.perf_counter() - started)


# An iterative algorithm that caches and checkpoints what it carries.
def converge(ranks: DataFrame, steps) -> DataFrame:
    for i in steps:
        ranks = ranks.join(spark.table("links"), "page").cache()
        ranks.count()
        if i % 10 == 0:
            ranks = ranks.checkpoint()
    return ranks


# Each iteration writes a different output of a different aggregate.
for metric in days:
    events.groupBy(metric).count().write.mode("overwrite").parquet(f"/out/{metric}")
