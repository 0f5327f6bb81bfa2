# Tests of a daily job, as pytest and unittest run them. Test code runs on fixture
# data a few rows long: by default sparkguard is silent in this whole tree (it
# matches the default `test-paths`); the `expect:` comments say what
# `--check-tests` reports.
import unittest

import pytest
from pyspark.sql import SparkSession, functions as F


@pytest.fixture(scope="session")
def spark():
    return SparkSession.builder.master("local[2]").getOrCreate()


@pytest.fixture
def events(spark):
    return spark.read.json("tests/fixtures/events.json")


def test_amounts_are_positive(spark):
    events = spark.read.json("tests/fixtures/events.json")
    assert events.where("amount <= 0").count() == 0  # expect: SG307
    rows = events.select("user_id", F.col("amount")).collect()  # expect: SG101
    assert len(rows) == 3


def test_every_column_is_filled(spark):
    events = spark.read.json("tests/fixtures/events.json")
    for name in events.columns:
        assert events.where(F.col(name).isNull()).count() == 0  # expect: SG302, SG307


class DailyTotalsTest(unittest.TestCase):
    def setUp(self):
        self.spark = SparkSession.builder.getOrCreate()

    def test_schema(self):
        df = self.spark.read.parquet("tests/fixtures/daily")
        self.assertEqual(df.toPandas().shape[0], 4)  # expect: SG102
