"""SG101 collect-to-driver: the fix where rows are collected only to be counted."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("sg101-fixes").getOrCreate()
events = spark.table("events")

# --- fixed: the rows are only counted (safe) -------------------------------------

print(len(events.collect()))  # expect: SG101
total = len(spark.table("orders").rdd.collect())  # expect: SG101

rows = events.collect()  # expect: SG101
print(f"{len(rows)} events")


def big_enough(df):
    found = df.filter("amount > 100").collect()  # expect: SG101
    if len(found) > 10:
        return len(found)
    return 0


big_enough(spark.table("payments"))

# --- flagged, not fixed: the rows are used ---------------------------------------

kept = events.collect()  # expect: SG101
print(len(kept), kept[0])

iterated = events.collect()  # expect: SG101
for row in iterated:
    print(row)

twice = events.collect()  # expect: SG101
twice = [r for r in twice if r.amount > 0]
print(len(twice))

annotated: list = events.collect()  # expect: SG101
print(len(annotated))

# Counted by a function of the file, not by `len`.
sized = events.collect()  # expect: SG101


def count_of(rows):
    return sum(1 for _ in rows)


print(count_of(sized))

# --- not flagged -----------------------------------------------------------------

few = len(events.limit(10).collect())
