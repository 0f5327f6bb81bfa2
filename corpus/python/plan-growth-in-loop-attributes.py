"""SG301 plan-growth-in-loop through attributes: DataFrames a class collects in
`self.parts` in one method and unions in another."""
from functools import reduce

from pyspark.sql import DataFrame, SparkSession


class Collector:
    def __init__(self, spark: SparkSession):
        self.spark = spark
        self.parts = []
        self.names = []

    def add(self, path):
        self.parts.append(self.spark.read.parquet(path))
        self.names.append(path)

    # --- must fire ---------------------------------------------------------------

    def combined(self):
        return reduce(lambda a, b: a.union(b), self.parts)  # expect: SG301

    def combined_loop(self):
        acc = self.parts[0]
        for part in self.parts[1:]:
            acc = acc.union(part)  # expect: SG301
        return acc

    def combined_none(self):
        acc = None
        for part in self.parts:
            acc = part if acc is None else acc.union(part)  # expect: SG301
        return acc

    # --- must not fire -----------------------------------------------------------

    def labels(self):
        # `self.names` holds paths: `set.union` of strings is not a plan.
        seen = set()
        for name in self.names:
            seen = seen.union({name})
        return seen

    def each(self):
        # Each part counted on its own: nothing is carried from one to the next.
        for part in self.parts:
            part.write.parquet("out")
