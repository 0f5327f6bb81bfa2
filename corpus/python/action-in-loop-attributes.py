"""SG302 action-in-loop through attributes: a DataFrame a class keeps in `self.x`
(assigned in `__init__`, used in another method) is the same DataFrame on every
iteration of a loop over checks or columns."""
from pyspark.sql import SparkSession
from pyspark.sql import functions as F


class Validator:
    def __init__(self, spark: SparkSession, table, rules):
        self.spark = spark
        self.df = spark.read.table(table)
        self.rules = rules
        self.limits = None
        self.report = {}

    # --- must fire ---------------------------------------------------------------

    def run(self):
        for rule in self.rules:
            total = self.df.count()  # expect: SG302
            bad = self.df.filter(rule).count()
            self.report[rule] = bad / total

    def null_counts(self):
        out = {}
        for c in self.df.columns:
            out[c] = self.df.filter(F.col(c).isNull()).count()  # expect: SG302
        return out

    # --- must not fire -----------------------------------------------------------

    def per_table(self, tables):
        # Each iteration reads its own table.
        for t in tables:
            self.report[t] = self.spark.table(t).count()

    def shrink(self):
        # The attribute changes on every iteration: each count is of a new plan.
        for rule in self.rules:
            self.df = self.df.filter(rule).cache()
            self.report[rule] = self.df.count()

    def names(self):
        # `self.rules` holds plain values: nothing here is Spark.
        for rule in self.rules:
            self.report[rule] = len(self.rules)

    def fixed(self):
        for c in ["id", "amount"]:
            self.report[c] = self.df.filter(F.col(c).isNull()).count()


class Unrelated:
    """The same attribute name in another class holds a list, not a DataFrame."""

    def __init__(self):
        self.df = [1, 2, 3]

    def run(self, checks):
        for check in checks:
            self.df.count(check)
