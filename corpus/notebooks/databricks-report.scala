// Databricks notebook source
val events = spark.table("events")
val rows = events.collect() // expect: SG101
val doubled = List(1, 2).collect { case x => x * 2 }

// COMMAND ----------

// MAGIC %md
// MAGIC ## Python helpers
// MAGIC rows = events.collect()

// COMMAND ----------

// MAGIC %python
// MAGIC users = spark.table("users")
// MAGIC # sparkguard: ignore[SG102]
// MAGIC local = users.toPandas()
// MAGIC names = users.rdd.map(lambda r: (r.id, r.name)).collectAsMap()  # // expect: SG104

// COMMAND ----------

// MAGIC %sql
// MAGIC SELECT * FROM events

// COMMAND ----------

display(events.limit(10))
