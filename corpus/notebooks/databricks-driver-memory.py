# Databricks notebook source
# MAGIC %md
# MAGIC A Databricks notebook runs in a driver that has already started: setting the
# MAGIC driver's memory here changes nothing.

# COMMAND ----------

from pyspark.sql import SparkSession

spark = SparkSession.builder.config("spark.driver.memory", "16g").getOrCreate()  # expect: SG401

# COMMAND ----------

spark.conf.set("spark.sql.shuffle.partitions", "64")
