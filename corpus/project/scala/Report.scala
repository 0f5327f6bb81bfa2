// A job that uses the constants of `Config` and `Limits`, defined in Config.scala.
package etl

import org.apache.spark.sql.SparkSession

object Report extends Limits {
  val spark = SparkSession.builder().getOrCreate()
  val events = spark.table("events")

  // --- must not fire -----------------------------------------------------------
  val top = events.limit(Config.MaxRows).collect()
  val preview = events.take(PreviewRows)

  // --- must fire ---------------------------------------------------------------
  val export = events.limit(Config.ExportRows).collect() // expect: SG101
  val unknown = events.take(Config.Missing) // expect: SG103
}
