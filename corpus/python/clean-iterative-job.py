"""Feature building, backfill and an iterative graph job, with every loop written the distributed way."""
import argparse
import functools
import logging
import operator
from datetime import date, timedelta
from operator import add

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

log = logging.getLogger(__name__)

CHECKPOINT_EVERY = 5


def ingest(spark: SparkSession, tables: list[str]) -> None:
    # Each iteration reads its own table: one job per table is the work itself.
    for t in tables:
        spark.table(f"raw.{t}").write.mode("overwrite").saveAsTable(f"bronze.{t}")


def load_days(spark: SparkSession, start: date, days: int) -> DataFrame:
    # Many inputs, one read.
    paths = [f"s3://lake/raw/orders/day={start + timedelta(days=i)}" for i in range(days)]
    return spark.read.option("basePath", "s3://lake/raw/orders").parquet(*paths)


def add_features(orders: DataFrame, feature_names: list[str]) -> DataFrame:
    # The expressions are built in the loop and applied in one select.
    exprs = []
    for name in feature_names:
        exprs.append(F.col("attributes").getItem(name).cast("double").alias(name))
    featured = orders.select("*", *exprs)
    # A few fixed metrics, rounded one by one: a small literal loop.
    for m in ("amount", "quantity", "discount"):
        featured = featured.withColumn(m, F.round(F.col(m), 2))
    complete = functools.reduce(operator.and_, [F.col(n).isNotNull() for n in feature_names])
    return featured.withColumn("complete", complete)


def daily_summary(orders: DataFrame, days: list[str]) -> DataFrame:
    # One job over every day instead of one job per day.
    return (
        orders.filter(F.col("day").isin(days))
        .groupBy("day", "country")
        .agg(F.count("*").alias("orders"), F.sum("amount").alias("revenue"))
    )


def rank_users(orders: DataFrame) -> DataFrame:
    by_user = Window.partitionBy("user_id").orderBy(F.desc("amount"))
    running = Window.partitionBy("user_id").orderBy("ts").rowsBetween(Window.unboundedPreceding, 0)
    return (
        orders.withColumn("rank", F.row_number().over(by_user))
        .withColumn("running_total", F.sum("amount").over(running))
        .filter(F.col("rank") <= 10)
    )


def page_rank(spark: SparkSession, links: DataFrame, iterations: int) -> DataFrame:
    spark.sparkContext.setCheckpointDir("s3://lake/checkpoints/pagerank")
    ranks = links.select("src").distinct().withColumn("rank", F.lit(1.0))
    for i in range(iterations):
        contribs = links.join(ranks, links.src == ranks.src).select(
            F.col("dst").alias("src"), (F.col("rank") / F.col("out_degree")).alias("contrib")
        )
        ranks = contribs.groupBy("src").agg((F.lit(0.15) + F.lit(0.85) * F.sum("contrib")).alias("rank"))
        # Cut the lineage every few iterations so the plan stays small.
        if i % CHECKPOINT_EVERY == 0:
            ranks = ranks.checkpoint()
    return ranks


def word_counts(spark: SparkSession, path: str) -> None:
    counts = (
        spark.sparkContext.textFile(path)
        .flatMap(lambda line: line.split())
        .map(lambda w: (w, 1))
        .reduceByKey(add)
    )
    counts.saveAsTextFile(path + ".counts")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--start", type=date.fromisoformat, required=True)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--features", nargs="+", default=[])
    parser.add_argument("--tables", nargs="+", default=[])
    args = parser.parse_args()

    spark = SparkSession.builder.appName("clean-iterative-job").getOrCreate()
    ingest(spark, args.tables)

    orders = load_days(spark, args.start, args.days)
    if orders.isEmpty():
        log.info("no orders since %s", args.start)
        return

    featured = add_features(orders, args.features).persist(StorageLevel.MEMORY_AND_DISK)
    n = featured.count()
    log.info("%d orders", n)

    days = [(args.start + timedelta(days=i)).isoformat() for i in range(args.days)]
    summary = daily_summary(featured, days).cache()
    summary.write.mode("overwrite").partitionBy("day").parquet("s3://lake/marts/daily_summary")
    summary.show(20)
    # A small aggregate in one file for the finance team.
    totals = summary.agg(F.sum("orders").alias("orders"), F.sum("revenue").alias("revenue"))
    totals.coalesce(1).write.mode("overwrite").option("header", "true").csv("s3://exports/totals")
    summary.unpersist()

    # A week grid: the calendar side is tiny.
    weekdays = spark.range(7).withColumnRenamed("id", "weekday")
    grid = featured.select("store_id").distinct().crossJoin(weekdays)
    grid.write.mode("overwrite").saveAsTable("marts.store_weekdays")

    rank_users(featured).write.mode("overwrite").saveAsTable("marts.top_orders")
    featured.unpersist()

    links = spark.table("graph.links")
    page_rank(spark, links, 20).write.mode("overwrite").saveAsTable("graph.ranks")
    word_counts(spark, "hdfs:///logs/today")
    spark.stop()


if __name__ == "__main__":
    main()
