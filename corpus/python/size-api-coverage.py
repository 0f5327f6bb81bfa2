# The whole Spark API: the legacy SQLContext / HiveContext entry points, DataFrame
# methods the tables used to leave unknown (stat, na, transpose, mapInPandas), grouped
# functions that may give any number of rows per group, and DeltaTable.toDF.
from pyspark import SparkContext
from pyspark.sql import SQLContext, HiveContext
from delta.tables import DeltaTable

sc = SparkContext()
sqlContext = SQLContext(sc)
hive_ctx = HiveContext(sc)

events = sqlContext.parquetFile("/data/events")
events.collect()  # expect: SG101
logs = hive_ctx.sql("SELECT * FROM logs")
logs.collect()  # expect: SG101
hive_ctx.sql("SELECT * FROM logs LIMIT 5").collect()
hive_ctx.tables().collect()
people = sqlContext.jsonFile("/data/people.json")
people.stat.crosstab("user_id", "item_id").collect()  # expect: SG101
people.na.fill(0).collect()  # expect: SG101
people.na.fill(0).limit(3).collect()
people.groupBy("user_id").applyInPandas(lambda pdf: pdf, "user_id long").collect()  # expect: SG101
people.mapInPandas(lambda it: it, "user_id long").toPandas()  # expect: SG102
sqlContext.createDataFrame([(1, "a")], ["id", "v"]).mapInPandas(lambda it: it, "id long").toPandas()  # driver data: no finding
people.transpose().collect()  # expect: SG101

delta = DeltaTable.forPath(spark, "/delta/events")
delta.toDF().collect()  # expect: SG101
delta.toDF().limit(10).collect()
delta.history(5).collect()
