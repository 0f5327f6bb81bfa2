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

# A bare noqa silences every rule of its line, a trailing comment after it included.
bare = events.collect()  # noqa  # legacy export

# Suppressions that silence nothing.
bounded = events.limit(10).collect()  # sparkguard: ignore[SG101]  # expect: SG901
typo = events.collect()  # sparkguard: ignore[SG999]  # expect: SG101, SG901
other_tools = events.limit(5).collect()  # noqa: E501

# A bare `noqa` silences every rule on its line, as flake8 and ruff users expect.
legacy_rows = spark.table("events").collect()  # noqa
# It never counts as unused: other linters read it too.
line_too_long = "x" * 200  # noqa
