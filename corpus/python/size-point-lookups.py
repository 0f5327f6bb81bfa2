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
    # A few points: either side fixes the identifier, or a few literal values do.
    two = users.where((F.col("id") == user_id) | (F.col("id") == user_id + 1)).collect()
    listed = users.filter(F.col("user_id").isin(1, 2, 3)).collect()
    listed_as_list = users.filter(col("email").isin(["a@example.com", "b@example.com"])).collect()
    return one, also, by_attr, combined, as_sql, from_sql, pairs, two, listed, listed_as_list


# --- must fire --------------------------------------------------------------------

# A categorical value keeps many rows.
nz = users.filter(F.col("country") == "NZ").collect()  # expect: SG101
# Two columns compared: a join condition, not a lookup.
same = users.filter(F.col("id") == F.col("referrer_id")).collect()  # expect: SG101
# A range of identifiers is not one value.
recent = users.filter(F.col("id") > 1000).collect()  # expect: SG101
either = spark.sql("SELECT * FROM users WHERE id = 1 OR country = 'NZ'").collect()  # expect: SG101
# One side of `|` that is not a point keeps many rows.
either_df = users.filter((F.col("id") == 1) | (F.col("country") == "NZ")).collect()  # expect: SG101
# Values that are not literals may be any number of them; a categorical column keeps
# many rows per value.
ids = [r.id for r in spark.table("vip").collect()]  # expect: SG101
in_list = users.filter(F.col("id").isin(ids)).collect()  # expect: SG101
in_countries = users.filter(F.col("country").isin("NZ", "AU")).collect()  # expect: SG101
