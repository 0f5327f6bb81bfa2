"""SG401 driver-memory-in-code: spark.driver.memory set after the driver JVM has started."""
import logging
import os
import subprocess

from pyspark import SparkConf
from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

DRIVER_MEMORY = "8g"
DRIVER_MEMORY_KEY = "spark.driver.memory"
DRIVER_OVERHEAD_KEY = "spark.driver.memoryOverhead"

# --- must fire -------------------------------------------------------------------

spark = (
    SparkSession.builder.appName("sg401")
    .config("spark.driver.memory", "8g")  # expect: SG401
    .config("spark.driver.memoryOverhead", "2g")  # expect: SG401
    .config("spark.executor.memory", "16g")
    .config("spark.executor.memoryOverhead", "4g")
    .getOrCreate()
)

conf = SparkConf()
conf.set("spark.driver.memory", DRIVER_MEMORY)  # expect: SG401
conf.set(DRIVER_MEMORY_KEY, "12g")  # expect: SG401
conf.setIfMissing("spark.driver.memoryOverhead", "1g")  # expect: SG401
conf.setAll([
    ("spark.app.name", "nightly-rollup"),
    ("spark.driver.memory", "8g"),  # expect: SG401
    (DRIVER_OVERHEAD_KEY, "2g"),  # expect: SG401
    ("spark.executor.memory", "16g"),
])
chained = SparkConf().setAppName("sg401").set("spark.driver.memory", "4g").set("spark.executor.cores", "4")  # expect: SG401
from_conf = SparkSession.builder.config(conf=conf).getOrCreate()

from_map = SparkSession.builder.config(map={
    "spark.driver.memory": "16g",  # expect: SG401
    "spark.sql.shuffle.partitions": "800",
}).getOrCreate()

keyword = SparkSession.builder.config(key="spark.driver.memory", value="8g").getOrCreate()  # expect: SG401

# Whatever the value, the key is the problem.
from_env = SparkSession.builder.config("spark.driver.memory", os.environ.get("DRIVER_MEMORY", "8g")).getOrCreate()  # expect: SG401

spark.conf.set("spark.driver.memory", "8g")  # expect: SG401


def build_session(app_name: str, driver_memory: str) -> SparkSession:
    return (
        SparkSession.builder.appName(app_name)
        .config(
            "spark.driver.memory",  # expect: SG401
            driver_memory,
        )
        .getOrCreate()
    )


# The message adds up what this builder asks for, not what other code in the file
# sets for its own session.
def reporting_session() -> SparkSession:
    return (
        SparkSession.builder.appName("reporting")
        .config("spark.driver.memory", "6g")  # expect: SG401
        .config("spark.driver.memoryOverhead", "1g")  # expect: SG401
        .getOrCreate()
    )


# --- must not fire ----------------------------------------------------------------

# Reading the setting.
current = spark.conf.get("spark.driver.memory")
with_default = spark.conf.get("spark.driver.memory", "1g")
from_context = spark.sparkContext.getConf().get("spark.driver.memory", "1g")
declared = conf.contains("spark.driver.memory")
all_settings = dict(spark.sparkContext.getConf().getAll())

# Naming it.
LAUNCH_ONLY = ["spark.driver.memory", "spark.driver.memoryOverhead"]
log.info("spark.driver.memory=%s", current)
log.warning("set spark.driver.memory with spark-submit --driver-memory, not in code")
# .config("spark.driver.memory", "8g") moved to the job's spark-submit flags


def describe() -> str:
    """Set spark.driver.memory at launch: spark-submit --conf spark.driver.memory=8g."""
    return "see runbook"


# Other settings, some with look-alike names.
conf.set("spark.executor.memory", "16g")
conf.set("spark.executor.memoryOverhead", "4g")
conf.set("spark.driver.maxResultSize", "2g")
conf.set("spark.driver.cores", "4")

# Launching another driver: these are launch-time flags of a new JVM.
subprocess.run(
    ["spark-submit", "--driver-memory", "8g", "--conf", "spark.driver.memoryOverhead=2g", "jobs/rollup.py"],
    check=True,
)
os.environ["PYSPARK_SUBMIT_ARGS"] = "--driver-memory 8g pyspark-shell"


# Not Spark: an audit record with a set method.
class RunRecord:
    """One audit row written after each run."""

    def __init__(self):
        self.fields = {}

    def set(self, key, value):
        self.fields[key] = value
        return self


record = RunRecord()
record.set("spark.driver.memory", current)


# Code that names its master starts its own driver: run with `python`, the builder
# launches the JVM with these settings, whatever the master (a library's `start()`,
# a command-line tool). Under spark-submit the master comes from the command line.
def cluster_session(master_url):
    return (
        SparkSession.builder.master(master_url)
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )


class StarterConfig:
    def __init__(self, cores):
        self.master = "local[{}]".format(cores)


def start(memory="16g", cores="*"):
    config = StarterConfig(cores)
    return (
        SparkSession.builder.appName("starter")
        .master(config.master)
        .config("spark.driver.memory", memory)
        .getOrCreate()
    )


def start_with_conf(memory, master):
    starter_conf = SparkConf()
    starter_conf.setMaster(master)
    starter_conf.set("spark.driver.memory", memory)
    return SparkSession.builder.config(conf=starter_conf).getOrCreate()


def command_line_tool(args):
    session_builder = SparkSession.builder.appName("tool").config("spark.driver.memory", args.driver_memory)
    if args.master:
        session_builder.master(args.master)
    return session_builder.getOrCreate()
