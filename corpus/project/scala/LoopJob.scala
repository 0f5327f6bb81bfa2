// Loops and folds over what Transforms.scala defines.
package etl

import org.apache.spark.sql.SparkSession

object LoopJob {
  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().getOrCreate()
    val events = spark.table("events")
    val dims = spark.table("dims")

    // --- must fire -------------------------------------------------------------
    val audited = events.columns.foldLeft(events)((acc, c) => Transforms.withAudit(acc, c)) // expect: SG301

    var wide = events
    for (key <- events.columns) {
      wide = Transforms.joinDim(wide, dims, key) // expect: SG301
    }

    val everyDay = Transforms.dailyFrames(spark, args.toSeq).reduce(_ union _) // expect: SG301
    val frames = Transforms.dailyFrames(spark, args.toSeq)
    val stacked = frames.reduce((a, b) => a.union(b)) // expect: SG301

    // --- must not fire ---------------------------------------------------------
    var fresh = events
    for (c <- events.columns) {
      fresh = Transforms.loadPart(spark, c)
    }
    val small = Seq("a", "b").foldLeft(events)((acc, c) => Transforms.withAudit(acc, c))
    val names = Transforms.dayNames(args.toSeq).reduce(_ + _)
  }
}
