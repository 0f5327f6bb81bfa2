"""A daily ETL job written the distributed way: nothing here reaches the driver."""
import argparse
import logging
from datetime import date

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, StringType, StructField, StructType

log = logging.getLogger(__name__)

SCHEMA = StructType(
    [
        StructField("user_id", StringType()),
        StructField("amount", DoubleType()),
        StructField("country", StringType()),
    ]
)
PREVIEW_ROWS = 20


def read_orders(spark: SparkSession, day: date) -> DataFrame:
    return (
        spark.read.schema(SCHEMA)
        .option("header", "true")
        .csv(f"s3://lake/raw/orders/{day:%Y/%m/%d}/")
    )


def enrich(orders: DataFrame, users: DataFrame) -> DataFrame:
    window = Window.partitionBy("user_id").orderBy(F.col("amount").desc())
    return (
        orders.join(users, "user_id", "left")
        .withColumn("rank", F.row_number().over(window))
        .filter(F.col("rank") <= 3)
    )


def summarize(df: DataFrame) -> DataFrame:
    return df.groupBy("country").agg(
        F.count("*").alias("orders"),
        F.sum("amount").alias("revenue"),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--day", type=date.fromisoformat, required=True)
    args = parser.parse_args()

    spark = SparkSession.builder.appName("daily-etl").getOrCreate()
    orders = read_orders(spark, args.day)
    users = spark.table("dim.users")
    enriched = enrich(orders, users)

    # Peeks are bounded.
    for row in enriched.take(PREVIEW_ROWS):
        log.info("sample: %s", row)
    totals = enriched.agg(F.sum("amount").alias("total")).collect()[0]
    log.info("total revenue %.2f", totals["total"])
    latest = spark.sql("SELECT max(day) AS latest FROM dim.calendar").first()
    log.info("calendar ends %s", latest)

    summarize(enriched).write.mode("overwrite").partitionBy("country").parquet(
        "s3://lake/marts/revenue_by_country"
    )
    enriched.write.mode("overwrite").saveAsTable("marts.orders_enriched")
    spark.stop()


if __name__ == "__main__":
    main()
