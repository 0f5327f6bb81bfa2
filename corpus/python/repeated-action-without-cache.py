"""SG303 repeated-action-without-cache: several actions recompute one shuffled lineage."""
import logging
from operator import add

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

log = logging.getLogger(__name__)
spark = SparkSession.builder.appName("sg303").getOrCreate()
sc = spark.sparkContext

# --- must fire -------------------------------------------------------------------


def daily_revenue(events: DataFrame, users: DataFrame) -> None:
    daily = events.join(users, "user_id").groupBy("day").agg(F.sum("amount").alias("revenue"))
    log.info("%d days", daily.count())
    daily.write.mode("overwrite").parquet("s3://lake/marts/daily")  # expect: SG303


def distinct_users(events: DataFrame) -> None:
    ids = events.select("user_id").distinct()
    n = ids.count()
    ids.show()  # expect: SG303
    log.info("%d users", n)


def ranked_export(events: DataFrame) -> None:
    ranked = events.orderBy(F.desc("amount"))
    ranked.show(20)
    ranked.write.mode("overwrite").json("s3://lake/exports/ranked")  # expect: SG303


def bucketed(events: DataFrame) -> None:
    parted = events.repartition(200, "user_id")
    parted.write.mode("overwrite").parquet("s3://lake/tmp/parted")
    parted.write.mode("overwrite").saveAsTable("tmp.parted")  # expect: SG303


def three_actions(events: DataFrame) -> None:
    per_user = events.groupBy("user_id").agg(F.count("*").alias("n"))
    per_user.count()
    # Only the second action is reported, once.
    per_user.show()  # expect: SG303
    per_user.write.mode("overwrite").saveAsTable("marts.per_user")


def through_a_filter(orders: DataFrame, users: DataFrame) -> None:
    joined = orders.join(users, "user_id")
    recent = joined.filter(F.col("day") >= "2024-01-01")
    first = recent.first()
    recent.write.mode("overwrite").parquet("s3://lake/marts/recent")  # expect: SG303
    log.info("first %s", first)


def two_slices(events: DataFrame) -> None:
    per_country = events.groupBy("country").agg(F.sum("amount").alias("revenue"))
    per_country.filter(F.col("revenue") > 1000).write.mode("overwrite").parquet("/marts/big")
    per_country.filter(F.col("revenue") <= 1000).write.mode("overwrite").parquet("/marts/small")  # expect: SG303


def cached_too_late(events: DataFrame) -> None:
    totals = events.groupBy("day").agg(F.sum("amount"))
    totals.show()
    totals.write.mode("overwrite").saveAsTable("marts.totals")  # expect: SG303
    totals.cache()


def rdd_word_count(path: str) -> None:
    counts = sc.textFile(path).flatMap(lambda line: line.split()).map(lambda w: (w, 1)).reduceByKey(add)
    log.info("%d words", counts.count())
    counts.saveAsTextFile(path + ".counts")  # an RDD reuses its shuffle output: no finding


def long_chain(events: DataFrame) -> None:
    deduped = (
        events
        .dropDuplicates(["event_id"])
        .withColumn("day", F.to_date("ts"))
    )
    deduped.write.mode("overwrite").partitionBy("day").parquet("s3://lake/clean/events")
    (
        deduped
        .groupBy("day")
        .count()
        .write.mode("overwrite")
        # expect: SG303
        .parquet("s3://lake/marts/daily_counts")
    )


# --- must not fire ----------------------------------------------------------------


def cached_first(events: DataFrame, users: DataFrame) -> None:
    daily = events.join(users, "user_id").groupBy("day").agg(F.sum("amount")).cache()
    log.info("%d days", daily.count())
    daily.write.mode("overwrite").parquet("s3://lake/marts/daily")
    daily.unpersist()


def persisted(events: DataFrame) -> None:
    per_user = events.groupBy("user_id").count()
    per_user.persist(StorageLevel.MEMORY_AND_DISK)
    per_user.show()
    per_user.write.mode("overwrite").saveAsTable("marts.per_user")


def cache_marks_the_dataframe_itself(events: DataFrame) -> None:
    # `cache()` returns its receiver: `per_day` is cached whatever name the result gets.
    per_day = events.groupBy("day").count()
    same = per_day.cache()
    per_day.show()
    per_day.write.mode("overwrite").saveAsTable("marts.per_day")
    same.unpersist()


def checkpointed(events: DataFrame) -> None:
    spark.sparkContext.setCheckpointDir("s3://lake/checkpoints")
    joined = events.join(spark.table("users"), "user_id").checkpoint()
    joined.count()
    joined.write.mode("overwrite").parquet("s3://lake/joined")


def local_checkpoint(events: DataFrame) -> None:
    per_user = events.groupBy("user_id").count()
    per_user = per_user.localCheckpoint()
    per_user.show()
    per_user.write.mode("overwrite").saveAsTable("marts.per_user")


def trivial_lineage(path: str) -> None:
    # Reading and filtering again is cheap next to a shuffle.
    raw = spark.read.parquet(path).filter(F.col("valid"))
    log.info("%d rows", raw.count())
    raw.write.mode("overwrite").saveAsTable("staging.raw")


def count_once(events: DataFrame) -> None:
    per_user = events.groupBy("user_id").count()
    n = per_user.count()
    if n == 0:
        log.warning("no users")
    log.info("%d users", n)


def one_action_each(events: DataFrame) -> None:
    per_user = events.groupBy("user_id").count()
    per_user.write.mode("overwrite").saveAsTable("marts.per_user")


def another_function(events: DataFrame) -> None:
    per_user = events.groupBy("user_id").count()
    per_user.show()


def rebound(events: DataFrame) -> None:
    result = events.groupBy("day").count()
    result.show()
    result = spark.table("marts.other").groupBy("day").count()
    result.show()


def either_branch(events: DataFrame, dry_run: bool) -> None:
    # Only one of the two actions runs.
    per_day = events.groupBy("day").count()
    if dry_run:
        per_day.show()
    else:
        per_day.write.mode("overwrite").saveAsTable("marts.per_day")
