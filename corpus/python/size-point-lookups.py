"""A filter that fixes an identifier to one value is a few rows."""
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.functions import col

spark = SparkSession.builder.appName("lookups").getOrCreate()
users = spark.table("users")


def fetch_user(user_id):
    # --- must not fire ------------------------------------------------------------
    one = users.filter(F.col("id") == user_id).collect()
    also = users.where(col("user_id") == user_id).toPandas()
    by_attr = users.filter(users.email == "a@example.com").collect()
    combined = users.filter((F.col("user_id") == user_id) & (F.col("active"))).collect()
    as_sql = users.where("user_id = 42").collect()
    from_sql = spark.sql("SELECT * FROM users WHERE id = 42").collect()
    pairs = users.rdd.map(lambda r: (r.id, r)).lookup(user_id)
    return one, also, by_attr, combined, as_sql, from_sql, pairs


# --- must fire --------------------------------------------------------------------

# A categorical value keeps many rows.
nz = users.filter(F.col("country") == "NZ").collect()  # expect: SG101
# Two columns compared: a join condition, not a lookup.
same = users.filter(F.col("id") == F.col("referrer_id")).collect()  # expect: SG101
# A range of identifiers is not one value.
recent = users.filter(F.col("id") > 1000).collect()  # expect: SG101
either = spark.sql("SELECT * FROM users WHERE id = 1 OR country = 'NZ'").collect()  # expect: SG101
