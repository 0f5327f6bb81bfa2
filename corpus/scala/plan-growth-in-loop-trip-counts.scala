// SG301 plan-growth-in-loop: how many times a loop runs decides whether its growth matters.
package com.example.sg301.trips

import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.functions._

object TripCounts {
  val spark: SparkSession = SparkSession.builder().appName("sg301-trips").getOrCreate()

  val events: DataFrame = spark.table("events")

  // --- must fire -----------------------------------------------------------------

  // A parameter whose callers pass a long list, or that no caller in the file shows.
  def addLags(df: DataFrame, lags: Seq[Int]): DataFrame =
    lags.foldLeft(df)((acc, i) => acc.withColumn(s"lag_$i", lag(col("amount"), i).over(null))) // expect: SG301

  def castAll(input: DataFrame, names: Seq[String]): DataFrame = {
    var df = input
    for (n <- names) {
      df = df.withColumn(n, col(n).cast("string")) // expect: SG301
    }
    df
  }

  val lagged = addLags(events, 1 to 40)
  val laggedFew = addLags(events, Seq(1, 2))

  // Data read at run time.
  val wanted = spark.table("ref.columns").collect().map(_.getString(0)).toSeq // expect: SG101
  val widened = wanted.foldLeft(events)((acc, c) => acc.withColumn(c, lit(null))) // expect: SG301

  // --- must not fire ---------------------------------------------------------------

  // A parameter every caller in the file passes a short literal list for.
  def withKeys(df: DataFrame, keys: Seq[String]): DataFrame =
    keys.foldLeft(df)((acc, k) => acc.withColumn(k, upper(col(k))))

  val keyed = withKeys(events, Seq("country", "city"))
  val keyedAgain = withKeys(events, List("region"))

  // Literal collections and ranges of at most ten items.
  val bucketed = (1 to 5).foldLeft(events)((acc, i) => acc.withColumn(s"bucket_$i", col("amount") > i))
}
