"""SG202 broadcast-collected: sc.broadcast of data collected from Spark into the driver."""
import json

import numpy as np
import pandas as pd
from pyspark import SparkContext
from pyspark.ml.clustering import KMeans as SparkKMeans
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from sklearn.cluster import KMeans
from sklearn.tree import DecisionTreeClassifier

spark = SparkSession.builder.appName("sg202").getOrCreate()
sc = spark.sparkContext

fx_rates = spark.table("ref.fx_rates")
countries = spark.read.parquet("s3://lake/ref/countries")
payments = spark.table("finance.payments")

# --- must fire -------------------------------------------------------------------

all_rates = sc.broadcast(fx_rates.collect())  # expect: SG101, SG202

rate_rows = fx_rates.select("ccy", "rate").collect()  # expect: SG101
rates_bc = sc.broadcast(rate_rows)  # expect: SG202

rates_dict_bc = sc.broadcast(dict(fx_rates.select("ccy", "rate").collect()))  # expect: SG101, SG202
names_bc = sc.broadcast({r.code: r.name for r in countries.collect()})  # expect: SG101, SG202

names = {r.code: r.name for r in countries.select("code", "name").collect()}  # expect: SG101
names_ctx_bc = spark.sparkContext.broadcast(names)  # expect: SG202

blocked_ids = {r.user_id for r in spark.table("risk.blocked_users").collect()}  # expect: SG101
blocked_bc = sc.broadcast(blocked_ids)  # expect: SG202

countries_pdf_bc = sc.broadcast(countries.toPandas())  # expect: SG102, SG202

fx_pdf = fx_rates.toPandas()  # expect: SG102
fx_pdf_bc = sc.broadcast(fx_pdf)  # expect: SG202

# The most common spelling: a pandas dict built from the collected frame.
fx_lookup_bc = sc.broadcast(fx_rates.toPandas().set_index("ccy")["rate"].to_dict())  # expect: SG102, SG202

pair_map_bc = sc.broadcast(countries.rdd.map(lambda r: (r.code, r.name)).collectAsMap())  # expect: SG104, SG202

merchant_bc = sc.broadcast(  # expect: SG202
    dict(
        spark.table("ref.merchants")
        .select("merchant_id", "category")
        .collect()  # expect: SG101
    )
)

context = SparkContext.getOrCreate()
context_bc = context.broadcast(payments.select("payment_id").collect())  # expect: SG101, SG202


def broadcast_lookup(dim: DataFrame):
    return spark.sparkContext.broadcast(dim.collect())  # expect: SG101, SG202


# --- must not fire ----------------------------------------------------------------

# Literals and configuration.
static_bc = sc.broadcast({"NZ": "New Zealand", "AU": "Australia"})
settings = {"min_amount": 10.0, "currencies": ["NZD", "AUD"]}
settings_bc = sc.broadcast(settings)
range_bc = sc.broadcast(list(range(100)))

# Read locally on the driver, not collected from the cluster.
with open("/dbfs/config/rules.json") as fh:
    rules_bc = sc.broadcast(json.load(fh))
rules_again_bc = sc.broadcast(json.load(open("/dbfs/config/rules.json")))
codes_bc = sc.broadcast(pd.read_csv("/dbfs/ref/country_codes.csv"))

# Model state: bounded by the model, not by the data it was trained on.
sample = np.random.default_rng(7).normal(size=(1000, 4))
centers_bc = sc.broadcast(KMeans(n_clusters=8, n_init=10).fit(sample).cluster_centers_)
train = pd.read_parquet("/dbfs/ml/train_sample.parquet")
tree = DecisionTreeClassifier(max_depth=5).fit(train[["amount", "age"]], train["fraud"])
tree_bc = sc.broadcast(tree)
spark_centers = SparkKMeans(k=8).fit(spark.table("ml.features")).clusterCenters()
spark_centers_bc = sc.broadcast(spark_centers)

# Bounded collects.
top_bc = sc.broadcast(fx_rates.limit(100).collect())
preview = fx_rates.limit(20).collect()
preview_bc = sc.broadcast(preview)
latest_bc = sc.broadcast(payments.agg(F.max("paid_at")).collect()[0][0])
count_bc = sc.broadcast(payments.groupBy().count().collect())
literal_bc = sc.broadcast(spark.createDataFrame([("NZD", 1.0)], ["ccy", "rate"]).collect())


# A value of unknown origin.
def share(value):
    return sc.broadcast(value)


# Not Spark: a hub with a broadcast method. The collect itself is still SG101.
class DashboardHub:
    """Pushes messages to every connected dashboard."""

    def __init__(self, clients):
        self.clients = clients

    def broadcast(self, message):
        for client in self.clients:
            client.send(message)


hub = DashboardHub([])
hub.broadcast(payments.collect())  # expect: SG101


def notify_dashboards(alerts_df: DataFrame) -> None:
    sc = DashboardHub([])  # a socket hub, not a SparkContext
    sc.broadcast(alerts_df.collect())  # expect: SG101


# A user function named broadcast (this file never imports pyspark's broadcast).
def broadcast(frame: DataFrame, topic: str) -> None:
    """Publishes every row of frame to a Kafka topic."""
    (
        frame.selectExpr("to_json(struct(*)) AS value")
        .write.format("kafka")
        .option("kafka.bootstrap.servers", "kafka:9092")
        .option("topic", topic)
        .save()
    )


broadcast(payments, "payments")
broadcast(spark.table("finance.refunds"), "refunds")
