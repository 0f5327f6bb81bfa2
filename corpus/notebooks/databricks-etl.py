# Databricks notebook source
# MAGIC %md
# MAGIC # Daily events
# MAGIC A Databricks source notebook: no imports, `spark` is predefined. Each magic cell
# MAGIC is read in its own language; `%md` and `%sql` cells are not Python.

# COMMAND ----------

events = spark.table("events")
display(events)

# COMMAND ----------

rows = events.collect()  # expect: SG101
top = events.limit(10).collect()

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT /*+ BROADCAST(u) */ *  -- # expect: SG203
# MAGIC FROM events e JOIN users u ON e.user_id = u.id

# COMMAND ----------

# MAGIC %scala
# MAGIC val scalaRows = spark.table("events").collect() // # expect: SG101
# MAGIC val doubled = List(1, 2).collect { case x => x * 2 }

# COMMAND ----------

# DBTITLE 1,Back in Python
# MAGIC %python
# MAGIC pdf = events.toPandas()  # expect: SG102

# COMMAND ----------

# MAGIC %pip install delta-spark

# COMMAND ----------

# sparkguard: ignore[SG101]
kept = events.collect()
bounded = events.limit(5).collect()  # noqa: SG101  # expect: SG901
