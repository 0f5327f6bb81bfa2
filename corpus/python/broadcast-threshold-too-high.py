"""SG204 broadcast-threshold-too-high: autoBroadcastJoinThreshold set above 1g."""
import logging
import os

from pyspark import SparkConf
from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

BROADCAST_THRESHOLD = "4g"
SAFE_THRESHOLD = "64m"
THRESHOLD_KEY = "spark.sql.autoBroadcastJoinThreshold"

# --- must fire -------------------------------------------------------------------

spark = (
    SparkSession.builder.appName("sg204")
    .config("spark.sql.autoBroadcastJoinThreshold", "2g")  # expect: SG204
    .config("spark.sql.adaptive.autoBroadcastJoinThreshold", "4GB")  # expect: SG204
    .getOrCreate()
)

spark.conf.set("spark.sql.autoBroadcastJoinThreshold", 2147483648)  # expect: SG204
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "2147483648")  # expect: SG204
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "1073741825")  # expect: SG204
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "1025m")  # expect: SG204
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "2G")  # expect: SG204
spark.conf.set("spark.sql.adaptive.autoBroadcastJoinThreshold", "1t")  # expect: SG204
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", BROADCAST_THRESHOLD)  # expect: SG204
spark.conf.set(THRESHOLD_KEY, "8g")  # expect: SG204

conf = SparkConf().setAppName("sg204").set("spark.sql.autoBroadcastJoinThreshold", "3g")  # expect: SG204
conf.setIfMissing("spark.sql.adaptive.autoBroadcastJoinThreshold", "2g")  # expect: SG204
conf.setAll([
    ("spark.sql.shuffle.partitions", "400"),
    ("spark.sql.autoBroadcastJoinThreshold", "5g"),  # expect: SG204
])

from_map = SparkSession.builder.config(map={
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.autoBroadcastJoinThreshold": "10g",  # expect: SG204
}).getOrCreate()

keyword = SparkSession.builder.config(key="spark.sql.autoBroadcastJoinThreshold", value="2g").getOrCreate()  # expect: SG204

multiline = (
    SparkSession.builder
    .config(
        "spark.sql.autoBroadcastJoinThreshold",  # expect: SG204
        "2g",
    )
    .getOrCreate()
)


def tune_for_backfill(session: SparkSession) -> None:
    session.conf.set("spark.sql.autoBroadcastJoinThreshold", "2gb")  # expect: SG204


# --- must not fire ----------------------------------------------------------------

spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", -1)
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "1g")
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "1024m")
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "1073741824")
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", 10485760)
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "10m")
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "10MB")
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "50B")
spark.conf.set("spark.sql.adaptive.autoBroadcastJoinThreshold", "256m")
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", SAFE_THRESHOLD)
spark.conf.set(THRESHOLD_KEY, "100m")
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", 100 * 1024 * 1024)
conf.set("spark.sql.autoBroadcastJoinThreshold", "512m")

# A value decided at run time.
spark.conf.set("spark.sql.autoBroadcastJoinThreshold", os.environ.get("BROADCAST_THRESHOLD", "10m"))

# Reading, unsetting, naming.
current = spark.conf.get("spark.sql.autoBroadcastJoinThreshold")
with_default = spark.conf.get("spark.sql.autoBroadcastJoinThreshold", "4g")
from_context = spark.sparkContext.getConf().get("spark.sql.autoBroadcastJoinThreshold", "4g")
spark.conf.unset("spark.sql.autoBroadcastJoinThreshold")
TUNED_KEYS = ["spark.sql.autoBroadcastJoinThreshold", "spark.sql.adaptive.autoBroadcastJoinThreshold"]
log.info("spark.sql.autoBroadcastJoinThreshold=%s", "4g")
# spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "4g")

# Other size settings with big values.
spark.conf.set("spark.sql.files.maxPartitionBytes", "2g")
spark.conf.set("spark.sql.broadcastTimeout", "3600")
conf.set("spark.executor.memory", "32g")


def describe() -> str:
    """Never set spark.sql.autoBroadcastJoinThreshold to 4g: the driver builds the relation."""
    return "see runbook"
