// SG101 collect-to-driver: the Scala fix where rows are collected only to be counted (unsafe: a Long, not an Int).
package com.example.sg101

import org.apache.spark.sql.SparkSession

object CollectToDriverFixes {
  val spark: SparkSession = SparkSession.builder().appName("sg101-fixes").getOrCreate()
  val events = spark.table("events")

  // --- fixed (unsafe) ----------------------------------------------------------------

  val n = events.collect().length // expect: SG101
  val m = events.filter("amount > 10").collect().size // expect: SG101

  // --- flagged, not fixed ------------------------------------------------------------

  val rows = events.collect() // expect: SG101
  val first = events.collect().head // expect: SG101
  val sized = events.collectAsList().size() // expect: SG101
}
