# One finding per file, at the first place the parser cannot read; the rest of the
# file is still checked as far as the parser recovers.
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.getOrCreate()

# Python 3 code that parses: no finding.
print("rows", spark.table("events").limit(10).count())
print(f"{'nested'} quotes", sep="")
total = (n := 3) + 1
match total:
    case 4:
        pass
try:
    pass
except (ValueError, KeyError) as err:
    raise RuntimeError("bad", err) from err
exec("x = 1")
value = 0o777 + 0x1F + 10


def schema(path: str) -> list[str]:
    return spark.read.parquet(path).columns


# expect: SG902
def load(:
    return spark.read.parquet("/data/events")


# What follows the broken region is still checked.
rows = spark.table("events").collect()  # expect: SG101
