# Shared pytest fixtures: a conftest.py is test code wherever it sits.
import pytest
from pyspark.sql import SparkSession


@pytest.fixture(scope="session")
def spark():
    session = (
        SparkSession.builder.master("local[1]")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    yield session
    session.stop()


def small_lookup(spark):
    return dict(spark.table("fixtures.countries").collect())  # expect: SG101
