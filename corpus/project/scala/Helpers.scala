// Helpers a job in another file calls (Jobs.scala): what they return and what
// they do to their parameters crosses files through the project index.
package etl

import org.apache.spark.sql.{DataFrame, Row, SparkSession}

object Helpers {
  def loadEvents(spark: SparkSession): DataFrame = spark.table("events")

  // Its argument, limited to `n` rows: small where the caller passes a small `n`.
  def preview(df: DataFrame, n: Int): DataFrame = df.filter("ok").limit(n)

  // A caller passes a table: reported here, once.
  def rowsOf(df: DataFrame): Array[Row] = df.collect() // expect: SG101

  // Every caller in the project passes data built in the driver: no finding.
  def localRows(df: DataFrame): Array[Row] = df.collect()

  // A public helper no one in the project calls keeps its finding.
  def unusedRows(df: DataFrame): Array[Row] = df.collect() // expect: SG101

  def lookupOf(df: DataFrame): scala.collection.Map[String, Long] =
    df.rdd.map(r => (r.getString(0), r.getLong(1))).collectAsMap() // expect: SG104

  // The job passes a plain string for `label`, read as if no call passed anything
  // of Spark's: the job's table still makes `df` large.
  def taggedRows(df: DataFrame, label: String): Array[Row] = {
    println(label)
    df.collect() // expect: SG101
  }
}

trait Sampling {
  def sampleOf(df: DataFrame, rows: Int): DataFrame = df.orderBy("ts").limit(rows)
}
