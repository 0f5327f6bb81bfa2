"""SG901 unused-suppression: the fix removes what silences nothing, and keeps the rest."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
events = spark.table("events")

# One of two codes is used: the other goes, with its comma.
first_used = events.toPandas()  # sparkguard: ignore[SG102, SG101]  # expect: SG901
second_used = events.toPandas()  # sparkguard: ignore[SG101, SG102]  # expect: SG901
other_tools = events.limit(5).collect()  # noqa: E501, SG101  # expect: SG901

# Nothing is used: the suppression goes; a reason written after it stays.
bounded = events.limit(10).collect()  # sparkguard: ignore[SG101]  # expect: SG901
with_reason = events.limit(10).collect()  # sparkguard: ignore[SG101]  # expect: SG901  # kept for the export
# sparkguard: ignore[SG101]  # expect: SG901
above = events.limit(10).collect()
# expect: SG901
plain = 1  # noqa: SG101
# expect: SG901, SG901
both_unused = events.limit(10).collect()  # sparkguard: ignore[SG101, SG102]
