// Transformations a loop job in another file (LoopJob.scala) applies: what each
// does to its DataFrame argument, and the lists of DataFrames it builds, cross
// files through the project index.
package etl

import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.functions.{current_timestamp, lit}

object Transforms {
  def withAudit(df: DataFrame, name: String): DataFrame =
    df.withColumn(name, current_timestamp())

  def joinDim(df: DataFrame, dim: DataFrame, key: String): DataFrame =
    df.join(dim, Seq(key), "left")

  // A fresh read: its argument is not grown.
  def loadPart(spark: SparkSession, name: String): DataFrame = spark.table(name)

  def dailyFrames(spark: SparkSession, days: Seq[String]): Seq[DataFrame] =
    days.map(d => spark.read.parquet(s"lake/daily/$d"))

  def dayNames(days: Seq[String]): Seq[String] = days.map(_.toUpperCase)
}
