"""SG203 sql-broadcast-hint: BROADCAST / BROADCASTJOIN / MAPJOIN hints in SQL run by spark.sql.

A hint is reported on its own line. Inside a multi-line string the expectation rides
in a SQL line comment (`--`), which Spark ignores.
"""
import logging

from pyhive import hive
from pyspark.sql import SparkSession

log = logging.getLogger(__name__)
spark = SparkSession.builder.appName("sg203").getOrCreate()

# --- must fire -------------------------------------------------------------------

spark.sql("SELECT /*+ BROADCAST(c) */ o.*, c.region FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")  # expect: SG203
spark.sql("SELECT /*+ BROADCASTJOIN(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")  # expect: SG203
spark.sql("SELECT /*+ MAPJOIN(s) */ o.*, s.region FROM sales.orders o JOIN ref.stores s USING (store_id)")  # expect: SG203
spark.sql("select /*+ broadcast(c) */ o.* from sales.orders o join ref.countries c on o.country_code = c.code")  # expect: SG203
spark.sql("SELECT /*+  Broadcast(c)  */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")  # expect: SG203
spark.sql("SELECT /*+ BROADCAST(c, s) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code JOIN ref.stores s USING (store_id)")  # expect: SG203
spark.sql("INSERT OVERWRITE TABLE mart.orders_by_region SELECT /*+ BROADCAST(c) */ c.region, SUM(o.amount) FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code GROUP BY c.region")  # expect: SG203
by_region = spark.sql('SELECT /*+ BROADCAST(c) */ c.region, COUNT(*) FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code GROUP BY c.region')  # expect: SG203

# Hint on the first line of a triple-quoted string.
# expect: SG203
daily = spark.sql("""SELECT /*+ BROADCAST(c) */ o.order_id, c.region
    FROM sales.orders o
    JOIN ref.countries c ON o.country_code = c.code
""")

# Hints on later lines, where people write them.
weekly = spark.sql("""
    SELECT /*+ BROADCAST(c) */  -- # expect: SG203
           o.order_id, c.region
    FROM sales.orders o
    JOIN ref.countries c ON o.country_code = c.code
""")

nested = spark.sql(
    """
    SELECT /*+ BROADCAST(c) */ o.order_id, c.region, s.manager  -- # expect: SG203
    FROM sales.orders o
    JOIN ref.countries c ON o.country_code = c.code
    JOIN (SELECT /*+ MAPJOIN(m) */ s.store_id, m.name AS manager  -- # expect: SG203
          FROM ref.stores s JOIN hr.managers m ON s.manager_id = m.id) s
      ON o.store_id = s.store_id
    """
)

top_products = spark.sql(
    "SELECT /*+ BROADCAST(p) */ p.category, COUNT(*) AS n "  # expect: SG203
    "FROM sales.order_lines l JOIN ref.products p USING (product_id) "
    "GROUP BY p.category"
)


def regional_sales(day: str, dim: str = "ref.countries"):
    return spark.sql(f"SELECT /*+ BROADCAST(d) */ o.*, d.region FROM sales.orders o JOIN {dim} d ON o.country_code = d.code WHERE o.day = '{day}'")  # expect: SG203


def weekly_sales(week: str):
    return spark.sql(f"""
        SELECT /*+ BROADCASTJOIN(s) */ s.region, SUM(o.amount) AS revenue  -- # expect: SG203
        FROM sales.orders o JOIN ref.stores s USING (store_id)
        WHERE o.week = '{week}'
        GROUP BY s.region
    """)


# SQL text held in a variable, then run.
STORE_SALES_SQL = """
SELECT /*+ MAPJOIN(s) */ s.region, SUM(o.amount) AS revenue  -- # expect: SG203
FROM sales.orders o JOIN ref.stores s USING (store_id)
GROUP BY s.region
"""
store_sales = spark.sql(STORE_SALES_SQL)

query = "SELECT /*+ BROADCASTJOIN({dim}) */ o.* FROM sales.orders o JOIN {dim} ON o.store_id = {dim}.store_id".format(dim="ref.stores")  # expect: SG203
formatted = spark.sql(query)


def run(session: SparkSession):
    return session.sql("SELECT /*+ BROADCAST(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")  # expect: SG203


# Small in fact, but only configuration (small-tables) declares a table small.
spark.createDataFrame([(1, "open"), (2, "shipped")], ["status_id", "status"]).createOrReplaceTempView("status_names")
spark.sql("SELECT /*+ BROADCAST(n) */ o.*, n.status FROM sales.orders o JOIN status_names n USING (status_id)")  # expect: SG203

# --- must not fire ----------------------------------------------------------------

# spark.sql("SELECT /*+ BROADCAST(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")
log.info("slow join? try SELECT /*+ BROADCAST(c) */ when the dimension is small")
print("/*+ BROADCAST(c) */")
EXAMPLE_SQL = "SELECT /*+ BROADCAST(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code"
print(EXAMPLE_SQL)

# A plain comment (no +) is not a hint.
spark.sql("SELECT /* BROADCAST(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")

# Hints that do not broadcast.
spark.sql("SELECT /*+ REPARTITION(200) */ * FROM sales.orders")
spark.sql("SELECT /*+ COALESCE(1) */ * FROM mart.daily_summary")
spark.sql("SELECT /*+ REBALANCE(day) */ * FROM sales.orders")
spark.sql("SELECT /*+ SHUFFLE_HASH(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")
spark.sql("SELECT /*+ MERGE(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")

# The words as identifiers.
spark.sql("SELECT broadcast_id, mapjoin_enabled FROM ops.broadcasts WHERE broadcast_channel = 'email'")

# A hint inside a SQL line comment is a comment.
spark.sql("""
    SELECT o.*  -- /*+ BROADCAST(c) */ dropped: ref.countries grew to 40 GB
    FROM sales.orders o
    JOIN ref.countries c ON o.country_code = c.code
""")


def explain_hints() -> str:
    """Joins here used to read SELECT /*+ BROADCAST(c) */ ...; removed in 2023."""
    return "see runbook"


# Hive, not Spark.
cursor = hive.connect("hive.internal").cursor()
cursor.execute("SELECT /*+ MAPJOIN(s) */ o.* FROM sales.orders o JOIN ref.stores s ON o.store_id = s.store_id")
