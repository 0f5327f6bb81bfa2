"""SG402 unlimited-max-result-size: spark.driver.maxResultSize set to 0 (unlimited)."""
import logging
import os

from pyspark import SparkConf
from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

UNLIMITED = "0"
RESULT_LIMIT = "2g"
MAX_RESULT_KEY = "spark.driver.maxResultSize"

# --- must fire -------------------------------------------------------------------

spark = (
    SparkSession.builder.appName("sg402")
    .config("spark.driver.maxResultSize", "0")  # expect: SG402
    .getOrCreate()
)

spark.conf.set("spark.driver.maxResultSize", 0)  # expect: SG402
spark.conf.set("spark.driver.maxResultSize", UNLIMITED)  # expect: SG402
spark.conf.set(MAX_RESULT_KEY, "0")  # expect: SG402
# Zero of any unit is still zero bytes: no limit.
spark.conf.set("spark.driver.maxResultSize", "0g")  # expect: SG402

conf = SparkConf().setAppName("sg402").set("spark.driver.maxResultSize", "0")  # expect: SG402
conf.setIfMissing("spark.driver.maxResultSize", "0")  # expect: SG402
conf.setAll([
    ("spark.sql.shuffle.partitions", "400"),
    ("spark.driver.maxResultSize", "0"),  # expect: SG402
])

from_map = SparkSession.builder.config(map={
    "spark.driver.maxResultSize": "0",  # expect: SG402
    "spark.sql.adaptive.enabled": "true",
}).getOrCreate()

keyword = SparkSession.builder.config(key="spark.driver.maxResultSize", value="0").getOrCreate()  # expect: SG402

multiline = (
    SparkSession.builder
    .config(
        "spark.driver.maxResultSize",  # expect: SG402
        0,
    )
    .getOrCreate()
)


def session_for_export(app_name: str) -> SparkSession:
    return SparkSession.builder.appName(app_name).config("spark.driver.maxResultSize", "0").getOrCreate()  # expect: SG402


# --- must not fire ----------------------------------------------------------------

spark.conf.set("spark.driver.maxResultSize", "2g")
spark.conf.set("spark.driver.maxResultSize", "4g")
spark.conf.set("spark.driver.maxResultSize", "1024m")
spark.conf.set("spark.driver.maxResultSize", RESULT_LIMIT)
spark.conf.set(MAX_RESULT_KEY, "8g")
conf.set("spark.driver.maxResultSize", "3g")

# A value decided at run time.
spark.conf.set("spark.driver.maxResultSize", os.environ.get("MAX_RESULT_SIZE", "1g"))

# Reading and naming.
current = spark.conf.get("spark.driver.maxResultSize")
with_default = spark.conf.get("spark.driver.maxResultSize", "0")
from_context = spark.sparkContext.getConf().get("spark.driver.maxResultSize", "0")
RESULT_KEYS = ["spark.driver.maxResultSize", "spark.driver.memory"]
log.info("spark.driver.maxResultSize=%s", "0")
# spark.conf.set("spark.driver.maxResultSize", "0")


def describe() -> str:
    """Never set spark.driver.maxResultSize to 0: it removes the driver's last guard."""
    return "see runbook"


# Another setting where 0 means "no limit", on the executors' side.
spark.conf.set("spark.sql.files.maxRecordsPerFile", "0")
