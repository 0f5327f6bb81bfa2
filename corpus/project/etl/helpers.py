"""Helpers the job calls: what they return and what they do to their arguments
crosses into the job's file through the project index."""
from pyspark.sql import DataFrame, SparkSession

from etl.settings import EVENTS_TABLE


def load_events(spark: SparkSession) -> DataFrame:
    return spark.table(EVENTS_TABLE)


def first_rows(df: DataFrame, n: int) -> DataFrame:
    return df.limit(n)


def peek(df: DataFrame, num):
    # Every caller in the project passes a small count: no finding.
    return df.take(num)


def to_local(df):
    # Every caller in the project passes data built in the driver: no finding.
    return df.collect()


def export(df):
    # A caller passes a table: reported here, once.
    return df.collect()  # expect: SG101


def export_unused(df):
    # A public function no one in the project calls keeps its finding.
    return df.collect()  # expect: SG101


def build_lookup(df):
    return df.rdd.map(lambda r: (r.id, r.name)).collectAsMap()  # expect: SG104


def batch_size(conf):
    # Its summary tells nothing: a caller's `take` of it takes a count nobody knows.
    return conf.get("batch")


def tag_rows(df, label):
    # The job passes a plain string for `label`, read as if no call passed anything
    # of Spark's: the job's table still makes `df` large.
    print(label)
    return df.collect()  # expect: SG101
