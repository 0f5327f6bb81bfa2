# A Spark job that also uses polars, DuckDB and pandas for local work. Their frames
# are local data whatever they are called: `collect()` on a polars lazy frame and
# `head(n)` on a pandas frame run on this machine, not on a Spark cluster.
import duckdb
import pandas as pd
import polars as pl
from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.getOrCreate()

lookup_df = pl.scan_csv("reference/countries.csv").filter(pl.col("active")).collect()
rates_df = duckdb.sql("SELECT * FROM 'reference/rates.parquet'").df()
sample_df = pd.read_csv("reference/sample.csv").head(50_000)

countries = spark.createDataFrame(lookup_df.to_pandas())
daily = (
    spark.table("warehouse.orders")
    .join(F.broadcast(countries), "country")
    .groupBy("country")
    .agg(F.sum("amount").alias("amount"))
)
daily.write.mode("overwrite").parquet("s3://lake/daily")
