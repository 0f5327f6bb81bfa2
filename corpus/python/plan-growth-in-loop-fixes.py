"""SG301 plan-growth-in-loop: the withColumns fix (unsafe), and the loops it leaves alone."""
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("sg301-fixes").getOrCreate()
COLUMNS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]

# --- fixed: one withColumn per item of a literal list ---------------------------

typed = spark.table("raw")
for c in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]:
    typed = typed.withColumn(c, F.col(c).cast("int"))  # expect: SG301
typed.write.parquet("typed")

flags = spark.table("events")
for name, threshold in [("f1", 1), ("f2", 2), ("f3", 3), ("f4", 4), ("f5", 5), ("f6", 6), ("f7", 7), ("f8", 8), ("f9", 9), ("f10", 10), ("f11", 11)]:
    flags = flags.withColumn(name, F.col("amount") > threshold)  # expect: SG301
flags.write.parquet("flags")

# --- flagged, not fixed ----------------------------------------------------------

# Not a literal list.
named = spark.table("raw")
for c in COLUMNS:
    named = named.withColumn(c, F.trim(c))  # expect: SG301

# More than the one assignment in the body.
logged = spark.table("raw")
for c in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]:
    print(c)
    logged = logged.withColumn(c, F.upper(c))  # expect: SG301

# The loop's name is read after the loop.
last = spark.table("raw")
for c in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]:
    last = last.withColumn(c, F.lower(c))  # expect: SG301
print("last column", c)

# A comment in the loop would be lost.
noted = spark.table("raw")
for c in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]:
    # keep the raw value too
    noted = noted.withColumn(c + "_raw", F.col(c))  # expect: SG301

# Another method than withColumn.
renamed = spark.table("raw")
for c in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]:
    renamed = renamed.withColumnRenamed(c, c.upper())  # expect: SG301

# --- not flagged: a short literal list -------------------------------------------

short = spark.table("raw")
for c in ["a", "b"]:
    short = short.withColumn(c, F.lit(0))
