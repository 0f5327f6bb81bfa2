"""SG201 broadcast-unbounded: broadcast(df) and .hint("broadcast") on data that is not evidently small."""
import pyspark.sql.functions
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.functions import broadcast
from pyspark.sql.functions import broadcast as bc

spark = SparkSession.builder.appName("sg201").getOrCreate()

orders = spark.table("sales.orders")
countries = spark.table("ref.countries")
currencies = spark.read.parquet("s3://lake/ref/currencies")
country_codes = spark.read.option("header", "true").csv("/mnt/ref/country_codes.csv")

# --- must fire -------------------------------------------------------------------

# A table or file read: "it is a dimension" is not evidence that it is small.
by_country = orders.join(F.broadcast(countries), "country_code")  # expect: SG201
by_country_inline = orders.join(F.broadcast(spark.table("ref.countries")), "country_code")  # expect: SG201
with_ccy = orders.join(broadcast(currencies), "currency")  # expect: SG201
with_codes = orders.join(bc(country_codes), "country_code")  # expect: SG201
qualified = orders.join(pyspark.sql.functions.broadcast(countries), "country_code")  # expect: SG201
stores = orders.join(F.broadcast(spark.read.json("s3://lake/ref/stores/")), "store_id")  # expect: SG201
products = orders.join(F.broadcast(spark.read.format("delta").load("/mnt/delta/products")), "product_id")  # expect: SG201
from_sql = orders.join(F.broadcast(spark.sql("SELECT * FROM ref.products")), "product_id")  # expect: SG201

# Narrowing columns, renaming, filtering, de-duplicating or joining keeps it unbounded.
narrowed = orders.join(F.broadcast(countries.select("country_code", "region")), "country_code")  # expect: SG201
renamed = orders.join(F.broadcast(countries.withColumnRenamed("code", "country_code")), "country_code")  # expect: SG201
active = orders.join(F.broadcast(countries.filter(F.col("active"))), "country_code")  # expect: SG201
in_eu = orders.join(F.broadcast(countries.where("region = 'EU'")), "country_code")  # expect: SG201
customers = orders.join(F.broadcast(orders.select("customer_id").distinct()), "customer_id")  # expect: SG201
dim_join = orders.join(F.broadcast(countries.join(currencies, "currency")), "country_code")  # expect: SG201

# One row per region: a categorical key has few values.
regions = orders.join(F.broadcast(countries.select("region").distinct()), "region")

cached_countries = countries.cache()
from_cache = orders.join(F.broadcast(cached_countries), "country_code")  # expect: SG201

enriched = (
    orders
    .join(F.broadcast(countries), "country_code")  # expect: SG201
    .join(
        # expect: SG201
        F.broadcast(
            currencies.select("currency", "rate")
        ),
        "currency",
    )
)

# The hint names, in any case.
hinted = orders.join(countries.hint("broadcast"), "country_code")  # expect: SG201
hinted_upper = orders.join(countries.hint("BROADCAST"), "country_code")  # expect: SG201
hinted_join = orders.join(currencies.hint("broadcastjoin"), "currency")  # expect: SG201
hinted_mapjoin = orders.join(spark.table("ref.stores").hint("MAPJOIN"), "store_id")  # expect: SG201
hinted_mixed = orders.join(countries.hint("BroadcastJoin"), "country_code")  # expect: SG201

# The fact table is the side being broadcast here.
big_side = orders.hint("broadcast").join(countries, "country_code")  # expect: SG201

store_dim = (
    spark.table("ref.stores")
    .select("store_id", "region")
    .hint("broadcast")  # expect: SG201
)


def load_products() -> DataFrame:
    return spark.table("ref.products")


with_products = orders.join(F.broadcast(load_products()), "product_id")  # expect: SG201

# --- must not fire ----------------------------------------------------------------

# Nothing is known of the side but the author's hint, which says small: a parameter no
# caller says more about, rows of unknown origin made into a DataFrame in memory.
def enrich(facts: DataFrame, dim: DataFrame) -> DataFrame:
    return facts.join(F.broadcast(dim), "id")


def enrich_hinted(facts: DataFrame, dim: DataFrame) -> DataFrame:
    return facts.join(dim.hint("broadcast"), "id")


def with_lookup(facts, lookup_df):
    return facts.join(F.broadcast(lookup_df), "key")


def join_lookup(rows):
    lookup = spark.createDataFrame(rows)
    return orders.join(F.broadcast(lookup), "id")


class Enricher:
    def __init__(self, entities):
        self.entities = entities

    def run(self, facts):
        if spark.conf.get("app.force.broadcast", "false") == "true":
            return facts.join(self.entities.hint("broadcast"), "id")
        return facts.join(self.entities, "id")


def join_collected(table):
    # Rows collected from a table are as big as the table, in memory or not.
    lookup = spark.createDataFrame(spark.table(table).collect())  # expect: SG101
    return orders.join(F.broadcast(lookup), "id")  # expect: SG201

# Evidently small.
status_names = spark.createDataFrame([(1, "open"), (2, "shipped"), (3, "returned")], ["status_id", "status"])
with_status = orders.join(F.broadcast(status_names), "status_id")
with_region = orders.join(broadcast(spark.createDataFrame([("NZ", "Oceania")], ["country_code", "region"])), "country_code")
buckets = orders.join(F.broadcast(spark.range(10)), orders.bucket == F.col("id"))
renamed_buckets = orders.join(F.broadcast(spark.range(10).withColumnRenamed("id", "bucket")), "bucket")
top_stores = orders.join(F.broadcast(spark.table("ref.stores").limit(100)), "store_id")
latest = orders.crossJoin(F.broadcast(orders.agg(F.max("order_ts").alias("latest_ts"))))
total = orders.crossJoin(bc(orders.groupBy().count()))
hinted_small = orders.join(status_names.hint("broadcast"), "status_id")
hinted_limited = orders.join(countries.limit(50).hint("broadcast"), "country_code")

# Other hints.
shuffled = orders.join(countries.hint("shuffle_hash"), "country_code")
merged = orders.join(countries.hint("merge"), "country_code")
repartitioned = orders.hint("repartition", 200)
coalesced = orders.hint("coalesce", 1)
rebalanced = orders.hint("rebalance")

# Text, not calls.
# F.broadcast(countries) would ship the whole table to every executor.
skip_reason = "broadcast (countries) skipped: table too large"
print("use F.broadcast(countries) only for small dimensions")


def explain() -> str:
    """Wrap a small side in broadcast(df); never a table read such as broadcast(spark.table("x"))."""
    return "see docs"


def join_literal_lookup():
    # Built from literal rows: small, no finding.
    lookup = spark.createDataFrame([("DE", "EUR"), ("US", "USD")], ["country", "currency"])
    return orders.join(F.broadcast(lookup), "country")
