# Values bound by unpacking: each split of `randomSplit` has the rows of what was split,
# each name of `a, b = x, y` the value of its element; `DataFrame(jdf, sql_ctx)` wraps a
# JVM DataFrame of any size.
from pyspark.sql import DataFrame, SparkSession

spark = SparkSession.builder.getOrCreate()
events = spark.read.parquet("/data/events")
train, test = events.randomSplit([0.8, 0.2], seed=1)
train.collect()  # expect: SG101
(left, right) = spark.createDataFrame([(1,), (2,)], ["x"]).randomSplit([0.5, 0.5])
left.collect()
big, small = events, spark.range(5)
big.toPandas()  # expect: SG102
small.toPandas()
a, b = some_pair()
a.collect()


def wrap(jdf, ctx):
    frame = DataFrame(jdf, ctx)
    return frame.collect()  # expect: SG101


def rewrap(df, ctx):
    # The same frame through the JVM and back: as big as it was.
    return DataFrame(df._jdf, ctx).toPandas()  # expect: SG102


def metrics(spark, ctx, run):
    # What a JVM library computed and handed back (metrics, check results): nothing
    # is known of it, not even that it is data worth reporting.
    result = spark._jvm.com.example.metrics.Runner.successMetrics(spark._jsparkSession, run)
    return DataFrame(result, ctx).toPandas()


def check_results(spark, ctx, run):
    return DataFrame(spark._jvm.com.example.checks.Runner.results(run), ctx).collect()


class Local:
    pass


thing = Local()
thing.collect()
