// SG306 window-without-partition: an ordered or framed window with no partitionBy.
package com.example.sg306

import com.example.ui.{Window => UiWindow}
import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.expressions.Window
import org.apache.spark.sql.expressions.{Window => W}
import org.apache.spark.sql.functions._

object WindowWithoutPartition {
  val spark: SparkSession = SparkSession.builder().appName("sg306").getOrCreate()
  import spark.implicits._

  val events: DataFrame = spark.table("events")

  // --- must fire -----------------------------------------------------------------

  val byTime = Window.orderBy("event_time") // expect: SG306
  val running = Window.orderBy($"ts".desc).rowsBetween(Window.unboundedPreceding, Window.currentRow) // expect: SG306
  val lastThree = Window.rowsBetween(-2, 0) // expect: SG306
  val lastDay = Window.orderBy(col("ts").cast("long")).rangeBetween(-86400, 0) // expect: SG306
  val aliased = W.orderBy("ts") // expect: SG306
  val qualified = org.apache.spark.sql.expressions.Window.orderBy("ts") // expect: SG306
  val severalKeys = Window.orderBy(col("day"), desc("amount")) // expect: SG306

  val numbered = events.withColumn("seq", row_number().over(Window.orderBy("ts"))) // expect: SG306
  val previous = events.select(col("*"), lag("amount", 1).over(W.orderBy($"ts")).as("prev")) // expect: SG306

  val cumulative = Window // expect: SG306
    .orderBy("ts")
    .rowsBetween(Window.unboundedPreceding, 0)

  val ranked = events.withColumn(
    "rank",
    dense_rank().over(
      Window.orderBy(desc("amount")) // expect: SG306
    )
  )

  // --- must not fire ---------------------------------------------------------------

  val perUser = Window.partitionBy("user_id").orderBy("ts")
  val perUserAfter = Window.orderBy("ts").partitionBy("user_id")
  val perUserFrame = Window.partitionBy($"user_id").orderBy("ts").rowsBetween(Window.unboundedPreceding, 0)
  val framedAfter = Window.orderBy("ts").rowsBetween(-2, 0).partitionBy("user_id")
  val unordered = Window.partitionBy("user_id")
  val aliasedOk = W.partitionBy("day").orderBy(desc("amount"))
  val totalPerUser = events.withColumn("total", sum("amount").over(Window.partitionBy("user_id")))
  val lagged = events.withColumn("prev", lag("amount", 1).over(Window.partitionBy("user_id").orderBy("ts")))

  // Frame boundaries are constants, not window specs.
  val start = Window.unboundedPreceding
  val end = Window.currentRow

  // A DataFrame sort is not a window.
  val sortedEvents = events.orderBy("ts")

  // Another library's Window.
  val dialog = UiWindow.orderBy("z_index")
}
