"""A job that uses the package's settings and helpers."""
from pyspark.sql import SparkSession

from etl import helpers
from etl.helpers import build_lookup, export, first_rows, load_events, peek, to_local
from etl.settings import EXPORT_ROWS, PREVIEW_ROWS, SAMPLE_ROWS

spark = SparkSession.builder.appName("project-job").getOrCreate()
sc = spark.sparkContext

events = load_events(spark)

# --- must fire -------------------------------------------------------------------

everything = events.collect()  # expect: SG101
as_pandas = helpers.load_events(spark).toPandas()  # expect: SG102
too_many = first_rows(events, EXPORT_ROWS).collect()  # expect: SG101
lookup = sc.broadcast(build_lookup(events))  # expect: SG202
export(events)
batch = events.take(helpers.batch_size({"batch": 10}))  # expect: SG103
helpers.tag_rows(events, "daily")

# --- must not fire ----------------------------------------------------------------

preview = first_rows(events, 5).collect()
sample = events.limit(SAMPLE_ROWS).collect()
head = events.limit(PREVIEW_ROWS).toPandas()
peek(events, 1000)
peek(events, PREVIEW_ROWS)
# The twin of the `batch_size` take above: a count from another module that is known.
first_batch = events.take(PREVIEW_ROWS)
to_local(spark.createDataFrame([(1, "a")], ["id", "v"]))
