"""SG306 window-without-partition: an ordered or framed window with no partitionBy."""
import pyspark
from myapp.ui import Window as UiWindow
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.window import Window as W

spark = SparkSession.builder.appName("sg306").getOrCreate()
events = spark.table("events")

# --- must fire -------------------------------------------------------------------

by_time = Window.orderBy("event_time")  # expect: SG306
running = Window.orderBy(F.col("ts").desc()).rowsBetween(Window.unboundedPreceding, Window.currentRow)  # expect: SG306
last_three = Window.rowsBetween(-2, 0)  # expect: SG306
last_day = Window.orderBy(F.col("ts").cast("long")).rangeBetween(-86400, 0)  # expect: SG306
aliased = W.orderBy("ts")  # expect: SG306
qualified = pyspark.sql.Window.orderBy("ts")  # expect: SG306
several_keys = Window.orderBy("day", F.desc("amount"))  # expect: SG306

numbered = events.withColumn("seq", F.row_number().over(Window.orderBy("ts")))  # expect: SG306
previous = events.select("*", F.lag("amount").over(W.orderBy("ts")).alias("prev"))  # expect: SG306

cumulative = (
    Window  # expect: SG306
    .orderBy("ts")
    .rowsBetween(Window.unboundedPreceding, 0)
)

ranked = events.withColumn(
    "rank",
    F.dense_rank().over(
        # expect: SG306
        Window.orderBy(F.desc("amount"))
    ),
)

# --- must not fire ----------------------------------------------------------------

per_user = Window.partitionBy("user_id").orderBy("ts")
per_user_after = Window.orderBy("ts").partitionBy("user_id")
per_user_frame = Window.partitionBy("user_id").orderBy("ts").rowsBetween(Window.unboundedPreceding, 0)
framed_after = Window.orderBy("ts").rowsBetween(-2, 0).partitionBy("user_id")
unordered = Window.partitionBy("user_id")
aliased_ok = W.partitionBy("day").orderBy(F.desc("amount"))
total_per_user = events.withColumn("total", F.sum("amount").over(Window.partitionBy("user_id")))
lagged = events.withColumn("prev", F.lag("amount").over(Window.partitionBy("user_id").orderBy("ts")))

# Frame boundaries are constants, not window specs.
start = Window.unboundedPreceding
end = Window.currentRow

# A DataFrame sort is not a window.
sorted_events = events.orderBy("ts")

# Another library's Window.
dialog = UiWindow.orderBy("z_index")


# A partition list that defaults to empty and that no caller in the file passes:
# the window has no partition at all.
def rank_events(df, order_col, partition_cols=()):
    # expect: SG306
    window = Window.partitionBy(*partition_cols).orderBy(F.desc(order_col))
    return df.withColumn("rank", F.row_number().over(window))


ranked_all = rank_events(events, "amount")


# The same helper where a caller passes the columns: partitioned, no finding.
def rank_within(df, order_col, partition_cols=()):
    window = Window.partitionBy(*partition_cols).orderBy(F.desc(order_col))
    return df.withColumn("rank", F.row_number().over(window))


ranked_per_user = rank_within(events, "amount", ["user_id"])
ranked_per_day = rank_within(events, "amount", partition_cols=["day"])


# Handed to `map`: its callers are not all in sight, no finding.
def rank_mapped(df, partition_cols=()):
    window = Window.partitionBy(*partition_cols).orderBy("ts")
    return df.withColumn("rank", F.row_number().over(window))


ranked_frames = list(map(rank_mapped, [events]))
ranked_one = rank_mapped(events)


class Ranker:
    # A method: callers in other files may pass the columns, no finding.
    def rank(self, df, partition_cols=()):
        window = Window.partitionBy(*partition_cols).orderBy("ts")
        return df.withColumn("rank", F.row_number().over(window))

    def rank_all(self, df):
        return self.rank(df)
