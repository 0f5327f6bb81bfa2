# Test code outside a test directory, known by its syntax: pytest test functions
# and fixtures, test classes, and helpers that compare DataFrames for tests. The
# Spark rules are silent in them; the look-alikes below them are production code.
import unittest

import pytest
from pyspark.sql import DataFrame, SparkSession

spark = SparkSession.builder.getOrCreate()


@pytest.fixture
def events():
    return spark.read.parquet("s3://lake/fixtures/events").collect()


def test_events_have_ids():
    rows = spark.read.parquet("s3://lake/fixtures/events").collect()
    assert all(row.id for row in rows)


class TestSessions:
    def test_sessions_are_ordered(self):
        assert spark.table("fixtures.sessions").toPandas().is_monotonic_increasing


class SessionChecks(unittest.TestCase):
    def test_count(self):
        self.assertEqual(len(spark.table("fixtures.sessions").collect()), 3)


def assert_df_equality(left: DataFrame, right: DataFrame):
    assert sorted(left.collect()) == sorted(right.collect())


def frames_match(left: DataFrame, right: DataFrame):
    # Compares both sides and raises on a mismatch: test support by what it does.
    expected = left.collect()
    actual = right.collect()
    if expected != actual:
        raise AssertionError(f"{expected} != {actual}")


def are_dfs_equal(df1: DataFrame, df2: DataFrame) -> bool:
    # Compares the rows of two DataFrames and returns the verdict: an equality helper.
    if df1.schema != df2.schema:
        return False
    return df1.collect() == df2.collect()


# Look-alikes that are production code.


def changed_since(df: DataFrame, previous_rows) -> bool:
    # One side gathered, compared with data already at hand: not a comparison of two
    # DataFrames.
    return df.collect() != previous_rows  # expect: SG101


def testimonial_counts(df: DataFrame):
    return df.groupBy("product_id").count().collect()  # expect: SG101


def load_or_fail(df: DataFrame):
    # One collect and a raise: a guard in a job, not a comparison.
    rows = df.collect()  # expect: SG101
    if not rows:
        raise ValueError("no rows")
    return rows


def expected_rows(df: DataFrame):
    return df.collect()  # expect: SG101


class Pipeline:
    def run(self, df: DataFrame):
        return df.toPandas()  # expect: SG102


def columns_api(df: DataFrame):
    # An outer function whose closures gather and raise on their own: not one
    # comparison of two DataFrames, so not test support.
    def first_rows():
        return df.collect()  # expect: SG101

    def check_not_empty():
        if not df.take(1):
            raise ValueError("empty")

    def all_rows():
        return df.toPandas()  # expect: SG102

    return first_rows, check_not_empty, all_rows


def rules_for(rules_df: DataFrame, tag=None):
    # Gathers one DataFrame in either branch and raises on a read error: a job
    # step, not a comparison of two DataFrames.
    try:
        if tag:
            return rules_df.filter(rules_df.tag == tag).collect()  # expect: SG101
        return rules_df.collect()  # expect: SG101
    except Exception as err:
        raise RuntimeError("cannot read the rules") from err
