# SQL pasted into a Python file: the backticks in it are SQL's quoted names, not
# Python 2's repr, so SG902 names the first unparsable line, not Python 2.
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
daily = spark.table("events").groupBy("day").count()

# expect: SG902
CREATE TABLE daily_avg AS SELECT mrn, MEAN(rate) avg_rate, DATE(time) `date` FROM recordings
