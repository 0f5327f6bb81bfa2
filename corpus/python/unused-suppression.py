"""SG901 unused-suppression and the suppression forms."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
events = spark.table("events")

# Suppressions that silence a finding: no finding at all.
rows = events.collect()  # sparkguard: ignore[SG101]
more = events.collect()  # noqa: SG101
# sparkguard: ignore[SG101]
next_line = events.collect()
both = events.toPandas()  # sparkguard: ignore[SG101, SG102]  # expect: SG901
with_others = events.collect()  # noqa: E501, SG101

# A bare noqa names no sparkguard code: the finding stays.
bare = events.collect()  # noqa  # expect: SG101

# Suppressions that silence nothing.
bounded = events.limit(10).collect()  # sparkguard: ignore[SG101]  # expect: SG901
typo = events.collect()  # sparkguard: ignore[SG999]  # expect: SG101, SG901
other_tools = events.limit(5).collect()  # noqa: E501
