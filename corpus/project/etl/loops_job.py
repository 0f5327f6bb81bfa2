"""A job whose loops call the package's transformations, imported by name and
through a module alias."""
from functools import reduce
from pyspark.sql import SparkSession

import etl.transforms as t
from etl import settings
from etl.settings import AUDIT_TABLES
from etl.transforms import (
    add_audit_col,
    add_columns,
    add_flags,
    add_many,
    load_days,
    load_part,
    union_two,
)

spark = SparkSession.builder.appName("loops-job").getOrCreate()
events = spark.table("events")
dims = spark.table("dims")

# --- must fire -------------------------------------------------------------------

audited = events
for name in events.columns:
    audited = add_audit_col(audited, name)  # expect: SG301

wide = events
for key in events.columns:
    wide = t.join_dim(wide, dims, key)  # expect: SG301

merged = None
for c in events.columns:
    part = spark.table(c)
    merged = union_two(merged, part) if merged else part  # expect: SG301

# A list of DataFrames another module builds, folded or looped over here.
everyday = reduce(lambda a, b: a.union(b), load_days(spark, events.columns))  # expect: SG301

stacked = None
for day in t.load_days(spark, events.columns):
    stacked = day if stacked is None else stacked.union(day)  # expect: SG301

# --- must not fire ----------------------------------------------------------------

# Sets, not DataFrames: `set.union`.
members = reduce(lambda a, b: a.union(b), t.load_groups([["a"], ["b", "c"]]))

small = events
for name in ["a", "b", "c"]:
    small = add_audit_col(small, name)

# A list of three tables another file defines.
for table in AUDIT_TABLES:
    small = t.add_audit_col(small, table)
for table in settings.AUDIT_TABLES:
    small = add_audit_col(small, table)

# A helper that returns a fresh read, and one that grows a frame not carried over.
fresh = events
for c in events.columns:
    fresh = load_part(spark, c)
for c in events.columns:
    one = add_audit_col(events, c)

flagged = add_flags(events, ["a", "b"])
flagged = add_flags(events, ("x", "y", "z"))
named = add_columns(events, ["a"])
named = add_columns(events, events.columns)
many = add_many(events, ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12"])

# Ranking helpers: one caller leaves the partition columns out, one passes them.
latest = t.rank_latest(events)
by_user = t.rank_by(events, ["user_id"])
