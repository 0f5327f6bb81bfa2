"""SG305 group-by-key: the fix spells `add` through the file's imports, and leaves
a `sum` or `len` that is not the builtin alone."""
import operator as op

from pyspark.sql import SparkSession
from pyspark.sql.functions import sum

spark = SparkSession.builder.appName("sg305-names").getOrCreate()
sales = spark.table("sales").rdd.map(lambda r: (r.store_id, r.amount))

# `len` is the builtin, `add` is reached as `op.add`.
counts = sales.groupByKey().mapValues(len)  # expect: SG305

# `sum` is Spark's column function here: no fix.
totals = sales.groupByKey().mapValues(sum)  # expect: SG305
