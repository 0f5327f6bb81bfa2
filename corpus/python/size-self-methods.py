"""A method called through `self` returns what its body returns: a summary built by a
method of the same class is as small as that method makes it."""
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("self-methods").getOrCreate()


class Profiler:
    def __init__(self, df: DataFrame):
        self._df = df

    def _describe_stats(self, df):
        stats = df.describe().withColumnRenamed("summary", "measure")
        return stats

    def _null_counts(self):
        return self._df.agg(*[F.count(F.when(F.col(c).isNull(), c)).alias(c) for c in self._df.columns])

    def _events(self):
        return spark.table("events").where("day = current_date()")

    def _first_rows(self, n):
        return self._df.limit(n)

    def report(self):
        # --- must not fire ---------------------------------------------------------
        for row in self._describe_stats(self._df).where("measure in ('mean', 'stddev')").collect():
            print(row)
        nulls = self._null_counts().collect()
        preview = self._first_rows(5).collect()

        # --- must fire -------------------------------------------------------------
        everything = self._events().collect()  # expect: SG101
        return nulls, preview, everything

    @classmethod
    def from_table(cls, name):
        return cls(spark.table(name))


class Overloaded:
    """Two definitions of one name: which one runs is not known, so nothing is
    assumed (the collect is judged on what it is called on)."""

    def rows(self):
        return spark.range(3)

    def rows(self):
        return spark.table("events")

    def dump(self):
        return self.rows().collect()


class DataFrame:
    """A library's own frame type under Spark's name: its `head(n)` and `collect()` are
    its own, and annotations that name it mean it, not Spark's."""

    def sort_values(self, by) -> "DataFrame":
        return DataFrame()

    def head(self, n=5) -> "DataFrame":
        return DataFrame()

    def nlargest(self, n: int, columns) -> "DataFrame":
        frame = self.sort_values(by=columns)  # type: DataFrame
        return frame.head(n=n)
