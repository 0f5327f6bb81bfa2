"""SG102 topandas-to-driver: toPandas() of data that is not evidently small."""
import pandas as pd
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.getOrCreate()

# --- must fire -------------------------------------------------------------------

pdf = spark.read.parquet("s3://lake/events").toPandas()  # expect: SG102
by_user = spark.table("events").groupBy("user_id").count().toPandas()  # expect: SG102


def to_local(df):
    return df.toPandas()  # expect: SG102


big = spark.table("events").limit(5_000_000).toPandas()  # expect: SG102

# --- must not fire ----------------------------------------------------------------

small = spark.table("events").limit(100).toPandas()
stats = spark.table("events").agg(F.avg("amount"), F.stddev("amount")).toPandas()
described = spark.table("events").summary().toPandas()
literal = spark.createDataFrame([(1, 2.0)], ["a", "b"]).toPandas()

local = pd.read_csv("local.csv")
again = local.copy()


class Frame:
    def toPandas(self):
        return pd.DataFrame()


Frame().toPandas()
distributed_pandas = spark.table("events").pandas_api()
