"""SQL commands, catalog calls and table metadata are small results."""
from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("commands").getOrCreate()
events = spark.table("events")

# --- must not fire ----------------------------------------------------------------

spark.sql("DESCRIBE TABLE events").toPandas()
spark.sql("DESC EXTENDED events").collect()
spark.sql("SHOW TABLES IN lake").collect()
spark.sql("SHOW PARTITIONS events").toPandas()
spark.sql("EXPLAIN SELECT * FROM events").collect()
spark.sql("SET spark.sql.shuffle.partitions=64").collect()
spark.sql("INSERT INTO archive SELECT * FROM events").collect()
spark.sql("""
    MERGE INTO users t USING updates u ON t.id = u.id
    WHEN MATCHED THEN UPDATE SET *
""").collect()
spark.sql("OPTIMIZE events ZORDER BY (user_id)").collect()
spark.sql("VACUUM events RETAIN 168 HOURS").collect()
spark.sql("ANALYZE TABLE events COMPUTE STATISTICS").collect()
spark.sql("MSCK REPAIR TABLE events").collect()
spark.sql("CREATE TABLE copy AS SELECT * FROM events").coalesce(1)
spark.sql("SHOW TBLPROPERTIES {}('{}')".format("events", "owner")).collect()
spark.sql("SELECT count(id) FROM parquet.`{}`".format("/data/events")).collect()
spark.sql("DESCRIBE %s" % "events").collect()
spark.sql("DESC EXTENDED " + "events").collect()

tables = spark.catalog.listTables("lake")
spark.catalog.listColumns("events").collect()
delta = DeltaTable.forName(spark, "events")
delta.detail().collect()
delta.history(10).toPandas()

# describe() and summary() stay small through variables, helpers and unions.
stats = events.describe("amount")
stats.collect()


def profile(df: DataFrame) -> DataFrame:
    return df.summary("count", "min", "max")


profile(events).toPandas()
both = events.describe("amount").union(spark.table("users").describe("age"))
both.collect()
both.coalesce(1).write.csv("/out/stats")

# --- must fire --------------------------------------------------------------------

spark.sql("SELECT * FROM events").collect()  # expect: SG101
spark.sql("SELECT * FROM {}".format("events")).collect()  # expect: SG101
spark.sql("WITH recent AS (SELECT * FROM events) SELECT * FROM recent").toPandas()  # expect: SG102
delta.toDF().collect()  # expect: SG101
delta.history().collect()  # expect: SG101
events.describe("amount").union(events.select("amount")).collect()  # expect: SG101


class Catalog:
    def __init__(self, spark):
        self._spark = spark

    def owner(self, table):
        # `self._spark` is the session by the same convention as `spark`.
        return self._spark.sql("SHOW TBLPROPERTIES {}('owner')".format(table)).collect()[0]

    def dump(self, table):
        return self._spark.table(table).collect()  # expect: SG101
