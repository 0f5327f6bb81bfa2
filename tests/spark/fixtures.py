"""The named tables every rule snippet reads, generated from `spark.range`.

Every column is a pure function of the row number, so two runs (and the Example
and the Use-instead of one run) see the same data. Each table exists at two
scales: `small`, where every Example succeeds and answers can be compared, and
`big`, where the rows a driver-side Example brings back exceed the session's
`spark.driver.maxResultSize`. Temp views with the table names point at one scale
at a time; a table the same at both scales is written once. The `empty` scale is
`small` with no new order, for the other answer of an emptiness test. `lake/daily/2026-01-DD`
holds the small events of each day (without the `day` column) as its own parquet
directory, for the loop that reads many inputs.
"""

from __future__ import annotations

from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

DAYS = 28
COUNTRIES = ["NZ", "AU", "US", "GB"]

SIZES = {
    "small": {
        "events": 4_000,
        "users": 500,
        "orders": 2_000,
        "customers": 400,
        "products": 300,
        "fx_rates": 40,
        "payments": 2_000,
        "sales": 4_000,
    },
    "big": {
        "events": 300_000,
        "users": 200_000,
        "orders": 2_000,
        "customers": 200_000,
        "products": 300,
        "fx_rates": 400_000,
        "payments": 2_000,
        "sales": 4_000,
    },
}


def _pick(values: list[str], index):
    return F.element_at(F.array(*[F.lit(v) for v in values]), (index % len(values) + 1).cast("int"))


def _tables(spark: SparkSession, n: dict[str, int]):
    i = F.col("id")
    yield "events", spark.range(n["events"]).select(
        i.alias("event_id"),
        ((i * 7919) % n["users"]).alias("user_id"),
        F.date_format(F.date_add(F.lit("2026-01-01").cast("date"), (i % DAYS).cast("int")), "yyyy-MM-dd").alias("day"),
        _pick(COUNTRIES, i * 31).alias("country"),
        ((i * 37) % 10_000).alias("amount"),
        F.timestamp_seconds(F.lit(1_767_225_600) + i * 13).alias("event_time"),
        F.concat(F.lit("/products/"), ((i * 104_729) % 100_003).cast("string")).alias("page"),
    )
    yield "users", spark.range(n["users"]).select(
        i.alias("user_id"),
        F.concat(F.lit("user-"), i.cast("string")).alias("name"),
        _pick(COUNTRIES, i).alias("country"),
    )
    yield "orders", spark.range(n["orders"]).select(
        i.alias("order_id"),
        ((i * 13) % n["customers"]).alias("customer_id"),
        ((i * 101) % 50_000).alias("amount"),
        _pick(["new", "shipped", "shipped", "cancelled"], i).alias("status"),
        F.concat(F.lit("campaign-"), ((i * 7) % 97).cast("string")).alias("campaign"),
    )
    yield "customers", spark.range(n["customers"]).select(
        i.alias("customer_id"),
        F.concat(F.lit("customer-"), ((i * 7907) % 1_000_003).cast("string")).alias("name"),
        _pick(["retail", "smb", "enterprise"], i).alias("segment"),
    )
    yield "products", spark.range(n["products"]).select(
        i.alias("product_id"),
        F.concat(F.lit("product-"), i.cast("string")).alias("title"),
        ((i * 7907) % 100_000).alias("sales"),
    )
    yield "fx_rates", spark.range(n["fx_rates"]).select(
        F.format_string("C%06d", i).alias("ccy"),
        (F.lit(0.5) + (i % 100) / 100.0).alias("rate"),
    )
    yield "payments", spark.range(n["payments"]).select(
        i.alias("payment_id"),
        F.format_string("C%06d", (i * 17) % n["fx_rates"]).alias("ccy"),
        ((i * 53) % 100_000).alias("amount"),
    )
    yield "sales", spark.range(n["sales"]).select(
        F.concat(F.lit("store-"), (i % 50).cast("string")).alias("store"),
        ((i * 29) % 1_000).alias("amount"),
    )


def generate(spark: SparkSession, lake: Path) -> None:
    """Writes every table at both scales under `lake`."""
    for scale, sizes in SIZES.items():
        for name, df in _tables(spark, sizes):
            if scale == "big" and sizes[name] == SIZES["small"][name]:
                continue  # the same table at both scales: written once, under small/
            df.write.mode("overwrite").parquet(str(lake / scale / name))
    # The `empty` scale differs from `small` in one table: no order is new.
    spark.read.parquet(str(lake / "small" / "orders")).filter("status != 'new'").write.parquet(
        str(lake / "empty" / "orders")
    )
    # One job writes every day's directory; the directories then take the plain date.
    daily = lake / "daily"
    spark.read.parquet(str(lake / "small" / "events")).write.partitionBy("day").parquet(
        str(daily)
    )
    for part in daily.glob("day=*"):
        part.rename(daily / part.name.removeprefix("day="))


def use_scale(spark: SparkSession, lake: Path, scale: str) -> None:
    """Points the temp view of every table at one scale (`empty` shares all but orders)."""
    for name in SIZES["small"]:
        path = lake / scale / name
        if not path.exists():
            path = lake / "small" / name
        spark.read.parquet(str(path)).createOrReplaceTempView(name)
