// A job that calls the helpers of Helpers.scala, by object name and through a
// wildcard import.
package etl

import org.apache.spark.sql.SparkSession
import etl.Helpers._

object Jobs extends Sampling {
  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().getOrCreate()
    import spark.implicits._
    val events = Helpers.loadEvents(spark)

    // --- must not fire ---------------------------------------------------------
    Helpers.preview(events, 5).collect()
    preview(events, Config.MaxRows).collect()
    sampleOf(events, 20).collect()
    Helpers.rowsOf(events)
    Helpers.taggedRows(events, "daily")
    localRows(Seq(("a", 1L), ("b", 2L)).toDF("k", "v"))
    Helpers.localRows(spark.range(10).toDF())
    spark.sparkContext.broadcast(Helpers.lookupOf(Seq(("a", 1L)).toDF("k", "v")))

    // --- must fire -------------------------------------------------------------
    events.collect() // expect: SG101
    Helpers.loadEvents(spark).filter("ok").collect() // expect: SG101
    Helpers.preview(events, Config.ExportRows).collect() // expect: SG101
    sampleOf(events, 5000000).collect() // expect: SG101
    spark.sparkContext.broadcast(Helpers.lookupOf(events)) // expect: SG202
  }
}
